// The partner's change or ticket reference on a refund, on the release build served by a server
// of its own started with `--require-ticket-reference true`: the Refund panel asks for it (its
// hint says it is required), Submit without one is stopped inline and moves nothing, a reference
// on the second try goes through, and the audit log shows it beside the refund. axe-core checks
// the panel with the field's error, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';
import { openActiveWithUnits } from './customer-rows.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await startOwnServer('tickets', ['--require-ticket-reference', 'true']);
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test('a refund asks for the required ticket reference, and History and the audit log show it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US', token: 'demo-global-admin' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}/customers`);
  await page.getByRole('link', { name: 'Fabrikam Inc' }).click();
  await page.getByRole('heading', { name: 'Fabrikam Inc', level: 1 }).waitFor();
  const before = await openActiveWithUnits(page, 2);
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  await page.getByLabel('Quantity to return').fill('1');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();

  const ticket = page.getByLabel('Change or ticket reference');
  await page.getByText('Required here: your own change or ticket number').waitFor();
  assert.equal(await ticket.getAttribute('aria-required'), 'true');
  await page.getByLabel('Reason for the return').fill('Workload moved to another region');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  const required = page.getByText('Enter your change or ticket reference: this deployment requires one on every refund and exchange.');
  await required.waitFor();
  assert.equal(await ticket.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('p.success').count(), 0, 'nothing was submitted');
  await page.screenshot({ path: SCREENSHOTS + 'ticket-reference-required.png', fullPage: true });
  assertNoViolations(await schemeViolations(page, 'refund with the ticket reference required'));

  await ticket.fill('x'.repeat(65));
  await page.getByText('A ticket reference has at most 64 characters.').waitFor();
  await ticket.fill('CHG-4711');
  assert.equal(await ticket.getAttribute('aria-invalid'), 'false');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  await page.locator('p.success').waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'ticket-reference-refund-done.png', fullPage: true });

  // The reservation's History: the refund, newest, with its ticket and the units it left.
  await page.getByRole('navigation', { name: 'Reservation panels' }).getByRole('link', { name: 'History' }).click();
  await page.getByRole('heading', { name: 'History', level: 2 }).waitFor();
  const newest = page.locator('.panel tbody tr').first();
  await newest.getByText('Ticket: CHG-4711').waitFor();
  assert.match(await newest.textContent(), /Refund.*Returned 1 unit \(quantity \d+ → \d+\)/);
  assert.equal((await newest.locator('td').first().textContent()).trim(), '—', 'a money move is no revision of the configuration');
  await page.screenshot({ path: SCREENSHOTS + 'ticket-reference-history.png', fullPage: true });

  await page.goto(`${server.url}/audit`);
  const row = page.locator('tbody tr').filter({ hasText: 'CHG-4711' });
  await row.first().waitFor();
  assert.match(await row.first().textContent(), /Returned 1 unit \(quantity \d+ → \d+\).*Change or ticket reference: CHG-4711/);
  assert.equal(before >= 2, true);
  await page.screenshot({ path: SCREENSHOTS + 'ticket-reference-audit.png', fullPage: true });
  assert.deepEqual(errors, []);
});
