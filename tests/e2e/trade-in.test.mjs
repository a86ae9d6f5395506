// Trade-in on the server build: trade a VM reservation in for a compute savings plan at the
// minimum hourly commitment the panel shows (a cent less is refused inline), submit it, and see
// the plan on the customer page's Savings plans tab. A reservation type that may not be traded
// in says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openExchange(page, customer, family) {
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('link', { name: customer }).click();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.getByLabel('Product family').selectOption(family);
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Exchange' }).click();
  await page.getByRole('heading', { name: 'Exchange', level: 2, exact: true }).waitFor();
}

test('trade a VM reservation in for a savings plan at the minimum and see it on the customer page', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openExchange(page, 'Litware Inc', 'VirtualMachines');

  await page.getByLabel('Trade in for a savings plan').check();
  await page.getByText(/The compute savings plan starts today/).waitFor();
  // The engine's minimum, shown before any commitment is typed.
  const minimum = page.getByText(/^Minimum: \$[\d,]+\.\d\d an hour\./);
  await minimum.waitFor();
  const shown = (await minimum.textContent()).match(/^Minimum: \$([\d,]+\.\d\d) an hour/)[1].replace(/,/g, '');
  await page.getByLabel('Term').selectOption('P3Y');
  await page.getByLabel('Display name').fill('Litware compute plan');

  // A cent below the minimum: the live quote refuses it, in words, and the field is invalid.
  const hourly = page.locator('#plan-hourly');
  await hourly.fill((Number(shown) - 0.01).toFixed(2));
  const live = page.getByRole('region', { name: 'Exchange quote' });
  await live.getByText(/is below the remaining commitment returned/).waitFor();
  assert.equal(await hourly.getAttribute('aria-invalid'), 'true');

  // Use the minimum: accepted.
  await page.getByRole('button', { name: 'Use the minimum' }).click();
  assert.equal(await hourly.inputValue(), shown);
  await live.getByText(/covers the remaining one/).waitFor();
  assert.equal(await live.getByRole('alert').count(), 0, 'no policy error at the minimum');
  await page.screenshot({ path: SCREENSHOTS + 'trade-in.png', fullPage: true });

  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).count(), 0, 'the server\'s quote agrees: not shown a second time');
  await page.getByRole('button', { name: 'Exchange now' }).click();
  await page.getByText('Trade-in done: savings plan Litware compute plan bought.').waitFor();

  await page.getByRole('link', { name: "Open the customer's savings plans" }).click();
  await page.getByRole('tab', { name: 'Savings plans', selected: true }).waitFor();
  const row = page.getByRole('tabpanel').getByRole('row', { name: /Litware compute plan/ });
  await row.waitFor();
  const text = await row.textContent();
  assert.ok(text.includes(`$${Number(shown).toLocaleString('en-US', { minimumFractionDigits: 2 })} an hour`), text);
  assert.match(text, /3 years/);
  await page.getByText(/A savings plan cannot be cancelled, exchanged or refunded/).waitFor();
  assert.equal(await page.getByRole('tabpanel').getByRole('button').count(), 0, 'no actions on a savings plan');
  await page.screenshot({ path: SCREENSHOTS + 'savings-plans.png', fullPage: true });
  assert.deepEqual(errors, []);
});

test('a reservation type that may not be traded in says why', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  // Savings plans do not cover Redis: its reservations cannot be traded in.
  await openExchange(page, 'Northwind Traders', 'RedisCache');
  assert.equal(await page.getByLabel('Trade in for a savings plan').isDisabled(), true);
  await page.getByText('A reservation for Azure Cache for Redis cannot be traded in for a savings plan').waitFor();
});
