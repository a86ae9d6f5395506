// Fails when a locale lacks a key that English has, has a key English lacks, leaves a text
// empty, or names other {{ variables }} than English does.
// Usage: node scripts/check-locales.mjs [locales-dir]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? new URL('../locales/', import.meta.url).pathname;
const load = (file) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

/** Flattens nested keys to dotted paths → text. */
function flatten(value, prefix = '', out = new Map()) {
  if (typeof value === 'string') out.set(prefix, value);
  else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  else for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}
const variables = (text) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort().join(',');

const english = flatten(load('en.json'));
const problems = [];
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'en.json');
for (const file of files) {
  const other = flatten(load(file));
  for (const [key, text] of english) {
    if (!other.has(key)) problems.push(`${file}: missing "${key}" (en: ${JSON.stringify(text)})`);
    else if (other.get(key).trim() === '') problems.push(`${file}: "${key}" is empty`);
    else if (variables(other.get(key)) !== variables(text)) {
      problems.push(`${file}: "${key}" uses {{${variables(other.get(key))}}}, English {{${variables(text)}}}`);
    }
  }
  for (const key of other.keys()) if (!english.has(key)) problems.push(`${file}: "${key}" is not in en.json`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`${english.size} keys, the same in en and ${files.length} other locales (${files.join(', ')})`);
