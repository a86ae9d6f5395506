// The route split's size table (src/split/, scripts/split-wasm.sh): what the first load fetches,
// and per split module what opening it the first time adds (its own module and the shared chunks
// it needs, read from the loader's `/* module, … */` comments). Local gzip -9 and brotli q11.
// Usage: node bench/chunks.mjs <dist> [title]   Prints a Markdown table.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const [dist, title = dist] = process.argv.slice(2);
if (!dist) throw new Error('usage: node bench/chunks.mjs <dist> [title]');

const size = (path) => {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const zero = { raw: 0, gzip: 0, brotli: 0 };
const kib = (n) => (n / 1024).toFixed(1);
const row = (label, s, files) => console.log(`| ${label} | ${files} | ${kib(s.raw)} | ${kib(s.gzip)} | ${kib(s.brotli)} |`);

const top = readdirSync(dist);
const main = top.find((n) => /^reservation-desk-[0-9a-f]+_bg\.wasm$/.test(n));
if (!main) throw new Error(`${dist}: no reservation-desk-<hash>_bg.wasm`);
const folder = join(dist, main.replace(/_bg\.wasm$/, ''));
if (!existsSync(join(folder, '__wasm_split.js'))) throw new Error(`${folder}: no __wasm_split.js (not a split build)`);

// The first load: the page's wasm, JS (the bindings and the split loader) and CSS.
let first = zero;
let count = 0;
for (const name of top) {
  if (['.wasm', '.js', '.css'].includes(extname(name))) { first = add(first, size(join(dist, name))); count += 1; }
}
first = add(first, size(join(folder, '__wasm_split.js')));
count += 1;

// Which split modules need each shared chunk: `/* audit, customer */ … "./chunk_9.wasm"` (the
// comment, then the chunk's file; terser keeps the comments).
const loader = readFileSync(join(folder, '__wasm_split.js'), 'utf8');
const users = new Map();
for (const [, list, chunk] of loader.matchAll(/\/\* ([a-z_, ]+) \*\/[^]*?\.\/(chunk_\d+)\.wasm/g)) {
  users.set(`${chunk}.wasm`, list.split(',').map((s) => s.trim()));
}
const modules = readdirSync(folder).filter((n) => /^split_[a-z_]+\.wasm$/.test(n)).map((n) => n.slice(6, -5));

console.log(`\n| ${title} | files | raw (KiB) | gzip -9 (KiB) | brotli (KiB) |`);
console.log('|---|---|---|---|---|');
row('**first load** (the customer list)', first, count);
for (const module of modules.sort()) {
  let total = size(join(folder, `split_${module}.wasm`));
  let files = 1;
  for (const [chunk, needed] of users) {
    if (needed.includes(module)) { total = add(total, size(join(folder, chunk))); files += 1; }
  }
  row(`+ opening \`${module}\` the first time (its module and the shared chunks it needs)`, total, files);
}
// The other pages' stylesheet (style/pages.css): beside the modules, fetched with the first page
// past the customer list, whichever it is (scripts/split-wasm.sh, src/split/stylesheet.rs).
const sheet = readdirSync(folder).find((n) => /^pages-[0-9a-f]+\.css$/.test(n));
if (sheet) row('+ the other pages\' stylesheet, with the first page past the customer list', size(join(folder, sheet)), 1);
let all = zero;
for (const name of readdirSync(folder).filter((n) => n.endsWith('.wasm'))) all = add(all, size(join(folder, name)));
row('all split modules and chunks (each fetched once, on demand)', all, readdirSync(folder).filter((n) => n.endsWith('.wasm')).length);
console.log(`FIRST_LOAD_GZIP_KIB=${kib(first.gzip)}`);
