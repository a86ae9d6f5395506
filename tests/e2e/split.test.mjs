// The route split (src/split/, scripts/split-wasm.sh): the customer list's first load fetches
// the main module only (the static build also its in-browser backend's first-screen module); a page past it fetches its own module the first time it is opened; a
// module that cannot be fetched shows an inline error with a retry, never a dead page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const PAGES_URL = process.env.PAGES_URL;
const ROWS = 'table.data-table tbody tr';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A page that lists the .wasm files it fetched and the uncaught errors it raised. */
async function watchedPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const wasm = [];
  const errors = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.wasm')) wasm.push(path.split('/').pop());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { page, wasm, errors };
}

for (const [build, base] of [['server build', BASE_URL], ['static build', PAGES_URL]]) {
  test(`${build}: the customer list loads the main module only; a customer's page fetches its module`,
    { skip: !base && 'PAGES_URL not set' }, async () => {
      const { page, wasm, errors } = await watchedPage();
      await page.goto(`${base}/customers`);
      await page.waitForSelector(ROWS);
      await page.waitForLoadState('networkidle');
      assert.match(wasm[0], /^reservation-desk-[0-9a-f]+_bg\.wasm$/);
      if (base === PAGES_URL) {
        // The static build answers the first screen's reads with the in-browser backend's small
        // module (and the chunks it needs), never with a route's module.
        assert.ok(wasm.includes('split_backend_first_screen.wasm'), `first load fetched ${wasm.join(', ')}`);
        assert.ok(wasm.slice(1).every((name) => name === 'split_backend_first_screen.wasm' || /^chunk_\d+\.wasm$/.test(name)),
          `first load fetched ${wasm.join(', ')}`);
      } else {
        assert.equal(wasm.length, 1, `first load fetched ${wasm.join(', ')}`);
      }
      await page.locator(`${ROWS} a`).first().click();
      await page.waitForSelector('a[href*="/reservations/"]');
      assert.ok(wasm.includes('split_customer.wasm'), `opening a customer fetched ${wasm.join(', ')}`);
      if (base === PAGES_URL) {
        // The static build answers the customer page's requests with the rest of the desk.
        assert.ok(wasm.includes('split_backend.wasm'), wasm.join(', '));
      } else {
        // The server's build holds nothing of the in-browser backend: never fetched, not there.
        assert.ok(!wasm.some((name) => name.startsWith('split_backend')), wasm.join(', '));
        const folder = wasm[0].replace(/_bg\.wasm$/, '');
        for (const module of ['split_backend.wasm', 'split_backend_first_screen.wasm']) {
          const answer = await page.request.get(`${base}/${folder}/${module}`);
          assert.notEqual(answer.headers()['content-type'], 'application/wasm', `${module} is served`);
        }
      }
      assert.deepEqual(errors, []);
      await page.context().close();
    });

  test(`${build}: a page whose module cannot be fetched says so and loads on "Try again"`,
    { skip: !base && 'PAGES_URL not set' }, async () => {
      const { page, wasm, errors } = await watchedPage();
      let blocked = true;
      await page.route('**/split_audit.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
      await page.goto(`${base}/customers`);
      await page.waitForSelector(ROWS);
      await page.getByRole('link', { name: 'Audit log' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), /could not be loaded/);
      await page.screenshot({ path: `${SCREENSHOTS}split-retry-${build.split(' ')[0]}.png` });
      blocked = false;
      await alert.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      assert.equal(await page.getByRole('alert').count(), 0);
      assert.equal(wasm.filter((name) => name === 'split_audit.wasm').length, 2, wasm.join(', '));
      // The app is alive: the navigation still works.
      await page.getByRole('link', { name: 'Customers' }).click();
      await page.waitForSelector(ROWS);
      assert.deepEqual(errors, []);
      await page.context().close();
    });
}

// The other pages' stylesheet (style/pages.css): index.html names it in a <meta> without
// linking it, so the customer list never fetches it; the first page past the list fetches it
// (here held back for a second and a half) beside its module, and is shown only once it has
// loaded: never unstyled. It is fetched once.
for (const [build, base] of [['server build', BASE_URL], ['static build', PAGES_URL]]) {
  test(`${build}: the other pages' stylesheet is not the first load's; it comes with the first page past the list, before that page shows`,
    { skip: !base && 'PAGES_URL not set' }, async () => {
      const { page, errors } = await watchedPage();
      const css = [];
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (path.endsWith('.css')) css.push(path.split('/').pop());
      });
      await page.route('**/pages-*.css', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.continue();
      });
      await page.goto(`${base}/customers`);
      await page.waitForSelector(ROWS);
      await page.waitForLoadState('networkidle');
      assert.equal(css.length, 1, `the customer list fetched ${css.join(', ')}`);
      assert.match(css[0], /^main-[0-9a-f]+\.css$/);
      const named = await page.getAttribute('meta[name="reservation-desk-pages-css"]', 'content');
      assert.match(named, /\/reservation-desk-[0-9a-f]+\/pages-[0-9a-f]+\.css$/);
      assert.equal(await page.locator('link[href*="pages-"]').count(), 0);
      await page.locator(`${ROWS} a`).first().click();
      await page.waitForSelector('.breadcrumb');
      // At once, not after a wait: the page is there only with its stylesheet applied.
      const styled = await page.evaluate(() => ({
        loaded: [...document.styleSheets].some((s) => (s.href ?? '').includes('/pages-') && s.cssRules.length > 0),
        fontSize: getComputedStyle(document.querySelector('.breadcrumb')).fontSize, // 0.9rem: pages.css
        // main.css's rules first, as in one stylesheet.
        order: [...document.styleSheets].map((s) => (s.href ?? '').split('/').pop().split('-')[0]),
      }));
      assert.deepEqual(styled, { loaded: true, fontSize: '14.4px', order: ['main', 'pages'] }, 'the page appeared before its stylesheet');
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      assert.equal(css.filter((name) => name.startsWith('pages-')).length, 1, css.join(', '));
      assert.deepEqual(errors, []);
      await page.context().close();
    });
}

// The stylesheet that cannot be fetched (offline, an error answer) is not kept as failed: the page
// says so as for a module, and "Try again" links it anew; the page is then shown styled.
test('a page whose stylesheet cannot be fetched says so, and "Try again" fetches it and shows the page styled', async () => {
  const { page, errors } = await watchedPage();
  let blocked = true;
  const fetched = [];
  await page.route('**/pages-*.css', (route) => {
    fetched.push(blocked ? 'refused' : 'sent');
    return blocked ? route.fulfill({ status: 503, body: 'unavailable' }) : route.continue();
  });
  await page.goto(`${BASE_URL}/customers`);
  await page.waitForSelector(ROWS);
  await page.getByRole('link', { name: 'Audit log' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /could not be loaded/);
  assert.equal(await page.locator('link[href*="pages-"]').count(), 0, 'the failed link is removed');
  blocked = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
  assert.deepEqual(fetched, ['refused', 'sent']);
  assert.ok(await page.evaluate(() => [...document.styleSheets].some((s) => (s.href ?? '').includes('/pages-') && s.cssRules.length > 0)), 'styled');
  assert.deepEqual(errors.filter((e) => !/pages-/.test(e)), []);
  await page.context().close();
});

// The server build's first screen asks for its data while the wasm loads (the inline script
// scripts/split-wasm.sh writes into index.html; src/api/transport.rs `early`): here the main
// module is held back until both requests have reached the network, which never happens if only
// the app sends them; then the app uses those answers instead of asking again.
test('server build: the customer list and the user are asked for while the wasm loads, and asked once', async () => {
  const { page, errors } = await watchedPage();
  const api = [];
  let sent;
  const bothSent = new Promise((resolve) => { sent = resolve; });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith('/api/')) return;
    api.push(url.pathname + url.search);
    if (api.includes('/api/me') && api.includes('/api/customers?search=')) sent();
  });
  await page.route('**/*_bg.wasm', async (route) => {
    const held = await Promise.race([bothSent.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
    assert.ok(held, `the first screen's requests had not left before the wasm was let through: ${api.join(', ')}`);
    await route.continue();
  });
  await page.goto(`${BASE_URL}/customers`);
  await page.waitForSelector(ROWS);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(api.filter((p) => p === '/api/me'), ['/api/me'], api.join(', '));
  assert.deepEqual(api.filter((p) => p.startsWith('/api/customers')), ['/api/customers?search='], api.join(', '));
  // Another user's token in the same tab: the next load's early answers are that user's.
  await page.unrouteAll();
  await page.evaluate(() => localStorage.setItem('reservation-desk/token', 'demo-sales-agent'));
  await page.reload();
  await page.getByText('Sam Sales · Sales agent').waitFor();
  assert.deepEqual(errors, []);
  await page.context().close();
});
