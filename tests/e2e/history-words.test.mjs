// History and the Audit log in the user's language, on a server of its own with an approval
// threshold of $100.00. The Admin agent asks for a refund of a reservation and for an exchange of
// another, both above the threshold; the Global admin approves them. On a German page
// (`?lang=de`) the refund's History row and the Audit log's rows are written in German from the
// figures the desk recorded: none of the English words of the old lines ("returned",
// "quantity", "refund", "session"), the refund as German money (as src/format.rs writes it), no
// session ID in the sentence; History names who asked and who approved; the exchange's row says
// what it bought; the purchase row says what was bought. The Audit log's When stays on one line
// at 1366 px. Screenshots in English and German at 1366 × 900 and 390 × 844.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const MAKER = 'demo-admin-agent';
const CHECKER = 'demo-global-admin';
const OLD_ENGLISH = /\b(returned|quantity|refund|session)\b/i;

let browser;
let server;
let base;

before(async () => {
  server = await startOwnServer('history-words', ['--approval-threshold', '100']);
  base = server.url;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** `method path` with `body` as `token`: the status and the JSON answer. */
async function api(path, token = MAKER, method = 'GET', body = undefined) {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Money as the app writes it in `locale` (the browser's Intl, as src/format.rs uses it). */
const money = (m, locale) => new Intl.NumberFormat(locale, { style: 'currency', currency: m.currencyCode }).format(Number(m.amount));

/** Asked by the Admin agent above the threshold, approved by the Global admin. */
async function approvedMoves() {
  const customer = (await api('/customers')).body.find((c) => c.name === 'Fabrikam Inc');
  const active = (await api(`/customers/${customer.id}/reservations`)).body.filter((r) => r.provisioningState === 'Succeeded' && r.quantity >= 2);
  // The refund: the reservation whose one unit refunds the most (above the threshold).
  let refund;
  for (const r of active) {
    const calc = await api(`/reservationOrders/${r.reservationOrderId}/calculateRefund`, MAKER, 'POST', { reservationId: r.id, quantity: 1 });
    if (calc.status === 200 && Number(calc.body.quote.refundAmount.amount) > 100 && calc.body.approvalNeeded) {
      refund = { r, calc: calc.body };
      break;
    }
  }
  assert.ok(refund, 'a Fabrikam reservation whose refund waits for approval');
  const asked = await api(`/reservationOrders/${refund.r.reservationOrderId}/return`, MAKER, 'POST', { sessionId: refund.calc.sessionId, returnReason: 'Over-bought' });
  assert.equal(asked.status, 202, JSON.stringify(asked.body));
  const approved = await api(`/approvals/${asked.body.id}/approve`, CHECKER, 'POST');
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.status, 'approved');

  // The exchange: one unit of another reservation for two of a catalog SKU of its family.
  const other = active.find((r) => r.id !== refund.r.id);
  const catalog = (await api('/catalog')).body;
  const sku = catalog.find((c) => c.reservedResourceType === other.reservedResourceType) ?? catalog[0];
  const calc = await api('/calculateExchange', MAKER, 'POST', {
    reservationsToExchange: [{ reservationId: other.id, quantity: 1 }],
    reservationsToPurchase: [{ skuId: sku.skuId, term: 'P3Y', billingPlan: 'Upfront', quantity: 2, appliedScopeType: 'Shared' }],
  });
  assert.equal(calc.status, 200, JSON.stringify(calc.body));
  const exchanged = await api('/exchange', MAKER, 'POST', { sessionId: calc.body.sessionId });
  if (exchanged.status === 202) {
    const ok = await api(`/approvals/${exchanged.body.id}/approve`, CHECKER, 'POST');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  } else {
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
  }
  const path = (r) => `${base}/customers/${customer.id}/reservations/${r.id}/history`;
  return { refund, exchangedFrom: other, sku, path };
}

/** The text of each body row of the page's table. */
const rows = (page) => page.locator('table.data-table tbody tr').allTextContents();

test('History and the Audit log write each row in the page language, name asker and approver, and say what was bought', async () => {
  const { refund, exchangedFrom, sku, path } = await approvedMoves();
  const refunded = money(refund.calc.quote.refundAmount, 'de-DE');

  for (const [lang, viewport, size] of [['de', DESKTOP, 'desktop'], ['de', PHONE, 'phone'], ['en', DESKTOP, 'desktop'], ['en', PHONE, 'phone']]) {
    const page = await browser.newPage({ token: CHECKER, viewport, locale: lang === 'de' ? 'de-DE' : 'en-US' });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // The refunded reservation's History.
    await page.goto(`${path(refund.r)}?lang=${lang}`);
    await page.locator('table.data-table tbody tr').first().waitFor();
    const history = await rows(page);
    const refundRow = history[0];
    if (lang === 'de') {
      for (const row of history) assert.doesNotMatch(row, OLD_ENGLISH, `a German History row in English: ${row}`);
      assert.ok(refundRow.includes(refunded), `the refund as German money (${refunded}): ${refundRow}`);
      assert.match(refundRow, /Angefragt von: Adam Agent.*Freigegeben von: Gina Global/s, `asker and approver: ${refundRow}`);
      assert.match(history.at(-1), /Gekauft: \d+ × \S+ in \p{Lu}[^,]* für \d Jahr/u, `the purchase row says what was bought, its region by name: ${history.at(-1)}`);
      assert.doesNotMatch(history.join('\n'), /keine Änderung/i, 'no claim that nothing changed since purchase');
    } else {
      assert.ok(refundRow.includes(money(refund.calc.quote.refundAmount, 'en-US')), refundRow);
      assert.match(refundRow, /Asked by: Adam Agent.*Approved by: Gina Global/s, refundRow);
    }
    assert.doesNotMatch(history.join('\n'), new RegExp(refund.calc.sessionId), 'no session ID in History');
    await page.screenshot({ path: `${SCREENSHOTS}history-refund-approved-${lang}-${size}.png`, fullPage: true });

    // The exchanged reservation's History says what the exchange bought.
    await page.goto(`${path(exchangedFrom)}?lang=${lang}`);
    await page.locator('table.data-table tbody tr').first().waitFor();
    const exchangeRow = (await rows(page))[0];
    assert.ok(exchangeRow.includes(`2 × ${sku.skuName}`), `what the exchange bought: ${exchangeRow}`);
    if (lang === 'de') assert.doesNotMatch(exchangeRow, OLD_ENGLISH, exchangeRow);
    await page.screenshot({ path: `${SCREENSHOTS}history-exchange-${lang}-${size}.png`, fullPage: true });

    // The Audit log.
    await page.goto(`${base}/audit?lang=${lang}`);
    await page.locator('table.data-table tbody tr').first().waitFor();
    const audit = await rows(page);
    if (lang === 'de') {
      for (const row of audit) assert.doesNotMatch(row, OLD_ENGLISH, `a German audit row in English: ${row}`);
      assert.ok(audit.some((row) => row.includes(refunded)), `the refund as German money in the log (${refunded})`);
      assert.ok(audit.some((row) => /Angefragt von: Adam Agent.*Freigegeben von: Gina Global/s.test(row)), 'the refund entry names asker and approver');
    }
    for (const row of audit) assert.doesNotMatch(row, /reservationOrders\//, `no resource path in a row: ${row}`);
    assert.doesNotMatch(audit.join('\n'), new RegExp(refund.calc.sessionId), 'no session ID in the log');
    if (size === 'desktop') {
      // When on one line: the lines its text takes (the distinct tops of its line boxes).
      const lines = await page.locator('table.data-table tbody td.when').evaluateAll((cells) => cells.map((c) => {
        const range = document.createRange();
        range.selectNodeContents(c);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }));
      assert.ok(lines.length > 0 && lines.every((n) => n === 1), `When on one line: ${lines}`);
      const wraps = await page.locator('table.data-table tbody td.when').evaluateAll((cells) => cells.map((c) => getComputedStyle(c).whiteSpace));
      assert.ok(wraps.every((w) => w === 'nowrap'), `When does not wrap: ${wraps}`);
    }
    await page.screenshot({ path: `${SCREENSHOTS}audit-approved-moves-${lang}-${size}.png`, fullPage: true });
    // Nothing wider than the phone.
    if (size === 'phone') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the Audit log is ${overflow}px wider than the phone`);
    }
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});
