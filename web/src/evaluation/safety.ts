import type { Evaluation } from '../../../src/engine/index.ts';
import { humanText } from '../../../src/engine/vocabulary.ts';
import { getAt, type Draft } from '../case/draft.ts';

/**
 * What must be on screen before any fact card: the engine's red flags and the
 * diagnoses to exclude first, and whether the displayed conclusions rest on an
 * unconfirmed (tissue-less) diagnosis. Fields that the engine adds later
 * (`mustExcludeFirst`, `stage.provisional`, `leading.certainty`) are read
 * defensively so the screen is right before and after they exist.
 */
export interface SafetyItem {
  readonly id: string;
  readonly kind: 'red-flag' | 'exclude-first';
  readonly message: string;
  readonly sources: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function items(list: unknown, kind: SafetyItem['kind']): SafetyItem[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObj).flatMap((f, i) => {
    const message = typeof f.message === 'string' ? f.message : typeof f.label === 'string' ? f.label : '';
    if (!message) return [];
    return [{ id: typeof f.id === 'string' ? f.id : `${kind}-${i}`, kind, message: humanText(message), sources: Array.isArray(f.sources) ? f.sources.filter((s): s is string => typeof s === 'string') : [] }];
  });
}

export function safetyItems(e: Evaluation): SafetyItem[] {
  const d = (e as unknown as Obj).diagnosis;
  if (!isObj(d)) return [];
  const exclude = items(d.mustExcludeFirst, 'exclude-first');
  const seen = new Set(exclude.map((x) => x.id));
  return [...items(d.redFlags, 'red-flag').filter((x) => !seen.has(x.id)), ...exclude];
}

/** True when the leading diagnosis is a suspicion from the findings, not tissue. */
export function diagnosisSuspected(e: Evaluation): boolean {
  const lead = (e.diagnosis as unknown as Obj | undefined)?.leading;
  if (!isObj(lead)) return false;
  return lead.certainty === 'suspected' || lead.basis === 'findings';
}

/** True when the stage rests on a diagnosis that is not confirmed. */
export function stageProvisional(e: Evaluation): boolean {
  const s = e.stage as unknown as Obj;
  if (s.provisional === true) return true;
  if (s.provisional === false) return false;
  // Before the engine flags it: a stage group without an established sarcoma diagnosis.
  return e.stage.group !== null && (e.diagnosis?.isSarcoma !== true || diagnosisSuspected(e));
}

export function planProvisional(e: Evaluation): boolean {
  return e.resectionPlan?.applies === 'provisional';
}

/**
 * The essentials without which nothing is staged or recommended; empty when the
 * case has enough to evaluate. Order: what a clinician enters first.
 */
export function missingEssentials(draft: Draft): string[] {
  const has = (p: string) => getAt(draft, p) !== undefined;
  const imaging = getAt(draft, 'tumor.imaging');
  const anyImaging = isObj(imaging) && ['macroscopicFat', 'solidComponent', 'hypervascular', 'calcification', 'organOfOrigin', 'vesselOrigin'].some((k) => imaging[k] !== undefined);
  const anyPathology = ['pathology.histology', 'pathology.markers', 'pathology.fnclcc', 'pathology.grade', 'surgery.margin'].some(has);
  if (has('tumor.sizeCm') || anyImaging || anyPathology) return [];
  return ['the greatest dimension of the mass (cm)', 'its side', 'the imaging findings (fat, solid part, vascularity)', 'any pathology already available'];
}
