// Number fields keep what a partner types: the trade-in's commitment typed key by key as 0.25
// stays 0.25 and is what the quote asks for (not 250), in German 0,25 likewise; a value that
// cannot be used is said beside the field and Review waits. And an error page says its error
// once: an unknown customer's page has one alert, no tabs and no "Try again".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE_URL } from './browser.mjs';

// Seeded IDs (the same on every day): Fabrikam's vm-d4sv5-wes-05, an active VM reservation.
const FABRIKAM = '1c7f8e3b-5a2d-4e9f-8b62-2d3e4f5a6b02';
const VM_D4SV5_WES_05 = 'd7023c92-8749-42d0-ae00-27f07f02bfca';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The Exchange panel of vm-d4sv5-wes-05 in `lang`, with the trade-in chosen. */
async function openTradeIn(lang, tradeIn, minimumText) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${BASE_URL}/customers/${FABRIKAM}/reservations/${VM_D4SV5_WES_05}/exchange?lang=${lang}`);
  await page.getByLabel(tradeIn).check();
  await page.getByText(minimumText).first().waitFor();
  return { page, errors };
}

/** Types `text` into the commitment key by key (a real keyboard), after clearing it. */
async function typeCommitment(page, text) {
  const hourly = page.locator('#plan-hourly');
  await hourly.click();
  await hourly.press('Control+A');
  await hourly.press('Backspace');
  await hourly.pressSequentially(text, { delay: 30 });
  return hourly;
}

/** The hourly commitment the next Review asks the server to quote. */
async function reviewedCommitment(page, review) {
  const asked = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/calculateExchange'));
  await page.getByRole('button', { name: review }).click();
  const body = JSON.parse((await asked).postData());
  return body.savingsPlansToPurchase[0].hourlyCommitment.amount;
}

test('the commitment typed as 0.25 stays 0.25 and is quoted as 0.25', async () => {
  const { page, errors } = await openTradeIn('en', 'Trade in for a savings plan', /^Minimum: /);
  for (const kept of ['0.25', '1.50', '12.5']) {
    const hourly = await typeCommitment(page, kept);
    assert.equal(await hourly.inputValue(), kept);
    assert.equal(await page.locator('#plan-hourly-verdict').count(), 0, kept);
  }
  await typeCommitment(page, '0.25');
  assert.equal(await reviewedCommitment(page, 'Review'), '0.25');
  assert.equal(await page.locator('#plan-hourly').inputValue(), '0.25');

  // A value that cannot be used: kept as typed, said beside the field, Review disabled.
  for (const [refused, why] of [
    ['-5', 'A negative number is not possible here.'],
    ['1e3', 'Write the number out in full, without an exponent (e).'],
    ['0.001', 'Enter at most 2 decimals.'],
  ]) {
    const hourly = await typeCommitment(page, refused);
    assert.equal(await hourly.inputValue(), refused);
    assert.equal(await page.locator('#plan-hourly-verdict').textContent(), why);
    assert.equal(await hourly.getAttribute('aria-invalid'), 'true');
    assert.match(await hourly.getAttribute('aria-describedby'), /\bplan-hourly-verdict\b/);
    assert.equal(await page.getByRole('button', { name: 'Review' }).isDisabled(), true, refused);
  }
  assert.deepEqual(errors, []);
});

test('a quantity typed as 1.5 is kept and refused in words, with Review disabled', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
  await page.goto(`${BASE_URL}/customers/${FABRIKAM}/reservations/${VM_D4SV5_WES_05}/exchange`);
  const quantity = page.locator('#exchange-return');
  for (const [refused, why] of [
    ['1.5', 'Enter a whole number, without decimals.'],
    ['-5', 'A negative number is not possible here.'],
    ['1e3', 'Write the number out in full, without an exponent (e).'],
  ]) {
    await quantity.click();
    await quantity.press('Control+A');
    await quantity.press('Backspace');
    await quantity.pressSequentially(refused, { delay: 30 });
    assert.equal(await quantity.inputValue(), refused);
    assert.equal(await page.locator('#exchange-return-verdict').textContent(), why);
    assert.equal(await page.getByRole('button', { name: 'Review' }).isDisabled(), true, refused);
  }
});

test('in German the commitment 0,25 is kept and quoted as 0,25 $ an hour', async () => {
  const { page, errors } = await openTradeIn('de', 'Gegen einen Sparplan eintauschen', /^Mindestens /);
  const hourly = await typeCommitment(page, '0,25');
  assert.equal(await hourly.inputValue(), '0,25');
  assert.equal(await page.locator('#plan-hourly-verdict').count(), 0);
  const review = await page.locator('.actions button').first().textContent();
  assert.equal(await reviewedCommitment(page, review.trim()), '0.25');
  assert.equal(await hourly.inputValue(), '0,25');
  await typeCommitment(page, '0,001');
  assert.equal(await page.locator('#plan-hourly-verdict').textContent(), 'Geben Sie höchstens 2 Dezimalstellen ein.');
  assert.equal(await page.locator('.actions button').first().isDisabled(), true);
  assert.deepEqual(errors, []);
});

test("an unknown customer's page says so once, without tabs and without Try again", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE_URL}/customers/does-not-exist`);
  const alert = page.getByRole('alert');
  await alert.first().waitFor();
  // Give the other reads time to answer too: none of them may add a second alert.
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('[role=alert]').count(), 1);
  assert.equal(await alert.textContent(), 'It does not exist, or it is not yours to see.');
  assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
  assert.equal(await page.getByRole('tab').count(), 0);
});

test('thousands as each language groups them: 1.000,50 in German and 1,000.50 in English are quoted as 1000.50; 0.250 in German is refused', async () => {
  for (const [lang, tradeIn, minimum, typed, refused, why] of [
    ['de', 'Gegen einen Sparplan eintauschen', /^Mindestens /, ['1.000', '1.000,50'], '0.250',
      'Schreiben Sie Tausender in Dreiergruppen mit Punkt (1.000,50) oder ohne Trennzeichen (1000,50); das Dezimaltrennzeichen ist das Komma.'],
    ['en', 'Trade in for a savings plan', /^Minimum: /, ['1,000', '1,000.50'], '1,00',
      'Write thousands in groups of three with a comma (1,000.50), or with no separator (1000.50); the decimal separator is the point.'],
  ]) {
    const { page, errors } = await openTradeIn(lang, tradeIn, minimum);
    const review = async () => (await page.locator('.actions button').first().textContent()).trim();
    const [thousand, andAHalf] = typed;
    await typeCommitment(page, thousand);
    assert.equal(await page.locator('#plan-hourly-verdict').count(), 0, thousand);
    assert.equal(await reviewedCommitment(page, await review()), '1000', `${lang}: ${thousand} is a thousand`);
    await typeCommitment(page, andAHalf);
    assert.equal(await reviewedCommitment(page, await review()), '1000.5', `${lang}: ${andAHalf}`);
    await typeCommitment(page, refused);
    assert.equal(await page.locator('#plan-hourly-verdict').textContent(), why, `${lang}: ${refused}`);
    assert.equal(await page.locator('.actions button').first().isDisabled(), true);
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});
