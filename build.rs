//! Generates the `i18n` module from `locales/*.json` (leptos_i18n's build-time code generation):
//! a missing key or interpolation is a compile error, not a blank in the UI.
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    // The split build (feature `split`, src/split/) needs the linker's relocations in the app's
    // wasm: scripts/split-wasm.sh cuts the module along them. Only this binary, only then: every
    // other wasm32 build (tests, benchmark pages) stays free of the extra sections.
    if std::env::var_os("CARGO_FEATURE_SPLIT").is_some()
        && std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32")
    {
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
    // The static build's approval threshold (src/in_browser/mod.rs): a wrong amount fails the
    // build, as a wrong refund policy does, rather than becoming a threshold of 0.
    println!("cargo::rerun-if-env-changed=RESERVATION_DESK_APPROVAL_THRESHOLD");
    if let Ok(text) = std::env::var("RESERVATION_DESK_APPROVAL_THRESHOLD") {
        let text = text.trim();
        let (whole, cents) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str, most: usize| s.len() <= most && s.bytes().all(|b| b.is_ascii_digit());
        if !text.is_empty() && (whole.is_empty() || !digits(whole, 12) || !digits(cents, 2) || text.ends_with('.')) {
            return Err(format!(
                "RESERVATION_DESK_APPROVAL_THRESHOLD={text:?}: an amount in USD such as 25000 or 25000.00 (not negative, at most 2 decimals), or empty for none"
            )
            .into());
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // interpolate_display: interpolated strings also as plain `String`s (ARIA labels, titles).
    let options = ParseOptions::default().interpolate_display(true);
    // RESERVATION_DESK_LOCALES=en builds an English-only app: the benchmark measures what the
    // other languages add to the wasm (scripts/bench.sh). Every build that ships has all five.
    println!("cargo::rerun-if-env-changed=RESERVATION_DESK_LOCALES");
    let chosen = std::env::var("RESERVATION_DESK_LOCALES").unwrap_or_else(|_| "en,de,sv,nl,zh-CN".to_owned());
    let others: Vec<&str> = chosen.split(',').map(str::trim).filter(|l| !l.is_empty() && *l != "en").collect();
    let config = Config::new("en")?.add_locales(others)?.parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
