import type { CodeSystemId } from './systems.ts';

/**
 * Where a tumour is, from codes only. Each row names its source.
 *
 * - `retroperitoneum`: the retroperitoneal space itself.
 * - `retroperitoneal_organ`: an organ inside the retroperitoneum (kidney, adrenal, ureter): a tumour coded
 *   there is retroperitoneal, but may be a primary of that organ (reported).
 * - `elsewhere`: not retroperitoneal (a sarcoma there is not imported).
 * - `ambiguous`: the code covers retroperitoneal and other places (e.g. "soft tissue of abdomen"):
 *   the site is not established.
 *
 * Sources:
 *  [ICDO3] WHO ICD-O-3 topography (C48.0 retroperitoneum; C48.1–C48.2 peritoneum; C49 connective and soft tissue
 *          by region; C64 kidney, C65 renal pelvis, C66 ureter, C74 adrenal; C76 ill-defined; C80 unknown primary).
 *  [ICD10] WHO ICD-10 / ICD-10-CM chapter II, which uses the same C-codes for these sites; D20.0 benign and
 *          D48.3 uncertain-behaviour neoplasm of retroperitoneum; C77–C79 secondary neoplasms.
 *  [REF]   REFERENCE.md §10 (C48.0 for the retroperitoneum).
 *  [DICOM] DICOM PS3.16 anatomic region codes (SNOMED CT), as used in ICD-O topography → SNOMED mappings of
 *          public imaging pipelines (C48.0 → 82849001 Retroperitoneum; C64.9 → 64033007 Kidney;
 *          C74.9 → 23451007 Adrenal gland; C66.9 → 87953007 Ureter; 68367000 Thigh; C50.9 → 76752008 Breast;
 *          C22.0 → 10200004 Liver; C48.2 → 15425007 Peritoneum; C71.9 → 12738006 Brain;
 *          C40.2 → 410029004 bone of lower extremity).
 *  [MCODE] mCODE IG example instances (shared/interop/mcode-ig-fsh): 18639004 Left kidney, 80248007 Left breast,
 *          78904004 Chest wall, 39607008 Lung, 31094006 Lobe of lung, 62683002 Mediastinal lymph node.
 * SNOMED ids not listed here are not guessed: a SNOMED site Retroplan does not know is "not established as
 * retroperitoneal", never assumed to be.
 */

export type SiteClass = 'retroperitoneum' | 'retroperitoneal_organ' | 'elsewhere' | 'ambiguous';

export interface SiteRow {
  readonly site: SiteClass;
  readonly label: string;
  readonly source: 'ICDO3' | 'ICD10' | 'REF' | 'DICOM' | 'MCODE';
}

export const SNOMED_BODY_SITES: Readonly<Record<string, SiteRow>> = {
  '82849001': { site: 'retroperitoneum', label: 'Retroperitoneum', source: 'DICOM' },
  '64033007': { site: 'retroperitoneal_organ', label: 'Kidney', source: 'DICOM' },
  '18639004': { site: 'retroperitoneal_organ', label: 'Left kidney', source: 'MCODE' },
  '23451007': { site: 'retroperitoneal_organ', label: 'Adrenal gland', source: 'DICOM' },
  '87953007': { site: 'retroperitoneal_organ', label: 'Ureter', source: 'DICOM' },
  // Not retroperitoneal.
  '68367000': { site: 'elsewhere', label: 'Thigh', source: 'DICOM' },
  '410029004': { site: 'elsewhere', label: 'Bone of lower extremity', source: 'DICOM' },
  '76752008': { site: 'elsewhere', label: 'Breast', source: 'DICOM' },
  '80248007': { site: 'elsewhere', label: 'Left breast', source: 'MCODE' },
  '78904004': { site: 'elsewhere', label: 'Chest wall', source: 'MCODE' },
  '39607008': { site: 'elsewhere', label: 'Lung', source: 'MCODE' },
  '31094006': { site: 'elsewhere', label: 'Lobe of lung', source: 'MCODE' },
  '62683002': { site: 'elsewhere', label: 'Mediastinal lymph node', source: 'MCODE' },
  '10200004': { site: 'elsewhere', label: 'Liver', source: 'DICOM' },
  '15425007': { site: 'elsewhere', label: 'Peritoneum', source: 'DICOM' },
  '12738006': { site: 'elsewhere', label: 'Brain', source: 'DICOM' },
};

/** The retroperitoneum's SNOMED CT body structure, written on export. */
export const SNOMED_RETROPERITONEUM = { code: '82849001', display: 'Retroperitoneum' } as const;

interface PrefixRow extends SiteRow {
  /** Code prefix without the dot, e.g. `C480`, `C49`. The longest matching prefix wins. */
  readonly prefix: string;
}

/** ICD-O-3 topography (Condition.bodySite). */
const ICDO3_TOPOGRAPHY: readonly PrefixRow[] = [
  { prefix: 'C480', site: 'retroperitoneum', label: 'Retroperitoneum', source: 'REF' },
  { prefix: 'C481', site: 'elsewhere', label: 'Specified parts of peritoneum', source: 'ICDO3' },
  { prefix: 'C482', site: 'elsewhere', label: 'Peritoneum, NOS', source: 'ICDO3' },
  { prefix: 'C488', site: 'ambiguous', label: 'Overlapping lesion of retroperitoneum and peritoneum', source: 'ICDO3' },
  { prefix: 'C490', site: 'elsewhere', label: 'Connective tissue of head, face and neck', source: 'ICDO3' },
  { prefix: 'C491', site: 'elsewhere', label: 'Connective tissue of upper limb and shoulder', source: 'ICDO3' },
  { prefix: 'C492', site: 'elsewhere', label: 'Connective tissue of lower limb and hip', source: 'ICDO3' },
  { prefix: 'C493', site: 'elsewhere', label: 'Connective tissue of thorax', source: 'ICDO3' },
  { prefix: 'C49', site: 'ambiguous', label: 'Connective and soft tissue (abdomen, pelvis, trunk or NOS)', source: 'ICDO3' },
  { prefix: 'C64', site: 'retroperitoneal_organ', label: 'Kidney', source: 'ICDO3' },
  { prefix: 'C65', site: 'retroperitoneal_organ', label: 'Renal pelvis', source: 'ICDO3' },
  { prefix: 'C66', site: 'retroperitoneal_organ', label: 'Ureter', source: 'ICDO3' },
  { prefix: 'C74', site: 'retroperitoneal_organ', label: 'Adrenal gland', source: 'ICDO3' },
  { prefix: 'C762', site: 'ambiguous', label: 'Abdomen, NOS', source: 'ICDO3' },
  { prefix: 'C763', site: 'ambiguous', label: 'Pelvis, NOS', source: 'ICDO3' },
  { prefix: 'C80', site: 'ambiguous', label: 'Unknown primary site', source: 'ICDO3' },
  { prefix: 'C', site: 'elsewhere', label: 'another topography', source: 'ICDO3' },
];

/** ICD-10 / ICD-10-CM diagnosis codes (Condition.code) of primary neoplasms. */
const ICD10_PRIMARY: readonly PrefixRow[] = [
  { prefix: 'C480', site: 'retroperitoneum', label: 'Malignant neoplasm of retroperitoneum', source: 'REF' },
  { prefix: 'D200', site: 'retroperitoneum', label: 'Benign neoplasm of retroperitoneum', source: 'ICD10' },
  { prefix: 'D483', site: 'retroperitoneum', label: 'Neoplasm of uncertain behaviour of retroperitoneum', source: 'ICD10' },
  { prefix: 'C481', site: 'elsewhere', label: 'Malignant neoplasm of specified parts of peritoneum', source: 'ICD10' },
  { prefix: 'C482', site: 'elsewhere', label: 'Malignant neoplasm of peritoneum', source: 'ICD10' },
  { prefix: 'C488', site: 'ambiguous', label: 'Overlapping lesion of retroperitoneum and peritoneum', source: 'ICD10' },
  { prefix: 'C490', site: 'elsewhere', label: 'Malignant neoplasm of soft tissue of head, face and neck', source: 'ICD10' },
  { prefix: 'C491', site: 'elsewhere', label: 'Malignant neoplasm of soft tissue of upper limb', source: 'ICD10' },
  { prefix: 'C492', site: 'elsewhere', label: 'Malignant neoplasm of soft tissue of lower limb, including hip', source: 'ICD10' },
  { prefix: 'C493', site: 'elsewhere', label: 'Malignant neoplasm of soft tissue of thorax', source: 'ICD10' },
  { prefix: 'C49A', site: 'elsewhere', label: 'Gastrointestinal stromal tumour (ICD-10-CM)', source: 'ICD10' },
  { prefix: 'C49', site: 'ambiguous', label: 'Malignant neoplasm of soft tissue (abdomen, pelvis, trunk or unspecified)', source: 'ICD10' },
  { prefix: 'D481', site: 'ambiguous', label: 'Neoplasm of uncertain behaviour of connective and soft tissue', source: 'ICD10' },
  { prefix: 'C64', site: 'retroperitoneal_organ', label: 'Malignant neoplasm of kidney', source: 'ICD10' },
  { prefix: 'C65', site: 'retroperitoneal_organ', label: 'Malignant neoplasm of renal pelvis', source: 'ICD10' },
  { prefix: 'C66', site: 'retroperitoneal_organ', label: 'Malignant neoplasm of ureter', source: 'ICD10' },
  { prefix: 'C74', site: 'retroperitoneal_organ', label: 'Malignant neoplasm of adrenal gland', source: 'ICD10' },
  { prefix: 'C762', site: 'ambiguous', label: 'Malignant neoplasm of abdomen, ill-defined', source: 'ICD10' },
  { prefix: 'C763', site: 'ambiguous', label: 'Malignant neoplasm of pelvis, ill-defined', source: 'ICD10' },
  { prefix: 'C80', site: 'ambiguous', label: 'Malignant neoplasm without specification of site', source: 'ICD10' },
  { prefix: 'C', site: 'elsewhere', label: 'a malignant neoplasm of another site', source: 'ICD10' },
  { prefix: 'D', site: 'elsewhere', label: 'a neoplasm of another site', source: 'ICD10' },
];

/** ICD-10 secondary neoplasms (C77 lymph nodes, C78 respiratory/digestive, C79 other sites) [ICD10]. */
const ICD10_SECONDARY: readonly { prefix: string; label: string; nodal: boolean }[] = [
  { prefix: 'C77', label: 'lymph nodes', nodal: true },
  { prefix: 'C780', label: 'lung', nodal: false },
  { prefix: 'C782', label: 'pleura', nodal: false },
  { prefix: 'C786', label: 'retroperitoneum and peritoneum', nodal: false },
  { prefix: 'C787', label: 'liver', nodal: false },
  { prefix: 'C78', label: 'respiratory or digestive organs', nodal: false },
  { prefix: 'C793', label: 'brain', nodal: false },
  { prefix: 'C795', label: 'bone', nodal: false },
  { prefix: 'C79', label: 'another site', nodal: false },
];

/** SNOMED CT disorders that are secondary neoplasms (mCODE IG example secondary-cancer-condition-brain-mets). */
export const SNOMED_SECONDARY: Readonly<Record<string, string>> = {
  '94225005': 'brain',
};

function bare(code: string): string {
  return code.trim().toUpperCase().replace(/\./g, '');
}

function byPrefix<T extends { prefix: string }>(rows: readonly T[], code: string): T | undefined {
  const c = bare(code);
  return rows.filter((r) => c.startsWith(r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/** A topography code `C48.0`/`C480`. */
export function icdo3Topography(code: string): SiteRow | undefined {
  return /^C\d\d\.?\d?$/i.test(code.trim()) ? byPrefix(ICDO3_TOPOGRAPHY, code) : undefined;
}

export function icd10Secondary(code: string): { label: string; nodal: boolean } | undefined {
  return /^C7[789]/i.test(bare(code)) ? byPrefix(ICD10_SECONDARY, code) : undefined;
}

export function icd10Primary(code: string): SiteRow | undefined {
  if (!/^[CD]\d/i.test(code.trim()) || icd10Secondary(code)) return undefined;
  return byPrefix(ICD10_PRIMARY, code);
}

export function snomedBodySite(code: string): SiteRow | undefined {
  return SNOMED_BODY_SITES[code.trim()];
}

/** Laterality qualifiers (SNOMED CT, mCODE IG examples and the HL7 laterality value set). */
export const SNOMED_LATERALITY: Readonly<Record<string, 'left' | 'right' | 'bilateral'>> = {
  '7771000': 'left',
  '24028007': 'right',
  '51440002': 'bilateral',
};

export function siteSourceName(row: SiteRow, system: CodeSystemId): string {
  const name = system === 'snomed' ? 'SNOMED CT' : system === 'icdo3' ? 'ICD-O-3 topography' : system === 'icd10cm' ? 'ICD-10-CM' : 'ICD-10';
  return `${name} ${row.label}`;
}
