import type { Case, Margin } from './model/case.ts';
import { deepFreeze, type Explained } from './model/explained.ts';
import { DAYS_PER_MONTH, type GrowthResult } from './growth.ts';
import type { Resectability } from './tables/resectability.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';
import { label } from './vocabulary.ts';

/**
 * Where the patient is in the pathway, from the case's prior procedures (`history`), the resection at this
 * centre (`surgery`) and the presentation: REFERENCE-2 §4 (after surgery elsewhere), §5 (after the margin),
 * §2 (recurrence), §1.3 (rupture and spill).
 */
export type PathwayPosition =
  | 'untreated'
  | 'biopsied'
  | 'after-complete-resection'
  | 'after-incomplete-resection'
  | 'after-resection-margin-unknown'
  | 'recurrent';

export interface LastResection {
  readonly where: 'this_centre' | 'elsewhere' | 'unknown';
  readonly resectionType: 'complete' | 'shell_out' | 'piecemeal' | 'intralesional' | 'unknown';
  readonly margin: Margin | null;
  readonly rupture: boolean | null;
  readonly date: string | null;
}

export interface RecurrenceTriage {
  /** Months from the last resection to this presentation's imaging; null when either date is missing. */
  readonly diseaseFreeIntervalMonths: number | null;
  /** PARK-2009 rate: recurrence size ÷ months from the primary resection to detection (assumes growth from zero). */
  readonly parkRateCmPerMonth: number | null;
  /** The rate between serial scans (`growth`), when measured. */
  readonly seriesRateCmPerMonth: number | null;
  readonly multifocal: boolean | null;
  readonly resectability: Resectability | null;
  readonly favourable: string[];
  readonly unfavourable: string[];
  /** Criteria that could not be judged, with the field that would decide them. */
  readonly notDetermined: string[];
  /** REFERENCE-2 §2.3 [C]: the branch the criteria point to; the MDT decides. */
  readonly suggestion: 'strategic-delay' | 're-resection' | 'systemic-first' | 'systemic-or-palliative' | 'mdt';
}

export interface PathwayResult extends Explained {
  readonly position: PathwayPosition;
  readonly biopsied: boolean;
  /** The latest resection recorded (this centre's, else the latest prior surgery), or null. */
  readonly lastResection: LastResection | null;
  /** Rupture, spill or piecemeal removal: peritoneal-risk disease (REFERENCE-2 §1.3, §4). */
  readonly spill: boolean;
  /** Only for a recurrent presentation. */
  readonly recurrence: RecurrenceTriage | null;
  readonly evidence: EvidenceLevel;
}

function lastResectionOf(c: Case): LastResection | null {
  if (c.surgery?.margin !== undefined) {
    // A rupture recorded for this centre's resection is spill like one elsewhere (REFERENCE-2 §1.3).
    return { where: 'this_centre', resectionType: 'complete', margin: c.surgery.margin, rupture: c.surgery.rupture ?? null, date: c.surgery.date ?? null };
  }
  let last: LastResection | null = null;
  let lastDate = '';
  for (const h of c.history ?? []) {
    if (h.kind !== 'surgery' || h.resectionType === 'exploratory') continue;
    const date = h.date ?? '';
    // The latest by date; undated entries count in list order.
    if (last === null || date === '' || date >= lastDate) {
      last = { where: h.where ?? 'unknown', resectionType: h.resectionType, margin: h.margin ?? null, rupture: h.rupture ?? null, date: h.date ?? null };
      if (date !== '') lastDate = date;
    }
  }
  return last;
}

function monthsBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 / DAYS_PER_MONTH;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Recurrence selection (REFERENCE-2 §2.2–§2.3): DFI, growth rate, number of sites, resectability, grade/histology. */
function triageRecurrence(c: Case, last: LastResection | null, growth: GrowthResult | null, resectability: Resectability | null, lowGrade: boolean | null): RecurrenceTriage {
  const favourable: string[] = [];
  const unfavourable: string[] = [];
  const notDetermined: string[] = [];
  const detected = c.tumor.imaging?.date ?? c.tumor.imaging?.series?.map((m) => m.date).sort()[0];
  const dfi = last?.date != null && detected !== undefined ? monthsBetween(last.date, detected) : null;
  if (dfi === null) notDetermined.push('disease-free interval (the last resection date — history[].date or surgery.date — and tumor.imaging.date)');
  else if (dfi > 24) favourable.push(`disease-free interval ${round2(dfi)} months (> 24)`);
  else unfavourable.push(`disease-free interval ${round2(dfi)} months (≤ 24)`);
  // PARK-2009: LR size ÷ months from the primary resection to LR detection; < 0.9 cm/month favours re-resection [C].
  const park = dfi !== null && dfi > 0 && c.tumor.sizeCm !== undefined ? c.tumor.sizeCm / dfi : null;
  const rate = growth !== null && !growth.withinMeasurementError ? growth.rateCmPerMonth : null;
  const judged = park ?? rate;
  if (judged === null) notDetermined.push('growth rate (tumor.sizeCm with dates, or tumor.imaging.series)');
  else if (judged < 0.9) favourable.push(`growth ${round2(judged)} cm/month (${park !== null ? 'Park rate' : 'between scans'}; < 0.9)`);
  else unfavourable.push(`growth ${round2(judged)} cm/month (${park !== null ? 'Park rate' : 'between scans'}; ≥ 0.9)`);
  const multifocal = c.tumor.multifocal ?? null;
  if (multifocal === null) notDetermined.push('number of sites (tumor.multifocal)');
  else if (multifocal) unfavourable.push('multifocal recurrence');
  else favourable.push('a single site');
  if (resectability === null) notDetermined.push('resectability (tumor.contacts, tumor.infiltrates)');
  else if (resectability === 'resectable') favourable.push('resectable (R0/R1 predicted)');
  else unfavourable.push(`resectability: ${resectability}`);
  if (lowGrade === null) notDetermined.push('grade / histology (pathology.grade, pathology.histology)');
  else if (lowGrade) favourable.push('low grade / well-differentiated liposarcoma');
  else unfavourable.push('high grade (G3)');
  let suggestion: RecurrenceTriage['suggestion'] = 'mdt';
  if (c.tumor.metastasis === 'M1') suggestion = 'systemic-or-palliative';
  else if (unfavourable.length > 0) suggestion = 'systemic-first';
  else if (notDetermined.length === 0) suggestion = lowGrade === true && judged !== null && judged < 0.9 ? 'strategic-delay' : 're-resection';
  return {
    diseaseFreeIntervalMonths: dfi === null ? null : round2(dfi),
    parkRateCmPerMonth: park === null ? null : round2(park),
    seriesRateCmPerMonth: rate,
    multifocal,
    resectability,
    favourable,
    unfavourable,
    notDetermined,
    suggestion,
  };
}

const SUGGESTION_TEXT: Record<RecurrenceTriage['suggestion'], string> = {
  'strategic-delay': 'all criteria favourable, low grade and slow: a surveillance CT at 3 months is acceptable ("strategic delay"; Rhu 2019 caps a delay at about 3 months) before curative-intent re-resection',
  're-resection': 'favourable and resectable: curative-intent re-resection at the centre',
  'systemic-first': 'unfavourable criteria: systemic therapy or a trial first, then re-discuss',
  'systemic-or-palliative': 'distant disease: systemic or palliative pathway (resection only for highly selected oligometastatic disease)',
  mdt: 'criteria incomplete: the MDT decides once they are known',
};

const UNTREATED: PathwayResult = deepFreeze({ position: 'untreated', biopsied: false, lastResection: null, spill: false, recurrence: null, evidence: 'consensus', reasons: ['No biopsy or resection recorded: refer before any procedure.'], sources: ['NICE-QS78', 'UK-BSG-2024'] });
const BIOPSIED: PathwayResult = deepFreeze({ position: 'biopsied', biopsied: true, lastResection: null, spill: false, recurrence: null, evidence: 'consensus', reasons: ['Already biopsied, not yet resected.'], sources: ['NICE-QS78', 'UK-BSG-2024'] });

export interface PathwayContext {
  readonly growth: GrowthResult | null;
  readonly resectability: Resectability | null;
  /** true: G1 or well-differentiated liposarcoma; false: G2–G3; null: unknown. */
  readonly lowGrade: boolean | null;
}

/** The patient's place in the pathway and what it changes (REFERENCE-2 §1.3, §2, §4, §5). */
export function pathwayPosition(c: Case, ctx: PathwayContext): PathwayResult {
  const reasons: string[] = [];
  const sources: SourceId[] = [];
  let biopsied = c.pathology.histology !== undefined || c.pathology.markers !== undefined || c.pathology.specimen !== undefined;
  for (const h of c.history ?? []) {
    if (h.kind !== 'biopsy') continue;
    biopsied = true;
    if (h.method === 'fna') reasons.push('Prior fine-needle aspiration: FNA is not adequate for a sarcoma diagnosis — a core-needle biopsy is needed (REFERENCE §3.1 [consensus]).');
    if (h.method === 'open') reasons.push('Prior open biopsy: open or laparoscopic biopsy is avoided in RPS (REFERENCE §3.1, PDQ) — record the approach for the MDT.');
  }
  const last = lastResectionOf(c);
  const spill = last !== null && (last.rupture === true || last.resectionType === 'piecemeal');
  let position: PathwayPosition;
  let recurrence: RecurrenceTriage | null = null;
  if (c.presentation === 'recurrent') {
    position = 'recurrent';
    recurrence = triageRecurrence(c, last, ctx.growth, ctx.resectability, ctx.lowGrade);
    reasons.push(
      `Recurrent presentation: selection by disease-free interval, growth rate, number of sites, resectability and grade (REFERENCE-2 §2.2–§2.3) — favourable: ${recurrence.favourable.join('; ') || 'none'}; unfavourable: ${recurrence.unfavourable.join('; ') || 'none'}` +
        (recurrence.notDetermined.length ? `; not determined: ${recurrence.notDetermined.join('; ')}` : '') +
        `. Points to: ${SUGGESTION_TEXT[recurrence.suggestion]} [consensus]. State the intent (curative or palliative) in the MDT record.`,
    );
    sources.push('TARPSWG-REC-2016', 'TARPSWG-REC-2022', 'PARK-2009', 'LR-DELAY-2019', 'RHU-2019');
  } else if (last === null) {
    // The common case, before any resection: one shared, frozen result per position.
    if (reasons.length === 0) return biopsied ? BIOPSIED : UNTREATED;
    position = biopsied ? 'biopsied' : 'untreated';
    reasons.push(biopsied ? 'Already biopsied, not yet resected.' : 'No biopsy or resection recorded: refer before any procedure.');
    sources.push('NICE-QS78', 'UK-BSG-2024');
  } else {
    const incomplete = last.margin === 'R2' || last.resectionType === 'shell_out' || last.resectionType === 'piecemeal' || last.resectionType === 'intralesional';
    const where = last.where === 'elsewhere' ? ' elsewhere' : last.where === 'this_centre' ? ' at this centre' : '';
    const what = `${last.resectionType === 'complete' ? 'resection' : label('resectionType', last.resectionType)}${where}${last.margin ? ` (${last.margin})` : ' (margin not recorded)'}`;
    if (incomplete) {
      position = 'after-incomplete-resection';
      reasons.push(
        `After an incomplete ${what}: MDT — re-resection at the centre if the residue is localised and R0/R1 reachable, otherwise systemic therapy, radiotherapy for symptoms or watchful waiting; with no visible disease after a shell-out/piecemeal resection, re-resection of the bed vs close surveillance, weighted by histology (REFERENCE-2 §4, §5 [consensus]).`,
      );
    } else if (last.margin === null) {
      position = 'after-resection-margin-unknown';
      reasons.push(`After a ${what}: the resection quality is unknown — obtain the operative note, the pathology report with blocks/slides and the imaging for the MDT (REFERENCE-2 §4 [consensus]).`);
    } else {
      position = 'after-complete-resection';
      reasons.push(`After a macroscopically complete ${what}: no adjuvant therapy by default; histology- and grade-based surveillance (REFERENCE-2 §5 [consensus]); post-operative radiotherapy is not recommended (ASTRO 2021).`);
      sources.push('ASTRO-2021');
    }
    if (last.where !== 'this_centre') {
      reasons.push('Operated outside this centre: request the operative note, pre- and post-operative imaging, and the pathology report with blocks/slides for expert review (histotype, grade, MDM2 FISH, margins); re-image CT chest/abdomen/pelvis 4–8 weeks after surgery (REFERENCE-2 §4 [consensus]). Only 12.3 % R0 at first surgery outside the French network vs 41.9 % inside (Bonvalot 2019).');
      sources.push('BONVALOT-2019');
    }
    sources.push('NG-SWALLOW-2018');
  }
  if (spill) {
    reasons.push(
      `${last!.rupture === true ? 'Tumour rupture/spill' : 'Piecemeal removal'}: peritoneal-risk disease — rupture is an independent adverse factor for survival and raises abdominal recurrence (Bonvalot 2009); surveillance ± systemic therapy or a trial; discuss at MDT. Rupture is recorded on its own, not as an R status (REFERENCE-2 §1.3).`,
    );
    sources.push('BONVALOT-2009');
  }
  return { position, biopsied, lastResection: last, spill, recurrence, evidence: 'consensus', reasons, sources: sources.length ? [...new Set(sources)] : ['NICE-QS78'] };
}
