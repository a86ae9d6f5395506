// Performance report: first-load transfer sizes and time to first useful paint, for the app and
// for a minimal Leptos counter built with the same profile in the same run.
// Usage (scripts/bench.sh sets it up):
//   node bench/report.mjs <app dist> <counter dist> <English-only app dist>
// Env: APP_URL (the app served by the real server), COUNTER_URL, BENCH_URL (bench/browser's
// page: engine throughput and the Portfolio tab over 10,000 reservations; unset: the sizes and
// paint times alone, without that page's build), LOADS (default 15).
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { launch } from '../tests/e2e/browser.mjs';

const [appDist, counterDist, englishDist] = process.argv.slice(2);
const LOADS = Number(process.env.LOADS ?? 15);

function sizes(dir) {
  const rows = {};
  for (const name of readdirSync(dir)) {
    const kind = { '.wasm': 'wasm', '.js': 'js', '.css': 'css' }[extname(name)];
    if (!kind) continue;
    const bytes = readFileSync(join(dir, name));
    const row = (rows[kind] ??= { raw: 0, gzip: 0, brotli: 0 });
    row.raw += bytes.length;
    row.gzip += gzipSync(bytes, { level: 9 }).length;
    row.brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  rows.total = Object.values(rows).reduce(
    (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
    { raw: 0, gzip: 0, brotli: 0 });
  return rows;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

/**
 * Milliseconds from navigation start until `selector` is first in the DOM, median of LOADS fresh
 * loads. The time is taken inside the page: an init script (it runs before the page's own
 * scripts) watches the document with a MutationObserver and puts a `performance.mark` on the
 * mutation that inserts the first match; the mark is read back after the load. Playwright's
 * round trips (waitForSelector's polling, evaluate) are not part of the figure.
 */
async function paintTime(browser, url, selector) {
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext();
    await context.addInitScript((sel) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector(sel)) {
          performance.mark('bench:first-match');
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    }, selector);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector(selector);
    const marks = await page.evaluate(() => performance.getEntriesByName('bench:first-match').map((m) => m.startTime));
    if (marks.length !== 1) throw new Error(`${url}: expected one in-page mark for ${selector}, got ${marks.length}`);
    times.push(marks[0]);
    await context.close();
  }
  return median(times);
}

const kb = (n) => (n / 1024).toFixed(1);
const app = sizes(appDist);
const counter = sizes(counterDist);
const browser = await launch();
const appMs = await paintTime(browser, `${process.env.APP_URL}/customers`, 'table.data-table tbody tr');
const counterMs = await paintTime(browser, `${process.env.COUNTER_URL}/`, 'button');
let inBrowser = null;
if (process.env.BENCH_URL) {
  const benchPage = await browser.newPage();
  await benchPage.goto(`${process.env.BENCH_URL}/`);
  await benchPage.waitForSelector('#results[data-done]', { timeout: 120_000 });
  inBrowser = JSON.parse(await benchPage.textContent('#results'));
}
await browser.close();
// The page reports a step that did not happen (a missing filter, no rows changed, a quote
// error) as `error` and sets data-failed: no figure is printed from a run that did not measure.
if (inBrowser?.error) {
  console.error(`bench/browser failed: ${inBrowser.error}`);
  process.exit(1);
}

console.log(`\n| first load (KiB) | raw | gzip | brotli | counter raw | counter gzip | counter brotli |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const kind of ['wasm', 'js', 'css', 'total']) {
  const a = app[kind] ?? { raw: 0, gzip: 0, brotli: 0 };
  const c = counter[kind] ?? { raw: 0, gzip: 0, brotli: 0 };
  console.log(`| ${kind} | ${kb(a.raw)} | ${kb(a.gzip)} | ${kb(a.brotli)} | ${kb(c.raw)} | ${kb(c.gzip)} | ${kb(c.brotli)} |`);
}
console.log(`\n| time to first useful paint (marked in the page when inserted), median of ${LOADS} loads | ms |`);
console.log(`|---|---|`);
console.log(`| app: navigation start → first customer list row inserted | ${appMs.toFixed(1)} |`);
console.log(`| counter: navigation start → button inserted | ${counterMs.toFixed(1)} |`);
console.log(`| ratio app / counter | ${(appMs / counterMs).toFixed(2)} |`);

if (englishDist) {
  const english = sizes(englishDist).wasm;
  const five = app.wasm;
  const growth = (a, b) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  console.log(`\n| wasm (KiB) | raw | gzip | brotli |`);
  console.log(`|---|---|---|---|`);
  console.log(`| English only (RESERVATION_DESK_LOCALES=en) | ${kb(english.raw)} | ${kb(english.gzip)} | ${kb(english.brotli)} |`);
  console.log(`| all five languages | ${kb(five.raw)} | ${kb(five.gzip)} | ${kb(five.brotli)} |`);
  console.log(`| growth | ${growth(five.raw, english.raw)} | ${growth(five.gzip, english.gzip)} | ${growth(five.brotli, english.brotli)} |`);
}

if (!inBrowser) process.exit(0);
const { engine, portfolio } = inBrowser;
console.log(`\n| in the browser (Chromium, release wasm) | figure |`);
console.log(`|---|---|`);
console.log(`| refund quote (partner-center-2020/upfront) | ${engine.microsPerQuote.toFixed(2)} µs → ${Math.round(engine.quotesPerSecond)} quotes/s |`);
console.log(`| ${portfolio.reservations} reservations: re-quote all (the engine alone) | ${portfolio.requoteMs.toFixed(1)} ms |`);
console.log(`| … the customer page before the tab opens (its reservation table of the ${portfolio.reservations}) | ${portfolio.customerPageMs.toFixed(1)} ms |`);
console.log(`| … Portfolio tab, first render (all quoted and recommended, ${portfolio.rowsAll} rows on the first page; target ≤ 100 ms) | ${portfolio.firstRenderMs.toFixed(1)} ms |`);
const changed = portfolio.keystrokes.map((k) => `${k.family} ${k.matching} (${k.rowsChanged} of ${k.rowsShown} rows changed)`).join('; ');
console.log(`| … one keystroke in a filter (family) until the table is updated, median of ${portfolio.keystrokes.length} (target ≤ 16 ms) | ${portfolio.keystrokeMedianMs.toFixed(1)} ms |`);
console.log(`| … reservations matching each filter (rows on the page that changed) | ${changed} |`);
const searched = portfolio.searches.map((k) => `"${k.text}" ${k.matching} (${k.rowsChanged} of ${k.rowsShown} rows changed)`).join('; ');
console.log(`| … one keystroke in the search box until the table is updated, median of ${portfolio.searches.length} (target ≤ 16 ms) | ${portfolio.searchMedianMs.toFixed(1)} ms |`);
console.log(`| … reservations matching each search (rows on the page that changed) | ${searched} |`);
const { worklist } = inBrowser;
console.log(`| Worklist, ${worklist.customers} customers × ${worklist.reservations / worklist.customers} reservations: ${worklist.rows} rows, the API's JSON (${(worklist.jsonBytes / 1024).toFixed(0)} KiB) read | ${worklist.parseMs.toFixed(1)} ms |`);
console.log(`| … Worklist, first render (rows worded, the first page (PAGE_SIZE rows) in the DOM; target ≤ 100 ms) | ${worklist.firstRenderMs.toFixed(1)} ms |`);
console.log(`| … one keystroke in the search box / a change of the reason filter until the table is updated, median of 5 each (target ≤ 100 ms) | ${worklist.searchMedianMs.toFixed(1)} / ${worklist.reasonMedianMs.toFixed(1)} ms |`);
// For scripts/bench.sh: the native figure is appended next to this one.
console.log(`BROWSER_QUOTES_PER_SECOND=${Math.round(engine.quotesPerSecond)}`);
