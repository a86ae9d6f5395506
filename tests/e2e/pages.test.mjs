// The static build under a sub-path, served like GitHub Pages (404.html fallback only).
// Runs when PAGES_URL is set (scripts/test.sh builds dist-pages/ and starts pages-server.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';

const PAGES_URL = process.env.PAGES_URL;
let browser;
before(async () => { if (PAGES_URL) browser = await launch(); });
after(async () => { await browser?.close(); });

test('a deep link under the sub-path, opened directly, lands in the app', { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${PAGES_URL}/customers`);
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' });
  assert.equal(await link.getAttribute('href'), new URL(PAGES_URL).pathname + '/customers');
  await page.screenshot({ path: SCREENSHOTS + 'pages-deep-link.png' });
  assert.deepEqual(errors, []);
});

test('an unknown path under the sub-path shows the app\'s not-found page', { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
  const page = await browser.newPage();
  await page.goto(`${PAGES_URL}/no/such/page`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
});
