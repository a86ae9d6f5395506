// Grants (least privilege): the limited demo user sees only the two customers its group is
// granted, another customer's page is "not found"; a Global admin adds a grant on the Access
// page (the group's object ID checked inline) and removes it after confirming; axe-core finds no
// violation on the Access page in either colour scheme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const NORTHWIND = '2d8a9f4c-6b3e-4fa0-9c73-3e4f5a6b7c03';

const PAGES_URL = process.env.PAGES_URL;

/** Signs in as the limited demo user at `base` and checks the customer list; the page. */
async function limitedCustomers(base, shot) {
  const page = await browser.newPage({ token: '', viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/customers`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.getByRole('button', { name: /Casey Accounts.*Contoso Ltd and Fabrikam Inc only/ }).click();
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  await page.getByText('Casey Accounts · Admin agent').waitFor();
  const table = page.getByRole('table', { name: 'Customers' });
  await table.getByRole('link', { name: 'Contoso Ltd' }).waitFor();
  assert.deepEqual(await table.locator('tbody tr th a').allTextContents(), ['Contoso Ltd', 'Fabrikam Inc']);
  assert.equal(await page.getByRole('link', { name: 'Access', exact: true }).count(), 0, 'the Access page is the Global admin’s');
  await page.screenshot({ path: SCREENSHOTS + shot, fullPage: true });
  await page.goto(`${base}/customers/${NORTHWIND}`);
  await page.getByText('It does not exist, or it is not yours to see.').first().waitFor();
  return page;
}

test('static build with the in-browser backend: the limited demo user sees only Contoso and Fabrikam',
  { skip: !PAGES_URL && 'PAGES_URL not set' }, async () => {
    const page = await limitedCustomers(PAGES_URL, 'pages-limited-customers.png');
    await page.context().close();
  });

test('the limited demo user signs in and sees only Contoso and Fabrikam', async () => {
  const page = await limitedCustomers(BASE_URL, 'limited-customers.png');
  // The server is the guard, whatever the page shows.
  const status = await page.evaluate(async (id) => {
    const response = await fetch(`/api/customers/${id}/reservations`, { headers: { authorization: 'Bearer demo-contoso-fabrikam-agent' } });
    return response.status;
  }, NORTHWIND);
  assert.equal(status, 404);
});

test('a Global admin adds a grant on the Access page and removes it', async () => {
  const page = await browser.newPage({ token: 'demo-global-admin', viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access', exact: true }).click();
  await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();
  const table = page.getByRole('table', { name: 'Grants' });
  await table.getByRole('row', { name: /Contoso Ltd/ }).waitFor();
  assert.match(await table.getByRole('row', { name: /Fabrikam Inc/ }).textContent(), /7a1c9e20-3b4d-4c5e-8f60-71829304a5b6.*Admin agent/);

  const group = page.getByRole('textbox', { name: 'Group object ID' });
  await group.fill('contoso-agents');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText("Enter the group's object ID, a GUID").waitFor();
  assert.equal(await group.getAttribute('aria-invalid'), 'true');
  assertNoViolations(await schemeViolations(page, 'Access page, an invalid group ID'));

  await group.fill('0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0');
  assert.equal(await group.getAttribute('aria-invalid'), 'false');
  await page.getByRole('combobox', { name: 'Customer' }).selectOption({ label: 'Northwind Traders' });
  await page.getByRole('combobox', { name: 'Role' }).selectOption({ label: 'Helpdesk agent' });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const row = table.getByRole('row', { name: /0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0/ });
  await row.waitFor();
  assert.match(await row.textContent(), /Northwind Traders.*Helpdesk agent/);
  assert.equal(await group.inputValue(), '', 'the form is cleared for the next grant');

  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByText('Remove Helpdesk agent on Northwind Traders from group 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0?').waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'access.png', fullPage: true });
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await table.getByRole('row').count(), 3, 'header + the two seeded grants');

  // The audit log names each change.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('cell', { name: /A security group no longer has the role Helpdesk agent on Northwind Traders.*Group ID: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0/ }).waitFor();
});
