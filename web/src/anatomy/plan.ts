import type { ResectionPlan } from '../../../src/engine/index.ts';

/**
 * The engine's en bloc plan (`evaluation.resectionPlan`, src/engine/resection.ts)
 * as one action per organ, for colouring the diagram. The plan is the engine's;
 * this only indexes it. No plan (older evaluation, not a sarcoma) → no colours.
 */
export type PlanAction = 'resect' | 'reconstruct' | 'dissect' | 'preserve' | 'unresectable';

export const PLAN_LABELS: Record<PlanAction, string> = {
  resect: 'Resected en bloc',
  reconstruct: 'Vessel resected and reconstructed',
  dissect: 'Vessel dissected free',
  preserve: 'Preserved unless infiltrated',
  unresectable: 'Criterion of unresectability',
};

export function planActions(plan: ResectionPlan | null | undefined): Map<string, PlanAction> {
  const out = new Map<string, PlanAction>();
  if (!plan || plan.applies === 'no') return out;
  // Most decisive first: an unresectability criterion outranks any other colour of the same organ.
  for (const c of plan.resectability?.criteria ?? []) if (c.verdict === 'unresectable') for (const id of c.by) out.set(id, 'unresectable');
  const put = (id: string, a: PlanAction) => {
    if (!out.has(id)) out.set(id, a);
  };
  for (const v of plan.vascular ?? []) put(v.organ, v.action === 'resect-and-reconstruct' ? 'reconstruct' : 'dissect');
  for (const id of plan.enBloc ?? []) put(id, 'resect');
  for (const id of plan.preserveUnlessInfiltrated ?? []) put(id, 'preserve');
  return out;
}
