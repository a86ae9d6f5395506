// Maker and checker on the release build, on a server of its own started with an approval
// threshold of $100.00 (the shared e2e server has none, so the other walks still move money at
// once). Review says before Submit whether the move will wait: not for a refund or an exchange
// whose figure is at or below the threshold, and, naming the figure and the threshold, for one
// above it. The Admin agent asks for a refund and an exchange above it: nothing moves, the
// reservation says it waits for approval by someone else and offers no second submit, and the
// Approvals page lets the requester neither approve nor reject. The Global admin finds each
// request named on the Approvals page (each returned reservation with its ID and units, the
// reason, the requester; an exchange's net payable and the credit for the returns), also on a
// phone (390 × 844: Approve and Reject on screen, nothing wider than it), and approves both:
// the outcome names the figures the server carried out, and the unit is gone once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const THRESHOLD = '100';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 850 };

let browser;
let server;
let base;

before(async () => {
  server = await startOwnServer('approval', ['--approval-threshold', THRESHOLD]);
  base = server.url;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** The server's answer to `path` as `token` (the test reads what the page must show from it). */
async function api(path, token = 'demo-admin-agent') {
  const response = await fetch(`${base}/api${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

/** Money as the app writes it in en-US (the browser's Intl, as src/format.rs uses it). */
const usd = (m) => new Intl.NumberFormat('en-US', { style: 'currency', currency: m.currencyCode }).format(Number(m.amount));

/** Fabrikam's reservations by display name, and the path of one's panel. */
async function fabrikam() {
  const customer = (await api('/customers')).find((c) => c.name === 'Fabrikam Inc');
  const list = await api(`/customers/${customer.id}/reservations`);
  const byName = (name) => {
    const r = list.find((x) => x.displayName === name);
    assert.ok(r, `Fabrikam's ${name}`);
    return r;
  };
  const panel = (r, name) => `${base}/customers/${customer.id}/reservations/${r.id}/${name}`;
  return { customer, byName, panel };
}

/** Screenshots of the page as it is, in the light and the dark scheme. */
async function shots(page, name) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${SCREENSHOTS}${name}-${colorScheme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Whether the element is wholly inside the viewport's width. */
async function onScreen(locator, width) {
  const box = await locator.boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= width;
}

test('Review warns above the threshold only; a request names what, how many, why and who; an exchange shows both figures; Approvals fits a phone', async () => {
  const { customer, byName, panel } = await fabrikam();
  const below = byName('vm-d2sv5-wes-02');
  const refunded = byName('vm-d2sv5-eas-06');
  const exchanged = byName('vm-d4sv5-wes-05');
  const maker = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', token: 'demo-admin-agent' });
  const page = await maker.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const failures = [];
  const actions = page.getByRole('toolbar', { name: 'Actions' });
  // The server's quote agrees with the live one: a confirmation mark, not a second quote.
  const confirmed = page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' });

  // At or below the threshold, Review says nothing of an approval (a refund, then an exchange).
  await page.goto(panel(below, 'refund'));
  await page.getByLabel('Quantity to return').fill('1');
  let answer = page.waitForResponse((r) => r.url().endsWith('/calculateRefund'));
  await page.getByRole('button', { name: 'Review' }).click();
  let quoted = await (await answer).json();
  await confirmed.waitFor();
  assert.ok(Number(quoted.quote.refundAmount.amount) <= Number(THRESHOLD), `a refund below the threshold: ${quoted.quote.refundAmount.amount}`);
  assert.equal(quoted.approvalNeeded, undefined);
  assert.equal(await page.locator('.approval-needed').count(), 0, 'no warning below the threshold');
  await page.goto(panel(below, 'exchange'));
  await page.getByRole('region', { name: 'Exchange quote' }).waitFor();
  answer = page.waitForResponse((r) => r.url().endsWith('/calculateExchange'));
  await page.getByRole('button', { name: 'Review' }).click();
  quoted = await (await answer).json();
  await confirmed.waitFor();
  assert.ok(Number(quoted.quote.refundsTotal.amount) <= Number(THRESHOLD), `an exchange's credit below the threshold: ${quoted.quote.refundsTotal.amount}`);
  assert.equal(await page.locator('.approval-needed').count(), 0, 'no warning below the threshold');
  assert.equal(await page.getByLabel(/Reason for the exchange/).count(), 0);

  // Above it, the refund's Review says it will wait, with the server's figure and the threshold.
  await page.goto(panel(refunded, 'refund'));
  await page.getByRole('heading', { name: 'Refund', level: 2 }).waitFor();
  const quantityBefore = refunded.quantity;
  await page.getByLabel('Quantity to return').fill('1');
  answer = page.waitForResponse((r) => r.url().endsWith('/calculateRefund'));
  await page.getByRole('button', { name: 'Review' }).click();
  const refundQuote = await (await answer).json();
  await confirmed.waitFor();
  const warning = page.locator('#refund-approval-needed');
  await warning.waitFor();
  assert.equal(
    await warning.textContent(),
    `This refund (${usd(refundQuote.approvalNeeded.figure)}) is above the approval threshold ($100.00, in USD): after you submit it, it waits until someone else approves it. Nothing moves until then.`,
  );
  assert.equal(usd(refundQuote.approvalNeeded.figure), usd(refundQuote.quote.refundAmount), 'a USD refund is compared as itself');
  const submitRefund = page.getByRole('button', { name: 'Submit refund' });
  assert.match(await submitRefund.getAttribute('aria-describedby'), /refund-approval-needed/, 'Submit names the warning');
  await page.getByLabel('Reason for the return').fill('Workload moved to another region');
  await shots(page, 'approval-refund-review');
  failures.push(...await schemeViolations(page, 'refund reviewed above the approval threshold'));
  await page.setViewportSize(PHONE);
  await shots(page, 'approval-refund-review-390');
  await page.setViewportSize(DESKTOP);
  await submitRefund.click();
  // Said once, in the Actions bar, which takes focus now that Submit is gone.
  const note = actions.locator('#actions-disabled-reason');
  await note.waitFor();
  assert.match(await note.textContent(), /A refund of .* requested by Adam Agent is waiting for approval by someone else/);
  assert.equal(await page.locator('.approval-waiting').count(), 1, 'the waiting request is said once');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'actions-disabled-reason', 'focus on the note');
  assert.equal(await page.getByRole('button', { name: 'Review' }).getAttribute('aria-describedby'), 'actions-disabled-reason');
  assert.equal(await page.getByRole('button', { name: 'Submit refund' }).count(), 0, 'no second submit');
  assert.ok(await page.getByRole('button', { name: 'Review' }).isDisabled(), 'no second review');
  assert.ok(await actions.getByRole('button', { name: 'Refund' }).isDisabled());
  assert.ok(await actions.getByRole('button', { name: 'Exchange' }).isDisabled());
  assert.match(await actions.locator('#actions-disabled-reason').textContent(), /waiting for approval by someone else/);
  await page.screenshot({ path: SCREENSHOTS + 'approval-waiting.png', fullPage: true });

  // After a reload (and on the Overview), the reservation still says it waits; nothing moved.
  await page.goto(panel(refunded, ''));
  await page.getByRole('heading', { name: 'Overview', level: 2 }).waitFor();
  const quantityCell = page.locator('.summary-grid div', { hasText: 'Quantity' }).locator('dd');
  assert.equal(Number(await quantityCell.textContent()), quantityBefore, 'nothing moved yet');
  await actions.getByText(/waiting for approval by someone else/).waitFor();

  // An exchange above the threshold: Review names the credit for the returns (the figure the
  // threshold is compared with) and asks the reason for the approver.
  await page.goto(panel(exchanged, 'exchange'));
  await page.getByRole('region', { name: 'Exchange quote' }).waitFor();
  await page.getByLabel('SKU').selectOption('Standard_D4s_v5/westeurope');
  await page.getByText(/covers the remaining one/).waitFor();
  answer = page.waitForResponse((r) => r.url().endsWith('/calculateExchange'));
  await page.getByRole('button', { name: 'Review' }).click();
  const exchangeQuote = await (await answer).json();
  await confirmed.waitFor();
  assert.equal(usd(exchangeQuote.approvalNeeded.figure), usd(exchangeQuote.quote.refundsTotal));
  const exchangeWarning = page.locator('#exchange-approval-needed');
  assert.equal(
    await exchangeWarning.textContent(),
    `The credit for the returns (${usd(exchangeQuote.quote.refundsTotal)}) is above the approval threshold ($100.00, in USD): after you submit this exchange, it waits until someone else approves it. Nothing moves until then.`,
  );
  assert.match(await page.getByRole('button', { name: 'Exchange now' }).getAttribute('aria-describedby'), /exchange-approval-needed/);
  await page.getByLabel('Reason for the exchange (for the approver, optional)').fill('Consolidating on D4s v5 for the new cluster');
  await shots(page, 'approval-exchange-review');
  failures.push(...await schemeViolations(page, 'exchange reviewed above the approval threshold'));
  await page.setViewportSize(PHONE);
  await shots(page, 'approval-exchange-review-390');
  await page.setViewportSize(DESKTOP);
  const asked = page.waitForResponse((r) => r.url().endsWith('/api/exchange'));
  await page.getByRole('button', { name: 'Exchange now' }).click();
  const exchangeAsked = await asked;
  assert.equal(exchangeAsked.status(), 202);
  const exchangeApproval = await exchangeAsked.json();
  await actions.locator('#actions-disabled-reason').getByText(/An exchange .* is waiting for approval by someone else/).waitFor();
  assert.equal(await page.locator('.approval-waiting').count(), 1, 'the waiting exchange is said once');

  // The requester sees both requests on the Approvals page, but may neither approve nor reject.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
  await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  for (const kind of ['Refund', 'Exchange']) {
    const own = page.getByRole('article', { name: `${kind} · Fabrikam Inc` });
    await own.waitFor();
    assert.ok(await own.getByRole('button', { name: 'Approve' }).isDisabled());
    assert.ok(await own.getByRole('button', { name: 'Reject' }).isDisabled());
    await own.getByText('You asked for this: someone else must approve or reject it.').waitFor();
  }
  assert.deepEqual(errors, []);
  await maker.close();

  // The Global admin reads each request: what, how many, why, who, and the figures.
  const checker = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', token: 'demo-global-admin' });
  const other = await checker.newPage();
  other.on('pageerror', (e) => errors.push(String(e)));
  await other.goto(`${base}/approvals`);
  const refundCard = other.getByRole('article', { name: 'Refund · Fabrikam Inc' });
  const exchangeCard = other.getByRole('article', { name: 'Exchange · Fabrikam Inc' });
  await refundCard.waitFor();
  await exchangeCard.waitFor();
  const link = refundCard.getByRole('link', { name: 'vm-d2sv5-eas-06' });
  assert.equal(await link.getAttribute('href'), `/customers/${customer.id}/reservations/${refunded.id}`);
  const reservationId = refundCard.locator('.approval-id');
  assert.equal(await reservationId.textContent(), `Reservation ID: ${refunded.id}`);
  assert.equal(await refundCard.locator('.approval-units').textContent(), 'Quantity: 1');
  assert.equal(await refundCard.locator('.approval-reason dd').textContent(), 'Workload moved to another region');
  await refundCard.getByText('Adam Agent', { exact: true }).waitFor();
  // A refund in USD is itself the figure compared with the threshold.
  assert.equal(await refundCard.locator('.approval-refund dd').textContent(), `${usd(refundQuote.quote.refundAmount)}compared with the approval threshold`);
  assert.equal(await refundCard.locator('.approval-usd').count(), 0, 'no second USD figure');

  const net = exchangeApproval.exchangeQuote.netPayable;
  assert.equal(usd(net), usd(exchangeQuote.quote.netPayable), 'the request keeps the reviewed quote');
  assert.ok(Number(net.amount) > 0, 'the customer pays for this exchange');
  await exchangeCard.getByRole('link', { name: 'vm-d4sv5-wes-05' }).waitFor();
  assert.equal(await exchangeCard.locator('.approval-units').textContent(), 'Quantity: 1');
  assert.equal(await exchangeCard.locator('.approval-id').textContent(), `Reservation ID: ${exchanged.id}`);
  assert.equal(await exchangeCard.locator('.approval-reason dd').textContent(), 'Consolidating on D4s v5 for the new cluster');
  await exchangeCard.getByText('Adam Agent', { exact: true }).waitFor();
  assert.equal(await exchangeCard.locator('.approval-net dt').textContent(), 'Net payable');
  assert.equal(await exchangeCard.locator('.approval-net dd').textContent(), usd(net));
  assert.equal(await exchangeCard.locator('.approval-credit dt').textContent(), 'Credit for the returns');
  assert.match(await exchangeCard.locator('.approval-credit dd').textContent(), new RegExp(`^${usd(exchangeQuote.quote.refundsTotal).replace('$', '\\$')}`));
  // What the exchange buys, before it is approved: the reservation with its region by name.
  assert.match(await exchangeCard.locator('.approval-buys .approval-line').textContent(), /^\d+ × Standard_D4s_v5 in West Europe, \d years?, (Upfront|Monthly)$/);
  assert.equal(await exchangeCard.locator('.approval-buys .approval-scope').textContent(), 'Scope: Shared');
  assert.equal(await exchangeCard.locator('.approval-buys .approval-renewal').textContent(), 'Automatic renewal: off');

  // The quote to approve, behind a disclosure.
  await exchangeCard.getByText('Itemized quote').click();
  await exchangeCard.getByRole('region', { name: 'The quote to approve' }).waitFor();
  await shots(other, 'approvals');
  failures.push(...await schemeViolations(other, 'Approvals, two requests, a quote open'));

  // On a phone: nothing wider than the screen, each request's Approve and Reject on it.
  await other.setViewportSize(PHONE);
  await other.waitForFunction((w) => document.documentElement.clientWidth === w, PHONE.width);
  for (const card of [refundCard, exchangeCard]) {
    for (const name of ['Approve', 'Reject']) {
      const button = card.getByRole('button', { name });
      await button.scrollIntoViewIfNeeded();
      assert.ok(await onScreen(button, PHONE.width), `${name} is on a 390 px screen: ${JSON.stringify(await button.boundingBox())}`);
    }
  }
  const widest = await other.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(widest <= PHONE.width, `the page is ${widest} px wide on a ${PHONE.width} px screen`);
  await other.evaluate(() => window.scrollTo(0, 0));
  await shots(other, 'approvals-390');
  failures.push(...await schemeViolations(other, 'Approvals on a phone'));

  // Approving the exchange says both figures the server carried out.
  const decided = other.waitForResponse((r) => r.url().endsWith('/approve'));
  await exchangeCard.getByRole('button', { name: 'Approve' }).click();
  const done = await (await decided).json();
  assert.equal(done.status, 'approved');
  const carried = done.exchange.quote;
  assert.equal(usd(carried.netPayable), usd(net), 'the same figure moved');
  await other.getByRole('status').filter({
    hasText: `Approved: the exchange is done. Net payable ${usd(carried.netPayable)}; credit for the returns ${usd(carried.refundsTotal)}.`,
  }).waitFor();
  await other.screenshot({ path: SCREENSHOTS + 'approvals-exchange-approved-390.png', fullPage: true });
  await other.setViewportSize(DESKTOP);

  // The refund, approved by keyboard, says its refund.
  await exchangeCard.waitFor({ state: 'detached' });
  await refundCard.getByRole('button', { name: 'Approve' }).focus();
  await other.keyboard.press('Enter');
  await other.getByRole('status').filter({ hasText: `Approved: ${usd(refundQuote.quote.refundAmount)} moved.` }).waitFor();
  await other.getByText('Nothing is waiting for approval.').waitFor();

  // The unit is gone, once; the reservation offers a refund again.
  await other.goto(panel(refunded, ''));
  await other.getByRole('heading', { name: 'Overview', level: 2 }).waitFor();
  const after = other.locator('.summary-grid div', { hasText: 'Quantity' }).locator('dd');
  assert.equal(Number(await after.textContent()), quantityBefore - 1);
  await other.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).waitFor();
  assert.deepEqual(errors, []);
  await checker.close();
  assertNoViolations(failures);
});
