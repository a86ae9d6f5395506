// Consent at scale in the browser: the release build served by the desk reading stand-ins of
// Partner Center and ARM (crates/server/tests/azure_walk_server.rs with AZURE_WALK_CONSENTS=true),
// whose three more customers have not consented the desk's API app: Northwind Traders (a
// reservation once consented), Woodgrove Bank, and Tailspin Toys, whose consent Partner Center
// refuses (403); and Litware, whose consent predates Microsoft Graph's grant (it reads, Entra ID
// refuses Graph's token there, Partner Center answers 409 to a new consent). Signed in as the
// Global admin, the walk consents Northwind alone (chosen), then every tenant left that needs it:
// the progress, each outcome (Litware's consent renewed, after which Graph finds names there),
// the refusal in Partner Center's words, and the table read again with the consented tenants
// ready. The Admin agent sees the
// panel with its buttons disabled and why. axe in light and dark; the panel in the four other
// languages. Screenshots of each.
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
  walk = await startAzureWalk({ AZURE_WALK_CONSENTS: 'true' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

async function open(token, options = {}) {
  const page = await browser.newPage({ token, viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${walk.base}/readiness${options.locale && options.locale !== 'en-US' ? `?lang=${options.locale}` : ''}`);
  await page.locator('.readiness-table tbody tr').first().waitFor();
  return { page, errors };
}

const row = (page, name) => page.locator('.readiness-table tbody tr', { has: page.getByRole('link', { name, exact: true }) });

test('The Global admin consents the desk\'s app in a chosen tenant, then in all that need it: progress, outcomes, the table read again', async () => {
  const { page, errors } = await open(walk.admin);
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}consent-${name}.png`, fullPage: true });
  const panel = page.locator('.consent-panel');
  await panel.getByRole('heading', { name: 'Consent the desk\'s app in customers\' tenants', level: 2 }).waitFor();
  await panel.getByText(/^Tenants that need the desk's app consented: 4\./).waitFor();
  await panel.getByText(/the run renews it: Partner Center deletes that consent and makes it again with Graph's grant/).waitFor();
  for (const name of ['Northwind Traders', 'Woodgrove Bank', 'Tailspin Toys']) {
    await row(page, name).getByText('App not consented in the tenant').waitFor();
  }
  // Litware reads, but Microsoft Graph is not consented there: the directory column says so.
  const litware = row(page, 'Litware Inc.');
  await litware.getByText('Ready', { exact: true }).waitFor();
  await litware.locator('.readiness-directory').getByText('Not consented', { exact: true }).waitFor();
  await litware.getByText('Renew the consent: Access control\'s people picker and names need it.').waitFor();
  await shot('1-needed');
  assertNoViolations(await schemeViolations(page, 'consent panel'));

  // One tenant, chosen with the keyboard.
  await panel.locator('summary', { hasText: 'Choose tenants' }).click();
  await panel.getByText('Microsoft Graph not consented: the consent is renewed if Entra ID still refuses Graph').waitFor();
  assert.equal(
    await panel.getByRole('checkbox', { name: 'Litware Inc.' }).getAttribute('aria-describedby'),
    'consent-renewal-litware',
    'the renewal is the checkbox\'s description',
  );
  const chosen = panel.getByRole('button', { name: /^Consent in the chosen ones \(\d+\)$/ });
  assert.equal(await chosen.isDisabled(), true, 'nothing chosen yet');
  await panel.getByRole('checkbox', { name: 'Northwind Traders' }).focus();
  await page.keyboard.press('Space');
  await panel.getByRole('button', { name: 'Consent in the chosen ones (1)' }).click();
  await panel.getByText(/^Tenants done: 1 of 1\. Consented: 1; consented already: 0; renewed: 0; refused: 0; in another run: 0\./).waitFor({ timeout: 15_000 });
  await panel.getByText('Done: the table below is read again.').waitFor();
  assert.equal(await panel.locator('progress').getAttribute('value'), '1');
  await row(page, 'Northwind Traders').getByText('Ready', { exact: true }).waitFor();
  assert.equal((await row(page, 'Northwind Traders').locator('td.num').first().textContent()).trim(), '1', 'its reservation read');
  await panel.getByText(/^Tenants that need the desk's app consented: 3\./).waitFor();
  await shot('2-one-chosen');

  // Every tenant left that needs it: one consented, one renewed, one refused in Partner Center's
  // words.
  await panel.getByRole('button', { name: 'Consent in all of them (3)' }).click();
  await panel.getByText(/^Tenants done: 3 of 3\. Consented: 1; consented already: 0; renewed: 1; refused: 1; in another run: 0\./).waitFor({ timeout: 15_000 });
  const refused = panel.locator('.consent-failures tbody tr');
  assert.equal(await refused.count(), 1);
  await refused.getByText('Tailspin Toys').waitFor();
  await refused.getByText('600028: The partner user is not authorized to consent for this customer. (HTTP 403)').waitFor();
  await row(page, 'Woodgrove Bank').getByText('Ready', { exact: true }).waitFor();
  await row(page, 'Tailspin Toys').getByText('App not consented in the tenant').waitFor();
  // Renewed: read again, Graph answers in Litware's tenant, and it no longer needs consent.
  await litware.locator('.readiness-directory').getByText('Names found', { exact: true }).waitFor();
  await panel.getByText(/^Tenants that need the desk's app consented: 1\./).waitFor();
  await shot('3-all');
  assertNoViolations(await schemeViolations(page, 'consent run'));

  // Audited: each tenant's outcome under the Global admin's name.
  await page.goto(`${walk.base}/audit`);
  await page.getByText(/The desk's API app was consented in the tenant of Northwind Traders: Partner Center answered 201/).waitFor();
  await page.getByText(/Consenting the desk's API app in the tenant of Tailspin Toys failed: Partner Center answered 403/).waitFor();
  await page.getByText(/The desk's API app's consent in the tenant of Litware Inc\. was renewed \(deleted and made again with Microsoft Graph's grant\)/).waitFor();
  await shot('4-audit');
  assert.deepEqual(errors, []);
  await page.close();
});

test('An Admin agent sees the consent panel with its buttons disabled, saying why', async () => {
  const { page, errors } = await open(walk.token);
  const all = page.locator('.consent-panel').getByRole('button', { name: /^Consent in all of them \(\d+\)$/ });
  await all.waitFor();
  assert.equal(await all.isDisabled(), true);
  assert.match(await all.getAttribute('title'), /Admin agent/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('The consent panel in German, Dutch, Swedish and Chinese: translated, no key name, axe in light and dark', async () => {
  for (const [lang, title] of [['de', 'Einwilligung'], ['nl', 'Toestemming'], ['sv', 'Medgivande'], ['zh-CN', '同意']]) {
    const { page, errors } = await open(walk.admin, { locale: lang });
    const panel = page.locator('.consent-panel');
    await panel.getByRole('heading', { name: new RegExp(title), level: 2 }).waitFor();
    const text = await panel.innerText();
    assert.doesNotMatch(text, /\bconsent_\w+/, `${lang}: a key name shows`);
    assert.doesNotMatch(text, /Consent the desk's app|Choose tenants|need the desk's app consented|the run renews it/, `${lang}: English left`);
    assertNoViolations(await schemeViolations(page, `consent panel ${lang}`));
    await page.screenshot({ path: `${SCREENSHOTS}consent-${lang}.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  }
});
