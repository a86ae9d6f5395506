// Buying a reservation for a customer on the server build (a server of its own: the walk buys):
// the Buy tab lists what the customer's usage recommends; Buy on one fills the form in; the
// quote shown while typing is the server's to the cent; Buy now (double-clicked) buys once; the
// reservation is in the customer's list and in its History; the audit chain is intact; the same
// session again buys nothing more. axe in both schemes, the keyboard alone, a phone's width, the
// Sales agent (quotes, may not buy) and the Helpdesk agent (reads, may not quote).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;

let server;
let browser;
/** A demo customer with a recommendation that can be bought, and that recommendation. */
let customer;
let recommendation;

async function api(path, { token = 'demo-admin-agent', method = 'GET', body } = {}) {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist/index.html')), 'dist/ (RESERVATION_DESK_API=/api trunk build --release)');
  server = await startOwnServer('buy', []);
  browser = await launch();
});

/** Finds a demo customer with a recommendation that can be bought (each walk buys: found anew). */
async function findRecommendation() {
  customer = undefined;
  for (const c of (await api('/customers')).json) {
    const found = (await api(`/customers/${c.id}/recommendations`)).json.recommendations.find((r) => !r.refusal);
    if (found) {
      customer = c;
      recommendation = found;
      break;
    }
  }
  assert.ok(customer, 'a demo customer has a recommendation that can be bought');
}

after(async () => {
  await browser?.close();
  server?.stop();
});

async function open(path, { token = 'demo-admin-agent', viewport = { width: 1280, height: 900 }, base = server.url } = {}) {
  const page = await browser.newPage({ token, viewport, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}${path}`);
  return { page, errors };
}

const buyTab = () => `/customers/${customer.id}/buy`;

/** A region as the console names it (`desk_service::region::display_name`): the demo's four. */
const REGION_NAMES = { westeurope: 'West Europe', northeurope: 'North Europe', swedencentral: 'Sweden Central', eastus: 'East US' };
const regionName = (code) => REGION_NAMES[code] ?? code;

/** The recommendation's Buy button (named after its SKU, region and term). */
function buyButton(page) {
  const term = recommendation.term === 'P1Y' ? '1 year' : '3 years';
  return page.getByRole('button', { name: `Buy ${recommendation.skuName} in ${regionName(recommendation.location)} for ${term}` });
}

test('A Sales agent quotes but may not buy; a Helpdesk agent reads the recommendations and may not quote', async () => {
  await findRecommendation();
  const sales = await open(buyTab(), { token: 'demo-sales-agent' });
  await buyButton(sales.page).click();
  await sales.page.getByRole('button', { name: 'Review' }).click();
  await sales.page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  const buyNow = sales.page.getByRole('button', { name: 'Buy now' });
  assert.equal(await buyNow.isDisabled(), true);
  await sales.page.locator('#buy-money-refusal').getByText(/Sales agent/).waitFor();
  await sales.page.screenshot({ path: `${SCREENSHOTS}buy-sales-agent.png`, fullPage: true });
  assert.deepEqual(sales.errors, []);

  const helpdesk = await open(buyTab(), { token: 'demo-helpdesk-agent' });
  await helpdesk.page.getByRole('table', { name: "Recommended from the customer's usage" }).waitFor();
  assert.equal(await buyButton(helpdesk.page).isDisabled(), true);
  await helpdesk.page.locator('#buy-not-allowed').getByText(/Helpdesk agent/).waitFor();
  assert.equal(await helpdesk.page.getByRole('button', { name: 'Review' }).count(), 0);
  await helpdesk.page.screenshot({ path: `${SCREENSHOTS}buy-helpdesk-agent.png`, fullPage: true });
  assert.deepEqual(helpdesk.errors, []);
});

test('At a phone\'s width (375 px) the Buy tab has no horizontal scroll', async () => {
  await findRecommendation();
  const { page, errors } = await open(buyTab(), { viewport: { width: 375, height: 812 } });
  await page.getByRole('table', { name: "Recommended from the customer's usage" }).waitFor();
  await buyButton(page).click();
  await page.locator('#buy-plan').selectOption('Monthly');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  const { scrollWidth, width } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement.scrollWidth, width: window.innerWidth }));
  await page.screenshot({ path: `${SCREENSHOTS}buy-phone.png`, fullPage: true });
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth} px wide on a ${width} px screen`);
  assertNoViolations(await schemeViolations(page, 'Buy tab at 375 px'));
  assert.deepEqual(errors, []);
});

test('In German at 390 px: 1.000 is one thousand, more is too many in its own words, and no SKU in the list is cut', async () => {
  await findRecommendation();
  const { page, errors } = await open(`${buyTab()}?lang=de`, { viewport: { width: 390, height: 844 } });
  const quantity = page.locator('#buy-quantity');
  await quantity.waitFor();
  // A thousands group, as German writes one thousand: read as such, and within the limit.
  await quantity.fill('1.000');
  await page.waitForFunction(() => !document.querySelector('#buy-quantity-verdict'));
  assert.equal(await quantity.getAttribute('aria-invalid'), 'false');
  // More than a purchase may buy: the range says so, not "no decimals".
  await quantity.fill('2.000');
  await page.locator('#buy-quantity-verdict').getByText('Geben Sie eine ganze Zahl von 1 bis 1000 ein.', { exact: true }).waitFor();
  // A decimal comma is still decimals.
  await quantity.fill('1,5');
  await page.locator('#buy-quantity-verdict').getByText('Geben Sie eine ganze Zahl ohne Dezimalstellen ein.', { exact: true }).waitFor();
  await quantity.fill('1');

  // The SKU list: each family once as a heading, each SKU by its name, none cut at this width
  // (an option cannot wrap, so its text is measured against the list's width).
  const options = await page.locator('#buy-sku option').allTextContents();
  assert.ok(options.length > 1 && options.every((o) => !o.includes(' · ')), options.join(' | '));
  const families = await page.locator('#buy-sku optgroup').evaluateAll((groups) => groups.map((g) => g.label));
  assert.ok(families.includes('Verwaltete Azure-Datenträger'), families.join(' | '));
  const cut = await page.evaluate(() => {
    const list = document.querySelector('#buy-sku');
    const pen = document.createElement('canvas').getContext('2d');
    pen.font = getComputedStyle(list).font;
    const room = list.clientWidth - 28; // the list's padding and an option's indent under its family
    return [...list.querySelectorAll('optgroup, option')].map((o) => o.label).filter((text) => pen.measureText(text).width > room);
  });
  assert.deepEqual(cut, [], 'labels wider than the list');
  await page.locator('#buy-sku').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}buy-phone-de.png` });
  assert.deepEqual(errors, []);
});

test('Buy from a recommendation: the price typed is the server\'s, bought once, listed, in History, audited', async () => {
  await findRecommendation();
  const { page, errors } = await open(buyTab());
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}buy-${name}.png`, fullPage: true });
  await page.getByRole('heading', { name: 'Buy reservations', level: 2 }).waitFor();
  const table = page.getByRole('table', { name: "Recommended from the customer's usage" });
  await table.waitFor();
  await page.locator('.page-header .savings-on-table').getByText(/^Savings still on the table: \$[\d,.]+ a year$/).waitFor();
  await shot('1-recommendations');

  // The Portfolio's Buy row leads here, the form filled in from the recommendation.
  await page.getByRole('tab', { name: 'Portfolio' }).click();
  const row = page.locator('.portfolio-buy');
  await row.getByRole('heading', { name: 'Buy', level: 2 }).waitFor();
  await shot('1-portfolio');
  const term = recommendation.term === 'P1Y' ? '1 year' : '3 years';
  await row.getByRole('link', { name: `Buy ${recommendation.skuName} in ${regionName(recommendation.location)} for ${term}` }).click();
  await page.waitForURL(/\/buy\?recommendation=/);
  await page.locator('#buy-usage').waitFor();
  assert.equal(await page.locator('#buy-quantity').inputValue(), String(recommendation.recommendedQuantity));
  await page.locator('#buy-usage').getByText(/^Filled in from the recommendation/).waitFor();
  assert.equal(await page.locator('#buy-sku-count').textContent(), `Chosen: ${recommendation.skuName}`);
  assert.equal(await page.locator('#buy-region option:checked').textContent(), regionName(recommendation.location));
  const live = page.getByRole('region', { name: 'Purchase quote' });
  // Upfront from the recommendation: the live quote's savings are the recommendation's proposal.
  await live.locator('.purchase-savings-year').waitFor();

  // Monthly: the first payments and how many more.
  await page.locator('#buy-plan').selectOption('Monthly');
  await live.getByText(/^… and \d+ more monthly payments$/).waitFor();
  await page.locator('#buy-name').fill('Web tier, more');
  await shot('2-typed');

  const calculated = page.waitForResponse((r) => r.url().endsWith('/api/calculatePurchase'));
  await page.getByRole('button', { name: 'Review' }).click();
  const session = await (await calculated).json();
  // The server's figures are the ones shown while typing: a mark beside them, not a copy.
  await page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).count(), 0, 'the server\'s quote agrees: not shown a second time');
  for (const figure of ['.purchase-due', '.purchase-commitment', '.purchase-savings-year']) {
    assert.match(await live.locator(figure).textContent(), /\d\.\d\d$/, `${figure} to the cent`);
  }
  assert.equal((await live.locator('.purchase-commitment').textContent()).replace(/[^\d.]/g, ''), Number(session.quote.commitment.amount).toFixed(2), 'the server\'s commitment');
  assert.equal(await page.getByText('The server\'s quote for today differs').count(), 0);
  assertNoViolations(await schemeViolations(page, 'Buy tab, reviewed'));
  await shot('3-reviewed');

  const before = (await api(`/customers/${customer.id}/reservations`)).json;
  // A double click sends one purchase.
  const sent = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/purchase')) sent.push(r); });
  await page.getByRole('button', { name: 'Buy now' }).dblclick();
  await page.getByText(/^Bought: reservation order [0-9a-f-]{36}\.$/).waitFor();
  assert.equal(sent.length, 1, 'one request for a double click');
  await page.getByRole('button', { name: 'Copy Reservation order ID to the clipboard' }).waitFor();
  await shot('4-bought');

  const afterBuy = (await api(`/customers/${customer.id}/reservations`)).json;
  assert.equal(afterBuy.length, before.length + 1);
  const bought = afterBuy.find((r) => !before.some((b) => b.id === r.id));
  assert.equal(bought.displayName, 'Web tier, more');
  assert.equal(bought.reservationOrderId, session.sessionId);

  // The same session again: answered the same, nothing more bought.
  const again = await api('/purchase', { method: 'POST', body: { sessionId: session.sessionId } });
  assert.equal(again.status, 200);
  assert.equal(again.json.reservationOrderId, session.sessionId);
  assert.equal((await api(`/customers/${customer.id}/reservations`)).json.length, afterBuy.length, 'nothing more bought');

  // In the customer's list (refetched, no reload) and in its History.
  await page.getByRole('tab', { name: 'Azure reservations' }).click();
  await page.locator('#panel-reservations').getByRole('link', { name: 'Web tier, more' }).waitFor();
  await page.locator('#panel-reservations').getByRole('link', { name: 'Web tier, more' }).click();
  await page.getByRole('link', { name: 'History' }).click();
  await page.getByText('Purchase', { exact: true }).first().waitFor();
  await shot('5-history');

  const verify = await api('/audit/verify', { token: 'demo-global-admin' });
  assert.equal(verify.status, 200);
  assert.equal(verify.json.intact, true, 'the audit chain is intact');
  assert.deepEqual(errors, []);
});

test('The keyboard alone finds a SKU and buys it', async () => {
  const { page, errors } = await open(`/customers/${customer.id}/buy`);
  const filter = page.locator('#buy-sku-filter');
  await filter.focus();
  await page.keyboard.type('Standard_D');
  await page.keyboard.press('Enter');
  await page.locator('#buy-sku-count').getByText(/^Chosen: Standard_D2s_v5$/).waitFor();
  // Into the list, and the next SKU with an arrow key.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'buy-sku');
  const chosen = await page.locator('#buy-sku-count').textContent();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((c) => document.querySelector('#buy-sku-count').textContent !== c, chosen);
  const tabTo = async (id) => {
    for (let i = 0; i < 40; i += 1) {
      if (await page.evaluate(() => document.activeElement?.id) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached #${id}`);
  };
  await tabTo('buy-review');
  await page.keyboard.press('Enter');
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  await tabTo('buy-now');
  await page.screenshot({ path: `${SCREENSHOTS}buy-keyboard.png`, fullPage: true });
  await page.keyboard.press('Enter');
  await page.getByText(/^Bought: reservation order/).waitFor();
  assert.deepEqual(errors, []);
});

test('Above the approval threshold a purchase waits, and the Approvals page says what is bought', async () => {
  await findRecommendation();
  const own = await startOwnServer('buy-approval', ['--approval-threshold', '100']);
  try {
    const { page, errors } = await open(buyTab(), { base: own.url });
    await buyButton(page).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.locator('#buy-approval-needed').getByText(/is above the approval threshold/).waitFor();
    await page.getByLabel('Why the customer buys (for the approver, optional)').fill('Usage grew in West Europe');
    await page.getByRole('button', { name: 'Buy now' }).click();
    await page.locator('#buy-waiting').getByText(/^A purchase committing .+ is waiting for approval/).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}buy-approval-waiting.png`, fullPage: true });

    const approvals = await open('/approvals', { base: own.url, token: 'demo-global-admin' });
    const card = approvals.page.locator('.approval-card').filter({ hasText: 'Purchase' });
    await card.waitFor();
    await card.locator('.approval-purchase').getByText(new RegExp(`^\\d+ × ${recommendation.skuName} in ${regionName(recommendation.location)}, `)).waitFor();
    await card.getByText('Commitment in USD').waitFor();
    await approvals.page.screenshot({ path: `${SCREENSHOTS}buy-approval-card.png`, fullPage: true });
    assertNoViolations(await schemeViolations(approvals.page, 'Approvals, a purchase'));
    await card.getByRole('button', { name: 'Approve' }).click();
    await approvals.page.getByText(/^Approved: the reservation is bought \(order /).waitFor();
    assert.deepEqual([...errors, ...approvals.errors], []);
  } finally {
    own.stop();
  }
});
