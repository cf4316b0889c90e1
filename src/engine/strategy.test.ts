import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parseCase, planStrategy, gradeBand, PRIORITIES, type CaseInput, type Evaluation, type GrowthResult } from './index.ts';
import { clearMemos } from './model/memo.ts';

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

// ---------------------------------------------------------------------------------------------------------
// Mutation-testing round (session stop 20): every rule of planStrategy on its own, with exact outputs written
// by hand from REFERENCE §4–§5, REFERENCE-2 §1.3, §2–§5 and the priority table (tables/strategy-rules.ts).
// ---------------------------------------------------------------------------------------------------------

const T = (id: keyof typeof PRIORITIES) => PRIORITIES[id].rationale;
const strat = (input: CaseInput) => run(input).strategy;
const rationale = (input: CaseInput, id: string) => strat(input).priorities.find((p) => p.id === id)?.rationale;
const sourcesOf = (input: CaseInput, id: string) => strat(input).priorities.find((p) => p.id === id)?.sources;
const KIDNEY = { contacts: ['kidney_left'] };
const withHistology = (histology: string, grade?: 'G1' | 'G2' | 'G3', extra: Partial<CaseInput> = {}, tumor: CaseInput['tumor'] = KIDNEY): CaseInput => ({
  tumor,
  pathology: { histology, ...(grade ? { grade } : {}) },
  ...extra,
});

describe('planStrategy: priorities per histology × presentation (hand-written table)', () => {
  // Presentations (REFERENCE-2 §2, §4, §5): with a recorded histology the patient has been biopsied.
  const P: Record<string, Partial<CaseInput>> = {
    'biopsied, untreated': {},
    'R0 elsewhere': { history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'complete', margin: 'R0' }] },
    'R1 elsewhere': { history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'complete', margin: 'R1' }] },
    'R1 at this centre': { surgery: { margin: 'R1' } },
    'R2 at this centre': { surgery: { margin: 'R2' } },
    'shell-out elsewhere': { history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'shell_out' }] },
    'margin unknown elsewhere': { history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'complete' }] },
    recurrent: { presentation: 'recurrent' },
  };
  // After a resection every sarcoma (and an open diagnosis) follows the pathway, whatever its histology (REFERENCE-2 §4–§5).
  const AFTER = {
    'R0 elsewhere': ['outside-surgery-review', 'surveillance'],
    'R1 elsewhere': ['outside-surgery-review', 'mdt-discussion', 'surveillance'],
    'R1 at this centre': ['surveillance'],
    'R2 at this centre': ['mdt-discussion', 'refer-sarcoma-centre'],
    'shell-out elsewhere': ['mdt-discussion', 'outside-surgery-review', 'refer-sarcoma-centre'],
    'margin unknown elsewhere': ['mdt-discussion', 'outside-surgery-review', 'refer-sarcoma-centre'],
  };
  const sarcomaRow = (untreated: string[]) => ({ 'biopsied, untreated': untreated, ...AFTER, recurrent: ['mdt-discussion', ...untreated.filter((id) => id !== 'mdt-discussion')] });
  const same = (ids: string[]) => Object.fromEntries(Object.keys(P).map((k) => [k, ids]));
  const table: [string, string, 'G1' | 'G2' | 'G3' | undefined, Record<string, string[]>][] = [
    ['WD-LPS', '8851/3', 'G1', sarcomaRow(['en-bloc-resection', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre'])],
    ['DD-LPS G1', '8858/3', 'G1', sarcomaRow(['en-bloc-resection', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre'])],
    ['DD-LPS G2', '8858/3', 'G2', sarcomaRow(['en-bloc-resection', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre'])],
    ['DD-LPS G3', '8858/3', 'G3', sarcomaRow(['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre'])],
    ['DD-LPS grade not recorded', '8858/3', undefined, sarcomaRow(['en-bloc-resection', 'establish-grade', 'refer-sarcoma-centre'])],
    ['LMS G2', '8890/3', 'G2', sarcomaRow(['neoadjuvant-chemotherapy', 'en-bloc-resection', 'no-radiotherapy', 'refer-sarcoma-centre'])],
    ['LMS G3 (epithelioid)', '8891/3', 'G3', sarcomaRow(['neoadjuvant-chemotherapy', 'en-bloc-resection', 'no-radiotherapy', 'refer-sarcoma-centre'])],
    ['UPS G2', '8802/3', 'G2', sarcomaRow(['en-bloc-resection', 'mdt-discussion', 'refer-sarcoma-centre'])],
    ['MPNST G3', '9540/3', 'G3', sarcomaRow(['en-bloc-resection', 'mdt-discussion', 'refer-sarcoma-centre'])],
    ['synovial sarcoma G3', '9040/3', 'G3', sarcomaRow(['en-bloc-resection', 'mdt-discussion', 'refer-sarcoma-centre'])],
    ['myxoid liposarcoma G2', '8852/3', 'G2', sarcomaRow(['en-bloc-resection', 'mdt-discussion', 'refer-sarcoma-centre'])],
    // Non-sarcomas keep their own pathway whatever happened before (REFERENCE §4 [C]).
    ['lymphoma', '9590/3', undefined, same(['no-resection', 'non-sarcoma-pathway'])],
    ['germ-cell tumour', '9064/3', undefined, same(['no-resection', 'non-sarcoma-pathway'])],
    ['GIST', '8936/3', undefined, same(['non-sarcoma-pathway', 'refer-sarcoma-centre'])],
    ['desmoid', '8821/1', undefined, same(['non-sarcoma-pathway', 'refer-sarcoma-centre'])],
    ['paraganglioma', '8693/3', undefined, same(['biochemical-workup', 'non-sarcoma-pathway'])],
    ['renal cell carcinoma', '8312/3', undefined, same(['non-sarcoma-pathway'])],
    ['schwannoma', '9560/0', undefined, same(['non-sarcoma-pathway'])],
  ];
  for (const [name, code, grade, expected] of table) {
    it(`${name} (${code}): every presentation`, () => {
      for (const [presentation, extra] of Object.entries(P)) {
        assert.deepEqual(ids(withHistology(code, grade, extra)), expected[presentation], `${name}, ${presentation}`);
      }
    });
  }
  it('no histology recorded: refer and biopsy before, the pathway after a resection, MDT first when recurrent', () => {
    const undiagnosed = ['refer-sarcoma-centre', 'exclude-first', 'core-needle-biopsy'];
    const expected: Record<string, string[]> = { 'biopsied, untreated': undiagnosed, ...AFTER, recurrent: ['mdt-discussion', ...undiagnosed] };
    for (const [presentation, extra] of Object.entries(P)) assert.deepEqual(ids({ tumor: { sizeCm: 12 }, ...extra }), expected[presentation], presentation);
  });
  it('gradeBand: G1 and G2 share a band; G3 and GX each their own', () => {
    assert.deepEqual((['G1', 'G2', 'G3', 'GX'] as const).map(gradeBand), ['G1-2', 'G1-2', 'G3', 'GX']);
  });
});

describe('planStrategy: each rule, its wording and sources, exactly', () => {
  it('sarcoma reason: names the histology, and the grade band only when the row depends on it', () => {
    assert.deepEqual(strat(withHistology('8851/3', 'G1')).reasons, ['Strategy for well-differentiated liposarcoma (REFERENCE §4).']);
    assert.deepEqual(strat(withHistology('8858/3', 'G3')).reasons, ['Strategy for dedifferentiated liposarcoma (G3) (REFERENCE §4).']);
    assert.deepEqual(strat(withHistology('8858/3', 'G2')).reasons, ['Strategy for dedifferentiated liposarcoma (G1-2) (REFERENCE §4).']);
    assert.deepEqual(strat(withHistology('8858/3')).reasons, ['Strategy for dedifferentiated liposarcoma (GX) (REFERENCE §4).']);
  });
  it('non-sarcoma: reason, pathway and the pathway priority wording', () => {
    const s = strat(withHistology('8312/3'));
    assert.equal(s.pathway, 'urology');
    assert.deepEqual(s.reasons, ['renal cell carcinoma is not a sarcoma: urology (REFERENCE §4 [consensus]).']);
    assert.deepEqual(s.priorities, [{ id: 'non-sarcoma-pathway', label: 'Leave the sarcoma pathway', rationale: `Pathway: urology. ${T('non-sarcoma-pathway')}`, evidence: 'consensus', sources: ['SEED'] }]);
    assert.deepEqual(s.sources, ['SEED']);
    // Table notes are carried into the wording (GIST at a sarcoma centre).
    assert.equal(rationale(withHistology('8936/3'), 'refer-sarcoma-centre'), `GIST: managed by a sarcoma centre MDT (ESMO-EURACAN), although not staged as a retroperitoneal sarcoma. ${T('refer-sarcoma-centre')}`);
  });
  it('a sarcoma has no pathway of its own and its plain priorities keep the table wording', () => {
    const s = strat(withHistology('8851/3', 'G1'));
    assert.equal(s.pathway, null);
    assert.deepEqual(
      s.priorities.map((p) => [p.id, p.rationale, p.evidence, p.sources]),
      [
        ['en-bloc-resection', T('en-bloc-resection'), 'verified', ['STRASS', 'TARPSWG-2015', 'SEED']],
        ['no-chemotherapy', T('no-chemotherapy'), 'consensus', ['SEED', 'ESMO-2021']],
        ['preoperative-radiotherapy-discussion', T('preoperative-radiotherapy-discussion'), 'secondary', ['STRASS', 'STREXIT']],
        ['refer-sarcoma-centre', `Already biopsied: refer now, before any surgery, and send the biopsy for expert pathology review. ${T('refer-sarcoma-centre')}`, 'verified', ['TARPSWG-2015', 'TARPSWG-2021', 'NCDB-VOLUME']],
      ],
    );
    assert.deepEqual(s.sources, ['STRASS', 'TARPSWG-2015', 'SEED', 'ESMO-2021', 'STREXIT', 'TARPSWG-2021', 'NCDB-VOLUME']);
  });
  it('DD-LPS: the radical-resection note, citing PDQ with the resection', () => {
    const p = strat(withHistology('8858/3', 'G3')).priorities[0]!;
    assert.equal(p.rationale, `Dedifferentiated liposarcoma: radical, compartmental resection — local failure dominates; extended resection lowered local recurrence 3.3-fold in one series (no overall-survival difference, PDQ). ${T('en-bloc-resection')}`);
    assert.deepEqual(p.sources, ['STRASS', 'TARPSWG-2015', 'SEED', 'PDQ']);
  });

  describe('no confirmed diagnosis (REFERENCE §3.1)', () => {
    it('not biopsied: refer before any biopsy; the must-exclude messages lead the exclude-first wording', () => {
      const s = strat({ tumor: { sizeCm: 12 } });
      assert.deepEqual(s.reasons, ['No confirmed diagnosis: refer to a sarcoma centre and obtain a core-needle biopsy there before any treatment decision; no resection yet.']);
      assert.deepEqual(
        s.priorities.map((p) => [p.id, p.rationale]),
        [
          ['refer-sarcoma-centre', `Refer before any biopsy or surgery. ${T('refer-sarcoma-centre')}`],
          ['exclude-first', `Lymphoma: a core-needle biopsy with CD45 (and flow cytometry) before any resection — lymphoma is treated without surgery. Germ-cell tumour: serum AFP and β-hCG and a testicular ultrasound if the patient has testes (sex not recorded) before any resection — its treatment is chemotherapy. ${T('exclude-first')}`],
          ['core-needle-biopsy', T('core-needle-biopsy')],
        ],
      );
      assert.equal(s.pathway, null);
    });
    it('already biopsied: expert review of the biopsy, repeat only if not diagnostic', () => {
      const s = strat({ history: [{ kind: 'biopsy', method: 'core' }] });
      assert.deepEqual(s.reasons, ['No confirmed diagnosis: refer to a sarcoma centre for expert review of the biopsy (and a core-needle biopsy there if it is not diagnostic) before any treatment decision; no resection yet.']);
      assert.equal(s.priorities[0]!.rationale, `Already biopsied: refer now, before any surgery, and send the biopsy for expert pathology review. ${T('refer-sarcoma-centre')}`);
      assert.equal(s.priorities[2]!.rationale, `Already biopsied: repeat only if the biopsy is not diagnostic (FNA is not adequate). ${T('core-needle-biopsy')}`);
    });
    it('a histology outside the table counts as biopsied, not diagnosed', () => {
      assert.deepEqual(ids({ pathology: { histology: '9999/9' } }), ['refer-sarcoma-centre', 'exclude-first', 'core-needle-biopsy']);
    });
    it('nothing left to exclude: refer and biopsy only', () => {
      const e = run({ tumor: { sizeCm: 12 } });
      const c = parseCase({ tumor: { sizeCm: 12 } });
      const s = planStrategy(c, { ...e.diagnosis, mustExcludeFirst: [] }, e.grade.grade, e.resectionPlan, e.history);
      assert.deepEqual(s.priorities.map((p) => p.id), ['refer-sarcoma-centre', 'core-needle-biopsy']);
    });
    it('suspected from the findings: names what its strategy would be once confirmed; no suspicion line without a leading diagnosis', () => {
      assert.deepEqual(strat({ tumor: { imaging: { macroscopicFat: true, solidComponent: true } } }).reasons, [
        'Suspected dedifferentiated liposarcoma, not confirmed: no treatment before the biopsy. Once confirmed, its strategy would be: en bloc resection with contiguous organs; establish the grade; refer to a high-volume sarcoma centre (REFERENCE §4).',
        'No confirmed diagnosis: refer to a sarcoma centre and obtain a core-needle biopsy there before any treatment decision; no resection yet.',
      ]);
      assert.ok(!strat({ tumor: { sizeCm: 12 } }).reasons.some((r) => r.startsWith('Suspected')));
    });
    it('a sarcoma inferred from the findings (basis "findings"): refer and confirm on a core biopsy first', () => {
      // planStrategy is public: a caller may pass a sarcoma whose basis is the findings (REFERENCE §3.1).
      const e = run({ pathology: { histology: '8858/3', grade: 'G3' }, tumor: KIDNEY });
      const c = parseCase({ pathology: { histology: '8858/3', grade: 'G3' }, tumor: KIDNEY });
      const s = planStrategy(c, { ...e.diagnosis, leading: { ...e.diagnosis.leading!, basis: 'findings' } }, 'G3', e.resectionPlan, e.history);
      assert.deepEqual(s.priorities.map((p) => p.id), ['refer-sarcoma-centre', 'core-needle-biopsy', 'en-bloc-resection', 'neoadjuvant-chemotherapy']);
      assert.equal(s.priorities[1]!.rationale, `Confirms the inferred dedifferentiated liposarcoma and its grade before treatment. ${T('core-needle-biopsy')}`);
      assert.deepEqual(s.reasons, ['Strategy for dedifferentiated liposarcoma (G3) (REFERENCE §4).', 'The diagnosis is inferred from the findings: refer and confirm it on a core-needle biopsy first.']);
      // The same diagnosis confirmed by a pathologist has no such step.
      assert.ok(!ids(withHistology('8858/3', 'G3')).includes('core-needle-biopsy'));
    });
    it('a small LMS inferred from the findings keeps the biopsy first (the small-LMS reordering needs chemotherapy first)', () => {
      const input = withHistology('8890/3', 'G2', {}, { contacts: ['kidney_left'], sizeCm: 4 });
      const e = run(input);
      const s = planStrategy(parseCase(input), { ...e.diagnosis, leading: { ...e.diagnosis.leading!, basis: 'findings' } }, 'G2', e.resectionPlan, e.history);
      assert.deepEqual(s.priorities.map((p) => p.id), ['refer-sarcoma-centre', 'core-needle-biopsy', 'neoadjuvant-chemotherapy', 'en-bloc-resection', 'no-radiotherapy']);
      assert.ok(!s.reasons.some((r) => r.startsWith('Leiomyosarcoma ≤ 5 cm')));
    });
  });

  describe('leiomyosarcoma: vein of origin and size (REFERENCE §4; SEED; STRASS2)', () => {
    it('the vein is resected only when the tumour arises from it, not when it only touches it', () => {
      assert.deepEqual(ids(withHistology('8890/3', 'G2', {}, { imaging: { vesselOrigin: 'ivc' } })), ['neoadjuvant-chemotherapy', 'en-bloc-resection', 'vein-resection-reconstruction', 'no-radiotherapy', 'refer-sarcoma-centre']);
      assert.deepEqual(ids(withHistology('8890/3', 'G2', {}, { contacts: ['ivc'] })), ['neoadjuvant-chemotherapy', 'en-bloc-resection', 'no-radiotherapy', 'refer-sarcoma-centre']);
      // Infiltrated without arising from it: no reconstruction priority (the IVC, a major vessel, makes it borderline).
      assert.deepEqual(ids(withHistology('8890/3', 'G2', {}, { infiltrates: ['ivc'] })), ['mdt-discussion', 'neoadjuvant-chemotherapy', 'en-bloc-resection', 'no-radiotherapy', 'refer-sarcoma-centre']);
    });
    it('≤ 5 cm: resection first, chemotherapy as the MDT\'s choice; 5.1 cm or size unknown: chemotherapy first', () => {
      for (const sizeCm of [5, 4.9, 1]) {
        const input = withHistology('8890/3', 'G2', {}, { contacts: ['kidney_left'], sizeCm });
        const s = strat(input);
        assert.deepEqual(s.priorities.map((p) => p.id), ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'no-radiotherapy', 'refer-sarcoma-centre'], String(sizeCm));
        assert.equal(s.priorities[1]!.rationale, `Small (≤ 5 cm, T1) leiomyosarcoma: the evidence for chemotherapy first is the seed's teaching (systemic disease from day one) and the STRASS2 trial question, without results — the MDT weighs it against resection first. ${T('neoadjuvant-chemotherapy')}`);
        assert.deepEqual(s.priorities[1]!.sources, ['STRASS2', 'SEED']);
        assert.deepEqual(s.priorities[0]!.rationale, T('en-bloc-resection'));
        assert.deepEqual(s.reasons, ['Strategy for leiomyosarcoma (REFERENCE §4).', 'Leiomyosarcoma ≤ 5 cm: resection first unless the MDT chooses neoadjuvant chemotherapy — no trial result supports it yet (STRASS2).']);
      }
      for (const tumor of [{ contacts: ['kidney_left'], sizeCm: 5.1 }, { contacts: ['kidney_left'], sizeCm: 20 }, KIDNEY]) {
        const s = strat(withHistology('8890/3', 'G2', {}, tumor));
        assert.deepEqual(s.priorities.map((p) => p.id), ['neoadjuvant-chemotherapy', 'en-bloc-resection', 'no-radiotherapy', 'refer-sarcoma-centre'], JSON.stringify(tumor));
        assert.equal(s.priorities[0]!.rationale, T('neoadjuvant-chemotherapy'));
        assert.deepEqual(s.reasons, ['Strategy for leiomyosarcoma (REFERENCE §4).']);
      }
    });
    it('a small tumour of another histology is not reordered', () => {
      assert.deepEqual(ids(withHistology('8858/3', 'G3', {}, { contacts: ['kidney_left'], sizeCm: 3 })), ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
    });
  });

  describe('paraganglioma possible (REFERENCE §3.1; VANDERVEEN-2009)', () => {
    it('metanephrines first, with a reason, before a sarcoma\'s own priorities', () => {
      const s = strat(withHistology('8802/3', 'G2', {}, { imaging: { hypervascular: true, organOfOrigin: 'adrenal_right' } }));
      assert.deepEqual(s.priorities.map((p) => p.id), ['biochemical-workup', 'en-bloc-resection', 'mdt-discussion', 'refer-sarcoma-centre']);
      assert.deepEqual(s.reasons, ['Strategy for undifferentiated pleomorphic sarcoma (REFERENCE §4).', 'A paraganglioma is possible: metanephrines come first, before any invasive step.']);
      assert.equal(s.priorities[0]!.rationale, T('biochemical-workup'));
    });
    it('a recorded paraganglioma already has the work-up first: no second entry and no added reason', () => {
      const s = strat(withHistology('8693/3', undefined, {}, { imaging: { hypervascular: true, organOfOrigin: 'adrenal_right' } }));
      assert.deepEqual(s.priorities.map((p) => p.id), ['biochemical-workup', 'non-sarcoma-pathway']);
      assert.deepEqual(s.reasons, ['paraganglioma is not a sarcoma: endocrine work-up and α-blockade before any surgery (REFERENCE §4 [consensus]).']);
    });
  });

  describe('resectability (REFERENCE §5, STRASS2)', () => {
    const UNRESECTABLE_TEXT = 'infiltration of the SMA, aorta, coeliac trunk, portal vein or bone (spine)';
    it('unresectable: MDT replaces surgery-first, naming the criterion; cites STRASS2', () => {
      const s = strat(withHistology('8858/3', 'G3', {}, { infiltrates: ['spine'] }));
      assert.deepEqual(s.priorities.map((p) => p.id), ['mdt-discussion', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
      assert.equal(s.priorities[0]!.rationale, `Unresectable (${UNRESECTABLE_TEXT}): only an R2 resection is expected — not surgery-first; systemic or other treatment decided by the sarcoma MDT. ${T('mdt-discussion')}`);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'STRASS2']);
      assert.deepEqual(s.reasons, ['Strategy for dedifferentiated liposarcoma (G3) (REFERENCE §4).', `Unresectable by STRASS2 criteria (${UNRESECTABLE_TEXT}): MDT discussion replaces surgery-first.`]);
    });
    it('several criteria are listed in the table\'s order, joined by "; "', () => {
      const s = strat(withHistology('8851/3', 'G1', {}, { infiltrates: ['aorta', 'liver'] }));
      const criteria = `${UNRESECTABLE_TEXT}; infiltration of several major organs (liver, pancreas, major vessels)`;
      assert.deepEqual(s.priorities.map((p) => p.id), ['mdt-discussion', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre']);
      assert.equal(s.priorities[0]!.rationale, `Unresectable (${criteria}): only an R2 resection is expected — not surgery-first; systemic or other treatment decided by the sarcoma MDT. ${T('mdt-discussion')}`);
    });
    it('unresectable LMS of the IVC: neither the resection nor the vein reconstruction stays', () => {
      assert.deepEqual(ids(withHistology('8890/3', 'G2', {}, { imaging: { vesselOrigin: 'ivc' }, extension: ['right_atrium'] })), ['mdt-discussion', 'neoadjuvant-chemotherapy', 'no-radiotherapy', 'refer-sarcoma-centre']);
    });
    it('unresectable UPS: the MDT entry moves first and appears once', () => {
      assert.deepEqual(ids(withHistology('8802/3', 'G2', {}, { extension: ['spinal_canal'] })), ['mdt-discussion', 'refer-sarcoma-centre']);
    });
    it('borderline: MDT first, the resection kept; cites STRASS2', () => {
      const s = strat(withHistology('8851/3', 'G1', {}, { contacts: ['aorta'] }));
      const criterion = 'contact with the SMA, aorta, coeliac trunk, portal vein or spine (infiltration not excluded)';
      assert.deepEqual(s.priorities.map((p) => p.id), ['mdt-discussion', 'en-bloc-resection', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre']);
      assert.equal(s.priorities[0]!.rationale, `Borderline resectable (${criterion}): the MDT weighs the resection before any operation. ${T('mdt-discussion')}`);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'STRASS2']);
      assert.deepEqual(s.reasons, ['Strategy for well-differentiated liposarcoma (REFERENCE §4).', `Borderline resectability (${criterion}): MDT discussion first.`]);
      assert.deepEqual(ids(withHistology('8802/3', 'G2', {}, { extension: ['sciatic_notch'] })), ['mdt-discussion', 'en-bloc-resection', 'refer-sarcoma-centre']);
    });
    it('resectable or not determined: no MDT step added, no STRASS2 on the row\'s own MDT entry', () => {
      for (const tumor of [KIDNEY, {}]) {
        const s = strat(withHistology('8802/3', 'G2', {}, tumor));
        assert.deepEqual(s.priorities.map((p) => p.id), ['en-bloc-resection', 'mdt-discussion', 'refer-sarcoma-centre'], JSON.stringify(tumor));
        assert.deepEqual(s.priorities[1]!.sources, ['TARPSWG-2015', 'TARPSWG-2021']);
        assert.equal(s.priorities[1]!.rationale, T('mdt-discussion'));
        assert.deepEqual(s.reasons, ['Strategy for undifferentiated pleomorphic sarcoma (REFERENCE §4).']);
      }
    });
  });

  describe('recurrence (TARPSWG recurrent-RPS consensus; REFERENCE-2 §2.3)', () => {
    it('criteria partly unknown: favourable, unfavourable "none", not determined, and what they point to', () => {
      const s = strat(withHistology('8851/3', 'G1', { presentation: 'recurrent' }));
      assert.equal(
        s.priorities[0]!.rationale,
        'Recurrent RPS: treatment is individualised by the sarcoma MDT (TARPSWG recurrent-RPS consensus) — selection (REFERENCE-2 §2.3 [consensus]): favourable resectable (R0/R1 predicted); low grade / well-differentiated liposarcoma; unfavourable none; not determined disease-free interval (the last resection date — history[].date or surgery.date — and tumor.imaging.date); growth rate (tumor.sizeCm with dates, or tumor.imaging.series); number of sites (tumor.multifocal); points to an MDT decision once the criteria are known. ' +
          T('mdt-discussion'),
      );
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'TARPSWG-REC-2016', 'TARPSWG-REC-2022', 'PARK-2009', 'LR-DELAY-2019']);
      assert.deepEqual(s.reasons, ['Strategy for well-differentiated liposarcoma (REFERENCE §4).']);
    });
    it('every criterion known: no "not determined" part; favourable "none" when nothing favours', () => {
      const history: CaseInput['history'] = [{ kind: 'surgery', date: '2020-01-01', where: 'this_centre', resectionType: 'complete', margin: 'R0' }];
      const all = strat(withHistology('8858/3', 'G3', { presentation: 'recurrent', history }, { contacts: ['kidney_left'], sizeCm: 6, multifocal: false, imaging: { date: '2024-01-01' } }));
      assert.equal(
        all.priorities[0]!.rationale,
        'Recurrent RPS: treatment is individualised by the sarcoma MDT (TARPSWG recurrent-RPS consensus) — selection (REFERENCE-2 §2.3 [consensus]): favourable disease-free interval 48 months (> 24); growth 0.13 cm/month (Park rate; < 0.9); a single site; resectable (R0/R1 predicted); unfavourable high grade (G3); points to systemic therapy or a trial first. ' +
          T('mdt-discussion'),
      );
      const none = strat(withHistology('8858/3', 'G3', { presentation: 'recurrent', history: [{ kind: 'surgery', date: '2023-06-01', where: 'this_centre', resectionType: 'complete', margin: 'R0' }] }, { sizeCm: 12, multifocal: true, imaging: { date: '2024-01-01' } }));
      assert.equal(
        none.priorities[0]!.rationale,
        'Recurrent RPS: treatment is individualised by the sarcoma MDT (TARPSWG recurrent-RPS consensus) — selection (REFERENCE-2 §2.3 [consensus]): favourable none; unfavourable disease-free interval 7.03 months (≤ 24); growth 1.71 cm/month (Park rate; ≥ 0.9); multifocal recurrence; high grade (G3); not determined resectability (tumor.contacts, tumor.infiltrates); points to systemic therapy or a trial first. ' +
          T('mdt-discussion'),
      );
    });
    it('without the pathway (a caller that passes none): the consensus sentence alone', () => {
      const input = withHistology('8851/3', 'G1', { presentation: 'recurrent' });
      const e = run(input);
      const s = planStrategy(parseCase(input), e.diagnosis, e.grade.grade, e.resectionPlan);
      assert.deepEqual(s.priorities.map((p) => p.id), ['mdt-discussion', 'en-bloc-resection', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre']);
      assert.equal(s.priorities[0]!.rationale, `Recurrent RPS: treatment is individualised by the sarcoma MDT (TARPSWG recurrent-RPS consensus). ${T('mdt-discussion')}`);
    });
    it('a recurrent non-sarcoma stays on its pathway; a primary sarcoma has no recurrence wording or sources', () => {
      assert.deepEqual(strat(withHistology('9590/3', undefined, { presentation: 'recurrent' })).priorities.map((p) => [p.id, p.sources]), [
        ['no-resection', ['SEED']],
        ['non-sarcoma-pathway', ['SEED']],
      ]);
      const primary = sourcesOf(withHistology('8802/3', 'G2'), 'mdt-discussion')!;
      assert.deepEqual(primary, ['TARPSWG-2015', 'TARPSWG-2021']);
    });
    it('unresectable recurrence: the unresectability wording stays, the recurrence sources are added', () => {
      const s = strat(withHistology('8851/3', 'G1', { presentation: 'recurrent' }, { infiltrates: ['aorta'] }));
      assert.match(s.priorities[0]!.rationale, /^Unresectable \(/);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'TARPSWG-REC-2016', 'TARPSWG-REC-2022', 'PARK-2009', 'LR-DELAY-2019', 'STRASS2']);
    });
  });

  describe('after a resection (REFERENCE-2 §1.3, §4, §5)', () => {
    const surgery = (entry: Record<string, unknown>): Partial<CaseInput> => ({ history: [{ kind: 'surgery', ...entry } as NonNullable<CaseInput['history']>[number]] });
    it('complete (R0) elsewhere: review the outside surgery, then surveillance', () => {
      const s = strat(withHistology('8851/3', 'G1', surgery({ where: 'elsewhere', resectionType: 'complete', margin: 'R0' })));
      assert.deepEqual(s.priorities.map((p) => [p.id, p.rationale, p.sources]), [
        ['outside-surgery-review', T('outside-surgery-review'), ['BONVALOT-2019', 'NICE-QS78']],
        ['surveillance', T('surveillance'), ['ESMO-2010', 'ASTRO-2021']],
      ]);
      assert.deepEqual(s.reasons, ['Strategy for well-differentiated liposarcoma (REFERENCE §4).', 'Already resected (R0): surveillance, not another resection (REFERENCE-2 §5 [consensus]).']);
      assert.deepEqual(s.sources, ['BONVALOT-2019', 'NICE-QS78', 'ESMO-2010', 'ASTRO-2021']);
    });
    it('R1 elsewhere: the MDT weighs re-resection of the bed against surveillance', () => {
      const s = strat(withHistology('8858/3', 'G2', surgery({ where: 'elsewhere', resectionType: 'complete', margin: 'R1' })));
      const mdt = s.priorities[1]!;
      assert.equal(mdt.rationale, `R1 elsewhere with no visible disease: individualised — re-resection of the bed vs close surveillance, weighted by histology (REFERENCE-2 §4). ${T('mdt-discussion')}`);
      assert.deepEqual(mdt.sources, ['TARPSWG-2015', 'TARPSWG-2021']);
      assert.deepEqual(s.reasons.at(-1), 'Already resected (R1): surveillance, not another resection (REFERENCE-2 §5 [consensus]).');
    });
    it('R0 or R1 at this centre, R0 elsewhere, and R1 where unknown: no MDT step', () => {
      assert.deepEqual(ids(withHistology('8858/3', 'G2', { surgery: { margin: 'R0' } })), ['surveillance']);
      assert.deepEqual(ids(withHistology('8858/3', 'G2', surgery({ where: 'this_centre', resectionType: 'complete', margin: 'R1' }))), ['surveillance']);
      // A prior surgery whose place is not recorded is treated as outside this centre.
      assert.deepEqual(ids(withHistology('8858/3', 'G2', surgery({ resectionType: 'complete', margin: 'R1' }))), ['outside-surgery-review', 'mdt-discussion', 'surveillance']);
    });
    it('rupture during a complete resection: peritoneal-risk disease at the MDT, citing Bonvalot 2009', () => {
      for (const where of ['elsewhere', 'this_centre']) {
        const s = strat(withHistology('8858/3', 'G2', surgery({ where, resectionType: 'complete', margin: 'R0', rupture: true })));
        assert.deepEqual(s.priorities.map((p) => p.id), [...(where === 'elsewhere' ? ['outside-surgery-review'] : []), 'mdt-discussion', 'surveillance'], where);
        const mdt = s.priorities.find((p) => p.id === 'mdt-discussion')!;
        assert.equal(mdt.rationale, `Rupture/spill or piecemeal removal: peritoneal-risk disease — surveillance ± systemic therapy or a trial (REFERENCE-2 §1.3, §4; Bonvalot 2009). ${T('mdt-discussion')}`);
        assert.deepEqual(mdt.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'NG-SWALLOW-2018', 'BONVALOT-2009']);
      }
    });
    it('shell-out elsewhere: MDT first, then the outside review, then the centre (never "before any biopsy")', () => {
      const s = strat(withHistology('8851/3', 'G1', surgery({ where: 'elsewhere', resectionType: 'shell_out' })));
      assert.deepEqual(s.priorities.map((p) => [p.id, p.rationale, p.sources]), [
        [
          'mdt-discussion',
          `After an incomplete resection (shell-out): the MDT weighs re-resection at the centre (residue localised, R0/R1 reachable; curative intent) against systemic therapy, radiotherapy for symptoms or watchful waiting (REFERENCE-2 §4, §5 [consensus]). ${T('mdt-discussion')}`,
          ['TARPSWG-2015', 'TARPSWG-2021', 'NG-SWALLOW-2018', 'BONVALOT-2009'],
        ],
        ['outside-surgery-review', T('outside-surgery-review'), ['BONVALOT-2019', 'NICE-QS78']],
        ['refer-sarcoma-centre', `Already operated: MDT review at a sarcoma centre now; referral before any procedure would have been better. ${T('refer-sarcoma-centre')}`, ['TARPSWG-2015', 'TARPSWG-2021', 'NCDB-VOLUME']],
      ]);
      assert.deepEqual(s.reasons, [
        'Strategy for well-differentiated liposarcoma (REFERENCE §4).',
        'The first operation did not achieve a macroscopically complete en bloc resection (or its quality is unknown): the MDT decides the next step (REFERENCE-2 §4–§5).',
      ]);
    });
    it('piecemeal with a margin: the type and the margin, and the rupture sentence', () => {
      const s = strat(withHistology('8858/3', 'G3', surgery({ where: 'elsewhere', resectionType: 'piecemeal', margin: 'R2' })));
      assert.equal(
        s.priorities[0]!.rationale,
        `After an incomplete resection (piecemeal, R2): the MDT weighs re-resection at the centre (residue localised, R0/R1 reachable; curative intent) against systemic therapy, radiotherapy for symptoms or watchful waiting (REFERENCE-2 §4, §5 [consensus]). Rupture/spill or piecemeal removal: peritoneal-risk disease — rupture carries a high risk of peritoneal recurrence (Bonvalot 2009). ${T('mdt-discussion')}`,
      );
    });
    it('R2 at this centre: no outside review', () => {
      const s = strat(withHistology('8858/3', 'G3', { surgery: { margin: 'R2' } }));
      assert.deepEqual(s.priorities.map((p) => p.id), ['mdt-discussion', 'refer-sarcoma-centre']);
      assert.match(s.priorities[0]!.rationale, /^After an incomplete resection \(complete, R2\): /);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'NG-SWALLOW-2018', 'BONVALOT-2009']);
    });
    it('margin unknown: the MDT reviews the operative note and pathology first', () => {
      const s = strat(withHistology('8802/3', 'G2', surgery({ where: 'elsewhere', resectionType: 'complete' })));
      assert.equal(s.priorities[0]!.rationale, `Resected, margin unknown: the MDT reviews the operative note, imaging and pathology (blocks/slides) first (REFERENCE-2 §4 [consensus]). ${T('mdt-discussion')}`);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'NG-SWALLOW-2018', 'BONVALOT-2009']);
      assert.equal(s.priorities[2]!.rationale, `Already operated: MDT review at a sarcoma centre now; referral before any procedure would have been better. ${T('refer-sarcoma-centre')}`);
    });
    it('a non-sarcoma after a resection keeps its pathway and its reasons', () => {
      const s = strat(withHistology('8312/3', undefined, surgery({ where: 'elsewhere', resectionType: 'shell_out' })));
      assert.deepEqual(s.priorities.map((p) => p.id), ['non-sarcoma-pathway']);
      assert.deepEqual(s.reasons, ['renal cell carcinoma is not a sarcoma: urology (REFERENCE §4 [consensus]).']);
    });
    it('an exploratory operation is not a resection: the untreated strategy stands', () => {
      assert.deepEqual(ids(withHistology('8858/3', 'G3', surgery({ where: 'elsewhere', resectionType: 'exploratory' }))), ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
    });
  });

  describe('multifocal and metastatic disease', () => {
    it('multifocal: MDT first, Gronchi 2016; not for a single site or a non-sarcoma', () => {
      const s = strat(withHistology('8851/3', 'G1', {}, { contacts: ['kidney_left'], multifocal: true }));
      assert.deepEqual(s.priorities.map((p) => p.id), ['mdt-discussion', 'en-bloc-resection', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre']);
      assert.equal(s.priorities[0]!.rationale, `Multifocal disease: an independent adverse predictor (Gronchi 2016) — the sarcoma MDT decides before any operation. ${T('mdt-discussion')}`);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'GRONCHI-2016']);
      assert.deepEqual(s.reasons, ['Strategy for well-differentiated liposarcoma (REFERENCE §4).', 'Multifocal disease: MDT discussion first.']);
      assert.deepEqual(ids(withHistology('8851/3', 'G1', {}, { contacts: ['kidney_left'], multifocal: false })), ['en-bloc-resection', 'no-chemotherapy', 'preoperative-radiotherapy-discussion', 'refer-sarcoma-centre']);
      assert.deepEqual(ids(withHistology('9590/3', undefined, {}, { contacts: ['kidney_left'], multifocal: true })), ['no-resection', 'non-sarcoma-pathway']);
    });
    it('multifocal and recurrent: the recurrence wording leads, both sources are cited', () => {
      const s = strat(withHistology('8851/3', 'G1', { presentation: 'recurrent' }, { contacts: ['kidney_left'], multifocal: true }));
      assert.match(s.priorities[0]!.rationale, /^Recurrent RPS: /);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021', 'TARPSWG-REC-2016', 'TARPSWG-REC-2022', 'PARK-2009', 'LR-DELAY-2019', 'GRONCHI-2016']);
      assert.ok(!s.reasons.includes('Multifocal disease: MDT discussion first.'));
    });
    it('multifocal after a complete resection at this centre: MDT before surveillance', () => {
      assert.deepEqual(ids(withHistology('8851/3', 'G1', { surgery: { margin: 'R0' } }, { contacts: ['kidney_left'], multifocal: true })), ['mdt-discussion', 'surveillance']);
    });
    it('M1: the MDT decides the sequence; not for M0 or a non-sarcoma', () => {
      const s = strat(withHistology('8858/3', 'G3', {}, { contacts: ['kidney_left'], metastasis: 'M1' }));
      assert.deepEqual(s.priorities.map((p) => p.id), ['mdt-discussion', 'en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
      assert.equal(s.priorities[0]!.rationale, `Distant metastasis (M1): the sarcoma MDT decides the sequence of treatment. ${T('mdt-discussion')}`);
      assert.deepEqual(s.priorities[0]!.sources, ['TARPSWG-2015', 'TARPSWG-2021']);
      assert.deepEqual(s.reasons, ['Strategy for dedifferentiated liposarcoma (G3) (REFERENCE §4).']);
      assert.deepEqual(ids(withHistology('8858/3', 'G3', {}, { contacts: ['kidney_left'], metastasis: 'M0' })), ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
      assert.deepEqual(ids(withHistology('8936/3', undefined, {}, { contacts: ['kidney_left'], metastasis: 'M1' })), ['non-sarcoma-pathway', 'refer-sarcoma-centre']);
    });
    it('other sarcomas (their row already lists the MDT): recurrence, multifocal and M1 still put the MDT first, with the reason', () => {
      // Bug fixed in session stop 20: the row's own MDT entry hid these rules, leaving en bloc resection first for a
      // recurrent, multifocal or metastatic UPS/MPNST/SFT with no recurrence triage, Gronchi or M1 wording.
      const recurrent = strat(withHistology('8802/3', 'G2', { presentation: 'recurrent' }));
      assert.deepEqual(recurrent.priorities.map((p) => p.id), ['mdt-discussion', 'en-bloc-resection', 'refer-sarcoma-centre']);
      assert.match(recurrent.priorities[0]!.rationale, /^Recurrent RPS: treatment is individualised by the sarcoma MDT \(TARPSWG recurrent-RPS consensus\) — selection /);
      const multifocal = strat(withHistology('9540/3', 'G3', {}, { contacts: ['kidney_left'], multifocal: true }));
      assert.deepEqual(multifocal.priorities.map((p) => p.id), ['mdt-discussion', 'en-bloc-resection', 'refer-sarcoma-centre']);
      assert.equal(multifocal.priorities[0]!.rationale, `Multifocal disease: an independent adverse predictor (Gronchi 2016) — the sarcoma MDT decides before any operation. ${T('mdt-discussion')}`);
      assert.deepEqual(multifocal.reasons, ['Strategy for malignant peripheral nerve sheath tumour (REFERENCE §4).', 'Multifocal disease: MDT discussion first.']);
      const m1 = strat(withHistology('8815/1', 'G2', {}, { contacts: ['kidney_left'], metastasis: 'M1' }));
      assert.deepEqual(m1.priorities.map((p) => p.id), ['mdt-discussion', 'en-bloc-resection', 'refer-sarcoma-centre']);
      assert.equal(m1.priorities[0]!.rationale, `Distant metastasis (M1): the sarcoma MDT decides the sequence of treatment. ${T('mdt-discussion')}`);
      // A reason already given (borderline) is kept: the M1 rule does not overwrite it.
      const borderline = strat(withHistology('8802/3', 'G2', {}, { contacts: ['aorta'], metastasis: 'M1', multifocal: true }));
      assert.match(borderline.priorities[0]!.rationale, /^Borderline resectable \(/);
      assert.ok(!borderline.reasons.includes('Multifocal disease: MDT discussion first.'));
    });
    it('M1 with an open diagnosis: MDT first too', () => {
      assert.deepEqual(ids({ tumor: { sizeCm: 12, metastasis: 'M1' } }), ['mdt-discussion', 'refer-sarcoma-centre', 'exclude-first', 'core-needle-biopsy']);
    });
  });

  describe('growth kinetics with the systemic-therapy priority (REFERENCE-2 §3; MEHRARA-2007)', () => {
    const growth = (over: Partial<GrowthResult> = {}): GrowthResult => ({
      rateCmPerMonth: 1.2,
      volumeDoublingTimeDays: 41,
      method: 'ellipsoid',
      from: '2024-01-01',
      to: '2024-03-01',
      intervalDays: 60,
      withinMeasurementError: false,
      evidence: 'verified',
      warnings: [],
      reasons: [],
      sources: ['MEHRARA-2007'],
      ...over,
    });
    const withGrowthFor = (input: CaseInput, g: GrowthResult | null) => {
      const e = run(input);
      return planStrategy(parseCase(input), e.diagnosis, e.grade.grade, e.resectionPlan, e.history, g);
    };
    const LMS = withHistology('8890/3', 'G3');
    it('LMS: the doubling time and its dates lead the chemotherapy rationale; MEHRARA-2007 cited', () => {
      const s = withGrowthFor(LMS, growth());
      const p = s.priorities[0]!;
      assert.equal(p.id, 'neoadjuvant-chemotherapy');
      assert.equal(
        p.rationale,
        `Measured growth: volume doubling time 41 days (2024-01-01 → 2024-03-01, ellipsoid volumes) — the seed's "rapidly doubling LMS" is the case for systemic therapy first; no verified cut-off defines "rapid". ${T('neoadjuvant-chemotherapy')}`,
      );
      assert.deepEqual(p.sources, ['STRASS2', 'SEED', 'MEHRARA-2007']);
      assert.deepEqual(s.reasons, ['Strategy for leiomyosarcoma (REFERENCE §4).', 'Growth kinetics measured: shown with the systemic-therapy priority (REFERENCE-2 §3).']);
      assert.deepEqual(s.sources, ['STRASS2', 'SEED', 'STRASS', 'TARPSWG-2015', 'STREXIT', 'TARPSWG-2021', 'NCDB-VOLUME', 'MEHRARA-2007']);
      assert.equal(s.pathway, null);
      // The other priorities are untouched.
      assert.deepEqual(s.priorities.slice(1), strat(LMS).priorities.slice(1));
    });
    it('one dimension: says the sphere was assumed', () => {
      assert.match(withGrowthFor(LMS, growth({ method: 'greatest-dimension' })).priorities[0]!.rationale, /\(2024-01-01 → 2024-03-01, one dimension, sphere assumed\)/);
    });
    it('no note without a usable doubling time, for another histology, or once chemotherapy is no longer a priority', () => {
      const plain = strat(LMS);
      for (const g of [null, growth({ volumeDoublingTimeDays: null }), growth({ withinMeasurementError: true })]) {
        assert.deepEqual(withGrowthFor(LMS, g), plain, JSON.stringify(g));
      }
      const dd = withHistology('8858/3', 'G3');
      assert.deepEqual(withGrowthFor(dd, growth()), strat(dd));
      const undiagnosed: CaseInput = { tumor: { sizeCm: 12 } };
      assert.deepEqual(withGrowthFor(undiagnosed, growth()), strat(undiagnosed));
      const resected = withHistology('8890/3', 'G3', { surgery: { margin: 'R0' } });
      assert.deepEqual(withGrowthFor(resected, growth()), strat(resected));
    });
  });
});

describe('planStrategy: sources added for a reason stay with the priority they explain', () => {
  const sources = (input: CaseInput) => Object.fromEntries(run(input).strategy.priorities.map((p) => [p.id, p.sources]));
  it('multifocal disease: GRONCHI-2016 on the MDT discussion only', () => {
    assert.deepEqual(sources({ tumor: { sizeCm: 15, contacts: ['kidney_left'], multifocal: true }, pathology: { histology: '8802/3', grade: 'G2' } }), {
      'mdt-discussion': ['TARPSWG-2015', 'TARPSWG-2021', 'GRONCHI-2016'],
      'en-bloc-resection': [...PRIORITIES['en-bloc-resection'].sources],
      'refer-sarcoma-centre': [...PRIORITIES['refer-sarcoma-centre'].sources],
    });
  });
  it('borderline resectability: STRASS2 on the MDT discussion only (the en bloc resection keeps its own, with PDQ for its DD-LPS note)', () => {
    assert.deepEqual(sources({ tumor: { sizeCm: 22, contacts: ['kidney_left'], extension: ['sciatic_notch'] }, pathology: { histology: '8858/3', grade: 'G1' } }), {
      'mdt-discussion': ['TARPSWG-2015', 'TARPSWG-2021', 'STRASS2'],
      'en-bloc-resection': [...PRIORITIES['en-bloc-resection'].sources, 'PDQ'],
      'preoperative-radiotherapy-discussion': [...PRIORITIES['preoperative-radiotherapy-discussion'].sources],
      'refer-sarcoma-centre': [...PRIORITIES['refer-sarcoma-centre'].sources],
    });
  });
});

describe('the strategy memo answers each case with its own strategy', () => {
  // Strategies are memoised on a key of the facts they depend on (strategy.ts). Each pair differs in one
  // such fact: evaluated right after the first, the second must get the strategy computed for it with
  // empty memos — a fact missing from the key would hand it the first one's. The pairs are checked to
  // have different strategies, so each one tests its fact.
  const strategyOf = (input: CaseInput) => run(input).strategy;
  const LMS: CaseInput = { tumor: { sizeCm: 12, contacts: ['kidney_left'] }, pathology: { histology: '8890/3', grade: 'G2' } };
  const DD: CaseInput = { tumor: { sizeCm: 22, contacts: ['kidney_left'] }, pathology: { histology: '8858/3', grade: 'G2' } };
  const OTHER: CaseInput = { tumor: { sizeCm: 15, contacts: ['kidney_left'] }, pathology: { histology: '8802/3', grade: 'G2' } };
  const MASS: CaseInput = { tumor: { sizeCm: 12 } };
  const FAT: CaseInput = { tumor: { sizeCm: 25, imaging: { macroscopicFat: true, solidComponent: true } } };
  const elsewhere = (surgery: Record<string, unknown>): Partial<CaseInput> => ({ history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'complete', ...surgery }] as CaseInput['history'] });
  const pairs: [string, CaseInput, CaseInput][] = [
    ['histology', LMS, { ...LMS, pathology: { histology: '8858/3', grade: 'G2' } }],
    ['grade', DD, { ...DD, pathology: { histology: '8858/3', grade: 'G3' } }],
    ['basis: inferred from the findings, confirmed by MDM2 amplification', FAT, { ...FAT, pathology: { markers: { MDM2: 'amplified' } } }],
    ['biopsied', MASS, { ...MASS, history: [{ kind: 'biopsy', method: 'core' }] }],
    ['multifocal', OTHER, { ...OTHER, tumor: { ...OTHER.tumor, multifocal: true } }],
    ['a small (≤ 5 cm) leiomyosarcoma', LMS, { ...LMS, tumor: { ...LMS.tumor, sizeCm: 4 } }],
    ['a sarcoma or not', { ...MASS, pathology: { histology: '9590/3' } }, { ...MASS, pathology: { histology: '8802/3', grade: 'G2' } }],
    ['recurrent', OTHER, { ...OTHER, presentation: 'recurrent' }],
    ['distant metastasis', OTHER, { ...OTHER, tumor: { ...OTHER.tumor, metastasis: 'M1' } }],
    ['an adrenal mass (metanephrines first)', MASS, { ...MASS, tumor: { ...MASS.tumor, imaging: { organOfOrigin: 'adrenal_left' } } }],
    ['the vein of origin', LMS, { ...LMS, tumor: { ...LMS.tumor, imaging: { vesselOrigin: 'ivc' } } }],
    ['resectable or borderline', DD, { ...DD, tumor: { ...DD.tumor, extension: ['sciatic_notch'] } }],
    ['borderline or unresectable', { ...DD, tumor: { ...DD.tumor, extension: ['sciatic_notch'] } }, { ...DD, tumor: { ...DD.tumor, extension: ['spinal_canal'] } }],
    ['which criteria', { ...DD, tumor: { ...DD.tumor, extension: ['sciatic_notch'] } }, { ...DD, tumor: { ...DD.tumor, extension: ['transdiaphragmatic'] } }],
    ['resected: the margin', { ...DD, ...elsewhere({ margin: 'R0' }) }, { ...DD, ...elsewhere({ margin: 'R1' }) }],
    ['resected: where', { ...DD, ...elsewhere({ margin: 'R0' }) }, { ...DD, history: [{ kind: 'surgery', where: 'this_centre', resectionType: 'complete', margin: 'R0' }] }],
    ['resected: how', { ...DD, ...elsewhere({ margin: 'R2', resectionType: 'shell_out' }) }, { ...DD, ...elsewhere({ margin: 'R2', resectionType: 'piecemeal' }) }],
    ['resected: a spill', { ...DD, ...elsewhere({ margin: 'R0' }) }, { ...DD, ...elsewhere({ margin: 'R0', rupture: true }) }],
  ];
  for (const [fact, first, second] of pairs) {
    it(fact, () => {
      clearMemos();
      const own = strategyOf(second);
      clearMemos();
      assert.notDeepEqual(strategyOf(first), own, `${fact}: the pair must differ in its strategy`);
      assert.deepEqual(strategyOf(second), own);
    });
  }
});
