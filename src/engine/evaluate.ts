import type { Case } from './model/case.ts';
import type { EngineWarning } from './model/explained.ts';
import { validateCase, type Validated } from './model/validation.ts';
import { gradeFnclcc, type GradeResult } from './grade.ts';
import { stageRetroperitoneal, type StageResult } from './stage.ts';
import { assessMargin, type MarginAssessment } from './margins.ts';
import { diagnose, histologyForGrading, resolvedHistology, sarcomaStatusFromDiagnosis, type DiagnosisResult } from './diagnosis.ts';
import { failurePatternFor, type FailurePatternResult } from './failure-pattern.ts';
import { planResection, type ResectionPlan } from './resection.ts';
import { planStrategy, type StrategyResult } from './strategy.ts';
import { planSurveillance, type SurveillancePlan } from './surveillance.ts';
import { adviseReferral, type ReferralAdvice } from './referral.ts';
import { nomogramInputs, type NomogramInfo } from './nomograms.ts';
import { ENGINE_VERSION, REFERENCE_SET, RULES_VERSION } from './version.ts';

import { growthKinetics, wdlpsGrowthWarning, type GrowthResult } from './growth.ts';
import { pathwayPosition, type PathwayResult } from './pathway.ts';

/** The engine's whole answer for one case: every part carries its reasons and sources. */
export interface Evaluation {
  /** Which release produced the result: engine version, clinical rules version and the reference texts they encode. */
  readonly engine: { readonly name: 'retroplan'; readonly version: string; readonly rulesVersion: string; readonly references: readonly string[] };
  readonly caseId?: string;
  readonly presentation: Case['presentation'];
  readonly grade: GradeResult;
  readonly stage: StageResult;
  readonly margin: MarginAssessment;
  readonly diagnosis: DiagnosisResult;
  readonly failurePattern: FailurePatternResult;
  readonly strategy: StrategyResult;
  readonly resectionPlan: ResectionPlan;
  readonly surveillance: SurveillancePlan;
  readonly referral: ReferralAdvice;
  /** Growth kinetics from dated measurements (REFERENCE-2 §3); null with fewer than two dates. */
  readonly growth: GrowthResult | null;
  /** Where the patient is in the pathway: prior procedures, the last resection, spill, recurrence selection (REFERENCE-2 §2, §4, §5). */
  readonly history: PathwayResult;
  /** Published nomograms: their inputs and where to compute them (not re-created). */
  readonly nomograms: NomogramInfo[];
  /** Every warning of every part, in one list for display. */
  readonly warnings: EngineWarning[];
}

/** Shared by every evaluation: frozen. */
const ENGINE: Evaluation['engine'] = Object.freeze({ name: 'retroplan', version: ENGINE_VERSION, rulesVersion: RULES_VERSION, references: Object.freeze([...REFERENCE_SET]) });

/** Evaluates a validated case. Pure: no I/O, the same in the CLI, the server and the browser. */
export function evaluateCase(c: Case): Evaluation {
  // The diagnosis comes first: staging applies only to sarcomas, grading and strategy need the histology.
  const diagnosis = diagnose(c);
  const histology = resolvedHistology(diagnosis);
  const grade = gradeFnclcc(c.pathology, histologyForGrading(diagnosis));
  const stage = stageRetroperitoneal(c, grade.grade, sarcomaStatusFromDiagnosis(diagnosis, c));
  const margin = assessMargin(c.surgery?.margin);
  const failurePattern = failurePatternFor(histology, diagnosis.isSarcoma);
  const growth = growthKinetics(c);
  let paragangliomaPossible = false;
  for (const f of diagnosis.redFlags) if (f.id === 'metanephrines-before-biopsy') paragangliomaPossible = true;
  const completelyResected = c.presentation === 'primary' && resectedCompletely(c);
  const mustExclude: string[] = [];
  for (const e of diagnosis.mustExcludeFirst) mustExclude.push(e.id);
  const resectionPlan = planResection(c, { isSarcoma: diagnosis.isSarcoma, paragangliomaPossible, alreadyResectedCompletely: completelyResected, mustExcludeFirst: mustExclude });
  const lowGrade = grade.grade === 'G1' || histology?.family === 'wdlps' ? true : grade.grade === 'G3' ? false : null;
  const history = pathwayPosition(c, { growth, resectability: resectionPlan.resectability.status, lowGrade });
  const strategy = planStrategy(c, diagnosis, grade.grade, resectionPlan, history, growth);
  const surveillance = planSurveillance(grade.grade, histology, diagnosis.isSarcoma, history.position === 'after-incomplete-resection');
  const referral = adviseReferral(c, diagnosis.isSarcoma, diagnosis.leading?.category ?? null, history.biopsied, history.lastResection !== null);
  const nomograms = nomogramInputs(c, grade.grade, histology);
  const warnings = [...diagnosis.warnings, ...grade.warnings, ...stage.warnings, ...resectionPlan.warnings];
  if (growth !== null) for (const w of growth.warnings) warnings.push(w);
  const growthWarning = wdlpsGrowthWarning(growth, histology?.family);
  if (growthWarning !== null) warnings.push(growthWarning);
  return {
    engine: ENGINE,
    caseId: c.id,
    presentation: c.presentation,
    grade,
    stage,
    margin,
    diagnosis,
    failurePattern,
    strategy,
    resectionPlan,
    surveillance,
    referral,
    growth,
    history,
    nomograms,
    warnings,
  };
}

/** The last resection was macroscopically complete (R0/R1, complete type): surveillance, no operation planned (REFERENCE-2 §5). */
function resectedCompletely(c: Case): boolean {
  if (c.surgery?.margin !== undefined) return c.surgery.margin !== 'R2';
  let type = '';
  let margin: string | undefined;
  let lastDate = '';
  let found = false;
  for (const h of c.history ?? []) {
    if (h.kind !== 'surgery' || h.resectionType === 'exploratory') continue;
    const date = h.date ?? '';
    if (!found || date === '' || date >= lastDate) {
      found = true;
      type = h.resectionType;
      margin = h.margin;
      if (date !== '') lastDate = date;
    }
  }
  return found && type === 'complete' && (margin === 'R0' || margin === 'R1');
}

/** Validates untrusted input, then evaluates it. */
export function evaluate(input: unknown): Validated<Evaluation> {
  const checked = validateCase(input);
  return checked.ok ? { ok: true, value: evaluateCase(checked.value) } : checked;
}
