import type { Case, Grade } from './model/case.ts';
import type { Explained } from './model/explained.ts';
import { deepFreeze, uniqueSources } from './model/explained.ts';
import { BoundedMemo } from './model/memo.ts';
import type { DiagnosisResult } from './diagnosis.ts';
import type { ResectionPlan } from './resection.ts';
import type { GrowthResult } from './growth.ts';
import type { PathwayResult } from './pathway.ts';
import { HISTOLOGIES, histologyByCode } from './tables/histology.ts';
import { RESECTABILITY_CRITERIA } from './tables/resectability.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';
import { label } from './vocabulary.ts';
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
export function planStrategy(
  c: Case,
  diagnosis: DiagnosisResult,
  grade: Grade,
  resection: ResectionPlan,
  pathway?: PathwayResult,
  growth?: GrowthResult | null,
): StrategyResult {
  const position = pathway?.position ?? (c.presentation === 'recurrent' ? 'recurrent' : 'untreated');
  // Before any resection the strategy depends only on a few facts: one frozen result per combination, shared.
  // Later positions (after a resection, recurrence) carry case-specific wording and are built per case.
  // After a resection the wording depends on the last resection's facts only; a recurrence carries case-specific figures.
  const last = pathway?.lastResection;
  const key =
    position === 'untreated' || position === 'biopsied'
      ? withExclusions(strategyKey(c, diagnosis, grade, resection, position === 'biopsied'), diagnosis)
      : position !== 'recurrent' && last
        ? `${withExclusions(strategyKey(c, diagnosis, grade, resection, pathway?.biopsied === true), diagnosis)}|${position}|${last.where}|${last.resectionType}|${last.margin}|${pathway!.spill}`
        : null;
  const base = key === null ? deepFreeze(buildStrategy(c, diagnosis, grade, resection, pathway)) : STRATEGIES.get(key, () => deepFreeze(buildStrategy(c, diagnosis, grade, resection, pathway)));
  return withGrowth(base, diagnosis, growth ?? null);
}

/** Must-exclude entries are shared frozen objects (one per wording): a small id each extends the memo key. */
const EXCLUSION_IDS = new WeakMap<object, number>();
function withExclusions(key: number | string, diagnosis: DiagnosisResult): number | string {
  if (diagnosis.mustExcludeFirst.length === 0) return key;
  let out = `${key}|`;
  for (const e of diagnosis.mustExcludeFirst) {
    let id = EXCLUSION_IDS.get(e);
    if (id === undefined) {
      id = EXCLUSION_IDS_NEXT.n++;
      EXCLUSION_IDS.set(e, id);
    }
    out += `${id},`;
  }
  return out;
}
const EXCLUSION_IDS_NEXT = { n: 0 };

/**
 * The seed's "rapidly doubling LMS" makes the case for systemic therapy first: when a doubling time was measured,
 * the neoadjuvant priority says so (REFERENCE-2 §3; SEED). No verified cut-off defines "rapid" — the figure is shown.
 */
function withGrowth(base: StrategyResult, diagnosis: DiagnosisResult, growth: GrowthResult | null): StrategyResult {
  if (growth === null || growth.volumeDoublingTimeDays === null || growth.withinMeasurementError) return base;
  const family = diagnosis.leading ? histologyByCode(diagnosis.leading.code)?.family : undefined;
  if (family !== 'lms') return base;
  const k = base.priorities.findIndex((p) => p.id === 'neoadjuvant-chemotherapy');
  if (k < 0) return base;
  const note = `Measured growth: volume doubling time ${growth.volumeDoublingTimeDays} days (${growth.from} → ${growth.to}, ${growth.method === 'ellipsoid' ? 'ellipsoid volumes' : 'one dimension, sphere assumed'}) — the seed's "rapidly doubling LMS" is the case for systemic therapy first; no verified cut-off defines "rapid".`;
  const priorities = base.priorities.slice();
  const p = priorities[k]!;
  priorities[k] = { ...p, rationale: `${note} ${p.rationale}`, sources: uniqueSources(p.sources, ['MEHRARA-2007']) };
  return deepFreeze({ priorities, pathway: base.pathway, reasons: [...base.reasons, 'Growth kinetics measured: shown with the systemic-therapy priority (REFERENCE-2 §3).'], sources: uniqueSources(base.sources, ['MEHRARA-2007']) });
}

const STRATEGIES = new BoundedMemo<number | string, StrategyResult>(4096);

/** Small integer codes of the facts the strategy depends on: no string is built per case. */
const HISTOLOGY_INDEX: ReadonlyMap<string, number> = new Map(HISTOLOGIES.map((h, i) => [h.code, i]));
const CRITERION_BIT: ReadonlyMap<string, number> = new Map(RESECTABILITY_CRITERIA.map((r, i) => [r.id, 1 << i]));
const GRADE_CODE: Readonly<Record<Grade, number>> = { G1: 0, G2: 1, G3: 2, GX: 3 };

function strategyKey(c: Case, diagnosis: DiagnosisResult, grade: Grade, resection: ResectionPlan, biopsied: boolean): number | string {
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
    return `${leading?.code}|${leading?.basis}|${diagnosis.isSarcoma}|${grade}|${c.presentation}|${c.tumor.metastasis === 'M1'}|${metanephrines}|${veinOfOrigin}|${status}|${criteria}|${biopsied}|${c.tumor.multifocal === true}|${smallTumour(c)}`;
  }
  let key = histology;
  key = key * 4 + (leading === null ? 0 : leading.basis === 'pathologist' ? 1 : leading.basis === 'molecular' ? 2 : 3);
  key = key * 2 + (biopsied ? 1 : 0);
  key = key * 2 + (c.tumor.multifocal === true ? 1 : 0);
  key = key * 2 + (smallTumour(c) ? 1 : 0);
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

/** T1 (≤ 5 cm): the size at which the seed's systemic-first LMS rationale is weakest (AJCC8 T1; issue 10 review). */
function smallTumour(c: Case): boolean {
  return c.tumor.sizeCm !== undefined && c.tumor.sizeCm <= 5;
}

function mdtFirst(ids: readonly PriorityId[]): PriorityId[] {
  return ['mdt-discussion', ...ids.filter((id) => id !== 'mdt-discussion')];
}

function buildStrategy(c: Case, diagnosis: DiagnosisResult, grade: Grade, resection: ResectionPlan, pathwayInfo: PathwayResult | undefined): StrategyResult {
  const reasons: string[] = [];
  const extra: Partial<Record<PriorityId, string>> = {};
  const histology = diagnosis.leading ? histologyByCode(diagnosis.leading.code) : undefined;
  const band = gradeBand(grade);
  const row = histology ? rowFor(histology.family, band) : undefined;
  let ids: PriorityId[];
  let pathway: string | null = null;
  const position = pathwayInfo?.position ?? (c.presentation === 'recurrent' ? 'recurrent' : 'untreated');
  const biopsied = pathwayInfo?.biopsied === true;

  if (!row || diagnosis.isSarcoma === null) {
    ids = [...UNDIAGNOSED_PRIORITIES];
    if (diagnosis.mustExcludeFirst.length > 0) {
      ids.splice(1, 0, 'exclude-first');
      extra['exclude-first'] = diagnosis.mustExcludeFirst.map((e) => e.message).join(' ');
    }
    if (diagnosis.leading !== null && diagnosis.leading.certainty === 'suspected' && row) {
      const labels = row.priorities.map((id) => PRIORITIES[id].label.toLowerCase()).join('; ');
      reasons.push(`Suspected ${diagnosis.leading.name}, not confirmed: no treatment before the biopsy. Once confirmed, its strategy would be: ${labels} (REFERENCE §4).`);
    }
    reasons.push(
      biopsied
        ? 'No confirmed diagnosis: refer to a sarcoma centre for expert review of the biopsy (and a core-needle biopsy there if it is not diagnostic) before any treatment decision; no resection yet.'
        : 'No confirmed diagnosis: refer to a sarcoma centre and obtain a core-needle biopsy there before any treatment decision; no resection yet.',
    );
    if (biopsied) extra['core-needle-biopsy'] = 'Already biopsied: repeat only if the biopsy is not diagnostic (FNA is not adequate).';
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

  // Small (≤ 5 cm) LMS: state the evidence before putting neoadjuvant chemotherapy first (STRASS2 is a trial question, no results; SEED).
  if (histology?.family === 'lms' && diagnosis.isSarcoma === true && smallTumour(c) && ids[0] === 'neoadjuvant-chemotherapy') {
    ids = ['en-bloc-resection', ...ids.filter((id) => id !== 'en-bloc-resection')];
    extra['neoadjuvant-chemotherapy'] = 'Small (≤ 5 cm, T1) leiomyosarcoma: the evidence for chemotherapy first is the seed\'s teaching (systemic disease from day one) and the STRASS2 trial question, without results — the MDT weighs it against resection first.';
    reasons.push('Leiomyosarcoma ≤ 5 cm: resection first unless the MDT chooses neoadjuvant chemotherapy — no trial result supports it yet (STRASS2).');
  }

  if (diagnosis.redFlags.some((f) => f.id === 'metanephrines-before-biopsy') && !ids.includes('biochemical-workup')) {
    ids.unshift('biochemical-workup');
    reasons.push('A paraganglioma is possible: metanephrines come first, before any invasive step.');
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
  // Recurrence, multifocal and distant disease put the MDT first with the reason it is there, unless an earlier rule
  // (resectability, the pathway after a resection) already gave one. A histology row's own MDT entry (other sarcomas)
  // carries no reason, so it moves first too: never "en bloc resection" ahead of the MDT for these presentations.
  if (diagnosis.isSarcoma !== false && c.presentation === 'recurrent' && extra['mdt-discussion'] === undefined) {
    ids = mdtFirst(ids);
    const triage = pathwayInfo?.recurrence;
    extra['mdt-discussion'] =
      'Recurrent RPS: treatment is individualised by the sarcoma MDT (TARPSWG recurrent-RPS consensus)' +
      (triage
        ? ` — selection (REFERENCE-2 §2.3 [consensus]): favourable ${triage.favourable.join('; ') || 'none'}; unfavourable ${triage.unfavourable.join('; ') || 'none'}${triage.notDetermined.length ? `; not determined ${triage.notDetermined.join('; ')}` : ''}; points to ${label('recurrenceSuggestion', triage.suggestion)}.`
        : '.');
  }
  // After a resection: the pathway decides (REFERENCE-2 §4, §5).
  if (diagnosis.isSarcoma !== false && position === 'after-complete-resection') {
    const last = pathwayInfo!.lastResection!;
    const elsewhere = last.where !== 'this_centre';
    ids = [...(elsewhere ? (['outside-surgery-review'] as const) : []), ...(elsewhere && last.margin === 'R1' || pathwayInfo!.spill ? (['mdt-discussion'] as const) : []), 'surveillance'];
    if (ids.includes('mdt-discussion')) {
      extra['mdt-discussion'] = pathwayInfo!.spill
        ? 'Rupture/spill or piecemeal removal: peritoneal-risk disease — surveillance ± systemic therapy or a trial (REFERENCE-2 §1.3, §4; Bonvalot 2009).'
        : 'R1 elsewhere with no visible disease: individualised — re-resection of the bed vs close surveillance, weighted by histology (REFERENCE-2 §4).';
    }
    reasons.push(`Already resected (${last.margin}): surveillance, not another resection (REFERENCE-2 §5 [consensus]).`);
  } else if (diagnosis.isSarcoma !== false && (position === 'after-incomplete-resection' || position === 'after-resection-margin-unknown')) {
    const last = pathwayInfo!.lastResection!;
    const elsewhere = last.where !== 'this_centre';
    ids = ['mdt-discussion', ...(elsewhere ? (['outside-surgery-review'] as const) : []), 'refer-sarcoma-centre'];
    extra['mdt-discussion'] =
      position === 'after-incomplete-resection'
        ? `After an incomplete resection (${last.resectionType.replace('_', '-')}${last.margin ? `, ${last.margin}` : ''}): the MDT weighs re-resection at the centre (residue localised, R0/R1 reachable; curative intent) against systemic therapy, radiotherapy for symptoms or watchful waiting (REFERENCE-2 §4, §5 [consensus]).` +
          (pathwayInfo!.spill ? ' Rupture/spill or piecemeal removal: peritoneal-risk disease — rupture carries a high risk of peritoneal recurrence (Bonvalot 2009).' : '')
        : 'Resected, margin unknown: the MDT reviews the operative note, imaging and pathology (blocks/slides) first (REFERENCE-2 §4 [consensus]).';
    extra['refer-sarcoma-centre'] = 'Already operated: MDT review at a sarcoma centre now; referral before any procedure would have been better.';
    reasons.push('The first operation did not achieve a macroscopically complete en bloc resection (or its quality is unknown): the MDT decides the next step (REFERENCE-2 §4–§5).');
  }
  if (diagnosis.isSarcoma !== false && c.tumor.multifocal === true && extra['mdt-discussion'] === undefined) {
    ids = mdtFirst(ids);
    extra['mdt-discussion'] = 'Multifocal disease: an independent adverse predictor (Gronchi 2016) — the sarcoma MDT decides before any operation.';
    reasons.push('Multifocal disease: MDT discussion first.');
  }
  if (ids.includes('refer-sarcoma-centre') && extra['refer-sarcoma-centre'] === undefined) {
    // Wording follows the pathway: never "before any biopsy" once the patient has been biopsied (TARPSWG-2015; NICE-QS78).
    extra['refer-sarcoma-centre'] = biopsied
      ? 'Already biopsied: refer now, before any surgery, and send the biopsy for expert pathology review.'
      : 'Refer before any biopsy or surgery.';
  }
  if (diagnosis.isSarcoma !== false && c.tumor.metastasis === 'M1' && extra['mdt-discussion'] === undefined) {
    ids = mdtFirst(ids);
    extra['mdt-discussion'] = 'Distant metastasis (M1): the sarcoma MDT decides the sequence of treatment.';
  }

  const priorities: Priority[] = [...new Set(ids)].map((id) => {
    const def = PRIORITIES[id];
    const sources: SourceId[] = [...def.sources];
    if (id === 'mdt-discussion' && c.presentation === 'recurrent') sources.push('TARPSWG-REC-2016', 'TARPSWG-REC-2022', 'PARK-2009', 'LR-DELAY-2019');
    if (id === 'mdt-discussion' && (position === 'after-incomplete-resection' || position === 'after-resection-margin-unknown' || pathwayInfo?.spill === true)) sources.push('NG-SWALLOW-2018', 'BONVALOT-2009');
    if (id === 'mdt-discussion' && c.tumor.multifocal === true) sources.push('GRONCHI-2016');
    if (id === 'neoadjuvant-chemotherapy' && extra[id]) sources.push('STRASS2');
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
