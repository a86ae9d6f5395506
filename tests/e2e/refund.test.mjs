// The partner's path, on the release build served by the real server: customer → reservation
// → Properties (copy both IDs) → Refund (live quote, review, submit) → the change is visible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';
import { openActiveWithUnits } from './customer-rows.mjs';

const PAGES_URL = process.env.PAGES_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function walk(base, shots) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await page.goto(`${base}/customers`);
  await page.getByRole('link', { name: 'Fabrikam Inc' }).click();
  await page.getByRole('heading', { name: 'Fabrikam Inc', level: 1 }).waitFor();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.screenshot({ path: SCREENSHOTS + shots + 'customer.png', fullPage: true });

  // The first active reservation with at least two units.
  const quantityBefore = await openActiveWithUnits(page, 2);
  await page.getByRole('img', { name: /Daily utilization since purchase/ }).waitFor();
  await page.screenshot({ path: SCREENSHOTS + shots + 'overview.png', fullPage: true });

  await page.getByRole('navigation', { name: 'Reservation panels' }).getByRole('link', { name: 'Properties' }).click();
  const reservationId = await page.locator('dd.id code').nth(0).textContent();
  const orderId = await page.locator('dd.id code').nth(1).textContent();
  await page.getByRole('button', { name: 'Copy Reservation ID to the clipboard' }).click();
  await page.getByText('Copied').first().waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), reservationId);
  await page.getByRole('button', { name: 'Copy Reservation order ID to the clipboard' }).click();
  await page.waitForFunction((id) => navigator.clipboard.readText().then((t) => t === id), orderId);
  await page.screenshot({ path: SCREENSHOTS + shots + 'properties.png', fullPage: true });

  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  const quantity = page.getByLabel('Quantity to return');
  await quantity.fill(String(quantityBefore + 1));
  await page.getByText(`Enter a whole number from 1 to ${quantityBefore}.`).waitFor();
  await quantity.fill('1');
  await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
  assert.match(page.url(), /quantity=1/);
  // The panel starts at the deployment's policy (azure-current by default): no what-if, so the
  // address names no policy.
  const policy = page.getByLabel('Refund policy');
  assert.equal(await policy.inputValue(), 'azure-current');
  assert.doesNotMatch(page.url(), /policy=/);
  // Another policy is a what-if: quoted, reviewed, never submitted.
  await policy.selectOption('partner-center-2020');
  await page.waitForFunction(() => location.search.includes('policy=partner-center-2020'));
  await page.getByText(/^What-if: this deployment refunds under/).waitFor();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText(/^This quote is a what-if under .* and cannot be submitted/).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Submit refund' }).isDisabled(), 'a what-if cannot be submitted');
  await page.screenshot({ path: SCREENSHOTS + shots + 'refund-what-if.png', fullPage: true });
  await policy.selectOption('azure-current');
  await page.waitForFunction(() => !location.search.includes('policy='));
  assert.equal(await page.getByText(/^What-if:/).count(), 0);
  const usedBefore = await page.locator('.limit-figures dd').first().textContent();

  await page.getByRole('button', { name: 'Review' }).click();
  // Browser and server agree: the server's quote is a mark beside the live one, not a copy.
  await page.getByRole('status').filter({ hasText: 'Confirmed by the server for today: the same figures.' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Quote confirmed by the server for today' }).count(), 0, 'the server\'s quote agrees: not shown a second time');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  await page.getByText('Enter a reason for the return.').waitFor();
  await page.getByLabel('Reason for the return').fill('Workload moved to another region');
  await page.getByRole('button', { name: 'Submit refund' }).click();
  await page.getByText(/Refund .* submitted/).waitFor();
  await page.screenshot({ path: SCREENSHOTS + shots + 'refund.png', fullPage: true });

  await page.reload();
  await page.getByRole('navigation', { name: 'Reservation panels' }).getByRole('link', { name: 'Overview' }).click();
  const quantityCell = page.locator('.summary-grid div', { hasText: 'Quantity' }).locator('dd');
  assert.equal(Number(await quantityCell.textContent()), quantityBefore - 1);
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
  const usedAfter = await page.locator('.limit-figures dd').first().textContent();
  assert.notEqual(usedAfter, usedBefore, 'the refund counts toward the customer\'s limit');

  // The audit log says who did it and what changed.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  const entry = page.getByRole('row', { name: /refund/ }).first();
  await entry.waitFor();
  // Who by name, their sign-in name on hover.
  assert.match(await entry.textContent(), new RegExp(`Adam Agent.*quantity ${quantityBefore} → ${quantityBefore - 1}`));
  assert.equal(await entry.locator('[title="adam.agent@partner.example"]').textContent(), 'Adam Agent');
  assert.deepEqual(errors, []);
  await context.close();
}

test('server build: copy both IDs, refund one unit, and see quantity and refund limit change', () => walk(BASE_URL, ''));

test('static build with the in-browser backend, under a sub-path: the same walk', { skip: !PAGES_URL && 'PAGES_URL not set' },
  () => walk(PAGES_URL, 'pages-'));
