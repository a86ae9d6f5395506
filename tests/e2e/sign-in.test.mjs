// Demo sign-in: signed out you land on the sign-in page; the role shows in the header; a
// Sales agent can quote but the Submit refund button is disabled with the reason, and the
// server refuses the return too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a Sales agent signs in, quotes, and cannot submit a refund', async () => {
  const page = await browser.newPage({ token: '', viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE_URL}/customers`);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.screenshot({ path: SCREENSHOTS + 'sign-in.png', fullPage: true });
  await page.getByRole('button', { name: /Sam Sales/ }).click();
  await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  await page.getByText('Sam Sales · Sales agent').waitFor();

  await page.getByRole('link', { name: 'Fabrikam Inc' }).click();
  await page.getByLabel('Status').selectOption('Succeeded');
  await page.locator('tbody tr th a').first().click();
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('link', { name: 'Refund' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText('Confirmed by the server for today: the same figures.').waitFor();
  const submit = page.getByRole('button', { name: 'Submit refund' });
  assert.equal(await submit.isDisabled(), true);
  assert.equal(await submit.getAttribute('title'), 'Your role (Sales agent) may not do this.');
  await page.screenshot({ path: SCREENSHOTS + 'sales-agent-refund.png', fullPage: true });

  // The server is the guard: the same request with the Sales agent's token is a 403.
  const status = await page.evaluate(async () => {
    const response = await fetch('/api/reservationOrders/x/return', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo-sales-agent' },
      body: JSON.stringify({ sessionId: 'x', returnReason: 'x' }),
    });
    return response.status;
  });
  assert.equal(status, 403);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
});

test('when the server cannot say how to sign in, the page says so and Try again asks again; no demo users meanwhile', async () => {
  const page = await browser.newPage({ token: '', viewport: { width: 1280, height: 900 } });
  let answered = 0;
  let blocked = true;
  await page.route('**/api/config', (route) => {
    if (blocked) return route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' });
    answered += 1;
    return route.continue();
  });
  await page.goto(`${BASE_URL}/sign-in`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /The server could not be reached/);
  assert.equal(await page.getByRole('button', { name: /Sam Sales/ }).count(), 0, 'no demo user offered while unknown');
  await page.screenshot({ path: SCREENSHOTS + 'sign-in-unavailable.png' });
  blocked = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('button', { name: /Sam Sales/ }).waitFor();
  assert.equal(answered, 1);
  await page.context().close();
});
