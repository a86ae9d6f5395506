// Exchange on the server build: return one unit, buy a bigger SKU of the same family, see
// the live quote, the server's quote, the swap, and the new reservation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('exchange one unit for a three-year purchase and open the new reservation', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('link', { name: 'Tailspin Toys' }).click();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.getByLabel('Product family').selectOption('VirtualMachines');
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Exchange' }).click();
  await page.getByRole('heading', { name: 'Exchange', level: 2, exact: true }).waitFor();

  const live = page.getByRole('region', { name: 'Exchange quote' });
  await live.waitFor();
  await page.getByText(/A plain refund of the same units would give/).waitFor();
  // Buy enough that the new commitment covers the remaining one.
  await page.locator('#purchase-0').fill('4');
  await page.getByText(/covers the remaining one/).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'exchange.png', fullPage: true });

  await page.getByRole('button', { name: 'Review' }).click();
  // Browser and server agree: the server's quote is a mark beside the live one, not a copy.
  await page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).count(), 0, 'the server\'s quote agrees: not shown a second time');
  await page.getByRole('button', { name: 'Exchange now' }).click();
  await page.getByText(/Exchange done: new reservation order/).waitFor();
  const before = page.url();
  await page.getByRole('link', { name: 'Open the new reservation' }).click();
  await page.waitForURL((url) => url.href !== before);
  // The new reservation: bought today, 4 units (the page may show the old one while loading).
  const quantity = page.locator('.summary-grid div', { hasText: 'Quantity' }).locator('dd');
  await quantity.filter({ hasText: /^4$/ }).waitFor();
  assert.match(await page.locator('h1').textContent(), /-x1$/);
  assert.deepEqual(errors, []);
});

test('exchange units of two reservations at once for a purchase scoped to one subscription', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('link', { name: 'Northwind Traders' }).click();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.getByLabel('Product family').selectOption('SqlDatabases');
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Exchange' }).click();
  const also = page.getByRole('group', { name: /Also return from the customer's other reservations/ });
  await also.waitFor();
  assert.ok(await also.getByRole('textbox').count() >= 2, 'the other SQL reservations are offered');
  await also.getByRole('textbox').first().fill('1');
  const scope = page.locator('fieldset.purchase-line').first().getByLabel('Scope');
  await scope.selectOption({ index: 1 });
  assert.match(await scope.locator('option:checked').textContent(), /^Single (subscription|resource group)|^Management group/);
  await page.locator('#purchase-0').fill('30');

  const live = page.getByRole('region', { name: 'Exchange quote' });
  await live.getByText('Credit for the returned reservation, pro-rated').nth(1).waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).count(), 0, 'the server\'s quote agrees: not shown a second time');
  assert.equal(await live.getByText('Credit for the returned reservation, pro-rated').count(), 2, 'two returns');
  await page.screenshot({ path: SCREENSHOTS + 'exchange-two-returns.png', fullPage: true });
  await page.getByRole('button', { name: 'Exchange now' }).click();
  await page.getByText(/Exchange done: new reservation order/).waitFor();
  assert.deepEqual(errors, []);
});
