/**
 * Engine benchmark (not a test): evaluates 1,000,000 generated cases in-process
 * and, in the same run, JSON.parse's their text — the baseline. Prints both
 * rates and their ratio; the target is evaluation at least as fast as parsing
 * its input (ratio ≥ 1). There is no separate "core" (grade + stage + margin) line: staging
 * needs the diagnosis's sarcoma status, so a core timed without it would measure a different
 * computation from the real evaluation. Run: npm run bench:engine [-- --cases N]
 */
import { performance } from 'node:perf_hooks';
import { evaluateCase, parseCase, validateCase, type Case } from '../../src/engine/index.ts';
import { caseGenerator } from './generate.ts';

const argIndex = process.argv.indexOf('--cases');
const total = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 1_000_000;
const chunkSize = 10_000;
const next = caseGenerator(20261127);

let parseMs = 0;
let validateMs = 0;
let evaluateMs = 0;
let checksum = 0;

// Warm-up so the JIT has seen every path before timing starts.
for (let i = 0; i < 20_000; i++) evaluateCase(parseCase(JSON.parse(JSON.stringify(next()))));

for (let done = 0; done < total; done += chunkSize) {
  const n = Math.min(chunkSize, total - done);
  const texts = Array.from({ length: n }, () => JSON.stringify(next()));

  let t = performance.now();
  const parsed = texts.map((text) => JSON.parse(text) as unknown);
  parseMs += performance.now() - t;

  t = performance.now();
  const cases: Case[] = [];
  for (const input of parsed) {
    const r = validateCase(input);
    if (!r.ok) throw new Error(`generator produced an invalid case: ${JSON.stringify(r.errors)}`);
    cases.push(r.value);
  }
  validateMs += performance.now() - t;

  t = performance.now();
  for (const c of cases) checksum += evaluateCase(c).stage.group === null ? 0 : 1;
  evaluateMs += performance.now() - t;
}

const rate = (ms: number) => total / (ms / 1000);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`cases: ${total.toLocaleString('en-US')} (checksum ${checksum.toLocaleString('en-US')})`);
console.log(`JSON.parse (baseline):   ${fmt(rate(parseMs))} cases/s`);
console.log(`evaluate (engine):       ${fmt(rate(evaluateMs))} cases/s`);
console.log(`validate (zod schema):   ${fmt(rate(validateMs))} cases/s`);
console.log(`ratio evaluate / parse:  ${(parseMs / evaluateMs).toFixed(2)}  (target ≥ 1)`);
console.log(`ratio validate+evaluate / parse: ${(parseMs / (validateMs + evaluateMs)).toFixed(2)}`);
