import type { Case } from './model/case.ts';
import type { EngineWarning } from './model/explained.ts';
import { validateCase, type Validated } from './model/validation.ts';
import { gradeFnclcc, type GradeResult } from './grade.ts';
import { stageRetroperitoneal, type SarcomaStatus, type StageResult } from './stage.ts';
import { assessMargin, type MarginAssessment } from './margins.ts';
import { histologyByCode, type HistologyDefinition } from './tables/histology.ts';
import { ENGINE_VERSION } from './version.ts';

/** The engine's whole answer for one case: every part carries its reasons and sources. */
export interface Evaluation {
  readonly engine: { readonly name: 'retroplan'; readonly version: string };
  readonly caseId?: string;
  readonly presentation: Case['presentation'];
  readonly grade: GradeResult;
  readonly stage: StageResult;
  readonly margin: MarginAssessment;
  /** Every warning of every part, in one list for display. */
  readonly warnings: EngineWarning[];
}

function sarcomaStatusFromHistology(code: string | undefined, histology: HistologyDefinition | undefined): SarcomaStatus {
  if (!code) return { isSarcoma: null, reason: 'no histology recorded' };
  if (!histology) return { isSarcoma: null, reason: `histology ${code} is not in Retroplan's table` };
  return histology.category === 'sarcoma'
    ? { isSarcoma: true, reason: `${histology.name} (${histology.code}) is a sarcoma` }
    : { isSarcoma: false, reason: `${histology.name} (${histology.code}) is not a sarcoma (${histology.category})` };
}

/** Evaluates a validated case. Pure: no I/O, the same in the CLI, the server and the browser. */
export function evaluateCase(c: Case): Evaluation {
  const histology = histologyByCode(c.pathology.histology);
  const grade = gradeFnclcc(c.pathology, histology);
  const stage = stageRetroperitoneal(c, grade.grade, sarcomaStatusFromHistology(c.pathology.histology, histology));
  const margin = assessMargin(c.surgery?.margin);
  return {
    engine: { name: 'retroplan', version: ENGINE_VERSION },
    caseId: c.id,
    presentation: c.presentation,
    grade,
    stage,
    margin,
    warnings: [...grade.warnings, ...stage.warnings],
  };
}

/** Validates untrusted input, then evaluates it. */
export function evaluate(input: unknown): Validated<Evaluation> {
  const checked = validateCase(input);
  return checked.ok ? { ok: true, value: evaluateCase(checked.value) } : checked;
}
