// Split, merge, history and archive, walked in both builds: the release build on the real
// server (SQLite) and the static build on its in-browser backend. On the server the test files
// run at once over one database: keyboard.test.mjs refunds Wide World Importers' first active
// reservation of two or more units, so this walk takes the last one (it sorts after the other's,
// whose Tab count stays the same).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE_URL, SCREENSHOTS } from './browser.mjs';

const PAGES_URL = process.env.PAGES_URL;
const CUSTOMER = 'Wide World Importers';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function walk(base, build) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const problems = [];
  // Pages answers a deep link with its 404.html (the app) and status 404, which Chromium logs
  // as a failed resource: expected there, an error anywhere else.
  const expected = (text) => build === 'pages' && /status of 404/.test(text);
  page.on('console', (message) => { if (message.type() === 'error' && !expected(message.text())) problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(String(error)));
  const actions = page.getByRole('toolbar', { name: 'Actions' });
  const panels = page.getByRole('navigation', { name: 'Reservation panels' });
  const origin = new URL(base).origin;

  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: CUSTOMER }).click();
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  const customerUrl = page.url();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.locator('#panel-reservations .badge', { hasText: 'Expired' }).first().waitFor({ state: 'detached' });
  // The last active reservation of two or more units (the third cell is the quantity).
  const rows = await page.locator('#panel-reservations tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ href: tr.querySelector('th a').getAttribute('href'), name: tr.querySelector('th a').textContent, quantity: Number(tr.querySelectorAll('td')[2].textContent) })));
  const source = rows.findLast((r) => r.quantity >= 2);
  assert.ok(source, `an active reservation of two or more units among ${JSON.stringify(rows)}`);

  // Split: one unit and the rest.
  await page.goto(origin + source.href);
  await actions.getByRole('link', { name: 'Split or merge' }).click();
  await page.getByRole('heading', { name: 'Split or merge', level: 2 }).waitFor();
  await page.getByLabel('Quantity of the first reservation').fill('1');
  assert.equal(await page.getByLabel('Quantity of the second reservation').inputValue(), String(source.quantity - 1));
  await page.getByRole('button', { name: 'Split', exact: true }).click();
  await page.getByText('Split into two reservations.').waitFor();
  const parts = await page.locator('ul.made a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.equal(parts.length, 2);
  await page.screenshot({ path: `${SCREENSHOTS}split-done-${build}.png`, fullPage: true });

  // Merge the two parts back together, from the first.
  await page.goto(origin + parts[0]);
  await actions.getByRole('link', { name: 'Split or merge' }).click();
  await page.locator('.merge input[type="checkbox"]').first().check();
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await page.getByText('Merged into one reservation.').waitFor();
  const merged = await page.locator('ul.made a').first().getAttribute('href');
  await page.goto(origin + merged);
  await page.getByRole('link', { name: 'Properties' }).first().click();
  await page.getByRole('heading', { name: 'Properties', level: 2 }).waitFor();
  await page.getByText('Merged from').waitFor();

  // The split original: its history, then archived out of the list.
  await page.goto(origin + source.href);
  await page.locator('.page-header .badge', { hasText: 'Split' }).waitFor();
  await panels.getByRole('link', { name: 'History' }).click();
  await page.locator('.panel tbody tr').nth(1).waitFor();
  assert.match(await page.locator('.panel tbody tr').first().textContent(), /Split/);
  await actions.getByRole('button', { name: 'Archive' }).click();
  await actions.getByRole('button', { name: 'Unarchive' }).waitFor();
  await page.goto(customerUrl);
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  // Found by its link (its ID), not its name: a part of a split is named after its source.
  const row = page.locator('#panel-reservations tbody tr', { has: page.locator(`th a[href="${source.href}"]`) });
  assert.equal(await row.count(), 0, 'an archived reservation is hidden from the list');
  await page.getByLabel('Show archived').check();
  await row.locator('.badge', { hasText: 'Archived' }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}archived-shown-${build}.png`, fullPage: true });

  assert.deepEqual(problems, []);
  await page.context().close();
}

test('server build: split, merge, history and archive', async () => {
  await walk(BASE_URL, 'server');
});

test('static build: split, merge, history and archive on the in-browser backend', { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
  await walk(PAGES_URL, 'pages');
});
