import { ORGANS, type IntraopFinding } from '../../../src/engine/index.ts';
import { FROZEN_SECTION_RESULTS, FROZEN_SECTION_TARGETS, RUPTURE_EXTENTS, UNRESECTABILITY_FINDINGS } from '../../../src/engine/tables/intraoperative-rules.ts';
import { INTRAOP_FINDING_TYPES } from '../../../src/engine/intraoperative.ts';
import { label, organName } from '../../../src/engine/vocabulary.ts';

/**
 * The intra-operative engine's closed findings vocabulary as theatre buttons:
 * which finding needs a choice before it can be recorded (organ, vessel,
 * extent, frozen-section target and result, criterion). Built from the engine's
 * own lists, so a finding added there appears here.
 */

export type FindingType = (typeof INTRAOP_FINDING_TYPES)[number];
export type Picker = 'organ' | 'vessel' | 'extent' | 'frozen' | 'criterion' | null;

export const PICKER: Record<FindingType, Picker> = {
  infiltration: 'organ',
  encasement: 'vessel',
  rupture: 'extent',
  frozen_section: 'frozen',
  unresectable: 'criterion',
  bleeding: null,
  contralateral_kidney_unknown: null,
};

export const FINDING_BUTTONS = INTRAOP_FINDING_TYPES.map((type) => ({ type, label: label('intraopFinding', type), picker: PICKER[type] }));

export const ORGAN_CHOICES = ORGANS.map((o) => ({ id: o.id, label: organName(o.id) })).sort((a, b) => a.label.localeCompare(b.label));
export const VESSEL_CHOICES = ORGANS.filter((o) => o.vesselKind !== undefined).map((o) => ({ id: o.id, label: organName(o.id), vein: o.vesselKind === 'vein' }));
export const VEINS = new Set(VESSEL_CHOICES.filter((v) => v.vein).map((v) => v.id));
/** The vocabulary names these inside sentences; as a button or a log entry they start with a capital. */
function asLabel(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const EXTENT_CHOICES = RUPTURE_EXTENTS.map((id) => ({ id, label: asLabel(label('ruptureExtent', id)) }));
export const FROZEN_TARGETS = FROZEN_SECTION_TARGETS.map((id) => ({ id, label: asLabel(label('frozenSectionTarget', id)) }));
export const FROZEN_RESULTS = FROZEN_SECTION_RESULTS.map((id) => ({ id, label: asLabel(label('frozenSectionResult', id)) }));
export const CRITERION_CHOICES = UNRESECTABILITY_FINDINGS.map((id) => ({ id, label: asLabel(label('unresectabilityFinding', id)) }));

/** A finding in words, for the log and the operative record. */
export function findingText(f: IntraopFinding): string {
  switch (f.type) {
    case 'infiltration':
      return `${label('intraopFinding', f.type)}: ${organName(f.structure)}`;
    case 'encasement':
      return `${label('intraopFinding', f.type)}: ${organName(f.structure)}${f.occludedWithCollaterals ? ' (occluded, collaterals established)' : ''}`;
    case 'rupture':
      return `${label('intraopFinding', f.type)}: ${asLabel(label('ruptureExtent', f.extent))}`;
    case 'frozen_section':
      return `Frozen section of the ${label('frozenSectionTarget', f.target)}: ${label('frozenSectionResult', f.result)}`;
    case 'unresectable':
      return `${label('intraopFinding', f.type)}: ${asLabel(label('unresectabilityFinding', f.criterion))}`;
    default:
      return label('intraopFinding', f.type);
  }
}
