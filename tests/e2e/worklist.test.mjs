// Worklist: the Admin agent opens the Worklist from the header and sees the demo's rows in the
// desk's order, which the page says (the money at stake, weighted for a little-used reservation
// losing its free exchange; a row ranked by a weighted figure says so), or sorted by the figure
// shown; regions by name; one Actions button a row, so a row is as high as its text; snoozes one (it leaves the open rows), marks another done, gives a
// third an owner and a note, reloads (all of it stays) and finds both under "All" with their
// state; downloads the filtered rows as CSV (BOM, header, the snoozed row with its ISO day,
// plain amounts); prints without the controls; opens the 1 February 2027 campaign, whose
// total is the sum of its customers and of its reservations' rows. A Sales agent sees the
// controls disabled, and why. axe finds nothing, light or dark; screenshots at 1366×900 and
// 390×844, English and German. Both builds: the server's and the static one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, SCREENSHOTS, BASE_URL } from './browser.mjs';
import { schemeViolations, assertNoViolations } from './axe.mjs';

const PAGES_URL = process.env.PAGES_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ROWS = '.worklist-table tbody tr';

/** An amount as the page writes it in English (`$1,234.50`), in cents. */
const cents = (text) => {
  const m = text.match(/\$([\d,]+)\.(\d{2})/);
  assert.ok(m, `an amount in ${JSON.stringify(text)}`);
  return Number(m[1].replace(/,/g, '')) * 100 + Number(m[2]);
};

/** The figure a row is ranked by in the desk's order, in cents: its "ranked as" line when it
 * has one, else the USD figure it shows; `null` for a row without one (listed last). */
async function rankOf(row) {
  const cell = row.locator('td.stake');
  for (const line of ['.ranked', '.usd']) {
    if (await cell.locator(line).count()) return cents(await cell.locator(line).textContent());
  }
  const shown = await cell.locator('span').first().textContent();
  return /\$/.test(shown) ? cents(shown) : null;
}

/** The USD figure a row shows, in cents (`null` for none). */
async function shownOf(row) {
  const cell = row.locator('td.stake');
  if (await cell.locator('.usd').count()) return cents(await cell.locator('.usd').textContent());
  const shown = await cell.locator('span').first().textContent();
  return /\$/.test(shown) ? cents(shown) : null;
}

/** Most first, rows without a figure last. */
function assertDescending(figures, what) {
  const known = figures.filter((f) => f !== null);
  assert.deepEqual(figures.slice(0, known.length), known, `${what}: rows without a figure come last`);
  for (let i = 1; i < known.length; i += 1) assert.ok(known[i - 1] >= known[i], `${what}: row ${i}: ${known[i - 1]} before ${known[i]}`);
}

/** Opens a row's Actions and chooses `name` among them. */
async function act(row, name) {
  await row.getByRole('button', { name: 'Actions' }).click();
  await row.getByRole('group', { name: 'Actions' }).getByRole('button', { name }).click();
}

/** "Showing 12 of 86" as [12, 86], once every row is read (the first page says it is reading). */
async function count(page) {
  await page.locator('#worklist-count:not([aria-busy])').waitFor();
  const text = await page.locator('#worklist-count').textContent();
  const m = text.match(/^Showing ([\d,]+) of ([\d,]+)$/);
  assert.ok(m, text);
  return [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))];
}

async function worklistWalk(base, shots) {
  const context = await browser.newContext({ token: 'demo-admin-agent', viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/customers`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Worklist' }).click();
  await page.getByRole('heading', { name: 'Worklist', level: 1 }).waitFor();
  const rows = page.locator(ROWS);
  await rows.first().waitFor();
  const [shown, total] = await count(page);
  assert.equal(shown, total, 'the demo has fewer rows than a page');
  assert.equal(await rows.count(), shown);
  assert.ok(total > 20, `the demo's open rows: ${total}`);
  assert.equal(await page.getByLabel('State').inputValue(), 'open', 'open rows at first');
  // Most at stake first (the desk's order), each row worded with its figures.
  const first = rows.first();
  assert.match(await first.locator('td.wide').textContent(), /Free exchanges end|Renews into no exchange/);
  assert.match(await first.locator('td.due').textContent(), /^[A-Z][a-z]{2} \d{1,2}, \d{4}(in [\d,]+ days?|today|[\d,]+ days? overdue)$/);
  await page.screenshot({ path: `${SCREENSHOTS}${shots}worklist.png` });
  const violations = await schemeViolations(page, 'Worklist');

  // The order is the desk's, and the page says what it is: each row's ranking figure (a
  // weighted one said under its amount) is no more than the one before.
  assert.match(await page.locator('.worklist-intro').textContent(), /weighted by how little it was used over 30 days \(an unused one counts up to twice\)/);
  const all = await rows.all();
  assertDescending(await Promise.all(all.map(rankOf)), 'the desk\'s order');
  const ranked = page.locator(`${ROWS} td.stake .ranked`);
  assert.ok(await ranked.count() > 0, 'the demo has rows ranked by a weighted figure');
  assert.match(await ranked.first().textContent(), /^ranked as \$[\d,]+\.\d{2}: weighted for low use$/);
  // Sorted by the figure shown: most first, whatever the weighting.
  await page.getByLabel('Sort by').selectOption({ label: 'Money at stake (as shown)' });
  assertDescending(await Promise.all((await rows.all()).map(shownOf)), 'as shown');
  await page.getByLabel('Sort by').selectOption({ label: 'Priority (money at stake, weighted)' });
  // Regions by name, as every other page names them.
  for (const sku of await page.locator(`${ROWS} .sku`).allTextContents()) {
    assert.doesNotMatch(sku, /· [a-z0-9]+$/, `a region by its code: ${sku}`);
  }
  await page.locator(`${ROWS} .sku`).getByText(/ · West Europe$/).first().waitFor();
  // One Actions button a row (its actions fold under it): no row is taller than its text.
  assert.equal(await first.locator('td.worklist-controls button').count(), 1);
  const controls = Math.max(...await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td.worklist-controls button').getBoundingClientRect().height)));
  assert.ok(controls < 40, `the Actions button is ${controls} px high`);
  // The controls are never what makes a row tall: lower than the reason and its words beside them.
  const taller = await rows.evaluateAll((trs) => trs.filter((tr) => {
    const top = tr.getBoundingClientRect().top;
    const why = Math.max(...[...tr.querySelector('td.wide').children].map((c) => c.getBoundingClientRect().bottom)) - top;
    return tr.querySelector('td.worklist-controls button').getBoundingClientRect().bottom - top > why;
  }).map((tr) => tr.dataset.id));
  assert.deepEqual(taller, [], 'rows the controls make taller');
  // Opened by the keyboard: focus on its first action; Escape folds it back onto the button.
  await first.getByRole('button', { name: 'Actions' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await first.getByRole('button', { name: 'Actions' }).getAttribute('aria-expanded'), 'true');
  await page.waitForFunction((id) => document.activeElement === document.querySelector(`tr[data-id="${id}"] .worklist-menu button`), await first.getAttribute('data-id'));
  await page.keyboard.press('Escape');
  await first.getByRole('group', { name: 'Actions' }).waitFor({ state: 'detached' });
  assert.equal(await first.getByRole('button', { name: 'Actions' }).getAttribute('aria-expanded'), 'false');

  // Snooze the first row: a week ahead by default, never before tomorrow; it leaves the open rows.
  const snoozedId = await first.getAttribute('data-id');
  await act(first, 'Snooze');
  const day = first.getByLabel('Snooze until');
  await day.waitFor();
  assert.ok(await day.evaluate((d) => d === document.activeElement), 'the date has focus');
  const [weekAhead, tomorrow] = [await day.inputValue(), await day.getAttribute('min')];
  assert.ok(tomorrow < weekAhead, `${tomorrow} < ${weekAhead}`);
  await page.locator(`tr[data-id="${snoozedId}"] form`).getByRole('button', { name: 'Snooze' }).click();
  await page.locator(`tr[data-id="${snoozedId}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(await count(page), [total - 1, total - 1]);

  // Done on the next.
  const doneId = await rows.first().getAttribute('data-id');
  await act(rows.first(), 'Done');
  await page.locator(`tr[data-id="${doneId}"]`).waitFor({ state: 'detached' });

  // An owner and a note, by keyboard: the form opens with focus in the owner's field.
  const ownedRow = rows.first();
  const ownedId = await ownedRow.getAttribute('data-id');
  await act(ownedRow, 'Owner and note');
  await page.keyboard.type('Robin');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Call the customer on Monday');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const owned = page.locator(`tr[data-id="${ownedId}"]`);
  await owned.getByText('Owner: Robin').waitFor();
  await owned.getByText('Call the customer on Monday').waitFor();
  // Escape closes a form and gives focus back to the row's Actions button.
  await act(owned, 'Snooze');
  await owned.getByLabel('Snooze until').waitFor();
  await page.keyboard.press('Escape');
  await owned.getByLabel('Snooze until').waitFor({ state: 'detached' });
  await page.waitForFunction((id) => document.activeElement === document.querySelector(`tr[data-id="${id}"] td.worklist-controls button`), ownedId);
  await page.getByLabel('Owner').selectOption({ label: 'Robin' });
  assert.deepEqual(await count(page), [1, 1], 'the owner filter shows Robin\'s row alone');
  await page.getByLabel('Owner').selectOption({ label: 'All' });

  // A reload keeps all three: neither the snoozed nor the done row is open; under "All" they are.
  await page.reload();
  await rows.first().waitFor();
  assert.equal(await page.locator(`tr[data-id="${snoozedId}"]`).count(), 0);
  assert.equal(await page.locator(`tr[data-id="${doneId}"]`).count(), 0);
  await page.locator(`tr[data-id="${ownedId}"]`).getByText('Owner: Robin').waitFor();
  await page.getByLabel('State').selectOption('all');
  const snoozed = page.locator(`tr[data-id="${snoozedId}"]`);
  await snoozed.waitFor();
  assert.match(await snoozed.locator('td.work-state').textContent(), /^Snoozed until [A-Z][a-z]{2} \d{1,2}, \d{4}/);
  await snoozed.getByRole('button', { name: 'Actions' }).click();
  assert.equal(await snoozed.getByRole('button', { name: 'Reopen' }).count(), 1);
  await snoozed.getByRole('button', { name: 'Actions' }).click();
  assert.equal(await page.locator(`tr[data-id="${doneId}"] td.work-state`).textContent(), 'Done');

  // The search narrows to what it names, at once.
  const customer = (await page.locator(`tr[data-id="${ownedId}"] th a`).first().textContent()).trim();
  await page.getByLabel('Search').fill(customer.toLowerCase());
  for (const text of await rows.locator('th').allTextContents()) assert.ok(text.includes(customer), text);
  await page.getByLabel('Search').fill('');

  // The CSV of the filtered rows (every state now): BOM, header, the snoozed row with its day.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  assert.match(download.suggestedFilename(), /^worklist-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const lines = bytes.toString('utf8').slice(1).split('\r\n');
  assert.equal(lines[0], 'Row ID,Customer,Reservation,SKU and region,Reason,Why,At stake,Currency,At stake (USD),About the amount,Due,Days left,Next step,Link,State,Snoozed until,Owner,Note');
  assert.equal(lines.length - 2, (await count(page))[1], 'one line per row filtered');
  const line = lines.find((l) => l.startsWith(`${snoozedId},`));
  assert.ok(line, `a line for ${snoozedId}`);
  assert.ok(line.includes(`,Snoozed,${weekAhead},`), line);
  // Amounts as plain decimals with a point, the currency apart; the Why (with its commas) quoted.
  assert.match(line, /^[^,]+,[^,]+,[^,]*,[^,]*,[^,]+,"[^"]+",\d+\.\d{2},[A-Z]{3},\d+\.\d{2},[^,]*,\d{4}-\d{2}-\d{2},-?\d+,[^,]+,https?:\/\/[^,]+\/customers\//);

  // Print: the filters and the controls go.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('button', { name: 'Download CSV' }).isVisible(), false);
  assert.equal(await page.locator('.worklist-controls').first().isVisible(), false);
  assert.ok(await page.locator('.print-title').isVisible());
  await page.emulateMedia({ media: 'screen' });

  // The campaign: its total is the sum of its customers, and of its reservations' rows.
  await page.getByRole('button', { name: /^Feb 1, 2027 campaign$/ }).click();
  const campaign = page.getByRole('region', { name: 'Feb 1, 2027 campaign' });
  const said = await campaign.locator('.campaign-total').textContent();
  const m = said.match(/^(\d+) reservations? in (\d+) customers?, (\$[\d,]+\.\d{2}) of remaining commitment, loses? (its|their) free exchange in (\d+) days?\.$/);
  assert.ok(m, said);
  // What the totals count, and what the list's count is made of.
  await campaign.getByText(/^These totals count the reservations whose free exchange ends, whatever their row's state/).waitFor();
  const byReason = (await page.locator('.worklist-reasons').textContent()).match(/^The rows listed, by reason: (.+)\.$/);
  assert.ok(byReason, 'the campaign\'s rows by reason');
  const parts = byReason[1].split(' · ').map((p) => p.match(/^(.+): ([\d,]+)$/));
  assert.ok(parts.every(Boolean), byReason[1]);
  assert.equal(parts.reduce((n, p) => n + Number(p[2].replace(/,/g, '')), 0), (await count(page))[1], 'the reasons add up to the rows listed');
  const perCustomer = await campaign.locator('tbody tr').all();
  assert.equal(perCustomer.length, Number(m[2]));
  let sum = 0;
  let reservations = 0;
  for (const row of perCustomer) {
    sum += cents(await row.locator('td.campaign-amount').textContent());
    reservations += Number(await row.locator('td').first().textContent());
  }
  assert.equal(sum, cents(m[3]), 'the customers add up to the total');
  assert.equal(reservations, Number(m[1]));
  // Its reservations' rows (every state): as many, adding up to the same (the demo bills in USD).
  await page.getByLabel('Reason').selectOption({ label: 'Free exchanges end' });
  assert.deepEqual(await count(page), [Number(m[1]), Number(m[1])]);
  let rowsSum = 0;
  // A row billed in another currency shows the USD figure the campaign counts beside its own.
  for (const cell of await rows.locator('td.stake').all()) {
    rowsSum += cents(await (await cell.locator('.usd').count() ? cell.locator('.usd') : cell).textContent());
  }
  assert.equal(rowsSum, cents(m[3]), 'the rows add up to the total');
  // Each links to its Overview, where keeping, exchanging and trading in are compared.
  const compare = rows.first().getByRole('link', { name: 'Keep, exchange or trade in' });
  assert.match(await compare.getAttribute('href'), /\/customers\/[0-9a-f-]+\/reservations\/[0-9a-f-]+$/);
  await page.screenshot({ path: `${SCREENSHOTS}${shots}worklist-campaign.png` });
  violations.push(...await schemeViolations(page, 'Worklist, campaign'));
  assertNoViolations(violations);

  // Open the snoozed row again, so a second walk finds the list as it was.
  await page.getByRole('button', { name: 'Whole worklist' }).click();
  await page.getByLabel('Reason').selectOption({ label: 'All' });
  await act(page.locator(`tr[data-id="${snoozedId}"]`), 'Reopen');
  await page.locator(`tr[data-id="${snoozedId}"] td.work-state`).getByText('Open').waitFor();
  await act(page.locator(`tr[data-id="${doneId}"]`), 'Reopen');
  await page.locator(`tr[data-id="${doneId}"] td.work-state`).getByText('Open').waitFor();
  await act(page.locator(`tr[data-id="${ownedId}"]`), 'Owner and note');
  await page.locator(`tr[data-id="${ownedId}"]`).getByLabel('Owner').fill('');
  await page.locator(`tr[data-id="${ownedId}"]`).getByLabel('Note').fill('');
  await page.locator(`tr[data-id="${ownedId}"]`).getByRole('button', { name: 'Save' }).click();
  await page.locator(`tr[data-id="${ownedId}"]`).getByText('Owner: Robin').waitFor({ state: 'detached' });

  // The audit log words each mark in the user's language.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByText(/^Worklist row '[^']+' of reservation \S+ snoozed until [A-Z][a-z]{2} \d{1,2}, \d{4}$/).first().waitFor();
  // Its row says what the resource is (never the row's raw key) and who by name, the e-mail on hover.
  const snoozeEntry = page.getByRole('row').filter({ hasText: /^.*Worklist row '[^']+' of reservation \S+ snoozed until/ }).first();
  const resource = await snoozeEntry.locator('td.audit-target').textContent();
  assert.match(resource, /^Worklist row(Free exchanges end|Renews into no exchange|Final exchange|[A-Z][a-z ]+)( · .+)?$/);
  assert.doesNotMatch(resource, /[a-zA-Z]+:[0-9a-f-]{8,}/, 'no raw key');
  const who = snoozeEntry.locator('td.who span[title]');
  assert.equal(await who.textContent(), 'Adam Agent');
  assert.equal(await who.getAttribute('title'), 'adam.agent@partner.example');
  await page.getByText(/^Worklist row '[^']+'( of reservation \S+)? marked done$/).first().waitFor();
  await page.getByText(/^Worklist row '[^']+'( of reservation \S+)? set to open; owner Robin; note: Call the customer on Monday$/).first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();

  // A phone, in German.
  const phone = await browser.newContext({ token: 'demo-admin-agent', viewport: { width: 390, height: 844 }, locale: 'de-DE' });
  const small = await phone.newPage();
  await small.goto(`${base}/worklist?lang=de`);
  await small.getByRole('heading', { name: 'Arbeitsliste', level: 1 }).waitFor();
  await small.locator(ROWS).first().waitFor();
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= 390), 'nothing wider than the phone');
  await small.screenshot({ path: `${SCREENSHOTS}${shots}worklist-phone-de.png` });
  await small.locator(ROWS).first().scrollIntoViewIfNeeded();
  await small.screenshot({ path: `${SCREENSHOTS}${shots}worklist-phone-de-rows.png` });
  await phone.close();
  const german = await browser.newContext({ token: 'demo-admin-agent', viewport: { width: 1366, height: 900 }, locale: 'de-DE' });
  const wide = await german.newPage();
  await wide.goto(`${base}/worklist?lang=de`);
  await wide.locator(ROWS).first().waitFor();
  await wide.screenshot({ path: `${SCREENSHOTS}${shots}worklist-de.png` });
  assert.ok(await wide.evaluate(() => { const s = document.querySelector('.table-scroll'); return s.scrollWidth <= s.clientWidth; }),
    'every column fits 1366 px in German, the controls too');
  await german.close();
}

async function salesWalk(base) {
  const context = await browser.newContext({ token: 'demo-sales-agent', viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${base}/worklist`);
  const rows = page.locator(ROWS);
  await rows.first().waitFor();
  const why = page.locator('#worklist-why-not');
  await why.waitFor();
  assert.match(await why.textContent(), /^Your role \(Sales agent\) may not do this\. .*need Admin agent or Global admin\.$/);
  const button = rows.first().getByRole('button', { name: 'Actions' });
  assert.ok(await button.isDisabled(), 'Actions is disabled');
  assert.equal(await button.getAttribute('aria-describedby'), 'worklist-why-not');
  await context.close();
}

test('server build: the Admin agent works the worklist, exports it and reads the campaign', () => worklistWalk(BASE_URL, ''));

test('server build: a Sales agent reads the worklist, its controls disabled and why', () => salesWalk(BASE_URL));

// The first page of open rows shows while every row is read: the filters, search and CSV wait,
// saying so; a row marked meanwhile keeps its mark when the whole list (answered before the
// mark) replaces the page's rows, and a form opened meanwhile stays open.
test('server build: the first open rows show at once, the filters wait for every row, a mark made meanwhile stays, a form opened meanwhile too', async () => {
  const context = await browser.newContext({ token: 'demo-admin-agent', viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const asked = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname === '/api/worklist') asked.push(u.search); });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route((url) => url.pathname === '/api/worklist' && url.search === '', async (route) => {
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  await page.goto(`${BASE_URL}/worklist`);
  const rows = page.locator(ROWS);
  await rows.first().waitFor();
  const status = page.locator('#worklist-count');
  assert.equal(await status.getAttribute('aria-busy'), 'true');
  const m = (await status.textContent()).match(/^Showing the first ([\d,]+) of ([\d,]+) open rows\. Reading every row for the filters, search and CSV…$/);
  assert.ok(m, await status.textContent());
  assert.equal(Number(m[1]), await rows.count());
  assert.ok(await page.getByLabel('Search').isDisabled(), 'search waits for every row');
  assert.ok(await page.getByLabel('State').isDisabled(), 'the state filter waits');
  assert.ok(await page.getByRole('button', { name: 'Download CSV' }).isDisabled(), 'the CSV waits');
  assert.deepEqual(asked.slice(0, 1), ['?state=open&top=100'], 'the first page asked for first');
  // A row marked done on the first page, before the whole list (already answered) arrives.
  const doneId = await rows.first().getAttribute('data-id');
  await act(rows.first(), 'Done');
  await page.locator(`tr[data-id="${doneId}"]`).waitFor({ state: 'detached' });
  // A snooze form opened meanwhile, its date typed: every row arriving does not close it.
  const snoozedId = await rows.first().getAttribute('data-id');
  const snoozedRow = page.locator(`tr[data-id="${snoozedId}"]`);
  await act(snoozedRow, 'Snooze');
  const day = snoozedRow.locator('form.worklist-form input[type=date]');
  const min = await day.getAttribute('min');
  await day.fill(min);
  release();
  await page.locator('#worklist-count:not([aria-busy])').waitFor();
  assert.ok(await page.getByLabel('Search').isEnabled());
  assert.equal(await page.locator(`tr[data-id="${doneId}"]`).count(), 0, 'the row marked meanwhile is not open again');
  const form = page.locator(`tr[data-id="${snoozedId}"] form.worklist-form`);
  assert.equal(await form.locator('input[type=date]').inputValue(), min, 'the form opened meanwhile is still open, as typed');
  await form.getByRole('button', { name: 'Snooze' }).click();
  await page.locator(`tr[data-id="${snoozedId}"]`).waitFor({ state: 'detached' });
  await page.getByLabel('State').selectOption('done');
  assert.equal(await page.locator(`tr[data-id="${doneId}"] td.work-state`).textContent(), 'Done');
  await page.screenshot({ path: `${SCREENSHOTS}worklist-done-meanwhile.png` });
  await context.close();
});

// Every row could not be read (a gateway's 503): the first page stays, with the error and a
// retry that reads them.
test('server build: every row failing to arrive leaves the first page, saying so, and Try again reads them', async () => {
  const context = await browser.newContext({ token: 'demo-admin-agent', viewport: { width: 1366, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  let refused = 0;
  await page.route((url) => url.pathname === '/api/worklist' && url.search === '', async (route) => {
    if (refused++ === 0) {
      await route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', detail: 'The gateway timed out.', status: 503 }) });
    } else {
      await route.continue();
    }
  });
  await page.goto(`${BASE_URL}/worklist`);
  const rows = page.locator(ROWS);
  await page.getByRole('button', { name: 'Try again' }).waitFor();
  const shown = await rows.count();
  assert.ok(shown > 0, 'the first page stays');
  assert.match(await page.locator('main').textContent(), /The gateway timed out\./);
  assert.ok(await page.getByLabel('Search').isDisabled(), 'the filters still wait for every row');
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.locator('#worklist-count:not([aria-busy])').waitFor();
  assert.ok(await page.getByLabel('Search').isEnabled());
  assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
  assert.equal(refused, 2, 'asked again once');
  await context.close();
});

test('static build with the in-browser backend: the same walk', { skip: !PAGES_URL && 'PAGES_URL not set' },
  () => worklistWalk(PAGES_URL, 'pages-'));

test('static build: a Sales agent, the same', { skip: !PAGES_URL && 'PAGES_URL not set' }, () => salesWalk(PAGES_URL));
