// The desk in Azure mode over stand-ins of Partner Center and ARM
// (crates/server/tests/azure_walk_server.rs), started through cargo: the stand-ins are Rust test
// modules, and the native tests of scripts/test.sh have built that test binary. Shared by the
// browser walks of Azure mode.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * Starts the Azure-mode server with `env` added (e.g. `AZURE_WALK_READ_ONLY: 'true'`) and waits
 * for its `AZURE_WALK … TOKEN … ADMIN …` line. Resolves to `{ base, token, admin, stop }`: the
 * Admin agent's token and the Global admin's.
 */
export function startAzureWalk(env = {}) {
  // The package and feature selection of scripts/test.sh's native tests (`--workspace`,
  // `postgres-tests`), so the test binary they built is fresh (`-p reservation-desk-server`
  // alone, or other features, rebuilds the server).
  const server = spawn('cargo', [
    'test', '-q', '--workspace', '--features', 'reservation-desk-server/postgres-tests',
    '--test', 'azure_walk_server', '--',
    '--ignored', '--exact', 'serve_azure_mode_for_the_browser_walk', '--nocapture',
  ], {
    cwd: ROOT,
    detached: true, // its own process group: `stop` ends cargo and the test binary together
    env: { ...process.env, NO_COLOR: '1', AZURE_WALK_PORT: '0', AZURE_WALK_DIST: join(ROOT, 'dist'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let log = '';
  const stop = () => {
    if (server.exitCode === null) {
      server.stdin.end(); // the server serves until its standard input closes
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no AZURE_WALK line within 300 s; the log:\n${log}`)), 300_000);
    const check = () => {
      const found = log.match(/AZURE_WALK (http:\/\/127\.0\.0\.1:\d+) TOKEN (\S+) ADMIN (\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve({ base: found[1], token: found[2], admin: found[3], stop });
      }
    };
    server.stdout.on('data', (d) => { log += d; check(); });
    server.stderr.on('data', (d) => { log += d; });
    server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}); its log:\n${log}`)); });
  });
}

/**
 * The walk's server: one already running (`AZURE_WALK_BASE` and `AZURE_WALK_TOKEN`, its printed
 * line, for working on a walk itself), else a new one of its own (`env` as for
 * `startAzureWalk`). Checks the release build is there first; logs how long the server took to
 * answer under `label`. Resolves to `{ base, token, admin, stop }` (`stop` does nothing for a
 * server it did not start).
 */
export async function azureWalkServer(label, env = {}) {
  if (!existsSync(join(ROOT, 'dist/index.html'))) throw new Error('dist/ (RESERVATION_DESK_API=/api trunk build --release)');
  const started = Date.now();
  const walk = process.env.AZURE_WALK_BASE && process.env.AZURE_WALK_TOKEN
    ? { base: process.env.AZURE_WALK_BASE, token: process.env.AZURE_WALK_TOKEN, admin: process.env.AZURE_WALK_ADMIN, stop: () => {} }
    : await startAzureWalk(env);
  console.log(`${label}: the Azure-mode server answered after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return walk;
}
