// A server of a test file's own, for a walk that needs the server started with other flags than
// the shared e2e server's (an approval threshold, the demo clock): the debug build serving the
// release build of the app, on a free loopback port, over a database of its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const SERVER_BIN = process.env.SERVER_BIN ?? join(ROOT, 'target/debug/reservation-desk-server');
const STATIC_DIR = process.env.STATIC_DIR ?? join(ROOT, 'dist');

/**
 * Starts the server with `flags` besides its address, database and app; resolves
 * `{ url, stop }` once it says where it listens (`stop` ends it and removes its database).
 */
export function startOwnServer(name, flags) {
  const dir = mkdtempSync(join(tmpdir(), `desk-${name}-`));
  const server = spawn(SERVER_BIN, [
    '--listen', '127.0.0.1:0', '--database', `sqlite://${dir}/${name}.sqlite`, '--static-dir', STATIC_DIR, ...flags,
  ], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let log = '';
    const read = (chunk) => {
      log += chunk;
      const found = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) resolve({ url: found[1], stop });
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${log}`)));
  });
}
