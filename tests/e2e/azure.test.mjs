// The desk in Azure mode in the browser: the release build served by the desk reading
// stand-ins of Partner Center and ARM (crates/server/tests/azure_walk_server.rs, started here
// through cargo: the stand-ins are Rust test modules, and the native tests of scripts/test.sh
// have built that test binary). Signed in as the Admin agent whose token the server prints, the
// walk finds the customers Partner Center lists, a reservation ARM lists with the price its
// order gives, a refund on it through Azure (Review shows ARM's calculateRefund beside the desk's
// quote, the difference named; Submit with a reason; the done state; the desk's quantity drops,
// and after a Refresh, a new read of ARM, it still shows the unit gone at the stand-in), a
// reservation renamed through ARM (shown after Save and after the Refresh), an exchange through
// Azure (Review shows ARM's calculateExchange beside the desk's quote; Exchange now opens the
// reservation Azure bought), a reservation whose
// order could not be read (its price unknown, no quote), and a customer whose last read failed:
// its reason, the word stale, and its refunds and exchanges held with why. Screenshots of each
// step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';

let walk;
let base;
let token;
let browser;

before(async () => {
  walk = await azureWalkServer('azure walk');
  ({ base, token } = walk);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

async function newPage() {
  // The token goes where the app keeps a bearer token (browser.mjs, src/session.rs).
  const page = await browser.newPage({ token, viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

test('Azure mode: Partner Center\'s customers, an ARM reservation at its order\'s price, a refund and an exchange made through Azure, a rename through ARM; a failed read holds money actions and says why', async () => {
  const { page, errors } = await newPage();
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}azure-${name}.png`, fullPage: true });

  // The customers come from Partner Center (the stand-in's five, no demo customer).
  await page.goto(`${base}/customers`);
  for (const name of ['Contoso', 'Fabrikam', 'Slow Throttled Ltd', 'No GDAP Role Inc', 'Always Throttled plc']) {
    await page.getByRole('link', { name, exact: true }).waitFor();
  }
  assert.equal(await page.getByRole('link', { name: 'Fabrikam Inc' }).count(), 0, 'no demo customer');
  await shot('1-customers');

  // Contoso: read from Azure just now, its reservations from ARM.
  await page.getByRole('link', { name: 'Contoso', exact: true }).click();
  await page.getByRole('heading', { name: 'Contoso', level: 1 }).waitFor();
  await page.getByText('Read from Azure just now.').waitFor();
  assert.equal(await page.getByText(/^Stale:/).count(), 0, 'a fresh read is not stale');
  // What goes to Azure from here: every change, refunds and exchanges among them.
  await page.locator('.source-status').getByText(/archiving, refunds and exchanges go to Azure first/).waitFor();
  await page.getByRole('link', { name: 'contoso vm 2' }).waitFor();
  await shot('2-customer');

  // A reservation ARM listed, at the price its order gives: 4204.80 USD for 2 units.
  await page.goto(`${base}/customers/contoso/reservations/res-c2/properties`);
  await page.getByRole('heading', { name: 'Properties', level: 2 }).waitFor();
  await page.locator('dl.properties').getByText('$2,102.40').waitFor();
  await shot('3-properties');

  // Refund → Review: the server's quote on Azure's price (2102.40 paid upfront for the unit, 73
  // days used), and beside it Azure's own calculateRefund, which the stand-in answers a little
  // lower (1680.00): the difference is named, Azure's figure is the one that counts.
  await page.goto(`${base}/customers/contoso/reservations/res-c2/refund`);
  await page.getByLabel('Quantity to return').fill('1');
  await page.getByRole('region', { name: 'Quote breakdown' }).first().waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  // Browser and desk agree: the desk's quote is a mark beside the live one.
  await page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).count(), 0, 'the server\'s quote agrees: not shown a second time');
  const live = page.getByRole('region', { name: 'Quote breakdown' }).first();
  await live.getByText('$2,102.40').first().waitFor();
  const deskTotal = (await live.locator('tfoot td').textContent()).trim();
  const azure = page.getByRole('region', { name: 'Azure\'s calculation' });
  await azure.waitFor();
  const refundRow = azure.getByRole('row', { name: /^Refund \$/ });
  assert.deepEqual(
    (await refundRow.locator('td').allTextContents()).map((t) => t.trim()),
    [deskTotal, '$1,680.00', 'Differs'],
    'the desk\'s refund and Azure\'s side by side, the difference marked',
  );
  const limitRow = azure.getByRole('row', { name: /^Refund limit / });
  assert.deepEqual((await limitRow.locator('td').allTextContents()).map((t) => t.trim()), ['$50,000.00', '$50,000.00', ''], 'the same limit: no mark');
  await azure.getByRole('note').getByText(`Refund: the desk says ${deskTotal}, Azure says $1,680.00.`, { exact: true }).waitFor();
  await azure.getByText('Azure\'s refund limit leaves $50,000.00; this refund counts $1,680.00.').waitFor();
  await shot('4-refund-review');

  // Submit (a reason typed): the return goes to ARM with Azure's session, its operation is
  // followed, and the desk records Azure's refund.
  await page.getByLabel('Reason for the return').fill('The workload moved to another region.');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  const done = page.locator('p.success[role=status]');
  await done.getByText(/^Refund \S+ submitted: \$1,680\.00 goes back to the customer\.$/).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Submit refund' }).count(), 0, 'no second submit offered');
  await shot('4b-refund-done');
  // The desk's reservation holds one unit fewer (2 → 1), as Azure's answer says.
  const quantity = async () => {
    await page.goto(`${base}/customers/contoso/reservations/res-c2/properties`);
    await page.getByRole('heading', { name: 'Properties', level: 2 }).waitFor();
    return (await page.locator('dl.properties dt', { hasText: /^Quantity$/ }).locator('xpath=following-sibling::dd[1]').textContent()).trim();
  };
  assert.equal(await quantity(), '1', 'the desk shows the unit returned');

  // A configuration change through ARM: rename a reservation; after Save the name shows.
  await page.goto(`${base}/customers/contoso/reservations/res-c3/configuration`);
  await page.getByLabel('Display name').fill('contoso vm 3 (web tier)');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').getByText('Saved.', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Show the updated reservation' }).click();
  await page.goto(`${base}/customers/contoso/reservations/res-c3/properties`);
  await page.locator('dl.properties').getByText('contoso vm 3 (web tier)', { exact: true }).waitFor();

  // Refresh Contoso: the desk reads ARM again, so what it shows now is what the stand-in holds:
  // the unit is gone at ARM and the new name is ARM's.
  await page.goto(`${base}/customers/contoso`);
  await page.getByRole('heading', { name: 'Contoso', level: 1 }).waitFor();
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/source/customers/contoso/refresh') && r.request().method() === 'POST');
  // The refund limit: the desk's ledger, and Azure's own count (0 at Review, plus the 1,680.00
  // Azure said the refund counts).
  await page.locator('.limit-meter .azure-standing').getByText(/^Azure counts \$1,680\.00 of \$50,000\.00 \(\$48,320\.00 left\) by its answers of .*: in Azure mode this is the limit that counts\.$/).waitFor();
  await page.locator('.source-status').getByRole('button', { name: 'Refresh' }).click();
  const refresh = await refreshed;
  assert.equal(refresh.status(), 200);
  assert.equal((await refresh.json()).error ?? null, null, 'the read succeeded');
  await page.getByRole('link', { name: 'contoso vm 3 (web tier)' }).waitFor();
  await shot('4c-after-refresh');
  assert.equal(await quantity(), '1', 'ARM holds one unit now');

  // An exchange through Azure: one unit of contoso vm 4 for one Standard_D4s_v5. Review shows
  // ARM's calculateExchange beside the desk's quote (ARM's credit a little below the desk's: the
  // difference named; the purchase at the same price); Exchange now posts it to ARM with Azure's
  // session, follows it, and the reservation Azure bought opens under Azure's IDs.
  await page.goto(`${base}/customers/contoso/reservations/res-c4/exchange`);
  await page.getByRole('heading', { name: 'Exchange', level: 2, exact: true }).waitFor();
  await page.locator('#exchange-return').fill('1');
  const purchase = page.locator('fieldset.purchase-line').first();
  await purchase.getByLabel('SKU').selectOption('Standard_D4s_v5/westeurope');
  await purchase.getByLabel('Term').selectOption('P1Y');
  await page.locator('#purchase-0').fill('1');
  await page.getByRole('button', { name: 'Review' }).click();
  const azureExchange = page.getByRole('region', { name: 'Azure\'s calculation' });
  await azureExchange.waitFor();
  await shot('4d-exchange-review');
  const cells = async (name) => (await azureExchange.getByRole('row', { name }).locator('td').allTextContents()).map((t) => t.trim());
  assert.deepEqual(await cells(/^Due now for the purchases /), ['$1,752.00', '$1,752.00', ''], 'the same purchase price: no mark');
  const credit = await cells(/^Credit for the returns /);
  assert.deepEqual(credit.slice(1), ['$1,680.00', 'Differs'], `Azure's credit beside the desk's ${credit[0]}`);
  await azureExchange.getByRole('note').getByText(/^Credit for the returns: the desk says \$1,6\d\d\.\d\d, Azure says \$1,680\.00\.$/).waitFor();
  await page.getByRole('button', { name: 'Exchange now' }).click();
  await page.getByText('Exchange done: new reservation order xorder-1.').waitFor();
  await shot('4e-exchange-done');
  await page.getByRole('link', { name: 'Open the new reservation' }).click();
  await page.waitForURL(/\/reservations\/xres-1-1/);
  await page.goto(`${base}/customers/contoso/reservations/xres-1-1/properties`);
  await page.locator('dl.properties').getByText('Standard_D4s_v5').first().waitFor();
  await shot('4f-exchange-new-reservation');

  // Fabrikam: read once, then its tenant refused (403): the reason, stale, what was read stays.
  await page.goto(`${base}/customers/fabrikam`);
  await page.getByRole('heading', { name: 'Fabrikam', level: 1 }).waitFor();
  const status = page.locator('.source-status [role=status]');
  await status.getByText(/^Stale: The last read from Azure failed: .*does not have authorization.* \(AuthorizationFailed\)\. Read from Azure/).waitFor();
  await page.getByRole('link', { name: 'fabrikam sql' }).waitFor();
  await shot('5-failed-customer');

  // Its money actions are held, with why, beside the buttons; the live quote still works.
  await page.goto(`${base}/customers/fabrikam/reservations/res-f1/refund`);
  const held = page.locator('#refund-source-hold');
  await held.getByText(/^Refunds and exchanges are held for this customer until a read from Azure succeeds .* The last read failed: .*\(AuthorizationFailed\)\.$/).waitFor();
  const review = page.getByRole('button', { name: 'Review' });
  assert.ok(await review.isDisabled(), 'Review is held');
  assert.equal(await review.getAttribute('aria-describedby'), 'refund-source-hold');
  await page.getByRole('region', { name: 'Quote breakdown' }).first().waitFor();
  await shot('6-refund-held');
  await page.goto(`${base}/customers/fabrikam/reservations/res-f1/exchange`);
  await page.locator('#exchange-source-hold').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Review' }).isDisabled(), 'the exchange\'s Review is held');
  await shot('7-exchange-held');

  // A reservation whose order Azure did not let the user read: its price is unknown, with why,
  // and no refund is quoted on it (never a refund of zero).
  await page.goto(`${base}/customers/slow/reservations/res-s1/properties`);
  await page.locator('dl.properties').getByText('Unknown: Azure did not give it (AuthorizationFailed)').waitFor();
  await shot('8-price-unknown');
  await page.goto(`${base}/customers/slow/reservations/res-s1/refund`);
  await page.getByText(/^Azure did not give this reservation's price, so the desk quotes no refund or exchange on it/).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Quote breakdown' }).count(), 0, 'no quote on an unknown price');
  await shot('9-refund-price-unknown');

  // A customer whose tenant refused from the start shows why.
  await page.goto(`${base}/customers/forbidden`);
  await page.getByRole('heading', { name: 'No GDAP Role Inc', level: 1 }).waitFor();
  await status.getByText(/AuthorizationFailed/).waitFor();
  await shot('10-never-read');

  assert.deepEqual(errors, []);
});
