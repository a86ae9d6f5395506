// Findings of a review of the console, walked on the server build: the customer's reservation
// table fits a 1366 px laptop in all five languages and no SKU name breaks inside; the Buy form's
// labels stand on one line; the Refund panel's Review waits for a usable quantity (disabled, said
// why, nothing sent) with the field's verdict below the field and "of N" kept together; the Buy
// panel says why a retired term cannot be bought at a phone's width; and an agent opening a
// customer that is not theirs asks once (one 404), not once per read of the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

const CONTOSO = '0b6e7d2a-4f1c-4d8e-9a51-1c2d3e4f5a01';
const FABRIKAM = '1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02';
const TAILSPIN = '3e9ba05d-7c4f-40b1-8d84-4f5a6b7c8d04';
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('at 1366 px the reservation table fits in every language, and SKU names never break', async () => {
  const page = await browser.newPage({ viewport: LAPTOP });
  for (const customer of [CONTOSO, FABRIKAM, TAILSPIN]) {
    for (const lang of ['en', 'de', 'sv', 'nl', 'zh-CN']) {
      await page.goto(`${BASE_URL}/customers/${customer}?lang=${lang}`);
      await page.locator('#panel-reservations tbody tr').first().waitFor();
      const [scroll, client] = await page.locator('#panel-reservations .table-scroll').evaluate((s) => [s.scrollWidth, s.clientWidth]);
      assert.ok(scroll <= client, `${lang} ${customer}: the table is ${scroll} px in a ${client} px box`);
      const broken = await page.locator('#panel-reservations td.sku').evaluateAll((cells) => cells.filter((c) => c.getClientRects().length !== 1 || c.scrollWidth > c.clientWidth || c.querySelector('*')).length);
      assert.equal(broken, 0, `${lang}: SKU cells`);
      if (customer === CONTOSO && (lang === 'en' || lang === 'de')) await page.screenshot({ path: `${SCREENSHOTS}review-customer-${lang}.png` });
    }
  }
  for (const lang of ['en', 'de']) {
    await page.goto(`${BASE_URL}/customers/${CONTOSO}/buy?lang=${lang}`);
    await page.locator('.recommendation-table tbody tr').first().waitFor();
    const [scroll, client] = await page.locator('.recommendation-table').evaluate((t) => [t.parentElement.scrollWidth, t.parentElement.clientWidth]);
    assert.ok(scroll <= client, `${lang}: recommendations ${scroll} px in ${client} px`);
    // One line each: a SKU name (the cell's first text; the service and scope follow under it)
    // as tall as one line of its text.
    for (const cell of await page.locator('.recommendation-table tbody th.sku').all()) {
      const lines = await cell.evaluate((c) => { const r = document.createRange(); r.selectNodeContents(c.firstChild); return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size; });
      assert.equal(lines, 1, `${lang}: ${await cell.textContent()} on one line`);
    }
    // The form's labels on one line: every label's top the same.
    const tops = await page.locator('.buy-terms label').evaluateAll((ls) => ls.map((l) => `${l.firstChild.textContent.trim()} ${Math.round(l.getBoundingClientRect().top)}`));
    const firstRow = tops.map((t) => Number(t.split(' ').pop())).filter((top, _, all) => top < Math.min(...all) + 20);
    assert.ok(firstRow.length >= 5, `${lang}: ${tops}`);
    assert.equal(new Set(firstRow).size, 1, `${lang}: label tops ${tops}`);
    await page.screenshot({ path: `${SCREENSHOTS}review-buy-${lang}.png`, fullPage: true });
  }
  await page.context().close();
});

test("Refund: Review waits for a usable quantity, says why, and sends nothing; the verdict stands below 'of N'", async () => {
  for (const viewport of [LAPTOP, PHONE]) {
    const page = await browser.newPage({ viewport, locale: 'en-US' });
    const asked = [];
    page.on('request', (r) => { if (r.url().includes('/calculateRefund')) asked.push(r.url()); });
    await page.goto(`${BASE_URL}/customers/${FABRIKAM}`);
    const list = await page.evaluate(async (id) => (await fetch(`/api/customers/${id}/reservations`, { headers: { authorization: `Bearer ${localStorage.getItem('reservation-desk/token')}` } })).json(), FABRIKAM);
    const r = list.find((x) => x.provisioningState === 'Succeeded' && x.quantity >= 2);
    await page.goto(`${BASE_URL}/customers/${FABRIKAM}/reservations/${r.id}/refund`);
    const quantity = page.getByLabel('Quantity to return');
    const review = page.getByRole('button', { name: 'Review' });
    await page.getByRole('region', { name: 'Quote breakdown' }).waitFor();
    assert.equal(await review.isDisabled(), false);
    for (const [typed, why] of [
      ['abc', 'Enter a whole number in digits only (no letters, spaces or signs).'],
      ['1.5', 'Enter a whole number, without decimals.'],
      [String(r.quantity + 1), `Enter a whole number from 1 to ${r.quantity}.`],
    ]) {
      await quantity.fill(typed);
      const verdict = page.locator('#refund-quantity-verdict');
      assert.equal(await verdict.textContent(), why);
      assert.equal(await review.isDisabled(), true, `${typed}: Review disabled`);
      assert.equal(await review.getAttribute('aria-describedby'), 'refund-quantity-verdict', 'the reason, as other disabled controls give it');
      await review.click({ force: true });
      // Field and "of N" on one line, the verdict below both.
      const field = await quantity.boundingBox();
      const of = page.locator('#refund-quantity-hint');
      const ofBox = await of.boundingBox();
      const verdictBox = await verdict.boundingBox();
      assert.ok(Math.abs((ofBox.y + ofBox.height / 2) - (field.y + field.height / 2)) < 4, `"of N" beside the field: ${JSON.stringify([field, ofBox])}`);
      assert.ok(ofBox.x > field.x, '"of N" after the field');
      assert.ok(verdictBox.y >= field.y + field.height - 1, `the verdict below the field: ${JSON.stringify([field, verdictBox])}`);
      assert.equal(await of.evaluate((e) => e.getClientRects().length), 1, '"of N" on one line');
      assert.ok(ofBox.x + ofBox.width <= viewport.width, '"of N" on screen');
    }
    // The policy select fits the screen, its text too.
    const policy = page.getByLabel('Refund policy');
    const box = await policy.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `policy select on screen: ${JSON.stringify(box)}`);
    // Its chosen policy's name, cut by the select at a phone's width, is written out under it there.
    const chosen = page.locator('.policy-chosen');
    const name = await policy.evaluate((s) => s.selectedOptions[0].textContent);
    if (viewport === PHONE) {
      assert.equal(await chosen.textContent(), name);
      const shown = await chosen.boundingBox();
      assert.ok(shown.x + shown.width <= viewport.width && await chosen.evaluate((e) => e.scrollWidth <= e.clientWidth), 'the name whole on screen');
    } else {
      assert.equal(await chosen.isVisible(), false, "the select shows it whole at a laptop's width");
    }
    await page.screenshot({ path: `${SCREENSHOTS}review-refund-${viewport.width}.png`, fullPage: true });
    await page.waitForTimeout(300);
    assert.deepEqual(asked, [], 'no quote asked for an unusable quantity');
    await quantity.fill('1');
    assert.equal(await review.isDisabled(), false);
    await page.context().close();
  }
});

test("an agent opening a customer that is not theirs asks once: one 404, no other failed read", async () => {
  const page = await browser.newPage({ viewport: LAPTOP, token: 'demo-contoso-fabrikam-agent' });
  const failed = [];
  const consoleErrors = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`); });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.goto(`${BASE_URL}/customers/${TAILSPIN}`);
  await page.getByRole('alert').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('[role=alert]').count(), 1);
  assert.deepEqual(failed, [`404 /api/customers/${TAILSPIN}`]);
  assert.ok(consoleErrors.length <= 1, `at most the one 404 in the console: ${consoleErrors}`);
  await page.context().close();
});
