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

test('on the static build a recommendation is bought once in the browser, listed and audited', { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${PAGES_URL}/customers`);
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  const links = page.locator('table a[href*="/customers/"]');
  await links.first().waitFor();
  const hrefs = [...new Set(await links.evaluateAll((all) => all.map((a) => a.getAttribute('href'))))];
  // The first demo customer whose usage recommends something that can be bought.
  let bought = false;
  for (const href of hrefs) {
    await page.goto(new URL(`${href}/buy`, PAGES_URL).href);
    const table = page.getByRole('table', { name: "Recommended from the customer's usage" });
    const none = page.getByText(/nothing to recommend|No recommendation/i);
    await Promise.race([table.waitFor(), none.first().waitFor()]).catch(() => {});
    const buy = table.getByRole('button', { name: /^Buy / }).first();
    if (!(await table.count()) || !(await buy.count()) || await buy.isDisabled()) continue;
    await buy.click();
    await page.locator('#buy-name').fill('Pages purchase');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
    await page.getByRole('button', { name: 'Buy now' }).dblclick();
    await page.getByText(/^Bought: reservation order [0-9a-f-]{36}\.$/).waitFor();
    await page.getByRole('tab', { name: 'Azure reservations' }).click();
    await page.locator('#panel-reservations').getByRole('link', { name: 'Pages purchase' }).waitFor();
    assert.equal(await page.locator('#panel-reservations').getByRole('link', { name: 'Pages purchase' }).count(), 1, 'bought once');
    await page.screenshot({ path: SCREENSHOTS + 'pages-bought.png', fullPage: true });
    bought = true;
    break;
  }
  assert.ok(bought, 'a demo customer has a recommendation that can be bought');
  assert.deepEqual(errors, []);
});
