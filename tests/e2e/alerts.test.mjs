// Alerts: the Alerts page, reached from the header, shows an expiring
// reservation of the demo data with whether it renews and the link to its Configuration panel,
// and Contoso near its refund limit; a user subscribes to a customer with the keyboard and
// unsubscribes again. Both builds: the server's and the static one (which shows alerts and says
// it sends none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

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

  const expiring = page.getByRole('row', { name: /expires on .*, in \d+ days\. Automatic renewal is (on|off)\./ }).first();
  await expiring.waitFor();
  const next = expiring.getByRole('link', { name: 'Review renewal' });
  assert.match(await next.getAttribute('href'), /\/customers\/[0-9a-f-]+\/reservations\/[0-9a-f-]+\/configuration$/);
  const contoso = page.getByRole('region', { name: 'Contoso Ltd' });
  await contoso.getByRole('row', { name: /Refund headroom under the USD 50,000 limit is \$3,500\.00, below \$5,000\.00\./ }).waitFor();

  // Subscribe with the keyboard, then unsubscribe.
  const subscribe = contoso.getByRole('button', { name: 'Subscribe' });
  await subscribe.focus();
  await page.keyboard.press('Enter');
  await contoso.getByText("You receive this customer's alerts by e-mail.").waitFor();
  assert.equal(await contoso.getByRole('button', { name: 'Unsubscribe' }).getAttribute('aria-pressed'), 'true');
  await page.screenshot({ path: `${SCREENSHOTS}${shots}alerts.png`, fullPage: false });
  await contoso.getByRole('button', { name: 'Unsubscribe' }).click();
  await contoso.getByText("You do not receive this customer's alerts by e-mail.").waitFor();

  // The next step opens the reservation's Configuration panel.
  await next.click();
  await page.getByLabel('Automatic renewal').first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
}

test('server build: the Alerts page shows an expiring demo reservation and a subscription by keyboard', () => alertsWalk(BASE_URL, ''));

test('static build with the in-browser backend: the same, sending nothing', { skip: !PAGES_URL && 'PAGES_URL not set' },
  () => alertsWalk(PAGES_URL, 'pages-'));
