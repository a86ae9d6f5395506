// Buying a reservation in Azure mode in the browser: the desk over the stand-ins of Partner
// Center and ARM (crates/server/tests/azure_walk_server.rs, started through cargo as
// azure.test.mjs starts it; a server of its own, since the walk buys). Signed in as the Admin
// agent whose token the server prints, the walk opens Contoso's Buy tab and chooses one
// Standard_D4s_v5 in West Europe for a year, shared, named. Monthly first: Partner Center sells
// reservations paid upfront only, so Review says so beside the form (the server's refusal, in the
// user's words). Then Upfront: Review shows ARM's calculatePrice in Contoso's tenant ("Azure's
// price") beside the desk's quote, the same 1,752.00 USD, so no difference; Buy now buys it
// through Partner Center (cart and checkout), and the reservation Azure made, under ARM's ID
// (ri-res-…), is in Contoso's reservations. axe in the light and the dark scheme; screenshots of
// each step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

let walk;
let base;
let token;
let browser;

before(async () => {
  walk = await azureWalkServer('azure buy');
  ({ base, token } = walk);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

test('Azure mode: a monthly plan refused at Review with why; Azure\'s price beside the desk\'s; bought through Partner Center and listed under ARM\'s ID', async () => {
  // The token goes where the app keeps a bearer token (browser.mjs, src/session.rs).
  const page = await browser.newPage({ token, viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}azure-buy-${name}.png`, fullPage: true });

  await page.goto(`${base}/customers/contoso/buy`);
  await page.getByRole('heading', { name: 'Buy reservations', level: 2 }).waitFor();
  await page.locator('#buy-sku-filter').fill('Standard_D4s_v5');
  await page.locator('#buy-sku').selectOption('Standard_D4s_v5');
  await page.locator('#buy-sku-count').getByText('Chosen: Standard_D4s_v5', { exact: true }).waitFor();
  await page.locator('#buy-region').selectOption('Standard_D4s_v5/westeurope');
  await page.locator('#buy-term').selectOption('P1Y');
  await page.locator('#buy-quantity').fill('1');
  await page.locator('#buy-scope').selectOption('0');
  await page.locator('#buy-name').fill('contoso web tier');
  const live = page.getByRole('region', { name: 'Purchase quote' });
  await live.locator('.purchase-commitment').getByText('$1,752.00', { exact: true }).waitFor();

  // Monthly: Partner Center sells reservations paid upfront only. The server refuses it at
  // Review, and the panel says why and what to choose, beside the form; nothing else breaks.
  await page.locator('#buy-plan').selectOption('Monthly');
  await live.getByText(/^… and \d+ more monthly payments$/).waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.locator('#buy-azure-refusal[role=alert]').getByText(
    'Partner Center sells reservations paid upfront only: choose the Upfront billing plan to buy this one through the desk.',
    { exact: true },
  ).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Buy now' }).count(), 0, 'nothing to buy');
  assert.equal(await page.getByRole('region', { name: 'Azure\'s price' }).count(), 0);
  await shot('1-monthly-refused');

  // Upfront: Review shows Azure's price beside the desk's quote; they agree.
  await page.locator('#buy-plan').selectOption('Upfront');
  await page.locator('#buy-azure-refusal').waitFor({ state: 'detached' });
  const calculated = page.waitForResponse((r) => r.url().endsWith('/api/calculatePurchase'));
  await page.getByRole('button', { name: 'Review' }).click();
  const answer = await (await calculated).json();
  assert.equal(Number(answer.azure?.commitment?.amount), 1752, 'the server answers Azure\'s price');
  await page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' }).waitFor();
  await page.getByRole('region', { name: 'Purchase quote' }).locator('.purchase-commitment').getByText('$1,752.00', { exact: true }).waitFor();
  const azure = page.getByRole('region', { name: 'Azure\'s price' });
  await azure.waitFor();
  await azure.getByText('Partner Center buys the reservation at Azure\'s price.', { exact: false }).waitFor();
  const cells = async (name) => (await azure.getByRole('row', { name }).locator('td').allTextContents()).map((t) => t.trim());
  assert.deepEqual(await cells(/^Commitment for the term /), ['$1,752.00', '$1,752.00', ''], 'the desk\'s commitment and Azure\'s, no mark');
  if (answer.azure.dueToday) {
    assert.deepEqual(await cells(/^Due today /), ['$1,752.00', '$1,752.00', '']);
  }
  await azure.getByText('The desk and Azure agree.', { exact: true }).waitFor();
  assert.equal(await azure.locator('.differences').count(), 0, 'no difference named');
  await shot('2-reviewed');
  // Right after the desk's quote and the server's mark that confirmed it (its table: the desk's
  // figure, Azure's); the server's own quote is not repeated when it agrees.
  assert.equal(await page.locator('.side-by-side > div:has(> .purchase-quote) + .azure-price').count(), 1, 'Azure\'s price follows the confirmed quote');
  assert.equal(await page.locator('.side-by-side .purchase-quote').count(), 1, 'one quote: the server\'s agreed');
  assertNoViolations(await schemeViolations(page, 'Buy tab in Azure mode, reviewed'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('2-reviewed-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Buy now: through Partner Center; the reservation order is ARM's.
  const bought = page.waitForResponse((r) => r.url().endsWith('/api/purchase') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Buy now' }).click();
  const purchase = await bought;
  assert.equal(purchase.status(), 200, await purchase.text());
  const done = await purchase.json();
  const reservation = done.purchased?.[0]?.id;
  assert.match(reservation ?? '', /^ri-res-/, `ARM's reservation ID: ${JSON.stringify(done)}`);
  await page.locator('.buy-done').getByText(`Bought: reservation order ${done.reservationOrderId}.`, { exact: true }).waitFor();
  await shot('3-bought');

  // In Contoso's reservations (refetched, no reload), and it opens under ARM's ID.
  await page.getByRole('tab', { name: 'Azure reservations' }).click();
  const link = page.locator('#panel-reservations').getByRole('link', { name: 'contoso web tier' });
  await link.waitFor();
  assert.match(await link.getAttribute('href'), new RegExp(`/customers/contoso/reservations/${reservation}(/|$)`));
  await shot('4-listed');
  assertNoViolations(await schemeViolations(page, 'Contoso\'s reservations after an Azure purchase'));
  await link.click();
  await page.waitForURL(new RegExp(`/reservations/${reservation}`));
  await page.goto(`${base}/customers/contoso/reservations/${reservation}/properties`);
  await page.locator('dl.properties').getByText('Standard_D4s_v5').first().waitFor();
  await shot('5-properties');

  assert.deepEqual(errors, []);
});

// What Azure sells, at Azure's price: Contoso's Buy tab lists ARM's catalog for its subscription
// (here also memory-optimized E4s v5 in North Europe, neither SKU nor region the demo sells),
// each price asked of Azure when the SKU is chosen; the live quote of three units is the engine's
// at that price, the same to the cent as ARM's calculatePrice of the whole purchase at Review; it
// is bought through Partner Center in North Europe.
test('Azure mode: a SKU and region the demo does not sell, quoted at Azure\'s price as you type and bought', async () => {
  const page = await browser.newPage({ token, viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}azure-buy-catalog-${name}.png`, fullPage: true });

  await page.goto(`${base}/customers/contoso/buy`);
  await page.getByRole('heading', { name: 'Buy reservations', level: 2 }).waitFor();
  await page.locator('#buy-catalog-source').getByText(/SKUs and regions this customer can buy, as Azure lists them/).waitFor();
  // None of the demo's own SKUs is offered.
  const offered = await page.locator('#buy-sku option').allTextContents();
  assert.ok(offered.some((o) => o.startsWith('Standard_E4s_v5')), offered.join(' | '));
  assert.ok(!offered.some((o) => o.startsWith('Standard_F16s_v2') || o.startsWith('CosmosDB_100RUs')), offered.join(' | '));

  const priced = page.waitForResponse((r) => r.url().includes('/price?') && r.url().includes('Standard_E4s_v5'));
  await page.locator('#buy-sku-filter').fill('E4s');
  await page.locator('#buy-sku').selectOption('Standard_E4s_v5');
  await page.locator('#buy-region').selectOption('Standard_E4s_v5/northeurope');
  assert.equal((await priced).status(), 200);
  await page.locator('#buy-sku-title').getByText('Virtual Machines Esv5 Series', { exact: true }).waitFor();
  await page.locator('#buy-term').selectOption('P1Y');
  await page.locator('#buy-quantity').fill('3');
  await page.locator('#buy-scope').selectOption('0');
  await page.locator('#buy-name').fill('contoso analytics');
  const live = page.getByRole('region', { name: 'Purchase quote' });
  await live.locator('.purchase-commitment').getByText('$6,304.11', { exact: true }).waitFor();
  await shot('1-quoted');

  const calculated = page.waitForResponse((r) => r.url().endsWith('/api/calculatePurchase'));
  await page.getByRole('button', { name: 'Review' }).click();
  const answer = await (await calculated).json();
  assert.equal(Number(answer.azure?.commitment?.amount), 6304.11, 'Azure\'s calculatePrice of the whole purchase');
  assert.deepEqual(answer.azure.differences, [], 'the live quote is Azure\'s to the cent');
  await page.getByRole('region', { name: 'Azure\'s price' }).getByText('The desk and Azure agree.', { exact: true }).waitFor();
  await shot('2-reviewed');

  const bought = page.waitForResponse((r) => r.url().endsWith('/api/purchase') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Buy now' }).click();
  const purchase = await bought;
  assert.equal(purchase.status(), 200, await purchase.text());
  const done = await purchase.json();
  assert.equal(done.purchased?.[0]?.location, 'northeurope');
  assert.equal(done.purchased?.[0]?.skuName, 'Standard_E4s_v5');
  await page.locator('.buy-done').getByText(`Bought: reservation order ${done.reservationOrderId}.`, { exact: true }).waitFor();
  await shot('3-bought');
  assert.deepEqual(errors, []);
});
