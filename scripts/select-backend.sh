#!/usr/bin/env bash
# Makes one built app (a trunk stage or a dist/ folder, already split by scripts/split-wasm.sh)
# the build of one backend. The compiled app is the same for both; the page says which it talks
# to (src/api/base.rs), and the server's build leaves out what only the other runs.
#   RESERVATION_DESK_API set (e.g. /api): the server's build. index.html names the API base
#     (`<meta name="reservation-desk-api">`) and starts the first screen's requests while the
#     wasm loads; the in-browser backend's modules (the desk over the demo data: `backend`,
#     `backend_first_screen` and the chunks only they fetch) are deleted, so a server in Azure mode
#     serves nothing of the demo. A file that still holds the demo seed fails the script.
#   Unset: the static build (GitHub Pages), which runs the desk in the browser.
# Either way desk-backend.txt says which (the server reads it at start and, in Azure mode,
# refuses a build that runs the in-browser demo: crates/server/src/static_files.rs).
# Usage: [RESERVATION_DESK_API=/api] scripts/select-backend.sh <dir>   (a trunk post_build hook
# passes $TRUNK_STAGING_DIR; scripts/derive-server-build.sh a copy of the static build).
set -euo pipefail
dir="${1:?usage: [RESERVATION_DESK_API=/api] scripts/select-backend.sh <dir>}"
fail() { echo "select-backend: $*" >&2; exit 1; }
html="$dir/index.html"
bg=$(find "$dir" -maxdepth 1 -regextype posix-extended -regex ".*/reservation-desk-[0-9a-f]+_bg\.wasm" | head -n 1)
# Other trunk builds (the benchmark pages) have no split app: left alone.
[ -n "$bg" ] || exit 0
[ -f "$html" ] || fail "$html not found"
name=$(basename "$bg" _bg.wasm)
modules="$dir/$name"
loader="$modules/__wasm_split.js"
[ -f "$loader" ] || fail "$loader not found: run scripts/split-wasm.sh first"
grep -q 'name="\?reservation-desk-api' "$html" && fail "$html names a backend already"

if [ -z "${RESERVATION_DESK_API:-}" ]; then
  echo in-browser >"$dir/desk-backend.txt"
  exit 0
fi
api="$RESERVATION_DESK_API"
[[ "$api" =~ ^[A-Za-z0-9/:._~-]+$ ]] || fail "RESERVATION_DESK_API=$api: a URL path or address such as /api"
echo http >"$dir/desk-backend.txt"

# The API base, before the title (trunk's minified HTML has no <head> tag to look for).
META="<meta name=\"reservation-desk-api\" content=\"$api\">" perl -0pi -e 's{<title}{$ENV{META}<title}' "$html"
grep -q 'reservation-desk-api' "$html" || fail "the API base was not written into $html"
# The first screen's requests (who is signed in, and on the customer list its rows) leave while
# the wasm loads, not after it has started; src/api/transport.rs (`early`) takes each answer
# once, if asked with the token it signs in with now (the same reading as src/session.rs: the
# OIDC tokens in sessionStorage while unexpired, else the demo token in localStorage). The
# server's CSP allows this inline script by its hash, as trunk's loader (crates/server/src/edge.rs
# hashes every inline script). A request that fails leaves `undefined`: the app then asks itself.
early="<script>(function(){try{var a=\"$api\",o=JSON.parse(sessionStorage.getItem(\"reservation-desk/oidc-tokens\")||\"null\"),t=o?(o.expiresAt>Date.now()?o.accessToken:null):localStorage.getItem(\"reservation-desk/token\");if(!t)return;var e={token:t},b=new URL(document.baseURI).pathname,p=location.pathname,g=function(u){e[a+u]=fetch(a+u,{headers:{Authorization:\"Bearer \"+t}}).catch(function(){})};g(\"/me\");if(p===b||p===b+\"customers\"||p===b+\"customers/\")g(\"/customers?search=\");window.__deskEarly=e}catch(x){}})()</script>"
EARLY="$early" perl -0pi -e 's{<script}{$ENV{EARLY}<script}' "$html"
grep -q "__deskEarly" "$html" || fail "the early requests' script was not written into $html"

# The in-browser backend's modules: its split points' own (split_<name>.wasm) and each shared
# chunk that the loader fetches for them alone. The loader names, in a `/* module, … */` comment
# before each chunk's fetch, the modules it is fetched with (on one line in a release build, on
# the lines before in a debug build): every chunk must be so named, or the script fails rather
# than leave one in place unread.
in_browser="backend backend_first_screen"
removed=0
for module in $in_browser; do
  [ -f "$modules/split_$module.wasm" ] || fail "$modules/split_$module.wasm not found (src/split/ renamed it?)"
  rm -f "$modules/split_$module.wasm"{,.br,.gz}
  removed=$((removed + 1))
done
only_theirs="$(IN_BROWSER="$in_browser" perl -0777 -ne '
  my %only = map { $_ => 1 } split / /, $ENV{IN_BROWSER};
  my %fetched = map { $_ => 1 } m{["\x27]\./(chunk_\d+\.wasm)["\x27]}g;
  my %named;
  while (m{/\* ([a-z_, ]+) \*/((?:(?!/\*).)*?)["\x27]\./(chunk_\d+\.wasm)["\x27]}gs) {
    my ($names, $chunk) = ($1, $3);
    $named{$chunk} = 1;
    print "$chunk\n" unless grep { !$only{$_} } split /, /, $names;
  }
  my @unnamed = grep { !$named{$_} } sort keys %fetched;
  if (@unnamed) { print STDERR "select-backend: the loader names no module for @unnamed\n"; exit 1 }
  exit 1 unless %fetched;
' "$loader")" || fail "$loader: the chunks and the modules they are fetched with could not all be read"
for chunk in $only_theirs; do
  rm -f "$modules/$chunk"{,.br,.gz}
  removed=$((removed + 1))
done
# The demo's seed (crates/service/src/seed.rs: its resource groups, its own source path in a
# panic message) must be gone with them.
if grep -rlE "rg-web-prod|rg-data-dev|crates/service/src/seed\.rs" "$dir" --include='*.wasm' --include='*.js'; then
  fail "the files above hold the demo seed: the server's build must serve nothing of the demo"
fi
echo "select-backend: the server's build (API at $api): $removed modules of the in-browser backend left out"
