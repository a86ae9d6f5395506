// The phone layout (390 × 844) on the release build: every page of the app, walked on a server
// of its own whose approval threshold every refund is above, so the Approvals page has a pending
// request. On each screen nothing is wider than the viewport (the page does not scroll sideways and
// no element's box reaches past either edge), in the light and the dark scheme (screenshots of
// both, and axe-core in both); the header's menu folds under a Menu button whose links all open
// on screen inside the dark bar; a pending request's Approve and Reject are whole on screen. Signed
// out, the sign-in page shows no menu and the app asks the server nothing it would refuse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { startOwnServer } from './own-server.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const PHONE = { width: 390, height: 844 };

let browser;
let server;
let base;

before(async () => {
  server = await startOwnServer('phone', ['--approval-threshold', '0']);
  base = server.url;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

/** Calls the server's API as `token`; answers the status and the JSON body (if any). */
async function api(token, method, path, body) {
  const response = await fetch(`${base}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** The customer named `name` and its reservations, as the Admin agent reads them. */
async function customerNamed(name) {
  const customer = (await api('demo-admin-agent', 'GET', '/customers')).json.find((c) => c.name === name);
  assert.ok(customer, `the seeded customer ${name}`);
  const reservations = (await api('demo-admin-agent', 'GET', `/customers/${customer.id}/reservations`)).json;
  return { customer, reservations };
}

/** The Admin agent asks for a refund of one unit of `r`: above the threshold, it waits (202). */
async function askForRefund(r) {
  const quote = await api('demo-admin-agent', 'POST', `/reservationOrders/${r.reservationOrderId}/calculateRefund`, { reservationId: r.id, quantity: 1 });
  assert.equal(quote.status, 200, JSON.stringify(quote.json));
  const asked = await api('demo-admin-agent', 'POST', `/reservationOrders/${r.reservationOrderId}/return`, {
    sessionId: quote.json.sessionId,
    returnReason: 'Phone walk: waits for approval',
  });
  assert.equal(asked.status, 202, JSON.stringify(asked.json));
}

/** What reaches past the viewport's sides: the page's own scroll width, and every element whose box does. */
function overflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const past = [];
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
        past.push(`${name} [${Math.round(box.left)}, ${Math.round(box.right)}] "${(el.textContent ?? '').trim().slice(0, 40)}"`);
      }
    }
    return { scrollWidth: document.scrollingElement.scrollWidth, width, past };
  });
}

/**
 * Asserts nothing on the page is wider than the phone's screen, in the light and the dark scheme;
 * takes a screenshot in each (`phone-{name}-{scheme}.png`) and collects axe's findings in both.
 */
async function fits(page, name, failures) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.waitForFunction((s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, colorScheme);
    const { scrollWidth, width, past } = await overflow(page);
    assert.ok(scrollWidth <= width, `${name} (${colorScheme}): the page is ${scrollWidth} px wide on a ${width} px screen`);
    assert.deepEqual(past, [], `${name} (${colorScheme}): elements past the screen's edge`);
    await page.screenshot({ path: `${SCREENSHOTS}phone-${name}-${colorScheme}.png`, fullPage: true });
  }
  failures.push(...await schemeViolations(page, `phone: ${name}`));
}

/** Opens the header's menu with its button, checks every link is on screen inside the dark bar, and follows `link`. */
async function viaMenu(page, link) {
  const button = page.getByRole('button', { name: 'Menu' });
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const header = await page.locator('header.app-header').boundingBox();
  const links = nav.getByRole('link');
  const count = await links.count();
  assert.ok(count >= 4, `the menu's links (${count})`);
  for (let i = 0; i < count; i++) {
    const box = await links.nth(i).boundingBox();
    const text = await links.nth(i).textContent();
    assert.ok(await links.nth(i).isVisible(), `${text} is shown`);
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `${text} is within the screen's width: ${JSON.stringify(box)}`);
    assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height, `${text} is within the screen's height: ${JSON.stringify(box)}`);
    assert.ok(box.y >= header.y && box.y + box.height <= header.y + header.height, `${text} is inside the dark bar`);
  }
  await nav.getByRole('link', { name: link }).click();
  // The menu folds again once a page is chosen.
  await page.waitForFunction(() => document.querySelector('.menu-toggle')?.getAttribute('aria-expanded') === 'false');
}

test('signed out: the sign-in page shows no menu, and the first load asks the server nothing it would refuse', async () => {
  for (const viewport of [PHONE, { width: 1280, height: 800 }]) {
    const page = await browser.newPage({ viewport, token: '' });
    const refused = [];
    page.on('response', (r) => { if (r.status() === 401 || r.status() === 403) refused.push(`${r.status()} ${r.url()}`); });
    await page.goto(`${base}/customers`);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.getByRole('button', { name: /Adam Agent/ }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'no menu while signed out');
    assert.equal(await page.getByRole('button', { name: 'Menu' }).count(), 0, 'no menu button while signed out');
    assert.ok(await page.getByRole('combobox', { name: 'Language' }).isVisible(), 'the language can still be chosen');
    assert.deepEqual(refused, [], 'no request the server refuses');
    const { scrollWidth, past } = await overflow(page);
    assert.ok(scrollWidth <= viewport.width && past.length === 0, `the sign-in page fits ${viewport.width} px: ${past}`);
    await page.screenshot({ path: `${SCREENSHOTS}signed-out-${viewport.width}.png`, fullPage: true });
    await page.context().close();
  }
});

test('at 390 × 844 every page fits the screen, the menu folds, and a pending request can be approved without scrolling sideways', async () => {
  const { customer, reservations } = await customerNamed('Fabrikam Inc');
  const active = reservations.filter((r) => r.provisioningState === 'Succeeded' && r.quantity >= 2);
  assert.ok(active.length >= 2, 'two active reservations of 2+ units');
  // One waits for approval; the walk visits the other's panels (a refund and an exchange are offered there).
  await askForRefund(active[0]);
  const reservationPath = `/customers/${customer.id}/reservations/${active[1].id}`;

  // The Global admin: not the requester, so Approve and Reject are offered; sees the Access page.
  const page = await browser.newPage({ viewport: PHONE, token: 'demo-global-admin', locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const failures = [];

  await page.goto(`${base}/customers`);
  await page.locator('tbody tr').first().waitFor();
  // Folded: the bar holds the name and the Menu button only.
  assert.equal(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false, 'the menu is folded');
  await fits(page, 'customers', failures);

  // Open: each link on screen inside the bar; Escape folds it and gives focus back to the button.
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access' }).waitFor();
  await fits(page, 'menu-open', failures);
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'menu-toggle');
  // By keyboard: Enter opens it, Tab reaches its first link.
  await page.keyboard.press('Enter');
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Customers');
  await page.keyboard.press('Escape');

  // A customer and its tabs.
  await page.getByRole('link', { name: 'Fabrikam Inc' }).click();
  await page.getByRole('heading', { name: 'Fabrikam Inc', level: 1 }).waitFor();
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  await fits(page, 'customer', failures);
  for (const [tab, panel, name] of [
    ['Support requests', '#panel-support', 'customer-support'],
    ['Portfolio', '#panel-portfolio', 'customer-portfolio'],
    ['Savings plans', '#panel-savings-plans', 'customer-savings-plans'],
  ]) {
    await page.getByRole('tab', { name: tab }).click();
    await page.locator(panel).locator('table, .empty').first().waitFor();
    await fits(page, name, failures);
  }

  // A reservation and each of its panels.
  const panels = [
    ['', 'Overview', async () => page.getByRole('heading', { name: 'Keep, refund or exchange' }).waitFor()],
    ['access-control', 'Access control (IAM)', async () => page.locator('.panel').locator('table.data-table, .empty').first().waitFor()],
    ['configuration', 'Configuration', async () => page.getByLabel('Display name').waitFor()],
    ['properties', 'Properties', null],
    ['support', 'New support request', null],
    ['history', 'History', async () => page.locator('.panel tbody tr').first().waitFor()],
    ['refund', 'Refund', async () => page.getByRole('region', { name: 'Quote breakdown' }).waitFor()],
    ['exchange', 'Exchange', async () => page.getByRole('region', { name: 'Exchange quote' }).waitFor()],
    ['split-merge', 'Split or merge', async () => page.locator('.merge').locator('form, .empty').first().waitFor()],
  ];
  for (const [segment, heading, ready] of panels) {
    await page.goto(`${base}${reservationPath}${segment ? `/${segment}` : ''}`);
    await page.getByRole('heading', { name: heading, level: 2, exact: true }).waitFor();
    if (ready) await ready();
    await fits(page, `reservation-${segment || 'overview'}`, failures);
  }
  // The exchange's trade-in, and the refund reviewed by the server.
  await page.goto(`${base}${reservationPath}/exchange`);
  await page.getByLabel('Trade in for a savings plan').check();
  await page.getByRole('button', { name: 'Use the minimum' }).click();
  await page.getByText(/covers the remaining one/).waitFor();
  await fits(page, 'reservation-trade-in', failures);
  await page.goto(`${base}${reservationPath}/refund`);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  await fits(page, 'reservation-refund-reviewed', failures);

  // The pages of the menu, each reached through it.
  await viaMenu(page, 'Approvals');
  await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  const request = page.getByRole('article', { name: 'Refund · Fabrikam Inc' });
  await request.waitFor();
  for (const name of ['Approve', 'Reject']) {
    const button = request.getByRole('button', { name });
    assert.ok(await button.isEnabled(), `${name} is offered to the Global admin`);
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `${name} is whole within the screen's width: ${JSON.stringify(box)}`);
    assert.ok(box.y >= 0 && box.y + box.height <= PHONE.height, `${name} is whole on screen: ${JSON.stringify(box)}`);
  }
  assert.equal(await page.evaluate(() => window.scrollX), 0, 'no sideways scrolling');
  await fits(page, 'approvals', failures);
  // The quote behind the request, opened.
  await request.locator('summary').first().click();
  await fits(page, 'approvals-quote-open', failures);

  await viaMenu(page, 'Alerts');
  await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
  await page.locator('main').locator('table, .empty, h2').first().waitFor();
  await fits(page, 'alerts', failures);

  await viaMenu(page, 'Audit log');
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  await page.locator('main tbody tr').first().waitFor();
  await fits(page, 'audit', failures);

  await viaMenu(page, 'Access');
  await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();
  await page.locator('main tbody tr').first().waitFor();
  await fits(page, 'access', failures);

  await viaMenu(page, 'Customers');
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();

  await page.goto(`${base}/no/such/page`);
  await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
  await fits(page, 'not-found', failures);

  assert.deepEqual(errors, []);
  assertNoViolations(failures);
  await page.context().close();
});

test('at 390 px the longest words fit too: German, Dutch and Chinese', async () => {
  const { customer } = await customerNamed('Fabrikam Inc');
  for (const lang of ['de', 'nl', 'zh-CN']) {
    const page = await browser.newPage({ viewport: PHONE, token: 'demo-global-admin' });
    for (const path of [`/customers/${customer.id}`, `/customers/${customer.id}/portfolio`, '/approvals', '/access']) {
      await page.goto(`${base}${path}?lang=${lang}`);
      await page.locator('main h1').waitFor();
      await page.locator('main tbody tr:visible, main .approval-card:visible, main .empty:visible').first().waitFor();
      const { scrollWidth, width, past } = await overflow(page);
      assert.ok(scrollWidth <= width, `${lang} ${path}: ${scrollWidth} px wide`);
      assert.deepEqual(past, [], `${lang} ${path}: elements past the screen's edge`);
    }
    // The menu, open.
    await page.locator('.menu-toggle').click();
    const { past } = await overflow(page);
    assert.deepEqual(past, [], `${lang}: the open menu`);
    await page.screenshot({ path: `${SCREENSHOTS}phone-menu-${lang}.png` });
    await page.context().close();
  }
});
