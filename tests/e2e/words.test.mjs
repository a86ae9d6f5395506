// The partner's words, not the API's, on every main page in each of the five languages: the
// customer list, a customer (its reservations, with the product family column and filter, and
// its support requests), a
// reservation (Overview, Properties, History, and the Refund, Exchange and trade-in quotes), the
// Portfolio, the audit log and Alerts. No page shows a product family or savings plan SKU as the
// API names it (`VirtualMachines`, `Compute_Savings_Plan`: the lists are read from the engine's
// code, not written here), an audit action code (`ledgerBaseline`, read from the contract), a raw
// ISO timestamp, or a "(s)" plural; the names it shows instead are the locale files' own. Nothing
// here changes data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, BASE_URL, SCREENSHOTS } from './browser.mjs';

const source = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** `ReservedResourceType::KNOWN`: every product family the engine knows, as the API writes it. */
const FAMILIES = (() => {
  const text = source('crates/quote-engine/src/reservation.rs');
  const list = text.match(/pub const KNOWN: &'static \[&'static str\] = &\[([^\]]*)\]/)[1];
  return [...list.matchAll(/"(\w+)"/g)].map((m) => m[1]);
})();
/** The savings plan SKUs a trade-in buys (`COMPUTE_SAVINGS_PLAN`, `DATABASE_SAVINGS_PLAN`). */
const PLAN_SKUS = [...source('crates/quote-engine/src/rules/trade_in.rs').matchAll(/pub const \w+_SAVINGS_PLAN: &str = "(\w+)";/g)]
  .map((m) => m[1]);
/** Every audit action code the desk writes (`AuditAction::code`). */
const ACTION_CODES = (() => {
  const text = source('crates/contract/src/audit.rs');
  const body = text.slice(text.indexOf('pub const fn code(self)'), text.indexOf('pub fn from_code'));
  return [...body.matchAll(/Self::\w+ => "(\w+)"/g)].map((m) => m[1]);
})();
const LOCALES = Object.fromEntries(['en', 'de', 'nl', 'sv', 'zh-CN'].map((l) => [l, JSON.parse(source(`locales/${l}.json`))]));

const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const PLURAL_HEDGE = /\w\((s|en|er|n)\)(?!\w)|eenheid\/eenheden/;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let browser;
before(async () => {
  assert.ok(FAMILIES.length >= 20 && FAMILIES.includes('VirtualMachines') && FAMILIES.includes('CosmosDb'), `families read from the engine: ${FAMILIES}`);
  assert.deepEqual(PLAN_SKUS.sort(), ['Compute_Savings_Plan', 'Database_Savings_Plan']);
  assert.ok(ACTION_CODES.length >= 18 && ACTION_CODES.includes('ledgerBaseline'), `action codes read from the contract: ${ACTION_CODES}`);
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** What the page says: its text, every option of its pickers, and its tables' header cells. */
async function pageWords(page) {
  return page.evaluate(() => [
    document.body.innerText,
    ...[...document.querySelectorAll('option')].map((o) => o.textContent),
  ].join('\n'));
}

/** Fails when `text` (of `screen`, in `lang`) shows an API name, a code, a raw time or "(s)". */
function assertPartnersWords(text, lang, screen) {
  const words = LOCALES[lang];
  // A product's own name may contain the API's ("Azure Databricks"): the shown names go first.
  let rest = text;
  for (const family of FAMILIES) rest = rest.replaceAll(words[`family_${family}`], ' ');
  for (const name of [...FAMILIES, ...PLAN_SKUS]) {
    assert.doesNotMatch(rest, new RegExp(`(^|[^\\w])${escape(name)}(?![\\w])`), `${lang}, ${screen}: the API's name ${name}`);
  }
  for (const code of ACTION_CODES.filter((c) => /[A-Z]/.test(c))) {
    assert.ok(!rest.includes(code), `${lang}, ${screen}: the action code ${code}`);
  }
  assert.doesNotMatch(text, ISO_TIME, `${lang}, ${screen}: a raw timestamp`);
  assert.doesNotMatch(text, PLURAL_HEDGE, `${lang}, ${screen}: a plural written as "(s)"`);
  if (lang === 'zh-CN') assert.ok(!text.includes('预订'), `${lang}, ${screen}: Microsoft's term is 预留, not 预订`);
  if (lang === 'de') assert.doesNotMatch(text, /(^|[^k])Erstattungslimit|Einzeln [^\t\n]/, `${lang}, ${screen}: one word for the limit, a scope with its kind`);
}

async function check(page, lang, screen) {
  assertPartnersWords(await pageWords(page), lang, screen);
}

for (const lang of Object.keys(LOCALES)) {
  test(`${lang}: the main pages say products, savings plans, actions, times and counts in the partner's words`, async () => {
    const words = LOCALES[lang];
    const context = await browser.newContext({ token: 'demo-global-admin', viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const open = async (path) => page.goto(`${BASE_URL}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
    // Screenshots of the changed screens in German and Chinese, to look at.
    const shot = async (name, fullPage = false) => {
      if (lang === 'zh-CN' || lang === 'de') await page.screenshot({ path: `${SCREENSHOTS}words-${name}-${lang}.png`, fullPage });
    };

    await open('/customers');
    await page.locator('tbody tr').first().waitFor();
    await check(page, lang, 'customers');
    const litware = await page.getByRole('link', { name: 'Litware Inc' }).getAttribute('href');

    // A customer: the family column and filter by Microsoft's names.
    await open(litware);
    await page.locator('#panel-reservations tbody tr').first().waitFor();
    const vms = words.family_VirtualMachines;
    await page.locator('#panel-reservations td', { hasText: vms }).first().waitFor();
    await check(page, lang, 'a customer');
    await shot('customer');
    const filter = page.locator('#panel-reservations select').filter({ has: page.locator('option[value="VirtualMachines"]') });
    assert.equal(await filter.locator('option[value="VirtualMachines"]').textContent(), vms);
    await filter.selectOption('VirtualMachines');
    await page.locator('#panel-reservations select').first().selectOption('Succeeded');
    const reservation = await page.locator('#panel-reservations tbody tr th a').first().getAttribute('href');

    // The Portfolio: its family filter, and each recommendation a whole sentence.
    await page.getByRole('tab', { name: words.portfolio }).click();
    await page.locator('#panel-portfolio .portfolio-table tbody tr').first().waitFor();
    await check(page, lang, 'Portfolio');
    const reasons = await page.locator('#panel-portfolio .reason').allTextContents();
    assert.ok(reasons.length > 0);
    for (const reason of reasons) assert.match(reason, /[.。]$/, `${lang}: a recommendation ends as a sentence: ${reason}`);
    await shot('portfolio');

    // Its support requests: status and creation time (if any; the walk creates none).
    await page.getByRole('tab', { name: words.support_requests }).click();
    await page.locator('#panel-support').locator('table, .empty').first().waitFor();
    await check(page, lang, 'Support requests');

    // A reservation: the breadcrumb names its customer; Overview, Properties, History.
    await open(reservation);
    await page.getByRole('heading', { level: 2, name: words.overview }).waitFor();
    await page.getByRole('navigation', { name: words.breadcrumb }).getByRole('link', { name: 'Litware Inc' }).waitFor();
    await check(page, lang, 'reservation, Overview');
    await shot('overview');
    await open(reservation.replace(/\/?$/, '/properties'));
    await page.getByRole('heading', { level: 2, name: words.properties }).waitFor();
    await page.getByText(vms, { exact: true }).waitFor();
    await check(page, lang, 'reservation, Properties');
    await open(reservation.replace(/\/?$/, '/history'));
    await page.locator('.panel tbody tr').first().waitFor();
    await check(page, lang, 'reservation, History');
    await shot('history');

    // Its quotes: a refund, an exchange (its returned line names the family), a trade-in
    // (the savings plan by name, 26,280 hours with the language's grouping).
    await open(reservation.replace(/\/?$/, '/refund'));
    await page.locator('table.breakdown tfoot td').first().waitFor();
    await check(page, lang, 'reservation, Refund quote');
    await open(reservation.replace(/\/?$/, '/exchange'));
    const quote = page.getByRole('region', { name: words.exchange_quote }).filter({ hasText: vms });
    await quote.waitFor();
    await check(page, lang, 'reservation, Exchange quote');
    await page.getByLabel(words.trade_in_for_savings_plan).check();
    await page.getByRole('button', { name: words.use_the_minimum }).click();
    await page.getByLabel(words.column_term).last().selectOption('P3Y');
    const hours = new Intl.NumberFormat(lang).format(26280);
    const plan = words.savings_plan_sku_compute;
    await page.getByText(new RegExp(`${escape(plan)}.*${escape(hours)}`)).first().waitFor();
    await check(page, lang, 'reservation, trade-in quote');
    await shot('trade-in', true);

    // The audit log: times in the language, each action by name, the ledger's rows counted.
    await open('/audit');
    await page.locator('tbody tr').first().waitFor();
    await check(page, lang, 'audit log');
    const actions = await page.locator('tbody th[scope="row"]').allTextContents();
    for (const action of actions) assert.ok(!ACTION_CODES.includes(action.trim()), `${lang}: the audit log names ${action} by its code`);
    assert.ok(actions.includes(words.audit_action_ledger_baseline), `${lang}: the ledger's entry by name`);
    await shot('audit');

    // Alerts, every group unfolded.
    await open('/alerts');
    await page.locator('.alert-filter').waitFor();
    await page.evaluate(() => document.querySelectorAll('details.alert-group').forEach((d) => { d.open = true; }));
    await check(page, lang, 'Alerts');
    await shot('alerts');

    assert.deepEqual(errors, []);
    await context.close();
  });
}
