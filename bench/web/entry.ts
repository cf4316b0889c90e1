// Bundled for the browser by bench/web/run.ts: times one live re-evaluation of the
// editor (validate + evaluate the draft, as on every keystroke) against JSON.parse
// of the same case text, in the same page.
import { evaluate } from '../../src/engine/index.ts';

declare global {
  interface Window {
    retroplanBench: (caseText: string, iterations: number) => { parseUs: number; evaluateUs: number; checksum: number };
  }
}

window.retroplanBench = (caseText, iterations) => {
  let checksum = 0;
  const draft = JSON.parse(caseText) as unknown;
  // Warm-up so the JIT has seen both paths before timing.
  for (let i = 0; i < 2000; i++) {
    checksum += (JSON.parse(caseText) as { tumor?: { sizeCm?: number } }).tumor?.sizeCm ?? 0;
    const r = evaluate(draft);
    checksum += r.ok && r.value.stage.group ? 1 : 0;
  }
  let t = performance.now();
  for (let i = 0; i < iterations; i++) checksum += (JSON.parse(caseText) as { tumor?: { sizeCm?: number } }).tumor?.sizeCm ?? 0;
  const parseMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < iterations; i++) {
    const r = evaluate(draft);
    checksum += r.ok && r.value.stage.group ? 1 : 0;
  }
  const evaluateMs = performance.now() - t;
  return { parseUs: (parseMs * 1000) / iterations, evaluateUs: (evaluateMs * 1000) / iterations, checksum };
};
