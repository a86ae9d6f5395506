// Steps on a customer's reservation table that several walks share.
import assert from 'node:assert/strict';

// Opens the first active (Succeeded) reservation with at least `units` units on the customer page
// that is showing; answers its quantity before the walk changes it.
export async function openActiveWithUnits(page, units) {
  await page.getByLabel('Status').selectOption('Succeeded');
  const rows = page.locator('tbody tr');
  let target = -1;
  for (let i = 0; i < await rows.count(); i++) {
    if (Number(await rows.nth(i).locator('td.num').first().textContent()) >= units) { target = i; break; }
  }
  assert.ok(target >= 0, `an active reservation with ${units}+ units`);
  const quantity = Number(await rows.nth(target).locator('td.num').first().textContent());
  await rows.nth(target).getByRole('link').click();
  await page.getByRole('heading', { name: 'Overview', level: 2 }).waitFor();
  return quantity;
}
