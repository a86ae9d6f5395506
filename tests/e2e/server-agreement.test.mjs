// The server's quote beside the live one on the Refund, Exchange and Buy panels: when they agree
// (as they do on the demo data) the server's is a confirmation mark with words beside the live
// figures, not a second copy of the quote; in English and German, at a laptop's and a phone's
// width, with screenshots of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';

const SIZES = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };
const CONFIRMED = { en: 'Confirmed by the server for today: the same figures.', de: 'Vom Server für heute bestätigt: dieselben Beträge.' };
const SERVER_QUOTE = { en: 'Quote confirmed by the server for today', de: 'Vom Server für heute bestätigtes Angebot' };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function api(path) {
  const response = await fetch(`${BASE_URL}/api${path}`, { headers: { Authorization: 'Bearer demo-admin-agent' } });
  assert.equal(response.status, 200, path);
  return response.json();
}

test('Refund, Exchange and Buy show the server\'s agreeing quote as a mark, once', async () => {
  const customer = (await api('/customers')).find((c) => c.name === 'Woodgrove Bank');
  const r = (await api(`/customers/${customer.id}/reservations`)).find((x) => x.provisioningState === 'Succeeded' && x.reservedResourceType === 'VirtualMachines');
  const panel = (name) => `${BASE_URL}/customers/${customer.id}/reservations/${r.id}/${name}`;
  for (const lang of ['en', 'de']) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const page = await browser.newPage({ viewport, locale: 'en-US' });
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      for (const [name, path] of [['refund', panel('refund')], ['exchange', panel('exchange')], ['buy', `${BASE_URL}/customers/${customer.id}/buy`]]) {
        await page.goto(`${path}?lang=${lang}`);
        if (name === 'refund') await page.locator('#refund-quantity').fill('1');
        const review = name === 'buy' ? page.locator('#buy-review') : page.locator('.panel .actions button').first();
        await review.waitFor();
        await page.waitForTimeout(300);
        await review.click();
        const mark = page.getByRole('status').filter({ hasText: CONFIRMED[lang] });
        await mark.waitFor();
        assert.equal(await mark.locator('.mark').getAttribute('aria-hidden'), 'true', 'the ✓ is decoration: the words say it');
        assert.equal(await page.getByRole('region', { name: SERVER_QUOTE[lang] }).count(), 0, `${name}: the agreeing quote is not shown twice`);
        await mark.scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${SCREENSHOTS}server-agreement-${name}-${lang}-${size}.png`, fullPage: true });
        const widest = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(widest <= viewport.width, `${name} ${lang}: ${widest} px wide on a ${viewport.width} px screen`);
      }
      assert.deepEqual(errors, []);
      await page.close();
    }
  }
});
