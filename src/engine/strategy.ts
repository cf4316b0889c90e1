import type { Case, Grade } from './model/case.ts';
import type { Explained } from './model/explained.ts';
import { deepFreeze, uniqueSources } from './model/explained.ts';
import { BoundedMemo } from './model/memo.ts';
import type { DiagnosisResult } from './diagnosis.ts';
import type { ResectionPlan } from './resection.ts';
import { HISTOLOGIES, histologyByCode } from './tables/histology.ts';
import { RESECTABILITY_CRITERIA } from './tables/resectability.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';
import {
  PRIORITIES,
  STRATEGY_BY_FAMILY,
  UNDIAGNOSED_PRIORITIES,
  type GradeBand,
  type PriorityId,
  type StrategyRow,
} from './tables/strategy-rules.ts';

export interface Priority {
  readonly id: PriorityId;
  readonly label: string;
  readonly rationale: string;
  readonly evidence: EvidenceLevel;
  readonly sources: SourceId[];
}

export interface StrategyResult extends Explained {
  /** What matters most first. */
  readonly priorities: Priority[];
  /** The pathway a non-sarcoma leaves for, when there is one. */
  readonly pathway: string | null;
}

export function gradeBand(grade: Grade): GradeBand {
  return grade === 'G3' ? 'G3' : grade === 'GX' ? 'GX' : 'G1-2';
}

function rowFor(family: string, band: GradeBand): StrategyRow | undefined {
  return STRATEGY_BY_FAMILY.find((r) => (r.families as readonly string[]).includes(family) && (r.grade === undefined || r.grade === band));
}

/**
 * Histology-driven strategy (REFERENCE.md §4): the table's ordered priorities for
 * the diagnosis, adjusted for the work-up still needed (§3.1), resectability (§5)
 * and the presentation.
 */
export function planStrategy(c: Case, diagnosis: DiagnosisResult, grade: Grade, resection: ResectionPlan): StrategyResult {
  // The strategy depends only on these few facts: one frozen result per combination, shared.
  return STRATEGIES.get(strategyKey(c, diagnosis, grade, resection), () => deepFreeze(buildStrategy(c, diagnosis, grade, resection)));
}

const STRATEGIES = new BoundedMemo<number | string, StrategyResult>(4096);

/** Small integer codes of the facts the strategy depends on: no string is built per case. */
const HISTOLOGY_INDEX: ReadonlyMap<string, number> = new Map(HISTOLOGIES.map((h, i) => [h.code, i]));
const CRITERION_BIT: ReadonlyMap<string, number> = new Map(RESECTABILITY_CRITERIA.map((r, i) => [r.id, 1 << i]));
const GRADE_CODE: Readonly<Record<Grade, number>> = { G1: 0, G2: 1, G3: 2, GX: 3 };

function strategyKey(c: Case, diagnosis: DiagnosisResult, grade: Grade, resection: ResectionPlan): number | string {
  const leading = diagnosis.leading;
  const histology = leading === null ? HISTOLOGIES.length : HISTOLOGY_INDEX.get(leading.code);
  let criteria = 0;
  for (const m of resection.resectability.criteria) criteria |= CRITERION_BIT.get(m.id) ?? 0;
  let metanephrines = 0;
  for (const f of diagnosis.redFlags) if (f.id === 'metanephrines-before-biopsy') metanephrines = 1;
  let veinOfOrigin = 0;
  for (const v of resection.vascular) if (v.why === VEIN_OF_ORIGIN) veinOfOrigin = 1;
  const status = resection.resectability.status;
  const g = GRADE_CODE[grade] as number | undefined;
  if (histology === undefined || g === undefined || RESECTABILITY_CRITERIA.length > 12) {
    return `${leading?.code}|${leading?.basis}|${diagnosis.isSarcoma}|${grade}|${c.presentation}|${c.tumor.metastasis === 'M1'}|${metanephrines}|${veinOfOrigin}|${status}|${criteria}`;
  }
  let key = histology;
  key = key * 3 + (leading === null ? 0 : leading.basis === 'pathologist' ? 1 : 2);
  key = key * 3 + (diagnosis.isSarcoma === null ? 0 : diagnosis.isSarcoma ? 1 : 2);
  key = key * 4 + g;
  key = key * 2 + (c.presentation === 'recurrent' ? 1 : 0);
  key = key * 2 + (c.tumor.metastasis === 'M1' ? 1 : 0);
  key = key * 2 + metanephrines;
  key = key * 2 + veinOfOrigin;
  key = key * 4 + (status === null ? 0 : status === 'resectable' ? 1 : status === 'borderline' ? 2 : 3);
  return key * 4096 + criteria;
}
const VEIN_OF_ORIGIN = 'the tumour arises from it';

function buildStrategy(c: Case, diagnosis: DiagnosisResult, grade: Grade, resection: ResectionPlan): StrategyResult {
  const reasons: string[] = [];
  const extra: Partial<Record<PriorityId, string>> = {};
  const histology = diagnosis.leading ? histologyByCode(diagnosis.leading.code) : undefined;
  const band = gradeBand(grade);
  const row = histology ? rowFor(histology.family, band) : undefined;
  let ids: PriorityId[];
  let pathway: string | null = null;

  if (!row || diagnosis.isSarcoma === null) {
    ids = [...UNDIAGNOSED_PRIORITIES];
    reasons.push('No established diagnosis: refer to a sarcoma centre and obtain a core-needle biopsy there before any treatment decision; no resection yet.');
  } else {
    ids = [...row.priorities];
    pathway = row.pathway ?? null;
    Object.assign(extra, row.notes ?? {});
    reasons.push(
      diagnosis.isSarcoma
        ? `Strategy for ${histology!.name}${row.grade ? ` (${band})` : ''} (REFERENCE §4).`
        : `${histology!.name} is not a sarcoma: ${pathway ?? 'its own pathway'} (REFERENCE §4 [consensus]).`,
    );
    if (pathway) extra['non-sarcoma-pathway'] = `Pathway: ${pathway}.`;
    if (diagnosis.isSarcoma && diagnosis.leading!.basis === 'findings') {
      // The diagnosis is inferred from imaging/markers: confirm on a core biopsy at the centre first (REFERENCE §3.1).
      ids = ['refer-sarcoma-centre', 'core-needle-biopsy', ...ids.filter((id) => id !== 'refer-sarcoma-centre')];
      extra['core-needle-biopsy'] = `Confirms the inferred ${diagnosis.leading!.name} and its grade before treatment.`;
      reasons.push('The diagnosis is inferred from the findings: refer and confirm it on a core-needle biopsy first.');
    }
    if (ids.includes('vein-resection-reconstruction') && !resection.vascular.some((v) => v.why === VEIN_OF_ORIGIN)) {
      ids = ids.filter((id) => id !== 'vein-resection-reconstruction');
    }
  }

  if (diagnosis.redFlags.some((f) => f.id === 'metanephrines-before-biopsy') && !ids.includes('biochemical-workup')) {
    ids.unshift('biochemical-workup');
    reasons.push('A paraganglioma is possible: metanephrines come before any biopsy or surgery.');
  }

  if (diagnosis.isSarcoma === true && ids.includes('en-bloc-resection')) {
    const r = resection.resectability;
    const criteria = r.criteria.map((m) => m.label).join('; ');
    if (r.status === 'unresectable') {
      // Unresectable: the MDT decides; not surgery-first (REFERENCE §5 [V] STRASS2 criteria; [C] MDT).
      ids = ['mdt-discussion', ...ids.filter((id) => id !== 'en-bloc-resection' && id !== 'vein-resection-reconstruction' && id !== 'mdt-discussion')];
      extra['mdt-discussion'] = `Unresectable (${criteria}): only an R2 resection is expected — not surgery-first; systemic or other treatment decided by the sarcoma MDT.`;
      reasons.push(`Unresectable by STRASS2 criteria (${criteria}): MDT discussion replaces surgery-first.`);
    } else if (r.status === 'borderline') {
      ids = ['mdt-discussion', ...ids.filter((id) => id !== 'mdt-discussion')];
      extra['mdt-discussion'] = `Borderline resectable (${criteria}): the MDT weighs the resection before any operation.`;
      reasons.push(`Borderline resectability (${criteria}): MDT discussion first.`);
    }
  }
  if (diagnosis.isSarcoma !== false && c.presentation === 'recurrent' && !ids.includes('mdt-discussion')) {
    ids.unshift('mdt-discussion');
    extra['mdt-discussion'] = 'Recurrent RPS: treatment is individualised by the sarcoma MDT (TARPSWG recurrent-RPS consensus).';
  }
  if (diagnosis.isSarcoma !== false && c.tumor.metastasis === 'M1' && !ids.includes('mdt-discussion')) {
    ids.unshift('mdt-discussion');
    extra['mdt-discussion'] = 'Distant metastasis (M1): the sarcoma MDT decides the sequence of treatment.';
  }

  const priorities: Priority[] = [...new Set(ids)].map((id) => {
    const def = PRIORITIES[id];
    const sources: SourceId[] = [...def.sources];
    if (id === 'mdt-discussion' && c.presentation === 'recurrent') sources.push('TARPSWG-REC-2016', 'TARPSWG-REC-2022');
    if (id === 'mdt-discussion' && resection.resectability.status && resection.resectability.status !== 'resectable') sources.push('STRASS2');
    if (id === 'en-bloc-resection' && extra[id]) sources.push('PDQ');
    return {
      id,
      label: def.label,
      rationale: extra[id] ? `${extra[id]} ${def.rationale}` : def.rationale,
      evidence: def.evidence,
      sources: [...new Set(sources)],
    };
  });
  return { priorities, pathway, reasons, sources: uniqueSources(...priorities.map((p) => p.sources)) };
}
