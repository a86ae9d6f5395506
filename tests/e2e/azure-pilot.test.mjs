// A read-only pilot of Azure mode in the browser (`--azure-read-only true`): the desk over the
// stand-ins of Partner Center and ARM (tests/e2e/azure-walk.mjs) with the pilot on. The header
// says so; the partner's Azure is read and quoted (Review asks ARM's calculateRefund), and every
// control that would change Azure is disabled, saying why in the user's language (German too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startAzureWalk } from './azure-walk.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const WHY = 'Read-only pilot: this desk reads and quotes Azure and changes nothing there.';

let walk;
let browser;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist/index.html')), 'dist/ (RESERVATION_DESK_API=/api trunk build --release)');
  walk = await startAzureWalk({ AZURE_WALK_READ_ONLY: 'true' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

test('a read-only pilot: the header says so, Azure is read and quoted, and every change is disabled with why', async () => {
  const page = await browser.newPage({ token: walk.token, viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const { base } = walk;

  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: 'Contoso', exact: true }).waitFor();
  const badge = page.locator('header .pilot-badge');
  await badge.getByText('Read-only pilot', { exact: true }).waitFor();
  assert.equal(await badge.getAttribute('title'), WHY);
  await page.screenshot({ path: `${SCREENSHOTS}azure-pilot-1-customers.png` });

  // Quoted through Azure: Review asks ARM's calculateRefund; Submit is disabled, saying why.
  await page.goto(`${base}/customers/contoso/reservations/res-c2/refund`);
  await page.getByLabel('Quantity to return').fill('1');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('region', { name: 'Azure\'s calculation' }).waitFor();
  await page.getByLabel('Reason for the return').fill('Piloting the desk.');
  const submit = page.getByRole('button', { name: 'Submit refund' });
  assert.equal(await submit.isDisabled(), true, 'no refund in the pilot');
  assert.equal(await submit.getAttribute('title'), WHY);
  await page.screenshot({ path: `${SCREENSHOTS}azure-pilot-2-refund.png`, fullPage: true });

  // A configuration change: Save disabled, saying why.
  await page.goto(`${base}/customers/contoso/reservations/res-c3/configuration`);
  const save = page.getByRole('button', { name: 'Save' });
  await save.waitFor();
  assert.equal(await save.isDisabled(), true, 'no change in the pilot');
  assert.equal(await save.getAttribute('title'), WHY);

  // In German, the reason is German.
  await page.goto(`${base}/customers/contoso/reservations/res-c3/configuration?lang=de`);
  await page.locator('header .pilot-badge').getByText('Schreibgeschützter Pilot', { exact: true }).waitFor();
  const speichern = page.locator('form button[type=submit]');
  await speichern.waitFor();
  assert.match(await speichern.getAttribute('title'), /^Schreibgeschützter Pilot: /);
  assert.deepEqual(errors, []);
});
