#!/usr/bin/env python3
"""Finds circles in the import graph between the files of each crate of the workspace.

A file is a module (`lib.rs`/`main.rs` the crate root, `a.rs` or `a/mod.rs` the module `a`,
`a/b.rs` the module `a::b`). A file depends on another when its code names a path into it:
`use crate::a::b::Thing`, `super::Thing`, `crate::a::f()` in an expression. A module's own
`mod`, `pub mod` and `pub use` lines are its table of contents, not a dependency, and a file's
`#[cfg(test)]` tests are left out: they may use anything.

Every circle (a strongly connected set of files) must be named in ARCHITECTURE.md under
"Import circles that remain", as its files joined by " ↔ " in the order this script prints them;
a circle found and not named there, or named and no longer found, fails the check.

Usage: scripts/import-cycles.py [--print]   (from the repository's root)
"""
import re
import sys
from pathlib import Path

CRATES = {
    "reservation-desk (SPA)": Path("src"),
    "quote-engine": Path("crates/quote-engine/src"),
    "contract": Path("crates/contract/src"),
    "desk-service": Path("crates/service/src"),
    "desk": Path("crates/desk/src"),
    "azure-api": Path("crates/azure-api/src"),
    "azure-client": Path("crates/azure-client/src"),
    "reservation-desk-server": Path("crates/server/src"),
}
ROOTS = ("lib.rs", "main.rs")
NAMED_HEADING = "### Import circles that remain"


def module_of(src: Path, file: Path):
    rel = file.relative_to(src)
    parts = list(rel.parts)
    if len(parts) == 1 and parts[0] in ROOTS:
        return ()
    if parts[-1] == "mod.rs":
        parts = parts[:-1]
    else:
        parts[-1] = parts[-1][:-3]
    return tuple(parts)


def strip_comments_and_tests(text: str) -> str:
    token = re.compile(r'r(#*)"[\s\S]*?"\1|b?"(?:\\.|[^"\\])*"|//[^\n]*|/\*[\s\S]*?\*/|b?\'(?:\\.|[^\'\\])\'')
    text = token.sub(lambda m: '""' if m.group(0).endswith(('"', "'")) and not m.group(0).startswith("/") else " ", text)
    m = re.search(r"#\[cfg\(test\)\]\s*(pub\s+)?mod\s+\w+\s*\{", text)
    if m:
        text = text[: m.start()]
    return text


def expand_use(tree: str):
    """`a::{b, c::{d, e}}` → ["a::b", "a::c::d", "a::c::e"]."""
    tree = tree.strip()
    depth = 0
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                prefix = tree[:i]
                inner = tree[i + 1 : tree.rindex("}")]
                items, cur, d = [], "", 0
                for c in inner:
                    if c == "," and d == 0:
                        items.append(cur)
                        cur = ""
                        continue
                    d += c == "{"
                    d -= c == "}"
                    cur += c
                items.append(cur)
                out = []
                for it in items:
                    if it.strip():
                        out.extend(prefix + p for p in expand_use(it))
                return out
            depth += 1
    return [re.sub(r"\s+as\s+\w+$", "", tree)]


def references(text: str):
    """The `crate::…`, `super::…` and `self::…` paths a file's code names, re-exports left out."""
    paths = []
    for m in re.finditer(r"(?:^|[;{}\n])\s*((?:pub(?:\([^)]*\))?\s+)?)use\s+([^;]+);", text):
        if m.group(1).strip():
            continue  # `pub use`: the module's table of contents
        paths.extend(p.replace(" ", "").replace("\n", "") for p in expand_use(m.group(2)))
    body = re.sub(r"(?:^|[;{}\n])\s*(?:pub(?:\([^)]*\))?\s+)?use\s+[^;]+;", "\n", text)
    paths.extend(m.group(0) for m in re.finditer(r"\b(?:crate|super|self)(?:::\w+)+", body))
    return paths


def resolve(path: str, here, is_dir_module: bool, modules):
    segs = path.split("::")
    if segs[0] == "crate":
        base, segs = (), segs[1:]
    elif segs[0] in ("super", "self"):
        # a file `a/b.rs` (module a::b) has `self` = a::b and `super` = a
        base = here
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    else:
        return None
    node = base
    for s in segs:
        if node + (s,) in modules:
            node = node + (s,)
        else:
            break
    return node


def graph(src: Path):
    files = {}
    for f in sorted(src.rglob("*.rs")):
        files[module_of(src, f)] = f
    edges = {m: set() for m in files}
    for mod, f in files.items():
        text = strip_comments_and_tests(f.read_text())
        for p in references(text):
            target = resolve(p, mod, f.name in ROOTS + ("mod.rs",), files)
            if target is None or target == mod or target not in files:
                continue
            edges[mod].add(target)
    return files, edges


def circles(edges):
    """Tarjan's strongly connected components of more than one file."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def name(src: Path, files, mod) -> str:
    return str(files[mod])


def main():
    found = set()
    report = []
    for crate, src in CRATES.items():
        files, edges = graph(src)
        for comp in circles(edges):
            names = sorted(name(src, files, m) for m in comp)
            line = " ↔ ".join(names)
            found.add(line)
            detail = []
            members = set(comp)
            for m in sorted(comp):
                for t in sorted(edges[m] & members):
                    detail.append(f"    {files[m]} → {files[t]}")
            report.append(f"{crate}: {line}\n" + "\n".join(detail))
    if "--print" in sys.argv:
        print("\n".join(report) if report else "no import circles")
        return 0
    arch = Path("ARCHITECTURE.md").read_text()
    named = set()
    if NAMED_HEADING in arch:
        section = arch.split(NAMED_HEADING, 1)[1].split("\n#", 1)[0]
        named = {m.group(1).strip() for m in re.finditer(r"^- `([^`]+↔[^`]+)`", section, re.M)}
    unnamed = sorted(found - named)
    gone = sorted(named - found)
    for line in unnamed:
        print(f"import circle not named in ARCHITECTURE.md ({NAMED_HEADING}): `{line}`")
    for line in gone:
        print(f"ARCHITECTURE.md names an import circle that no longer exists: `{line}`")
    if unnamed or gone:
        print("\n".join(report))
        return 1
    print(f"import-cycles: {sum(1 for _ in CRATES)} crates, {len(found)} named circle(s), none other")
    return 0


if __name__ == "__main__":
    sys.exit(main())
