#!/usr/bin/env node
// Runs every `*.test.ts` under src/ and test/ with node's test runner (through tsx).
// Node 20's runner has no glob support, so the files are listed here; a run that
// finds no test file fails instead of passing silently.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const searchRoots = roots.length > 0 ? roots : ['src', 'test'];

const files = searchRoots
  .flatMap((root) => {
    try {
      return readdirSync(root, { recursive: true }).map((f) => join(root, String(f)));
    } catch {
      return [root];
    }
  })
  .filter((f) => /\.test\.ts$/.test(f) && !f.includes('node_modules'))
  .sort();

if (files.length === 0) {
  console.error(`no test files found under ${searchRoots.join(', ')}`);
  process.exit(1);
}

// Besides the spec reporter on stdout (CI reads its closing lines), every run writes which
// test ran with which outcome to test-results/node-tests.jsonl for the safety traceability check.
mkdirSync('test-results', { recursive: true });
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/safety-test-reporter.mjs',
  '--test-reporter-destination=test-results/node-tests.jsonl',
];

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', ...reporters, '--test-concurrency=2', ...passThrough, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
