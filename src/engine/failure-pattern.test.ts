import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { failurePatternFor } from './failure-pattern.ts';
import { histologyByCode } from './tables/histology.ts';

// Each result written out by hand from REFERENCE.md §4 (pattern per histology, recurrence figures with their
// sources and evidence marks) and the whole-cohort figures of GRONCHI-2016.
const h = (code: string) => histologyByCode(code)!;
const COHORT =
  'All primary RPS (1,007 patients): 8-year local recurrence 31.3 %, distant metastasis 21.6 %, overall survival 56 %; independent predictors: size, histology, grade, multifocality, completeness of resection.';

describe('failurePatternFor: each result, exactly (REFERENCE §4)', () => {
  const table: [code: string, pattern: string, evidence: string, reasons: string[], sources: string[]][] = [
    [
      '8851/3',
      'local-dominant',
      'verified',
      ['well-differentiated liposarcoma: local recurrence dominates.', 'Surgery alone: 8-year local recurrence 39 %.', 'Metastasis almost never; recurrence is late and may dedifferentiate after years.', COHORT],
      ['SEED', 'HAAS-2019', 'GRONCHI-2016'],
    ],
    [
      '8858/3',
      'local-dominant',
      'verified',
      ['dedifferentiated liposarcoma: local recurrence dominates.', 'Surgery alone: 8-year local recurrence 57 % for G1–2 and 44 % for G3.', 'G3 DD-LPS also carries a real distant risk (dual threat). [consensus]', COHORT],
      ['SEED', 'HAAS-2019', 'GRONCHI-2016'],
    ],
    [
      '8890/3',
      'distant-dominant',
      'verified',
      ['leiomyosarcoma: distant metastasis dominates.', 'About half of abdominal/retroperitoneal LMS recur, mostly at distant sites; 9 % recur after 5 years.', COHORT],
      ['SEED', 'GLADDY-2013', 'GRONCHI-2016'],
    ],
    [
      '9540/3',
      'comparable',
      'verified',
      ['malignant peripheral nerve sheath tumour: local and distant failure comparable.', 'High-risk subtype with infiltrative local growth and significant distant spread.', COHORT],
      ['SEED', 'GRONCHI-2016'],
    ],
    [
      '8815/1',
      'distant-dominant',
      'consensus',
      ['solitary fibrous tumour: distant metastasis dominates (consensus).', 'Distant more often than local recurrence, both low (consensus). [consensus]', 'More than 90 % are cured by surgery.', COHORT],
      ['TARPSWG-2021', 'GRONCHI-2016'],
    ],
  ];
  for (const [code, pattern, evidence, reasons, sources] of table) {
    it(`${code} → ${pattern} (${evidence}), figures and sources`, () => {
      assert.deepEqual(failurePatternFor(h(code), true), { pattern, evidence, reasons, sources });
      // An unknown sarcoma status does not block the table (only a known non-sarcoma does).
      assert.deepEqual(failurePatternFor(h(code), null), { pattern, evidence, reasons, sources });
    });
  }

  it('a sarcoma without a row: not determined, with the whole-cohort figures', () => {
    assert.deepEqual(failurePatternFor(h('8802/3'), true), {
      pattern: null,
      evidence: null,
      reasons: ["No failure pattern is given for undifferentiated pleomorphic sarcoma in Retroplan's reference: not determined.", COHORT],
      sources: ['GRONCHI-2016'],
    });
  });

  it('no histology: not determined, with the whole-cohort figures', () => {
    assert.deepEqual(failurePatternFor(undefined, null), {
      pattern: null,
      evidence: null,
      reasons: ['Histology not established: failure pattern not determined.', COHORT],
      sources: ['GRONCHI-2016'],
    });
  });

  it('a known non-sarcoma: the sarcoma patterns do not apply — and the same histology as a sarcoma still gets its row', () => {
    assert.deepEqual(failurePatternFor(h('9590/3'), false), {
      pattern: null,
      evidence: null,
      reasons: ['lymphoma, NOS is not a sarcoma: the sarcoma failure patterns do not apply.'],
      sources: ['SEED'],
    });
    // Results are cached by histology and status: the two statuses of one histology are not confused.
    assert.equal(failurePatternFor(h('8890/3'), false).pattern, null);
    assert.equal(failurePatternFor(h('8890/3'), true).pattern, 'distant-dominant');
    assert.equal(failurePatternFor(h('8890/3'), false).pattern, null);
  });
});
