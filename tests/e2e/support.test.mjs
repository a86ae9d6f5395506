// New support request on the server build: the three steps with Next, required fields
// explained on their own step, Create, and the created request with its ID.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('walk the wizard and create a request', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('link', { name: 'Contoso Ltd' }).click();
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('navigation', { name: 'Reservation panels' }).getByRole('link', { name: 'New support request' }).click();
  await page.getByRole('heading', { name: 'New support request', level: 2 }).waitFor();

  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Enter a summary.').waitFor();
  await page.getByLabel('Summary').fill('Refund one unit of an unused VM reservation');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Details').waitFor();
  assert.equal(await page.getByLabel('Category').inputValue(), 'Exchanges and refunds');
  // The attached quote names its policy as the refund panel does, never by its code.
  const hint = page.locator('.wizard .checkbox .hint');
  await hint.getByText(/^Refund quote for 1 unit on .+ \(Current Azure policy: no fee, refused over the limit\): .+ back to the customer\.$/).waitFor();
  assert.doesNotMatch(await hint.textContent(), /azure-current|partner-center-2020/);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByText('Enter the details of the problem.').waitFor();
  await page.getByLabel('Details').fill('The customer moved the workload; please confirm the refund.');
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('radio', { name: 'Phone' }).check();
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByRole('textbox', { name: 'Email' }).fill('ada@contoso.com');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Enter a phone number (phone is the preferred contact method).').waitFor();
  await page.getByRole('radio', { name: 'Phone' }).check();
  await page.locator('#contact-phone').fill('+49 30 1234567');
  await page.screenshot({ path: SCREENSHOTS + 'support-contact.png', fullPage: true });
  await page.getByRole('button', { name: 'Create' }).click();
  const created = page.getByText(/Support request \d{16} created\./);
  await created.waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'support-created.png', fullPage: true });

  const id = (await created.textContent()).match(/\d{16}/)[0];
  const stored = await (await fetch(`${BASE_URL}/api/supportRequests/${id}`, { headers: { authorization: 'Bearer demo-admin-agent' } })).json();
  assert.equal(stored.issueType, 'Billing');
  assert.equal(stored.contact.preferredContactMethod, 'Phone');
  assert.match(stored.attachedQuote, /Refund quote for 1 unit on .+ \(Current Azure policy: no fee, refused over the limit\)/);

  // The customer's Support requests tab lists it (the breadcrumb names the customer; the tab
  // reached with the keyboard).
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Contoso Ltd' }).click();
  await page.getByRole('tab', { name: 'Azure reservations' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Support requests' }).getAttribute('aria-selected'), 'true');
  await page.getByRole('tabpanel').getByText(id).waitFor();
});

test('step 2 in German on a phone: the reservation\'s IDs keep clear of Details, the quote names its policy in German', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'de-DE' });
  const get = async (path) => (await fetch(`${BASE_URL}/api${path}`, { headers: { authorization: 'Bearer demo-admin-agent' } })).json();
  const contoso = (await get('/customers')).find((c) => c.name === 'Contoso Ltd');
  const reservation = (await get(`/customers/${contoso.id}/reservations`)).find((r) => r.provisioningState === 'Succeeded');
  await page.goto(`${BASE_URL}/customers/${contoso.id}/reservations/${reservation.id}/support?lang=de`);
  await page.getByLabel('Zusammenfassung').fill('Eine Einheit zurückerstatten');
  await page.getByRole('button', { name: 'Weiter' }).click();
  const details = page.locator('label[for="details"]');
  await details.waitFor();
  const ids = page.locator('.wizard .wizard-ids');
  const [idsBox, labelBox] = [await ids.boundingBox(), await details.boundingBox()];
  assert.ok(idsBox.y + idsBox.height + 8 <= labelBox.y, `the IDs end at ${idsBox.y + idsBox.height}, Details starts at ${labelBox.y}`);
  // Each ID stays inside the screen (a GUID wraps in its column).
  for (const box of await ids.locator('dd').evaluateAll((dds) => dds.map((d) => d.getBoundingClientRect().right))) {
    assert.ok(box <= 390, `an ID ends at ${box} px`);
  }
  const hint = page.locator('.wizard .checkbox .hint');
  await hint.getByText(/\(Aktuelle Azure-Richtlinie: keine Gebühr, über dem Limit abgelehnt\)/).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}support-step2-phone-de.png`, fullPage: true });
  await page.context().close();
});
