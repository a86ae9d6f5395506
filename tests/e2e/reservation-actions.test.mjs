// A reservation's ways to act, on the release build and a server of its own whose approval
// threshold every refund is above: with a refund of it waiting for approval, the Overview's
// Refund and Exchange under the recommendation are disabled and say why (no way into a blocked
// panel); New support request is named once on the page; an exchange of an East US reservation
// starts with a purchase in East US.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';

let browser;
let server;
let base;

before(async () => {
  server = await startOwnServer('reservation-actions', ['--approval-threshold', '0']);
  base = server.url;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function api(method, path, body) {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: 'Bearer demo-admin-agent', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

/** Every customer's active reservations, with the customer's ID. */
async function activeReservations() {
  const customers = (await api('GET', '/customers')).json;
  const all = [];
  for (const c of customers) {
    for (const r of (await api('GET', `/customers/${c.id}/reservations`)).json) {
      if (r.provisioningState === 'Succeeded') all.push({ ...r, customerId: c.id });
    }
  }
  return all;
}

test('with a refund waiting for approval, the Overview offers no Refund or Exchange, and says why', async () => {
  // A virtual machine reservation: its comparison offers an exchange.
  const r = (await activeReservations()).find((x) => x.reservedResourceType === 'VirtualMachines' && x.quantity >= 2);
  assert.ok(r, 'an active VM reservation of 2+ units');
  const quote = await api('POST', `/reservationOrders/${r.reservationOrderId}/calculateRefund`, { reservationId: r.id, quantity: 1 });
  assert.equal(quote.status, 200);
  const asked = await api('POST', `/reservationOrders/${r.reservationOrderId}/return`, { sessionId: quote.json.sessionId, returnReason: 'Waits for approval' });
  assert.equal(asked.status, 202);

  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, colorScheme, locale: 'en-US' });
    await page.goto(`${base}/customers/${r.customerId}/reservations/${r.id}`);
    await page.getByRole('heading', { name: 'Keep, refund or exchange' }).waitFor();
    await page.locator('.compare-recommendation').waitFor();
    const below = page.locator('.compare + .actions');
    for (const name of ['Refund', 'Exchange']) {
      const button = below.getByRole('button', { name, exact: true });
      assert.ok(await button.isDisabled(), `${name} under the recommendation is disabled`);
      const reason = await button.getAttribute('aria-describedby');
      assert.match(await page.locator(`#${reason}`).textContent(), /possible again once the request waiting for approval above is decided/);
    }
    assert.equal(await below.getByRole('link').count(), 0, 'no link to a blocked panel below the recommendation');
    // Nowhere on the page a link into the Refund or Exchange panel.
    assert.equal(await page.locator('main a[href$="/refund"], main a[href$="/exchange"]').count(), 0);
    // New support request: one way there (the panel tab), not two.
    assert.equal(await page.getByRole('link', { name: 'New support request' }).count(), 1);
    await page.screenshot({ path: `${SCREENSHOTS}overview-waiting-${colorScheme}.png`, fullPage: true });
    await page.context().close();
  }
});

test('an East US reservation\'s exchange starts with a purchase in East US', async () => {
  const all = await activeReservations();
  // Exchangeable today: bought before the day the dated rule stops exchanges of its type.
  const r = all.find((x) => x.location === 'eastus' && x.reservedResourceType === 'VirtualMachines');
  assert.ok(r, 'an active East US VM reservation in the demo data');
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  await page.goto(`${base}/customers/${r.customerId}/reservations/${r.id}/exchange`);
  await page.getByRole('region', { name: 'Exchange quote' }).waitFor();
  const sku = page.locator('.purchase-line select').first();
  assert.match(await sku.inputValue(), /\/eastus$/, 'the purchase line\'s SKU is in East US');
  assert.match(await sku.locator('option:checked').textContent(), /· East US/);
  await page.screenshot({ path: `${SCREENSHOTS}exchange-east-us.png`, fullPage: true });
  await page.context().close();
});
