// Access control (IAM): add a role assignment and remove it after confirming.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('add a reader, then remove them with confirmation', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('link', { name: 'Litware Inc' }).click();
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('navigation', { name: 'Reservation panels' }).getByRole('link', { name: 'Access control (IAM)' }).click();
  const table = page.getByRole('table', { name: 'Access control (IAM)' });
  await table.getByRole('row', { name: /admin@litware.onmicrosoft.com/ }).waitFor();

  await page.getByRole('combobox', { name: 'Who' }).fill('ada');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText('Name a user by their sign-in address').waitFor();
  await page.getByRole('combobox', { name: 'Who' }).fill('ada@litware.com');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const row = table.getByRole('row', { name: /ada@litware.com/ });
  await row.waitFor();
  assert.match(await row.textContent(), /Reader/);

  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByText('Remove ada@litware.com as Reader?').waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'access-control.png', fullPage: true });
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await table.getByRole('row').count(), 3, 'header + the two seeded assignments');
});
