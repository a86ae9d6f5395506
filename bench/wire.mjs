// Bytes on the wire for the customer list's first load, as Chromium receives them with its
// cache disabled: for the server build served by reservation-desk-server (precompressed brotli
// or gzip, whichever Chromium accepts), and for the GitHub Pages build served with gzip, as
// Pages serves it. The computed sizes in bench/report.mjs are local `gzip -9`/brotli of the
// files; these are what the browser was sent.
// Usage: node bench/wire.mjs <app URL> [<Pages dist> <Pages prefix>]
//   e.g. node bench/wire.mjs http://127.0.0.1:3927 target/bench-pages-dist /reservation-desk
// Prints a Markdown table; exits non-zero if a load did not reach the customer list.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch } from '../tests/e2e/browser.mjs';

const [appUrl, pagesDist, pagesPrefix = ''] = process.argv.slice(2);
if (!appUrl) throw new Error('usage: node bench/wire.mjs <app URL> [<Pages dist> <Pages prefix>]');
const ROWS = 'table.data-table tbody tr';

/** What a request is, from its URL. */
function kindOf(url, isDocument) {
  const path = new URL(url).pathname;
  if (isDocument) return 'html';
  if (path.includes('/api/')) return 'api';
  return { '.wasm': 'wasm', '.js': 'js', '.css': 'css', '.html': 'html' }[extname(path)] ?? 'other';
}

/**
 * Loads `url` in a fresh context with the cache disabled, waits for the customer list's rows,
 * and returns per kind: encoded body bytes (Resource Timing's encodedBodySize), bytes received
 * including headers (CDP's encodedDataLength), decoded bytes, and the Content-Encodings seen.
 */
async function firstLoad(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map();
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    requests.set(requestId, {
      url: response.url, document: type === 'Document', status: response.status,
      encoding: headers['content-encoding'] ?? 'identity', received: 0,
    });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const request = requests.get(requestId);
    if (request) request.received = encodedDataLength;
  });
  await page.goto(url);
  await page.waitForSelector(ROWS, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  const timing = await page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map((e) => ({
      url: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize, transfer: e.transferSize,
    })));
  await context.close();

  const rows = {};
  for (const request of requests.values()) {
    const kind = kindOf(request.url, request.document);
    const row = (rows[kind] ??= { encoded: 0, received: 0, decoded: 0, encodings: new Set(), count: 0 });
    const entry = timing.find((t) => t.url === request.url);
    if (!entry) throw new Error(`no Resource Timing entry for ${request.url}`);
    row.encoded += entry.encoded;
    row.decoded += entry.decoded;
    row.received += request.received;
    row.encodings.add(request.encoding);
    row.count += 1;
    if (kind === 'other') (row.paths ??= []).push(new URL(request.url).pathname);
  }
  return rows;
}

/** Serves `dir` under `prefix` like GitHub Pages: files, else 404.html with status 404, gzip when accepted. */
async function gzipPagesServer(dir, prefix) {
  const TYPES = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
    '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
  };
  const fileFor = async (urlPath) => {
    if (!urlPath.startsWith(prefix)) return null;
    let relative = decodeURIComponent(urlPath.slice(prefix.length));
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const path = normalize(join(dir, relative));
    if (!path.startsWith(normalize(dir))) return null;
    try { return (await stat(path)).isFile() ? path : null; } catch { return null; }
  };
  const server = createServer(async (request, response) => {
    const path = await fileFor(new URL(request.url, 'http://localhost').pathname);
    const served = path ?? join(dir, '404.html');
    let body = await readFile(served);
    const headers = { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream', vary: 'accept-encoding' };
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      body = gzipSync(body); // zlib's default level 6
      headers['content-encoding'] = 'gzip';
    }
    response.writeHead(path ? 200 : 404, headers);
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const kib = (n) => (n / 1024).toFixed(1);
const KINDS = ['html', 'wasm', 'js', 'css', 'other', 'api'];

function print(title, rows) {
  console.log(`\n| ${title} | requests | encoding | body on the wire (KiB) | with headers (KiB) | decoded (KiB) |`);
  console.log('|---|---|---|---|---|---|');
  const total = { encoded: 0, received: 0, decoded: 0, count: 0 };
  for (const kind of KINDS) {
    const row = rows[kind];
    if (!row) continue;
    const label = row.paths ? `${kind} (${row.paths.join(', ')})` : kind;
    console.log(`| ${label} | ${row.count} | ${[...row.encodings].join(', ')} | ${kib(row.encoded)} | ${kib(row.received)} | ${kib(row.decoded)} |`);
    if (kind === 'api') continue;
    for (const key of ['encoded', 'received', 'decoded', 'count']) total[key] += row[key];
  }
  console.log(`| **the app (all but api)** | ${total.count} | | **${kib(total.encoded)}** | ${kib(total.received)} | ${kib(total.decoded)} |`);
  return total;
}

const browser = await launch();
try {
  const server = await firstLoad(browser, `${appUrl}/customers`);
  const serverTotal = print('server build, reservation-desk-server, Chromium cache off', server);
  console.log(`WIRE_SERVER_KIB=${kib(serverTotal.encoded)}`);
  if (pagesDist) {
    const pages = await gzipPagesServer(pagesDist, pagesPrefix);
    try {
      const url = `http://127.0.0.1:${pages.address().port}${pagesPrefix}/customers`;
      const pagesTotal = print('Pages build, gzip as GitHub Pages sends it, Chromium cache off', await firstLoad(browser, url));
      console.log(`WIRE_PAGES_KIB=${kib(pagesTotal.encoded)}`);
    } finally {
      pages.close();
    }
  }
} finally {
  await browser.close();
}
