import { readFileSync } from 'node:fs';
import { evaluateCase, parseCase } from '../src/engine/index.ts';
const c = JSON.parse(readFileSync('examples/seed-22cm-ddlps.json', 'utf8'));
const e = evaluateCase(parseCase(c));
const plain = JSON.parse(JSON.stringify(e));
const bench = (label: string, f: () => unknown, n = 3000) => { for (let i = 0; i < 300; i++) f(); const t = performance.now(); for (let i = 0; i < n; i++) f(); console.log(label, ((performance.now() - t) / n * 1000).toFixed(1), 'µs'); };
bench('stringify engine object', () => JSON.stringify(e));
bench('stringify plain copy', () => JSON.stringify(plain));
bench('evaluate', () => evaluateCase(parseCase(c)));
for (const k of Object.keys(e)) { const v = (e as any)[k]; const p = plain[k]; const t1 = performance.now(); for (let i = 0; i < 2000; i++) JSON.stringify(v); const t2 = performance.now(); for (let i = 0; i < 2000; i++) JSON.stringify(p); const t3 = performance.now(); console.log(k.padEnd(16), JSON.stringify(v).length, ((t2 - t1) / 2).toFixed(1), ((t3 - t2) / 2).toFixed(1)); }
