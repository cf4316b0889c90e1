import type { HistologyFamily } from './histology.ts';
import type { EvidenceLevel, SourceId } from './sources.ts';

/**
 * Histology-driven strategy (REFERENCE.md §4, SEED; trials STRASS, STREXIT,
 * STRASS2; TARPSWG-2015/2021). One definition per priority id; the order of
 * priorities per histology lives in `STRATEGY_BY_FAMILY`.
 */
export interface PriorityDefinition {
  readonly label: string;
  readonly rationale: string;
  readonly evidence: EvidenceLevel;
  readonly sources: readonly SourceId[];
}

export const PRIORITIES = {
  'en-bloc-resection': {
    label: 'En bloc resection with contiguous organs',
    rationale: 'Macroscopically complete resection in one piece with adherent organs, never along the pseudocapsule and never piecemeal: the best chance of cure is the first operation.',
    evidence: 'verified',
    sources: ['STRASS', 'TARPSWG-2015', 'SEED'],
  },
  'no-chemotherapy': {
    label: 'No chemotherapy',
    rationale: 'Well-differentiated liposarcoma almost never metastasises; chemotherapy has no role. Adjuvant chemotherapy never compensates for inadequate surgery.',
    evidence: 'consensus',
    sources: ['SEED', 'ESMO-2021'],
  },
  'neoadjuvant-chemotherapy': {
    label: 'Consider neoadjuvant chemotherapy (trial setting)',
    rationale: 'Systemic risk from the start. STRASS2 tests pre-operative chemotherapy (LMS: doxorubicin + dacarbazine; DD-LPS: doxorubicin + ifosfamide); no results yet — consider, preferably within the trial.',
    evidence: 'consensus',
    sources: ['STRASS2', 'SEED'],
  },
  'preoperative-radiotherapy-discussion': {
    label: 'Discuss pre-operative radiotherapy (not standard)',
    rationale: 'Pre-operative RT is not standard (STRASS: abdominal RFS HR 1.01, 0.71–1.44; 3-year 58.7 % vs 60.4 %); for WD-LPS and G1–2 DD-LPS a pooled STRASS + STREXIT analysis suggested benefit (HR 0.61, non-randomised): discuss in the MDT.',
    evidence: 'secondary',
    sources: ['STRASS', 'STREXIT'],
  },
  'no-radiotherapy': {
    label: 'No radiotherapy',
    rationale: 'No benefit of pre-operative RT shown for LMS; post-operative RT is not recommended by default (consensus).',
    evidence: 'secondary',
    sources: ['STRASS', 'STREXIT'],
  },
  'vein-resection-reconstruction': {
    label: 'Resect and reconstruct the vein of origin',
    rationale: 'Leiomyosarcoma arising from the IVC or another large vein: the vein is resected with the tumour and reconstructed by a vascular surgeon.',
    evidence: 'consensus',
    sources: ['TARPSWG-2015'],
  },
  'establish-grade': {
    label: 'Establish the grade',
    rationale: 'The grade decides between neoadjuvant chemotherapy (G3) and a radiotherapy discussion (G1–2); it is not recorded.',
    evidence: 'secondary',
    sources: ['STRASS2', 'HAAS-2019'],
  },
  'core-needle-biopsy': {
    label: 'Image-guided core-needle biopsy',
    rationale: 'Percutaneous, retroperitoneal approach, planned with the sarcoma centre; does not raise local recurrence. No open or laparoscopic biopsy; FNA is not adequate.',
    evidence: 'verified',
    sources: ['PDQ', 'ESMO-2021', 'WILKINSON-2015'],
  },
  'biochemical-workup': {
    label: 'Biochemical work-up: plasma or urine metanephrines',
    rationale: 'A paraganglioma is possible: biochemistry first, before any invasive step (70 % of biopsied paragangliomas had complications, 90 % without prior biochemistry); α-blockade before surgery if functioning.',
    evidence: 'verified',
    sources: ['VANDERVEEN-2009'],
  },
  'refer-sarcoma-centre': {
    label: 'Refer to a high-volume sarcoma centre',
    rationale: 'Manage in an experienced MDT at a specialised centre: the best chance of cure is at first presentation.',
    evidence: 'verified',
    sources: ['TARPSWG-2015', 'TARPSWG-2021', 'NCDB-VOLUME'],
  },
  'mdt-discussion': {
    label: 'Sarcoma MDT discussion before any treatment',
    rationale: 'Treatment decided by the sarcoma multidisciplinary team.',
    evidence: 'consensus',
    sources: ['TARPSWG-2015', 'TARPSWG-2021'],
  },
  'no-resection': {
    label: 'No resection',
    rationale: 'The treatment of this tumour is not surgery.',
    evidence: 'consensus',
    sources: ['SEED'],
  },
  'exclude-first': {
    label: 'Exclude what is not treated by sarcoma surgery first',
    rationale: 'Paraganglioma (metanephrines first), lymphoma (CD45 on the core biopsy) and germ-cell tumour (AFP/β-hCG, and a testicular ultrasound for a patient with testes) are treated otherwise.',
    evidence: 'consensus',
    sources: ['SEED', 'VANDERVEEN-2009'],
  },
  'outside-surgery-review': {
    label: 'Review the surgery done elsewhere',
    rationale: 'Operative note, pre- and post-operative imaging, and the pathology report with blocks/slides for expert review (histotype, grade, MDM2 FISH, margins); CT of chest, abdomen and pelvis 4–8 weeks after surgery.',
    evidence: 'consensus',
    sources: ['BONVALOT-2019', 'NICE-QS78'],
  },
  surveillance: {
    label: 'Surveillance by histology and grade',
    rationale: 'After a macroscopically complete (R0/R1) resection: no adjuvant therapy by default; follow-up imaging by histology and grade; post-operative radiotherapy is not recommended.',
    evidence: 'consensus',
    sources: ['ESMO-2010', 'ASTRO-2021'],
  },
  'non-sarcoma-pathway': {
    label: 'Leave the sarcoma pathway',
    rationale: 'Not a sarcoma: managed on its own pathway.',
    evidence: 'consensus',
    sources: ['SEED'],
  },
} as const satisfies Record<string, PriorityDefinition>;

export type PriorityId = keyof typeof PRIORITIES;

export type GradeBand = 'G1-2' | 'G3' | 'GX';

export interface StrategyRow {
  readonly families: readonly HistologyFamily[];
  /** Restricts the row to a grade band; absent = any grade. */
  readonly grade?: GradeBand;
  readonly priorities: readonly PriorityId[];
  /** Pathway text for non-sarcomas (REFERENCE §4 [C]). */
  readonly pathway?: string;
  /** Histology-specific wording added to a priority's rationale. */
  readonly notes?: Partial<Record<PriorityId, string>>;
}

/** Ordered priorities by histology (REFERENCE.md §4). First matching row wins. */
export const STRATEGY_BY_FAMILY: readonly StrategyRow[] = [
  // WD-LPS: a perfect en bloc resection is everything; no chemotherapy; RT may be discussed (SEED; STRASS/STREXIT [S]).
  { families: ['wdlps'], priorities: ['en-bloc-resection', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre'] },
  // DD-LPS: radical en bloc resection; G3 → consider neoadjuvant chemotherapy; RT discussion only for G1–2 [S].
  { families: ['ddlps'], grade: 'G3', priorities: ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre'], notes: { 'en-bloc-resection': 'Dedifferentiated liposarcoma: radical, compartmental resection — local failure dominates; extended resection lowered local recurrence 3.3-fold in one series (no overall-survival difference, PDQ).' } },
  { families: ['ddlps'], grade: 'G1-2', priorities: ['en-bloc-resection', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre'], notes: { 'en-bloc-resection': 'Dedifferentiated liposarcoma: radical, compartmental resection — local failure dominates; extended resection lowered local recurrence 3.3-fold in one series (no overall-survival difference, PDQ).' } },
  { families: ['ddlps'], grade: 'GX', priorities: ['en-bloc-resection', 'establish-grade', 'refer-sarcoma-centre'], notes: { 'en-bloc-resection': 'Dedifferentiated liposarcoma: radical, compartmental resection — local failure dominates; extended resection lowered local recurrence 3.3-fold in one series (no overall-survival difference, PDQ).' } },
  // LMS: systemic disease from day one — neoadjuvant chemotherapy then resection; no RT benefit (SEED; STRASS2 [V]).
  { families: ['lms'], priorities: ['neoadjuvant-chemotherapy', 'en-bloc-resection', 'vein-resection-reconstruction', 'no-radiotherapy', 'refer-sarcoma-centre'] },
  // Other sarcomas: en bloc resection; systemic therapy individualised by the MDT [C].
  { families: ['lps_nos', 'lps_other', 'mpnst', 'sft', 'ups', 'sarcoma_nos', 'sarcoma_other'], priorities: ['en-bloc-resection', 'mdt-discussion', 'refer-sarcoma-centre'] },
  // Non-sarcomas leave the sarcoma pathway (REFERENCE §4 [C]).
  { families: ['lymphoma'], priorities: ['no-resection', 'non-sarcoma-pathway'], pathway: 'haematology: treated without resection' },
  { families: ['germ_cell'], priorities: ['no-resection', 'non-sarcoma-pathway'], pathway: 'oncology: chemotherapy; serum AFP/β-hCG and testicular ultrasound' },
  // GIST and desmoid fibromatosis are not staged as sarcomas but are managed at a sarcoma centre (ESMO-EURACAN, REFERENCE §4 [C]).
  { families: ['gist'], priorities: ['non-sarcoma-pathway', 'refer-sarcoma-centre'], pathway: 'GIST pathway (imatinib)', notes: { 'refer-sarcoma-centre': 'GIST: managed by a sarcoma centre MDT (ESMO-EURACAN), although not staged as a retroperitoneal sarcoma.' } },
  { families: ['paraganglioma'], priorities: ['biochemical-workup', 'non-sarcoma-pathway'], pathway: 'endocrine work-up and α-blockade before any surgery' },
  { families: ['rcc'], priorities: ['non-sarcoma-pathway'], pathway: 'urology' },
  { families: ['carcinoma'], priorities: ['non-sarcoma-pathway'], pathway: 'oncology: search for the primary carcinoma' },
  { families: ['desmoid'], priorities: ['non-sarcoma-pathway', 'refer-sarcoma-centre'], pathway: 'desmoid pathway: active surveillance first', notes: { 'refer-sarcoma-centre': 'Desmoid fibromatosis: managed by a sarcoma centre (ESMO-EURACAN; desmoid consensus: active surveillance first), although not staged as a sarcoma.' } },
  { families: ['angiomyolipoma'], priorities: ['non-sarcoma-pathway'], pathway: 'urology (benign)' },
  // Added with the differential (expert review, issue 10) [C].
  { families: ['schwannoma'], priorities: ['non-sarcoma-pathway'], pathway: 'benign nerve sheath tumour: surgery or surveillance decided with the sarcoma MDT (MPNST excluded by H3K27me3)' },
  { families: ['lipoma'], priorities: ['non-sarcoma-pathway'], pathway: 'benign only once MDM2 FISH is not amplified (otherwise well-differentiated liposarcoma)' },
  { families: ['teratoma'], priorities: ['non-sarcoma-pathway'], pathway: 'germ-cell team: AFP/β-hCG for malignant elements; complete resection of a mature teratoma' },
  { families: ['acc'], priorities: ['non-sarcoma-pathway'], pathway: 'endocrine oncology: adrenal hormone work-up, metanephrines first; adrenocortical carcinoma surgery' },
];

/** Undiagnosed mass: refer, then biopsy at the centre (REFERENCE §3.1, §8). */
export const UNDIAGNOSED_PRIORITIES: readonly PriorityId[] = ['refer-sarcoma-centre', 'core-needle-biopsy'];
