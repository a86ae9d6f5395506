// The Portfolio tab on the release build served by the real server: the customer's
// active reservations quoted at once with a recommendation, the CSV download, the print view,
// and the customer's reservation table at 1280 px (scrolls inside its box, never clips).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

// The GitHub Pages build (in-browser backend), when scripts/test.sh serves one.
const PAGES_URL = process.env.PAGES_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The customer page of Contoso (near its refund limit), reached as a partner would. */
async function openContoso(colorScheme = 'light', base = BASE_URL) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: 'Contoso Ltd' }).click();
  await page.getByRole('heading', { name: 'Contoso Ltd', level: 1 }).waitFor();
  return { page, errors };
}

/** Contoso's active reservations as the server's API has them (what the tab must list). */
async function activeReservations(page) {
  const customerId = new URL(page.url()).pathname.split('/').at(-1);
  const token = await page.evaluate(() => localStorage.getItem('reservation-desk/token'));
  const response = await page.request.get(`${BASE_URL}/api/customers/${customerId}/reservations`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.status(), 200);
  const today = new Date().toISOString().slice(0, 10);
  return (await response.json()).filter((r) => r.provisioningState === 'Succeeded' && r.expiryDate > today);
}

/** The walk through the tab, the CSV and the print view; `api`: the build has a server to ask. */
async function walk(base, shots, api) {
  const { page, errors } = await openContoso('light', base);
  // Without a server (Pages) the list comes from the Azure reservations tab: its Active rows.
  let active;
  if (api) {
    active = await activeReservations(page);
  } else {
    await page.getByLabel('Status').selectOption('Succeeded');
    await page.locator('#panel-reservations tbody tr').first().waitFor();
    active = (await page.locator('#panel-reservations tbody tr th a').allTextContents()).map((displayName) => ({ displayName }));
  }
  assert.ok(active.length >= 3, `Contoso has active reservations (${active.length})`);

  await page.getByRole('tab', { name: 'Portfolio' }).click();
  await page.waitForURL(/\/customers\/[^/]+\/portfolio$/);
  const rows = page.locator('#panel-portfolio .portfolio-table tbody tr');
  await rows.first().waitFor();
  // The tab starts at the deployment's policy (azure-current by default); this walk checks the
  // 2020 preset's figures, a what-if the address names.
  assert.equal(await page.getByLabel('Refund policy').inputValue(), 'azure-current');
  await page.getByLabel('Refund policy').selectOption('partner-center-2020');
  await page.waitForURL(/portfolio\?policy=partner-center-2020$/);
  await rows.first().waitFor();
  assert.equal(await rows.count(), active.length, 'one row per active reservation');
  const names = await rows.locator('th a').allTextContents();
  assert.deepEqual([...names].sort(), active.map((r) => r.displayName).sort());

  // Each row has Keep, Exchange or Refund with a one-line reason; Contoso (USD 3,500 left in
  // the limit) cannot refund its low-use reservations, so some are told to exchange instead.
  const badges = await rows.locator('.recommendation .badge').allTextContents();
  for (const badge of badges) assert.ok(['Keep', 'Exchange', 'Refund'].includes(badge), badge);
  const reasons = await rows.locator('.recommendation .reason').allTextContents();
  assert.ok(reasons.every((r) => r.length > 10), JSON.stringify(reasons));
  const exchange = rows.filter({ has: page.locator('.badge', { hasText: 'Exchange' }) }).first();
  assert.match(await exchange.locator('.reason').textContent(), /exchange (instead|for a size)/);
  await page.getByText(/left in the limit/).first().waitFor();
  await page.screenshot({ path: SCREENSHOTS + shots + 'portfolio-light.png', fullPage: true });

  // The URL opens the tab directly (a shared link or a reload).
  await page.reload();
  await rows.first().waitFor();
  assert.equal(await page.getByRole('tab', { name: 'Portfolio' }).getAttribute('aria-selected'), 'true');

  // Download CSV: BOM, header, one line per row, IDs, plain decimal amounts, ISO dates.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^portfolio-[0-9a-f-]+-\d{4}-\d{2}-\d{2}-partner-center-2020\.csv$/);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = bytes.toString('utf8').slice(1).split('\r\n');
  assert.equal(lines.at(-1), '', 'ends with CRLF');
  assert.equal(
    lines[0],
    'Reservation ID,Reservation order ID,Name,SKU,Product family,Scope,Quantity,"Utilization, 7 days (%)",' +
      '"Utilization, 30 days (%)",Expires,Days left,Currency,Remaining commitment,Refund today,Refund allowed today,' +
      'Counted toward the limit (USD),Exchange credit,Recommendation,Reason',
  );
  assert.equal(lines.length - 2, active.length, 'one line per reservation');
  const line = api ? lines.find((l) => l.startsWith(`${active[0].id},${active[0].reservationOrderId},`)) : lines[1];
  assert.ok(line, `a line for ${active[0].id}`);
  const fields = line.split(',');
  assert.match(fields[0], /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'the reservation ID');
  if (api) {
    assert.equal(fields[9], active[0].expiryDate, 'ISO date');
    assert.equal(fields[11], active[0].unitPrice.currencyCode);
  }
  assert.match(fields[9], /^\d{4}-\d{2}-\d{2}$/, 'ISO date');
  for (const amount of fields.slice(12, 14)) assert.match(amount, /^\d+\.\d{2}$/, 'a plain decimal with a point');
  assert.ok(['Keep', 'Exchange', 'Refund'].includes(fields[17]), fields[17]);

  // Print: the controls go, the date and the policy come.
  await page.emulateMedia({ media: 'print' });
  const title = page.locator('.print-title');
  assert.ok(await title.isVisible(), 'the print title shows in print');
  assert.match(await title.textContent(), /^Portfolio quote for .+, policy: Partner Center 2020/);
  assert.equal(await page.getByRole('button', { name: 'Download CSV' }).isVisible(), false);
  assert.equal(await page.locator('.app-header').isVisible(), false);
  await page.screenshot({ path: SCREENSHOTS + shots + 'portfolio-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await title.isVisible(), false, 'and not on screen');
  assert.deepEqual(errors, []);
  await page.context().close();
}

test('the portfolio lists every active reservation with a recommendation, downloads a CSV and prints', async () => {
  await walk(BASE_URL, '', true);
});

test('the same on the GitHub Pages build (in-browser backend)', { skip: !PAGES_URL && 'PAGES_URL is not set' }, async () => {
  await walk(PAGES_URL, 'pages-', false);
});

test('the portfolio in the dark scheme, re-quoted under the current Azure policy', async () => {
  const { page, errors } = await openContoso('dark');
  await page.getByRole('tab', { name: 'Portfolio' }).click();
  const rows = page.locator('#panel-portfolio .portfolio-table tbody tr');
  await rows.first().waitFor();
  // The deployment's policy is the tab's own: choosing it again takes the what-if off the address.
  await page.getByLabel('Refund policy').selectOption('partner-center-2020');
  await page.waitForURL(/portfolio\?policy=partner-center-2020$/);
  await page.getByLabel('Refund policy').selectOption('azure-current');
  await page.waitForURL(/portfolio$/);
  // Select every row: together they are over Contoso's headroom, and the best set is named.
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await page.getByText(/selected\. Refunded together/).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'portfolio-dark.png', fullPage: true });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the reservation table fits 1280 px with every status shown (English), inside its own box', async () => {
  const { page } = await openContoso();
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  const fit = await page.evaluate(() => {
    const table = document.querySelector('#panel-reservations table');
    const box = table.closest('.table-scroll');
    const last = table.querySelector('thead th:last-child').getBoundingClientRect();
    const main = document.querySelector('main').getBoundingClientRect();
    return {
      // The table's own box holds all its columns (its overflow is hidden for the corners).
      tableClips: table.scrollWidth > table.clientWidth + 1,
      // In English every column fits the box at 1280 px (it was 1140 px in a 1104 px box).
      fits: last.right <= box.getBoundingClientRect().right + 1 && box.scrollWidth <= box.clientWidth,
      // The scroll box never pushes past the page's main column.
      boxInsideMain: box.getBoundingClientRect().right <= main.right + 1,
      lastHeader: table.querySelector('thead th:last-child').textContent,
    };
  });
  assert.equal(fit.lastHeader, 'Utilization, 30 days');
  assert.deepEqual(fit, { ...fit, tableClips: false, fits: true, boxInsideMain: true });
  await page.screenshot({ path: SCREENSHOTS + 'customer-1280.png', fullPage: true });
  await page.context().close();
});

test('choosing a tab reloads nothing and keeps the reservation filters', async () => {
  const { page } = await openContoso();
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  await page.getByLabel('Status').selectOption('Expired');
  let requests = 0;
  page.on('request', (r) => { if (new URL(r.url()).pathname.includes('/api/')) requests++; });
  for (const name of ['Support requests', 'Azure reservations', 'Portfolio', 'Azure reservations']) {
    await page.getByRole('tab', { name }).click();
    // The tab's panel shown is the tab changed; a request for it would have left before.
    await page.getByRole('tabpanel', { name }).waitFor();
  }
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  assert.equal(await page.getByLabel('Status').inputValue(), 'Expired', 'the filter is kept');
  // The page loaded the customer, limit, reservations, support requests and the deployment's
  // settings once, on arrival.
  assert.equal(requests, 0, 'no request for a tab change');
  await page.context().close();
});
