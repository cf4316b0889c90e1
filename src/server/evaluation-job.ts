import { CaseSchema, evaluateCase, type FieldError } from '../engine/index.ts';
import { validateRequestPart } from './errors.ts';
import { serializeEvaluation } from './serializers.ts';

export type EvaluationOutcome = { readonly ok: true; readonly json: string } | { readonly ok: false; readonly errors: FieldError[] };

/**
 * POST /api/evaluate's work, whole: the body checked against the case model (the same field
 * errors as every other route's validation), the engine, and the evaluation's JSON. Pure, so it
 * runs alike in an evaluation thread (evaluation-worker.mjs) and in the server's own.
 */
export function evaluateBody(body: unknown): EvaluationOutcome {
  const parsed = validateRequestPart(CaseSchema, body);
  if (!parsed.ok) return parsed;
  return { ok: true, json: serializeEvaluation(evaluateCase(parsed.value) as object) };
}
