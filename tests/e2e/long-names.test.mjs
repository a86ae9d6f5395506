// Long display names on the release build, on a server of its own (renames stay there): a name
// of 64 characters, the most a name may have and without a space to wrap at, leaves every column
// of the customer page's reservations and of its Portfolio on screen at 1366 px, written whole;
// Configuration says how much of a 186-character paste it left out; after Save the page's title
// is the new name at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';

const DESKTOP = { width: 1366, height: 850 };
// 64 characters and no space: it can only wrap inside a word.
const NAME_64 = 'Fabrikam_production_web_farm_westeurope_Standard_D2s_v5_reserved';
assert.equal(NAME_64.length, 64);

let browser;
let server;
let base;

before(async () => {
  server = await startOwnServer('long-names', []);
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
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.json();
}

/** Fabrikam and its first active reservation. */
async function fabrikamActive() {
  const customer = (await api('GET', '/customers')).find((c) => c.name === 'Fabrikam Inc');
  const reservation = (await api('GET', `/customers/${customer.id}/reservations`)).find((r) => r.provisioningState === 'Succeeded');
  assert.ok(reservation, 'an active reservation of Fabrikam');
  return { customer, reservation };
}

/** Where the visible data table's header cells end, against its scrolling box and the screen. */
function columns(page) {
  return page.evaluate(() => {
    const table = [...document.querySelectorAll('table.data-table')].find((t) => t.offsetParent);
    const box = table.closest('.table-scroll');
    const right = Math.min(box.getBoundingClientRect().right, window.innerWidth);
    return {
      scrolls: box.scrollWidth > box.clientWidth,
      pageScrolls: document.scrollingElement.scrollWidth > window.innerWidth,
      off: [...table.querySelectorAll('thead th')]
        .map((th) => ({ name: th.textContent.trim(), right: th.getBoundingClientRect().right }))
        .filter((c) => c.right > right + 0.5)
        .map((c) => `${c.name} ends at ${Math.round(c.right)} (visible to ${Math.round(right)})`),
    };
  });
}

test('a 64-character name leaves every column on screen at 1366 px, on the customer page and its Portfolio', async () => {
  const { customer, reservation } = await fabrikamActive();
  await api('PATCH', `/reservationOrders/${reservation.reservationOrderId}/reservations/${reservation.id}`, { displayName: NAME_64 });
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: DESKTOP, colorScheme, locale: 'en-US' });
    await page.goto(`${base}/customers/${customer.id}`);
    const link = page.locator('#panel-reservations tbody th a', { hasText: NAME_64 });
    await link.waitFor();
    assert.equal(await link.textContent(), NAME_64, 'the name is written whole');
    const table = await columns(page);
    assert.deepEqual(table.off, [], 'reservations: columns past the edge');
    assert.equal(table.scrolls, false, 'reservations: the table does not scroll sideways');
    assert.equal(table.pageScrolls, false, 'reservations: the page does not scroll sideways');
    for (const column of ['Expires', 'Scope', 'Status', 'Utilization, 30 days']) {
      assert.ok(await page.locator('#panel-reservations thead th', { hasText: column }).isVisible(), column);
    }
    await page.screenshot({ path: `${SCREENSHOTS}long-name-customer-1366-${colorScheme}.png`, fullPage: true });

    await page.getByRole('tab', { name: 'Portfolio' }).click();
    const row = page.locator('#panel-portfolio tbody th a', { hasText: NAME_64 });
    await row.waitFor();
    assert.equal(await row.textContent(), NAME_64);
    const portfolio = await columns(page);
    assert.deepEqual(portfolio.off, [], 'Portfolio: columns past the edge');
    assert.equal(portfolio.scrolls, false, 'Portfolio: the table does not scroll sideways');
    for (const column of ['Refund today', 'Exchange credit', 'Recommendation']) {
      assert.ok(await page.locator('#panel-portfolio thead th', { hasText: column }).isVisible(), column);
    }
    await page.screenshot({ path: `${SCREENSHOTS}long-name-portfolio-1366-${colorScheme}.png`, fullPage: true });

    // The reservation's own page, and the same at phone width.
    await row.click();
    await page.getByRole('heading', { name: NAME_64, level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth <= window.innerWidth), true);
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth <= window.innerWidth), true, 'the title wraps on a phone');
    await page.screenshot({ path: `${SCREENSHOTS}long-name-reservation-390-${colorScheme}.png`, fullPage: true });
    await page.goto(`${base}/customers/${customer.id}`);
    await page.locator('#panel-reservations tbody th a', { hasText: NAME_64 }).waitFor();
    assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth <= window.innerWidth), true, 'the card wraps it on a phone');
    await page.context().close();
  }
});

test('Configuration says how much of a pasted name it left out, and the title shows the name saved at once', async () => {
  const { customer, reservation } = await fabrikamActive();
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  await page.goto(`${base}/customers/${customer.id}/reservations/${reservation.id}/configuration`);
  const field = page.getByLabel('Display name');
  await field.waitFor();

  // 186 characters pasted over the whole name: the first 64 are kept, and the field says so.
  const pasted = `${'Production web tier for the Contoso retail storefront '.repeat(4)}`.slice(0, 186);
  assert.equal(pasted.length, 186);
  await page.evaluate((text) => navigator.clipboard.writeText(text), pasted);
  await field.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  assert.equal(await field.inputValue(), pasted.slice(0, 64), 'what fits is kept');
  const note = page.locator('#display-name-cut');
  assert.equal(
    await note.textContent(),
    'A name has at most 64 characters: the last 122 characters of the pasted text were left out.',
  );
  assert.equal(await note.getAttribute('role'), 'status');
  assert.equal(await field.getAttribute('aria-describedby'), 'display-name-cut', 'the field is described by the note');
  await page.screenshot({ path: `${SCREENSHOTS}configuration-paste-cut.png`, fullPage: true });
  // Shortened below the limit, the note goes.
  await page.keyboard.press('Backspace');
  assert.equal(await note.textContent(), '');
  assert.equal(await field.getAttribute('aria-describedby'), null);

  // Saved: the title is the new name, with no click on "Show the updated reservation".
  const renamed = 'Storefront web tier';
  await field.fill(renamed);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.getByRole('heading', { name: renamed, level: 1 }).waitFor();
  // The Overview says it too.
  await page.getByRole('navigation', { name: 'Reservation panels' }).getByRole('link', { name: 'Overview' }).click();
  await page.locator('.summary-grid div', { hasText: 'Display name' }).locator('dd', { hasText: renamed }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}configuration-saved-title.png`, fullPage: true });
  await context.close();
});
