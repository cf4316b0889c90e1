import type { Case } from './model/case.ts';
import type { Explained } from './model/explained.ts';
import { deepFreeze } from './model/explained.ts';
import { COMPARTMENTS, ORGANS_BY_ID, type CompartmentId, type Organ } from './tables/anatomy.ts';
import { RESECTABILITY_CRITERIA as CRITERIA_TABLE, type Resectability, type ResectabilityCriterion } from './tables/resectability.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';

/**
 * En bloc resection plan (REFERENCE.md §5): which organs come out with the
 * tumour, which are kept unless infiltrated, what happens to vessels, whether the
 * tumour is resectable, and what to check before the operation. Organ classes,
 * compartments and sides come from `tables/anatomy.ts`; the criteria from
 * `tables/resectability.ts`.
 */

export interface VascularAction {
  readonly organ: string;
  readonly action: 'resect-and-reconstruct' | 'dissect-free';
  readonly why: string;
}

export interface PreoperativeCheck {
  readonly id: string;
  readonly label: string;
  readonly why: string;
  readonly evidence: EvidenceLevel;
  readonly sources: SourceId[];
}

export interface CriterionMet {
  readonly id: string;
  readonly verdict: Exclude<Resectability, 'resectable'>;
  readonly label: string;
  /** Organs or extensions that meet it. */
  readonly by: string[];
  readonly evidence: EvidenceLevel;
  readonly sources: SourceId[];
}

export interface ResectionPlan extends Explained {
  /** Whether the sarcoma en bloc plan applies: not to a non-sarcoma; provisional while the diagnosis is open. */
  readonly applies: 'yes' | 'provisional' | 'no';
  /** The organ classes and vessel handling are consensus practice (REFERENCE §5 [C]); each resectability criterion carries its own level. */
  readonly evidence: 'consensus';
  readonly compartment: { readonly primary: CompartmentId | null; readonly label: string | null; readonly involved: CompartmentId[] };
  readonly enBloc: string[];
  readonly preserveUnlessInfiltrated: string[];
  readonly vascular: VascularAction[];
  readonly resectability: { readonly status: Resectability | null; readonly criteria: CriterionMet[] };
  readonly preoperativeChecks: PreoperativeCheck[];
}

/** Pre-operative checks (REFERENCE.md §5 [C]; eGFR figure [V] CHO-2018). */
export const PREOPERATIVE_CHECKS = {
  'contralateral-kidney-function': {
    label: 'function of the other kidney (split renal function or eGFR)',
    why: 'A nephrectomy is planned; after en bloc nephrectomy eGFR falls to about 74 % of baseline.',
    evidence: 'consensus',
    sources: ['CHO-2018', 'TARPSWG-2015'],
  },
  'splenectomy-vaccination': {
    label: 'vaccination against encapsulated bacteria at least 2 weeks before surgery',
    why: 'A splenectomy is possible.',
    evidence: 'consensus',
    sources: ['TARPSWG-2015'],
  },
  'vascular-surgeon': {
    label: 'vascular surgeon on the team',
    why: 'A vessel is to be resected and reconstructed.',
    evidence: 'consensus',
    sources: ['TARPSWG-2015'],
  },
  metanephrines: {
    label: 'plasma or urine metanephrines',
    why: 'A paraganglioma is possible: biochemistry before any biopsy or surgery.',
    evidence: 'verified',
    sources: ['VANDERVEEN-2009'],
  },
} as const satisfies Record<string, { label: string; why: string; evidence: EvidenceLevel; sources: SourceId[] }>;

function criterionMatches(criterion: ResectabilityCriterion, infiltrated: readonly Organ[], contacted: readonly Organ[], extensions: readonly string[]): string[] {
  const t = criterion.test;
  const ids: string[] = [];
  switch (t.kind) {
    case 'infiltrates-critical':
      for (const o of infiltrated) if (o.unresectableIfInfiltrated) ids.push(o.id);
      return ids;
    case 'contacts-critical':
      for (const o of contacted) if (o.unresectableIfInfiltrated && !infiltrated.includes(o)) ids.push(o.id);
      return ids;
    case 'extension':
      if (extensions.includes(t.extension)) ids.push(t.extension);
      return ids;
    case 'major-organs-infiltrated': {
      for (const o of infiltrated) if (o.majorOrgan) ids.push(o.id);
      return ids.length >= t.min && (t.max === undefined || ids.length <= t.max) ? ids : [];
    }
  }
}

/** Shared with the criteria in every plan: frozen. */
const RESECTABILITY_CRITERIA = deepFreeze(CRITERIA_TABLE);

const VERDICT_RANK: Record<Resectability, number> = { resectable: 0, borderline: 1, unresectable: 2 };

export interface ResectionContext {
  readonly isSarcoma: boolean | null;
  /** A paraganglioma is possible (diagnosis red flag): metanephrines before surgery. */
  readonly paragangliomaPossible: boolean;
}

export function planResection(c: Case, ctx: ResectionContext): ResectionPlan {
  const reasons: string[] = [];
  const sources: SourceId[] = ['TARPSWG-2015', 'STRASS', 'SEED'];
  const side = c.tumor.side;
  const infiltratedIds = distinct(c.tumor.infiltrates ?? [], []);
  const contactIds = distinct(infiltratedIds, distinct(c.tumor.contacts ?? [], []));
  const infiltrated = organsOf(infiltratedIds);
  const contacted = organsOf(contactIds);
  const origin = c.tumor.imaging?.vesselOrigin;

  const applies: ResectionPlan['applies'] = ctx.isSarcoma === true ? 'yes' : ctx.isSarcoma === false ? 'no' : 'provisional';
  if (applies === 'no') reasons.push('Not a sarcoma: the sarcoma en bloc resection plan does not apply (no organ list).');
  if (applies === 'provisional') reasons.push('Diagnosis not established: this plan is provisional — no resection before the work-up excludes lymphoma, germ-cell tumour and paraganglioma.');

  const enBloc: string[] = [];
  const preserve: string[] = [];
  const vascular: VascularAction[] = [];
  // Organs first: the renal vessels' fate depends on whether their kidney comes out.
  for (const o of contacted) {
    if (o.vesselKind || o.resectionClass === 'vessel') continue;
    if (infiltrated.includes(o)) {
      enBloc.push(o.id);
      continue;
    }
    // Spleen and pancreatic body/tail come out only when a left-sided tumour is adherent (REFERENCE §5 [C]).
    const resectWhenContiguous = o.resectionClass === 'resect-when-contiguous' || (o.resectionClass === 'resect-when-contiguous-left' && side === 'left');
    (resectWhenContiguous ? enBloc : preserve).push(o.id);
  }
  for (const o of contacted) {
    if (!(o.vesselKind || o.resectionClass === 'vessel')) continue;
    const isInfiltrated = infiltrated.includes(o);
    const isOrigin = origin === o.id;
    // The renal vessels go with their kidney in an en bloc nephrectomy (perirenal compartment, SEED).
    if (!isOrigin && o.base.startsWith('renal_') && enBloc.includes(`kidney_${o.side}`)) {
      enBloc.push(o.id);
      continue;
    }
    // Veins: resected and reconstructed when the tumour's origin or directly involved; arteries dissected free
    // (sub-adventitially) unless invaded (REFERENCE §5 [C]).
    vascular.push({
      organ: o.id,
      action: isInfiltrated || isOrigin ? 'resect-and-reconstruct' : 'dissect-free',
      why: isOrigin ? 'the tumour arises from it' : isInfiltrated ? 'directly infiltrated' : o.vesselKind === 'artery' ? 'contact only: dissect free sub-adventitially' : 'contact only: dissect free',
    });
  }
  // A vein of origin that is not listed as contacted (e.g. IVC leiomyosarcoma) is still resected.
  if (origin !== undefined && !contactIds.includes(origin)) {
    const o = ORGANS_BY_ID.get(origin)!;
    if (o.vesselKind === 'vein' || o.resectionClass === 'vessel') vascular.push({ organ: o.id, action: 'resect-and-reconstruct', why: 'the tumour arises from it' });
  }
  if (c.tumor.contacts === undefined && c.tumor.infiltrates === undefined) {
    reasons.push('No contacted or infiltrated organs recorded (tumor.contacts, tumor.infiltrates): the organs to remove cannot be planned yet.');
  } else {
    reasons.push('Remove the tumour in one piece with the organs it touches — never shell it out along the pseudocapsule, never piecemeal.');
    if (enBloc.length) reasons.push(`En bloc with the tumour: ${organLabels(enBloc)} (contiguous organs of the resect class, and every infiltrated organ) [consensus].`);
    if (preserve.length) reasons.push(`Preserve unless infiltrated: ${organLabels(preserve)} [consensus].`);
    let leftOnly = '';
    for (const o of contacted) {
      if (o.resectionClass === 'resect-when-contiguous-left' && side !== 'left' && !infiltrated.includes(o)) leftOnly += (leftOnly === '' ? '' : ', ') + o.label;
    }
    if (leftOnly !== '') reasons.push(`${leftOnly}: removed en bloc only with a left-sided tumour${side ? ` (this one is ${side})` : ' (tumour side not recorded)'}.`);
  }

  // Compartment: the organ of origin's, else the retroperitoneal space with most involved organs (SEED).
  const involved: CompartmentId[] = [];
  for (const o of contacted) if (!involved.includes(o.compartment)) involved.push(o.compartment);
  const originOrgan = c.tumor.imaging?.organOfOrigin ? ORGANS_BY_ID.get(c.tumor.imaging.organOfOrigin) : undefined;
  let primary: CompartmentId | null = originOrgan?.compartment ?? null;
  if (!primary) {
    // The space with most contacted organs; on a tie, the first in RETROPERITONEAL_SPACES.
    let most = 0;
    for (const space of RETROPERITONEAL_SPACES) {
      let n = 0;
      for (const o of contacted) if (o.compartment === space) n++;
      if (n > most) {
        most = n;
        primary = space;
      }
    }
  }
  reasons.push(primary ? `Compartment: ${COMPARTMENTS[primary]} — resect the compartment along its fascial planes.` : 'Compartment not determined from the recorded organs.');

  // Resectability (STRASS2 criteria, REFERENCE §5).
  const extensions = c.tumor.extension ?? [];
  const met: CriterionMet[] = [];
  for (const criterion of RESECTABILITY_CRITERIA) {
    const by = criterionMatches(criterion, infiltrated, contacted, extensions);
    if (by.length === 0) continue;
    met.push({ id: criterion.id, verdict: criterion.verdict, label: criterion.label, by, evidence: criterion.evidence, sources: criterion.sources as SourceId[] });
    addSources(sources, criterion.sources);
  }
  const anatomyKnown = c.tumor.contacts !== undefined || c.tumor.infiltrates !== undefined || c.tumor.extension !== undefined;
  let status: Resectability | null = null;
  if (applies === 'no') {
    met.length = 0;
    reasons.push('Resectability by sarcoma criteria: not applicable.');
  } else if (met.length > 0) {
    let worst: Resectability = 'resectable';
    let listed = '';
    for (const m of met) {
      if (VERDICT_RANK[m.verdict] > VERDICT_RANK[worst]) worst = m.verdict;
      listed += (listed === '' ? '' : '; ') + m.label + ' — ' + organLabels(m.by) + (m.evidence === 'consensus' ? ' [consensus]' : '');
    }
    status = worst;
    reasons.push(`${status === 'unresectable' ? 'Unresectable (only an R2 resection expected)' : 'Borderline resectable'}: ${listed}.`);
  } else if (anatomyKnown) {
    status = 'resectable';
    reasons.push('Resectable: no STRASS2 unresectability criterion met by the recorded organs and extensions.');
  } else {
    reasons.push('Resectability not determined: record the contacted and infiltrated organs and any extension (tumor.contacts, tumor.infiltrates, tumor.extension).');
  }

  // Pre-operative checks (REFERENCE §5 [C]).
  const checks: PreoperativeCheck[] = [];
  if (ctx.paragangliomaPossible) addCheck(checks, sources, 'metanephrines');
  if (applies !== 'no') {
    let kidneys = '';
    for (const id of enBloc) if (id.startsWith('kidney_')) kidneys += (kidneys === '' ? '' : ', ') + organLabel(id);
    if (kidneys !== '') addCheck(checks, sources, 'contralateral-kidney-function', `${kidneys} to be removed; after en bloc nephrectomy eGFR falls to about 74 % of baseline.`);
    const spleenAtRisk = enBloc.includes('spleen') || enBloc.includes('pancreas_body_tail') || contactIds.includes('spleen');
    if (spleenAtRisk) addCheck(checks, sources, 'splenectomy-vaccination');
    let reconstruct = '';
    for (const v of vascular) if (v.action === 'resect-and-reconstruct') reconstruct += (reconstruct === '' ? '' : ', ') + organLabel(v.organ);
    if (reconstruct !== '') addCheck(checks, sources, 'vascular-surgeon', `${reconstruct} to be resected and reconstructed.`);
  }
  if (checks.length) {
    let labels = checks[0]!.label;
    for (let k = 1; k < checks.length; k++) labels += '; ' + checks[k]!.label;
    reasons.push(`Before the operation: ${labels}.`);
  }

  return {
    applies,
    evidence: 'consensus',
    compartment: { primary, label: primary ? COMPARTMENTS[primary] : null, involved },
    enBloc: applies === 'no' ? [] : enBloc,
    preserveUnlessInfiltrated: applies === 'no' ? [] : preserve,
    vascular: applies === 'no' ? [] : vascular,
    resectability: { status, criteria: met },
    preoperativeChecks: checks,
    reasons,
    sources,
  };
}

function organLabel(id: string): string {
  return ORGANS_BY_ID.get(id)?.label ?? id;
}

/** The organs' labels, comma-separated. */
function organLabels(ids: readonly string[]): string {
  let out = '';
  for (let k = 0; k < ids.length; k++) out += (k === 0 ? '' : ', ') + organLabel(ids[k]!);
  return out;
}

function organsOf(ids: readonly string[]): Organ[] {
  const out: Organ[] = [];
  for (const id of ids) out.push(ORGANS_BY_ID.get(id)!);
  return out;
}

/** The retroperitoneal spaces a primary compartment is chosen from, in tie-break order (SEED). */
const RETROPERITONEAL_SPACES: readonly CompartmentId[] = ['perirenal', 'anterior_pararenal', 'posterior_pararenal'];

/** Appends the ids of `ids` not yet in `into` (in order) and returns `into`. Lists are short: no Set needed. */
function distinct(ids: readonly string[], into: string[]): string[] {
  for (const id of ids) if (!into.includes(id)) into.push(id);
  return into;
}

function addSources(into: SourceId[], ids: readonly SourceId[]): void {
  for (const id of ids) if (!into.includes(id)) into.push(id);
}

/** The checks with their standard wording, shared and frozen. */
const STANDARD_CHECKS = deepFreeze(
  Object.fromEntries(
    (Object.keys(PREOPERATIVE_CHECKS) as (keyof typeof PREOPERATIVE_CHECKS)[]).map((id) => {
      const def = PREOPERATIVE_CHECKS[id];
      return [id, { id, label: def.label, why: def.why, evidence: def.evidence, sources: [...def.sources] } satisfies PreoperativeCheck];
    }),
  ) as Record<keyof typeof PREOPERATIVE_CHECKS, PreoperativeCheck>,
);

function addCheck(checks: PreoperativeCheck[], sources: SourceId[], id: keyof typeof PREOPERATIVE_CHECKS, why?: string): void {
  const standard = STANDARD_CHECKS[id];
  checks.push(why === undefined ? standard : { id, label: standard.label, why, evidence: standard.evidence, sources: standard.sources });
  addSources(sources, standard.sources);
}
