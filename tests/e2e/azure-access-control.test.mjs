// Access control (IAM) in Azure mode: the desk over the stand-ins of Partner Center, ARM and
// Microsoft Graph (tests/e2e/azure-walk.mjs). The panel lists ARM's role assignments on the
// reservation order — principals by name and e-mail from the customer's directory (Graph), one
// Graph does not have by object ID and type with why, the one given on a subscription marked
// inherited and not removable here — offers the six roles of reservations, finds a person by name
// in the people picker (typed, arrows, Enter) and adds them through ARM (listed after, by name),
// shows ARM's refusal inline with what it means and its request IDs, and removes the new one
// after a confirmation. Desktop and phone, English and German; axe in both schemes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const AUDITORS = 'b2b1f7e0-1c2d-4e3f-9a0b-1c2d3e4f5a6b';

let walk;
let browser;

before(async () => {
  walk = await azureWalkServer('azure-access-control');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  walk?.stop();
});

test('Azure mode: ARM\'s role assignments listed, one added and removed through ARM, a refusal explained', async () => {
  const page = await browser.newPage({ token: walk.token, viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${walk.base}/customers/contoso/reservations/res-c1/access-control`);
  const table = page.getByRole('table', { name: 'Access control (IAM)' });
  await table.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
  await page.getByText('as Azure Resource Manager lists it').waitFor();
  assert.match(await table.getByRole('row', { name: /Ada Lovelace/ }).textContent(), /Ada Lovelace ada@contoso\.com.*Owner/, 'the name and e-mail from the customer\'s directory');
  const unnamed = table.getByRole('row', { name: new RegExp(AUDITORS) });
  assert.match(await unnamed.textContent(), new RegExp(`${AUDITORS} \\(Group\\).*no such object.*Contoso Reservation Auditor`), 'not in the directory: its object ID, and why');
  const inherited = table.getByRole('row', { name: /Finance team/ });
  assert.match(await inherited.textContent(), /Inherited from \/subscriptions\/tenant-contoso-sub/);
  assert.equal(await inherited.getByRole('button', { name: 'Remove' }).count(), 0, 'removed where it was given');

  const roles = await page.getByRole('combobox', { name: 'Role' }).locator('option').allTextContents();
  assert.deepEqual(roles, ['Owner', 'Contributor', 'Reader', 'Reservations Administrator', 'Reservations Reader', 'Reservation Purchaser']);

  // An object ID ARM does not know, typed in: refused, with the meaning and Azure's request IDs.
  const who = page.getByRole('combobox', { name: 'Who' });
  await who.fill('00000000-0000-4000-8000-000000000000');
  await page.getByText('No one found').waitFor();
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const refusal = page.getByRole('alert');
  await refusal.getByText('no user, group or application with this object ID').waitFor();
  assert.match(await refusal.textContent(), /PrincipalNotFound.*arm-request-/s);

  // Found by name with the keyboard (type, Down, Enter), added through ARM, listed by name after.
  await who.fill('');
  await who.pressSequentially('grace', { delay: 20 });
  const option = page.getByRole('option', { name: /Grace Hopper/ });
  await option.waitFor();
  assert.match(await option.textContent(), /grace@contoso\.com · User/);
  await who.press('ArrowDown');
  assert.equal(await who.getAttribute('aria-activedescendant'), 'people-option-0');
  await who.press('Enter');
  await page.getByText('Chosen: Grace Hopper').waitFor();
  assert.equal(await who.inputValue(), 'Grace Hopper');
  await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Reservations Reader' });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const added = table.getByRole('row', { name: /Grace Hopper/ });
  await added.waitFor();
  assert.match(await added.textContent(), /Grace Hopper grace@contoso\.com.*User.*Reservations Reader/);
  // The same again: ARM's RoleAssignmentExists, explained.
  await who.pressSequentially('hopper', { delay: 20 });
  await page.getByRole('option', { name: /Grace Hopper/ }).click();
  await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Reservations Reader' });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('alert').getByText('already holds this role').waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}azure-access-control-desktop.png`, fullPage: true });
  assertNoViolations(await schemeViolations(page, 'Access control in Azure mode, a refusal shown'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}azure-access-control-desktop-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });

  // Removed through ARM after the confirmation.
  await added.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await added.waitFor({ state: 'detached' });

  // German, phone width.
  const phone = await browser.newPage({ token: walk.token, viewport: { width: 390, height: 844 }, locale: 'de-DE' });
  await phone.goto(`${walk.base}/customers/contoso/reservations/res-c1/access-control?lang=de`);
  await phone.getByText('Geerbt von /subscriptions/tenant-contoso-sub').waitFor();
  await phone.screenshot({ path: `${SCREENSHOTS}azure-access-control-phone-de.png`, fullPage: true });
  const wide = await browser.newPage({ token: walk.token, viewport: { width: 1366, height: 900 }, locale: 'de-DE' });
  await wide.goto(`${walk.base}/customers/contoso/reservations/res-c1/access-control?lang=de`);
  await wide.getByText('Geerbt von /subscriptions/tenant-contoso-sub').waitFor();
  await wide.screenshot({ path: `${SCREENSHOTS}azure-access-control-desktop-de.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
