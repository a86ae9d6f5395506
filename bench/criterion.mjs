// The quote engine's native figures from criterion's own JSON, not its console output:
// <criterion dir>/**/new/benchmark.json (the benchmark's full name, its throughput) and
// new/estimates.json (mean and median point estimates, in ns), for the benchmarks written
// since <since> (ms since the epoch), so results of an older run are never reported.
// Usage: node bench/criterion.mjs <criterion dir> <since ms>
// Prints a Markdown table, then NATIVE_QPS_UPFRONT=<refund quotes per second of
// partner-center-2020/upfront>; exits non-zero when no benchmark of this run was found.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [dir, since] = process.argv.slice(2);
if (!dir || !since) throw new Error('usage: node bench/criterion.mjs <criterion dir> <since ms>');

function* newDirs(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(folder, entry.name);
    if (entry.name === 'new') yield path;
    else if (entry.name !== 'base' && entry.name !== 'change' && entry.name !== 'report') yield* newDirs(path);
  }
}

const results = [];
for (const path of newDirs(dir)) {
  const estimatesPath = join(path, 'estimates.json');
  let written;
  try { written = statSync(estimatesPath).mtimeMs; } catch { continue; }
  if (written < Number(since)) continue;
  const benchmark = JSON.parse(readFileSync(join(path, 'benchmark.json'), 'utf8'));
  const estimates = JSON.parse(readFileSync(estimatesPath, 'utf8'));
  const elements = benchmark.throughput?.Elements ?? 1;
  results.push({
    name: benchmark.full_id,
    mean: estimates.mean.point_estimate,
    median: estimates.median.point_estimate,
    perSecond: (elements * 1e9) / estimates.mean.point_estimate,
  });
}
if (results.length === 0) {
  console.error(`no criterion estimates in ${dir} written by this run`);
  process.exit(1);
}
results.sort((a, b) => a.name.localeCompare(b.name));

/** ns → the unit criterion would print. */
function time(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(4)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(4)} µs`;
  return `${ns.toPrecision(4)} ns`;
}

console.log('| quote engine, native (criterion) | mean time per quote | median | quotes per second (from the mean) |');
console.log('|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.name} | ${time(r.mean)} | ${time(r.median)} | ${Math.round(r.perSecond).toLocaleString('en-US')} |`);
}
const upfront = results.find((r) => r.name.endsWith('partner-center-2020/upfront'));
if (upfront) console.log(`NATIVE_QPS_UPFRONT=${Math.round(upfront.perSecond)}`);
