#!/usr/bin/env node
// `npm start` serves web/dist: build the web app first when a fresh clone has none,
// or when its sources (the app or the engine it embeds) changed since the last build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compressWebBuild } from './compress-web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'web', 'dist', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const path = join(dir, String(entry));
    const stat = statSync(path);
    if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

const sources = ['web/src', 'web/index.html', 'src/engine'].map((p) => join(root, p)).filter((p) => existsSync(p));
const sourceTime = Math.max(...sources.map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)));
const reason = !existsSync(built) ? 'web/dist missing' : statSync(built).mtimeMs < sourceTime ? 'web sources changed' : null;

if (reason) {
  console.log(`${reason}: building the web app (npm run build:web)…`);
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status === 0) compressWebBuild(join(root, 'web', 'dist'));
  process.exit(r.status ?? 1);
}
