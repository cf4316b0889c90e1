import { stringify } from 'csv-stringify/sync';
import type { CentreAudit } from './centre-audit.ts';

/** The centre audit's rates as CSV: one row per indicator for the centre, then one per funnel-plot unit. */
export function centreAuditCsv(audit: CentreAudit): string {
  const rows: (string | number | null)[][] = [['indicator', 'group', 'numerator', 'denominator', 'rate', 'recorded', 'operated', 'benchmark', 'benchmark_population', 'benchmark_source', 'lower95', 'upper95', 'lower998', 'upper998', 'zone']];
  const round = (x: number | null) => (x === null ? null : Number(x.toFixed(4)));
  for (const i of audit.indicators) {
    rows.push([i.id, 'centre', i.numerator, i.denominator, round(i.rate), i.completeness.recorded, i.completeness.total, i.benchmark.value, i.benchmark.population, i.benchmark.source, null, null, null, null, null]);
    for (const f of i.funnel) {
      rows.push([i.id, f.group, f.numerator, f.denominator, round(f.rate), null, null, i.benchmark.value, i.benchmark.population, i.benchmark.source, round(f.limits.lower95), round(f.limits.upper95), round(f.limits.lower998), round(f.limits.upper998), f.zone]);
    }
  }
  return stringify(rows);
}
