/**
 * Registry records (columns named by NAACCR XML ids) → schema inputs, and staging results →
 * the derived NAACCR items. Which column feeds which input is read from the schema's
 * `naaccr_xml_id`s, so the columns follow the table set. Pure: no I/O.
 */
import { stage, type Algorithm, type StagingInput, type StagingOptions, type StagingResult } from './schema-runner.ts';

/** Derived items written for every row, in this order (NAACCR XML ids of the schema's outputs). */
export const DERIVED_COLUMNS = ['derivedEod2018T', 'derivedEod2018N', 'derivedEod2018M', 'derivedEod2018StageGroup', 'derivedSummaryStage2018'] as const;
export const ERRORS_COLUMN = 'stagingErrors';
export const NOTES_COLUMN = 'stagingNotes';
export const OUTPUT_COLUMNS: readonly string[] = [...DERIVED_COLUMNS, ERRORS_COLUMN, NOTES_COLUMN];

/**
 * Other names accepted for a NAACCR XML id. Item 3845 is `gradePostTherapy` in the schema file;
 * the batch interface documents it as `gradePostTherapyPath`.
 */
const ALIASES: Readonly<Record<string, string>> = { gradePostTherapyPath: 'gradePostTherapy' };

/** Date of Diagnosis (item 390, YYYYMMDD, or an ISO date) → the year the schema's `year_dx` input takes. */
const DATE_OF_DIAGNOSIS = 'dateOfDiagnosis';

export interface RecordStager {
  /** Input column index → schema input key, for the columns present. */
  readonly inputs: readonly { readonly index: number; readonly key: string; readonly column: string }[];
  /** Stages one record (already checked for its column count) and returns the appended output cells. */
  readonly stageRecord: (record: readonly string[]) => string[];
}

/** Why a row was not staged, in words a registrar can act on. */
function notStagedMessage(algorithm: Algorithm, input: StagingInput, result: StagingResult, names: Readonly<Record<string, string>>): string {
  const site = input.site?.trim() ?? '';
  const hist = input.hist?.trim() ?? '';
  if (result.status === 'invalid-year') return `${result.errors[0]?.message ?? 'invalid year of diagnosis'}: outside the years this algorithm stages — not staged`;
  if (!site || !hist) return `${names.site ?? 'site'} and ${names.hist ?? 'hist'} are required — not staged`;
  const schemaNames = algorithm.schemas.map((s) => s.name).join(', ');
  const sex = input.sex?.trim();
  return `not in the ${schemaNames} schema (${names.site ?? 'site'} ${site}, ${names.hist ?? 'hist'} ${hist}${sex ? `, sex ${sex}` : ''}) — not staged`;
}

export function recordStager(algorithm: Algorithm, header: readonly string[], options: StagingOptions): RecordStager {
  const byXmlId = new Map<string, string>();
  const names: Record<string, string> = {};
  for (const schema of algorithm.schemas)
    for (const input of schema.inputs)
      if (input.naaccr_xml_id) {
        byXmlId.set(input.naaccr_xml_id, input.key);
        names[input.key] ??= input.naaccr_xml_id;
      }
  const outputKeyByXmlId = new Map<string, string>();
  for (const schema of algorithm.schemas) for (const out of schema.outputs) if (out.naaccr_xml_id) outputKeyByXmlId.set(out.naaccr_xml_id, out.key);

  const inputs: { index: number; key: string; column: string }[] = [];
  let dateIndex = -1;
  header.forEach((column, index) => {
    const name = column.trim();
    if (name === DATE_OF_DIAGNOSIS && byXmlId.get(name) === 'year_dx') dateIndex = index;
    else {
      const key = byXmlId.get(ALIASES[name] ?? name);
      if (key !== undefined && !inputs.some((i) => i.key === key)) inputs.push({ index, key, column: name });
    }
  });
  const outputKeys = DERIVED_COLUMNS.map((c) => outputKeyByXmlId.get(c));
  const stageGroupKey = outputKeyByXmlId.get('derivedEod2018StageGroup');

  const stageRecord = (record: readonly string[]): string[] => {
    // A blank cell is an item not supplied (NAACCR XML leaves empty items out), so the schema default applies.
    const input: Record<string, string | undefined> = {};
    for (const { index, key } of inputs) {
      const v = record[index]!;
      input[key] = v.trim() === '' ? undefined : v;
    }
    if (dateIndex >= 0) {
      const d = record[dateIndex]!.trim();
      input.year_dx = d === '' ? undefined : d.slice(0, 4);
    }
    const result = stage(algorithm, input, options);
    if (result.status !== 'staged') {
      return [...DERIVED_COLUMNS.map(() => ''), notStagedMessage(algorithm, input, result, names), ''];
    }
    const derived = outputKeys.map((k) => (k === undefined ? '' : (result.outputs[k] ?? '')));
    const notes: string[] = [];
    // REFERENCE-2 §7.1: histologies outside AJCC chapter 44 derive 88 — say so rather than leave a bare code.
    if (stageGroupKey !== undefined && result.outputs[stageGroupKey] === '88') {
      notes.push(`registry: not AJCC-staged (histology ${input.hist?.trim()} has no AJCC 8 chapter in this schema, derived T/N/M/stage 88)`);
    }
    return [...derived, result.errors.map((e) => e.message.replace(/;/g, ',')).join(';'), notes.join(';')];
  };
  return { inputs, stageRecord };
}
