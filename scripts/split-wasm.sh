#!/usr/bin/env bash
# Route splitting for trunk 0.21 (a post_build hook, Trunk.toml; see src/split/ and
# shared/notes/wasm-split.md). trunk has no step between cargo and wasm-bindgen, so it builds and
# binds the whole module (which names and hashes the files and writes the loader into
# index.html); this hook then redoes the last part over trunk's staged files:
#   1. wasm-split-cli cuts cargo's raw module (linked with --emit-relocs by build.rs when the
#      `split` feature is on) at the `wasm_split` points: a main module, one module per split
#      name, shared chunks, and the loader `__wasm_split.js`;
#   2. wasm-bindgen binds the main module as trunk did (same name: the page's loader still works);
#   3. in release, wasm-opt -Oz and a few more of binaryen's passes on every piece (index.html's
#      data-wasm-opt="0": trunk's own pass would only optimize the unsplit module that this
#      replaces), and terser on the bindings and the loader;
#   4. the pieces go into a folder named after trunk's hashed name (chunk names come from the
#      source, not the content: the folder busts caches), and the main JS imports the loader there;
#      so does the other pages' stylesheet (style/pages.css), which index.html then only names;
#   5. scripts/select-backend.sh (next in the hook) then makes it the server's or the static build.
# Other trunk builds (the benchmark pages) have no split module: the hook leaves them alone.
# Every tool by its own path (scripts/tools.sh): trunk's PATH may hold other versions, or none.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"  # project_tool, cargo_tool

stage="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
bin=reservation-desk
bg=$(find "$stage" -maxdepth 1 -regextype posix-extended -regex ".*/$bin-[0-9a-f]+_bg\.wasm" | head -n 1)
[ -n "$bg" ] || exit 0
name=$(basename "$bg" _bg.wasm)                  # reservation-desk-<hash>
target_dir="${CARGO_TARGET_DIR:-$TRUNK_SOURCE_DIR/target}"
raw="$target_dir/wasm32-unknown-unknown/$TRUNK_PROFILE/$bin.wasm"
[ -f "$raw" ] || { echo "split-wasm: $raw not found" >&2; exit 1; }

wasm_split="$(cargo_tool wasm-split-cli "$WASM_SPLIT_VERSION")"
wasm_bindgen="$(cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION")"
if [ "$TRUNK_PROFILE" = release ]; then
  wasm_opt="$(project_tool wasm-opt)"
  terser="$(project_tool terser)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$wasm_split" --target web --out-name "$name" "$raw" "$work/split"

bindgen_flags=(--target web --no-typescript --keep-lld-exports --no-demangle)
[ "$TRUNK_PROFILE" = release ] || bindgen_flags+=(--keep-debug)
"$wasm_bindgen" "${bindgen_flags[@]}" --out-dir "$work/bound" --out-name "$name" "$work/split/$name.wasm"

chunks="$stage/$name"
rm -rf "$chunks"
mkdir -p "$chunks"
for piece in "$work"/split/*.wasm; do
  [ "$(basename "$piece")" = "$name.wasm" ] || cp "$piece" "$chunks/"
done
# The loader imports the main module as `./<name>.js`: one folder up now.
sed "s#\"\\./$name\\.js\"#\"../$name.js\"#g; s#'\\./$name\\.js'#'../$name.js'#g" \
  "$work/split/__wasm_split.js" >"$chunks/__wasm_split.js"
# Only the JS import specifier moves; the wasm import module's name "./__wasm_split.js" stays.
sed "s#from '\\./__wasm_split\\.js'#from './$name/__wasm_split.js'#; s#from \"\\./__wasm_split\\.js\"#from \"./$name/__wasm_split.js\"#" \
  "$work/bound/$name.js" >"$stage/$name.js"
cp "$work/bound/${name}_bg.wasm" "$stage/${name}_bg.wasm"
# The page fetched the loader only once the main JS had arrived and been parsed (its one import),
# and the main JS cannot run before it: a second round trip before anything runs. trunk wrote
# index.html before this hook, with a modulepreload link for the main JS; one beside it for the
# loader fetches both at once (the same tag, the same public URL, the loader's path).
html="$stage/index.html"
if [ -f "$html" ]; then
  NAME="$name" perl -0pi -e 's{(<link\b[^>]*?\Q$ENV{NAME}\E\.js\b[^>]*>)}{my $l = $1; my $c = $l; $c =~ s/\Q$ENV{NAME}\E\.js/$ENV{NAME}\/__wasm_split.js/; $l =~ /modulepreload/ ? "$l$c" : $l}ge' "$html"
  grep -q "$name/__wasm_split.js" "$html" || { echo "split-wasm: no modulepreload link for $name.js in $html" >&2; exit 1; }
  # The other pages' stylesheet (style/pages.css, which trunk hashed, minified and linked as it
  # did main.css) is not the first load's either: it goes beside the route modules, and a
  # <meta> naming it takes its link's place (src/split/stylesheet.rs links it with the first
  # page past the customer list). Its name keeps trunk's content hash.
  pages_css=$(find "$stage" -maxdepth 1 -regextype posix-extended -regex ".*/pages-[0-9a-f]+\.css" | head -n 1)
  [ -n "$pages_css" ] || { echo "split-wasm: trunk wrote no pages-<hash>.css (index.html links style/pages.css)" >&2; exit 1; }
  mv "$pages_css" "$chunks/"
  CSS="$(basename "$pages_css")" NAME="$name" perl -0pi -e 's{<link\b[^>]*?\bhref="?([^" >]*?)\Q$ENV{CSS}\E"?[^>]*>}{<meta name="reservation-desk-pages-css" content="$1$ENV{NAME}/$ENV{CSS}">}' "$html"
  grep -q "content=\"[^\"]*$name/$(basename "$pages_css")\"" "$html" || { echo "split-wasm: no link to $(basename "$pages_css") in $html" >&2; exit 1; }
fi
[ -d "$work/bound/snippets" ] && cp -r "$work/bound/snippets" "$stage/"

split_seconds=$SECONDS
if [ "$TRUNK_PROFILE" = release ]; then
  # -Oz as trunk calls it, with three of binaryen's passes around it that make each piece smaller
  # after gzip: the functions ordered by name (a generic's copies side by side compress better),
  # the control flow flattened and rebuilt (--flatten --rereloop), and functions that differ only
  # in constants merged (--merge-similar-functions), then -Oz again. On the first module: about
  # 3 KiB less gzip than -Oz alone after one round, 1.6 KiB less again after a second (a third
  # finds nothing); on the largest route module (`money`) about 20 after one.
  # The pieces are independent: one wasm-opt per core at a time. The rounds are most of the
  # release build's hook, so each piece gets what pays: the main module, whose first load is the
  # budget, two rounds; every route module and shared chunk one.
  round="--flatten --rereloop -Oz --merge-similar-functions -Oz"
  main="$stage/${name}_bg.wasm"
  export wasm_opt round main
  printf '%s\0' "$main" "$chunks"/*.wasm | xargs -0 -P "$(nproc)" -I '{}' bash -c '
    piece=$1 passes=$round
    [ "$piece" != "$main" ] || passes="$round $round"
    exec "$wasm_opt" --reorder-functions-by-name $passes "$piece" -o "$piece"' _ '{}'
  # The bindings and the loader are in the first load: minified (terser, from tools/). The
  # loader is only mangled, and keeps its `/* module, … */` comments: they name the modules each
  # shared chunk is fetched with, which bench/chunks.mjs reads for the size table.
  "$terser" "$stage/$name.js" --module --compress --mangle --output "$stage/$name.js"
  "$terser" "$chunks/__wasm_split.js" --module --mangle --comments '/^ [a-z_, ]+ $/' --output "$chunks/__wasm_split.js"
fi
# How long each part took: binaryen's rounds are most of a release build's hook (docs/performance.md).
echo "split-wasm: split and bound in ${split_seconds} s, optimized in $((SECONDS - split_seconds)) s"
echo "split-wasm: $(basename "$raw") → ${name}_bg.wasm ($(wc -c <"$stage/${name}_bg.wasm") B) and $(ls "$chunks" | grep -c '\.wasm$') modules in $name/"
