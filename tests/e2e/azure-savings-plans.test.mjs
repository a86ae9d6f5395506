// The Savings plans tab in Azure mode: the desk over the stand-ins of Partner Center, ARM and
// Microsoft.BillingBenefits (tests/e2e/azure-walk.mjs). The tab lists the plans the customer
// holds in Azure — name with Azure's IDs, hourly commitment and currency, term, billing plan,
// start and expiry, scope, utilization of the last 1, 7 and 30 days, automatic renewal — a figure
// Azure did not report as Unknown or Not reported, the plan Azure listed in a shape it cannot read
// left out; a customer whose plans Azure refuses shows Azure's error; one without plans says so.
// Reached by keyboard; desktop and phone, English and German; axe in both schemes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

let walk;
let browser;

before(async () => {
  walk = await azureWalkServer('azure-savings-plans');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

test('Azure mode: the customer\'s savings plans are Azure\'s, with their figures, unknowns and renewal', async () => {
  const page = await browser.newPage({ token: walk.token, viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${walk.base}/customers/contoso`);
  // By keyboard: the tab list, arrow keys to Savings plans.
  const reservationsTab = page.getByRole('tab', { name: 'Reservations' });
  await reservationsTab.waitFor();
  await reservationsTab.focus();
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const table = page.getByRole('table', { name: 'Savings plans' });
  await table.waitFor();
  await page.getByText('The savings plans the customer holds in Azure').waitFor();
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), 2, 'the unreadable plan is left out');
  const renewing = table.getByRole('row', { name: /Contoso compute 3y/ });
  const text = (await renewing.textContent()).replace(/\s+/g, ' ');
  assert.match(text, /order order-sp1, plan 11111111-aaaa-4bbb-8ccc-000000000001/, 'Azure\'s IDs');
  assert.match(text, /\$1\.25 an hour/);
  assert.match(text, /3 years/);
  assert.match(text, /Monthly/);
  assert.match(text, /Last day: 100%.*Last 7 days: 84%.*Last 30 days: 84%/, '84.5 % rounded half to even');
  assert.match(text, /On: renews as Contoso compute 3y renewed/);
  const quiet = (await table.getByRole('row', { name: /Contoso compute 1y/ }).textContent()).replace(/\s+/g, ' ');
  assert.match(quiet, /\$0\.50 an hour/);
  assert.match(quiet, /Unknown/, 'no billing plan from Azure');
  assert.match(quiet, /Last day: Not reported.*Last 7 days: 12%.*Last 30 days: Not reported/);
  assert.match(quiet, /Off/);
  assert.equal(await page.getByText('Contoso broken').count(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}azure-savings-plans-desktop.png`, fullPage: true });
  assertNoViolations(await schemeViolations(page, 'Savings plans in Azure mode'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}azure-savings-plans-desktop-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Fabrikam's plans: Azure refused the read, and the tab says so with Azure's error.
  await page.goto(`${walk.base}/customers/fabrikam/savings-plans`);
  const refusal = page.locator('#panel-savings-plans').getByRole('alert');
  await refusal.getByText(/AuthorizationFailed/).waitFor();
  assert.match(await refusal.textContent(), /savingsPlans\/read.*arm-request-/s, 'Azure\'s message and request ID');
  await page.screenshot({ path: `${SCREENSHOTS}azure-savings-plans-refused.png`, fullPage: true });

  // A customer without plans in Azure.
  await page.goto(`${walk.base}/customers/slow/savings-plans`);
  await page.getByText('Azure lists no savings plans for this customer.').waitFor();

  // German, phone width and desktop.
  const phone = await browser.newPage({ token: walk.token, viewport: { width: 390, height: 844 }, locale: 'de-DE' });
  await phone.goto(`${walk.base}/customers/contoso/savings-plans?lang=de`);
  await phone.getByText('Die Sparpläne, die der Kunde in Azure hat').waitFor();
  const phoneText = (await phone.getByRole('table').textContent()).replace(/\s+/g, ' ');
  assert.match(phoneText, /Unbekannt/);
  assert.match(phoneText, /Ein: wird verlängert als Contoso compute 3y renewed/);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scroll at 390 px (${overflow} px)`);
  await phone.screenshot({ path: `${SCREENSHOTS}azure-savings-plans-phone-de.png`, fullPage: true });
  const wide = await browser.newPage({ token: walk.token, viewport: { width: 1366, height: 900 }, locale: 'de-DE' });
  await wide.goto(`${walk.base}/customers/contoso/savings-plans?lang=de`);
  await wide.getByText('Die Sparpläne, die der Kunde in Azure hat').waitFor();
  await wide.screenshot({ path: `${SCREENSHOTS}azure-savings-plans-desktop-de.png`, fullPage: true });
  const phoneEn = await browser.newPage({ token: walk.token, viewport: { width: 390, height: 844 }, locale: 'en-US' });
  await phoneEn.goto(`${walk.base}/customers/contoso/savings-plans`);
  await phoneEn.getByText('The savings plans the customer holds in Azure').waitFor();
  await phoneEn.screenshot({ path: `${SCREENSHOTS}azure-savings-plans-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
