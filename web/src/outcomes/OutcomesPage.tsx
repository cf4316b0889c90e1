import { useEffect, useMemo, useState } from 'react';
import type { CentreAudit, RateIndicator } from '../../../src/outcomes/centre-audit.ts';
import { AUDIT_SOURCES, BENCHMARKS } from '../../../src/outcomes/benchmarks.ts';
import { funnelLimits, funnelZone } from '../../../src/outcomes/statistics.ts';
import { request } from '../api.ts';
import { ErrorBox, Spinner } from '../ui/nav.tsx';
import { ChartFigure } from './ChartFigure.tsx';
import { funnelChart, incidenceChart, survivalChart, volumeChart } from './charts.ts';

/**
 * The centre's outcomes dashboard (issue 14): GET /api/audit/centre on screen —
 * each rate beside its published benchmark with numerator, denominator and
 * completeness; survival and cumulative incidence curves; funnel plots by
 * surgeon or hospital. Loaded on this route only (App.tsx lazy import), with
 * Observable Plot, so the first load of the app does not carry the charts.
 */

interface Filter {
  readonly from: string;
  readonly to: string;
  readonly by: '' | 'surgeon' | 'hospital';
}

function query(f: Filter, format?: 'csv' | 'pdf'): string {
  const p = new URLSearchParams();
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.by) p.set('by', f.by);
  if (format) p.set('format', format);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const formatRate = (rate: number | null): string => (rate === null ? 'not evaluable' : `${(rate * 100).toFixed(1)} %`);

const ZONE_TEXT = { within: 'within the 95 % limits', alert: 'outside the 95 % limits', alarm: 'outside the 99.8 % limits' } as const;

/** Where the centre's own rate falls against the benchmark's funnel limits at its denominator. */
function centreZone(i: RateIndicator): string {
  if (i.rate === null || i.denominator === 0) return '—';
  const zone = funnelZone(i.rate, funnelLimits(i.benchmark.value, i.denominator), i.benchmark.higherIsWorse);
  const side = i.rate === i.benchmark.value ? '' : i.rate > i.benchmark.value ? ' (above)' : ' (below)';
  return `${ZONE_TEXT[zone]}${side}`;
}

function IndicatorTable({ audit }: { audit: CentreAudit }) {
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="indicator-table">
        <caption className="visually-hidden">Quality indicators against published benchmarks</caption>
        <thead>
          <tr>
            <th scope="col">Indicator</th>
            <th scope="col">Centre</th>
            <th scope="col">Cases (numerator / denominator)</th>
            <th scope="col">Recorded in</th>
            <th scope="col">Benchmark</th>
            <th scope="col">Against the benchmark</th>
          </tr>
        </thead>
        <tbody>
          {audit.indicators.map((i) => (
            <tr key={i.id} data-testid={`indicator-${i.id}`}>
              <th scope="row">
                {i.label}
                <div className="small muted">{i.definition}</div>
              </th>
              <td data-testid={`indicator-${i.id}-rate`}>{formatRate(i.rate)}</td>
              <td data-testid={`indicator-${i.id}-count`}>
                {i.numerator} / {i.denominator}
              </td>
              <td data-testid={`indicator-${i.id}-completeness`}>
                {i.completeness.recorded} of {i.completeness.total}
              </td>
              <td>
                {formatRate(i.benchmark.value)}
                <div className="small muted">
                  {i.benchmark.population}; <cite title={AUDIT_SOURCES[i.benchmark.source]}>{i.benchmark.source}</cite>
                </div>
              </td>
              <td>{centreZone(i)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SurvivalSection({ audit, synthetic }: { audit: CentreAudit; synthetic: boolean }) {
  const os = audit.overallSurvival;
  const chart = useMemo(() => survivalChart(audit), [audit]);
  if (!os || !chart) return <p>No operated case in the period: no survival curve.</p>;
  return (
    <>
      <p data-testid="os-five-year">
        5-year overall survival:{' '}
        {os.atFiveYears ? `${formatRate(os.atFiveYears.survival)} (95 % CI ${formatRate(os.atFiveYears.lower)} to ${formatRate(os.atFiveYears.upper)})` : 'not estimable (no follow-up reaches 5 years)'}; benchmark {formatRate(os.benchmark.value)} ({os.benchmark.population};{' '}
        <cite title={AUDIT_SOURCES[os.benchmark.source]}>{os.benchmark.source}</cite>). {os.curve.n} patients, {os.curve.events} deaths.
      </p>
      <ChartFigure chart={chart} synthetic={synthetic} />
      <div className="table-wrap">
        <table className="data-table compact" data-testid="numbers-at-risk">
          <caption>Numbers at risk</caption>
          <tbody>
            <tr>
              <th scope="row">Months</th>
              {os.numbersAtRisk.map((r) => (
                <td key={r.months}>{r.months}</td>
              ))}
            </tr>
            <tr>
              <th scope="row">At risk</th>
              {os.numbersAtRisk.map((r) => (
                <td key={r.months}>{r.atRisk}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}

function IncidenceTable({ audit }: { audit: CentreAudit }) {
  const rows = audit.localRecurrence.map((lr) => ({ lr, dm: audit.distantMetastasis.find((d) => d.group === lr.group) }));
  const five = (x: number | null | undefined) => (x === null || x === undefined ? 'follow-up < 5 years' : formatRate(x));
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="incidence-table">
        <caption>Cumulative incidence at 5 years by histology (death competing)</caption>
        <thead>
          <tr>
            <th scope="col">Histology</th>
            <th scope="col">Patients</th>
            <th scope="col">Local recurrence</th>
            <th scope="col">Distant metastasis</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ lr, dm }) => (
            <tr key={lr.group}>
              <th scope="row">{lr.group}</th>
              <td>{lr.n}</td>
              <td>{five(lr.atFiveYears)}</td>
              <td>{five(dm?.atFiveYears)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FunnelSection({ audit, by, synthetic }: { audit: CentreAudit; by: Filter['by']; synthetic: boolean }) {
  const [indicatorId, setIndicatorId] = useState<string>('r0-rate');
  const indicator = audit.indicators.find((i) => i.id === indicatorId) ?? audit.indicators[0];
  const chart = useMemo(() => (indicator && by ? funnelChart(indicator, by) : null), [indicator, by]);
  if (!by) return <p>Choose “by surgeon” or “by hospital” above to draw the funnel plots.</p>;
  return (
    <>
      <div className="field inline">
        <label htmlFor="oc-funnel">Rate</label>
        <select id="oc-funnel" value={indicatorId} onChange={(e) => setIndicatorId(e.target.value)}>
          {audit.indicators.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </select>
      </div>
      {chart && indicator && indicator.funnel.length > 0 ? <ChartFigure chart={chart} synthetic={synthetic} /> : <p>No {by} has a case with this item recorded.</p>}
    </>
  );
}

export function OutcomesPage() {
  const [draft, setDraft] = useState<Filter>({ from: '', to: '', by: 'surgeon' });
  const [applied, setApplied] = useState<Filter>(draft);
  const [audit, setAudit] = useState<CentreAudit | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setAudit(null);
    setError(null);
    request<CentreAudit>('GET', `/api/audit/centre${query(applied)}`).then(
      (a) => live && setAudit(a),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [applied]);
  const charts = useMemo(
    () =>
      audit
        ? {
            volume: volumeChart(audit),
            lr: incidenceChart('local-recurrence', 'Local recurrence', audit.localRecurrence, BENCHMARKS['local-recurrence-5-year']),
            dm: incidenceChart('distant-metastasis', 'Distant metastasis', audit.distantMetastasis, BENCHMARKS['distant-metastasis-5-year']),
          }
        : null,
    [audit],
  );
  const synthetic = (audit?.synthetic ?? 0) > 0;
  return (
    <div className="page outcomes">
      <header className="page-head">
        <h1>Centre outcomes</h1>
        <p className="muted">The centre’s own audit against published benchmarks (REFERENCE-2 §6). Every rate shows its numerator, denominator and how many cases recorded the item.</p>
      </header>
      <form
        className="filters"
        role="search"
        aria-label="Audit period and units"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
        }}
      >
        <div className="field inline">
          <label htmlFor="oc-from">Operated from</label>
          <input id="oc-from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field inline">
          <label htmlFor="oc-to">to</label>
          <input id="oc-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <div className="field inline">
          <label htmlFor="oc-by">Funnel plots by</label>
          <select id="oc-by" value={draft.by} onChange={(e) => setDraft({ ...draft, by: e.target.value as Filter['by'] })}>
            <option value="surgeon">surgeon</option>
            <option value="hospital">hospital</option>
            <option value="">no funnel plots</option>
          </select>
        </div>
        <button type="submit" className="btn primary">
          Show
        </button>
        <a className="btn" href={`/api/audit/centre${query(applied, 'csv')}`} download>
          Rates as CSV
        </a>
        <a className="btn" href={`/api/audit/centre${query(applied, 'pdf')}`} download>
          Audit as PDF
        </a>
      </form>
      {error ? <ErrorBox error={error} onRetry={() => setApplied({ ...applied })} /> : null}
      {!audit && !error ? <Spinner label="Computing the centre audit…" /> : null}
      {audit && charts ? (
        <>
          {synthetic ? (
            <div className="synthetic-banner" role="note" data-testid="synthetic-banner">
              <strong>Synthetic demo data.</strong> {audit.synthetic} of the {audit.operated} operated cases shown are synthetic (the demo centre) — not real patients, not for research or comparison.
            </div>
          ) : null}
          <p data-testid="audit-summary">
            {audit.operated} resections in the period{audit.period.from || audit.period.to ? ` (${audit.period.from ?? '…'} to ${audit.period.to ?? '…'})` : ''}; left out: {audit.excluded.noOperationDate} without an operation date, {audit.excluded.outsidePeriod} outside the period.
          </p>
          <section aria-labelledby="oc-indicators">
            <h2 id="oc-indicators">Quality indicators</h2>
            <IndicatorTable audit={audit} />
          </section>
          <section aria-labelledby="oc-volume">
            <h2 id="oc-volume">Volume</h2>
            <ChartFigure chart={charts.volume} synthetic={synthetic} />
          </section>
          <section aria-labelledby="oc-survival">
            <h2 id="oc-survival">Overall survival</h2>
            <SurvivalSection audit={audit} synthetic={synthetic} />
          </section>
          <section aria-labelledby="oc-incidence">
            <h2 id="oc-incidence">Local recurrence and distant metastasis</h2>
            <ChartFigure chart={charts.lr} synthetic={synthetic} />
            <ChartFigure chart={charts.dm} synthetic={synthetic} />
            <IncidenceTable audit={audit} />
          </section>
          <section aria-labelledby="oc-funnel-head">
            <h2 id="oc-funnel-head">Funnel plots</h2>
            <FunnelSection audit={audit} by={applied.by} synthetic={synthetic} />
          </section>
          <section aria-labelledby="oc-notes">
            <h2 id="oc-notes">Methods</h2>
            <ul className="small">
              {audit.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </div>
  );
}

export default OutcomesPage;
