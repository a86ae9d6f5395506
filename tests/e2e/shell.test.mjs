// The release build, served by the real server, loads and shows data from the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, SCREENSHOTS } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the root redirects to the customer list, filled from the seeded database', async () => {
  const { page, problems } = await openPage(browser, '/');
  await page.waitForSelector('table.data-table tbody tr');
  assert.equal(new URL(page.url()).pathname, '/customers');
  assert.equal(await page.locator('h1').textContent(), 'Customers');
  const rows = await page.locator('tbody tr').count();
  assert.ok(rows >= 5, `expected the seeded customers, got ${rows} rows`);
  await page.screenshot({ path: SCREENSHOTS + 'customers.png', fullPage: true });
  assert.deepEqual(problems, []);
});

test('a deep link opened directly lands on its page (server falls back to index.html)', async () => {
  const { page, problems } = await openPage(browser, '/customers');
  await page.waitForSelector('tbody tr');
  await page.reload();
  await page.waitForSelector('tbody tr');
  assert.deepEqual(problems, []);
});

test('an unknown address shows the not-found page with a way back', async () => {
  const { page } = await openPage(browser, '/no/such/page');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await page.getByRole('link', { name: 'Go to the customers' }).click();
  await page.waitForSelector('tbody tr');
});

test('the skip link is the first thing the keyboard reaches and moves focus to the content', async () => {
  const { page } = await openPage(browser, '/customers');
  await page.waitForSelector('tbody tr');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
});

test('?lang= picks the language, sets <html lang>, and the choice is remembered', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  // Chosen on a page deep in the app, remembered everywhere else (the cookie's path is the app's).
  await page.goto(`${process.env.BASE_URL ?? 'http://127.0.0.1:3000'}/no/such/page?lang=de`);
  await page.getByRole('heading', { name: 'Seite nicht gefunden', level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  await page.waitForFunction(() => document.cookie.split('; ').includes('i18n_pref_locale=de'));
  await page.goto(`${process.env.BASE_URL ?? 'http://127.0.0.1:3000'}/customers`);
  await page.getByRole('heading', { name: 'Kunden', level: 1 }).waitFor();
  await page.getByRole('combobox', { name: 'Sprache' }).selectOption('zh-CN');
  await page.getByRole('heading', { name: '客户', level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await context.close();
});

test('without a saved choice the browser\'s language is used', async () => {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  await page.goto(`${process.env.BASE_URL ?? 'http://127.0.0.1:3000'}/customers`);
  await page.getByRole('heading', { name: 'Kunder', level: 1 }).waitFor();
  await context.close();
});

test('on a 390 px phone nothing is wider than the screen', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  await page.goto(`${base}/customers`);
  await page.waitForSelector('tbody tr');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'customer list fits');
  await page.getByRole('link', { name: 'Contoso Ltd' }).click();
  await page.locator('tbody tr th a').nth(1).click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  await page.getByRole('heading', { name: 'Refund', level: 2 }).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'phone-refund.png', fullPage: true });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'refund panel fits');
});

test('each language: chosen in the header, kept over a reload, the refund panel fits (screenshots)', async () => {
  const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const languages = [
    ['en', 'Refund', 'Actions', /\$[\d,]+\.\d\d/],
    ['de', 'Rückerstattung', 'Aktionen', /[\d.]+,\d\d\s\$/],
    ['sv', 'Återbetalning', 'Åtgärder', /[\d\s]+,\d\d\sUS\$/],
    ['nl', 'Restitutie', 'Acties', /US\$\s[\d.]+,\d\d/],
    ['zh-CN', '退款', '操作', /US\$[\d,]+\.\d\d/],
  ];
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: 'Contoso Ltd' }).click();
  await page.getByLabel('Status').selectOption('Succeeded'); // an expired one has no quote
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  await page.getByRole('heading', { name: 'Refund', level: 2 }).waitFor();
  for (const [lang, refund, actions, money] of languages) {
    await page.locator('.language-picker select').selectOption(lang);
    await page.getByRole('heading', { name: refund, level: 2 }).waitFor();
    // The choice is saved (leptos_i18n's cookie, for the whole app) once the page has re-rendered.
    await page.waitForFunction((l) => document.cookie.split('; ').includes(`i18n_pref_locale=${l}`), lang);
    await page.reload();
    await page.getByRole('heading', { name: refund, level: 2 }).waitFor();
    await page.getByRole('toolbar', { name: actions }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), lang, `${lang} survives a reload`);
    await page.locator('table.breakdown tfoot td').first().waitFor();
    const total = await page.locator('table.breakdown tfoot td').first().textContent();
    assert.match(total, money, `${lang}: the refund amount is written the ${lang} way`);
    // Long German words and CJK text: no button clips its label, nothing overflows the page.
    const clipped = await page.evaluate(() => [...document.querySelectorAll('button, .button, a.tab, th')]
      .filter((el) => el.offsetParent && el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent.trim()));
    assert.deepEqual(clipped, [], `${lang}: clipped labels`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${lang}: no overflow`);
    await page.screenshot({ path: `${SCREENSHOTS}refund-${lang}.png`, fullPage: true });
  }
  await context.close();
});

test('at 1366 px the bar keeps one line in every language, as the Global admin (the most links)', async () => {
  const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const context = await browser.newContext({ token: 'demo-global-admin', viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  for (const lang of ['de', 'en', 'sv', 'nl', 'zh-CN']) {
    await page.goto(`${base}/customers?lang=${lang}`);
    await page.locator('tbody tr').first().waitFor();
    await page.locator('.app-header .sign-out').waitFor();
    // The links, the language menu and the user on one line: nothing starts below the brand's line.
    const rows = await page.evaluate(() => {
      const top = (el) => el.getBoundingClientRect().top;
      const brand = document.querySelector('.app-header .brand').getBoundingClientRect();
      return [...document.querySelectorAll('.app-header nav a, .language-picker select, .app-header .signed-in, .app-header .sign-out')]
        .filter((el) => top(el) >= brand.bottom)
        .map((el) => el.textContent.trim() || el.className);
    });
    assert.deepEqual(rows, [], `${lang}: on a second line`);
    if (lang === 'de') await page.screenshot({ path: `${SCREENSHOTS}header-de-1366.png`, clip: { x: 0, y: 0, width: 1366, height: 80 } });
  }
  await context.close();
});

// The browser's languages changing while the page is open: followed while the language was only
// matched from them, never once the user chose one in the picker (nor saved until then).
test('the language follows the browser\'s languages until the user picks one', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${process.env.BASE_URL ?? 'http://127.0.0.1:3000'}/customers`);
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  const browserAsksFor = (languages) => page.evaluate((l) => {
    Object.defineProperty(navigator, 'languages', { get: () => l, configurable: true });
    window.dispatchEvent(new Event('languagechange'));
  }, languages);
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('i18n_pref_locale'), 'a matched language is not saved');
  await browserAsksFor(['nl-BE', 'en']);
  await page.getByRole('heading', { name: 'Klanten', level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  await page.getByRole('combobox', { name: 'Taal' }).selectOption('sv');
  await page.getByRole('heading', { name: 'Kunder', level: 1 }).waitFor();
  await page.waitForFunction(() => document.cookie.split('; ').includes('i18n_pref_locale=sv'));
  await browserAsksFor(['de-DE']);
  await page.waitForTimeout(300); // an event's effect would show at once; none is wanted
  assert.equal(await page.getAttribute('html', 'lang'), 'sv', 'the choice stays');
  await context.close();
});

test('a language picked on a page opened with ?lang= stays after a reload', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${process.env.BASE_URL ?? 'http://127.0.0.1:3000'}/customers?lang=de`);
  await page.getByRole('heading', { name: 'Kunden', level: 1 }).waitFor();
  await page.getByRole('combobox', { name: 'Sprache' }).selectOption('en');
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  assert.ok(!page.url().includes('lang='), `the link's language left the address: ${page.url()}`);
  await page.reload();
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await context.close();
});
