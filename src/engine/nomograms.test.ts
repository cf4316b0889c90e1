import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nomogramInputs, type NomogramInfo } from './nomograms.ts';
import { histologyByCode } from './tables/histology.ts';
import { parseCase, type CaseInput } from './index.ts';

// Written by hand from REFERENCE.md §9: Sarculator (Gronchi 2013) is for primary RPS of an established sarcoma
// histology, with six inputs; the MSKCC nomogram (Dalal 2006) is for liposarcoma only.
const nomograms = (input: CaseInput, grade: Parameters<typeof nomogramInputs>[1], code?: string) => nomogramInputs(parseCase(input), grade, code === undefined ? undefined : histologyByCode(code));
const OTHER_INPUTS = { name: 'other inputs: see the published nomogram (not listed in Retroplan’s reference)', field: null, present: false };
const SARCULATOR = {
  id: 'sarculator-rps',
  name: 'Sarculator — primary RPS nomogram (Gronchi 2013)',
  predicts: '7-year overall survival and disease-free survival after resection of primary RPS (C-index 0.74 for OS)',
  where: 'the Sarculator app (Gronchi et al., J Clin Oncol 2013;31:1649)',
  sources: ['GRONCHI-2013'],
};
const MSKCC = {
  id: 'mskcc-rp-liposarcoma',
  name: 'MSKCC retroperitoneal liposarcoma nomogram (Dalal 2006)',
  predicts: 'disease-specific survival of retroperitoneal liposarcoma',
  where: 'the MSKCC sarcoma nomograms (Dalal et al., Ann Surg 2006)',
  sources: ['DALAL-2006'],
};

describe('nomogramInputs: each nomogram, exactly (REFERENCE §9)', () => {
  it('primary DD-LPS with every input: both applicable, every input present with its value', () => {
    const full: CaseInput = { patient: { ageYears: 61 }, tumor: { sizeCm: 25, multifocal: false }, surgery: { margin: 'R1' } };
    const expected: NomogramInfo[] = [
      {
        ...SARCULATOR,
        applicable: true,
        why: 'primary retroperitoneal sarcoma',
        inputs: [
          { name: 'age', field: 'patient.ageYears', present: true, value: '61' },
          { name: 'tumour size', field: 'tumor.sizeCm', present: true, value: '25' },
          { name: 'FNCLCC grade', field: 'pathology.grade', present: true, value: 'G3' },
          { name: 'histology', field: 'pathology.histology', present: true, value: 'dedifferentiated liposarcoma' },
          { name: 'multifocality', field: 'tumor.multifocal', present: true, value: 'false' },
          { name: 'completeness of resection', field: 'surgery.margin', present: true, value: 'R1' },
        ],
      } as NomogramInfo,
      {
        ...MSKCC,
        applicable: true,
        why: 'liposarcoma',
        inputs: [{ name: 'histology (liposarcoma subtype)', field: 'pathology.histology', present: true, value: 'dedifferentiated liposarcoma' }, OTHER_INPUTS],
      } as NomogramInfo,
    ];
    assert.deepEqual(nomograms(full, 'G3', '8858/3'), expected);
  });

  it('nothing known, grade GX: inputs listed as absent; Sarculator needs a histology, MSKCC is liposarcoma only', () => {
    const absent = (name: string, field: string) => ({ name, field, present: false });
    assert.deepEqual(nomograms({}, 'GX'), [
      {
        ...SARCULATOR,
        applicable: false,
        why: 'needs an established sarcoma histology',
        inputs: [
          absent('age', 'patient.ageYears'),
          absent('tumour size', 'tumor.sizeCm'),
          absent('FNCLCC grade', 'pathology.grade'),
          absent('histology', 'pathology.histology'),
          absent('multifocality', 'tumor.multifocal'),
          absent('completeness of resection', 'surgery.margin'),
        ],
      },
      { ...MSKCC, applicable: false, why: 'liposarcoma only', inputs: [absent('histology (liposarcoma subtype)', 'pathology.histology'), OTHER_INPUTS] },
    ]);
  });

  it('a recurrent presentation: Sarculator not applicable (built for primary RPS); MSKCC still applies to a liposarcoma', () => {
    const [sarculator, mskcc] = nomograms({ presentation: 'recurrent' }, 'G1', '8851/3');
    assert.equal(sarculator!.applicable, false);
    assert.equal(sarculator!.why, 'built for primary, not recurrent, RPS');
    assert.equal(mskcc!.applicable, true);
  });

  it('a benign histology: Sarculator not applicable (not a sarcoma)', () => {
    const [sarculator] = nomograms({}, 'GX', '8860/0');
    assert.equal(sarculator!.applicable, false);
    assert.equal(sarculator!.why, 'needs an established sarcoma histology');
  });

  it('MSKCC applies to every liposarcoma family (WD, DD, NOS, myxoid) and to no other sarcoma', () => {
    for (const [code, lps] of [
      ['8851/3', true],
      ['8858/3', true],
      ['8850/3', true],
      ['8852/3', true],
      ['8890/3', false],
      ['8802/3', false],
    ] as const) {
      const [sarculator, mskcc] = nomograms({}, 'G2', code);
      assert.equal(mskcc!.applicable, lps, code);
      assert.equal(mskcc!.why, lps ? 'liposarcoma' : 'liposarcoma only', code);
      assert.equal(sarculator!.applicable, true, code);
    }
  });
});
