// What to buy in Azure mode, in the browser: the desk over the stand-ins of ARM
// (crates/server/tests/azure_walk_server.rs, whose Contoso has Azure recommendations of every
// kind: a virtual machine Contoso's catalog in Azure sells, a modern SQL Database one it does not,
// Redis at shared scope, and one of 1.5 units). Signed in as the Admin agent, the walk opens
// Contoso's Buy tab: each recommendation with Azure's figures, the service and scope under its
// SKU, a Buy for the one the customer's catalog sells and "not sold to this customer" for the others; the 1.5 units
// listed as not shown, with why. The look-back picker, by keyboard, asks for 7 days. German too;
// phone width; axe in the light and the dark scheme; screenshots of each.
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
  walk = await azureWalkServer('azure recommendations');
  ({ base, token } = walk);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

test('Azure mode: every service and scope recommended with Azure\'s figures, what is not shown listed with why, the look-back picked by keyboard', async () => {
  const page = await browser.newPage({ token, viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}azure-recommendations-${name}.png`, fullPage: true });

  await page.goto(`${base}/customers/contoso/buy`);
  const section = page.getByRole('region', { name: "Recommended from the customer's usage" });
  const table = section.getByRole('table', { name: "Recommended from the customer's usage" });
  await table.waitFor();
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  const sql = rows.filter({ hasText: 'SQLDB_BC_Compute_Gen5' });
  await sql.getByText('SQL Database · Single: tenant-contoso-sub').waitFor();
  await sql.getByText('$3,198.65').waitFor();
  await sql.getByText('Not sold to this customer: its catalog in Azure does not list this SKU, region and term.').waitFor();
  const redis = rows.filter({ hasText: 'Premium_P1' });
  await redis.getByText('Azure Cache for Redis · Shared').waitFor();
  const d4 = rows.filter({ hasText: 'Standard_D4s_v5' });
  await d4.getByRole('button', { name: 'Buy Standard_D4s_v5 in West Europe for 1 year' }).waitFor();
  await d4.getByText('Last 30 days').waitFor();

  const leftOut = page.getByRole('region', { name: 'Recommended by Azure but not shown' });
  const left = leftOut.getByRole('table').locator('tbody tr');
  assert.equal(await left.count(), 1);
  await left.first().getByText('Standard_D2s_v5').waitFor();
  await left.first().getByText('Azure recommends a quantity that is not a whole number of units.').waitFor();
  await shot('desktop-en');
  assertNoViolations(await schemeViolations(page), 'recommendations, en');

  // The look-back, by keyboard: the picker is labelled, and 7 days asks Azure again.
  const picker = page.getByLabel('Usage looked back over');
  await picker.focus();
  await page.keyboard.press('Home');
  await table.getByText('Last 7 days').first().waitFor();
  assert.equal(await picker.inputValue(), 'Last7Days');
  await shot('desktop-en-7-days');

  const de = await browser.newPage({ token, viewport: { width: 1366, height: 900 }, locale: 'de-DE' });
  await de.goto(`${base}/customers/contoso/buy?lang=de`);
  await de.getByRole('region', { name: 'Von Azure empfohlen, aber nicht angezeigt' }).waitFor();
  await de.getByText('Wird diesem Kunden nicht verkauft: Sein Katalog in Azure führt diese SKU, Region und Laufzeit nicht.').first().waitFor();
  await de.screenshot({ path: `${SCREENSHOTS}azure-recommendations-desktop-de.png`, fullPage: true });

  const phone = await browser.newPage({ token, viewport: { width: 390, height: 844 }, locale: 'en-US' });
  await phone.goto(`${base}/customers/contoso/buy`);
  await phone.getByRole('region', { name: 'Recommended by Azure but not shown' }).waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
  await phone.screenshot({ path: `${SCREENSHOTS}azure-recommendations-phone-en.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
