// axe-core (WCAG 2.0/2.1 A and AA, best practices) on every screen of the walk, in the light
// and the dark colour scheme: sign-in, customer list, a customer (its four tabs), each reservation
// panel (with its quote, review and error states), the audit log; and the static build's
// footer. Any violation fails with the screen, scheme, rule, impact and element.
// New screens: add a `check(page, 'name')` where the walk reaches them.
import { test, before, after } from 'node:test';
import { launch, BASE_URL, SCREENSHOTS } from './browser.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const PAGES_URL = process.env.PAGES_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('sign-in page: no axe violation in light or dark', async () => {
  const page = await browser.newPage({ token: '', viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE_URL}/sign-in`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  assertNoViolations(await schemeViolations(page, 'sign-in page'));
  await page.context().close();
});

test('every screen of the walk: no axe violation in light or dark', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const failures = [];
  const check = async (screen) => failures.push(...await schemeViolations(page, screen));
  const panels = page.getByRole('navigation', { name: 'Reservation panels' });
  const actions = page.getByRole('toolbar', { name: 'Actions' });

  await page.goto(`${BASE_URL}/customers`);
  await page.locator('tbody tr').first().waitFor();
  await check('customer list');

  // Woodgrove Bank: no other end-to-end test changes it, and nothing here submits.
  await page.getByRole('link', { name: 'Woodgrove Bank' }).click();
  await page.getByRole('heading', { name: 'Woodgrove Bank', level: 1 }).waitFor();
  await page.locator('.limit-meter').waitFor();
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  await check('customer, Azure reservations tab');
  // The first active reservation, opened after the other tabs.
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.locator('#panel-reservations .badge', { hasText: 'Expired' }).first().waitFor({ state: 'detached' });
  const reservation = await page.locator('#panel-reservations tbody tr th a').first().getAttribute('href');
  await page.getByRole('tab', { name: 'Support requests' }).click();
  await page.locator('#panel-support').locator('table, .empty').first().waitFor();
  await check('customer, Support requests tab');
  await page.getByRole('tab', { name: 'Portfolio' }).click();
  await page.locator('#panel-portfolio').locator('table, .empty').first().waitFor();
  await check('customer, Portfolio tab');
  await page.locator('#panel-portfolio .portfolio-table tbody input[type="checkbox"]').first().check();
  await page.locator('.portfolio-selection').waitFor();
  await check('customer, Portfolio tab with a selection');
  await page.getByRole('tab', { name: 'Savings plans' }).click();
  await page.locator('#panel-savings-plans').locator('table, .empty').first().waitFor();
  await check('customer, Savings plans tab');

  await page.goto(new URL(reservation, BASE_URL).href);
  await page.getByRole('heading', { name: 'Overview', level: 2 }).waitFor();
  await page.getByRole('img', { name: /Daily utilization since purchase/ }).waitFor();
  await check('reservation, Overview');

  await panels.getByRole('link', { name: 'Access control (IAM)' }).click();
  await page.getByRole('heading', { name: 'Access control (IAM)', level: 2 }).waitFor();
  await page.locator('.panel').locator('table.data-table, .empty').first().waitFor();
  await check('reservation, Access control');

  await panels.getByRole('link', { name: 'Configuration' }).click();
  await page.getByLabel('Display name').waitFor();
  await check('reservation, Configuration');

  await panels.getByRole('link', { name: 'Properties' }).click();
  await page.getByRole('heading', { name: 'Properties', level: 2 }).waitFor();
  await check('reservation, Properties');

  await panels.getByRole('link', { name: 'History' }).click();
  await page.getByRole('heading', { name: 'History', level: 2 }).waitFor();
  await page.locator('.panel tbody tr').first().waitFor();
  await check('reservation, History');

  await actions.getByRole('link', { name: 'Split or merge' }).click();
  await page.getByRole('heading', { name: 'Split or merge', level: 2 }).waitFor();
  await page.locator('.merge').locator('form, .empty').first().waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'split-merge.png', fullPage: true });
  await check('reservation, Split or merge');

  await panels.getByRole('link', { name: 'New support request' }).click();
  await page.getByRole('heading', { name: 'New support request', level: 2 }).waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Enter a summary.').waitFor();
  await check('reservation, New support request, step 1 with an error');
  await page.getByLabel('Summary').fill('Accessibility check');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Details').waitFor();
  await check('reservation, New support request, step 2');
  await page.getByLabel('Details').fill('Nothing to do; an automated check.');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Time zone').waitFor();
  await check('reservation, New support request, step 3');

  await actions.getByRole('link', { name: 'Refund' }).click();
  await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
  await check('reservation, Refund with the live quote');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  await page.getByRole('button', { name: 'Submit refund' }).click();
  await page.getByText('Enter a reason for the return.').waitFor();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: SCREENSHOTS + 'refund-review-dark.png', fullPage: true });
  await check('reservation, Refund reviewed, reason missing');

  await actions.getByRole('link', { name: 'Exchange' }).click();
  await page.getByRole('region', { name: 'Exchange quote' }).waitFor();
  await check('reservation, Exchange with the live quote');
  await page.getByLabel('Trade in for a savings plan').check();
  await page.getByRole('button', { name: 'Use the minimum' }).click();
  await page.getByText(/covers the remaining one/).waitFor();
  await check('reservation, Exchange trading in for a savings plan');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  await page.locator('tbody tr, .empty').first().waitFor();
  await check('audit log');

  // The status badges in the dark scheme (the colour-contrast violation), for the eye.
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('link', { name: 'Woodgrove Bank' }).click();
  await page.locator('#panel-reservations tbody tr').first().waitFor();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.locator('.table-scroll').screenshot({ path: SCREENSHOTS + 'badges-dark.png' });
  await page.context().close();

  assertNoViolations(failures);
});

test('static build (in-browser backend, its footer): no axe violation in light or dark', { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${PAGES_URL}/customers`);
  await page.locator('tbody tr').first().waitFor();
  await page.getByRole('button', { name: 'Reset demo data' }).waitFor();
  assertNoViolations(await schemeViolations(page, 'static build, customer list with footer'));
  await page.context().close();
});
