// axe-core (npm, tools/node_modules) run inside the page under test: no CDN, no browser download.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0 A and AA, WCAG 2.1 A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** axe's violations on the page as it is now: `[{ id, impact, help, nodes: [{ target, html, summary }] }]`. */
export async function axeViolations(page) {
  // A client-side navigation keeps the injected script; a full load needs it again. Evaluated
  // through the DevTools protocol, not added as an inline <script> (which the server's
  // Content-Security-Policy rightly blocks).
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** One line per violating element: rule, impact, selector, HTML and axe's reason. */
export function describeViolations(violations, perRule = 5) {
  return violations.flatMap((v) => [
    ...v.nodes.slice(0, perRule).map((n) =>
      `  [${v.id}, ${v.impact}] ${v.help}\n    at ${n.target}\n    ${n.html.slice(0, 300)}\n    ${(n.summary ?? '').replace(/\n\s*/g, ' ')}`),
    ...(v.nodes.length > perRule ? [`  [${v.id}] … and ${v.nodes.length - perRule} more elements`] : []),
  ]).join('\n');
}

/**
 * Runs axe on the page in the light and then the dark colour scheme (`prefers-color-scheme`);
 * returns one text per scheme with violations, naming the screen, the scheme, each rule and
 * element. Leaves the page in the light scheme.
 */
export async function schemeViolations(page, screen) {
  const failures = [];
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // The stylesheet's media query applies once the page's own `matchMedia` agrees.
    await page.waitForFunction((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, colorScheme);
    const violations = await axeViolations(page);
    if (violations.length) failures.push(`${screen}, ${colorScheme} scheme:\n${describeViolations(violations)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return failures;
}

/** Fails when `failures` (from [`schemeViolations`]) is not empty, listing them all. */
export function assertNoViolations(failures) {
  assert.equal(failures.length, 0, `axe-core found accessibility violations:\n${failures.join('\n')}`);
}
