// New support request in Azure mode: the desk over the stand-ins of Partner Center, ARM and
// Microsoft.Support (tests/e2e/azure-walk.mjs). The wizard files the request with Microsoft as
// an Azure support ticket (severity, country and Microsoft support's language asked), shows the
// ticket's number and status at Microsoft, and the request's page reads them back from Azure;
// Azure's refusal in another customer's subscription is shown inline with ARM's code and message
// and how to reach Microsoft otherwise. Each step is submitted with the keyboard (Enter).
// Desktop and phone, English and German; axe in both schemes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

let walk;
let browser;

before(async () => {
  walk = await azureWalkServer('azure-support');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

/** Walks the wizard on `page`, each step submitted with the keyboard (Enter). */
async function fillWizard(page, summary) {
  await page.getByRole('heading', { name: 'New support request', level: 2 }).waitFor();
  await page.getByLabel('Summary').fill(summary);
  await page.getByLabel('Summary').press('Enter');
  await page.getByRole('combobox', { name: 'Severity' }).selectOption('moderate');
  await page.getByLabel('Details').fill('The customer moved the workload; please refund one unit.');
  await page.getByRole('button', { name: 'Next' }).press('Enter');
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByRole('textbox', { name: 'Email' }).fill('ada@contoso.com');
  const languages = await page.getByRole('combobox', { name: 'Support language' }).locator('option').allTextContents();
  assert.ok(languages.includes('Español') && !languages.includes('Svenska'), `Microsoft support's languages: ${languages}`);
  await page.getByLabel('Time zone').fill('Europe/Berlin');
  await page.getByLabel(/^Country/).fill('deu');
}

test('Azure mode: a support request becomes a Microsoft support ticket; a refusal says how to reach Microsoft otherwise', async () => {
  const page = await browser.newPage({ token: walk.token, viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${walk.base}/customers/contoso/reservations/res-c2/support`);
  await fillWizard(page, 'Refund one unit of res-c2');
  await page.getByLabel(/^Country/).press('Enter');
  const done = page.getByRole('status').filter({ hasText: 'Sent to Microsoft as support ticket' });
  await done.waitFor();
  const number = (await done.textContent()).match(/support ticket (\d+)/)[1];
  const ticket = page.getByRole('region', { name: 'Microsoft support ticket' });
  assert.match(await ticket.textContent(), new RegExp(`Ticket number${number}.*Status at MicrosoftOpen`, 's'));
  assert.match(await ticket.textContent(), /Billing · Reservation Management \/ Exchanges and Refunds/);
  await page.screenshot({ path: `${SCREENSHOTS}azure-support-created-desktop.png`, fullPage: true });

  // The request's page reads the ticket back from Azure.
  await page.getByRole('link', { name: 'View the request' }).click();
  await page.getByRole('heading', { name: /^Support request \d{16}$/, level: 1 }).waitFor();
  const region = page.getByRole('region', { name: 'Microsoft support ticket' });
  await region.getByText(number).waitFor();
  assert.match(await region.textContent(), /Status at MicrosoftOpen.*tenant-contoso-sub/s);
  await page.screenshot({ path: `${SCREENSHOTS}azure-support-request-desktop.png`, fullPage: true });
  assertNoViolations(await schemeViolations(page, 'A support request and its Microsoft ticket'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}azure-support-request-desktop-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  const requestUrl = page.url();

  // The customer's Support requests tab names the ticket.
  await page.goto(`${walk.base}/customers/contoso/support`);
  const row = page.getByRole('row', { name: /Refund one unit of res-c2/ });
  assert.match(await row.textContent(), new RegExp(number));

  // Slow's subscription refuses: ARM's code and message inline, and how to reach Microsoft otherwise.
  await page.goto(`${walk.base}/customers/slow/reservations/res-s1/support`);
  await fillWizard(page, 'Refund one unit of res-s1');
  await page.getByRole('button', { name: 'Create' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'AuthorizationFailed' });
  await refusal.waitFor();
  const said = await refusal.textContent();
  assert.match(said, /Microsoft\.Support\/supportTickets\/write.*Partner Center \(Help \+ support/s);
  assert.equal(said.match(/To reach Microsoft otherwise/g).length, 1, `said once: ${said}`);
  await page.screenshot({ path: `${SCREENSHOTS}azure-support-refused-desktop.png`, fullPage: true });
  assertNoViolations(await schemeViolations(page, 'Azure refused the support ticket'));

  // German, phone width and desktop.
  const phone = await browser.newPage({ token: walk.token, viewport: { width: 390, height: 844 }, locale: 'de-DE' });
  await phone.goto(`${requestUrl}?lang=de`);
  await phone.getByRole('region', { name: 'Microsoft-Supportticket' }).getByText(number).waitFor();
  await phone.getByText('Status bei Microsoft').waitFor();
  await phone.screenshot({ path: `${SCREENSHOTS}azure-support-request-phone-de.png`, fullPage: true });
  const wide = await browser.newPage({ token: walk.token, viewport: { width: 1366, height: 900 }, locale: 'de-DE' });
  await wide.goto(`${walk.base}/customers/slow/reservations/res-s1/support?lang=de`);
  await wide.getByRole('heading', { name: 'Neue Supportanfrage', level: 2 }).waitFor();
  await wide.getByLabel('Zusammenfassung').fill('Rückerstattung');
  await wide.getByLabel('Zusammenfassung').press('Enter');
  await wide.getByRole('combobox', { name: 'Schweregrad' }).waitFor();
  await wide.screenshot({ path: `${SCREENSHOTS}azure-support-wizard-desktop-de.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
