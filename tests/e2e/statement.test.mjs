// Statement: the Global admin opens Fabrikam's Statement tab (Microsoft's figures as billed: no
// price set), sets a markup of 12.5 % by keyboard, refunds one unit through the Refund panel,
// and finds the refund on the month's statement: Microsoft's credit, the customer's at the
// markup (rounded half to even) and the margin, the totals the lines' sums; opens the refund's
// credit note, switches it to German and prints it (the printed page is the note alone);
// downloads the CSV; uploads Microsoft's reconciliation file and sees the refund matched to its
// credit and the line no move explains listed. An Admin agent sees the price form disabled, and why. axe finds nothing,
// light or dark. On a server of its own (the refund changes the demo's data) and the static build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const PAGES_URL = process.env.PAGES_URL;
const FABRIKAM = '1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02';

let browser;
let own;
before(async () => {
  browser = await launch();
  own = await startOwnServer('statement', []);
});
after(async () => {
  await browser?.close();
  own?.stop();
});

/** One CSV line's fields (quotes as the desk's CSV writes them). */
const parseCsvLine = (line) => {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; } else field += c;
  }
  out.push(field);
  return out;
};

/** An amount as the page writes it in English (`-$1,234.50`), as a number of cents. */
const cents = (text) => {
  const m = text.match(/(-?)\$([\d,]+)\.(\d{2})/);
  assert.ok(m, `an amount in ${JSON.stringify(text)}`);
  return (m[1] ? -1 : 1) * (Number(m[2].replace(/,/g, '')) * 100 + Number(m[3]));
};

async function statementWalk(base, shots) {
  const context = await browser.newContext({ token: 'demo-global-admin', viewport: { width: 1366, height: 900 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/customers/${FABRIKAM}/statement`);
  await page.getByTestId('price-in-force').waitFor();
  assert.match(await page.getByTestId('price-in-force').textContent(), /No partner price is set/);

  // The markup, typed and set by keyboard.
  const markup = page.getByLabel('Markup on Microsoft\'s price, in percent');
  await markup.fill('12.5x');
  await page.getByText(/^Enter digits only/).first().waitFor();
  assert.ok(await page.getByRole('button', { name: 'Set this price from now on' }).isDisabled());
  await markup.fill('12.5');
  await markup.press('Enter');
  await page.getByText('Price set.', { exact: false }).waitFor();
  await page.getByText(/Partner price: Microsoft's price plus 12\.5%/).waitFor();
  // A fixed unit price for a SKU the refund below is not of, added and set with the markup kept.
  await page.getByLabel('SKU', { exact: true }).fill('Standard_D4s_v5');
  await page.getByLabel('Term', { exact: true }).selectOption('P3Y');
  await page.getByLabel('Price of one unit over the term').fill('1500');
  await page.getByRole('button', { name: 'Add fixed price' }).click();
  await page.getByTestId('fixed-prices').getByRole('row', { name: /Standard_D4s_v5.*3 years.*\$1,500\.00/ }).waitFor();
  await page.getByText('Not set yet: set the price to apply it from now on.').waitFor();
  await page.getByRole('button', { name: 'Set this price from now on' }).click();
  await page.getByText(/Fixed unit prices take precedence for Standard_D4s_v5/).waitFor();
  await page.getByText(/Partner price: Microsoft's price plus 12\.5%/).waitFor();

  // Refund one unit of Fabrikam's first active reservation with two units or more.
  const token = 'demo-global-admin';
  const list = await page.evaluate(async ({ base, token, customer }) => {
    const api = base.includes('/reservation-desk') ? null : `${base}/api`;
    if (!api) return null;
    const r = await fetch(`${api}/customers/${customer}/reservations`, { headers: { authorization: `Bearer ${token}` } });
    return r.json();
  }, { base, token, customer: FABRIKAM });
  let path;
  if (list) {
    const r = list.find((x) => x.provisioningState === 'Succeeded' && x.quantity >= 2);
    path = `/customers/${FABRIKAM}/reservations/${r.id}/refund?quantity=1`;
  } else {
    await page.goto(`${base}/customers/${FABRIKAM}`);
    await page.getByLabel('Status').selectOption('Succeeded');
    const link = page.locator('table tbody tr a').first();
    const href = await link.getAttribute('href');
    path = `${href.replace(/^\/reservation-desk/, '')}/refund?quantity=1`;
  }
  await page.goto(`${base}${path}`);
  await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByLabel('Reason for the return').fill('Workload moved to another region');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  await page.getByText(/Refund .* submitted/).waitFor();

  await page.goto(`${base}/customers/${FABRIKAM}/statement`);
  const row = page.getByRole('row', { name: /Refund/ }).first();
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  const [microsoft, customerFigure, margin] = [cells[2], cells[3], cells[4]].map(cents);
  assert.ok(microsoft < 0, `Microsoft credits the partner: ${cells}`);
  // −m × 1.125, rounded half to even to the cent.
  const exact = microsoft * 1.125;
  const expected = Math.abs(exact - Math.trunc(exact)) === 0.5 ? (Math.trunc(exact) % 2 === 0 ? Math.trunc(exact) : Math.round(exact)) : Math.round(exact);
  assert.equal(customerFigure, expected, `customer's figure at 12.5 %: ${cells}`);
  assert.equal(margin, customerFigure - microsoft);
  const total = page.getByTestId('statement-total').first();
  const lines = (await page.locator('.statement tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[3].textContent))).map(cents);
  const charged = cents(await total.getByTestId('total-charged').textContent());
  const credited = cents(await total.getByTestId('total-credited').textContent());
  assert.equal(charged, lines.filter((c) => c > 0).reduce((a, b) => a + b, 0), 'to invoice: the charges');
  assert.equal(-credited, lines.filter((c) => c < 0).reduce((a, b) => a + b, 0), 'to credit: the credits');
  assert.equal(Math.abs(charged - credited), cents(await total.getByTestId('total-net').textContent()), 'the net of the two');
  assert.doesNotMatch(await total.textContent(), /holds/, 'no credit said to be held by Microsoft');
  await page.screenshot({ path: `${SCREENSHOTS}${shots}statement.png`, fullPage: true });
  const violations = await schemeViolations(page, 'Statement');

  // The CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  assert.match(csv, /Refund/);
  assert.match(csv, new RegExp(`${(customerFigure / 100).toFixed(2)}`));

  // Matched to Microsoft's invoice: a reconciliation file with the refund's credit (its order
  // from the CSV) and a line of another reservation order, uploaded.
  const row0 = csv.split(/\r?\n/).map(parseCsvLine).find((r) => r[1] === 'Refund');
  const [currency, order] = [row0[5], row0[10]];
  const invoice = [
    'PartnerId,CustomerId,CustomerName,InvoiceNumber,ChargeType,ReservationOrderId,ProductName,BillableQuantity,Subtotal,Currency,ChargeStartDate',
    `p,${FABRIKAM},Fabrikam,G000024135,Cancel,${order},Reserved VM Instance,-1,${(microsoft / 100).toFixed(2)},${currency},${new Date().toISOString().slice(0, 10)}`,
    `p,${FABRIKAM},Fabrikam,G000024135,New,order-not-the-desks,Reserved VM Instance,1,99.00,${currency},${new Date().toISOString().slice(0, 10)}`,
    `p,another-customer,Other,G000024135,New,${order},Reserved VM Instance,1,5.00,${currency},${new Date().toISOString().slice(0, 10)}`,
  ].join('\n');
  await page.getByLabel('Reconciliation file').setInputFiles({ name: 'G000024135.csv', mimeType: 'text/csv', buffer: Buffer.from(invoice) });
  const summary = page.getByTestId('invoice-summary');
  await summary.waitFor();
  assert.match(await summary.textContent(), /G000024135\.csv: 3 lines read, 2 of this customer's\. 1 matched, 0 differing, 0 missing\./);
  const refundRow = page.getByRole('row', { name: /Refund/ }).first();
  assert.match(await refundRow.getByTestId('invoice-match').textContent(), /Matched.*Line 1 of Microsoft's file/);
  const unexplained = page.getByTestId('invoice-unexplained');
  assert.deepEqual(await unexplained.locator('tbody tr').count(), 1);
  assert.match(await unexplained.textContent(), /order-not-the-desks/);
  await page.screenshot({ path: `${SCREENSHOTS}${shots}statement-matched.png`, fullPage: true });
  violations.push(...(await schemeViolations(page, 'Statement matched to the invoice')));
  // Not a reconciliation file: said inline.
  await page.getByLabel('Reconciliation file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello,world\n1,2\n') });
  await page.getByRole('alert').filter({ hasText: /not an invoice reconciliation file/ }).waitFor();

  // The credit note, in German, printed alone.
  await row.getByRole('button', { name: 'Credit note' }).click();
  const note = page.getByTestId('credit-note');
  await note.waitFor();
  assert.equal(cents(await page.getByTestId('credit-note-amount').textContent()), -customerFigure);
  await page.getByLabel('Language of the credit note').selectOption('de');
  await note.getByRole('heading', { name: 'Gutschrift' }).waitFor();
  assert.match(await note.textContent(), /Zurückgegebene Einheiten1/);
  assert.match(await page.getByTestId('credit-note-amount').textContent(), /\d,\d{2}\s\$/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('table').isVisible(), false, 'the statement is not printed with the note');
  assert.ok(await note.getByRole('heading', { name: 'Gutschrift' }).isVisible());
  assert.equal(await page.getByRole('button', { name: 'Print credit note' }).isVisible(), false);
  await page.screenshot({ path: `${SCREENSHOTS}${shots}credit-note-print.png`, fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // An Admin agent may not set the price, and is told why.
  const agent = await browser.newContext({ token: 'demo-admin-agent', viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const phone = await agent.newPage();
  await phone.goto(`${base}/customers/${FABRIKAM}/statement`);
  await phone.getByTestId('price-in-force').waitFor();
  const set = phone.getByRole('button', { name: 'Set this price from now on' });
  assert.ok(await set.isDisabled());
  assert.match(await set.getAttribute('title'), /Your role \(Admin agent\) may not do this/);
  // (On the static build the agent's browser holds its own desk: its month may be empty.)
  await phone.getByText(/^(Open|Closed) month:/).waitFor();
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing wider than the phone');
  await phone.screenshot({ path: `${SCREENSHOTS}${shots}statement-phone.png`, fullPage: true });
  await agent.close();

  assertNoViolations(violations);
  assert.deepEqual(errors, []);
  await context.close();
}

test('server build: a markup set, a refund on the month\'s statement with its credit note', () => statementWalk(own.url, ''));

test('static build: the same in the browser\'s own desk', { skip: !PAGES_URL && 'PAGES_URL not set' }, () => statementWalk(PAGES_URL, 'pages-'));

/** The desk's API on `base`, as the Global admin. */
const api = (base) => async (method, path, body) => {
  const r = await fetch(`${base}/api${path}`, { method, headers: { authorization: 'Bearer demo-global-admin', 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = r.status === 204 ? null : await r.json();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
};

// A finance person's walk: a reservation bought at cost (0 %), the markup then raised to 50 %,
// the whole reservation refunded through the Refund panel: the statement credits what the
// customer was charged (not Microsoft's credit × 1.5), says it was capped at that, and the credit
// note shows the same figure. Then a refund and an exchange returning units of one order the same
// month, matched to an uploaded file: each takes its own credit line.
test('server build: a markup raised after a purchase leaves the whole refund\'s credit at what the customer paid; a refund and an exchange on one order each matched', async () => {
  const call = api(own.url);
  await call('PUT', `/customers/${FABRIKAM}/pricing`, { markupPercent: '0' });
  const quoted = await call('POST', '/calculatePurchase', {
    customerId: FABRIKAM,
    purchase: { skuId: 'Standard_D2s_v5/westeurope', term: 'P1Y', billingPlan: 'Upfront', quantity: 4, appliedScopeType: 'Shared', displayName: 'bought at cost' },
  });
  const bought = await call('POST', '/purchase', { sessionId: quoted.sessionId });
  const r = bought.purchased[0];
  const paid = Math.round(Number(quoted.quote.dueToday.amount) * 100);
  await call('PUT', `/customers/${FABRIKAM}/pricing`, { markupPercent: '50' });

  const context = await browser.newContext({ token: 'demo-global-admin', viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${own.url}/customers/${FABRIKAM}/reservations/${r.id}/refund?quantity=4`);
  await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByLabel('Reason for the return').fill('Bought in error');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  await page.getByText(/Refund .* submitted/).waitFor();

  await page.goto(`${own.url}/customers/${FABRIKAM}/statement`);
  const refundRow = page.getByRole('row', { name: /Refund.*bought at cost/ });
  await refundRow.waitFor();
  const cells = await refundRow.locator('td').allTextContents();
  const [microsoft, customer] = [cents(cells[2]), cents(cells[3])];
  assert.ok(-customer <= paid, `never more back than the ${paid} cents paid: ${cells}`);
  assert.equal(customer, Math.max(microsoft, -paid), `Microsoft's share of what the customer paid at 0 %, not × 1.5: ${cells}`);
  const purchaseRow = page.getByRole('row', { name: /Purchase.*bought at cost/ });
  assert.equal(cents((await purchaseRow.locator('td').allTextContents())[3]), paid, 'bought at 0 %: the customer paid Microsoft\'s figure');
  // At the day's 50 % the credit would have been more than was paid: it says what cut it.
  assert.match(await refundRow.getByTestId('capped').textContent(), /capped at \$[\d,.]+, what the customer was charged for these units/);
  await refundRow.getByRole('button', { name: 'Credit note' }).click();
  assert.equal(cents(await page.getByTestId('credit-note-amount').textContent()), -customer, 'the credit note says the same credit');
  await page.screenshot({ path: `${SCREENSHOTS}statement-capped.png`, fullPage: true });
  await page.getByRole('button', { name: /Close/ }).first().click().catch(() => {});

  // A refund of one unit and an exchange returning one unit of the same order, the same month.
  // Of an order no move of this month touched yet (the walk above refunded one), so the file
  // below holds every credit of the order.
  const month = new Date().toISOString().slice(0, 7);
  const touched = new Set((await call('GET', `/customers/${FABRIKAM}/statements/${month}`)).lines.map((l) => l.reservationOrderId));
  const left = (await call('GET', `/customers/${FABRIKAM}/reservations`)).find((x) => x.provisioningState === 'Succeeded' && x.quantity >= 3 && !touched.has(x.reservationOrderId));
  const refundQuote = await call('POST', `/reservationOrders/${left.reservationOrderId}/calculateRefund`, { reservationId: left.id, quantity: 1 });
  await call('POST', `/reservationOrders/${left.reservationOrderId}/return`, { sessionId: refundQuote.sessionId, returnReason: 'one unit fewer' });
  const catalog = await call('GET', '/catalog');
  const sku = catalog.find((c) => c.reservedResourceType === left.reservedResourceType) ?? catalog[0];
  const exchange = await call('POST', '/calculateExchange', {
    reservationsToExchange: [{ reservationId: left.id, quantity: 1 }],
    reservationsToPurchase: [{ skuId: sku.skuId, term: 'P3Y', billingPlan: 'Upfront', quantity: 2, appliedScopeType: 'Shared' }],
  });
  const exchanged = await call('POST', '/exchange', { sessionId: exchange.sessionId });
  const statement = await call('GET', `/customers/${FABRIKAM}/statements/${new Date().toISOString().slice(0, 7)}`);
  const of = (kind, order) => statement.lines.find((l) => l.kind === kind && l.reservationOrderId === order);
  const refundLine = of('refund', left.reservationOrderId);
  const returnLine = of('exchangeReturn', left.reservationOrderId);
  const purchaseLine = of('exchangePurchase', exchanged.reservationOrderId);
  assert.ok(refundLine && returnLine && purchaseLine, JSON.stringify(statement.lines));
  assert.equal(returnLine.reservationId, left.id, 'an exchange return names its reservation (the credit note\'s IDs)');
  const day = new Date().toISOString().slice(0, 10);
  const invoice = [
    'CustomerId,InvoiceNumber,ChargeType,ReservationOrderId,BillableQuantity,Subtotal,Currency,ChargeStartDate',
    // The exchange's return first, then the refund's: each move takes its own by units and amount.
    `${FABRIKAM},G000000077,cancelImmediate,${left.reservationOrderId},-1,${returnLine.microsoft.amount},${returnLine.microsoft.currencyCode},${day}`,
    `${FABRIKAM},G000000077,cancelImmediate,${left.reservationOrderId},-1,${refundLine.microsoft.amount},${refundLine.microsoft.currencyCode},${day}`,
    `${FABRIKAM},G000000077,new,${exchanged.reservationOrderId},2,${purchaseLine.microsoft.amount},${purchaseLine.microsoft.currencyCode},${day}`,
  ].join('\n');
  await page.reload();
  await page.getByLabel('Reconciliation file').setInputFiles({ name: 'G000000077.csv', mimeType: 'text/csv', buffer: Buffer.from(invoice) });
  await page.getByTestId('invoice-summary').waitFor();
  // The newest row of each: the walk above may have refunded the same reservation earlier this month.
  const matchOf = async (name) => page.getByRole('row', { name }).last().getByTestId('invoice-match').textContent();
  // Each credit line to one move (by units and amount; two equal figures may go either way).
  const refundMatch = await matchOf(new RegExp(`Refund.*${left.displayName}`));
  const returnMatch = await matchOf(new RegExp(`Exchange: returned.*${left.displayName}`));
  assert.match(refundMatch, /Matched.*Line [12] of Microsoft's file/);
  assert.match(returnMatch, /Matched.*Line [12] of Microsoft's file/);
  assert.notEqual(refundMatch.match(/Line (\d)/)[1], returnMatch.match(/Line (\d)/)[1], 'not the same line twice');
  if (refundLine.microsoft.amount !== returnLine.microsoft.amount) assert.match(refundMatch, /Line 2/);
  assert.match(await matchOf(/Exchange: bought/), /Matched.*Line 3 of Microsoft's file/);
  await page.screenshot({ path: `${SCREENSHOTS}statement-shared-order.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
