// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every file of a
// trunk build, so the server sends the app compressed without compressing per request
// (crates/server/src/static_files.rs: ServeDir's precompressed_br/gzip). A trunk post_build
// hook (Trunk.toml) runs it on the staging folder of release builds.
// Usage: node scripts/precompress.mjs <dir or file>...   (default: $TRUNK_STAGING_DIR); a file
// alone is what scripts/derive-server-build.sh changed in a copy of a compressed build.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const given = process.argv.length > 2 ? process.argv.slice(2) : [process.env.TRUNK_STAGING_DIR].filter(Boolean);
if (given.length === 0) throw new Error('usage: node scripts/precompress.mjs <dir or file>... (or TRUNK_STAGING_DIR)');
const dir = given.join(' ');
// Already compressed formats gain nothing.
const SKIP = new Set(['.br', '.gz', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.woff', '.woff2', '.zip']);

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && !SKIP.has(extname(entry.name))) yield path;
  }
}

let raw = 0, br = 0, gz = 0, count = 0;
const paths = given.flatMap((path) => (statSync(path).isDirectory() ? [...files(path)] : [path]));
for (const path of paths) {
  const bytes = readFileSync(path);
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzip);
  raw += bytes.length; br += brotli.length; gz += gzip.length; count += 1;
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`precompress: ${count} files in ${dir}: ${kib(raw)} raw, ${kib(gz)} gzip, ${kib(br)} brotli`);
