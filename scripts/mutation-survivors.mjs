// Lists the surviving (and no-coverage) mutants of a Stryker JSON report, one line each, and the
// per-file mutation score: node scripts/mutation-survivors.mjs [report.json]
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2] ?? 'reports/mutation/mutation.json', 'utf8'));
const DETECTED = new Set(['Killed', 'Timeout']);
const VALID = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
for (const [file, { mutants, source }] of Object.entries(report.files)) {
  const lines = source.split('\n');
  const valid = mutants.filter((m) => VALID.has(m.status));
  const detected = valid.filter((m) => DETECTED.has(m.status)).length;
  console.log(`${file}: ${valid.length ? ((100 * detected) / valid.length).toFixed(1) : '-'} % (${detected}/${valid.length})`);
  for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
    const { start, end } = m.location;
    const original = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : `${lines[start.line - 1].slice(start.column - 1)}…`;
    console.log(`  ${m.status} ${file}:${start.line}:${start.column} ${m.mutatorName}: ${JSON.stringify(original.slice(0, 90))} -> ${JSON.stringify((m.replacement ?? '').slice(0, 90))}`);
  }
}
