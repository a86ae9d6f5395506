// Maker and checker on the release build, on a server of its own started with
// an approval threshold every refund is above (`--approval-threshold 0`; the shared e2e server
// has none, so the other walks still move money at once). The Admin agent asks for a refund:
// nothing moves, the reservation says it waits for approval by someone else and offers no second
// submit, and the Approvals page lets the requester neither approve nor reject. The Global admin
// approves it on the Approvals page (by keyboard), and the unit is gone once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';

let browser;
let server;
let base;

before(async () => {
  // Every refund waits for approval on this server of its own.
  server = await startOwnServer('approval', ['--approval-threshold', '0']);
  base = server.url;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test('a refund above the threshold waits for approval by someone else, who approves it on the Approvals page', async () => {
  const maker = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', token: 'demo-admin-agent' });
  const page = await maker.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: 'Fabrikam Inc' }).click();
  await page.getByRole('heading', { name: 'Fabrikam Inc', level: 1 }).waitFor();
  await page.getByLabel('Status').selectOption('Succeeded');
  const rows = page.locator('tbody tr');
  let target = -1;
  for (let i = 0; i < await rows.count(); i++) {
    if (Number(await rows.nth(i).locator('td.num').first().textContent()) >= 2) { target = i; break; }
  }
  assert.ok(target >= 0, 'an active reservation with 2+ units');
  const quantityBefore = Number(await rows.nth(target).locator('td.num').first().textContent());
  await rows.nth(target).getByRole('link').click();
  await page.getByRole('heading', { name: 'Overview', level: 2 }).waitFor();
  const reservationUrl = page.url();

  // The Admin agent asks for a refund of one unit.
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  await page.getByLabel('Quantity to return').fill('1');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).waitFor();
  await page.getByLabel('Reason for the return').fill('Workload moved to another region');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  const note = page.locator('#refund-waiting');
  await note.waitFor();
  assert.match(await note.textContent(), /A refund of .* requested by Adam Agent is waiting for approval by someone else/);
  assert.equal(await page.getByRole('button', { name: 'Submit refund' }).count(), 0, 'no second submit');
  assert.ok(await page.getByRole('button', { name: 'Review' }).isDisabled(), 'no second review');
  // The Actions bar says so too, and offers no refund or exchange.
  const actions = page.getByRole('toolbar', { name: 'Actions' });
  assert.ok(await actions.getByRole('button', { name: 'Refund' }).isDisabled());
  assert.ok(await actions.getByRole('button', { name: 'Exchange' }).isDisabled());
  assert.match(await actions.locator('#actions-disabled-reason').textContent(), /waiting for approval by someone else/);
  await page.screenshot({ path: SCREENSHOTS + 'approval-waiting.png', fullPage: true });

  // After a reload (and on the Overview), the reservation still says it waits; nothing moved.
  await page.goto(reservationUrl);
  await page.getByRole('heading', { name: 'Overview', level: 2 }).waitFor();
  const quantityCell = page.locator('.summary-grid div', { hasText: 'Quantity' }).locator('dd');
  assert.equal(Number(await quantityCell.textContent()), quantityBefore, 'nothing moved yet');
  await page.getByRole('toolbar', { name: 'Actions' }).getByText(/waiting for approval by someone else/).waitFor();

  // The requester sees the request on the Approvals page, but may neither approve nor reject it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
  await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  const own = page.getByRole('row', { name: /Fabrikam Inc/ });
  await own.waitFor();
  assert.ok(await own.getByRole('button', { name: 'Approve' }).isDisabled());
  assert.ok(await own.getByRole('button', { name: 'Reject' }).isDisabled());
  await own.getByText('You asked for this: someone else must approve or reject it.').waitFor();
  assert.deepEqual(errors, []);
  await maker.close();

  // The Global admin approves it, by keyboard.
  const checker = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', token: 'demo-global-admin' });
  const other = await checker.newPage();
  other.on('pageerror', (e) => errors.push(String(e)));
  await other.goto(`${base}/approvals`);
  const row = other.getByRole('row', { name: /Fabrikam Inc/ });
  await row.waitFor();
  assert.match(await row.textContent(), /Refund.*Adam Agent/);
  // The quote to approve, behind the request's kind.
  await row.getByText('Refund', { exact: true }).click();
  await row.getByRole('region', { name: 'The quote to approve' }).waitFor();
  await other.screenshot({ path: SCREENSHOTS + 'approvals.png', fullPage: true });
  await row.getByRole('button', { name: 'Approve' }).focus();
  await other.keyboard.press('Enter');
  await other.getByRole('status').filter({ hasText: /^Approved: .* moved\.$/ }).waitFor();
  await other.getByText('Nothing is waiting for approval.').waitFor();

  // The unit is gone, once; the reservation offers a refund again.
  await other.goto(reservationUrl);
  await other.getByRole('heading', { name: 'Overview', level: 2 }).waitFor();
  const after = other.locator('.summary-grid div', { hasText: 'Quantity' }).locator('dd');
  assert.equal(Number(await after.textContent()), quantityBefore - 1);
  await other.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).waitFor();
  assert.deepEqual(errors, []);
  await checker.close();
});
