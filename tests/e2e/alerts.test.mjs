// Alerts: the Alerts page, reached from the header, sums the alerts up by kind and customer
// (each kind's count over all customers in the filter, each customer's count, each kind folded
// under its count), and a filter by kind chosen with the arrow keys shows that kind alone,
// unfolded, and is kept in the URL. It shows an expiring reservation of the demo data with
// whether it renews and the link to its Configuration panel, and Contoso near its refund limit;
// a user subscribes to a customer with the keyboard and unsubscribes again; axe finds nothing,
// light or dark. Both builds: the server's and the static one (which shows alerts and says it
// sends none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const PAGES_URL = process.env.PAGES_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function alertsWalk(base, shots) {
  const context = await browser.newContext({ token: 'demo-global-admin', viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/customers`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
  const violations = [];

  // The summary: every kind with its count, all of them together, each folded per customer.
  const filter = page.getByRole('group', { name: 'Show alerts' });
  const all = filter.getByRole('radio', { name: /^All kinds \(/ });
  await all.waitFor();
  assert.ok(await all.isChecked(), 'all kinds are shown at first');
  const counted = async (radio) => Number((await radio.evaluate((r) => r.parentElement.textContent)).match(/\(([\d,]+)\)/)[1].replace(/,/g, ''));
  const kinds = ['Expiring soon', 'Under-used', 'Refund limit nearly used', 'Exchange right ends', 'Approval outcomes sent'];
  const perKind = {};
  for (const kind of kinds) perKind[kind] = await counted(filter.getByRole('radio', { name: new RegExp(`^${kind} \\(`) }));
  const total = await counted(all);
  assert.equal(total, Object.values(perKind).reduce((a, b) => a + b, 0), 'All kinds counts every kind');
  assert.equal(await page.locator('.alerts-customer tbody tr').count(), total, 'one row per alert counted');
  assert.ok(perKind['Expiring soon'] > 0 && perKind['Refund limit nearly used'] > 0, JSON.stringify(perKind));
  // Each group's count is its rows; each customer's count is its rows; every group starts folded.
  for (const group of await page.locator('details.alert-group').all()) {
    assert.equal(await group.evaluate((d) => d.open), false, 'folded at first');
    const n = Number((await group.locator('summary').textContent()).match(/\((\d+)\)/)[1]);
    assert.equal(await group.locator('tbody tr').count(), n);
  }
  for (const section of await page.locator('section.alerts-customer').all()) {
    const rows = await section.locator('tbody tr').count();
    const said = await section.locator(':scope > .sub').textContent();
    assert.equal(said, rows === 0 ? '0 alerts' : rows === 1 ? '1 alert' : `${rows} alerts`);
  }
  await page.screenshot({ path: `${SCREENSHOTS}${shots}alerts-summary.png`, fullPage: false });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  violations.push(...await schemeViolations(page, 'Alerts, summary'));

  // The filter with the keyboard: the arrow key moves to the next kind and shows it alone.
  await all.focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForURL(/\/alerts\?kind=expiring$/);
  const expiringRadio = filter.getByRole('radio', { name: /^Expiring soon \(/ });
  assert.ok(await expiringRadio.isChecked());
  assert.equal(await page.evaluate(() => document.activeElement.value), 'expiring');
  const shown = page.locator('details.alert-group:visible');
  assert.ok(await shown.count() > 0);
  for (const group of await shown.all()) {
    assert.equal(await group.getAttribute('data-kind'), 'expiring');
    assert.equal(await group.evaluate((d) => d.open), true, 'the kind shown alone is unfolded');
  }
  assert.equal(await page.locator('.alerts-customer tbody tr:visible').count(), perKind['Expiring soon']);
  await page.screenshot({ path: `${SCREENSHOTS}${shots}alerts-expiring.png`, fullPage: false });
  violations.push(...await schemeViolations(page, 'Alerts, filtered to a kind'));

  const expiring = page.getByRole('row', { name: /expires on .*, in \d+ days?\. Automatic renewal is (on|off)\./ }).first();
  await expiring.waitFor();
  const next = expiring.getByRole('link', { name: 'Review renewal' });
  assert.match(await next.getAttribute('href'), /\/customers\/[0-9a-f-]+\/reservations\/[0-9a-f-]+\/configuration$/);

  // Another kind by its label; a reload keeps it (the URL says it).
  await filter.getByText(/^Refund limit nearly used \(/).click();
  await page.waitForURL(/\/alerts\?kind=low-refund-headroom$/);
  await page.reload();
  const contoso = page.getByRole('region', { name: 'Contoso Ltd' });
  await contoso.getByRole('row', { name: /Refund headroom under the USD 50,000 limit is \$3,500\.00, below \$5,000\.00\./ }).waitFor();
  assert.ok(await filter.getByRole('radio', { name: /^Refund limit nearly used \(/ }).isChecked());
  assert.equal(await page.locator('section.alerts-customer:visible').count(), perKind['Refund limit nearly used'],
    'only the customers with that kind of alert (one such alert each)');
  // Back to all: folded again, the page as short as before.
  await filter.getByRole('radio', { name: /^All kinds \(/ }).check();
  await page.waitForURL(/\/alerts$/);
  assert.equal(await page.locator('details.alert-group[open]').count(), 0);
  assert.equal(await page.evaluate(() => document.documentElement.scrollHeight), height);

  // Subscribe with the keyboard, then unsubscribe. Before it, the button is described by what
  // subscribing does once e-mail is set up (it is not here).
  const subscribe = contoso.getByRole('button', { name: 'Subscribe' });
  const before = await subscribe.getAttribute('aria-describedby');
  assert.match(await page.locator(`[id="${before}"]`).textContent(),
    /^You are not subscribed to this customer's alerts\. E-mail is not set up on this server yet: subscribing now puts you on this customer's daily digest of new alerts, e-mailed to you once its operator sets e-mail up/);
  await subscribe.focus();
  await page.keyboard.press('Enter');
  // Neither server nor static build sends e-mail here: the subscription is kept, and says so.
  await contoso.getByText("You are subscribed to this customer's alerts, but e-mail is not set up on this server: nothing is e-mailed to you until its operator sets it up.").waitFor();
  assert.equal(await contoso.getByRole('button', { name: 'Unsubscribe' }).getAttribute('aria-pressed'), 'true');
  await page.screenshot({ path: `${SCREENSHOTS}${shots}alerts.png`, fullPage: false });
  await contoso.getByRole('button', { name: 'Unsubscribe' }).click();
  await contoso.getByText(/^You are not subscribed to this customer's alerts\. E-mail is not set up on this server yet: subscribing now/).waitFor();
  assert.equal(await page.getByText(/receive this customer's alerts by e-mail/).count(), 0, 'no e-mail promised');
  if (base === BASE_URL) {
    // The shared server has neither SMTP_URL nor ALERT_WEBHOOK_URL: the page says who sets it up.
    assert.match(await page.locator('#alerts-delivery').textContent(), /^Alert delivery is not set up on this server: .*The server's operator sets it up: SMTP_URL for e-mail, ALERT_WEBHOOK_URL for a webhook/);
  } else {
    assert.equal(await page.locator('#alerts-delivery').count(), 0, 'the static build says it sends nothing in its own note');
  }
  assertNoViolations(violations);

  // The next step opens the reservation's Configuration panel.
  await filter.getByRole('radio', { name: /^Expiring soon \(/ }).check();

  await next.click();
  await page.getByLabel('Automatic renewal').first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
}

test('server build: the Alerts page shows an expiring demo reservation and a subscription by keyboard', () => alertsWalk(BASE_URL, ''));

test('static build with the in-browser backend: the same, sending nothing', { skip: !PAGES_URL && 'PAGES_URL not set' },
  () => alertsWalk(PAGES_URL, 'pages-'));
