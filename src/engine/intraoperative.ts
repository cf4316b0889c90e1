import { z } from 'zod';
import type { Case } from './model/case.ts';
import { ORGAN_ID_SCHEMA } from './model/case.ts';
import type { EngineWarning, Explained } from './model/explained.ts';
import { uniqueSources } from './model/explained.ts';
import { validateWith, type Validated } from './model/validation.ts';
import { ORGANS_BY_ID } from './tables/anatomy.ts';
import type { EvidenceLevel, SourceId } from './tables/sources.ts';
import {
  DEFAULT_STRUCTURE_RULE,
  DOCUMENTATION,
  EXPECTED_R2_RULE,
  FROZEN_SECTION_RESULTS,
  FROZEN_SECTION_RULES,
  FROZEN_SECTION_TARGETS,
  HAEMORRHAGE_RULE,
  KIDNEY_FUNCTION_UNKNOWN,
  PALLIATIVE_EXCEPTION,
  RUPTURE_EXTENTS,
  RUPTURE_RULE,
  STRUCTURE_RULES,
  TEAM_LABELS,
  UNRESECTABILITY_FINDINGS,
  type DocumentationId,
  type IntraopActionDefinition,
  type StructureRule,
  type Team,
} from './tables/intraoperative-rules.ts';
import { diagnose, resolvedHistology } from './diagnosis.ts';
import { planResection, type ResectionPlan } from './resection.ts';
import { label } from './vocabulary.ts';

/**
 * Intra-operative decision support (REFERENCE-2 §1): the plan meets reality.
 * Given the case and what the surgeon finds, it returns the recommended action
 * for each finding with its alternatives and consequences, the en bloc plan
 * re-derived with the new findings, the margin to expect, what to document and
 * whom to call. Pure, like the rest of the engine.
 */

export const INTRAOP_FINDING_TYPES = ['infiltration', 'encasement', 'rupture', 'frozen_section', 'unresectable', 'bleeding', 'contralateral_kidney_unknown'] as const;

export const IntraopFindingSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('infiltration'), structure: ORGAN_ID_SCHEMA }),
    z.strictObject({
      type: z.literal('encasement'),
      structure: ORGAN_ID_SCHEMA.refine((id) => ORGANS_BY_ID.get(id)?.vesselKind !== undefined, { error: 'encasement applies to an artery or a vein' }),
      /** For a vein: chronically occluded with established collaterals (ligation becomes acceptable). */
      occludedWithCollaterals: z.boolean({ error: 'must be true or false' }).optional(),
    }),
    z.strictObject({ type: z.literal('rupture'), extent: z.enum(RUPTURE_EXTENTS, { error: `must be one of ${RUPTURE_EXTENTS.join(', ')}` }) }),
    z.strictObject({
      type: z.literal('frozen_section'),
      target: z.enum(FROZEN_SECTION_TARGETS, { error: `must be one of ${FROZEN_SECTION_TARGETS.join(', ')}` }),
      result: z.enum(FROZEN_SECTION_RESULTS, { error: `must be one of ${FROZEN_SECTION_RESULTS.join(', ')}` }),
    }),
    z.strictObject({ type: z.literal('unresectable'), criterion: z.enum(UNRESECTABILITY_FINDINGS, { error: `must be one of ${UNRESECTABILITY_FINDINGS.join(', ')}` }) }),
    z.strictObject({ type: z.literal('bleeding') }),
    z.strictObject({ type: z.literal('contralateral_kidney_unknown') }),
  ],
  { error: `must be a finding with type one of ${INTRAOP_FINDING_TYPES.join(', ')}` },
);
export const IntraopFindingsSchema = z
  .array(IntraopFindingSchema, { error: 'must be a list of findings' })
  .min(1, { error: 'must list at least one finding' })
  .max(30, { error: 'must list at most 30 findings' });
export type IntraopFinding = z.output<typeof IntraopFindingSchema>;

export function validateFindings(input: unknown): Validated<IntraopFinding[]> {
  return validateWith(IntraopFindingsSchema, input);
}

export interface IntraopAction {
  readonly id: string;
  readonly label: string;
  readonly consequences: readonly string[];
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
}

/** The decision for one finding. */
export interface FindingDecision {
  /** Index of the finding in the input, and a human summary of it. */
  readonly finding: number;
  readonly summary: string;
  readonly recommended: IntraopAction;
  readonly alternatives: readonly IntraopAction[];
  readonly notes: readonly string[];
}

export interface IntraopDecision extends Explained {
  readonly decisions: FindingDecision[];
  /** Curative resection continues, or the findings end it (stop and re-plan; palliation only for symptoms). */
  readonly intent: 'continue-curative' | 'stop-and-replan';
  /** The en bloc plan re-derived with the findings; `added` lists what the findings bring into the resection. */
  readonly updatedPlan: Pick<ResectionPlan, 'enBloc' | 'preserveUnlessInfiltrated' | 'vascular' | 'resectability'> & { readonly added: string[] };
  readonly expectedMargin: { readonly status: 'macroscopically-complete-possible' | 'gross-residual-expected' | 'not-determined'; readonly why: string };
  readonly documentation: { readonly id: DocumentationId; readonly label: string; readonly sources: readonly SourceId[] }[];
  readonly call: { readonly team: Team; readonly label: string; readonly why: string }[];
  readonly warnings: EngineWarning[];
}

function action(def: IntraopActionDefinition): IntraopAction {
  return { id: def.id, label: def.label, consequences: def.consequences, evidence: def.evidence, sources: def.sources };
}

function ruleFor(structureId: string): StructureRule & { readonly structureLabel: string } {
  const organ = ORGANS_BY_ID.get(structureId);
  const base = organ ? (organ.sided ? structureId.replace(/_(left|right)$/, '') : structureId) : structureId;
  const rule = STRUCTURE_RULES.find((r) => r.bases.includes(base)) ?? { ...DEFAULT_STRUCTURE_RULE, bases: [base] };
  return { ...rule, structureLabel: organ?.label ?? structureId };
}

const LIPOSARCOMA_CODES = new Set(['8850/3', '8851/3', '8858/3']);

/** The intra-operative decisions for `findings` in `c` (REFERENCE-2 §1). */
export function intraoperative(c: Case, findings: readonly IntraopFinding[]): IntraopDecision {
  const decisions: FindingDecision[] = [];
  const reasons: string[] = [];
  const warnings: EngineWarning[] = [];
  const documentation = new Set<DocumentationId>(['deviation-record', 'clips', 'orientation']);
  const calls = new Map<Team, string>();
  let stop = false;
  let grossResidual = false;
  let resectionExtended = false;
  const newlyInfiltrated: string[] = [];
  const kidneyUnknown = findings.some((f) => f.type === 'contralateral_kidney_unknown');

  findings.forEach((f, index) => {
    switch (f.type) {
      case 'infiltration':
      case 'encasement': {
        const rule = ruleFor(f.structure);
        newlyInfiltrated.push(f.structure);
        let recommended = rule.recommended;
        let alternatives = rule.alternatives;
        const notes = [...(rule.notes ?? [])];
        // A chronically occluded vein with collaterals may be ligated (REFERENCE-2 §1.5 [C]).
        if (f.type === 'encasement' && f.occludedWithCollaterals === true) {
          const ligation = rule.alternatives.find((a) => a.id.startsWith('ligate'));
          if (ligation) {
            alternatives = [rule.recommended, ...rule.alternatives.filter((a) => a !== ligation)];
            recommended = ligation;
          }
        }
        // The kidney with an unknown contralateral kidney (REFERENCE-2 §1.7 [C]).
        if ((rule.bases.includes('kidney') || rule.bases.includes('renal_vein')) && kidneyUnknown) {
          alternatives = [recommended, ...alternatives];
          recommended = KIDNEY_FUNCTION_UNKNOWN;
        }
        if (recommended.stopsResection) stop = true;
        if (recommended.resectsStructure) resectionExtended = true;
        if (recommended.id === 'subadventitial-dissection-if-plane') {
          notes.push('if no plane exists, only an R2 resection is achievable: stop and re-plan at the MDT');
        }
        if (rule.bases.includes('femoral_nerve') || rule.bases.includes('lumbosacral_plexus')) documentation.add('nerve-record');
        for (const team of rule.call) calls.set(team, `${f.type === 'encasement' ? 'encasement' : 'infiltration'} of the ${rule.structureLabel}`);
        decisions.push({ finding: index, summary: `${f.type === 'encasement' ? 'encasement' : 'infiltration'} of the ${rule.structureLabel}`, recommended: action(recommended), alternatives: alternatives.map(action), notes });
        reasons.push(`${rule.situation}: ${recommended.label} (REFERENCE-2 §1).`);
        break;
      }
      case 'rupture': {
        documentation.add('rupture-record');
        decisions.push({ finding: index, summary: `tumour rupture (${label('ruptureExtent', f.extent)})`, recommended: action(RUPTURE_RULE), alternatives: [], notes: ['rupture is recorded as its own flag: it does not change the R status, which describes margins and gross residue'] });
        reasons.push('Rupture is an independent adverse factor and is kept separate from the margin (REFERENCE-2 §1.3).');
        warnings.push({ code: 'rupture', message: 'rupture carries a high risk of peritoneal recurrence; discuss at the MDT', sources: ['BONVALOT-2009'], evidence: 'consensus' });
        break;
      }
      case 'frozen_section': {
        const rule = FROZEN_SECTION_RULES[f.target];
        const notes = [rule.message];
        let recommended: IntraopActionDefinition = { id: `frozen-section-${f.target}`, label: rule.message, consequences: [], evidence: rule.evidence, sources: rule.sources };
        if (f.target === 'nodule' && f.result === 'tumour') {
          // A confirmed separate deposit ends curative intent (REFERENCE-2 §1.4 [C]).
          recommended = EXPECTED_R2_RULE;
          stop = true;
          grossResidual = true;
          documentation.add('residual-extent');
          notes.push('a separate tumour deposit confirmed: curative intent ends');
        }
        decisions.push({ finding: index, summary: `frozen section of a ${label('frozenSectionTarget', f.target)}: ${label('frozenSectionResult', f.result)}`, recommended: action(recommended), alternatives: [], notes });
        reasons.push(`Frozen section (${label('frozenSectionTarget', f.target)}): ${rule.message} (REFERENCE-2 §1.4).`);
        break;
      }
      case 'unresectable': {
        stop = true;
        grossResidual = true;
        documentation.add('residual-extent');
        decisions.push({ finding: index, summary: `criterion of unresectability: ${label('unresectabilityFinding', f.criterion)}`, recommended: action(EXPECTED_R2_RULE), alternatives: [action(PALLIATIVE_EXCEPTION)], notes: [] });
        reasons.push('Only a gross-residual (R2) resection is achievable: debulking brings no oncological benefit (REFERENCE-2 §1.1, rule intraop.expected_R2).');
        break;
      }
      case 'bleeding': {
        calls.set('anaesthesia', 'bleeding or haemodynamic instability');
        decisions.push({ finding: index, summary: 'bleeding or haemodynamic instability', recommended: action(HAEMORRHAGE_RULE), alternatives: [action(EXPECTED_R2_RULE)], notes: [] });
        reasons.push('Haemorrhage control comes first; the reference gives no oncological rule for it (consensus).');
        break;
      }
      case 'contralateral_kidney_unknown': {
        calls.set('urology', 'function of the other kidney unknown');
        decisions.push({ finding: index, summary: 'function of the other kidney unknown', recommended: action(KIDNEY_FUNCTION_UNKNOWN), alternatives: [], notes: [] });
        reasons.push('A kidney is not removed for a margin alone while the other kidney is unconfirmed (REFERENCE-2 §1.7).');
        break;
      }
    }
  });

  // The plan re-derived with what was found: infiltrated structures join the case's own.
  const contacts = [...new Set([...(c.tumor.contacts ?? []), ...newlyInfiltrated])];
  const infiltrates = [...new Set([...(c.tumor.infiltrates ?? []), ...newlyInfiltrated])];
  const withFindings: Case = { ...c, tumor: { ...c.tumor, contacts, infiltrates } };
  const diagnosis = diagnose(withFindings);
  const before = planResection(c, { isSarcoma: diagnose(c).isSarcoma, paragangliomaPossible: false });
  const after = planResection(withFindings, { isSarcoma: diagnosis.isSarcoma, paragangliomaPossible: false });
  const added = after.enBloc.filter((o) => !before.enBloc.includes(o));
  if (after.resectability.status === 'unresectable') {
    reasons.push(`With these findings the tumour meets a criterion of unresectability (${after.resectability.criteria.filter((x) => x.verdict === 'unresectable').map((x) => x.label).join('; ')}).`);
  }

  const histology = resolvedHistology(diagnosis);
  if (histology && LIPOSARCOMA_CODES.has(histology.code)) {
    reasons.push('In liposarcoma the normal-looking fat around the tumour is often well-differentiated tumour: take it en bloc (REFERENCE-2 §1.2, SCAN-2015).');
  }
  if (newlyInfiltrated.length > 0) {
    warnings.push({ code: 'plan-deviation', message: 'the operation deviates from the pre-operative plan: record the change and its reason', sources: ['NG-SWALLOW-2018'], evidence: 'consensus' });
  }

  const expectedMargin: IntraopDecision['expectedMargin'] = grossResidual
    ? { status: 'gross-residual-expected', why: 'a finding leaves disease that cannot be removed (R2)' }
    : stop
      ? { status: 'not-determined', why: 'the resection stops for re-planning; the margin depends on the next decision' }
      : resectionExtended || newlyInfiltrated.length === 0
        ? { status: 'macroscopically-complete-possible', why: resectionExtended ? 'macroscopically complete (R0/R1) if the extended en bloc resection is done' : 'no finding prevents a macroscopically complete resection' }
        : { status: 'not-determined', why: 'whether a plane exists decides between R0/R1 and R2' };

  const allSources = uniqueSources(
    ...decisions.flatMap((d) => [d.recommended.sources, ...d.alternatives.map((a) => a.sources)]),
    ...[...documentation].map((id) => DOCUMENTATION[id].sources),
  );
  return {
    decisions,
    intent: stop ? 'stop-and-replan' : 'continue-curative',
    updatedPlan: { enBloc: after.enBloc, preserveUnlessInfiltrated: after.preserveUnlessInfiltrated, vascular: after.vascular, resectability: after.resectability, added },
    expectedMargin,
    documentation: [...documentation].map((id) => ({ id, label: DOCUMENTATION[id].label, sources: DOCUMENTATION[id].sources })),
    call: [...calls].map(([team, why]) => ({ team, label: TEAM_LABELS[team], why })),
    warnings,
    reasons,
    sources: allSources,
  };
}
