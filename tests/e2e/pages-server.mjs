// A static file server that behaves like GitHub Pages for a project site: files under
// /<prefix>/ come from a folder, and any unknown path gets 404.html with status 404
// (no other SPA rewrite). Usage: node pages-server.mjs <dir> <prefix> <port>
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const [dir, prefix, port] = process.argv.slice(2);
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
};

async function fileFor(urlPath) {
  if (!urlPath.startsWith(prefix)) return null;
  let relative = decodeURIComponent(urlPath.slice(prefix.length));
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const path = normalize(join(dir, relative));
  if (!path.startsWith(normalize(dir))) return null;
  try { return (await stat(path)).isFile() ? path : null; } catch { return null; }
}

createServer(async (request, response) => {
  const urlPath = new URL(request.url, 'http://localhost').pathname;
  const path = await fileFor(urlPath);
  const served = path ?? join(dir, '404.html');
  response.writeHead(path ? 200 : 404, { 'content-type': TYPES[extname(served)] ?? 'application/octet-stream' });
  response.end(await readFile(served));
}).listen(Number(port), '127.0.0.1');
