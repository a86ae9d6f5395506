// The 2027 exchange rule and refunds at the lower price as a partner sees them. The lower price on the release build served by the real
// server (and the static build): an older D4s_v5 reservation, bought before the demo catalog's
// price cut, is refunded at the lower current price with its line. The 2027 rule on the static build
// with the browser's clock on 1 March 2027 (the in-browser backend seeds relative to that day, so
// Contoso's first reservation was bought on 27 February 2027): the Exchange panel says why it
// cannot be exchanged before anything is typed, with Review disabled and a refund offered; the
// Overview's comparison shows Exchange as not available with the reason; a reservation bought in
// 2024 names its final exchange. The same on the server build: a server of its own started with
// `--today 2027-03-01` (the demo clock: the whole server's day moved, demo users only) seeds
// relative to that day, and its Exchange panel refuses the reservation bought two days before,
// a VM reservation and a SQL Database reservation alike, offering a refund.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';


const PAGES_URL = process.env.PAGES_URL;
const CONTOSO = '0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01';
const FABRIKAM = '1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02';
// Seeded IDs (the same on every day): Contoso's vm-d4sv5-wes-01 (bought 2 days before the seed
// day) and vm-d2sv5-wes-04 (bought years before it); Fabrikam's vm-d4sv5-wes-05 (3 years,
// upfront, bought before the price cut).
const BOUGHT_2_DAYS_AGO = '6c5b73e5-1fb5-47d5-b4f2-944d58f0e659';
const BOUGHT_IN_2024 = '37f5b96e-ec8e-4db2-a2c2-f6e54dfc5444';
const PRICE_CUT = 'd7023c92-8749-42d0-ae00-27f07f02bfca';
// A customer's sql-bc4-wes-01: a SQL Database reservation bought 2 days before the seed day (on
// 27 February 2027 when the day is 1 March 2027), in USD.
const SQL_CUSTOMER = '50b1c27f-9e61-42d3-8fa6-6b7c8d9eaf06';
const SQL_BOUGHT_2_DAYS_AGO = 'cf548037-240e-4fde-ae9f-c60a650f96ad';

let browser;
/** The server on 1 March 2027, started once by the first test that needs it. */
let dayServer;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  (await dayServer)?.stop();
});

/** The server of its own with the desk's day moved to `day` (`--today`), started once. */
function serverOn(day) {
  dayServer ??= startOwnServer('today', ['--today', day]);
  return dayServer.then((s) => s.url);
}

/** A new page at `base + path`, its clock fixed at `when` if given; page errors collected. */
async function open(base, path, when) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1100 }, locale: 'en-US' });
  const page = await context.newPage();
  if (when) await page.clock.setFixedTime(new Date(when));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + path);
  return { page, errors };
}

for (const [build, base] of [['server', BASE_URL], ['pages', PAGES_URL]]) {
  test(`${build}: an older D4s_v5 reservation is refunded at the lower current price`, { skip: !base && 'PAGES_URL not set' }, async () => {
    const { page, errors } = await open(base, `/customers/${FABRIKAM}/reservations/${PRICE_CUT}/refund`);
    await page.getByText('Refund at the lower current price').waitFor();
    await page.getByText('Refunded at the current price of $4,204.80 per unit, lower than the purchase price of $4,625.28').waitFor();
    await page.screenshot({ path: SCREENSHOTS + `${build}-refund-at-current-price.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });
}

test('pages, on 1 March 2027: the Exchange panel says why a reservation bought after 1 February 2027 cannot be exchanged', { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
  const { page, errors } = await open(PAGES_URL, `/customers/${CONTOSO}/reservations/${BOUGHT_2_DAYS_AGO}/exchange`, '2027-03-01T12:00:00Z');
  const reason = page.locator('#exchange-refused');
  await reason.waitFor();
  assert.match(await reason.textContent(), /Reservations for Virtual machines bought on or after Feb 1, 2027 can no longer be exchanged/);
  const review = page.getByRole('button', { name: 'Review' });
  assert.equal(await review.isDisabled(), true, 'Review is disabled');
  assert.equal(await review.getAttribute('aria-describedby'), 'exchange-refused');
  await page.getByRole('link', { name: 'Refund it instead' }).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'pages-exchange-not-exchangeable.png', fullPage: true });

  await page.getByRole('navigation', { name: 'Reservation panels' }).getByRole('link', { name: 'Overview' }).click();
  const exchange = page.locator('section.option.unavailable');
  await exchange.getByText('Not available').waitFor();
  assert.match(await exchange.textContent(), /can no longer be exchanged/);
  await exchange.getByRole('link', { name: 'Refund it instead' }).waitFor();
  assert.doesNotMatch(await page.locator('.compare-recommendation').textContent(), /Recommended: Exchange/);
  await page.screenshot({ path: SCREENSHOTS + 'pages-compare-not-exchangeable.png', fullPage: true });
  assert.deepEqual(errors, []);
});

test('pages, on 1 March 2027: a reservation bought before the date names its final exchange and can be reviewed', { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
  const { page, errors } = await open(PAGES_URL, `/customers/${CONTOSO}/reservations/${BOUGHT_IN_2024}/exchange`, '2027-03-01T12:00:00Z');
  await page.locator('#exchange-final-right').getByText('each unit of this reservation may be exchanged one final time').waitFor();
  assert.equal(await page.locator('#exchange-refused').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Review' }).isDisabled(), false);
  assert.deepEqual(errors, []);
});

test('server with --today 2027-03-01: the Exchange panel refuses a reservation bought after 1 February 2027 and offers a refund', async () => {
  const base = await serverOn('2027-03-01');
  // The browser's clock on the same day, so the page quotes as the server does.
  const { page, errors } = await open(base, `/customers/${CONTOSO}/reservations/${BOUGHT_2_DAYS_AGO}/exchange`, '2027-03-01T12:00:00Z');
  const reason = page.locator('#exchange-refused');
  await reason.waitFor();
  assert.match(await reason.textContent(), /Reservations for Virtual machines bought on or after Feb 1, 2027 can no longer be exchanged/);
  const review = page.getByRole('button', { name: 'Review' });
  assert.equal(await review.isDisabled(), true, 'Review is disabled');
  await page.getByRole('link', { name: 'Refund it instead' }).click();
  await page.getByRole('button', { name: 'Review' }).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'server-today-2027-exchange-refused.png', fullPage: true });
  // The server itself refuses the exchange on its day, whatever the page sends.
  const answer = await page.evaluate(async ([customer, reservation]) => {
    const token = localStorage.getItem('reservation-desk/token');
    const list = await fetch(`/api/customers/${customer}/reservations`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
    const r = list.find((x) => x.id === reservation);
    const catalog = await fetch('/api/catalog', { headers: { Authorization: `Bearer ${token}` } }).then((x) => x.json());
    const sku = catalog.find((i) => i.reservedResourceType === r.reservedResourceType && i.skuName !== r.skuName);
    const body = {
      reservationsToExchange: [{ reservationOrderId: r.reservationOrderId, reservationId: r.id, quantity: 1 }],
      reservationsToPurchase: [{ skuId: sku.skuId, term: 'P3Y', billingPlan: 'Upfront', quantity: 5, appliedScopeType: 'Shared' }],
    };
    const res = await fetch('/api/calculateExchange', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }, [CONTOSO, BOUGHT_2_DAYS_AGO]);
  assert.equal(answer.status, 200, JSON.stringify(answer));
  assert.equal(answer.body.quote.isValidExchange, false, JSON.stringify(answer));
  assert.ok(answer.body.quote.policyResult.policyErrors.some((e) => e.code === 'ReservationNotExchangeable'), JSON.stringify(answer.body.quote.policyResult));
  assert.deepEqual(errors, []);
});

test('server with --today 2027-03-01: the Exchange panel refuses a SQL Database reservation bought after 1 February 2027 and offers a refund', async () => {
  // The same server as the test before (started here if that one did not run).
  const base = await serverOn('2027-03-01');
  const { page, errors } = await open(base, `/customers/${SQL_CUSTOMER}/reservations/${SQL_BOUGHT_2_DAYS_AGO}/exchange`, '2027-03-01T12:00:00Z');
  const reason = page.locator('#exchange-refused');
  await reason.waitFor();
  assert.match(await reason.textContent(), /Reservations for SQL Database bought on or after Feb 1, 2027 can no longer be exchanged/);
  assert.equal(await page.getByRole('button', { name: 'Review' }).isDisabled(), true, 'Review is disabled');
  await page.screenshot({ path: SCREENSHOTS + 'server-today-2027-sql-exchange-refused.png', fullPage: true });
  await page.getByRole('link', { name: 'Refund it instead' }).click();
  await page.getByRole('button', { name: 'Review' }).waitFor();
  assert.deepEqual(errors, []);
  await page.context().close();
});
