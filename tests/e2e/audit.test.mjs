// The audit log's integrity check: the Global admin verifies the hash chain from the
// Audit log page; any other role sees the button disabled with the reason. Both builds: the
// server's SQLite store and the in-browser store keep the same chain. The server build also
// proves its Content-Security-Policy lets the page run: a blocked script or wasm would leave
// no heading and a console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

const PAGES_URL = process.env.PAGES_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function verifyWalk(base, shots) {
  const context = await browser.newContext({ token: 'demo-global-admin', viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Console errors too (a CSP violation is one), except on Pages, which answers a deep link with
  // its 404.html and a 404 status that the browser logs.
  if (base === BASE_URL) page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // One audited change first, so the chain has an entry of this walk: a rename.
  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: 'Fabrikam' }).first().click();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Manage' }).click();
  await page.getByLabel('Display name').fill('chained-rename');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  await page.getByRole('row', { name: /chained-rename/ }).first().waitFor();
  // Who by name, in one form on every row, the sign-in e-mail on hover; the resource named for
  // what it is, the reservation linking to its page.
  const renamed = page.getByRole('row', { name: /chained-rename/ }).first();
  const who = renamed.locator('td.who span[title]');
  assert.equal(await who.textContent(), 'Gina Global');
  assert.equal(await who.getAttribute('title'), 'gina.admin@partner.example');
  assert.equal(await renamed.locator('td.audit-target .target-kind').textContent(), 'Reservation');
  assert.match(await renamed.locator('td.audit-target a').getAttribute('href'), /\/customers\/[^/]+\/reservations\/[^/]+$/);
  for (const cell of await page.locator('td.who').allTextContents()) {
    assert.doesNotMatch(cell, /@/, `an e-mail where a name is known: ${cell}`);
  }
  const button = page.getByRole('button', { name: 'Verify the audit log' });
  assert.equal(await button.isEnabled(), true);
  await button.click();
  const status = page.getByRole('status').filter({ hasText: 'Intact' });
  await status.waitFor();
  const text = await status.textContent();
  assert.match(text, /Intact: every entry is as it was written \(entries checked: [1-9]\d*\)\. Last hash: [0-9a-f]{64}/);
  assert.doesNotMatch(text, /0{64}/);
  await page.screenshot({ path: `${SCREENSHOTS}${shots}audit-chain-verified.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();

  // The Admin agent may read the log but not verify the chain.
  const agent = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await agent.goto(`${base}/audit`);
  const disabled = agent.getByRole('button', { name: 'Verify the audit log' });
  await disabled.waitFor();
  await agent.waitForFunction(() => document.querySelector('.audit-chain button')?.title !== '');
  assert.equal(await disabled.isDisabled(), true);
  assert.match(await disabled.getAttribute('title'), /Admin agent/);
  await agent.context().close();
}

test('server build: the Global admin verifies the audit chain; the Admin agent may not', () => verifyWalk(BASE_URL, ''));

test('static build with the in-browser backend: the same', { skip: !PAGES_URL && 'PAGES_URL not set' },
  () => verifyWalk(PAGES_URL, 'pages-'));

test('server build: every page of the app carries the security headers', async () => {
  for (const path of ['/', '/customers', '/audit']) {
    const response = await fetch(BASE_URL + path);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get('content-security-policy');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.doesNotMatch(csp, /unsafe-inline/, path);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
  }
});
