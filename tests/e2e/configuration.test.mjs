// Configuration on the server build: change the scope to one of the customer's resource
// groups and rename; the change survives a reload. Another customer's IDs never appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('change scope and name, and see them after a reload', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('link', { name: 'Northwind Traders' }).click();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Manage' }).click();
  await page.getByRole('heading', { name: 'Configuration', level: 2 }).waitFor();

  const scope = page.getByLabel('Scope', { exact: true });
  const rgOption = await scope.locator('option', { hasText: 'Single resource group' }).first().getAttribute('value');
  await scope.selectOption(rgOption);
  const chosen = await scope.locator(`option[value="${rgOption}"]`).textContent();
  await page.getByLabel('Display name').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('The display name must be 1 to 64 characters.').waitFor();
  await page.getByLabel('Display name').fill('northwind-web-tier');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'configuration.png', fullPage: true });

  await page.reload();
  await page.getByRole('heading', { name: 'northwind-web-tier', level: 1 }).waitFor();
  const selected = await page.getByLabel('Scope', { exact: true }).evaluate((s) => s.options[s.selectedIndex].textContent);
  assert.equal(selected, chosen);
});
