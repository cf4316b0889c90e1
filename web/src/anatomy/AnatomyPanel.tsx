import { useId, useState } from 'react';
import { COMPARTMENTS, ORGANS, type CompartmentId } from '../../../src/engine/index.ts';
import { cycleOrgan, getAt, organState, setOrganState, type Draft, type OrganState } from '../case/draft.ts';
import { AnatomyDiagram, AnatomyLegend, SpacesLegend, tumourCompartmentText } from './AnatomyDiagram.tsx';
import { PLAN_LABELS, type PlanAction } from './plan.ts';

export interface AnatomyPanelProps {
  readonly draft: Draft;
  readonly plan: ReadonlyMap<string, PlanAction>;
  readonly onDraft?: (next: Draft) => void;
  readonly errors?: readonly string[];
  /** The engine's primary compartment of the tumour, outlined on the drawing. */
  readonly compartment?: CompartmentId | null | undefined;
}

const STATES: readonly OrganState[] = ['none', 'contacted', 'infiltrated'];
const STATE_TEXT: Record<OrganState, string> = { none: 'Not involved', contacted: 'Contacted', infiltrated: 'Infiltrated' };

function OrganSelect({ id, label, state, onChange }: { id: string; label: string; state: OrganState; onChange: (s: OrganState) => void }) {
  const htmlId = useId();
  return (
    <>
      <label htmlFor={htmlId} className="visually-hidden">
        {label}
      </label>
      <select id={htmlId} data-organ-select={id} value={state} onChange={(e) => onChange(e.target.value as OrganState)}>
        {STATES.map((s) => (
          <option key={s} value={s}>
            {STATE_TEXT[s]}
          </option>
        ))}
      </select>
    </>
  );
}

/** The diagram, its legend, and the same information as a table (text alternative, also editable). */
export function AnatomyPanel({ draft, plan, onDraft, errors = [], compartment }: AnatomyPanelProps) {
  const side = getAt(draft, 'tumor.side') as string | undefined;
  const compartmentText = tumourCompartmentText(side, compartment);
  const involved = ORGANS.filter((o) => organState(draft, o.id) !== 'none' || plan.has(o.id));
  const editable = Boolean(onDraft);
  const [listOpen, setListOpen] = useState(false);
  return (
    <section className="anatomy-panel" aria-labelledby="anatomy-heading">
      <div className="panel-head">
        <h2 id="anatomy-heading">Anatomy and en bloc plan</h2>
        {editable ? <p className="muted small">Click a structure (or use the arrow keys and Enter): none → in contact → infiltrated.</p> : null}
      </div>
      <AnatomyDiagram
        stateOf={(id) => organState(draft, id)}
        plan={plan}
        compartment={compartment}
        tumour={{ side, sizeCm: typeof getAt(draft, 'tumor.sizeCm') === 'number' ? (getAt(draft, 'tumor.sizeCm') as number) : undefined }}
        origins={['tumor.imaging.organOfOrigin', 'tumor.imaging.vesselOrigin'].map((p) => getAt(draft, p)).filter((v): v is string => typeof v === 'string')}
        {...(onDraft ? { onCycle: (id: string) => onDraft(cycleOrgan(draft, id)) } : {})}
      />
      <p className="tumour-compartment-text" data-testid="tumour-compartment-text">
        {compartmentText ? (
          <>
            <strong>Tumour compartment:</strong> {compartmentText}
          </>
        ) : (
          'Tumour compartment: not determined (record the side and the organ of origin or the organs it touches).'
        )}
      </p>
      <AnatomyLegend showPlan={plan.size > 0} />
      <SpacesLegend />
      {errors.length ? (
        <ul className="error-list" role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      <table className="organ-table" aria-label="Involved organs and plan (text alternative of the diagram)">
        <thead>
          <tr>
            <th scope="col">Organ</th>
            <th scope="col">Compartment</th>
            <th scope="col">Tumour</th>
            <th scope="col">Plan</th>
          </tr>
        </thead>
        <tbody>
          {involved.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                No organ marked.
              </td>
            </tr>
          ) : (
            involved.map((o) => (
              <tr key={o.id} data-organ-row={o.id}>
                <th scope="row">{o.label}</th>
                <td>{COMPARTMENTS[o.compartment as CompartmentId]}</td>
                <td>
                  {onDraft ? (
                    <OrganSelect id={o.id} label={`${o.label}: tumour relation`} state={organState(draft, o.id)} onChange={(s) => onDraft(setOrganState(draft, o.id, s))} />
                  ) : (
                    STATE_TEXT[organState(draft, o.id)]
                  )}
                </td>
                <td>{plan.get(o.id) ? PLAN_LABELS[plan.get(o.id)!] : '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {onDraft ? (
        <details className="all-organs" onToggle={(e) => setListOpen((e.target as HTMLDetailsElement).open)}>
          <summary>All organs ({ORGANS.length}) — keyboard and screen-reader list</summary>
          {listOpen ? (
          <table className="organ-table">
            <tbody>
              {ORGANS.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.label}</th>
                  <td>
                    <OrganSelect id={o.id} label={`${o.label}: tumour relation`} state={organState(draft, o.id)} onChange={(s) => onDraft(setOrganState(draft, o.id, s))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}
