// What the main thread does between navigation start and the customer list's first row, from a
// Chromium trace of one load of the app (`APP_URL`, the server build) in headless Chromium.
// Prints the top-level main-thread work by kind (script compile and run, wasm compile, parse,
// style and layout, paint, idle) and when the page's resources arrived, in milliseconds from
// navigation start; the first row is marked inside the page as `bench/report.mjs` marks it.
//
//   APP_URL=http://127.0.0.1:3927 node bench/paint-trace.mjs [trace.json]
import { writeFileSync } from 'node:fs';
import { launch } from '../tests/e2e/browser.mjs';

const url = `${process.env.APP_URL}/customers`;
const out = process.argv[2];
const browser = await launch();
const context = await browser.newContext();
await context.addInitScript(() => {
  const observer = new MutationObserver(() => {
    if (document.querySelector('table.data-table tbody tr')) {
      performance.mark('bench:first-row');
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
});
const page = await context.newPage();
// A warm-up load: the trace is of a load whose browser, not its cache, is warm.
await page.goto(url);
await page.waitForSelector('table.data-table tbody tr');
await page.goto('about:blank');
await context.clearCookies();
await browser.startTracing(page, {
  categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'loading', 'toplevel'],
});
await page.goto(url);
await page.waitForSelector('table.data-table tbody tr');
const trace = JSON.parse((await browser.stopTracing()).toString());
const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => ({
  name: r.name.split('/').pop().split('?')[0], start: r.startTime, end: r.responseEnd, bytes: r.encodedBodySize,
})));
const firstRow = await page.evaluate(() => performance.getEntriesByName('bench:first-row')[0]?.startTime);
await browser.close();
if (out) writeFileSync(out, JSON.stringify(trace));

const events = trace.traceEvents ?? trace;
// The page's main thread: the renderer thread that recorded the navigation.
const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame && e.args?.data?.documentLoaderURL?.startsWith('http'))
  ?? events.find((e) => e.name === 'navigationStart');
if (!nav || firstRow === undefined) throw new Error('no navigation or no first row in the trace');
const main = events.filter((e) => e.pid === nav.pid && e.tid === nav.tid);
const t0 = nav.ts;
const until = t0 + firstRow * 1000;
// Top-level tasks, and inside them the kinds of work (the innermost event names that say what).
const kinds = {
  'wasm compile (streaming, lazy tiers)': /^(v8\.wasm\.|wasm\.|WasmCompile|v8\.wasm)/i,
  'script compile': /^(v8\.compile|V8\.CompileCode|v8\.compileModule|V8\.ScriptCompiler|CompileScript|CompileCode)/,
  'script and wasm run (the app, the bindings)': /^(FunctionCall|v8\.run|EvaluateScript|v8\.callFunction|RunMicrotasks|TimerFire|FireAnimationFrame|EventDispatch|v8\.evaluateModule)$/,
  'HTML parse': /^ParseHTML$/,
  'style and layout': /^(UpdateLayoutTree|Layout|RecalculateStyles|ScheduleStyleRecalculation|UpdateLayerTree|PrePaint)$/,
  'paint and composite': /^(Paint|CompositeLayers|Commit|Layerize)$/,
  'garbage collection': /^(MinorGC|MajorGC|V8\.GC|BlinkGC)/,
};
// The union of the given events' intervals inside [t0, until), in microseconds (tasks and
// events nest: each instant is counted once).
const union = (list) => {
  const spans = list.map((e) => [Math.max(e.ts, t0), Math.min(e.ts + e.dur, until)]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [start, end] = [null, null];
  for (const [a, b] of spans) {
    if (end === null || a > end) { if (end !== null) total += end - start; [start, end] = [a, b]; } else end = Math.max(end, b);
  }
  return end === null ? total : total + end - start;
};
const complete = main.filter((e) => e.ph === 'X' && typeof e.dur === 'number');
const busy = union(complete.filter((e) => /RunTask$/.test(e.name)));
const byKind = Object.fromEntries(Object.entries(kinds).map(([kind, re]) => [kind, union(complete.filter((e) => re.test(e.name)))]));
const ms = (us) => (us / 1000).toFixed(1);
console.log(`| one load of ${url}, main thread from navigation start to the first row (${firstRow.toFixed(1)} ms) | ms |`);
console.log('|---|---|');
console.log(`| busy (top-level tasks) | ${ms(busy)} |`);
console.log(`| idle (waiting for the network or the compiler's other threads) | ${(firstRow - busy / 1000).toFixed(1)} |`);
for (const [kind, us] of Object.entries(byKind)) console.log(`| … ${kind} | ${ms(us)} |`);
console.log('\n| resource | fetch start (ms) | response end (ms) | bytes on the wire |');
console.log('|---|---|---|---|');
for (const r of resources.filter((r) => r.start < firstRow)) {
  console.log(`| ${r.name} | ${r.start.toFixed(1)} | ${r.end.toFixed(1)} | ${r.bytes} |`);
}
