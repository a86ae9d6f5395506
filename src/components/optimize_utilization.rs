use desk_service::exchange;
use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::format::format_percent;
use crate::i18n::*;

/// "Optimize for utilization" (as the Azure portal offers it): proposes the quantity to return
/// from the 7-day use (`desk_service::exchange::optimized_return_quantity`) and says what it
/// proposed. `propose` gets a quantity of at least 1; nothing to return leaves the field alone
/// (an exchange returns at least one unit).
#[component]
pub fn OptimizeForUtilization(
    /// The reservation's quantity.
    quantity: u32,
    /// Its 7-day average utilization, percent; `None` when Azure did not report it (nothing to
    /// optimize from: the button is disabled, saying so).
    utilization_7: Option<Decimal>,
    /// Sets the quantity to return.
    propose: Callback<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = move || i18n.get_locale();
    let optimized = RwSignal::new(None::<u32>);
    let Some(utilization_7) = utilization_7 else {
        return view! {
            <div class="inline optimize">
                <button type="button" class="secondary" id="optimize-utilization" disabled aria-describedby="optimize-hint">
                    {t!(i18n, optimize_utilization)}
                </button>
                <span class="hint" id="optimize-hint">{t!(i18n, optimize_not_reported)}</span>
            </div>
        }
        .into_any();
    };
    view! {
        <div class="inline optimize">
            <button type="button" class="secondary" id="optimize-utilization" aria-describedby="optimize-hint"
                on:click=move |_| {
                    let proposed = exchange::optimized_return_quantity(quantity, utilization_7);
                    optimized.set(Some(proposed));
                    if proposed > 0 {
                        propose.run(proposed);
                    }
                }>
                {t!(i18n, optimize_utilization)}
            </button>
            <span class="hint" id="optimize-hint">{t!(i18n, optimize_hint)}</span>
        </div>
        <p class="note optimize-result" role="status">
            {move || optimized.get().map(|proposed| {
                let percent = format_percent(utilization_7, locale());
                if proposed == 0 {
                    t_string!(i18n, optimize_nothing, percent = percent).to_string()
                } else {
                    t_string!(i18n, optimize_proposed, percent = percent, count = proposed, quantity = quantity).to_string()
                }
            })}
        </p>
    }
    .into_any()
}
