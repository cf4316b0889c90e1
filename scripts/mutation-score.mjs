// The mutation score per file and per area (src/engine, src/server/auth) over several Stryker reports —
// the committed per-scope incremental files by default, since mutation testing here runs module by
// module: node scripts/mutation-score.mjs [report.json ...]
// A file found in several reports is counted from the one that tested the most of its mutants.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = 'reports/mutation/incremental';
const paths = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => join(DIR, f));
const DETECTED = new Set(['Killed', 'Timeout']);
const VALID = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

/** file → { valid, detected, report } from the report that tested most of its mutants. */
const best = new Map();
for (const path of paths) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const valid = mutants.filter((m) => VALID.has(m.status));
    const detected = valid.filter((m) => DETECTED.has(m.status)).length;
    if ((best.get(file)?.valid ?? -1) < valid.length) best.set(file, { valid: valid.length, detected, report: path });
  }
}
const areas = new Map();
for (const [file, s] of [...best].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${file}: ${s.valid ? ((100 * s.detected) / s.valid).toFixed(1) : '-'} % (${s.detected}/${s.valid})  [${s.report}]`);
  const area = file.startsWith('src/engine/') ? 'src/engine' : file.startsWith('src/server/auth/') ? 'src/server/auth' : 'other';
  const a = areas.get(area) ?? { valid: 0, detected: 0, files: 0 };
  areas.set(area, { valid: a.valid + s.valid, detected: a.detected + s.detected, files: a.files + 1 });
}
for (const [area, a] of areas) console.log(`${area}: ${((100 * a.detected) / a.valid).toFixed(1)} % (${a.detected}/${a.valid}) over ${a.files} files`);
