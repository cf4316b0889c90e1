import { formatDate, formatDateTime, fullCitation, humanText, label, markerName, markerResultName, organName, priorityName, shortCitation } from '../../../src/engine/vocabulary.ts';
import { buildProforma, type Proforma } from '../../../src/report/proforma.ts';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { evaluate, histologyByCode, type Evaluation } from '../../../src/engine/index.ts';
import { api, type Decision, type StoredCase, type User } from '../api.ts';
import { AnatomyDiagram, AnatomyLegend } from '../anatomy/AnatomyDiagram.tsx';
import { planActions, PLAN_LABELS } from '../anatomy/plan.ts';
import { getAt, organState, type Draft } from '../case/draft.ts';
import { EvidenceBadge } from '../evaluation/EvaluationPanel.tsx';
import { conclusions, redFlags, type Conclusion } from '../evaluation/explain.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';
import { statusLabel } from './CasePage.tsx';
import { IntendedUseNotice } from './AboutPage.tsx';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every source id cited anywhere in the evaluation, in first-seen order. */
export function allSources(e: unknown): string[] {
  const seen = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'sources' && Array.isArray(x)) x.forEach((s) => typeof s === 'string' && seen.add(s));
        else walk(x);
      }
    }
  };
  walk(e);
  return [...seen];
}

const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : 'not recorded');

function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section className="report-section" id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function ConclusionBlock({ c }: { c: Conclusion | undefined }) {
  if (!c) return <p className="muted">Not provided by this engine version.</p>;
  return (
    <div className="report-conclusion">
      <p className="report-headline">
        {c.headline || '—'} <EvidenceBadge evidence={c.evidence} />
      </p>
      {c.reasons.length ? (
        <ul>
          {c.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      ) : null}
      {c.sources.length ? <p className="small muted">Sources: {c.sources.map(shortCitation).join('; ')}</p> : null}
      {c.children.map((child) => (
        <div key={child.key} className="report-child">
          <p className="report-child-head">
            <strong>{child.headline || child.title}</strong> <EvidenceBadge evidence={child.evidence} />
          </p>
          {child.reasons.length ? (
            <ul>
              {child.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ) : null}
          {child.sources.length ? <p className="small muted">Sources: {child.sources.map(shortCitation).join('; ')}</p> : null}
        </div>
      ))}
    </div>
  );
}

/** Page 1: the board proforma, from the shared report model (src/report/proforma.ts). */
function ProformaPage({ p, decisions }: { p: Proforma; decisions: readonly Decision[] }) {
  return (
    <section className="proforma" aria-labelledby="proforma-title" data-testid="proforma">
      <h2 id="proforma-title" className="visually-hidden">
        Board proforma
      </h2>
      {p.safety.length ? (
        <div className="safety-banner proforma-safety">
          <h3>Safety first</h3>
          <ul className="safety-list">
            {p.safety.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="proforma-grid">
        {p.groups.map((g) => (
          <div key={g.id} className={`proforma-group pg-${g.id}`}>
            <h3>{g.title}</h3>
            <dl>
              {g.rows.map((r) => (
                <div key={r.label}>
                  <dt>{r.label}</dt>
                  <dd className={r.provisional ? 'provisional-text' : undefined}>{r.value}</dd>
                </div>
              ))}
            </dl>
          </div>
        ))}
      </div>
      <div className="proforma-group pg-decision" id="proforma-decision">
        <h3>Board decision</h3>
        {decisions.length ? (
          decisions.map((d, i) => (
            <div key={d.id ?? i}>
              <p>
                <strong>{formatDate(d.date)}</strong> — {d.decision}
              </p>
              <p className="small">Attendees: {d.attendees.join(', ')}</p>
              {d.strategyIds.length ? <p className="small">Strategies adopted: {d.strategyIds.map(priorityName).join('; ')}</p> : null}
            </div>
          ))
        ) : (
          <p className="muted">Not recorded yet.</p>
        )}
        <p className="signoff">Chair sign-off: ____________________________ Date: ______________</p>
      </div>
    </section>
  );
}

function DecisionForm({ caseId, strategyIds, onAdded }: { caseId: string; strategyIds: string[]; onAdded: (d: Decision) => void }) {
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [attendees, setAttendees] = useState('');
  const [decision, setDecision] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="decision-form no-print"
      aria-label="Record tumour-board decision"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const body: Decision = { date, attendees: attendees.split(/[,;\n]/).map((a) => a.trim()).filter(Boolean), decision, strategyIds: chosen };
          const saved = await api.addDecision(caseId, body);
          onAdded(isObj(saved) && 'decision' in saved ? saved : body);
          setDecision('');
        } catch (err) {
          setError(err);
        }
      }}
    >
      <h3>Record the tumour-board decision</h3>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="dec-date">Date</label>
          <input id="dec-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="dec-att">Attendees (comma-separated)</label>
          <input id="dec-att" value={attendees} onChange={(e) => setAttendees(e.target.value)} required />
        </div>
      </div>
      <div className="field">
        <label htmlFor="dec-text">Decision</label>
        <textarea id="dec-text" rows={3} value={decision} onChange={(e) => setDecision(e.target.value)} required />
      </div>
      {strategyIds.length ? (
        <fieldset className="checks">
          <legend>Strategies adopted</legend>
          {strategyIds.map((s) => (
            <label key={s}>
              <input type="checkbox" checked={chosen.includes(s)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s] : c.filter((x) => x !== s)))} /> {priorityName(s)}
            </label>
          ))}
        </fieldset>
      ) : null}
      {error ? <ErrorBox error={error} /> : null}
      <button type="submit" className="btn primary">
        Record decision
      </button>
    </form>
  );
}

function strategyIdsOf(e: Evaluation): string[] {
  const s = (e as unknown as Obj).strategy;
  if (!isObj(s)) return [];
  const ids = new Set<string>();
  for (const v of Object.values(s)) {
    if (Array.isArray(v)) for (const item of v) if (isObj(item) && typeof item.id === 'string') ids.add(item.id);
  }
  return [...ids];
}

export function ReportPage({ id, user }: { id: string; user: User }) {
  const [stored, setStored] = useState<StoredCase | null>(null);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [decisions, setDecisions] = useState<Decision[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    (async () => {
      const c = await api.getCase(id);
      // The server's evaluation of the stored version; the same engine locally if that route fails.
      const e = await api.evaluation(id).catch(() => {
        const r = evaluate(c.case);
        return r.ok ? r.value : null;
      });
      const d = await api.decisions(id).catch(() => []);
      if (live) {
        setStored(c);
        setEvaluation(e);
        setDecisions(d);
      }
    })().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [id]);

  const sections = useMemo(() => (evaluation ? new Map(conclusions(evaluation).map((c) => [c.key, c])) : new Map<string, Conclusion>()), [evaluation]);
  if (error) return <ErrorBox error={error} />;
  if (!stored) return <Spinner label="Preparing report…" />;
  const c = stored.case as Draft;
  const plan = planActions(evaluation?.resectionPlan);
  const histCode = getAt(c, 'pathology.histology') as string | undefined;
  const markers = Object.entries((getAt(c, 'pathology.markers') as Obj | undefined) ?? {});
  const contacts = (getAt(c, 'tumor.contacts') as string[] | undefined) ?? [];
  const infiltrates = (getAt(c, 'tumor.infiltrates') as string[] | undefined) ?? [];
  const flags = evaluation ? [...redFlags(evaluation), ...evaluation.warnings.map((w) => ({ message: w.message, sources: w.sources, evidence: w.evidence }))] : [];
  const sources = allSources(evaluation);
  const canWrite = user.role !== 'viewer';
  const proforma = buildProforma(c, evaluation, { title: stored.title, version: stored.version, status: stored.status }, decisions);
  // Every printed page carries the case, its version and the date, and its page number (CSS paged media).
  const pageCss = `@page { @bottom-left { content: ${JSON.stringify(proforma.footer)}; font-size: 8pt; color: #444; } @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #444; } }`;

  return (
    <div className="page report">
      <div className="report-actions no-print">
        <Link className="btn ghost" to={{ name: 'case', id }}>
          ← Back to case
        </Link>
        <button type="button" className="btn primary" onClick={() => window.print()}>
          Download PDF / print
        </button>
      </div>
      <style>{pageCss}</style>
      <article className="report-sheet" aria-labelledby="report-title">
        <header className="report-head">
          <div>
            <p className="report-kicker">Retroperitoneal sarcoma — multidisciplinary tumour board</p>
            <h1 id="report-title">{stored.title}</h1>
          </div>
          <dl className="report-meta">
            <div>
              <dt>Case version</dt>
              <dd data-testid="report-version">{stored.version}</dd>
            </div>
            <div>
              <dt>Last change</dt>
              <dd>
                {formatDateTime(stored.updatedAt)}
                {stored.updatedBy ? ` · ${stored.updatedBy}` : ''}
              </dd>
            </div>
            <div>
              <dt>Printed</dt>
              <dd>{formatDateTime(new Date())}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>{statusLabel(stored.status)}</dd>
            </div>
          </dl>
        </header>

        <ProformaPage p={proforma} decisions={decisions} />
        {canWrite && evaluation ? <DecisionForm caseId={id} strategyIds={strategyIdsOf(evaluation)} onAdded={(d) => setDecisions((ds) => [...ds, d])} /> : null}

        <h2 className="appendix-title">Appendix — reasoning and sources</h2>
        <Section title="Patient">
          <p>
            Age {String(getAt(c, 'patient.ageYears') ?? 'not recorded')}
            {getAt(c, 'patient.ageYears') !== undefined ? ' years' : ''}; sex {getAt(c, 'patient.sex') ? label('sex', String(getAt(c, 'patient.sex'))).toLowerCase() : 'not recorded'};{' '}
            {label('presentation', String(getAt(c, 'presentation') ?? 'primary')).toLowerCase()} presentation{getAt(c, 'id') ? `; reference ${String(getAt(c, 'id'))}` : ''}.
          </p>
        </Section>

        <Section title="Findings">
          <ul className="findings">
            <li>
              Size {getAt(c, 'tumor.sizeCm') !== undefined ? `${String(getAt(c, 'tumor.sizeCm'))} cm` : 'not recorded'}; side {getAt(c, 'tumor.side') ? label('side', String(getAt(c, 'tumor.side'))).toLowerCase() : 'not recorded'}; multifocal{' '}
              {yesNo(getAt(c, 'tumor.multifocal'))}; nodes {String(getAt(c, 'tumor.nodes') ?? 'not recorded')}; metastasis {String(getAt(c, 'tumor.metastasis') ?? 'not recorded')}.
            </li>
            <li>
              Imaging: macroscopic fat {yesNo(getAt(c, 'tumor.imaging.macroscopicFat'))}, solid component {yesNo(getAt(c, 'tumor.imaging.solidComponent'))}, hypervascular{' '}
              {yesNo(getAt(c, 'tumor.imaging.hypervascular'))}, calcification {yesNo(getAt(c, 'tumor.imaging.calcification'))}.
            </li>
            <li>
              Pathology: {histCode ? `${histologyByCode(histCode)?.name ?? 'unlisted histology'} (ICD-O-3 ${histCode})` : 'histology not yet known'}; specimen {getAt(c, 'pathology.specimen') ? label('specimen', String(getAt(c, 'pathology.specimen'))).toLowerCase() : 'not recorded'}.
            </li>
            <li>
              Markers: {markers.length ? markers.map(([m, r]) => `${markerName(m)} ${markerResultName(m, String(r))}`).join(', ') : 'none recorded'}.
            </li>
            <li>
              In contact with: {contacts.length ? contacts.map(organName).join(', ') : 'none'}; infiltrated: {infiltrates.length ? infiltrates.map(organName).join(', ') : 'none'}.
            </li>
          </ul>
        </Section>

        <Section title="Diagnosis and differential" id="report-diagnosis">
          <ConclusionBlock c={sections.get('diagnosis')} />
        </Section>

        <Section title="Red flags and warnings">
          {flags.length ? (
            <ul className="flags">
              {flags.map((f, i) => (
                <li key={i}>
                  {humanText(f.message)} <EvidenceBadge evidence={f.evidence} />
                </li>
              ))}
            </ul>
          ) : (
            <p>None.</p>
          )}
        </Section>

        <div className="report-2col">
          <Section title="Grade (FNCLCC)">
            <ConclusionBlock c={sections.get('grade')} />
          </Section>
          <Section title="Stage (AJCC 8, retroperitoneum)" id="report-stage">
            <ConclusionBlock c={sections.get('stage')} />
          </Section>
        </div>

        <Section title="Failure pattern and strategy">
          {sections.get('failurePattern') ? <ConclusionBlock c={sections.get('failurePattern')} /> : null}
          <ConclusionBlock c={sections.get('strategy')} />
        </Section>

        <Section title="Resection plan" id="report-plan">
          <div className="report-plan">
            <div className="report-diagram">
              <AnatomyDiagram
                stateOf={(o) => organState(c, o)}
                plan={plan}
                title="En bloc resection plan"
                compact
                compartment={evaluation?.resectionPlan?.compartment?.primary}
                tumour={{ side: getAt(c, 'tumor.side') as string | undefined, sizeCm: getAt(c, 'tumor.sizeCm') as number | undefined }}
                origins={['tumor.imaging.organOfOrigin', 'tumor.imaging.vesselOrigin'].map((p) => getAt(c, p)).filter((v): v is string => typeof v === 'string')}
              />
              <AnatomyLegend showPlan={plan.size > 0} />
            </div>
            <div>
              <ConclusionBlock c={sections.get('resectionPlan')} />
              {plan.size ? (
                <table className="report-table">
                  <caption>Organs in the plan</caption>
                  <tbody>
                    {[...plan].map(([o, a]) => (
                      <tr key={o}>
                        <th scope="row">{organName(o)}</th>
                        <td>{PLAN_LABELS[a]}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </div>
          </div>
        </Section>

        <Section title="Margin">
          <ConclusionBlock c={sections.get('margin')} />
        </Section>

        <Section title="Surveillance calendar">
          <ConclusionBlock c={sections.get('surveillance')} />
        </Section>

        <Section title="Referral">
          <ConclusionBlock c={sections.get('referral')} />
        </Section>

        <Section title="Sources">
          <ol className="source-list">
            {sources.map((s) => (
              <li key={s}>
                <strong>{shortCitation(s)}</strong> — {fullCitation(s)}
              </li>
            ))}
          </ol>
        </Section>

        <footer className="report-foot">
          Decision support, not a decision: every conclusion above states its reasons and sources and must be confirmed by the tumour board.{' '}
          {evaluation ? `Retroplan engine ${evaluation.engine.version}, clinical rules ${evaluation.engine.rulesVersion ?? 'not recorded'}.` : ''}
          <IntendedUseNotice />
        </footer>
      </article>
    </div>
  );
}
