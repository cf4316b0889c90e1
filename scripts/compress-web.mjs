/**
 * Writes brotli (.br) and gzip (.gz) copies beside every compressible file of the web build,
 * so the server sends them as they are (src/server/web.ts, preCompressed) instead of
 * compressing on every request — or not at all. Run after `vite build` (npm run build:web).
 * Usage: node scripts/compress-web.mjs [dist-dir]
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|webmanifest|xml)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Compresses every compressible file under `dist`; returns [{file, raw, br, gz}]. */
export function compressWebBuild(dist) {
  const written = [];
  for (const file of files(dist)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const bytes = readFileSync(file);
    const br = brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    });
    const gz = gzipSync(bytes, { level: 9 });
    writeFileSync(`${file}.br`, br);
    writeFileSync(`${file}.gz`, gz);
    written.push({ file, raw: bytes.length, br: br.length, gz: gz.length });
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dist = process.argv[2] ?? fileURLToPath(new URL('../web/dist', import.meta.url));
  const written = compressWebBuild(dist);
  const sum = (k) => written.reduce((n, w) => n + w[k], 0);
  console.log(`compressed ${written.length} files: ${(sum('raw') / 1024).toFixed(1)} KB → ${(sum('br') / 1024).toFixed(1)} KB brotli, ${(sum('gz') / 1024).toFixed(1)} KB gzip`);
}
