// Access control (IAM) in Azure mode: the desk over the stand-ins of Partner Center and ARM
// (tests/e2e/azure-walk.mjs). The panel lists ARM's role assignments on the reservation order —
// principals by object ID and type, the one given on a subscription marked inherited and not
// removable here — offers the six roles of reservations, adds one through ARM (it is listed
// after), shows ARM's refusal inline with what it means and its request IDs, and removes the
// new one after a confirmation. Desktop and phone, English and German; axe in both schemes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS } from './browser.mjs';
import { azureWalkServer } from './azure-walk.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const ADA = 'ce2ce14e-85d7-4629-bdbc-454d0519d987';
const FINANCE = '7a1c9e20-3b4d-4c5e-8f60-71829304a5b6';
const NEW = '5f0e8d7c-6b5a-4938-8271-605f4e3d2c1b';

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
  await table.getByRole('row', { name: new RegExp(ADA) }).waitFor();
  await page.getByText('as Azure Resource Manager lists it').waitFor();
  assert.match(await table.getByRole('row', { name: new RegExp(ADA) }).textContent(), new RegExp(`${ADA} \\(User\\).*Owner`));
  assert.match(await table.textContent(), /Contoso Reservation Auditor/, 'a custom role by its definition\'s name');
  const inherited = table.getByRole('row', { name: new RegExp(FINANCE) });
  assert.match(await inherited.textContent(), /Inherited from \/subscriptions\/tenant-contoso-sub/);
  assert.equal(await inherited.getByRole('button', { name: 'Remove' }).count(), 0, 'removed where it was given');

  const roles = await page.getByRole('combobox', { name: 'Role' }).locator('option').allTextContents();
  assert.deepEqual(roles, ['Owner', 'Contributor', 'Reader', 'Reservations Administrator', 'Reservations Reader', 'Reservation Purchaser']);

  // An object ID ARM does not know: refused, with the meaning and Azure's request IDs.
  const id = page.getByRole('textbox', { name: 'Object ID' });
  await id.fill('00000000-0000-4000-8000-000000000000');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const refusal = page.getByRole('alert');
  await refusal.getByText('no user, group or application with this object ID').waitFor();
  assert.match(await refusal.textContent(), /PrincipalNotFound.*arm-request-/s);

  // Added through ARM, listed after.
  await id.fill(NEW);
  await page.getByRole('combobox', { name: 'Type' }).selectOption('Group');
  await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Reservations Reader' });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const added = table.getByRole('row', { name: new RegExp(NEW) });
  await added.waitFor();
  assert.match(await added.textContent(), /\(Group\).*Reservations Reader/);
  // The same again: ARM's RoleAssignmentExists, explained.
  await id.fill(NEW);
  await page.getByRole('combobox', { name: 'Type' }).selectOption('Group');
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
