#!/usr/bin/env bash
# The commands the documentation tells a reader to run, kept honest.
#
#   scripts/doc-commands.sh check      every fenced block of every Markdown file in the repository
#                                      follows the convention below (else file:line and why)
#   scripts/doc-commands.sh list       the names of the tested blocks
#   scripts/doc-commands.sh run NAME   runs the tested block NAME as written, from the repository
#                                      root, in a new shell with nothing of this one: only HOME and
#                                      PATH=/usr/bin:/bin:~/.cargo/bin (so nothing that
#                                      scripts/setup.sh puts on PATH helps it)
#   scripts/doc-commands.sh self-test  the checker against small examples
#
# The convention, in README.md, docs/*.md and every other Markdown file git tracks:
# - commands are fenced ```bash; every other fenced block names its language (```text, ```json,
#   ```toml, ```nginx, …). A bare ``` and ```sh, ```shell, ```console fail the check.
# - a block that the tests run has `<!-- tested: NAME -->` on the line directly above its opening
#   fence; the names are TESTED below, each exactly once in all the files, and scripts/test.sh
#   runs each of them with `scripts/doc-commands.sh run NAME`.
# - every other ```bash block has, on the line directly above its opening fence, a line
#   `*Not run by the tests: <why>.*` (for example: it configures a reverse proxy).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The blocks scripts/test.sh runs, and where:
#   release-build-server, release-build-pages  its release builds, which the end-to-end step serves
#   backup, audit-verify                       against the server it starts with the documented
#                                              defaults (127.0.0.1:3000, data/reservation-desk.sqlite)
TESTED="release-build-server release-build-pages backup audit-verify"

# blocks MODE TESTED_NAMES NAME -- FILE…: MODE check (NAME "") prints each problem as
# file:line: why and fails if there is one; MODE extract prints the tested block NAME (without the
# indentation of its fence, as in a list item) and fails if there is none.
blocks() {
  local mode=$1 tested=$2 want=$3
  shift 4
  awk -v mode="$mode" -v tested="$tested" -v want="$want" '
    function problem(line, why) { if (mode == "check") printf "%s:%d: %s\n", file, line, why; bad++ }
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    function end_of_file() {
      if (open) problem(open_line, "this fenced block is never closed")
      if (marker_line) problem(marker_line, "<!-- tested: --> must be directly above an opening ```bash fence")
      open = 0; marker_line = 0
    }
    BEGIN { n = split(tested, names, " "); for (i = 1; i <= n; i++) expected[names[i]] = 1 }
    FNR == 1 { end_of_file(); file = FILENAME; prev = "" }
    open {
      line = trim($0)
      if (line ~ /^(```|~~~)/ && substr(line, 1, 1) == substr(fence, 1, 1)) {
        rest = line; gsub(/[`~]/, "", rest)
        if (rest == "" && length(line) >= length(fence)) { open = 0; prev = $0; next }
      }
      if (name != "") {
        line = $0
        for (i = 0; i < indent && substr(line, 1, 1) ~ /[ \t]/; i++) line = substr(line, 2)
        body[name] = body[name] line "\n"
      }
      prev = $0; next
    }
    /^[ \t]*(```|~~~)/ {
      line = $0; sub(/^[ \t]+/, "", line); indent = length($0) - length(line)
      fence = line; sub(/[^`~].*$/, "", fence)
      info = trim(substr(line, length(fence) + 1)); sub(/[ \t].*$/, "", info)
      open = 1; open_line = FNR; name = ""
      above = trim(prev)
      marked = above ~ /^\*Not run by the tests:/ && above ~ /\*$/ && trim(substr(above, 23, length(above) - 23)) != ""
      if (info == "") problem(FNR, "a fenced block names its language: ```bash for commands, else ```text, ```json, ```toml, …")
      else if (info ~ /^(sh|shell|console|zsh|shell-session)$/) problem(FNR, "```" info ": use ```bash")
      else if (info != "bash" && marker_line) problem(FNR, "<!-- tested: --> above a ```" info " block: only ```bash blocks run")
      else if (info == "bash" && marker_line) {
        name = marker
        if (name in where) problem(FNR, "the tested name " name " is used twice (also at " where[name] ")")
        else if (!(name in expected)) problem(FNR, "the tested name " name " is not one that scripts/test.sh runs (" tested ")")
        where[name] = file ":" FNR
      } else if (info == "bash" && !marked)
        problem(FNR, "a ```bash block needs, directly above it, <!-- tested: NAME --> or *Not run by the tests: why.*")
      marker_line = 0; prev = $0; next
    }
    {
      if (marker_line) problem(marker_line, "<!-- tested: --> must be directly above an opening ```bash fence")
      marker_line = 0
      line = trim($0)
      if (line ~ /^<!-- *tested:/) {
        marker = line; sub(/^<!-- *tested: */, "", marker); sub(/ *-->$/, "", marker)
        if (line !~ /-->$/ || marker !~ /^[a-z0-9][a-z0-9-]*$/) problem(FNR, "write a tested block'\''s name as <!-- tested: lower-case-name -->")
        else marker_line = FNR
      }
      prev = $0
    }
    END {
      end_of_file()
      if (mode == "extract") { if (!(want in body)) exit 1; printf "%s", body[want]; exit 0 }
      for (i = 1; i <= n; i++) if (!(names[i] in where)) { printf "no block is marked <!-- tested: %s --> (scripts/test.sh runs it)\n", names[i]; bad++ }
      exit bad > 0
    }' "$@"
}

# The Markdown files git tracks (a new one once it is added), wherever they are.
markdown_files() {
  local file
  git -C "$ROOT" ls-files -- '*.md' ':!:tools/node_modules/**' |
    while IFS= read -r file; do [ -f "$ROOT/$file" ] && echo "$file"; done
}

check() {
  local files started=$SECONDS
  mapfile -t files < <(markdown_files)
  (cd "$ROOT" && blocks check "$TESTED" "" -- "${files[@]}") || {
    echo "doc-commands.sh: the fenced blocks above break the convention (see the top of scripts/doc-commands.sh)" >&2
    return 1
  }
  echo "doc-commands.sh: ${#files[@]} Markdown files, every fenced block as agreed; tested: $TESTED ($((SECONDS - started)) s)"
}

run() {
  local name=$1 files block
  mapfile -t files < <(markdown_files)
  block="$(cd "$ROOT" && blocks extract "$TESTED" "$name" -- "${files[@]}")" ||
    { echo "doc-commands.sh: no block marked <!-- tested: $name --> in ${files[*]}" >&2; return 1; }
  printf '\033[1m$ %s\033[0m\n' "$block" >&2
  cd "$ROOT"
  env -i HOME="$HOME" PATH=/usr/bin:/bin:"$HOME/.cargo/bin" bash -euo pipefail -c "$block"
}

# Each case: a Markdown file, then what the check must say about it ("ok" for nothing).
self_test() {
  local dir failed=0 i=0 expect out status
  dir="$(mktemp -d)"
  case_md() { i=$((i + 1)); expect=$1; cat >"$dir/$i.md"; }
  verify() {
    status=0
    out="$(cd "$dir" && blocks check "alpha beta" "" -- "$i.md" 2>&1)" || status=$?
    if { [ "$expect" = ok ] && [ "$status" != 0 ]; } || { [ "$expect" != ok ] && { [ "$status" = 0 ] || ! grep -qF -- "$expect" <<<"$out"; }; }; then
      printf 'self-test case %s: expected %s, got (status %s):\n%s\n' "$i" "$expect" "$status" "$out" >&2
      failed=1
    fi
  }
  bt='```'
  case_md ok <<EOF
Intro.

<!-- tested: alpha -->
${bt}bash
echo alpha
${bt}

1. In a list:
   <!-- tested: beta -->
   ${bt}bash
   echo "beta \\
     continued"
   ${bt}
2. Elsewhere:
   *Not run by the tests: it configures a reverse proxy.*
   ${bt}bash
   nginx -s reload
   ${bt}

${bt}text
plain
${bt}

~~~json
{"a": "${bt}"}
~~~
EOF
  verify
  [ "$(cd "$dir" && blocks extract "alpha beta" beta -- "$i.md")" = "$(printf 'echo "beta \\\n  continued"')" ] ||
    { echo "self-test: the block beta was not extracted without its list indentation" >&2; failed=1; }
  ! (cd "$dir" && blocks extract "alpha beta" gamma -- "$i.md" >/dev/null) ||
    { echo "self-test: extracting a name that is not there succeeded" >&2; failed=1; }
  local one="<!-- tested: alpha -->
${bt}bash
true
${bt}
<!-- tested: beta -->
${bt}bash
true
${bt}"
  case_md "a fenced block names its language" <<<"$(printf '%s\n\n%s\nx\n%s\n' "$one" "$bt" "$bt")"; verify
  case_md '```sh: use ```bash' <<<"$(printf '%s\n\n%s\nls\n%s\n' "$one" "${bt}sh" "$bt")"; verify
  case_md '```console: use ```bash' <<<"$(printf '%s\n\n%s\nls\n%s\n' "$one" "${bt}console" "$bt")"; verify
  case_md "a \`\`\`bash block needs" <<<"$(printf '%s\n\n%s\nls\n%s\n' "$one" "${bt}bash" "$bt")"; verify
  case_md "a \`\`\`bash block needs" <<<"$(printf '%s\n\n*Not run by the tests: *\n%s\nls\n%s\n' "$one" "${bt}bash" "$bt")"; verify
  case_md "a \`\`\`bash block needs" <<<"$(printf '%s\n\n*Not run by the tests: why*\n\n%s\nls\n%s\n' "$one" "${bt}bash" "$bt")"; verify
  case_md "the tested name alpha is used twice" <<<"$(printf '%s\n\n<!-- tested: alpha -->\n%s\nls\n%s\n' "$one" "${bt}bash" "$bt")"; verify
  case_md "the tested name gamma is not one" <<<"$(printf '%s\n\n<!-- tested: gamma -->\n%s\nls\n%s\n' "$one" "${bt}bash" "$bt")"; verify
  case_md "no block is marked <!-- tested: beta -->" <<<"$(printf '<!-- tested: alpha -->\n%s\nls\n%s\n' "${bt}bash" "$bt")"; verify
  case_md "must be directly above" <<<"$(printf '%s\n\n<!-- tested: gamma -->\n\n%s\nls\n%s\n' "$one" "${bt}bash" "$bt")"; verify
  case_md "only \`\`\`bash blocks run" <<<"$(printf '%s\n\n<!-- tested: gamma -->\n%s\nls\n%s\n' "$one" "${bt}text" "$bt")"; verify
  case_md "never closed" <<<"$(printf '%s\n\n%s\nls\n' "$one" "${bt}text")"; verify
  rm -rf "$dir"
  [ "$failed" = 0 ] || return 1
  echo "doc-commands.sh self-test: $i cases ok"
}

case "${1:-}" in
  check) check ;;
  list) printf '%s\n' $TESTED ;;
  run) [ $# = 2 ] || { echo "usage: $0 run NAME (one of: $TESTED)" >&2; exit 2; }; run "$2" ;;
  self-test) self_test ;;
  *) echo "usage: $0 check | list | run NAME | self-test" >&2; exit 2 ;;
esac
