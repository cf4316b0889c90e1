import { evaluateCase, parseCase } from '../src/engine/index.ts';
import { benchCases } from '../bench/server/cases.ts';
const cases = benchCases().map((b) => parseCase(JSON.parse(b)));
const deepFrozen = new WeakMap<object, boolean>();
function isDeepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  const hit = deepFrozen.get(v); if (hit !== undefined) return hit;
  let r = Object.isFrozen(v);
  if (r) for (const k of Object.keys(v)) if (!isDeepFrozen((v as any)[k])) { r = false; break; }
  deepFrozen.set(v, r); return r;
}
let frozenBytes = 0, total = 0;
function walk(v: unknown): void { if (v === null || typeof v !== 'object') return; if (isDeepFrozen(v)) { frozenBytes += JSON.stringify(v).length; return; } for (const k of Object.keys(v)) walk((v as any)[k]); }
for (const c of cases) { const e = evaluateCase(c); total += JSON.stringify(e).length; walk(e); }
console.log('frozen share', (frozenBytes / total).toFixed(2));
const cache = new WeakMap<object, string>();
function ser(v: unknown): string | undefined {
  if (v === null) return 'null';
  const t = typeof v;
  if (t === 'string') return JSON.stringify(v);
  if (t === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (t === 'boolean') return v ? 'true' : 'false';
  if (t !== 'object') return undefined;
  const o = v as object;
  const c = cache.get(o); if (c !== undefined) return c;
  if (typeof (o as any).toJSON === 'function') return JSON.stringify(o);
  let out: string;
  if (Array.isArray(o)) { out = '['; for (let i = 0; i < o.length; i++) { if (i) out += ','; out += ser(o[i]) ?? 'null'; } out += ']'; }
  else { out = '{'; let first = true; for (const k of Object.keys(o)) { const s = ser((o as any)[k]); if (s === undefined) continue; if (!first) out += ','; first = false; out += JSON.stringify(k) + ':' + s; } out += '}'; }
  if (isDeepFrozen(o)) cache.set(o, out);
  return out;
}
const evs = cases.map((c) => evaluateCase(c));
for (const e of evs) if (ser(e) !== JSON.stringify(e)) throw new Error('mismatch');
const bench = (label: string, f: () => unknown, n = 20) => { const t = performance.now(); for (let i = 0; i < n; i++) f(); console.log(label, ((performance.now() - t) / n / evs.length * 1000).toFixed(1), 'µs per evaluation'); };
for (let r = 0; r < 2; r++) {
  bench('JSON.stringify', () => { for (const e of evs) JSON.stringify(e); });
  bench('cached-frozen', () => { for (const e of evs) ser(e); });
  bench('evaluate', () => { for (const c of cases) evaluateCase(c); });
}
