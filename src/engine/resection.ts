import type { Case } from './model/case.ts';
import type { EngineWarning, Explained } from './model/explained.ts';
import { deepFreeze } from './model/explained.ts';
import { COMPARTMENTS, ORGANS_BY_ID, type CompartmentId, type Organ } from './tables/anatomy.ts';
import { RESECTABILITY_CRITERIA as CRITERIA_TABLE, type Resectability, type ResectabilityCriterion } from './tables/resectability.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';
import { label as vocabularyLabel, structureNameInText } from './vocabulary.ts';

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
  /**
   * Structures whose fate the MDT decides, never planned for resection or reconstruction: those named in an
   * unresectability criterion, and both kidneys when the tumour touches both. Disjoint from the other lists.
   */
  readonly decideAtMdt: string[];
  /** Motor nerves planned for sacrifice and the deficit each leaves (REFERENCE-2 §1.6). */
  readonly deficits: NerveDeficit[];
  readonly preoperativeChecks: PreoperativeCheck[];
  /** Anatomy that contradicts itself (side vs sided organs, infiltrated but not contacted, both kidneys). */
  readonly warnings: EngineWarning[];
}

export interface NerveDeficit {
  readonly organ: string;
  readonly deficit: string;
  readonly evidence: EvidenceLevel;
  readonly sources: SourceId[];
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
  'bilateral-kidneys-mdt': {
    label: 'split renal function and a nephron-sparing discussion at the MDT',
    why: 'The tumour touches both kidneys: never remove both en bloc.',
    evidence: 'consensus',
    sources: ['CHO-2018', 'TARPSWG-2015'],
  },
  'motor-nerve-rehabilitation': {
    label: 'consent for the nerve deficit and a rehabilitation plan (physiotherapy, knee brace/orthosis, falls prevention)',
    why: 'A motor nerve is to be sacrificed.',
    evidence: 'consensus',
    sources: ['JONES-2010', 'PLEXOPATHY-2022'],
  },
  metanephrines: {
    label: 'plasma or urine metanephrines',
    why: 'A paraganglioma is possible: biochemistry before surgery (and before any biopsy not yet done).',
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
  /** Already resected macroscopically completely (R0/R1): no operation is planned (REFERENCE-2 §5). */
  readonly alreadyResectedCompletely?: boolean;
  /** What must be excluded before resection (diagnosis.mustExcludeFirst ids), for the provisional plan's wording. */
  readonly mustExcludeFirst?: readonly string[];
}

/** The sarcoma, if any, arises from this structure: it is resected with the tumour (REFERENCE §5; REFERENCE-2 §1.5). */
const ORIGIN_WHY = 'the tumour arises from it';

export function planResection(c: Case, ctx: ResectionContext): ResectionPlan {
  const reasons: string[] = [];
  const sources: SourceId[] = ['TARPSWG-2015', 'STRASS', 'SEED'];
  const warnings: EngineWarning[] = [];
  const side = c.tumor.side;
  const im = c.tumor.imaging;
  const veinOrigin = im?.vesselOrigin;
  const organOrigin = im?.organOfOrigin;
  const origins: string[] = [];
  if (organOrigin !== undefined) origins.push(organOrigin);
  if (veinOrigin !== undefined && !origins.includes(veinOrigin)) origins.push(veinOrigin);
  // A structure the tumour arises from is involved by definition; a critical one counts as infiltrated (STRASS2 criteria).
  const infiltratedIds = distinct(c.tumor.infiltrates ?? [], []);
  for (const id of origins) if (ORGANS_BY_ID.get(id)!.unresectableIfInfiltrated && !infiltratedIds.includes(id)) infiltratedIds.push(id);
  const contactIds = distinct(origins, distinct(infiltratedIds, distinct(c.tumor.contacts ?? [], [])));
  // A renal-vein leiomyosarcoma comes out with its kidney (perirenal compartment; REFERENCE §5 [C]): that kidney is involved.
  const originKidneys: string[] = [];
  for (const id of origins) if (id.startsWith('renal_vein_')) originKidneys.push(`kidney_${id.slice('renal_vein_'.length)}`);
  for (const kidney of originKidneys) if (!contactIds.includes(kidney)) contactIds.push(kidney);
  const infiltrated = organsOf(infiltratedIds);
  const contacted = organsOf(contactIds);
  anatomyWarnings(c, warnings);

  let applies: ResectionPlan['applies'] = ctx.isSarcoma === true ? 'yes' : ctx.isSarcoma === false ? 'no' : 'provisional';
  if (ctx.isSarcoma === false) reasons.push('Not a sarcoma: the sarcoma en bloc resection plan does not apply (no organ list).');
  else if (ctx.alreadyResectedCompletely === true) {
    applies = 'no';
    reasons.push('Already resected macroscopically completely (R0/R1): no operation is planned — surveillance by histology and grade (REFERENCE-2 §5 [consensus]).');
  }
  if (applies === 'provisional') {
    const first = ctx.mustExcludeFirst && ctx.mustExcludeFirst.length > 0 ? ctx.mustExcludeFirst.map((id) => (id === 'germ-cell' ? 'germ-cell tumour' : id)).join(', ') : 'lymphoma, germ-cell tumour and paraganglioma';
    reasons.push(`Diagnosis not confirmed: this plan is provisional — first the tests that must precede a biopsy (metanephrines if a paraganglioma is possible), then a core-needle biopsy, and no resection before the work-up excludes ${first} (REFERENCE §3.1).`);
  }

  // Resectability (STRASS2 criteria, REFERENCE §5) first: a structure named in an unresectability criterion is never planned for resection.
  const extensions = c.tumor.extension ?? [];
  const met: CriterionMet[] = [];
  for (const criterion of RESECTABILITY_CRITERIA) {
    const by = criterionMatches(criterion, infiltrated, contacted, extensions);
    if (by.length === 0) continue;
    met.push({ id: criterion.id, verdict: criterion.verdict, label: criterion.label, by, evidence: criterion.evidence, sources: criterion.sources as SourceId[] });
    addSources(sources, criterion.sources);
  }
  const mdt: string[] = [];
  for (const m of met) if (m.verdict === 'unresectable') for (const id of m.by) if (ORGANS_BY_ID.has(id) && !mdt.includes(id)) mdt.push(id);
  // Whether a criterion named any of them: the kidneys and renal vessels added below for bilateral contact are not.
  const namedInCriterion = mdt.length > 0;

  const enBloc: string[] = [];
  const preserve: string[] = [];
  const vascular: VascularAction[] = [];
  // Never both kidneys en bloc: bilateral contact goes to the MDT with a nephron-sparing discussion (REFERENCE-2 §1.7 [C]).
  const bilateralKidneys = contactIds.includes('kidney_left') && contactIds.includes('kidney_right');
  if (bilateralKidneys) {
    for (const id of ['kidney_left', 'kidney_right']) if (!mdt.includes(id)) mdt.push(id);
    warnings.push({
      code: 'bilateral-kidney-contact',
      path: 'tumor.contacts',
      message: 'The tumour touches both kidneys: never plan both en bloc — split renal function, a nephron-sparing discussion and the MDT decide which kidney, if any, is removed.',
      sources: ['CHO-2018', 'TARPSWG-2015'],
      evidence: 'consensus',
    });
  }
  // Organs first: the renal vessels' fate depends on whether their kidney comes out.
  for (const o of contacted) {
    if (o.vesselKind || o.resectionClass === 'vessel' || mdt.includes(o.id)) continue;
    if (infiltrated.includes(o) || origins.includes(o.id)) {
      enBloc.push(o.id);
      continue;
    }
    // Spleen and pancreatic body/tail come out only when a left-sided tumour is adherent (REFERENCE §5 [C]).
    const resectWhenContiguous = o.resectionClass === 'resect-when-contiguous' || (o.resectionClass === 'resect-when-contiguous-left' && side === 'left');
    (resectWhenContiguous ? enBloc : preserve).push(o.id);
  }
  for (const kidney of originKidneys) {
    if (mdt.includes(kidney) || enBloc.includes(kidney)) continue;
    enBloc.push(kidney);
    const k = preserve.indexOf(kidney);
    if (k >= 0) preserve.splice(k, 1);
  }
  for (const o of contacted) {
    if (!(o.vesselKind || o.resectionClass === 'vessel')) continue;
    if (mdt.includes(o.id)) continue;
    // The renal vessels follow their kidney: to the MDT with it.
    if (o.base.startsWith('renal_') && mdt.includes(`kidney_${o.side}`)) {
      mdt.push(o.id);
      continue;
    }
    const isInfiltrated = infiltrated.includes(o);
    const isOrigin = origins.includes(o.id);
    // The renal vessels go with their kidney in an en bloc nephrectomy (perirenal compartment, SEED), a vein of origin included.
    if (o.base.startsWith('renal_') && enBloc.includes(`kidney_${o.side}`)) {
      enBloc.push(o.id);
      continue;
    }
    // Veins: resected and reconstructed when the tumour's origin or directly involved (IVC: resect and reconstruct,
    // REFERENCE-2 §1.5); arteries dissected free (sub-adventitially) unless invaded (REFERENCE §5 [C]).
    vascular.push({
      organ: o.id,
      action: isInfiltrated || isOrigin ? 'resect-and-reconstruct' : 'dissect-free',
      why: isOrigin ? ORIGIN_WHY : isInfiltrated ? 'directly infiltrated' : o.vesselKind === 'artery' ? 'contact only: dissect free sub-adventitially' : 'contact only: dissect free',
    });
  }
  if (c.tumor.contacts === undefined && c.tumor.infiltrates === undefined && origins.length === 0) {
    reasons.push('No contacted or infiltrated organs recorded (tumor.contacts, tumor.infiltrates): the organs to remove cannot be planned yet.');
  } else {
    reasons.push('Remove the tumour in one piece with the organs it touches — never shell it out along the pseudocapsule, never piecemeal.');
    if (enBloc.length) reasons.push(`En bloc with the tumour: ${organLabels(enBloc)} (contiguous organs of the resect class, every infiltrated organ and the structure of origin) [consensus].`);
    if (preserve.length) reasons.push(`Preserve unless infiltrated: ${organLabels(preserve)} [consensus].`);
    for (const id of origins) {
      if (enBloc.includes(id) || vascular.some((v) => v.organ === id && v.why === ORIGIN_WHY)) reasons.push(`${organLabel(id)}: the tumour arises from it — resected with the tumour, never preserved.`);
    }
    let leftOnly = '';
    for (const o of contacted) {
      if (o.resectionClass === 'resect-when-contiguous-left' && side !== 'left' && !infiltrated.includes(o) && !origins.includes(o.id)) leftOnly += (leftOnly === '' ? '' : ', ') + o.label;
    }
    if (leftOnly !== '') reasons.push(`${leftOnly}: removed en bloc only with a left-sided tumour${side ? ` (this one is ${vocabularyLabel('side', side).toLowerCase()})` : ' (tumour side not recorded)'}.`);
  }
  if (mdt.length) {
    reasons.push(
      `For the MDT, not planned for resection: ${organLabels(mdt)}${bilateralKidneys ? ' (both kidneys: nephron-sparing discussion)' : ''}${namedInCriterion ? ' — named in an unresectability criterion (REFERENCE §5 STRASS2; REFERENCE-2 §1.2: infiltration of the aorta, SMA, coeliac trunk or portal vein is usually unresectable — sub-adventitial dissection only if a plane exists)' : ''}.`,
    );
  }

  // Compartment: the organ of origin's, else the retroperitoneal space with most involved organs (SEED).
  const involved: CompartmentId[] = [];
  for (const o of contacted) if (!involved.includes(o.compartment)) involved.push(o.compartment);
  const originOrgan = organOrigin ? ORGANS_BY_ID.get(organOrigin) : undefined;
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

  const anatomyKnown = c.tumor.contacts !== undefined || c.tumor.infiltrates !== undefined || c.tumor.extension !== undefined || origins.length > 0;
  let status: Resectability | null = null;
  if (ctx.isSarcoma === false) {
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

  // Pre-operative checks (REFERENCE §5 [C]; REFERENCE-2 §1.6–§1.7).
  const checks: PreoperativeCheck[] = [];
  const deficits: NerveDeficit[] = [];
  if (ctx.paragangliomaPossible) addCheck(checks, sources, 'metanephrines');
  if (applies !== 'no') {
    let kidneys = '';
    for (const id of enBloc) if (id.startsWith('kidney_')) kidneys += (kidneys === '' ? '' : ', ') + organLabel(id);
    if (kidneys !== '') addCheck(checks, sources, 'contralateral-kidney-function', `${kidneys} to be removed; after en bloc nephrectomy eGFR falls to about 74 % of baseline.`);
    if (bilateralKidneys) addCheck(checks, sources, 'bilateral-kidneys-mdt');
    const spleenAtRisk = enBloc.includes('spleen') || enBloc.includes('pancreas_body_tail') || contactIds.includes('spleen');
    if (spleenAtRisk) addCheck(checks, sources, 'splenectomy-vaccination');
    let reconstruct = '';
    for (const v of vascular) if (v.action === 'resect-and-reconstruct') reconstruct += (reconstruct === '' ? '' : ', ') + organLabel(v.organ);
    if (reconstruct !== '') addCheck(checks, sources, 'vascular-surgeon', `${reconstruct} to be resected and reconstructed.`);
    // Sacrificing a motor nerve: its deficit, consent and rehabilitation (REFERENCE-2 §1.6 [V] PLEXOPATHY-2022, JONES-2010; [C] rules).
    for (const id of enBloc) {
      const deficit = ORGANS_BY_ID.get(id)!.motorDeficit;
      if (deficit === undefined) continue;
      deficits.push({ organ: id, deficit, evidence: 'verified', sources: ['PLEXOPATHY-2022', 'JONES-2010'] });
      addCheck(checks, sources, 'motor-nerve-rehabilitation', `${organLabel(id)} to be sacrificed: ${deficit}.`);
    }
    if (deficits.length) reasons.push(`Functional deficit of the nerve sacrifice: ${deficits.map((d) => `${organLabel(d.organ)} — ${d.deficit}`).join('; ')} (REFERENCE-2 §1.6).`);
  }
  if (checks.length) {
    let labels = checks[0]!.label;
    for (let k = 1; k < checks.length; k++) labels += '; ' + checks[k]!.label;
    reasons.push(`Before the operation: ${labels}.`);
  }

  const none = applies === 'no';
  return {
    applies,
    evidence: 'consensus',
    compartment: { primary, label: primary ? COMPARTMENTS[primary] : null, involved },
    enBloc: none ? [] : enBloc,
    preserveUnlessInfiltrated: none ? [] : preserve,
    vascular: none ? [] : vascular,
    decideAtMdt: none ? [] : mdt,
    deficits: none ? [] : deficits,
    resectability: { status, criteria: met },
    preoperativeChecks: checks,
    warnings,
    reasons,
    sources,
  };
}

/** Anatomy that contradicts itself: a sided organ on the other side; infiltrated but not contacted (issue 10, item 3). */
function anatomyWarnings(c: Case, warnings: EngineWarning[]): void {
  const side = c.tumor.side;
  const lists = [['contacts', c.tumor.contacts ?? []], ['infiltrates', c.tumor.infiltrates ?? []]] as const;
  if (side === 'left' || side === 'right') {
    const other = side === 'left' ? '_right' : '_left';
    for (const [field, ids] of lists) {
      ids.forEach((id, i) => {
        if (!id.endsWith(other)) return;
        warnings.push({
          code: 'side-contradicts-organ',
          path: `tumor.${field}[${i}]`,
          message: `A ${vocabularyLabel('side', side).toLowerCase()}-sided tumour ${field === 'contacts' ? 'touching' : 'infiltrating'} the ${organLabel(id)}: check the side or the organ — the plan removes what is recorded.`,
          sources: ['SEED'],
          evidence: 'consensus',
        });
      });
    }
  }
  const contacts = c.tumor.contacts;
  if (contacts !== undefined) {
    (c.tumor.infiltrates ?? []).forEach((id, i) => {
      if (contacts.includes(id)) return;
      warnings.push({
        code: 'infiltrated-not-contacted',
        path: `tumor.infiltrates[${i}]`,
        message: `${organLabel(id)} is recorded as infiltrated but not as contacted: treated as contacted and infiltrated.`,
        sources: ['SEED'],
        evidence: 'consensus',
      });
    });
  }
}

/** Human name in a sentence (organ, vessel or extension site), from the vocabulary: never the raw id. */
function organLabel(id: string): string {
  return structureNameInText(id);
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
