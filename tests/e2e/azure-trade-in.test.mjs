// A trade-in in Azure mode: the desk over the stand-ins of Partner Center and ARM
// (tests/e2e/azure-walk.mjs), whose ARM takes no savings plan under 1.00 an hour. Contoso vm 3
// traded in for a savings plan for compute: at the desk's minimum, Review shows ARM's
// calculateExchange beside the desk's quote and Azure's policy refusal inline with its code and
// what it means (Exchange now held); at 1.00 an hour Azure's figures (the plan's due now among
// them) sit beside the desk's and Exchange now carries it out through ARM once; History names
// the savings plan Azure made. German at phone width shows the refusal too. Desktop and phone,
// English and German; axe in both schemes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

let walk;
let browser;

before(async () => {
  walk = await azureWalkServer('azure-trade-in');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

test('Azure mode: a trade-in quoted by ARM beside the desk, refused by Azure\'s policy with its meaning, then made once', async () => {
  const page = await browser.newPage({ token: walk.token, viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${walk.base}/customers/contoso/reservations/res-c3/exchange`);
  await page.getByRole('heading', { name: 'Exchange', level: 2, exact: true }).waitFor();
  await page.getByLabel('Trade in for a savings plan').check();
  const minimum = page.getByText(/^Minimum: \$[\d,]+\.\d\d an hour\./);
  await minimum.waitFor();
  const shown = Number((await minimum.textContent()).match(/^Minimum: \$([\d,]+\.\d\d) an hour/)[1].replace(/,/g, ''));
  assert.ok(shown < 1, `the desk's minimum (${shown}) is under Azure's 1.00`);
  await page.locator('#plan-name').fill('Contoso compute plan');
  await page.locator('#plan-term').selectOption('P1Y');
  await page.getByRole('button', { name: 'Use the minimum' }).click();

  // Review at the desk's minimum: the desk's quote is valid, Azure's policy refuses it.
  await page.getByRole('button', { name: 'Review' }).click();
  const azure = page.getByRole('region', { name: 'Azure\'s calculation' });
  await azure.waitFor();
  const refusal = azure.getByRole('alert');
  await refusal.getByText(/^SavingsPlanCommitmentTooLow: /).waitFor();
  await refusal.getByText('Azure says the savings plan\'s hourly commitment is below the least it accepts for what is traded in: raise the hourly commitment and review again.').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Exchange now' }).isDisabled(), 'Exchange now is held while Azure refuses');
  await page.screenshot({ path: `${SCREENSHOTS}azure-trade-in-refused-desktop.png`, fullPage: true });
  await azure.screenshot({ path: `${SCREENSHOTS}azure-trade-in-check-refused-desktop.png` });
  assertNoViolations(await schemeViolations(page, 'Trade-in in Azure mode, Azure\'s refusal shown'));

  // 1.00 an hour: Azure's figures beside the desk's, the plan's due now the same.
  await page.locator('#plan-hourly').fill('1.00');
  await page.getByRole('button', { name: 'Review' }).click();
  const planRow = azure.getByRole('row', { name: /^Savings plan 1 \(Savings plan for compute\), due now/ });
  await planRow.waitFor();
  assert.deepEqual((await planRow.locator('td').allTextContents()).map((t) => t.trim()), ['$8,760.00', '$8,760.00', ''], 'the plan\'s cost now, the desk\'s and Azure\'s');
  assert.equal(await azure.getByRole('alert').count(), 0, 'Azure accepts it');
  await page.screenshot({ path: `${SCREENSHOTS}azure-trade-in-review-desktop.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}azure-trade-in-review-desktop-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  assertNoViolations(await schemeViolations(page, 'Trade-in in Azure mode, Azure\'s figures beside the desk\'s'));

  // Exchange now: carried out through ARM; History names the savings plan Azure made.
  await page.getByRole('button', { name: 'Exchange now' }).click();
  await page.getByText('Trade-in done: savings plan Contoso compute plan bought.').waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}azure-trade-in-done-desktop.png`, fullPage: true });
  await page.goto(`${walk.base}/customers/contoso/reservations/res-c3/history`);
  await page.getByText(/Azure savings plan sp-1-1/).first().waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}azure-trade-in-history-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
});

test('Azure mode, German at phone width: Azure\'s refusal of a trade-in inline, in German', async () => {
  const page = await browser.newPage({ token: walk.token, viewport: { width: 390, height: 844 }, locale: 'de-DE' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${walk.base}/customers/contoso/reservations/res-c5/exchange?lang=de`);
  await page.locator('#buy-savings-plan').check();
  await page.locator('#plan-name').fill('Contoso Sparplan');
  // At least the desk's minimum, under Azure's 1,00.
  await page.locator('#plan-minimum button').click();
  await page.getByRole('button', { name: 'Prüfen', exact: true }).click();
  const alert = page.locator('.azure-check [role=alert]');
  await alert.getByText(/^SavingsPlanCommitmentTooLow: /).waitFor();
  await alert.getByText(/Laut Azure liegt die stündliche Verpflichtung des Sparplans unter dem Mindestwert/).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}azure-trade-in-refused-phone-de.png`, fullPage: true });
  await page.locator('.azure-check').screenshot({ path: `${SCREENSHOTS}azure-trade-in-check-phone-de.png` });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling at phone width (${width})`);
  assert.deepEqual(errors, []);
});
