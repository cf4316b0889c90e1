import type { FnclccComponents, Grade, Pathology } from './model/case.ts';
import type { EngineWarning, Explained } from './model/explained.ts';
import {
  DIFFERENTIATION_LABELS,
  MITOSIS_SCORE_BANDS,
  NECROSIS_SCORE_BANDS,
  TOTAL_SCORE_TO_GRADE,
} from './tables/fnclcc.ts';
import type { HistologyDefinition } from './tables/histology.ts';
import type { SourceId } from './tables/sources.ts';

export interface GradeResult extends Explained {
  readonly grade: Grade;
  /** Where the grade came from: computed from FNCLCC components, reported directly, or absent. */
  readonly basis: 'fnclcc' | 'reported' | 'not-assessed';
  readonly differentiationScore?: 1 | 2 | 3;
  readonly mitosisScore?: 1 | 2 | 3;
  readonly necrosisScore?: 0 | 1 | 2;
  readonly totalScore?: number;
  readonly warnings: EngineWarning[];
}

export function mitosisScore(mitosesPer10Hpf: number): 1 | 2 | 3 {
  const band = MITOSIS_SCORE_BANDS.find((b) => mitosesPer10Hpf >= b.min && (b.max === null || mitosesPer10Hpf <= b.max));
  if (!band) throw new RangeError(`mitotic count must be ≥ 0, got ${mitosesPer10Hpf}`);
  return band.score;
}

export function necrosisScore(necrosisPercent: number): 0 | 1 | 2 {
  if (necrosisPercent < 0 || necrosisPercent > 100) throw new RangeError(`necrosis must be 0–100 %, got ${necrosisPercent}`);
  if (necrosisPercent === 0) return NECROSIS_SCORE_BANDS[0].score;
  const band = NECROSIS_SCORE_BANDS.find((b) => b.score > 0 && necrosisPercent >= b.atLeast && (b.below === null || necrosisPercent < b.below));
  return band!.score;
}

export function gradeFromTotal(total: number): Exclude<Grade, 'GX'> {
  const row = TOTAL_SCORE_TO_GRADE.find((r) => total >= r.min && total <= r.max);
  if (!row) throw new RangeError(`FNCLCC total score must be 2–8, got ${total}`);
  return row.grade;
}

/** Mitotic count over another area, normalised to 10 HPF of 0.1734 mm² (REFERENCE.md §2 [V], CAP). */
export function mitosesPer10HpfFromArea(count: number, areaMm2: number): number {
  if (!(areaMm2 > 0)) throw new RangeError('area must be > 0 mm²');
  return (count * 1.734) / areaMm2;
}

const GRADE_SOURCES: SourceId[] = ['FNCLCC', 'AJCC8'];

function scoreComponents(c: FnclccComponents) {
  const d = c.differentiation;
  const m = mitosisScore(c.mitosesPer10Hpf);
  const n = necrosisScore(c.necrosisPercent);
  const total = d + m + n;
  return { d, m, n, total, grade: gradeFromTotal(total) };
}

/**
 * FNCLCC grade of a sarcoma (REFERENCE.md §2). Components win over a reported
 * grade; a disagreement is a warning, never silently resolved.
 */
export function gradeFnclcc(pathology: Pathology, histology?: HistologyDefinition): GradeResult {
  const reasons: string[] = [];
  const warnings: EngineWarning[] = [];
  const sources: SourceId[] = [...GRADE_SOURCES];
  const components = pathology.fnclcc;
  const reported = pathology.grade;

  let result: Pick<GradeResult, 'grade' | 'basis' | 'differentiationScore' | 'mitosisScore' | 'necrosisScore' | 'totalScore'>;

  if (components) {
    const s = scoreComponents(components);
    reasons.push(
      `Differentiation score ${s.d} (${DIFFERENTIATION_LABELS[s.d]}).`,
      `Mitosis score ${s.m}: ${components.mitosesPer10Hpf} mitoses per 10 HPF (${MITOSIS_SCORE_BANDS[s.m - 1]!.label}).`,
      `Necrosis score ${s.n}: ${components.necrosisPercent} % (${NECROSIS_SCORE_BANDS[s.n]!.label}).`,
      `Total ${s.total} → ${s.grade} (FNCLCC: 2–3 G1, 4–5 G2, 6–8 G3).`,
    );
    result = { grade: s.grade, basis: 'fnclcc', differentiationScore: s.d, mitosisScore: s.m, necrosisScore: s.n, totalScore: s.total };
    if (reported && reported !== s.grade) {
      warnings.push({
        code: 'grade-mismatch',
        path: 'pathology.grade',
        message: `The reported grade ${reported} disagrees with the FNCLCC components, which give ${s.grade}; the components are used. Please check the pathology report.`,
        sources: ['FNCLCC'],
      });
    }
    const expected = histology?.differentiationScore;
    if (expected != null && expected !== s.d) {
      warnings.push({
        code: 'differentiation-mismatch',
        path: 'pathology.fnclcc.differentiation',
        message: `A differentiation score of ${s.d} is unusual for ${histology!.name}, which usually scores ${expected}${histology!.differentiationNote ? ` (${histology!.differentiationNote})` : ''}.`,
        sources: ['FNCLCC'],
      });
    }
  } else if (reported) {
    reasons.push(
      reported === 'GX'
        ? 'Grade reported as GX (cannot be assessed).'
        : `Grade ${reported} as reported by the pathologist; FNCLCC component scores were not given.`,
    );
    result = { grade: reported, basis: 'reported' };
  } else {
    reasons.push('No grade and no FNCLCC components given: grade cannot be assessed (GX).');
    if (histology && histology.category === 'sarcoma') {
      reasons.push(
        histology.differentiationScore != null
          ? `For ${histology.name} the differentiation score is ${histology.differentiationScore}; the mitotic count and necrosis are still needed.`
          : `For ${histology.name} there is no verified differentiation score: the pathologist must give it.`,
      );
    }
    result = { grade: 'GX', basis: 'not-assessed' };
  }

  const graded = result.grade !== 'GX';
  if (graded && pathology.specimen === 'core_biopsy') {
    warnings.push({
      code: 'grade-core-biopsy',
      path: 'pathology.specimen',
      message: 'FNCLCC grading is not designed for core-needle biopsies: the grade may be underestimated; regrade on the resection specimen.',
      sources: ['COINDRE-2006', 'FNCLCC'],
    });
    sources.push('COINDRE-2006');
  }
  if (graded && (histology?.family === 'ddlps' || histology?.family === 'mpnst')) {
    warnings.push({
      code: 'grade-limited-meaning',
      path: 'pathology.histology',
      message: `FNCLCC grade has limited meaning for ${histology.name}; it is still recorded (TARPSWG series group DD-LPS as G1–2 vs G3).`,
      sources: ['COINDRE-2006', 'DEYRUP-2006'],
    });
    sources.push('COINDRE-2006', 'DEYRUP-2006');
  }
  return Object.assign(result, { reasons, sources: [...new Set(sources)], warnings });
}
