import { evaluateCase, type Evaluation } from '../engine/evaluate.ts';
import { intraoperative, type IntraopDecision } from '../engine/intraoperative.ts';
import { blocksNeeded, pseudocapsuleModel } from '../engine/margins.ts';
import { PREOPERATIVE_CHECKS } from '../engine/resection.ts';
import { COMPARTMENTS, ORGANS_BY_ID } from '../engine/tables/anatomy.ts';
import { histologyByCode } from '../engine/tables/histology.ts';
import type { SourceId } from '../engine/tables/sources.ts';
import { PRIORITIES } from '../engine/tables/strategy-rules.ts';
import { SURVEILLANCE_SCHEDULES } from '../engine/tables/surveillance-schedules.ts';
import { STRUCTURE_RULES, DEFAULT_STRUCTURE_RULE } from '../engine/tables/intraoperative-rules.ts';
import type { PracticeQuestion, PracticeStage, QuestionKind } from './schema.ts';

/**
 * The engine is the examiner: every question's answer is what the engine returns
 * for the stage's case, every mark is explained with the engine's reasons and
 * sources, and every other option says why it is not the answer.
 */

export type Answer = string | string[] | number;

export interface Option {
  readonly value: string;
  readonly label: string;
}

export interface QuestionView {
  readonly id: string;
  readonly kind: QuestionKind;
  readonly prompt: string;
  readonly mode: 'single' | 'multi' | 'number';
  readonly options: Option[];
}

export interface Mark {
  readonly question: string;
  /** 0 to 1; partial credit where an answer is close (same family, in the list but not first, overlapping sets, near numbers). */
  readonly score: number;
  readonly given: Answer;
  readonly expected: Answer;
  readonly expectedLabel: string;
  readonly explanation: string[];
  readonly sources: SourceId[];
  readonly otherOptions: { readonly value: string; readonly label: string; readonly why: string }[];
}

const NONE = 'none';
const STAGE_GROUPS = ['IA', 'IB', 'II', 'IIIA', 'IIIB', 'IV'] as const;
const NOT_STAGEABLE = 'not-stageable';
const NOT_DETERMINED = 'not-determined';

const PROMPTS: Record<QuestionKind, string> = {
  'leading-diagnosis': 'What is the leading diagnosis now?',
  'is-sarcoma': 'Is this a sarcoma, on what is known now?',
  'next-test': 'What should be done next?',
  'red-flags': 'Which safety warnings apply before anything else is done?',
  'stage-group': 'What is the AJCC 8th-edition stage group (retroperitoneum)?',
  grade: 'What is the FNCLCC grade?',
  'first-priority': 'What comes first in the treatment strategy?',
  compartment: 'In which retroperitoneal space does the tumour arise?',
  'en-bloc-organs': 'Which organs and structures come out en bloc with the tumour?',
  'preoperative-checks': 'Which checks are needed before the operation?',
  'intraop-decision': 'What do you do about this finding?',
  'intraop-intent': 'Does the curative resection go on?',
  'surveillance-interval': 'How often is the patient imaged in the first two years after resection?',
  'pseudocapsule-residual': 'Dissecting on the pseudocapsule: what is the probability of leaving disease behind (0–1)?',
  'sampling-blocks': 'How many margin blocks are needed to detect a focally involved margin with the target probability?',
};

const evaluations = new WeakMap<object, Evaluation>();
function evaluationOf(stage: PracticeStage): Evaluation {
  let e = evaluations.get(stage.case);
  if (!e) {
    e = evaluateCase(stage.case);
    evaluations.set(stage.case, e);
  }
  return e;
}

function intraopOf(stage: PracticeStage): IntraopDecision {
  if (!stage.findings) throw new Error(`stage ${stage.id} has no intra-operative findings`);
  return intraoperative(stage.case, stage.findings);
}

const organLabel = (id: string) => ORGANS_BY_ID.get(id)?.label ?? id;
const intervalOf = (min: number, max: number) => `${min}-${max}`;
const intervalLabel = (value: string) => {
  const [min, max] = value.split('-');
  return min === max ? `every ${min} months` : `every ${min}–${max} months`;
};
const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** The engine's answer to a question at a stage. */
export function engineAnswer(stage: PracticeStage, q: PracticeQuestion): Answer {
  const e = () => evaluationOf(stage);
  switch (q.kind) {
    case 'leading-diagnosis':
      return e().diagnosis.leading?.code ?? NONE;
    case 'is-sarcoma':
      return e().diagnosis.isSarcoma === null ? 'not-yet-known' : e().diagnosis.isSarcoma ? 'yes' : 'no';
    case 'next-test':
      return e().diagnosis.nextTests[0]?.id ?? NONE;
    case 'red-flags':
      return sortedUnique(e().diagnosis.redFlags.map((f) => f.id));
    case 'stage-group':
      return e().stage.group ?? NOT_STAGEABLE;
    case 'grade':
      return e().grade.grade;
    case 'first-priority':
      return e().strategy.priorities[0]?.id ?? NONE;
    case 'compartment':
      return e().resectionPlan.compartment.primary ?? NOT_DETERMINED;
    case 'en-bloc-organs':
      return sortedUnique(e().resectionPlan.enBloc);
    case 'preoperative-checks':
      return sortedUnique(e().resectionPlan.preoperativeChecks.map((c) => c.id));
    case 'intraop-decision':
      return intraopOf(stage).decisions[0]!.recommended.id;
    case 'intraop-intent':
      return intraopOf(stage).intent;
    case 'surveillance-interval': {
      const first = e().surveillance.schedule[0];
      return first ? intervalOf(first.minIntervalMonths, first.maxIntervalMonths) : NOT_DETERMINED;
    }
    case 'pseudocapsule-residual': {
      const p = q.parameters!;
      return round(pseudocapsuleModel(p.capsuleMm!, p.satelliteMeanMm!, p.defectFraction ?? 0).residualDisease, 2);
    }
    case 'sampling-blocks': {
      const p = q.parameters!;
      return blocksNeeded(p.involvedFraction!, p.detection!);
    }
  }
}

function optionsFor(stage: PracticeStage, q: PracticeQuestion): Option[] {
  const e = () => evaluationOf(stage);
  switch (q.kind) {
    case 'leading-diagnosis': {
      const d = e().diagnosis;
      const codes = sortedUnique([...(d.leading ? [d.leading.code] : []), ...d.differential.slice(0, 7).map((x) => x.code)]);
      return [...codes.map((code) => ({ value: code, label: histologyByCode(code)?.name ?? code })), { value: NONE, label: 'no diagnosis can be named yet' }];
    }
    case 'is-sarcoma':
      return [{ value: 'yes', label: 'yes' }, { value: 'no', label: 'no' }, { value: 'not-yet-known', label: 'not yet known' }];
    case 'next-test': {
      const tests = e().diagnosis.nextTests.slice(0, 6).map((t) => ({ value: t.id, label: t.test }));
      const fillers = [
        { value: 'biopsy:core-needle', label: 'image-guided core-needle biopsy' },
        { value: 'imaging:staging-ct', label: 'CT of chest, abdomen and pelvis' },
        { value: 'biochemistry:metanephrines', label: 'plasma or urine metanephrines' },
      ];
      for (const f of fillers) if (!tests.some((t) => t.value === f.value)) tests.push(f);
      return [...tests, { value: NONE, label: 'nothing more: proceed' }];
    }
    case 'red-flags': {
      const known = ['metanephrines-before-biopsy', 'exclude-lymphoma-germ-cell', 'germ-cell-markers', 'lymphoma-no-resection', 'no-shell-out-or-piecemeal'];
      return sortedUnique([...known, ...e().diagnosis.redFlags.map((f) => f.id)]).map((id) => ({ value: id, label: e().diagnosis.redFlags.find((f) => f.id === id)?.message ?? id.replaceAll('-', ' ') }));
    }
    case 'stage-group':
      return [...STAGE_GROUPS.map((g) => ({ value: g, label: `stage ${g}` })), { value: NOT_STAGEABLE, label: 'cannot be staged yet' }];
    case 'grade':
      return ['G1', 'G2', 'G3', 'GX'].map((g) => ({ value: g, label: g === 'GX' ? 'cannot be graded (GX)' : g }));
    case 'first-priority':
      return Object.entries(PRIORITIES).map(([id, p]) => ({ value: id, label: p.label }));
    case 'compartment':
      return [...Object.entries(COMPARTMENTS).map(([id, label]) => ({ value: id, label })), { value: NOT_DETERMINED, label: 'not determined from what is known' }];
    case 'en-bloc-organs': {
      const plan = e().resectionPlan;
      const ids = sortedUnique([...(stage.case.tumor.contacts ?? []), ...(stage.case.tumor.infiltrates ?? []), ...plan.enBloc, ...plan.preserveUnlessInfiltrated, ...plan.vascular.map((v) => v.organ)]);
      return ids.map((id) => ({ value: id, label: organLabel(id) }));
    }
    case 'preoperative-checks':
      return Object.entries(PREOPERATIVE_CHECKS).map(([id, c]) => ({ value: id, label: c.label }));
    case 'intraop-decision': {
      const d = intraopOf(stage).decisions[0]!;
      const actions = [d.recommended, ...d.alternatives];
      for (const rule of [DEFAULT_STRUCTURE_RULE, ...STRUCTURE_RULES]) {
        if (actions.length >= 4) break;
        if (!actions.some((a) => a.id === rule.recommended.id)) actions.push(rule.recommended);
      }
      return actions.map((a) => ({ value: a.id, label: a.label })).sort((x, y) => x.value.localeCompare(y.value));
    }
    case 'intraop-intent':
      return [{ value: 'continue-curative', label: 'yes: continue the curative resection' }, { value: 'stop-and-replan', label: 'no: stop and re-plan at the MDT' }];
    case 'surveillance-interval': {
      const values = sortedUnique(SURVEILLANCE_SCHEDULES.flatMap((s) => s.periods.map((p) => intervalOf(p.minIntervalMonths, p.maxIntervalMonths))));
      return [...values.map((v) => ({ value: v, label: intervalLabel(v) })), { value: NOT_DETERMINED, label: 'cannot be set from what is known' }];
    }
    case 'pseudocapsule-residual':
    case 'sampling-blocks':
      return [];
  }
}

const MULTI: ReadonlySet<QuestionKind> = new Set(['red-flags', 'en-bloc-organs', 'preoperative-checks']);
const NUMERIC: ReadonlySet<QuestionKind> = new Set(['pseudocapsule-residual', 'sampling-blocks']);

/** The numeric exercises state their parameters in the question itself. */
function promptOf(q: PracticeQuestion): string {
  const base = q.prompt ?? PROMPTS[q.kind];
  const p = q.parameters;
  if (q.kind === 'pseudocapsule-residual' && p) return `${base} (capsule c = ${p.capsuleMm} mm, mean satellite distance ℓ = ${p.satelliteMeanMm} mm, defect fraction φ = ${p.defectFraction ?? 0})`;
  if (q.kind === 'sampling-blocks' && p) return `${base} (involved fraction p = ${p.involvedFraction}, target detection ${Math.round(p.detection! * 1000) / 10} %)`;
  return base;
}

export function viewQuestion(stage: PracticeStage, q: PracticeQuestion): QuestionView {
  return { id: q.id, kind: q.kind, prompt: promptOf(q), mode: NUMERIC.has(q.kind) ? 'number' : MULTI.has(q.kind) ? 'multi' : 'single', options: optionsFor(stage, q) };
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const union = new Set([...a, ...b]);
  if (union.size === 0) return 1;
  let both = 0;
  for (const x of new Set(a)) if (b.includes(x)) both++;
  return both / union.size;
}

function partialSingle(stage: PracticeStage, q: PracticeQuestion, given: string, expected: string): number {
  if (given === expected) return 1;
  const e = () => evaluationOf(stage);
  switch (q.kind) {
    case 'leading-diagnosis': {
      const g = histologyByCode(given);
      const x = histologyByCode(expected);
      return g && x && g.family === x.family ? 0.5 : 0;
    }
    case 'stage-group':
      return given.replace(/[AB]$/, '') === expected.replace(/[AB]$/, '') ? 0.5 : 0;
    case 'first-priority':
      return e().strategy.priorities.some((p) => p.id === given) ? 0.5 : 0;
    case 'next-test':
      return e().diagnosis.nextTests.some((t) => t.id === given) ? 0.5 : 0;
    default:
      return 0;
  }
}

/** Why the engine answers as it does: the reasons and sources of the part the question is about. */
function explanationOf(stage: PracticeStage, q: PracticeQuestion): { lines: string[]; sources: SourceId[] } {
  const e = () => evaluationOf(stage);
  switch (q.kind) {
    case 'leading-diagnosis':
    case 'is-sarcoma':
    case 'red-flags':
      return { lines: [...e().diagnosis.reasons.slice(0, 4), ...e().diagnosis.redFlags.map((f) => f.message)], sources: e().diagnosis.sources };
    case 'next-test':
      return { lines: e().diagnosis.nextTests.slice(0, 3).map((t) => `${t.test}: ${t.why}`), sources: e().diagnosis.sources };
    case 'stage-group':
      return { lines: e().stage.reasons, sources: e().stage.sources };
    case 'grade':
      return { lines: e().grade.reasons, sources: e().grade.sources };
    case 'first-priority':
      return { lines: e().strategy.priorities.map((p, i) => `${i + 1}. ${p.label}: ${p.rationale}`), sources: e().strategy.sources };
    case 'compartment':
    case 'en-bloc-organs':
    case 'preoperative-checks':
      return { lines: [...e().resectionPlan.reasons, ...e().resectionPlan.preoperativeChecks.map((c) => `${c.label}: ${c.why}`)], sources: e().resectionPlan.sources };
    case 'intraop-decision':
    case 'intraop-intent': {
      const d = intraopOf(stage);
      return { lines: [...d.reasons, ...d.decisions[0]!.recommended.consequences], sources: d.sources };
    }
    case 'surveillance-interval':
      return { lines: e().surveillance.reasons, sources: e().surveillance.sources };
    case 'pseudocapsule-residual':
      return { lines: ['P(residual) = 1 − (1 − exp(−c/ℓ))(1 − φ): a satellite beyond a capsule of thickness c, or failure through a capsule defect (seed chapter margin model).'], sources: ['SEED'] };
    case 'sampling-blocks':
      return { lines: ['n blocks all miss a margin involved over a fraction p with probability (1 − p)^n; the blocks needed are the smallest n with 1 − (1 − p)^n ≥ the target (seed chapter sampling model).'], sources: ['SEED', 'CAP'] };
  }
}

function whyNot(stage: PracticeStage, q: PracticeQuestion, option: Option, expectedLabel: string): string {
  const e = () => evaluationOf(stage);
  switch (q.kind) {
    case 'leading-diagnosis': {
      const entry = e().diagnosis.differential.find((d) => d.code === option.value);
      if (!entry) return `not supported by the findings; the engine leads with ${expectedLabel}`;
      const against = entry.findingsAgainst.slice(0, 2).map((f) => f.text).join('; ');
      return `${entry.status} in the differential${against ? ` — against it: ${against}` : ''}`;
    }
    case 'first-priority': {
      const rank = e().strategy.priorities.findIndex((p) => p.id === option.value);
      return rank >= 0 ? `also in the strategy, but ranked ${rank + 1}` : 'not among the priorities for this case';
    }
    case 'next-test': {
      const rank = e().diagnosis.nextTests.findIndex((t) => t.id === option.value);
      return rank >= 0 ? `useful, but ranked ${rank + 1} of the next tests` : 'not among the tests the findings call for';
    }
    case 'intraop-decision': {
      const d = intraopOf(stage).decisions[0]!;
      const alternative = d.alternatives.find((a) => a.id === option.value);
      return alternative ? `an alternative with its consequences: ${alternative.consequences.join('; ') || 'see the rule'}` : 'a rule for another situation';
    }
    default:
      return `the engine's answer is ${expectedLabel}`;
  }
}

function labelOf(view: QuestionView, value: Answer): string {
  if (typeof value === 'number') return String(value);
  const one = (v: string) => view.options.find((o) => o.value === v)?.label ?? v;
  return Array.isArray(value) ? (value.length === 0 ? 'none' : value.map(one).join('; ')) : one(value);
}

/** Marks a trainee's answer against the engine's. */
export function markAnswer(stage: PracticeStage, q: PracticeQuestion, given: Answer): Mark {
  const view = viewQuestion(stage, q);
  const expected = engineAnswer(stage, q);
  let score: number;
  if (typeof expected === 'number') {
    const g = typeof given === 'number' ? given : Number(given);
    const relative = Math.abs(g - expected) / Math.max(Math.abs(expected), 1e-9);
    score = !Number.isFinite(g) ? 0 : relative <= 0.05 ? 1 : relative <= 0.2 ? 0.5 : 0;
  } else if (Array.isArray(expected)) {
    score = jaccard(Array.isArray(given) ? given : [String(given)], expected);
  } else {
    score = partialSingle(stage, q, Array.isArray(given) ? given.join(',') : String(given), expected);
  }
  const { lines, sources } = explanationOf(stage, q);
  const expectedLabel = labelOf(view, expected);
  const expectedValues = Array.isArray(expected) ? expected : [String(expected)];
  const otherOptions = view.mode === 'single' ? view.options.filter((o) => !expectedValues.includes(o.value)).map((o) => ({ ...o, why: whyNot(stage, q, o, expectedLabel) })) : [];
  return { question: q.id, score, given, expected, expectedLabel, explanation: lines, sources, otherOptions };
}
