import type { SourceId } from './sources.ts';

/**
 * ICD-O-3 morphology codes Retroplan knows, with their diagnostic category and
 * (for sarcomas) the FNCLCC differentiation score.
 * Categories and codes: REFERENCE.md §3.2. Differentiation scores: REFERENCE.md §2
 * [V] (FNCLCC; Coindre 2006). `null` = no verified score: the pathologist must give it.
 */
export const DIAGNOSTIC_CATEGORIES = [
  'sarcoma',
  'carcinoma',
  'lymphoma',
  'paraganglioma',
  'gist',
  'germ_cell',
  'desmoid',
  'benign',
] as const;
export type DiagnosticCategory = (typeof DIAGNOSTIC_CATEGORIES)[number];

/** Histology families used by strategy, failure-pattern and surveillance rules. */
export type HistologyFamily =
  | 'wdlps'
  | 'ddlps'
  | 'lps_nos'
  | 'lps_other'
  | 'lms'
  | 'mpnst'
  | 'sft'
  | 'ups'
  | 'sarcoma_nos'
  | 'sarcoma_other'
  | 'gist'
  | 'desmoid'
  | 'rcc'
  | 'carcinoma'
  | 'lymphoma'
  | 'paraganglioma'
  | 'germ_cell'
  | 'angiomyolipoma'
  | 'schwannoma'
  | 'lipoma'
  | 'teratoma'
  | 'acc';

export interface HistologyDefinition {
  readonly code: string;
  readonly name: string;
  readonly category: DiagnosticCategory;
  readonly family: HistologyFamily;
  readonly differentiationScore: 1 | 2 | 3 | null;
  readonly differentiationNote?: string;
  readonly sources: readonly SourceId[];
}

export const HISTOLOGIES: readonly HistologyDefinition[] = [
  { code: '8851/3', name: 'well-differentiated liposarcoma', category: 'sarcoma', family: 'wdlps', differentiationScore: 1, sources: ['FNCLCC'] },
  { code: '8858/3', name: 'dedifferentiated liposarcoma', category: 'sarcoma', family: 'ddlps', differentiationScore: 3, sources: ['FNCLCC', 'COINDRE-2006'] },
  { code: '8850/3', name: 'liposarcoma, NOS', category: 'sarcoma', family: 'lps_nos', differentiationScore: null, differentiationNote: 'depends on the subtype (WD 1, myxoid 2, DD/round-cell/pleomorphic 3)', sources: ['FNCLCC'] },
  { code: '8852/3', name: 'myxoid liposarcoma', category: 'sarcoma', family: 'lps_other', differentiationScore: 2, sources: ['FNCLCC'] },
  { code: '8853/3', name: 'round cell liposarcoma', category: 'sarcoma', family: 'lps_other', differentiationScore: 3, sources: ['FNCLCC'] },
  { code: '8854/3', name: 'pleomorphic liposarcoma', category: 'sarcoma', family: 'lps_other', differentiationScore: 3, sources: ['FNCLCC'] },
  { code: '8890/3', name: 'leiomyosarcoma', category: 'sarcoma', family: 'lms', differentiationScore: 2, differentiationNote: 'conventional LMS 2; well-differentiated LMS 1; poorly differentiated or pleomorphic LMS 3', sources: ['FNCLCC'] },
  { code: '8891/3', name: 'epithelioid leiomyosarcoma', category: 'sarcoma', family: 'lms', differentiationScore: 3, sources: ['FNCLCC'] },
  { code: '8896/3', name: 'myxoid leiomyosarcoma', category: 'sarcoma', family: 'lms', differentiationScore: null, sources: ['FNCLCC'] },
  { code: '9540/3', name: 'malignant peripheral nerve sheath tumour', category: 'sarcoma', family: 'mpnst', differentiationScore: null, differentiationNote: 'no verified differentiation score for MPNST', sources: ['FNCLCC', 'COINDRE-2006'] },
  { code: '8815/1', name: 'solitary fibrous tumour', category: 'sarcoma', family: 'sft', differentiationScore: null, sources: ['TARPSWG-2021'] },
  { code: '8815/3', name: 'malignant solitary fibrous tumour', category: 'sarcoma', family: 'sft', differentiationScore: null, sources: ['TARPSWG-2021'] },
  { code: '8800/3', name: 'sarcoma, NOS', category: 'sarcoma', family: 'sarcoma_nos', differentiationScore: 3, sources: ['FNCLCC'] },
  { code: '8805/3', name: 'undifferentiated sarcoma', category: 'sarcoma', family: 'sarcoma_nos', differentiationScore: 3, sources: ['FNCLCC'] },
  { code: '8802/3', name: 'undifferentiated pleomorphic sarcoma', category: 'sarcoma', family: 'ups', differentiationScore: 3, sources: ['FNCLCC', 'PATHOLOGYOUTLINES'] },
  { code: '8811/3', name: 'myxofibrosarcoma', category: 'sarcoma', family: 'sarcoma_other', differentiationScore: 2, sources: ['FNCLCC'] },
  { code: '9040/3', name: 'synovial sarcoma', category: 'sarcoma', family: 'sarcoma_other', differentiationScore: 3, sources: ['FNCLCC'] },
  { code: '9120/3', name: 'angiosarcoma', category: 'sarcoma', family: 'sarcoma_other', differentiationScore: null, differentiationNote: 'no verified differentiation score for angiosarcoma', sources: ['FNCLCC'] },
  { code: '8936/3', name: 'gastrointestinal stromal tumour', category: 'gist', family: 'gist', differentiationScore: null, sources: ['AJCC8'] },
  { code: '8821/1', name: 'desmoid fibromatosis', category: 'desmoid', family: 'desmoid', differentiationScore: null, sources: ['AJCC8'] },
  { code: '8312/3', name: 'renal cell carcinoma', category: 'carcinoma', family: 'rcc', differentiationScore: null, sources: ['SEED'] },
  { code: '8010/3', name: 'carcinoma, NOS', category: 'carcinoma', family: 'carcinoma', differentiationScore: null, sources: ['SEED'] },
  { code: '9590/3', name: 'lymphoma, NOS', category: 'lymphoma', family: 'lymphoma', differentiationScore: null, sources: ['SEED'] },
  { code: '8693/3', name: 'paraganglioma', category: 'paraganglioma', family: 'paraganglioma', differentiationScore: null, sources: ['SEED', 'VANDERVEEN-2009'] },
  { code: '9064/3', name: 'germ cell tumour, NOS', category: 'germ_cell', family: 'germ_cell', differentiationScore: null, sources: ['SEED'] },
  { code: '8860/0', name: 'angiomyolipoma', category: 'benign', family: 'angiomyolipoma', differentiationScore: null, sources: ['SEED'] },
  // Added to the differential by the expert review (issue 10) [consensus]: benign mimics and an adrenal carcinoma.
  { code: '9560/0', name: 'schwannoma', category: 'benign', family: 'schwannoma', differentiationScore: null, sources: ['EXPERT-REVIEW'] },
  { code: '8850/0', name: 'lipoma', category: 'benign', family: 'lipoma', differentiationScore: null, sources: ['EXPERT-REVIEW'] },
  { code: '9080/0', name: 'mature teratoma', category: 'benign', family: 'teratoma', differentiationScore: null, sources: ['EXPERT-REVIEW'] },
  { code: '8370/3', name: 'adrenocortical carcinoma', category: 'carcinoma', family: 'acc', differentiationScore: null, sources: ['EXPERT-REVIEW'] },
];

export const HISTOLOGY_BY_CODE: ReadonlyMap<string, HistologyDefinition> = new Map(
  HISTOLOGIES.map((h) => [h.code, h]),
);

/** ICD-O-3 morphology: four digits, a slash, one behaviour digit (0–3, 6, 9). */
export const ICDO3_MORPHOLOGY_PATTERN = /^\d{4}\/[012369]$/;

/** ICD-O-3 behaviour digit: 0 benign, 1 uncertain/borderline, 2 in situ, 3 malignant. */
export function behaviourOf(code: string): number {
  return Number(code.slice(-1));
}

export function histologyByCode(code: string | undefined): HistologyDefinition | undefined {
  return code === undefined ? undefined : HISTOLOGY_BY_CODE.get(code);
}
