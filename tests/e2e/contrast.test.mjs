// Every colour pair of the light and the dark palette (style/main.css) against WCAG 2.1 AA:
// 4.5:1 for text (1.4.3), 3:1 for focus rings, input borders and chart lines (1.4.11).
// Read from the stylesheet itself, so a changed colour is checked; prints each ratio.
// (axe-core checks the rendered screens too, tests/e2e/accessibility.test.mjs; this covers
// states it may not see: hover, focus rings, warnings, every badge.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { contrast, over } from './contrast.mjs';

const css = readFileSync(new URL('../../style/main.css', import.meta.url), 'utf8');

/** The custom properties declared in the first `:root { … }` block of `text`. */
function customProperties(text) {
  const block = text.slice(text.indexOf(':root {'));
  const body = block.slice(0, block.indexOf('}'));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1], m[2]]));
}

const light = customProperties(css);
const darkBlock = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
const dark = { ...light, ...customProperties(darkBlock) };

const TEXT = 4.5, UI = 3;
/** [foreground, background, minimum, where]; names are custom properties, or a function of the palette. */
const PAIRS = [
  ['--text', '--bg', TEXT, 'body text'],
  ['--text', '--surface', TEXT, 'text in tables, panels, inputs'],
  ['--muted', '--bg', TEXT, 'notes, hints, breadcrumb, inactive tabs'],
  ['--muted', '--surface', TEXT, 'table headings, hints, placeholders, badge "Expired"'],
  ['--accent', '--bg', TEXT, 'links, secondary buttons'],
  ['--accent', '--surface', TEXT, 'links and copy buttons in panels'],
  ['--accent-text', '--accent', TEXT, 'primary buttons, skip link, current wizard step'],
  ['--danger', '--bg', TEXT, 'field errors'],
  ['--danger', '--surface', TEXT, 'field errors in panels, badge "Cancelled", negative amounts'],
  ['--danger', '--danger-bg', TEXT, 'load errors, policy refusals'],
  ['--ok', '--bg', TEXT, 'success messages'],
  ['--ok', '--surface', TEXT, 'badge "Active", copied, commitment covered'],
  ['--on-ok', '--ok', TEXT, 'done wizard step number'],
  ['--pending', '--surface', TEXT, 'badge "Pending"'],
  ['--pending', '--bg', TEXT, 'badge "Pending" outside a panel'],
  ['--text', (p) => over(p['--warning-tint'], 0.15, p['--surface']), TEXT, 'warning (refund capped)'],
  ['--text', (p) => over(p['--accent'], 0.06, p['--surface']), TEXT, 'table row under the pointer'],
  ['--text', (p) => over(p['--accent'], 0.10, p['--surface']), TEXT, 'selected portfolio row (style/pages.css)'],
  ['--muted', (p) => over(p['--accent'], 0.10, p['--surface']), TEXT, 'reason in a selected portfolio row'],
  ['--header-text', '--header-bg', TEXT, 'header brand, menu button, language picker, sign out'],
  ['--header-link', '--header-bg', TEXT, 'header links, signed-in user'],
  ['--header-text', (p) => over('#ffffff', 0.15, p['--header-bg']), TEXT, 'current header link'],
  ['--control-border', '--surface', UI, 'input, select, textarea edge'],
  ['--control-border', '--bg', UI, 'search box edge'],
  ['--danger', '--surface', UI, 'invalid input edge'],
  ['--header-control-border', '--header-bg', UI, 'menu button, language picker, sign-out edge'],
  ['--accent', '--bg', UI, 'focus ring'],
  ['--accent', '--surface', UI, 'focus ring in panels, chart line, selected tab underline'],
  ['--header-focus', '--header-bg', UI, 'focus ring on the header and skip link'],
];

for (const [scheme, palette] of [['light', light], ['dark', dark]]) {
  test(`${scheme} scheme: every colour pair meets WCAG 2.1 AA`, () => {
    const value = (v) => (typeof v === 'function' ? v(palette) : palette[v]);
    const failures = [];
    for (const [fg, bg, minimum, where] of PAIRS) {
      const [f, b] = [value(fg), value(bg)];
      assert.ok(f && b, `${scheme}: ${fg} or ${bg} is not in style/main.css`);
      const ratio = contrast(f, b);
      const line = `${scheme} ${f} on ${b} = ${ratio.toFixed(2)}:1 (needs ${minimum}) ${where}`;
      console.log(line);
      if (ratio < minimum) failures.push(line);
    }
    assert.deepEqual(failures, []);
  });
}

test('the contrast formula gives the WCAG reference values', () => {
  assert.equal(contrast('#000000', '#ffffff').toFixed(2), '21.00');
  assert.equal(contrast('#767676', '#ffffff').toFixed(2), '4.54');
  assert.equal(contrast('#777777', '#ffffff').toFixed(2), '4.48');
});
