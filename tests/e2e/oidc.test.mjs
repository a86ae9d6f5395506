// Sign-in through OpenID Connect against a real provider (npm's oidc-provider, started here on
// loopback): the test starts its own server with demo users off and the provider as issuer,
// signs in through the provider's login and consent pages in Chromium, refunds one unit as the
// Admin agent the `roles` claim makes the user, and checks the header and the audit log name
// the user. A demo token is refused there. Everything started here is stopped at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, SCREENSHOTS } from './browser.mjs';
import { openActiveWithUnits } from './customer-rows.mjs';
import { startProvider, CLIENT_ID, AUDIENCE, SCOPES } from './oidc-provider.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const SERVER_BIN = process.env.SERVER_BIN ?? join(ROOT, 'target/debug/reservation-desk-server');

let provider;
let server;
let serverLog = '';
let browser;
let dir;
let base;

/** A free port on loopback (the provider must know the app's redirect URI before the server starts). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves when the server says it listens (its log's "listening on" line), fails when it exits first or says nothing for 60 s. */
function waitForServer() {
  return new Promise((resolve, reject) => {
    const done = (error) => {
      clearTimeout(timer);
      server.stdout.off('data', check);
      server.stderr.off('data', check);
      server.off('exit', exited);
      if (error) reject(error); else resolve();
    };
    const check = () => { if (serverLog.includes('listening on http://')) done(); };
    const exited = (code) => done(new Error(`the server exited (${code}); its log:\n${serverLog}`));
    const timer = setTimeout(() => done(new Error(`the server did not say it listens within 60 s; its log:\n${serverLog}`)), 60_000);
    server.stdout.on('data', check);
    server.stderr.on('data', check);
    server.once('exit', exited);
    check();
  });
}

before(async () => {
  assert.ok(existsSync(SERVER_BIN), `${SERVER_BIN} (cargo build -p reservation-desk-server)`);
  assert.ok(existsSync(join(ROOT, 'dist/index.html')), 'dist/ (RESERVATION_DESK_API=/api trunk build --release)');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startProvider({ redirectUri: `${base}/` });
  dir = mkdtempSync(join(tmpdir(), 'desk-oidc-'));
  server = spawn(SERVER_BIN, [
    '--listen', `127.0.0.1:${port}`,
    '--database', `sqlite://${dir}/oidc.sqlite`,
    '--static-dir', join(ROOT, 'dist'),
    '--demo-users', 'false',
    '--oidc-issuer', provider.issuer,
    '--oidc-audience', AUDIENCE,
    '--oidc-client-id', CLIENT_ID,
    '--oidc-scopes', SCOPES,
  ], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', RUST_LOG: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitForServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  await provider?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the server tells the SPA to sign in at the provider, and refuses demo tokens', async () => {
  const config = await (await fetch(`${base}/api/config`)).json();
  assert.deepEqual(config, { auth: 'oidc', issuer: provider.issuer, clientId: CLIENT_ID, scopes: SCOPES });
  const demo = await fetch(`${base}/api/customers`, { headers: { authorization: 'Bearer demo-admin-agent' } });
  assert.equal(demo.status, 401);
  const none = await fetch(`${base}/api/customers`);
  assert.equal(none.status, 401);
});

test('sign in at the provider, refund one unit as Admin agent, and the audit log names the user', async () => {
  const context = await browser.newContext({ token: '', viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  // Signed out, a deep link lands on the sign-in page, which offers the organization.
  await page.goto(`${base}/audit`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'oidc-sign-in.png', fullPage: true });
  await page.getByRole('button', { name: 'Sign in with your organization' }).click();

  // The provider's own login and consent pages.
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.locator('input[name="login"]').fill('ada.admin');
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.locator('button[type="submit"]', { hasText: /continue/i }).click();

  // Back on the page it came from, signed in.
  await page.waitForURL((url) => url.origin === base && url.pathname === '/audit');
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  await page.getByText('Ada Admin · Admin agent').waitFor();
  const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('reservation-desk/oidc-tokens')));
  assert.ok(stored.accessToken.split('.').length === 3, 'a JWT access token');
  assert.ok(stored.expiresAt > Date.now(), 'with its expiry');
  assert.equal(stored.idToken, undefined, 'the ID token is not kept');
  assert.equal(await page.evaluate(() => localStorage.getItem('reservation-desk/token')), null, 'no demo token');

  // The refund walk.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
  await page.getByRole('link', { name: 'Fabrikam Inc' }).click();
  await page.getByRole('heading', { name: 'Fabrikam Inc', level: 1 }).waitFor();
  const quantityBefore = await openActiveWithUnits(page, 2);
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  await page.getByLabel('Quantity to return').fill('1');
  await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  await page.getByLabel('Reason for the return').fill('Signed in through the organization');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  await page.getByText(/Refund .* submitted/).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'oidc-refund.png', fullPage: true });

  // The audit log names who did it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  const entry = page.getByRole('row', { name: /refund/ }).first();
  await entry.waitFor();
  const text = await entry.textContent();
  assert.match(text, /Ada Admin|ada\.admin/, text);
  assert.match(text, new RegExp(`quantity ${quantityBefore} → ${quantityBefore - 1}`), text);
  const audit = await page.evaluate(async () => {
    const { accessToken } = JSON.parse(sessionStorage.getItem('reservation-desk/oidc-tokens'));
    const response = await fetch('/api/audit', { headers: { authorization: `Bearer ${accessToken}` } });
    return response.json();
  });
  const entries = Array.isArray(audit) ? audit : (audit.value ?? audit.entries ?? []);
  const refund = entries.find((e) => JSON.stringify(e).includes('Signed in through the organization') || /refund/i.test(JSON.stringify(e)));
  assert.ok(refund, JSON.stringify(audit).slice(0, 500));
  assert.match(JSON.stringify(refund), /Ada Admin/);

  // Sign out: the tokens are gone and the provider's sign-out page follows. Its URL, which
  // stays in the browser's history, names the client and not the ID token; the
  // provider takes it and sends the browser back to the app.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.origin === provider.issuer);
  const signOut = new URL(page.url());
  assert.equal(signOut.searchParams.get('id_token_hint'), null, signOut.href);
  assert.equal(signOut.searchParams.get('client_id'), CLIENT_ID, signOut.href);
  await page.getByRole('button', { name: /yes, sign me out/i }).click();
  await page.waitForURL((url) => url.origin === base);
  // Back, signed out, the app goes to its sign-in page by itself: wait for that navigation to
  // end before starting another one (a goto during it is interrupted).
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.goto(`${base}/customers`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('reservation-desk/oidc-tokens')), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a forged answer (wrong state) shows an inline error with a retry, not a blank page', async () => {
  const context = await browser.newContext({ token: '', viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByRole('button', { name: 'Sign in with your organization' }).click();
  await page.waitForURL((url) => url.origin === provider.issuer);
  // Come back with a code and a state this tab never sent.
  await page.goto(`${base}/?code=forged&state=not-ours`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /does not belong to a sign-in started here/);
  await page.screenshot({ path: SCREENSHOTS + 'oidc-bad-state.png', fullPage: true });
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.waitForURL((url) => url.origin === provider.issuer);
  await context.close();
});
