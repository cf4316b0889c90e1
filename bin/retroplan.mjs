#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so a fresh clone needs no build step.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { REGISTRY_NODE_FLAGS } from './registry-node-flags.mjs';

const args = process.argv.slice(2);
const registryStage = args.indexOf('registry') >= 0 && args[args.indexOf('registry') + 1] === 'stage';
if (registryStage && !REGISTRY_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  const child = spawnSync(process.execPath, [...REGISTRY_NODE_FLAGS, ...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
