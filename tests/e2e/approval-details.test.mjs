// What an approver sees before approving, on a server of its own with an approval threshold of
// $100.00: an exchange's card names each reservation it buys (quantity, SKU, region by its name,
// term, billing plan, scope, name, renewal), a trade-in's the savings plan (hourly commitment with
// its currency, term, scope); a purchase's card its scope, name and renewal. Woodgrove Bank is
// billed in euros: its purchase's Review names the commitment in euros, its USD figure and the
// threshold in USD, and its refund's card (as the purchase's) gives the desk's USD figure that the
// threshold is compared with. Screenshots in English and German, at 1366 and 390 px wide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';

const THRESHOLD = '100';
const SIZES = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };

let browser;
let server;
let base;

before(async () => {
  server = await startOwnServer('approval-details', ['--approval-threshold', THRESHOLD]);
  base = server.url;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** The server's answer to `method path` with `body`, as the Admin agent. */
async function api(path, body, expected = 200) {
  const response = await fetch(`${base}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: 'Bearer demo-admin-agent', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, expected, `${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Money as the app writes it in en-US. */
const money = (m) => new Intl.NumberFormat('en-US', { style: 'currency', currency: m.currencyCode }).format(Number(m.amount));

async function customer(name) {
  const c = (await api('/customers')).find((x) => x.name === name);
  assert.ok(c, name);
  const reservations = (await api(`/customers/${c.id}/reservations`)).filter((r) => r.provisioningState === 'Succeeded');
  const scopes = await api(`/customers/${c.id}/scopes`);
  return { ...c, reservations, scopes };
}

test('an approver sees everything an exchange, a trade-in and a purchase buy, and a euro move its USD figure', async () => {
  const catalog = await api('/catalog');
  const fabrikam = await customer('Fabrikam Inc');
  const vms = fabrikam.reservations.filter((r) => r.reservedResourceType === 'VirtualMachines' && r.quantity >= 1);
  assert.ok(vms.length >= 2, 'two VM reservations of Fabrikam');
  const single = fabrikam.scopes.find((s) => s.appliedScopeType === 'Single');
  assert.ok(single, 'a scope of Fabrikam');
  const item = catalog.find((i) => i.skuId === 'Standard_D4s_v5/westeurope');

  // An exchange buying one reservation in a subscription, named, renewing: of the first VM
  // reservation whose credit is above the threshold and that two new units cover.
  const exchange = (r) => ({
    reservationsToExchange: [{ reservationId: r.id, quantity: 1 }],
    reservationsToPurchase: [{
      skuId: item.skuId, term: 'P3Y', billingPlan: 'Monthly', quantity: 2,
      appliedScopeType: 'Single', appliedScopeProperties: single.appliedScopeProperties,
      displayName: 'Cluster D4s', renew: true,
    }],
  });
  let exchangeQuote;
  let used;
  for (const r of vms) {
    const quoted = await api('/calculateExchange', exchange(r));
    if (quoted.approvalNeeded && quoted.quote.isValidExchange) {
      [exchangeQuote, used] = [quoted, r];
      break;
    }
  }
  assert.ok(exchangeQuote, 'an exchange that waits');
  const exchangeAsked = await api('/exchange', { sessionId: exchangeQuote.sessionId, reason: 'New cluster' }, 202);
  assert.equal(exchangeAsked.reservationsToPurchase[0].appliedScopeProperties.displayName, single.appliedScopeProperties.displayName);

  // A trade-in for a savings plan at the engine's minimum hourly commitment, of another VM
  // reservation whose credit is above the threshold.
  const plan = (r, hourly) => ({
    reservationsToExchange: [{ reservationId: r.id, quantity: 1 }],
    reservationsToPurchase: [],
    savingsPlansToPurchase: [{ skuName: 'Compute_Savings_Plan', term: 'P3Y', billingPlan: 'Upfront', hourlyCommitment: hourly, appliedScopeType: 'Shared', displayName: 'Fabrikam compute plan' }],
  });
  let tradeQuote;
  let minimum;
  for (const r of vms.filter((x) => x.id !== used.id)) {
    const probe = await api('/calculateExchange', plan(r, { amount: '0.01', currencyCode: 'USD' }));
    minimum = probe.quote.savingsPlans[0].minimumHourlyCommitment;
    tradeQuote = await api('/calculateExchange', plan(r, minimum));
    if (tradeQuote.approvalNeeded && tradeQuote.quote.isValidExchange) break;
  }
  assert.ok(tradeQuote?.approvalNeeded, 'a trade-in that waits');
  await api('/exchange', { sessionId: tradeQuote.sessionId }, 202);

  // Woodgrove Bank, billed in euros: a purchase and a refund above the threshold in USD.
  const woodgrove = await customer('Woodgrove Bank');
  const purchase = {
    customerId: woodgrove.id,
    purchase: { skuId: item.skuId, term: 'P1Y', billingPlan: 'Upfront', quantity: 1, appliedScopeType: 'Shared', renew: false },
  };
  const purchaseQuote = await api('/calculatePurchase', purchase);
  assert.equal(purchaseQuote.quote.commitment.currencyCode, 'EUR');
  assert.equal(purchaseQuote.approvalNeeded.billed.currencyCode, 'EUR', 'the note names the euros');
  assert.equal(purchaseQuote.approvalNeeded.figure.currencyCode, 'USD');
  await api('/purchase', { sessionId: purchaseQuote.sessionId }, 202);
  // A refund above the threshold: the seed's refunds shrink as its terms run on, so the first
  // of Woodgrove's reservations whose one-unit refund the desk says waits.
  let returned;
  let refundQuote;
  for (const reservation of woodgrove.reservations) {
    const quote = await api(`/reservationOrders/${reservation.reservationOrderId}/calculateRefund`, { reservationId: reservation.id, quantity: 1 });
    if (quote.approvalNeeded) {
      [returned, refundQuote] = [reservation, quote];
      break;
    }
  }
  assert.ok(refundQuote, 'a refund of Woodgrove Bank above the threshold');
  const refundAsked = await api(`/reservationOrders/${returned.reservationOrderId}/return`, { sessionId: refundQuote.sessionId, returnReason: 'Moving to Sweden Central' }, 202);
  assert.equal(refundAsked.amount.currencyCode, 'EUR');
  assert.equal(refundAsked.amountUsd.currencyCode, 'USD', 'the desk keeps the USD figure');

  const context = await browser.newContext({ viewport: SIZES.desktop, locale: 'en-US', token: 'demo-global-admin' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/approvals`);
  await page.getByText(/above the approval threshold \(\$100\.00, in USD\)/).waitFor();
  const cards = page.getByRole('article', { name: 'Exchange · Fabrikam Inc' });
  await cards.first().waitFor();
  assert.equal(await cards.count(), 2);

  // The exchange: what it buys, in full (the two cards are told apart by what they buy: both
  // may be asked in the same second).
  const exchangeCard = cards.filter({ hasNot: page.locator('.approval-plan') });
  const tradeInCard = cards.filter({ has: page.locator('.approval-plan') });
  const bought = exchangeCard.locator('.approval-buys');
  assert.equal(await bought.locator('.approval-line').textContent(), '2 × Standard_D4s_v5 in West Europe, 3 years, Monthly');
  assert.equal(await bought.locator('.approval-line').getAttribute('title'), 'westeurope', 'the region\'s code as its title');
  assert.match(await bought.locator('.approval-scope').textContent(), new RegExp(`^Scope: Single (subscription|resource group): ${single.appliedScopeProperties.displayName}`));
  assert.equal(await bought.locator('.approval-name').textContent(), 'Name: Cluster D4s');
  assert.equal(await bought.locator('.approval-renewal').textContent(), 'Automatic renewal: on');

  // The trade-in: the savings plan with its hourly commitment and currency.
  const traded = tradeInCard.locator('.approval-buys .approval-plan');
  assert.equal(
    await traded.locator('.approval-line').textContent(),
    `Savings plan for compute: ${money(minimum)} an hour (USD), 3 years, Upfront`,
  );
  assert.equal(await traded.locator('.approval-scope').textContent(), 'Scope: Shared');
  assert.equal(await traded.locator('.approval-name').textContent(), 'Name: Fabrikam compute plan');

  // Woodgrove's purchase: scope, name (none given), renewal, and the commitment in both currencies.
  const bought2 = page.getByRole('article', { name: 'Purchase · Woodgrove Bank' });
  assert.equal(await bought2.locator('.approval-line').textContent(), '1 × Standard_D4s_v5 in West Europe, 1 year, Upfront');
  assert.equal(await bought2.locator('.approval-scope').textContent(), 'Scope: Shared');
  assert.equal(await bought2.locator('.approval-renewal').textContent(), 'Automatic renewal: off');
  assert.equal(await bought2.locator('.approval-commitment dd').textContent(), money(purchaseQuote.quote.commitment));
  assert.match(await bought2.locator('.approval-credit dd').textContent(), new RegExp(`^${money(purchaseQuote.commitmentUsd).replace('$', '\\$')}`));

  // Woodgrove's refund: the euros, and the USD figure compared with the threshold (the money it
  // moves, at its order's own rate).
  const refund = page.getByRole('article', { name: 'Refund · Woodgrove Bank' });
  assert.equal(await refund.locator('.approval-refund dd').textContent(), money(refundAsked.amount));
  assert.equal(await refund.locator('.approval-usd dt').textContent(), "Refund in USD, at the order's own rate");
  assert.equal(await refund.locator('.approval-usd dd').textContent(), `${money(refundAsked.amountUsd)}compared with the approval threshold`);

  for (const lang of ['en', 'de']) {
    if (lang === 'de') await page.goto(`${base}/approvals?lang=de`);
    await page.getByRole('article').first().waitFor();
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: `${SCREENSHOTS}approval-details-${lang}-${size}.png`, fullPage: true });
      const widest = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(widest <= viewport.width, `${lang}: the page is ${widest} px wide on a ${viewport.width} px screen`);
    }
    await page.setViewportSize(SIZES.desktop);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a euro purchase\'s Review names the commitment in euros, its USD figure and the threshold in USD', async () => {
  const woodgrove = await customer('Woodgrove Bank');
  for (const [lang, size] of [['en', 'desktop'], ['de', 'desktop'], ['en', 'phone'], ['de', 'phone']]) {
    const context = await browser.newContext({ viewport: SIZES[size], locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/customers/${woodgrove.id}/buy?lang=${lang}`);
    await page.locator('#buy-review').waitFor();
    await page.locator('#buy-quantity').fill('1');
    const answer = page.waitForResponse((r) => r.url().endsWith('/calculatePurchase'));
    await page.locator('#buy-review').click();
    const quoted = await (await answer).json();
    const note = page.locator('#buy-approval-needed');
    await note.waitFor();
    if (lang === 'en') {
      assert.equal(
        await note.textContent(),
        `The commitment (${money(quoted.quote.commitment)}, that is ${money(quoted.commitmentUsd)} in USD) is above the approval threshold ($100.00, in USD): after you buy, the purchase waits until someone else approves it. Nothing is bought until then.`,
      );
      await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
      assert.equal(await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).count(), 0, 'not shown twice');
    }
    await page.screenshot({ path: `${SCREENSHOTS}buy-eur-review-${lang}-${size}.png`, fullPage: true });
    await context.close();
  }
});
