// Keyboard only, on the server build: from the customer list to a submitted refund with Tab,
// Shift+Tab, Enter, Space, arrow keys and typed text; no click, no `fill`. At every stop the
// focused element is the expected one and its focus ring is visible (`:focus-visible`, a real
// outline or box-shadow, at least 3:1 against what surrounds it). A busy button stays
// focusable (aria-disabled), and a form that gives way to its result hands focus to it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE_URL, SCREENSHOTS } from './browser.mjs';
import { contrast } from './contrast.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** What has focus, as a short description, and how its focus shows. */
function focusState(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { what: 'body', visible: false };
    const style = getComputedStyle(el);
    const name = (el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || '').trim().replace(/\s+/g, ' ');
    const what = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${name.slice(0, 60)}"`;
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none';
    // The ring is drawn around the element (outline-offset): it must stand out from what is
    // painted there. Sample the middle of each side of the ring, as the page shows it.
    const rect = el.getBoundingClientRect();
    const gap = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
    const points = [
      [rect.left - gap, rect.top + rect.height / 2], [rect.right + gap, rect.top + rect.height / 2],
      [rect.left + rect.width / 2, rect.top - gap], [rect.left + rect.width / 2, rect.bottom + gap],
    ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
    const opaque = (c) => !/transparent|rgba\(.*, 0\)$/.test(c);
    const backgrounds = points.map(([x, y]) => {
      const under = document.elementsFromPoint(x, y).find((e) => e !== el && opaque(getComputedStyle(e).backgroundColor));
      return getComputedStyle(under ?? document.documentElement).backgroundColor;
    });
    return {
      what,
      visible: el.matches(':focus-visible') && (outline || shadow),
      ring: outline ? style.outlineColor : null,
      backgrounds,
    };
  });
}

/** Asserts that `locator` has focus, shown by a visible ring of enough contrast. */
async function assertFocused(page, locator, label) {
  assert.ok(await locator.evaluate((el) => el === document.activeElement), `${label} has focus (focus is on ${(await focusState(page)).what})`);
  await assertFocusVisible(page, label);
}

async function assertFocusVisible(page, label) {
  const state = await focusState(page);
  assert.ok(state.visible, `focus on ${state.what} (${label}) is visible`);
  for (const background of state.ring ? state.backgrounds : []) {
    const ratio = contrast(state.ring, background);
    assert.ok(ratio >= 3, `the focus ring of ${state.what} is ${state.ring} on ${background}: ${ratio.toFixed(2)}:1, needs 3:1`);
  }
}

/**
 * Presses `key` (Tab by default) until `locator` has focus, at most `max` times; every element
 * passed on the way shows its focus too. Returns the descriptions of the stops.
 */
async function tabTo(page, locator, label, { key = 'Tab', max = 20 } = {}) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const state = await focusState(page);
    stops.push(state.what);
    if (await locator.evaluate((el) => el === document.activeElement)) {
      await assertFocusVisible(page, label);
      return stops;
    }
    await assertFocusVisible(page, `on the way to ${label}`);
  }
  assert.fail(`${label} not reached with ${max} × ${key}; focus went: ${stops.join(' → ')}`);
}

test('keyboard only: from the customer list to a submitted refund, focus always visible', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE_URL}/customers`);
  await page.locator('tbody tr').first().waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor(); // the header is complete

  // The customer list: the skip link first, then the header, the search, the sort buttons.
  await page.keyboard.press('Tab');
  await assertFocused(page, page.getByRole('link', { name: 'Skip to content' }), 'the skip link');
  await page.screenshot({ path: SCREENSHOTS + 'keyboard-skip-link-focused.png', clip: { x: 0, y: 0, width: 640, height: 64 } });
  const search = page.getByRole('searchbox', { name: 'Search customers by name or domain' });
  await tabTo(page, search, 'the search box', { max: 8 });
  // Type to narrow the list, then on to the customer.
  await page.keyboard.type('wide world');
  await page.getByRole('link', { name: 'Contoso Ltd' }).waitFor({ state: 'detached' });
  const customer = page.getByRole('link', { name: 'Wide World Importers' });
  await tabTo(page, customer, 'the customer link', { max: 5 });
  // Shift+Tab goes back, Tab forward again.
  await page.keyboard.press('Shift+Tab');
  await assertFocused(page, page.getByRole('button', { name: 'Reservations' }), 'the last sort button');
  await page.keyboard.press('Tab');
  await assertFocused(page, customer, 'the customer link');
  await page.keyboard.press('Enter');

  // The customer page: focus moves into the page content, not back to the top.
  await page.getByRole('heading', { name: 'Wide World Importers', level: 1 }).waitFor();
  const reservationsTab = page.getByRole('tab', { name: 'Azure reservations' });
  await tabTo(page, reservationsTab, 'the Azure reservations tab', { max: 3 });
  // Arrow keys move between the tabs (and select them); back to the reservations.
  await page.keyboard.press('ArrowRight');
  const supportTab = page.getByRole('tab', { name: 'Support requests' });
  await assertFocused(page, supportTab, 'the Support requests tab');
  assert.equal(await supportTab.getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowLeft');
  await assertFocused(page, reservationsTab, 'the Azure reservations tab');
  assert.equal(await reservationsTab.getAttribute('aria-selected'), 'true');
  // Into the list: the Status filter, set to Active with the arrow key.
  const status = page.getByLabel('Status');
  await tabTo(page, status, 'the Status filter', { max: 1 });
  await page.keyboard.press('ArrowDown');
  assert.equal(await status.inputValue(), 'Succeeded');
  const rows = page.locator('#panel-reservations tbody tr');
  await rows.first().waitFor();
  assert.deepEqual([...new Set(await rows.locator('.badge').allTextContents())], ['Active']);
  // The first active reservation with two or more units (the arrow keys change the quantity).
  const quantities = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelector('td.num').textContent))));
  const target = quantities.findIndex((q) => q >= 2);
  assert.ok(target >= 0, `an active reservation with 2+ units: ${quantities}`);
  const link = rows.nth(target).getByRole('link');
  const name = await link.textContent();
  // After the Status filter: the family and scope filters, "Show archived", then the rows.
  await tabTo(page, link, `the active reservation ${name}`, { max: target + 4 });
  await page.keyboard.press('Enter');

  // The reservation: the Actions bar's Refund link.
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  const refund = page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' });
  await tabTo(page, refund, 'the Refund action', { max: 6 });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Refund', level: 2 }).waitFor();
  await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
  await assertFocused(page, refund, 'the Refund action (the panel changed below it)');

  // The quantity: arrow keys change it, and the live quote and the URL follow.
  const quantityInput = page.getByLabel('Quantity to return');
  // Past the rest of the Actions bar (Exchange, New support request, Split or merge) and the
  // seven panel tabs.
  await tabTo(page, quantityInput, 'the quantity', { max: 10 });
  assert.equal(await quantityInput.inputValue(), '1');
  const total = page.getByRole('region', { name: 'Quote breakdown' }).locator('tfoot td');
  const oneUnit = await total.textContent();
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => location.search.includes('quantity=2'));
  await page.waitForFunction(([el, before]) => el.textContent !== before, [await total.elementHandle(), oneUnit]);
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => location.search.includes('quantity=1'));
  assert.equal(await total.textContent(), oneUnit);
  await tabTo(page, page.getByLabel('Refund policy'), 'the policy', { max: 1 });
  const review = page.getByRole('button', { name: 'Review' });
  await tabTo(page, review, 'Review', { max: 1 });
  await page.keyboard.press('Enter');
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  // Focus stays on Review while the server answers (a button disabled while focused drops
  // focus to the document).
  await assertFocused(page, review, 'Review, after the server\'s quote came');

  // The reason, typed; then the ticket reference, then Submit with Space.
  const reason = page.getByLabel('Reason for the return');
  await tabTo(page, reason, 'the reason', { max: 3 });
  await page.keyboard.type('Keyboard walk: workload retired');
  // The partner's ticket reference (optional on this deployment), typed; then Submit.
  await tabTo(page, page.getByLabel('Change or ticket reference'), 'the ticket reference', { max: 1 });
  await page.keyboard.type('CHG-KEYBOARD');
  const submit = page.getByRole('button', { name: 'Submit refund' });
  await tabTo(page, submit, 'Submit refund', { max: 1 });
  await page.screenshot({ path: SCREENSHOTS + 'keyboard-submit-focused.png' });
  await page.keyboard.press('Space');
  const done = page.getByRole('status').filter({ hasText: /Refund .* submitted/ });
  await done.waitFor();
  // The form is gone; focus is not: it is on the confirmation, and Tab goes on from there.
  await assertFocused(page, done, 'the refund\'s confirmation');
  await tabTo(page, page.getByRole('button', { name: 'Change the quote' }), 'after the refund', { max: 1 });
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** A new page at `path` with the panel loaded and nothing focused yet. */
async function openPanel(path, heading) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await page.goto(`${BASE_URL}${path}`);
  await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** The path of the first active reservation of the customer named `name`, from the API. */
async function firstActiveReservation(name) {
  const headers = { authorization: 'Bearer demo-admin-agent' };
  const customers = await (await fetch(`${BASE_URL}/api/customers`, { headers })).json();
  const customer = customers.find((c) => c.name === name);
  const list = await (await fetch(`${BASE_URL}/api/customers/${customer.id}/reservations`, { headers })).json();
  const active = list.find((r) => r.provisioningState === 'Succeeded');
  return `/customers/${customer.id}/reservations/${active.id}`;
}

test('keyboard only: Configuration\'s Save keeps focus while the server saves', async () => {
  const page = await openPanel(`${await firstActiveReservation('Adventure Works Cycles')}/configuration`, 'Configuration');
  const save = page.getByRole('button', { name: 'Save' });
  await tabTo(page, page.getByLabel('Display name'), 'the display name', { max: 22 });
  await page.keyboard.press('End');
  await page.keyboard.type('-kb');
  // The scope: the first subscription, chosen with the arrow keys.
  const scope = page.getByLabel('Scope', { exact: true });
  await tabTo(page, scope, 'the scope', { max: 1 });
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  assert.match(await scope.evaluate((s) => s.options[s.selectedIndex].textContent), /^Single subscription/);
  await tabTo(page, save, 'Save', { max: 2 });
  await page.keyboard.press('Enter');
  await page.getByText('Saved.').waitFor();
  await assertFocused(page, save, 'Save, after saving');
  await page.context().close();
});

test('keyboard only: a support request through its three steps; focus moves to the created request', async () => {
  const page = await openPanel(`${await firstActiveReservation('Adventure Works Cycles')}/support`, 'New support request');
  const next = page.getByRole('button', { name: 'Next' });
  await tabTo(page, page.getByLabel('Summary'), 'the summary', { max: 22 });
  await page.keyboard.type('Keyboard walk');
  await tabTo(page, next, 'Next', { max: 1 });
  await page.keyboard.press('Enter');
  const details = page.getByLabel('Details');
  await details.waitFor();
  await assertFocused(page, next, 'Next, on step 2');
  // Back to the details with Shift+Tab (past Previous and the attach-quote checkbox), typed.
  await tabTo(page, details, 'the details', { key: 'Shift+Tab', max: 3 });
  await page.keyboard.type('Typed with the keyboard only.');
  await tabTo(page, next, 'Next', { max: 3 });
  await page.keyboard.press('Space');
  const create = page.getByRole('button', { name: 'Create' });
  await create.waitFor();
  await assertFocused(page, create, 'Create, on step 3');
  // Back past Previous, the time zone, country, language, phone and email fields to the name.
  await tabTo(page, page.getByLabel('Name'), 'the name', { key: 'Shift+Tab', max: 7 });
  await page.keyboard.type('Ada Lovelace');
  await page.keyboard.press('Tab');
  await assertFocused(page, page.getByRole('textbox', { name: 'Email' }), 'the email');
  await page.keyboard.type('ada@adventure-works.example');
  await tabTo(page, create, 'Create', { max: 6 });
  await page.keyboard.press('Enter');
  const created = page.getByRole('status').filter({ hasText: /Support request \d{16} created\./ });
  await created.waitFor();
  await assertFocused(page, created, 'the created request');
  await page.context().close();
});
