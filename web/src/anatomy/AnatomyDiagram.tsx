import { useId, type KeyboardEvent } from 'react';
import {
  DIAGRAM_COMPARTMENTS,
  DIAGRAM_HEIGHT,
  DIAGRAM_ORGANS,
  DIAGRAM_WIDTH,
  shapeAnchor,
  shapePath,
  type DiagramOrgan,
} from '../../../src/engine/tables/anatomy-diagram.ts';
import type { OrganState } from '../case/draft.ts';
import { PLAN_LABELS, type PlanAction } from './plan.ts';

const STATE_LABEL: Record<OrganState, string> = { none: 'not involved', contacted: 'contacted', infiltrated: 'infiltrated' };

export interface AnatomyDiagramProps {
  readonly stateOf: (id: string) => OrganState;
  readonly plan: ReadonlyMap<string, PlanAction>;
  /** Absent: the drawing is read-only (report). */
  readonly onCycle?: (id: string) => void;
  readonly title?: string;
  readonly compact?: boolean;
}

function organClass(o: DiagramOrgan, state: OrganState, action: PlanAction | undefined): string {
  return ['organ', `shape-${o.shape.kind}`, `tissue-${o.tissue}`, `state-${state}`, action ? `plan-${action}` : 'plan-none'].join(' ');
}

export function organAriaLabel(label: string, state: OrganState, action: PlanAction | undefined): string {
  return `${label}: ${STATE_LABEL[state]}${action ? `; plan: ${PLAN_LABELS[action].toLowerCase()}` : ''}`;
}

/** The retroperitoneum drawn from the engine's anatomy table; each organ is a focusable button. */
export function AnatomyDiagram({ stateOf, plan, onCycle, title = 'Retroperitoneal anatomy', compact }: AnatomyDiagramProps) {
  const titleId = useId();
  const interactive = Boolean(onCycle);
  const onKey = (id: string) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onCycle?.(id);
    }
  };
  return (
    <svg
      className={`anatomy${compact ? ' compact' : ''}`}
      viewBox={`0 0 ${DIAGRAM_WIDTH} ${DIAGRAM_HEIGHT}`}
      role="group"
      aria-labelledby={titleId}
    >
      <title id={titleId}>{title}</title>
      <g className="compartments" aria-hidden="true">
        {DIAGRAM_COMPARTMENTS.map((c) => (
          <g key={c.id} className={`compartment compartment-${c.id}`} data-compartment={c.id}>
            <title>{c.label}</title>
            {c.shapes.map((s, i) => (
              <path key={i} d={shapePath(s)} />
            ))}
          </g>
        ))}
      </g>
      <text className="side-mark" x={14} y={24} aria-hidden="true">
        R
      </text>
      <text className="side-mark" x={DIAGRAM_WIDTH - 26} y={24} aria-hidden="true">
        L
      </text>
      <g className="organs">
        {DIAGRAM_ORGANS.map((o) => {
          const state = stateOf(o.id);
          const action = plan.get(o.id);
          const label = organAriaLabel(o.label, state, action);
          return (
            <path
              key={o.id}
              d={shapePath(o.shape)}
              className={organClass(o, state, action)}
              style={o.shape.kind === 'tube' ? { strokeWidth: o.shape.width } : undefined}
              data-organ={o.id}
              data-state={state}
              data-plan={action ?? 'none'}
              {...(interactive
                ? { role: 'button', tabIndex: 0, 'aria-label': label, onClick: () => onCycle?.(o.id), onKeyDown: onKey(o.id) }
                : { role: 'img', 'aria-label': label })}
            >
              <title>{label}</title>
            </path>
          );
        })}
      </g>
      <g className="organ-labels" aria-hidden="true">
        {DIAGRAM_ORGANS.filter((o) => o.shortLabel).map((o) => {
          const [x, y] = shapeAnchor(o.shape);
          const offset = o.shape.kind === 'tube' ? (o.id === 'aorta' ? 14 : o.id === 'ivc' ? -14 : 0) : 0;
          return (
            <text key={o.id} x={x + offset} y={o.id === 'aorta' || o.id === 'ivc' ? 100 : y + 4} textAnchor="middle">
              {o.shortLabel}
            </text>
          );
        })}
      </g>
    </svg>
  );
}

export function AnatomyLegend({ showPlan }: { showPlan: boolean }) {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="swatch swatch-contacted" aria-hidden="true" /> Contacted
      </li>
      <li>
        <span className="swatch swatch-infiltrated" aria-hidden="true" /> Infiltrated
      </li>
      {showPlan
        ? (Object.keys(PLAN_LABELS) as PlanAction[]).map((a) => (
            <li key={a}>
              <span className={`swatch swatch-plan-${a}`} aria-hidden="true" /> {PLAN_LABELS[a]}
            </li>
          ))
        : null}
    </ul>
  );
}
