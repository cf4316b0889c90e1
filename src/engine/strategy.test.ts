import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type CaseInput, type Evaluation } from './index.ts';

const run = (input: CaseInput): Evaluation => {
  const r = evaluate(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const ids = (input: CaseInput) => run(input).strategy.priorities.map((p) => p.id);
const sarcoma = (histology: string, grade?: 'G1' | 'G2' | 'G3', tumor: CaseInput['tumor'] = { contacts: ['kidney_left'] }): CaseInput => ({
  tumor,
  pathology: { histology, ...(grade ? { grade } : {}) },
});

describe('histology-driven strategy (REFERENCE §4)', () => {
  it('WD-LPS: en bloc resection first, no chemotherapy, RT only as a discussion', () => {
    const p = ids(sarcoma('8851/3', 'G1'));
    assert.deepEqual(p, ['en-bloc-resection', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre']);
    assert.ok(!p.includes('neoadjuvant-chemotherapy'));
  });
  it('LMS: neoadjuvant chemotherapy first, then resection; no RT', () => {
    const p = ids(sarcoma('8890/3', 'G3'));
    assert.deepEqual(p.slice(0, 2), ['neoadjuvant-chemotherapy', 'en-bloc-resection']);
    assert.ok(p.includes('no-radiotherapy') && !p.includes('preoperative-radiotherapy-discussion'));
    assert.ok(!p.includes('vein-resection-reconstruction'), 'no vein of origin recorded');
  });
  it('LMS of the IVC: the vein is resected and reconstructed', () => {
    assert.ok(ids(sarcoma('8890/3', 'G2', { imaging: { vesselOrigin: 'ivc' } })).includes('vein-resection-reconstruction'));
  });
  it('DD-LPS G3: radical en bloc resection and neoadjuvant chemotherapy, no RT discussion', () => {
    const e = run(sarcoma('8858/3', 'G3'));
    const p = e.strategy.priorities.map((x) => x.id);
    assert.deepEqual(p, ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
    assert.match(e.strategy.priorities[0]!.rationale, /radical/);
  });
  it('DD-LPS G1–2: RT discussion, no neoadjuvant chemotherapy', () => {
    for (const g of ['G1', 'G2'] as const) {
      const p = ids(sarcoma('8858/3', g));
      assert.ok(p.includes('preoperative-radiotherapy-discussion') && !p.includes('neoadjuvant-chemotherapy'), g);
    }
  });
  it('DD-LPS with unknown grade: asks for the grade instead of guessing', () => {
    const p = ids(sarcoma('8858/3'));
    assert.ok(p.includes('establish-grade') && !p.includes('neoadjuvant-chemotherapy') && !p.includes('preoperative-radiotherapy-discussion'));
  });
  it('other sarcomas (MPNST, SFT, UPS): en bloc resection and MDT', () => {
    for (const h of ['9540/3', '8815/1', '8802/3']) assert.deepEqual(ids(sarcoma(h, 'G2')).slice(0, 2), ['en-bloc-resection', 'mdt-discussion'], h);
  });
  it('every priority carries label, rationale, evidence level and sources', () => {
    for (const p of run(sarcoma('8858/3', 'G3')).strategy.priorities) {
      assert.ok(p.label && p.rationale && p.evidence && p.sources.length > 0, p.id);
    }
  });
  it('consensus rules are labelled consensus', () => {
    const wd = run(sarcoma('8851/3', 'G1')).strategy.priorities.find((p) => p.id === 'no-chemotherapy')!;
    assert.equal(wd.evidence, 'consensus');
  });
});

describe('non-sarcoma pathways', () => {
  const golden: [string, string, RegExp][] = [
    ['9590/3', 'no-resection', /haematology/],
    ['9064/3', 'no-resection', /chemotherapy/],
    ['8936/3', 'non-sarcoma-pathway', /imatinib/],
    ['8693/3', 'biochemical-workup', /α-blockade/],
    ['8312/3', 'non-sarcoma-pathway', /urology/],
    ['8010/3', 'non-sarcoma-pathway', /primary/],
    ['8821/1', 'non-sarcoma-pathway', /active surveillance/],
    ['8860/0', 'non-sarcoma-pathway', /urology/],
  ];
  for (const [code, first, pathway] of golden) {
    it(`${code}: ${first} first, leaves the sarcoma pathway, never en bloc resection`, () => {
      const e = run({ pathology: { histology: code }, tumor: { contacts: ['kidney_left'] } });
      const p = e.strategy.priorities.map((x) => x.id);
      assert.equal(p[0], first);
      assert.ok(p.includes('non-sarcoma-pathway'));
      assert.ok(!p.includes('en-bloc-resection'));
      assert.match(e.strategy.pathway ?? '', pathway);
    });
  }
});

describe('work-up and resectability change the order', () => {
  it('undiagnosed mass: refer to a sarcoma centre, then core-needle biopsy; no resection', () => {
    assert.deepEqual(ids({ tumor: { sizeCm: 12 } }), ['refer-sarcoma-centre', 'exclude-first', 'core-needle-biopsy']);
  });
  it('possible paraganglioma: biochemical work-up before everything', () => {
    assert.deepEqual(ids({ tumor: { imaging: { hypervascular: true, organOfOrigin: 'adrenal_right' } } }), ['biochemical-workup', 'refer-sarcoma-centre', 'exclude-first', 'core-needle-biopsy']);
  });
  it('diagnosis suspected from imaging: refer, exclude, biopsy — no resection until it is confirmed', () => {
    assert.deepEqual(ids({ tumor: { imaging: { macroscopicFat: true, solidComponent: true } } }), ['refer-sarcoma-centre', 'exclude-first', 'core-needle-biopsy']);
  });
  it('unresectable: MDT discussion, not surgery-first', () => {
    const e = run(sarcoma('8858/3', 'G3', { infiltrates: ['superior_mesenteric_artery'] }));
    const p = e.strategy.priorities.map((x) => x.id);
    assert.equal(p[0], 'mdt-discussion');
    assert.ok(!p.includes('en-bloc-resection'));
    assert.match(e.strategy.priorities[0]!.rationale, /not surgery-first/);
  });
  it('borderline: MDT discussion before the resection', () => {
    assert.deepEqual(ids(sarcoma('8851/3', 'G1', { contacts: ['aorta'] })).slice(0, 2), ['mdt-discussion', 'en-bloc-resection']);
  });
  it('recurrent sarcoma: MDT discussion first, citing the recurrent-RPS consensus', () => {
    const e = run({ ...sarcoma('8851/3', 'G1'), presentation: 'recurrent' });
    assert.equal(e.strategy.priorities[0]!.id, 'mdt-discussion');
    assert.ok(e.strategy.priorities[0]!.sources.includes('TARPSWG-REC-2016'));
  });
});
