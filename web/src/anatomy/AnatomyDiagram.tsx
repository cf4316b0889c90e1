import { useId, useRef, useState, type KeyboardEvent } from 'react';
import {
  DIAGRAM_COMPARTMENTS,
  DIAGRAM_HEIGHT,
  DIAGRAM_KEY_ORDER,
  MIN_HIT_WIDTH,
  tumourCompartment,
  tumourGeometry,
  DIAGRAM_ORGANS,
  DIAGRAM_WIDTH,
  shapeAnchor,
  shapePath,
  type DiagramOrgan,
} from '../../../src/engine/tables/anatomy-diagram.ts';
import type { CompartmentId } from '../../../src/engine/tables/anatomy.ts';
import { label as vocabularyLabel } from '../../../src/engine/vocabulary.ts';
import type { OrganState } from '../case/draft.ts';
import { PLAN_LABELS, type PlanAction } from './plan.ts';

const STATE_LABEL: Record<OrganState, string> = { none: 'not involved', contacted: 'in contact with the tumour', infiltrated: 'infiltrated by the tumour' };
const BY_ID = new Map(DIAGRAM_ORGANS.map((o) => [o.id, o]));

export interface AnatomyDiagramProps {
  readonly stateOf: (id: string) => OrganState;
  readonly plan: ReadonlyMap<string, PlanAction>;
  /** Absent: the drawing is read-only (report). */
  readonly onCycle?: (id: string) => void;
  readonly title?: string;
  readonly compact?: boolean;
  /** The tumour, drawn at its side and relative size (schematic). */
  readonly tumour?: { readonly side?: string | undefined; readonly sizeCm?: number | undefined };
  /** Organ or vessel of origin, marked on the drawing. */
  readonly origins?: readonly string[];
  /** The engine's primary compartment of the tumour (`resectionPlan.compartment.primary`), outlined on its side. */
  readonly compartment?: CompartmentId | null | undefined;
}

/** "Left perirenal space (within the renal fascia)": the tumour's compartment in words. */
export function tumourCompartmentText(side: string | undefined, compartment: CompartmentId | null | undefined): string | null {
  const zone = tumourCompartment(side, compartment);
  if (!zone) return null;
  const where = DIAGRAM_COMPARTMENTS.find((c) => c.id === zone.id)!.label;
  return zone.side === 'both' ? where.replace(/^./, (c) => c.toUpperCase()) : `${vocabularyLabel('side', zone.side)} ${where}`;
}

function organClass(o: DiagramOrgan, state: OrganState, action: PlanAction | undefined): string {
  return ['organ', `shape-${o.shape.kind}`, `tissue-${o.tissue}`, `in-${o.compartment}`, `state-${state}`, action ? `plan-${action}` : 'plan-none'].join(' ');
}

export function organAriaLabel(label: string, state: OrganState, action: PlanAction | undefined, origin = false): string {
  return `${label}: ${STATE_LABEL[state]}${origin ? '; origin of the tumour' : ''}${action ? `; plan: ${PLAN_LABELS[action].toLowerCase()}` : ''}`;
}

/**
 * The retroperitoneum drawn from the engine's anatomy table. One tab stop: the
 * current structure is focusable, arrow keys move between structures, Enter or
 * Space changes the tumour's relation to it. Tumour involvement is the outline
 * (dashed: contact, solid: infiltration); the plan is the fill.
 */
export function AnatomyDiagram({ stateOf, plan, onCycle, title = 'Retroperitoneal anatomy', compact, tumour, origins = [], compartment }: AnatomyDiagramProps) {
  const titleId = useId();
  const interactive = Boolean(onCycle);
  const [current, setCurrent] = useState(DIAGRAM_KEY_ORDER[0]!);
  const svgRef = useRef<SVGSVGElement>(null);
  const moveTo = (id: string) => {
    setCurrent(id);
    svgRef.current?.querySelector<SVGElement>(`[data-organ="${id}"].organ`)?.focus();
  };
  const onKey = (id: string) => (e: KeyboardEvent) => {
    const i = DIAGRAM_KEY_ORDER.indexOf(id);
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onCycle?.(id);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowRight') {
      e.preventDefault();
      moveTo(DIAGRAM_KEY_ORDER[(i + 1) % DIAGRAM_KEY_ORDER.length]!);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') {
      e.preventDefault();
      moveTo(DIAGRAM_KEY_ORDER[(i - 1 + DIAGRAM_KEY_ORDER.length) % DIAGRAM_KEY_ORDER.length]!);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      moveTo(DIAGRAM_KEY_ORDER[e.key === 'Home' ? 0 : DIAGRAM_KEY_ORDER.length - 1]!);
    }
  };
  const t = tumour ? tumourGeometry(tumour.side, tumour.sizeCm, compartment) : null;
  const zone = tumourCompartment(tumour?.side, compartment);
  const zoneText = tumourCompartmentText(tumour?.side, compartment);
  const tumourText = `Tumour${tumour?.sizeCm !== undefined ? ` ${tumour.sizeCm} cm` : ''}`;
  const tumourLabel = t ? { x: Math.min(Math.max(t.cx, 60), DIAGRAM_WIDTH - 60), y: Math.min(t.cy + t.r + 14, DIAGRAM_HEIGHT - 26) } : null;
  // An organ's short label that would print under the tumour's label gives way (the organ keeps its name on hover and in the table).
  const clearOfTumourLabel = ([x, y]: readonly [number, number]) => !tumourLabel || Math.abs(x - tumourLabel.x) > tumourText.length * 3.6 + 22 || Math.abs(y + 4 - tumourLabel.y) > 13;
  return (
    <svg
      ref={svgRef}
      className={`anatomy${compact ? ' compact' : ''}`}
      viewBox={`0 0 ${DIAGRAM_WIDTH} ${DIAGRAM_HEIGHT}`}
      role="group"
      aria-labelledby={titleId}
      aria-describedby={interactive ? `${titleId}-help` : undefined}
    >
      <title id={titleId}>{title}</title>
      {interactive ? (
        <desc id={`${titleId}-help`}>Arrow keys move between structures; Enter or Space marks contact, then infiltration, then clears.</desc>
      ) : null}
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
      {zone ? (
        // The tumour's compartment (engine): outlined on its side, behind the organs.
        <g className="tumour-compartment" data-testid="tumour-compartment" data-compartment={zone.id} data-side={zone.side} aria-hidden="true">
          {zone.shapes.map((s, i) => (
            <path key={i} d={shapePath(s)} />
          ))}
        </g>
      ) : null}
      <text className="fascia-label" x={84} y={178} aria-hidden="true">
        Gerota’s fascia
      </text>
      <text className="side-mark" x={12} y={24} aria-hidden="true">
        R
      </text>
      <text className="side-note" x={12} y={38} aria-hidden="true">
        patient’s right
      </text>
      <text className="side-mark" x={DIAGRAM_WIDTH - 12} y={24} textAnchor="end" aria-hidden="true">
        L
      </text>
      <text className="side-note" x={DIAGRAM_WIDTH - 12} y={38} textAnchor="end" aria-hidden="true">
        patient’s left
      </text>
      <g className="organs">
        {DIAGRAM_ORGANS.map((o) => {
          const state = stateOf(o.id);
          const action = plan.get(o.id);
          const origin = origins.includes(o.id);
          const label = organAriaLabel(o.label, state, action, origin);
          const tube = o.shape.kind === 'tube';
          const d = shapePath(o.shape);
          const handlers = interactive
            ? { role: 'button', tabIndex: current === o.id ? 0 : -1, 'aria-label': label, onClick: () => (setCurrent(o.id), onCycle?.(o.id)), onKeyDown: onKey(o.id), onFocus: () => setCurrent(o.id) }
            : { role: 'img', 'aria-label': label };
          return (
            <g key={o.id} className="organ-group">
              {tube && state !== 'none' ? (
                // Involvement outline of a vessel, nerve or bowel: a halo around the stroke, independent of the plan colour.
                <path d={d} className={`halo state-${state}`} style={{ strokeWidth: o.shape.width + 7 }} aria-hidden="true" />
              ) : null}
              <path
                d={d}
                className={`${organClass(o, state, action)}${origin ? ' is-origin' : ''}`}
                style={tube ? { strokeWidth: o.shape.width } : undefined}
                data-organ={o.id}
                data-state={state}
                data-plan={action ?? 'none'}
                {...handlers}
              >
                <title>{label}</title>
              </path>
              {tube && o.shape.kind === 'tube' && o.shape.width < MIN_HIT_WIDTH ? (
                // A wider, invisible hit zone along a thin structure; it acts on the same structure.
                <path
                  d={d}
                  className="hit-zone"
                  style={{ strokeWidth: MIN_HIT_WIDTH }}
                  data-organ={o.id}
                  data-hit="zone"
                  aria-hidden="true"
                  onClick={interactive ? () => (setCurrent(o.id), onCycle?.(o.id)) : undefined}
                />
              ) : null}
            </g>
          );
        })}
      </g>
      {t ? (
        <g className="tumour" aria-hidden="true" data-testid="tumour">
          <circle cx={t.cx} cy={t.cy} r={t.r} />
          <text x={tumourLabel!.x} y={tumourLabel!.y} textAnchor="middle">
            {tumourText}
          </text>
        </g>
      ) : null}
      <g className="origin-marks" aria-hidden="true">
        {origins.map((id) => {
          const o = BY_ID.get(id);
          if (!o) return null;
          const [x, y] = shapeAnchor(o.shape);
          return (
            <g key={id} data-origin={id}>
              <circle cx={x} cy={y} r={7} />
              <text x={x} y={y + 20} textAnchor="middle">
                origin
              </text>
            </g>
          );
        })}
      </g>
      {zoneText ? (
        <text className="compartment-caption" x={DIAGRAM_WIDTH / 2} y={DIAGRAM_HEIGHT - 8} textAnchor="middle" aria-hidden="true">
          {`Tumour compartment: ${zoneText}`}
        </text>
      ) : null}
      <g className="organ-labels" aria-hidden="true">
        {DIAGRAM_ORGANS.filter((o) => o.shortLabel && clearOfTumourLabel(shapeAnchor(o.shape))).map((o) => {
          const [x, y] = shapeAnchor(o.shape);
          // The great vessels are named at their upper end, beside the vessel, where nothing else is labelled.
          const vessel = o.id === 'aorta' || o.id === 'ivc';
          return (
            <text key={o.id} x={vessel ? x + (o.id === 'aorta' ? 16 : -16) : x} y={vessel ? 116 : y + 4} textAnchor="middle">
              {o.shortLabel}
            </text>
          );
        })}
      </g>
    </svg>
  );
}

/** The compartments as drawn: the three fascial spaces first, front to back, then the other zones. */
export function SpacesLegend() {
  const ordered = [...DIAGRAM_COMPARTMENTS].sort((a, b) => Number(b.fascialSpace) - Number(a.fascialSpace) || a.depth - b.depth);
  return (
    <ul className="legend legend-spaces" aria-label="Spaces on the drawing">
      {ordered.map((c) => (
        <li key={c.id} title={c.boundary}>
          <span className={`swatch swatch-zone-${c.id}`} aria-hidden="true" /> {c.label.replace(/^./, (x) => x.toUpperCase())}
          {c.fascialSpace ? <span className="visually-hidden"> (fascial space: {c.boundary})</span> : null}
        </li>
      ))}
      <li>
        <span className="swatch swatch-tumour-compartment" aria-hidden="true" /> Tumour compartment (engine)
      </li>
    </ul>
  );
}

export function AnatomyLegend({ showPlan }: { showPlan: boolean }) {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="swatch swatch-contacted" aria-hidden="true" /> Outline dashed: in contact with the tumour
      </li>
      <li>
        <span className="swatch swatch-infiltrated" aria-hidden="true" /> Outline solid: infiltrated
      </li>
      <li>
        <span className="swatch swatch-tumour" aria-hidden="true" /> Tumour (side and relative size)
      </li>
      <li>
        <span className="swatch swatch-origin" aria-hidden="true" /> Origin
      </li>
      {showPlan
        ? (Object.keys(PLAN_LABELS) as PlanAction[]).map((a) => (
            <li key={a}>
              <span className={`swatch swatch-plan-${a}`} aria-hidden="true" /> Fill: {PLAN_LABELS[a].toLowerCase()}
            </li>
          ))
        : null}
    </ul>
  );
}
