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

// Every status × pathway stage, written out by hand from REFERENCE §8 / REFERENCE-2 §8.3 (the
// wording must follow the pathway: never "before any biopsy" once biopsied).
describe('referral: every status and pathway stage (hand-written table)', () => {
  const UNTREATED = 'before any biopsy or surgery';
  const BIOPSIED = 'now — before any surgery; send the biopsy for expert pathology review';
  const OPERATED =
    'now — already operated: MDT review at a sarcoma centre (re-resection, adjuvant decisions, surveillance); referral before any procedure would have been better';
  const HUB_LINE = 'Hub (sarcoma centre): sarcoma MDT, expert pathology review, biopsy planning, surgery. Spoke (local hospital): imaging, surveillance scans, supportive care [consensus].';
  const BARRIER_LINE = 'Barriers to address: distance, cost, insurance — with travel navigation and financial navigation [consensus].';
  const none = parseCase({});
  const operatedCase = parseCase({ surgery: { margin: 'R0' } });

  const rows: [string, ReturnType<typeof adviseReferral>, string, string][] = [
    ['sarcoma, untreated', adviseReferral(none, true), 'Retroperitoneal sarcoma: every patient belongs to a high-volume sarcoma centre.', UNTREATED],
    ['sarcoma, biopsied', adviseReferral(none, true, 'sarcoma', true), 'Retroperitoneal sarcoma: every patient belongs to a high-volume sarcoma centre.', BIOPSIED],
    ['sarcoma, operated (margin recorded)', adviseReferral(operatedCase, true, 'sarcoma', true), 'Retroperitoneal sarcoma: every patient belongs to a high-volume sarcoma centre.', OPERATED],
    ['sarcoma, operated (flag)', adviseReferral(none, true, 'sarcoma', false, true), 'Retroperitoneal sarcoma: every patient belongs to a high-volume sarcoma centre.', OPERATED],
    ['suspected, untreated', adviseReferral(none, null), 'Suspected retroperitoneal sarcoma: refer before anyone biopsies or operates.', UNTREATED],
    ['suspected, biopsied', adviseReferral(none, null, null, true), 'Suspected retroperitoneal sarcoma: refer now, before anyone operates.', BIOPSIED],
    ['suspected, operated', adviseReferral(operatedCase, null), 'Suspected retroperitoneal sarcoma: refer now, before anyone operates.', OPERATED],
    [
      'GIST',
      adviseReferral(none, false, 'gist'),
      'GIST and desmoid fibromatosis are not staged as sarcomas but are managed by a sarcoma centre MDT (ESMO-EURACAN; REFERENCE §4 [consensus]).',
      UNTREATED,
    ],
    [
      'desmoid, biopsied',
      adviseReferral(none, false, 'desmoid', true),
      'GIST and desmoid fibromatosis are not staged as sarcomas but are managed by a sarcoma centre MDT (ESMO-EURACAN; REFERENCE §4 [consensus]).',
      BIOPSIED,
    ],
  ];
  for (const [name, advice, first, timing] of rows) {
    it(`${name}: referred, "${timing.slice(0, 30)}…"`, () => {
      assert.equal(advice.recommended, true);
      assert.equal(advice.timing, timing);
      assert.deepEqual(advice.reasons, [first, `Timing: ${timing}.`, HUB_LINE, BARRIER_LINE]);
      assert.equal(advice.evidence.length, 5);
      assert.deepEqual(advice.roles, {
        hub: ['sarcoma MDT', 'expert pathology review', 'biopsy planning', 'surgery'],
        spoke: ['imaging', 'surveillance scans', 'supportive care'],
        barriers: ['distance', 'cost', 'insurance'],
        support: ['travel navigation', 'financial navigation'],
        evidence: 'consensus',
      });
      for (const id of ['NCDB-VOLUME', 'SWEDEN-REFERRAL', 'SEED', 'TARPSWG-2015', 'TARPSWG-2021']) assert.ok(advice.sources.includes(id as never), id);
      assert.equal(advice.sources.includes('ESMO-2021'), /GIST/.test(first), 'ESMO-2021 is cited for GIST and desmoid only');
    });
  }

  it('not a sarcoma (carcinoma, lymphoma, or none said): not referred, whatever the pathway stage', () => {
    for (const advice of [adviseReferral(none, false), adviseReferral(none, false, 'lymphoma', true), adviseReferral(operatedCase, false, 'carcinoma')]) {
      assert.equal(advice.recommended, false);
      assert.equal(advice.timing, null);
      assert.deepEqual(advice.reasons, ['Not a sarcoma: referral follows the non-sarcoma pathway (see strategy), not the sarcoma centre.']);
      assert.equal(advice.evidence.length, 5);
      assert.equal(advice.sources.includes('ESMO-2021'), false);
    }
  });

  it('the evidence figures keep their text, level and sources', () => {
    const [ncdb, , sweden, seed] = adviseReferral(none, true).evidence;
    assert.deepEqual(ncdb, {
      text: 'NCDB, 6,950 primary RPS: high-volume hospitals (> 10 cases/year) — adjusted HR for death 0.77 (0.65–0.91); 90-day mortality 3.2 % vs 5.7 %.',
      evidence: 'verified',
      sources: ['NCDB-VOLUME'],
    });
    assert.deepEqual([sweden!.evidence, sweden!.sources], ['verified', ['SWEDEN-REFERRAL']]);
    assert.deepEqual([seed!.evidence, seed!.sources], ['illustrative', ['SEED']]);
  });
});
