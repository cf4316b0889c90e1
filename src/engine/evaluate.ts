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
  let paragangliomaPossible = false;
  for (const f of diagnosis.redFlags) if (f.id === 'metanephrines-before-biopsy') paragangliomaPossible = true;
  const resectionPlan = planResection(c, { isSarcoma: diagnosis.isSarcoma, paragangliomaPossible });
  const strategy = planStrategy(c, diagnosis, grade.grade, resectionPlan);
  const surveillance = planSurveillance(grade.grade, histology, diagnosis.isSarcoma);
  const referral = adviseReferral(c, diagnosis.isSarcoma);
  const nomograms = nomogramInputs(c, grade.grade, histology);
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
    nomograms,
    warnings: [...diagnosis.warnings, ...grade.warnings, ...stage.warnings],
  };
}

/** Validates untrusted input, then evaluates it. */
export function evaluate(input: unknown): Validated<Evaluation> {
  const checked = validateCase(input);
  return checked.ok ? { ok: true, value: evaluateCase(checked.value) } : checked;
}
