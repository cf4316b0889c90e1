import type { Case, Grade } from './model/case.ts';
import type { EngineWarning, Explained } from './model/explained.ts';
import {
  STAGE_GROUP_TABLE,
  T_CATEGORIES,
  type MCategory,
  type NCategory,
  type StageGroup,
  type StageGroupRow,
  type TCategory,
} from './tables/ajcc8.ts';

export interface StageResult extends Explained {
  readonly edition: 'AJCC 8';
  readonly t: TCategory;
  readonly n: NCategory;
  readonly m: MCategory;
  readonly g: Grade;
  readonly group: StageGroup | null;
  /** What would decide the group when it is null (field path and why). */
  readonly missing: string[];
  readonly recurrent: boolean;
  /**
   * True when the stage rests on an unconfirmed diagnosis (a suspicion from imaging/markers, or none):
   * labelled so everywhere, kept out of the worklist's stage column, exported as preliminary.
   */
  readonly provisional: boolean;
  /** `pathological` only when a resection specimen was examined and the diagnosis is confirmed; otherwise `clinical`. */
  readonly basis: 'clinical' | 'pathological';
  readonly warnings: EngineWarning[];
}

/** Whether the tumour is a sarcoma, as far as is known, and why. */
export interface SarcomaStatus {
  readonly isSarcoma: boolean | null;
  readonly reason: string;
  /** The diagnosis is not confirmed (suspicion or none). */
  readonly provisional?: boolean;
  /** Not confirmed, and the leading suspicion is not a sarcoma. */
  readonly suspectedNonSarcoma?: boolean;
  /** ICD-O-3 code of the (leading) histology, when there is one. */
  readonly code?: string | null;
}

export function tCategory(sizeCm: number | undefined): TCategory {
  if (sizeCm === undefined) return 'TX';
  return T_CATEGORIES.find((row) => sizeCm <= row.maxCm)!.t;
}

function rowMatches(row: StageGroupRow, t: TCategory, n: NCategory, m: MCategory, g: Grade): boolean {
  return (
    (!row.t || row.t.includes(t)) && (!row.n || row.n.includes(n)) && (!row.m || row.m.includes(m)) && (!row.g || row.g.includes(g))
  );
}

export function stageGroupFor(t: TCategory, n: NCategory, m: MCategory, g: Grade): StageGroupRow | undefined {
  return STAGE_GROUP_TABLE.find((row) => rowMatches(row, t, n, m, g));
}

// Built field by field at module level: object spread with extra keys is a slow path in V8 (Node 20),
// and a closure per call costs more than it reads; this runs on every keystroke in the web app.
function stageResult(
  t: TCategory,
  n: NCategory,
  m: MCategory,
  g: Grade,
  group: StageGroup | null,
  missing: string[],
  recurrent: boolean,
  provisional: boolean,
  basis: StageResult['basis'],
  reasons: string[],
  warnings: EngineWarning[],
): StageResult {
  return { edition: 'AJCC 8', t, n, m, g, group, missing, recurrent, provisional, basis, reasons, sources: ['AJCC8'], warnings };
}

/**
 * AJCC 8th-edition stage of a retroperitoneal soft tissue sarcoma (REFERENCE.md §1 [V]).
 * `grade` is the FNCLCC grade (GX when not assessed); `sarcoma` says whether the
 * stage groups apply at all (not to carcinoma, lymphoma, GIST, … [V AJCC8]).
 */
export function stageRetroperitoneal(c: Case, grade: Grade, sarcoma: SarcomaStatus): StageResult {
  const reasons: string[] = [];
  const warnings: EngineWarning[] = [];
  const missing: string[] = [];
  const size = c.tumor.sizeCm;

  const t = tCategory(size);
  if (size === undefined) {
    reasons.push('T: TX — tumour size unknown (tumor.sizeCm).');
  } else {
    const row = T_CATEGORIES.find((r) => r.t === t)!;
    reasons.push(`T: ${t} — greatest dimension ${size} cm (${row.label}).`);
  }

  const n: NCategory = c.tumor.nodes ?? 'N0';
  reasons.push(
    c.tumor.nodes
      ? `N: ${n} as recorded.`
      : 'N: N0 — nodal status not recorded; AJCC 8 counts unknown nodal status as N0 (there is no NX for soft tissue sarcoma).',
  );
  const m: MCategory = c.tumor.metastasis ?? 'M0';
  reasons.push(
    c.tumor.metastasis
      ? `M: ${m} as recorded.`
      : 'M: M0 — no distant metastasis recorded; staged as M0 (confirm with CT of the chest, abdomen and pelvis).',
  );
  reasons.push(grade === 'GX' ? 'G: GX — grade not assessed.' : `G: ${grade} (FNCLCC).`);

  const recurrent = c.presentation === 'recurrent';
  if (recurrent) reasons.push('Recurrent tumour: restaged with the same AJCC 8 system and noted as recurrent.');


  const provisional = sarcoma.provisional === true || sarcoma.isSarcoma === null;
  // Pathological staging needs a resection specimen (pT) and a confirmed diagnosis (AJCC8; REFERENCE §10 cT/pT codes).
  const basis: StageResult['basis'] = !provisional && (c.pathology.specimen === 'resection' || c.surgery?.margin !== undefined) ? 'pathological' : 'clinical';
  reasons.push(basis === 'pathological' ? 'Basis: pathological (resection specimen examined).' : 'Basis: clinical (no resection specimen, or the diagnosis is not confirmed).');

  if (sarcoma.isSarcoma === false) {
    reasons.push(`No stage group: AJCC 8 retroperitoneal stage groups apply only to sarcomas — ${sarcoma.reason}`);
    return stageResult(t, n, m, grade, null, missing, recurrent, provisional, basis, reasons, warnings);
  }
  // Behaviour /1 (borderline, e.g. solitary fibrous tumour 8815/1, desmoid 8821/1): AJCC 8 groups malignant sarcomas (REFERENCE §1; REFERENCE-2 §7.1).
  if (sarcoma.code != null && sarcoma.code.endsWith('/1')) {
    reasons.push(`No stage group: ${sarcoma.code} has ICD-O-3 behaviour /1 (borderline/uncertain), not a malignant sarcoma — AJCC 8 stage groups are for malignant sarcomas; record the malignant code (/3) if the pathologist calls it malignant.`);
    return stageResult(t, n, m, grade, null, missing, recurrent, provisional, basis, reasons, warnings);
  }
  if (sarcoma.isSarcoma === null) {
    warnings.push({
      code: 'stage-assumes-sarcoma',
      path: 'pathology.histology',
      message: `Provisional stage: it assumes the tumour is a sarcoma, which is not yet established (${sarcoma.reason}).`,
      sources: ['AJCC8'],
    });
  }

  const row = stageGroupFor(t, n, m, grade);
  if (!row) {
    missing.push('tumor.sizeCm: the tumour size decides T, and T decides the stage group');
    reasons.push('Cannot be staged: tumour size unknown (TX) with N0 M0.');
    return stageResult(t, n, m, grade, null, missing, recurrent, provisional, basis, reasons, warnings);
  }
  if (sarcoma.suspectedNonSarcoma === true) {
    reasons.push(`No stage group: the leading suspicion is not a sarcoma (${sarcoma.reason}); were a sarcoma confirmed, the group would be ${row.group}.`);
    return stageResult(t, n, m, grade, null, missing, recurrent, provisional, basis, reasons, warnings);
  }
  reasons.push(
    provisional
      ? `Provisional stage group ${row.group} (${row.note}): the diagnosis is not confirmed — ${sarcoma.reason}.`
      : `Stage group ${row.group}: ${row.note}.`,
  );
  if (grade === 'GX' && (row.group === 'IA' || row.group === 'IB')) {
    const ifHigh = stageGroupFor(t, n, m, 'G2')!.group;
    warnings.push({
      code: 'stage-grade-unknown',
      path: 'pathology.grade',
      message: `Grade not assessed: AJCC 8 stages GX with G1 (${row.group}); if the tumour is G2–G3 the stage would be ${ifHigh}.`,
      sources: ['AJCC8'],
    });
  }
  return stageResult(t, n, m, grade, row.group, missing, recurrent, provisional, basis, reasons, warnings);
}
