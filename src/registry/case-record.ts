/**
 * A Retroplan case staged two ways, side by side and labelled: the clinical engine's AJCC 8
 * stage (`engine*` columns) and SEER's EOD 2018 derivation (`derived*` columns) from the registry
 * items the case records. The two differ on purpose in places (REFERENCE-2 §7.3: SEER gives TX N0
 * M0 with low/unknown grade stage "1", non-chapter-44 histologies 88). Pure: no I/O.
 */
import { evaluate } from '../engine/index.ts';
import type { Algorithm, StagingOptions } from './schema-runner.ts';
import { OUTPUT_COLUMNS, recordStager } from './naaccr-record.ts';

export const ENGINE_COLUMNS = ['engineStageGroup', 'engineT', 'engineN', 'engineM', 'engineG', 'engineProvisional', 'engineMissing', 'engineErrors'] as const;

/** The registry items a case can supply, by NAACCR XML id. */
export const CASE_REGISTRY_COLUMNS = [
  'primarySite',
  'histologicTypeIcdO3',
  'behaviorCodeIcdO3',
  'sex',
  'eodPrimaryTumor',
  'tumorSizeSummary',
  'eodRegionalNodes',
  'eodMets',
  'gradeClinical',
  'gradePathological',
] as const;

export const CASE_OUTPUT_COLUMNS: readonly string[] = ['line', 'caseId', ...ENGINE_COLUMNS, ...CASE_REGISTRY_COLUMNS, ...OUTPUT_COLUMNS];

const SEX_CODE: Readonly<Record<string, string>> = { male: '1', female: '2', other: '3', unknown: '9' };
const GRADE_CODE: Readonly<Record<string, string>> = { G1: '1', G2: '2', G3: '3', GX: '9' };

interface CaseLike {
  id?: unknown;
  patient?: { sex?: string };
  tumor?: { sizeCm?: number; nodes?: string; metastasis?: string; infiltrates?: readonly string[] };
  pathology?: { histology?: string; grade?: string; specimen?: string };
}

/**
 * The case's registry items. Retroplan cases are retroperitoneal (C48.0). EOD Primary Tumor: organs
 * recorded as infiltrated → 200 (extension to adjacent organs/structures), infiltration recorded as
 * none (`infiltrates: []`) → 100 (confined), not recorded → blank, so SEER's default 999 applies.
 * Tumour size in whole millimetres (989 = 989 mm or more); N0/N1 → EOD nodes 000/800 (nodes NOS);
 * M0/M1 → EOD mets 00/70. The grade is the engine's FNCLCC grade (G1–G3 → 1–3, GX → 9): clinical
 * from a core biopsy or no specimen type, pathological from a resection.
 */
export function registryItems(c: CaseLike, fnclccGrade: string): { values: string[]; notes: string[] } {
  const notes: string[] = [];
  const [hist = '', behavior = ''] = (c.pathology?.histology ?? '').split('/');
  const size = c.tumor?.sizeCm;
  const mm = size === undefined ? '' : String(Math.min(989, Math.max(1, Math.round(size * 10)))).padStart(3, '0');
  const grade = GRADE_CODE[fnclccGrade] ?? '';
  const pathological = c.pathology?.specimen === 'resection';
  const infiltrates = c.tumor?.infiltrates;
  const extension = infiltrates === undefined ? '' : infiltrates.length > 0 ? '200' : '100';
  if (extension === '') notes.push('tumor.infiltrates not recorded: eodPrimaryTumor left blank, SEER default 999 (extension unknown) applies and derived T is TX');
  const values = [
    'C480',
    hist,
    behavior,
    c.patient?.sex ? (SEX_CODE[c.patient.sex] ?? '') : '',
    extension,
    mm,
    c.tumor?.nodes === 'N0' ? '000' : c.tumor?.nodes === 'N1' ? '800' : '',
    c.tumor?.metastasis === 'M0' ? '00' : c.tumor?.metastasis === 'M1' ? '70' : '',
    pathological ? '' : grade,
    pathological ? grade : '',
  ];
  return { values, notes };
}

export interface CaseStager {
  /** One NDJSON line (1-based line number) → the output cells in CASE_OUTPUT_COLUMNS order, or a problem when the line is not JSON. */
  readonly stageLine: (text: string, line: number) => { cells: string[]; malformed: string | null };
}

export function caseStager(algorithm: Algorithm, options: StagingOptions): CaseStager {
  const seer = recordStager(algorithm, CASE_REGISTRY_COLUMNS, options);
  const blankRegistry = (): string[] => [...CASE_REGISTRY_COLUMNS.map(() => ''), ...OUTPUT_COLUMNS.map(() => '')];
  const stageLine = (text: string, line: number) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const message = `line ${line}: not valid JSON (${(error as Error).message.split('\n')[0]})`;
      return { cells: [String(line), '', ...ENGINE_COLUMNS.slice(1).map(() => ''), message, ...blankRegistry()], malformed: message };
    }
    const id = typeof json === 'object' && json !== null && typeof (json as CaseLike).id === 'string' ? ((json as CaseLike).id as string) : '';
    const result = evaluate(json);
    if (!result.ok) {
      const errors = result.errors.map((e) => `${e.path || '(root)'}: ${e.message}`.replace(/;/g, ',')).join(';');
      return { cells: [String(line), id, '', '', '', '', '', '', '', errors, ...blankRegistry()], malformed: null };
    }
    const s = result.value.stage as typeof result.value.stage & { provisional?: boolean };
    const engine = [s.group ?? '', s.t, s.n, s.m, s.g, s.provisional === true ? 'true' : s.provisional === false ? 'false' : '', s.missing.map((m) => m.replace(/;/g, ',')).join(';'), ''];
    const { values, notes } = registryItems(json as CaseLike, s.g);
    const derived = seer.stageRecord(values);
    const notesAt = derived.length - 1;
    // The extension note matters only where SEER staged the case.
    if (derived[0]) derived[notesAt] = [...notes, derived[notesAt]].filter(Boolean).join(';');
    return { cells: [String(line), id, ...engine, ...values, ...derived], malformed: null };
  };
  return { stageLine };
}
