// Every tenant's readiness in the browser: the release build served by the desk reading
// stand-ins of Partner Center and ARM (crates/server/tests/azure_walk_server.rs, started through
// cargo as azure.test.mjs starts it). Its five customers: Contoso read whole (ready), Slow read
// with a reservation whose order answers 403 (read, not quotable), Fabrikam and No GDAP Role Inc
// refused by ARM (no GDAP role that reaches Azure), Always Throttled plc throttled past the waits.
// Signed in as the Admin agent the server prints, the walk opens Readiness from the menu and
// checks the counts per state, the filters by state and by class, the search, the sort, the
// remedy each failure names with Microsoft's guide, the directory (Microsoft Graph) column and
// its filter, the keyboard, the phone width, axe in light
// and dark, and in the four other languages that no key name shows. Screenshots of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

let walk;
let base;
let token;
let browser;

before(async () => {
  walk = await azureWalkServer('readiness walk');
  ({ base, token } = walk);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

async function newPage(options = {}) {
  const page = await browser.newPage({ token, viewport: { width: 1280, height: 900 }, locale: 'en-US', ...options });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { page, errors };
}

/** The customer names of the table's rows, in order. */
const names = (page) => page.locator('.readiness-table tbody th[scope="row"] a').allTextContents();

/** The count shown on a state's button. */
const count = async (page, state) =>
  (await page.locator('.readiness-counts button', { hasText: state }).locator('.readiness-count-number').textContent()).trim();

test('Readiness: counts per state, filters, search, sort and each failure\'s remedy; keyboard, phone width, axe in light and dark', async () => {
  const { page, errors } = await newPage();
  const shot = (name) => page.screenshot({ path: `${SCREENSHOTS}readiness-${name}.png`, fullPage: true });

  // From the menu, as the Admin agent in a desk that reads Azure.
  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: 'Contoso', exact: true }).waitFor();
  await page.getByRole('navigation').getByRole('link', { name: 'Readiness' }).click();
  await page.getByRole('heading', { name: 'Readiness of every tenant', level: 1 }).waitFor();
  await page.locator('.readiness-table tbody tr').first().waitFor();
  await shot('1-all');

  // One row per Partner Center customer; what needs doing first.
  assert.deepEqual(await names(page), ['Always Throttled plc', 'Fabrikam', 'No GDAP Role Inc', 'Slow Throttled Ltd', 'Contoso']);
  assert.deepEqual(
    [await count(page, 'Not read'), await count(page, 'Read, not quotable'), await count(page, 'Never tried'), await count(page, 'Ready')],
    ['3', '1', '0', '1'],
  );
  await page.getByText('Showing 5 of 5.').waitFor();

  // Each failure names its class, Azure's code and the remedy, with Microsoft's guide.
  const row = (name) => page.locator('.readiness-table tbody tr', { has: page.getByRole('link', { name, exact: true }) });
  const forbidden = row('No GDAP Role Inc');
  await forbidden.getByText('No GDAP role that reaches Azure').waitFor();
  await forbidden.getByText(/AuthorizationFailed: The client .* does not have authorization/).waitFor();
  await forbidden.getByText(/Give your security group the Admin agent role/).waitFor();
  assert.equal(await forbidden.getByRole('link', { name: 'Microsoft\'s guide' }).getAttribute('href'), 'https://learn.microsoft.com/partner-center/gdap-introduction');
  const throttled = row('Always Throttled plc');
  await throttled.getByText('Throttled by Azure').waitFor();
  await throttled.getByText(/Azure is limiting the reads: read again later/).waitFor();
  assert.match(await throttled.getByRole('link', { name: 'Microsoft\'s guide' }).getAttribute('href'), /request-limits-and-throttling$/);
  await row('Slow Throttled Ltd').getByText('Some reservations cannot be read or priced.').waitFor();
  await row('Slow Throttled Ltd').getByText(/Open the customer: each reservation that cannot be quoted says why/).waitFor();
  await row('Contoso').getByText('Every reservation can be quoted.').waitFor();
  assert.equal(await row('Contoso').getByRole('link', { name: 'Microsoft\'s guide' }).count(), 0, 'a ready tenant needs nothing');

  // The directory (Microsoft Graph): a column, a badge in every row, a filter whose counts add up
  // to the tenants (what Graph told of each is the backend's; the stand-ins decide it).
  await page.getByRole('columnheader', { name: /Directory \(Microsoft Graph\)/ }).waitFor();
  assert.equal(await page.locator('.readiness-table tbody td[data-label="Directory (Microsoft Graph)"] .badge').count(), 5);
  const directoryOptions = await page.getByRole('combobox', { name: /^Directory/ }).locator('option').allTextContents();
  assert.equal(directoryOptions[0], 'All');
  assert.equal(directoryOptions.slice(1).reduce((sum, o) => sum + Number(o.match(/\((\d+)\)$/)[1]), 0), 5, directoryOptions.join(', '));

  // A state's count filters by it, and again shows all.
  await page.locator('.readiness-counts button', { hasText: 'Not read' }).click();
  assert.deepEqual(await names(page), ['Always Throttled plc', 'Fabrikam', 'No GDAP Role Inc']);
  assert.equal(await page.locator('.readiness-counts button', { hasText: 'Not read' }).getAttribute('aria-pressed'), 'true');
  // And the class, beside it.
  await page.getByRole('combobox', { name: /^Why/ }).selectOption({ label: 'No GDAP role that reaches Azure (2)' });
  assert.deepEqual(await names(page), ['Fabrikam', 'No GDAP Role Inc']);
  await page.getByText('Showing 2 of 2.').waitFor();
  await shot('2-filtered');
  await page.getByRole('combobox', { name: /^Why/ }).selectOption({ label: 'All' });
  await page.getByRole('combobox', { name: /^State/ }).selectOption({ label: 'All' });
  assert.equal((await names(page)).length, 5);

  // The search: a name, a tenant, Azure's code.
  const search = page.getByPlaceholder('Search by name, domain, tenant or Azure code');
  await search.fill('tenant-slow');
  assert.deepEqual(await names(page), ['Slow Throttled Ltd']);
  await search.fill('authorizationfailed');
  assert.deepEqual(await names(page), ['Fabrikam', 'No GDAP Role Inc']);
  await search.fill('nobody here');
  await page.getByText('No tenant matches.').waitFor();
  await search.fill('');

  // Sorting by a column, again to reverse; the header says it.
  const byName = page.getByRole('columnheader', { name: /Customer/ });
  await byName.getByRole('button').click();
  assert.deepEqual(await names(page), ['Always Throttled plc', 'Contoso', 'Fabrikam', 'No GDAP Role Inc', 'Slow Throttled Ltd']);
  assert.equal(await byName.getAttribute('aria-sort'), 'ascending');
  await byName.getByRole('button').click();
  assert.deepEqual(await names(page), ['Slow Throttled Ltd', 'No GDAP Role Inc', 'Fabrikam', 'Contoso', 'Always Throttled plc']);
  assert.equal(await byName.getAttribute('aria-sort'), 'descending');

  // The keyboard: the count buttons take focus and Enter.
  await page.locator('.readiness-counts button', { hasText: 'Ready' }).focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await names(page), ['Contoso']);
  await page.keyboard.press('Space');
  assert.equal((await names(page)).length, 5);

  assertNoViolations(await schemeViolations(page, 'readiness'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot('3-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // At a phone's width every cell says its column.
  await page.setViewportSize({ width: 390, height: 844 });
  const cell = forbidden.locator('td').first();
  assert.equal(await cell.getAttribute('data-label'), 'State');
  assert.ok((await forbidden.boundingBox()).width <= 390, 'the row fits the width');
  await shot('4-phone');
  assertNoViolations(await schemeViolations(page, 'readiness at a phone\'s width'));
  assert.deepEqual(errors, []);
});

test('Readiness in German, Dutch, Swedish and Chinese: every text translated, no key name shows, axe in light and dark', async () => {
  for (const [lang, title] of [['de', 'Bereitschaft aller Mandanten'], ['nl', 'Gereedheid van elke tenant'], ['sv', 'Beredskap för varje klientorganisation'], ['zh-CN', '所有租户的就绪情况']]) {
    const { page, errors } = await newPage({ locale: lang });
    await page.goto(`${base}/readiness?lang=${lang}`);
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.locator('.readiness-table tbody tr').first().waitFor();
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /\breadiness_\w+|\bcolumn_\w+|\bsource_\w+|\bshow_more\b/, `${lang}: a key name shows`);
    assert.doesNotMatch(text, /Readiness of every tenant|What fixes it|Every reservation can be quoted/, `${lang}: English left`);
    assertNoViolations(await schemeViolations(page, `readiness ${lang}`));
    await page.screenshot({ path: `${SCREENSHOTS}readiness-${lang}.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  }
});

// The desk in its own mode (the suite's server at BASE_URL, demo data): no Readiness in the
// menu, and the page at its address says the desk does not read Azure.
test('Readiness where the desk does not read Azure: not in the menu, and the page says why', { skip: !process.env.BASE_URL && 'BASE_URL not set' }, async () => {
  const page = await browser.newPage({ token: 'demo-global-admin', viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await page.goto(`${process.env.BASE_URL}/customers`);
  await page.getByRole('link', { name: 'Audit log' }).waitFor();
  await page.getByRole('link', { name: 'Approvals' }).waitFor();
  assert.equal(await page.getByRole('navigation').getByRole('link', { name: 'Readiness' }).count(), 0);
  await page.goto(`${process.env.BASE_URL}/readiness`);
  await page.getByRole('heading', { name: 'Readiness of every tenant', level: 1 }).waitFor();
  await page.getByText(/^This desk does not read Azure: it keeps its own customers and reservations/).waitFor();
  assert.equal(await page.locator('.readiness-table').count(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}readiness-local.png`, fullPage: true });
  await page.close();
});
