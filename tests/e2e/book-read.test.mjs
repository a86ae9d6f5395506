// Azure mode that reads by itself, in the browser: the release build served by the desk reading
// stand-ins of Partner Center and ARM (crates/server/tests/azure_walk_server.rs). On the
// Readiness page the Global admin connects the desk (the stand-in's token endpoint gives a
// refresh token; the server seals it), the read that starts is followed to its end and the
// panel says it read by the connection; "Read all customers now" starts a read on the user's
// behalf, followed to its end with the table read again. The Admin agent sees Connect and
// Disconnect disabled with why. axe in light and dark, the keyboard, the phone width.
// Screenshots of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startAzureWalk } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;

let walk;
let browser;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist/index.html')), 'dist/ (RESERVATION_DESK_API=/api trunk build --release)');
  walk = await startAzureWalk();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

async function open(token, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ token, viewport, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${walk.base}/readiness`);
  await page.locator('.readiness-table tbody tr').first().waitFor();
  return { page, errors };
}

test('The Global admin connects the desk; its read and a read on the user\'s behalf are followed to their end', async () => {
  const { page, errors } = await open(walk.admin);
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}book-read-${name}.png`, fullPage: true });
  const panel = page.locator('.book-read-panel');
  await panel.getByRole('heading', { name: 'Reading Azure', level: 2 }).waitFor();
  await panel.getByText('Not connected: Azure is read only while someone is signed in.').waitFor();
  await shot('1-not-connected');
  assertNoViolations(await schemeViolations(page, 'reading panel, not connected'));

  // Connect, with the keyboard.
  const connect = panel.getByRole('button', { name: 'Connect the desk' });
  await connect.focus();
  await page.keyboard.press('Enter');
  await panel.getByText(/^Connected by Gina Global since .+: the desk reads Azure by itself\.$/).waitFor();
  await panel.getByText(/^Read \d+ customers at .+ \(\d+ failed\)\. By the desk's connection, with nobody signed in\./).waitFor();
  await panel.getByRole('button', { name: 'Disconnect' }).waitFor();
  await shot('2-connected');

  // A read on the user's behalf: the bar while it runs (it may be quick), then its end.
  await panel.getByRole('button', { name: 'Read all customers now' }).click();
  await panel.getByText(/^Read \d+ customers at .+ \(\d+ failed\)\. On behalf of Gina Global\./).waitFor();
  await panel.getByText('The table below is read again.').waitFor();
  await shot('3-read');
  assertNoViolations(await schemeViolations(page, 'reading panel, after a read'));
  assert.deepEqual(errors, []);
});

test('The Admin agent sees Connect and Disconnect disabled with why; the panel fits a phone', async () => {
  const { page, errors } = await open(walk.token, { width: 390, height: 844 });
  const panel = page.locator('.book-read-panel');
  await panel.getByRole('heading', { name: 'Reading Azure', level: 2 }).waitFor();
  const buttons = panel.locator('.book-read-part').first().getByRole('button');
  await buttons.first().waitFor();
  for (const button of await buttons.all()) {
    assert.equal(await button.isDisabled(), true, await button.textContent());
    assert.match(await button.getAttribute('title') ?? '', /Admin agent/);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scroll at phone width (${overflow}px)`);
  await page.screenshot({ path: `${SCREENSHOTS}book-read-4-admin-agent-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
