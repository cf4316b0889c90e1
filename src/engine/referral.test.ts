import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adviseReferral } from './referral.ts';
import { nomogramInputs } from './nomograms.ts';
import { parseCase } from './index.ts';
import { histologyByCode } from './tables/histology.ts';

describe('referral (REFERENCE §8)', () => {
  it('suspected RPS: refer before any biopsy or surgery, with verified and illustrative figures labelled', () => {
    const r = adviseReferral(parseCase({}), null);
    assert.equal(r.recommended, true);
    assert.equal(r.timing, 'before any biopsy or surgery');
    assert.ok(r.evidence.some((f) => f.evidence === 'verified' && /0\.77 \(0\.65–0\.91\)/.test(f.text)));
    assert.ok(r.evidence.some((f) => f.evidence === 'verified' && /18 %.*24 %.*45 %/.test(f.text)));
    const seed = r.evidence.filter((f) => /0\.72|42 %/.test(f.text));
    assert.ok(seed.length > 0 && seed.every((f) => f.evidence === 'illustrative'));
  });
  it('hub and spoke roles, consensus-labelled', () => {
    const r = adviseReferral(parseCase({}), true);
    assert.ok(r.roles.hub.includes('surgery') && r.roles.hub.includes('expert pathology review'));
    assert.ok(r.roles.spoke.includes('surveillance scans'));
    assert.equal(r.roles.evidence, 'consensus');
  });
  it('already operated: refer now', () => assert.match(adviseReferral(parseCase({ surgery: { margin: 'R1' } }), true).timing!, /^now/));
  it('not a sarcoma: not referred to the sarcoma centre', () => assert.equal(adviseReferral(parseCase({}), false).recommended, false));
});

describe('nomograms (REFERENCE §9): inputs listed, not re-created', () => {
  it('Sarculator inputs present and missing', () => {
    const c = parseCase({ patient: { ageYears: 60 }, tumor: { sizeCm: 20 }, pathology: { histology: '8858/3', grade: 'G3' } });
    const [sarculator, mskcc] = nomogramInputs(c, 'G3', histologyByCode('8858/3'));
    assert.equal(sarculator!.applicable, true);
    assert.deepEqual(sarculator!.inputs.filter((i) => !i.present).map((i) => i.field), ['tumor.multifocal', 'surgery.margin']);
    assert.equal(mskcc!.applicable, true);
    assert.ok(!('coefficients' in sarculator!));
  });
  it('not applicable to recurrent tumours (Sarculator) or non-liposarcoma (MSKCC)', () => {
    const c = parseCase({ presentation: 'recurrent', pathology: { histology: '8890/3' } });
    const [sarculator, mskcc] = nomogramInputs(c, 'GX', histologyByCode('8890/3'));
    assert.equal(sarculator!.applicable, false);
    assert.equal(mskcc!.applicable, false);
  });
});
