import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planResection, type ResectionContext } from './resection.ts';
import { parseCase, type CaseInput } from './index.ts';
import { ORGANS, ORGAN_IDS } from './tables/anatomy.ts';
import { RESECTABILITY_CRITERIA } from './tables/resectability.ts';

const SARCOMA: ResectionContext = { isSarcoma: true, paragangliomaPossible: false };
const plan = (tumor: CaseInput['tumor'], ctx: ResectionContext = SARCOMA) => planResection(parseCase({ tumor }), ctx);

describe('organ classes of the anatomy table (REFERENCE §5)', () => {
  it('every "resect when contiguous" organ is removed en bloc when contacted', () => {
    for (const o of ORGANS.filter((x) => x.resectionClass === 'resect-when-contiguous')) {
      assert.deepEqual(plan({ contacts: [o.id], side: o.side === 'midline' ? 'midline' : o.side }).enBloc, [o.id], o.id);
    }
  });
  it('every "preserve unless infiltrated" organ is preserved when only contacted, removed when infiltrated', () => {
    for (const o of ORGANS.filter((x) => x.resectionClass === 'preserve-unless-infiltrated' && !x.vesselKind)) {
      const touched = plan({ contacts: [o.id] });
      assert.deepEqual(touched.preserveUnlessInfiltrated, [o.id], o.id);
      assert.deepEqual(touched.enBloc, []);
      // An infiltrated structure of an unresectability criterion (the spine) goes to the MDT, never en bloc.
      if (o.unresectableIfInfiltrated) assert.deepEqual(plan({ infiltrates: [o.id] }).decideAtMdt, [o.id], o.id);
      else assert.deepEqual(plan({ infiltrates: [o.id] }).enBloc, [o.id], o.id);
    }
  });
  it('spleen and pancreatic body/tail are removed only with a left-sided tumour', () => {
    for (const id of ['spleen', 'pancreas_body_tail']) {
      assert.deepEqual(plan({ contacts: [id], side: 'left' }).enBloc, [id]);
      assert.deepEqual(plan({ contacts: [id], side: 'right' }).preserveUnlessInfiltrated, [id]);
      assert.deepEqual(plan({ contacts: [id] }).preserveUnlessInfiltrated, [id], 'side unknown: not assumed left');
    }
  });
  it('veins are resected and reconstructed when the origin or infiltrated, dissected free when only contacted', () => {
    assert.deepEqual(plan({ contacts: ['ivc'] }).vascular.map((v) => v.action), ['dissect-free']);
    assert.deepEqual(plan({ infiltrates: ['iliac_vein_left'] }).vascular.map((v) => v.action), ['resect-and-reconstruct']);
    const origin = plan({ imaging: { vesselOrigin: 'ivc' } });
    assert.deepEqual(origin.vascular, [{ organ: 'ivc', action: 'resect-and-reconstruct', why: 'the tumour arises from it' }]);
    assert.ok(origin.preoperativeChecks.some((c) => c.id === 'vascular-surgeon'));
  });
  it('the renal vessels come out with their kidney; the other side\'s are untouched', () => {
    const p = plan({ contacts: ['kidney_right', 'renal_vein_right', 'renal_artery_right', 'renal_vein_left'] });
    assert.deepEqual(p.enBloc, ['kidney_right', 'renal_vein_right', 'renal_artery_right']);
    assert.deepEqual(p.vascular.map((v) => v.organ), ['renal_vein_left']);
  });
  it('arteries encased without infiltration are dissected free sub-adventitially', () => {
    const p = plan({ contacts: ['iliac_artery_right', 'renal_artery_right'] });
    assert.ok(p.vascular.every((v) => v.action === 'dissect-free' && /sub-adventitially/.test(v.why)));
  });
  it('compartment: the organ of origin, else the space with most involved organs', () => {
    assert.equal(plan({ contacts: ['kidney_left', 'adrenal_left', 'colon_descending'] }).compartment.primary, 'perirenal');
    assert.equal(plan({ contacts: ['colon_ascending', 'duodenum', 'kidney_right'] }).compartment.primary, 'anterior_pararenal');
    assert.equal(plan({ contacts: [] }).compartment.primary, null);
  });
});

describe('resectability criteria (REFERENCE §5, STRASS2)', () => {
  const golden: [string, CaseInput['tumor'], string, string][] = [
    ['SMA infiltrated', { infiltrates: ['superior_mesenteric_artery'] }, 'unresectable', 'critical-structure-infiltrated'],
    ['aorta infiltrated', { infiltrates: ['aorta'] }, 'unresectable', 'critical-structure-infiltrated'],
    ['coeliac trunk infiltrated', { infiltrates: ['celiac_trunk'] }, 'unresectable', 'critical-structure-infiltrated'],
    ['portal vein infiltrated', { infiltrates: ['portal_vein'] }, 'unresectable', 'critical-structure-infiltrated'],
    ['bone (spine) infiltrated', { infiltrates: ['spine'] }, 'unresectable', 'critical-structure-infiltrated'],
    ['growth into the spinal canal', { contacts: [], extension: ['spinal_canal'] }, 'unresectable', 'spinal-canal'],
    ['IVC LMS to the right atrium', { imaging: { vesselOrigin: 'ivc' }, extension: ['right_atrium'] }, 'unresectable', 'right-atrium'],
    ['several major organs (liver and pancreatic head)', { infiltrates: ['liver', 'pancreas_head'] }, 'unresectable', 'several-major-organs'],
    ['through the sciatic notch', { contacts: [], extension: ['sciatic_notch'] }, 'borderline', 'sciatic-notch'],
    ['across the diaphragm', { contacts: ['diaphragm_left'], extension: ['transdiaphragmatic'] }, 'borderline', 'transdiaphragmatic'],
    ['one major organ infiltrated (liver)', { infiltrates: ['liver'] }, 'borderline', 'one-major-organ'],
    ['aorta contacted, not infiltrated', { contacts: ['aorta'] }, 'borderline', 'critical-structure-contact'],
  ];
  for (const [name, tumor, status, criterion] of golden) {
    it(`${name} → ${status}`, () => {
      const r = plan(tumor).resectability;
      assert.equal(r.status, status);
      assert.ok(r.criteria.some((c) => c.id === criterion), JSON.stringify(r.criteria));
    });
  }
  it('every criterion in the table has a golden case', () => {
    const covered = new Set(golden.map(([, , , id]) => id));
    for (const c of RESECTABILITY_CRITERIA) assert.ok(covered.has(c.id), c.id);
  });
  it('contiguous organs only → resectable', () => assert.equal(plan({ contacts: ['kidney_left', 'colon_descending'] }).resectability.status, 'resectable'));
  it('nothing recorded → not determined, and says what is missing', () => {
    const p = plan({});
    assert.equal(p.resectability.status, null);
    assert.ok(p.reasons.some((r) => /tumor\.contacts/.test(r)));
  });
});

describe('pre-operative checks (REFERENCE §5 [C])', () => {
  const ids = (tumor: CaseInput['tumor'], ctx = SARCOMA) => plan(tumor, ctx).preoperativeChecks.map((c) => c.id);
  it('other kidney before nephrectomy', () => assert.deepEqual(ids({ contacts: ['kidney_right'] }), ['contralateral-kidney-function']));
  it('vaccination before a possible splenectomy', () => assert.deepEqual(ids({ contacts: ['spleen'], side: 'left' }), ['splenectomy-vaccination']));
  it('vascular surgeon for a reconstruction', () => assert.deepEqual(ids({ infiltrates: ['ivc'] }), ['vascular-surgeon']));
  it('metanephrines when a paraganglioma is possible', () => assert.deepEqual(ids({ contacts: [] }, { isSarcoma: null, paragangliomaPossible: true }), ['metanephrines']));
  it('checks are consensus-labelled except the verified biochemistry rule', () => {
    const checks = plan({ contacts: ['kidney_left', 'spleen'], infiltrates: ['ivc'], side: 'left' }, { isSarcoma: true, paragangliomaPossible: true }).preoperativeChecks;
    for (const c of checks) assert.equal(c.evidence, c.id === 'metanephrines' ? 'verified' : 'consensus');
  });
});

describe('non-sarcomas and open diagnoses', () => {
  it('a non-sarcoma gets no en bloc plan and no resectability verdict', () => {
    const p = plan({ contacts: ['kidney_left'], infiltrates: ['aorta'] }, { isSarcoma: false, paragangliomaPossible: false });
    assert.equal(p.applies, 'no');
    assert.deepEqual(p.enBloc, []);
    assert.equal(p.resectability.status, null);
  });
  it('an open diagnosis gives a provisional plan', () => {
    assert.equal(plan({ contacts: ['kidney_left'] }, { isSarcoma: null, paragangliomaPossible: false }).applies, 'provisional');
  });
});

describe('properties', () => {
  const organ = fc.constantFrom(...ORGAN_IDS);
  const tumor = fc.record({
    contacts: fc.uniqueArray(organ, { maxLength: 8 }),
    infiltrates: fc.uniqueArray(organ, { maxLength: 4 }),
    side: fc.constantFrom('left', 'right', 'midline', 'pelvic'),
  });
  it('adding an infiltrated organ never shrinks enBloc (organs may move to the MDT list)', () => {
    fc.assert(
      fc.property(tumor, organ, fc.constantFrom<boolean | null>(true, null), (t, extra, isSarcoma) => {
        // What was planned for removal stays planned, or goes to the MDT when the new finding makes it unresectable / bilateral.
        const p0 = plan(t, { isSarcoma, paragangliomaPossible: false });
        const p1 = plan({ ...t, infiltrates: [...new Set([...t.infiltrates, extra])] }, { isSarcoma, paragangliomaPossible: false });
        return p0.enBloc.every((id) => p1.enBloc.includes(id) || p1.decideAtMdt.includes(id));
      }),
    );
  });
  it('an organ is never both removed en bloc and preserved; infiltrated non-vessel organs are always removed', () => {
    fc.assert(
      fc.property(tumor, (t) => {
        const p = plan(t);
        const vessels = new Set(p.vascular.map((v) => v.organ));
        return p.enBloc.every((id) => !p.preserveUnlessInfiltrated.includes(id)) && t.infiltrates.every((id) => p.enBloc.includes(id) || vessels.has(id) || p.decideAtMdt.includes(id));
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Mutation-testing round (session stop 20): each unresectability criterion on its own and each way it must not
// fire, the MDT list, kidneys, the "never shell out" wording, the completed-resection rule and the checks —
// exact outputs written by hand from REFERENCE §5 (STRASS2 criteria), REFERENCE-2 §1.5–§1.7 and the anatomy table.
// ---------------------------------------------------------------------------------------------------------

const C = Object.fromEntries(RESECTABILITY_CRITERIA.map((c) => [c.id, c]));
const met = (id: string, by: string[]) => ({ id, verdict: C[id]!.verdict, label: C[id]!.label, by, evidence: C[id]!.evidence, sources: [...C[id]!.sources] });
const NO_SHELL_OUT = 'Remove the tumour in one piece with the organs it touches — never shell it out along the pseudocapsule, never piecemeal.';
const MDT_SUFFIX = ' — named in an unresectability criterion (REFERENCE §5 STRASS2; REFERENCE-2 §1.2: infiltration of the aorta, SMA, coeliac trunk or portal vein is usually unresectable — sub-adventitial dissection only if a plane exists)';

describe('planResection: each resectability criterion on its own (STRASS2, REFERENCE §5)', () => {
  it('critical structure infiltrated: each of the five fires alone; the structure goes to the MDT, never en bloc', () => {
    // SMA, aorta, coeliac trunk and portal vein are also major organs: one of them alone is also "one major organ".
    const majors: [string, string][] = [
      ['superior_mesenteric_artery', 'superior mesenteric artery'],
      ['aorta', 'aorta'],
      ['celiac_trunk', 'coeliac trunk'],
      ['portal_vein', 'portal vein'],
    ];
    for (const [id, name] of majors) {
      const p = plan({ infiltrates: [id] });
      assert.deepEqual(p.resectability, { status: 'unresectable', criteria: [met('critical-structure-infiltrated', [id]), met('one-major-organ', [id])] }, id);
      assert.deepEqual([p.enBloc, p.preserveUnlessInfiltrated, p.vascular, p.decideAtMdt], [[], [], [], [id]], id);
      assert.ok(p.reasons.includes(`Unresectable (only an R2 resection expected): ${C['critical-structure-infiltrated']!.label} — ${name}; ${C['one-major-organ']!.label} — ${name} [consensus].`), id);
      assert.ok(p.reasons.includes(`For the MDT, not planned for resection: ${name}${MDT_SUFFIX}.`), id);
    }
    const spine = plan({ infiltrates: ['spine'] });
    assert.deepEqual(spine.resectability, { status: 'unresectable', criteria: [met('critical-structure-infiltrated', ['spine'])] });
    assert.deepEqual(spine.decideAtMdt, ['spine']);
    assert.ok(spine.reasons.includes(`Unresectable (only an R2 resection expected): ${C['critical-structure-infiltrated']!.label} — spine (vertebrae).`));
  });
  it('critical structure infiltrated must not fire: contact only, or a non-critical vessel infiltrated', () => {
    assert.deepEqual(plan({ contacts: ['spine'] }).resectability, { status: 'borderline', criteria: [met('critical-structure-contact', ['spine'])] });
    // The IVC is a major vessel but not a STRASS2 critical structure: infiltrated, it is borderline and reconstructed.
    const ivc = plan({ infiltrates: ['ivc'] });
    assert.deepEqual(ivc.resectability, { status: 'borderline', criteria: [met('one-major-organ', ['ivc'])] });
    assert.deepEqual(ivc.decideAtMdt, []);
    assert.deepEqual(ivc.vascular, [{ organ: 'ivc', action: 'resect-and-reconstruct', why: 'directly infiltrated' }]);
  });
  it('a critical structure of origin counts as infiltrated', () => {
    const p = plan({ imaging: { vesselOrigin: 'aorta' } });
    assert.deepEqual(p.resectability.criteria.map((c) => c.id), ['critical-structure-infiltrated', 'one-major-organ']);
    assert.deepEqual(p.decideAtMdt, ['aorta']);
    assert.deepEqual(p.vascular, []);
    // A non-critical vein of origin is not "infiltrated": resected and reconstructed, resectable.
    assert.equal(plan({ imaging: { vesselOrigin: 'ivc' } }).resectability.status, 'resectable');
  });
  it('critical structure contacted: fires on contact alone, each structure named; not once it is infiltrated', () => {
    const p = plan({ contacts: ['aorta', 'celiac_trunk', 'kidney_left'] });
    assert.deepEqual(p.resectability, { status: 'borderline', criteria: [met('critical-structure-contact', ['aorta', 'celiac_trunk'])] });
    assert.ok(p.reasons.includes(`Borderline resectable: ${C['critical-structure-contact']!.label} — aorta, coeliac trunk [consensus].`));
    // Contacted and infiltrated: the infiltration criterion only, never both.
    assert.deepEqual(plan({ contacts: ['aorta'], infiltrates: ['aorta'] }).resectability.criteria.map((c) => c.id), ['critical-structure-infiltrated', 'one-major-organ']);
    // A borderline structure is dissected free, not sent to the MDT list.
    assert.deepEqual(p.decideAtMdt, []);
    assert.deepEqual(p.vascular, [
      { organ: 'aorta', action: 'dissect-free', why: 'contact only: dissect free sub-adventitially' },
      { organ: 'celiac_trunk', action: 'dissect-free', why: 'contact only: dissect free sub-adventitially' },
    ]);
  });
  it('extensions: each one alone, with its verdict, its site named, and no organ sent to the MDT', () => {
    const table: [string, string, 'unresectable' | 'borderline', string][] = [
      ['spinal_canal', 'spinal-canal', 'unresectable', 'spinal canal'],
      ['right_atrium', 'right-atrium', 'unresectable', 'right atrium'],
      ['sciatic_notch', 'sciatic-notch', 'borderline', 'sciatic notch'],
      ['transdiaphragmatic', 'transdiaphragmatic', 'borderline', 'through the diaphragm'],
    ];
    for (const [extension, id, status, site] of table) {
      const p = plan({ contacts: ['kidney_left'], extension: [extension as 'spinal_canal'] });
      assert.deepEqual(p.resectability, { status, criteria: [met(id, [extension])] }, extension);
      assert.deepEqual(p.decideAtMdt, [], extension);
      assert.deepEqual(p.enBloc, ['kidney_left'], extension);
      const head = status === 'unresectable' ? 'Unresectable (only an R2 resection expected)' : 'Borderline resectable';
      assert.ok(p.reasons.includes(`${head}: ${C[id]!.label} — ${site}.`), extension);
      assert.ok(!p.reasons.some((r) => r.startsWith('For the MDT')), extension);
    }
    // An extension alone is enough anatomy to judge; no extension listed: resectable.
    assert.equal(plan({ extension: [] }).resectability.status, 'resectable');
    assert.equal(plan({ extension: ['sciatic_notch', 'spinal_canal'] }).resectability.status, 'unresectable');
  });
  it('major organs infiltrated: one is borderline, two or three are unresectable (never both rules), and non-major organs count for nothing', () => {
    assert.deepEqual(plan({ infiltrates: ['liver'] }).resectability, { status: 'borderline', criteria: [met('one-major-organ', ['liver'])] });
    assert.deepEqual(plan({ infiltrates: ['liver'] }).enBloc, ['liver']);
    const two = plan({ infiltrates: ['liver', 'pancreas_head'] });
    assert.deepEqual(two.resectability, { status: 'unresectable', criteria: [met('several-major-organs', ['liver', 'pancreas_head'])] });
    assert.deepEqual([two.enBloc, two.decideAtMdt], [[], ['liver', 'pancreas_head']]);
    assert.ok(two.reasons.includes(`For the MDT, not planned for resection: liver, pancreatic head${MDT_SUFFIX}.`));
    const three = plan({ infiltrates: ['liver', 'pancreas_head', 'ivc'] });
    assert.deepEqual(three.resectability.criteria, [met('several-major-organs', ['liver', 'pancreas_head', 'ivc'])]);
    assert.deepEqual(three.vascular, []);
    // Contact with major organs is not infiltration.
    assert.equal(plan({ contacts: ['liver', 'pancreas_head', 'ivc'] }).resectability.status, 'resectable');
    const minor = plan({ infiltrates: ['kidney_left', 'colon_descending', 'psoas_left'] });
    assert.deepEqual(minor.resectability, { status: 'resectable', criteria: [] });
  });
  it('the worst verdict wins, and every criterion met is listed in table order', () => {
    const p = plan({ contacts: ['aorta'], infiltrates: ['spine'], extension: ['sciatic_notch'] });
    assert.deepEqual(p.resectability, {
      status: 'unresectable',
      criteria: [met('critical-structure-infiltrated', ['spine']), met('sciatic-notch', ['sciatic_notch']), met('critical-structure-contact', ['aorta'])],
    });
    assert.ok(p.reasons.includes(`Unresectable (only an R2 resection expected): ${C['critical-structure-infiltrated']!.label} — spine (vertebrae); ${C['sciatic-notch']!.label} — sciatic notch; ${C['critical-structure-contact']!.label} — aorta [consensus].`));
    assert.deepEqual(p.sources, ['TARPSWG-2015', 'STRASS', 'SEED', 'STRASS2']);
    assert.equal(plan({ contacts: ['aorta'], extension: ['sciatic_notch'] }).resectability.status, 'borderline');
  });
  it('resectable and not determined, with their reasons', () => {
    const r = plan({ contacts: ['kidney_left'] });
    assert.deepEqual(r.resectability, { status: 'resectable', criteria: [] });
    assert.ok(r.reasons.includes('Resectable: no STRASS2 unresectability criterion met by the recorded organs and extensions.'));
    assert.deepEqual(r.sources, ['TARPSWG-2015', 'STRASS', 'SEED', 'CHO-2018']);
    for (const tumor of [{}, { sizeCm: 10 }]) {
      const p = plan(tumor);
      assert.deepEqual(p.resectability, { status: null, criteria: [] });
      assert.deepEqual(p.reasons, [
        'No contacted or infiltrated organs recorded (tumor.contacts, tumor.infiltrates): the organs to remove cannot be planned yet.',
        'Compartment not determined from the recorded organs.',
        'Resectability not determined: record the contacted and infiltrated organs and any extension (tumor.contacts, tumor.infiltrates, tumor.extension).',
      ]);
    }
    // Anatomy recorded as "nothing touched" is enough to judge.
    assert.equal(plan({ contacts: [] }).resectability.status, 'resectable');
    assert.equal(plan({ infiltrates: [] }).resectability.status, 'resectable');
  });
  it('a non-sarcoma: no criteria, no verdict, no organ lists, whatever the anatomy', () => {
    const p = plan({ contacts: ['kidney_left', 'kidney_right'], infiltrates: ['aorta', 'liver'], extension: ['spinal_canal'] }, { isSarcoma: false, paragangliomaPossible: false });
    assert.deepEqual(p.resectability, { status: null, criteria: [] });
    assert.deepEqual([p.applies, p.enBloc, p.preserveUnlessInfiltrated, p.vascular, p.decideAtMdt, p.deficits, p.preoperativeChecks], ['no', [], [], [], [], [], []]);
    assert.deepEqual(p.reasons.slice(0, 1), ['Not a sarcoma: the sarcoma en bloc resection plan does not apply (no organ list).']);
    assert.ok(p.reasons.includes('Resectability by sarcoma criteria: not applicable.'));
  });
});

describe('planResection: kidneys (REFERENCE-2 §1.7; CHO-2018)', () => {
  it('one kidney removed: the other kidney\'s function is checked, with the kidney named', () => {
    const p = plan({ contacts: ['kidney_right', 'renal_artery_right'] });
    assert.deepEqual(p.enBloc, ['kidney_right', 'renal_artery_right']);
    assert.deepEqual(p.preoperativeChecks, [
      { id: 'contralateral-kidney-function', label: 'function of the other kidney (split renal function or eGFR)', why: 'right kidney to be removed; after en bloc nephrectomy eGFR falls to about 74 % of baseline.', evidence: 'consensus', sources: ['CHO-2018', 'TARPSWG-2015'] },
    ]);
    assert.ok(p.reasons.includes('Before the operation: function of the other kidney (split renal function or eGFR).'));
    assert.deepEqual(p.warnings, []);
  });
  it('both kidneys touched: neither is planned, both (and their vessels) go to the MDT, with a warning and a nephron-sparing check', () => {
    const p = plan({ contacts: ['kidney_left', 'kidney_right', 'renal_vein_left', 'renal_artery_right', 'colon_descending'] });
    assert.deepEqual(p.enBloc, ['colon_descending']);
    assert.deepEqual(p.vascular, []);
    assert.deepEqual(p.decideAtMdt, ['kidney_left', 'kidney_right', 'renal_vein_left', 'renal_artery_right']);
    assert.deepEqual(p.warnings, [
      {
        code: 'bilateral-kidney-contact',
        path: 'tumor.contacts',
        message: 'The tumour touches both kidneys: never plan both en bloc — split renal function, a nephron-sparing discussion and the MDT decide which kidney, if any, is removed.',
        sources: ['CHO-2018', 'TARPSWG-2015'],
        evidence: 'consensus',
      },
    ]);
    assert.deepEqual(p.preoperativeChecks.map((c) => c.id), ['bilateral-kidneys-mdt']);
    assert.ok(p.reasons.includes('For the MDT, not planned for resection: left kidney, right kidney, left renal vein, right renal artery (both kidneys: nephron-sparing discussion).'));
  });
  it('both kidneys infiltrated: still never both en bloc', () => {
    const p = plan({ infiltrates: ['kidney_left', 'kidney_right'] });
    assert.deepEqual([p.enBloc, p.decideAtMdt], [[], ['kidney_left', 'kidney_right']]);
  });
  it('one kidney: no bilateral warning or check', () => {
    for (const contacts of [['kidney_left'], ['kidney_right'], ['kidney_left', 'renal_vein_right']]) {
      const p = plan({ contacts });
      assert.ok(!p.warnings.some((w) => w.code === 'bilateral-kidney-contact'), contacts.join());
      assert.ok(!p.preoperativeChecks.some((c) => c.id === 'bilateral-kidneys-mdt'), contacts.join());
      assert.ok(p.enBloc.includes(contacts[0]!), contacts.join());
    }
  });
  it('a renal-vein leiomyosarcoma comes out with its kidney (the vein is not reconstructed)', () => {
    const p = plan({ imaging: { vesselOrigin: 'renal_vein_left' } });
    assert.deepEqual([p.enBloc, p.vascular, p.preserveUnlessInfiltrated], [['kidney_left', 'renal_vein_left'], [], []]);
    assert.deepEqual(p.preoperativeChecks.map((c) => c.id), ['contralateral-kidney-function']);
    assert.ok(p.reasons.includes('left renal vein: the tumour arises from it — resected with the tumour, never preserved.'));
    assert.equal(p.compartment.primary, 'perirenal');
  });
  it('a renal-vein origin with the other kidney touched: bilateral, both kidneys and the vein to the MDT', () => {
    const p = plan({ contacts: ['kidney_right'], imaging: { vesselOrigin: 'renal_vein_left' } });
    assert.deepEqual(p.enBloc, []);
    assert.deepEqual(p.decideAtMdt, ['kidney_left', 'kidney_right', 'renal_vein_left']);
  });
  it('a kidney sent to the MDT by an unresectability criterion stays there with its renal vessels', () => {
    // Several major organs are infiltrated (unresectable); the kidney of the renal-vein origin is still not planned twice.
    const p = plan({ infiltrates: ['liver', 'ivc'], imaging: { vesselOrigin: 'renal_vein_right' } });
    assert.deepEqual(p.resectability.status, 'unresectable');
    assert.deepEqual(p.enBloc, ['kidney_right', 'renal_vein_right']);
    assert.deepEqual(p.decideAtMdt, ['liver', 'ivc']);
  });
});

describe('planResection: wording of the plan (REFERENCE §5 [C])', () => {
  it('"never shell out" and the organ lists, exactly', () => {
    const p = plan({ contacts: ['kidney_left', 'duodenum', 'ivc', 'iliac_artery_left'], side: 'left' });
    assert.deepEqual(p.reasons, [
      NO_SHELL_OUT,
      'En bloc with the tumour: left kidney (contiguous organs of the resect class, every infiltrated organ and the structure of origin) [consensus].',
      'Preserve unless infiltrated: duodenum (2nd–4th part) [consensus].',
      'Compartment: perirenal space (within the renal fascia) — resect the compartment along its fascial planes.',
      'Resectable: no STRASS2 unresectability criterion met by the recorded organs and extensions.',
      'Before the operation: function of the other kidney (split renal function or eGFR).',
    ]);
    assert.deepEqual(p.vascular, [
      { organ: 'ivc', action: 'dissect-free', why: 'contact only: dissect free' },
      { organ: 'iliac_artery_left', action: 'dissect-free', why: 'contact only: dissect free sub-adventitially' },
    ]);
    assert.deepEqual(p.compartment, { primary: 'perirenal', label: 'perirenal space (within the renal fascia)', involved: ['perirenal', 'anterior_pararenal', 'great_vessels', 'pelvis'] });
    assert.equal(p.evidence, 'consensus');
    assert.equal(p.applies, 'yes');
  });
  it('no organ list line when nothing is removed or kept; the "never shell out" line whenever anatomy is recorded', () => {
    const p = plan({ contacts: ['ivc'] });
    assert.equal(p.reasons[0], NO_SHELL_OUT);
    assert.ok(!p.reasons.some((r) => r.startsWith('En bloc with the tumour') || r.startsWith('Preserve unless')));
    assert.equal(plan({ infiltrates: [] }).reasons[0], NO_SHELL_OUT);
    assert.equal(plan({ imaging: { organOfOrigin: 'psoas_left' } }).reasons[0], NO_SHELL_OUT);
  });
  it('the structure of origin: resected and said so; the organ of origin sets the compartment', () => {
    const p = plan({ contacts: ['kidney_left', 'adrenal_left'], imaging: { organOfOrigin: 'psoas_left' } });
    assert.deepEqual(p.enBloc, ['kidney_left', 'adrenal_left', 'psoas_left']);
    assert.ok(p.reasons.includes('left psoas muscle: the tumour arises from it — resected with the tumour, never preserved.'));
    assert.deepEqual(p.compartment, { primary: 'posterior_wall', label: 'posterior abdominal wall (muscles, nerves and vessels on them)', involved: ['perirenal', 'posterior_wall'] });
    // An organ "preserve unless infiltrated" that is the origin is removed, not preserved.
    const duodenum = plan({ imaging: { organOfOrigin: 'duodenum' } });
    assert.deepEqual([duodenum.enBloc, duodenum.preserveUnlessInfiltrated], [['duodenum'], []]);
    // A vein of origin: the sentence too.
    assert.ok(plan({ imaging: { vesselOrigin: 'ivc' } }).reasons.includes('inferior vena cava: the tumour arises from it — resected with the tumour, never preserved.'));
    // A critical origin goes to the MDT: no "resected with the tumour" sentence for it.
    assert.ok(!plan({ imaging: { vesselOrigin: 'aorta' } }).reasons.some((r) => r.includes('arises from it')));
  });
  it('compartment without an origin: the space with most organs; a tie goes to the first space (perirenal)', () => {
    assert.equal(plan({ contacts: ['colon_descending', 'kidney_left'] }).compartment.primary, 'perirenal');
    assert.equal(plan({ contacts: ['colon_descending', 'duodenum', 'kidney_left'] }).compartment.primary, 'anterior_pararenal');
    assert.equal(plan({ contacts: ['ivc', 'aorta', 'kidney_left'] }).compartment.primary, 'perirenal');
    // Only organs outside the three spaces: not determined.
    assert.deepEqual(plan({ contacts: ['ivc', 'psoas_left'] }).compartment, { primary: null, label: null, involved: ['great_vessels', 'posterior_wall'] });
  });
  it('spleen and pancreatic tail with a tumour not on the left: kept, and the reason names the side', () => {
    const right = plan({ contacts: ['spleen', 'pancreas_body_tail'], side: 'right' });
    assert.deepEqual([right.enBloc, right.preserveUnlessInfiltrated], [[], ['spleen', 'pancreas_body_tail']]);
    assert.ok(right.reasons.includes('spleen, pancreatic body and tail: removed en bloc only with a left-sided tumour (this one is right).'));
    assert.ok(plan({ contacts: ['spleen'], side: 'midline' }).reasons.includes('spleen: removed en bloc only with a left-sided tumour (this one is midline).'));
    assert.ok(plan({ contacts: ['spleen'] }).reasons.includes('spleen: removed en bloc only with a left-sided tumour (tumour side not recorded).'));
    // Left-sided, infiltrated or of origin: removed, and no such sentence.
    for (const tumor of [{ contacts: ['spleen'], side: 'left' as const }, { infiltrates: ['spleen'], side: 'right' as const }, { imaging: { organOfOrigin: 'spleen' }, side: 'right' as const }]) {
      const p = plan(tumor);
      assert.deepEqual(p.enBloc, ['spleen'], JSON.stringify(tumor));
      assert.ok(!p.reasons.some((r) => r.includes('only with a left-sided tumour')), JSON.stringify(tumor));
    }
  });
  it('provisional plan: names what must be excluded first, or the three by default', () => {
    const open = (mustExcludeFirst?: string[]) => plan({ contacts: ['kidney_left'] }, { isSarcoma: null, paragangliomaPossible: false, ...(mustExcludeFirst ? { mustExcludeFirst } : {}) });
    const first = (what: string) =>
      `Diagnosis not confirmed: this plan is provisional — first the tests that must precede a biopsy (metanephrines if a paraganglioma is possible), then a core-needle biopsy, and no resection before the work-up excludes ${what} (REFERENCE §3.1).`;
    assert.equal(open(['lymphoma', 'germ-cell']).reasons[0], first('lymphoma, germ-cell tumour'));
    assert.equal(open(['paraganglioma']).reasons[0], first('paraganglioma'));
    assert.equal(open([]).reasons[0], first('lymphoma, germ-cell tumour and paraganglioma'));
    assert.equal(open().reasons[0], first('lymphoma, germ-cell tumour and paraganglioma'));
    // The provisional plan still lists organs and checks.
    assert.deepEqual(open().enBloc, ['kidney_left']);
    assert.deepEqual(open().preoperativeChecks.map((c) => c.id), ['contralateral-kidney-function']);
    // A confirmed sarcoma has no provisional line.
    assert.ok(!plan({ contacts: ['kidney_left'] }).reasons.some((r) => r.startsWith('Diagnosis not confirmed')));
  });
});

describe('planResection: after a macroscopically complete resection (REFERENCE-2 §5)', () => {
  it('no operation planned: empty lists and no kidney, spleen, vessel or nerve checks; the verdict is kept', () => {
    const ctx: ResectionContext = { isSarcoma: true, paragangliomaPossible: false, alreadyResectedCompletely: true };
    const p = plan({ contacts: ['kidney_left', 'kidney_right', 'spleen', 'aorta'], infiltrates: ['ivc', 'femoral_nerve_left'], side: 'left' }, ctx);
    assert.equal(p.applies, 'no');
    assert.deepEqual([p.enBloc, p.preserveUnlessInfiltrated, p.vascular, p.decideAtMdt, p.deficits, p.preoperativeChecks], [[], [], [], [], [], []]);
    assert.equal(p.reasons[0], 'Already resected macroscopically completely (R0/R1): no operation is planned — surveillance by histology and grade (REFERENCE-2 §5 [consensus]).');
    assert.ok(!p.reasons.some((r) => r.startsWith('Before the operation') || r.startsWith('Functional deficit') || r.startsWith('Diagnosis not confirmed')));
    assert.equal(p.resectability.status, 'borderline');
    // Metanephrines are still asked for when a paraganglioma is possible.
    assert.deepEqual(plan({ contacts: ['kidney_left'] }, { ...ctx, paragangliomaPossible: true }).preoperativeChecks.map((c) => c.id), ['metanephrines']);
  });
  it('an open diagnosis already resected: no plan either, and no provisional line', () => {
    const p = plan({ contacts: ['kidney_left'] }, { isSarcoma: null, paragangliomaPossible: false, alreadyResectedCompletely: true });
    assert.equal(p.applies, 'no');
    assert.ok(!p.reasons.some((r) => r.startsWith('Diagnosis not confirmed')));
  });
  it('not yet resected (false or absent): the plan applies', () => {
    assert.equal(plan({ contacts: ['kidney_left'] }, { isSarcoma: true, paragangliomaPossible: false, alreadyResectedCompletely: false }).applies, 'yes');
    assert.deepEqual(plan({ contacts: ['kidney_left'] }, { isSarcoma: true, paragangliomaPossible: false, alreadyResectedCompletely: false }).enBloc, ['kidney_left']);
  });
});

describe('planResection: pre-operative checks and deficits, exactly (REFERENCE §5 [C]; REFERENCE-2 §1.6)', () => {
  it('a motor nerve sacrificed: its deficit, consent and rehabilitation', () => {
    const p = plan({ infiltrates: ['femoral_nerve_right'] });
    const deficit = 'loss of active knee extension (quadriceps) ± weak hip flexion; sensory loss over the anteromedial thigh and medial leg; falls and fractures';
    assert.deepEqual(p.enBloc, ['femoral_nerve_right']);
    assert.deepEqual(p.deficits, [{ organ: 'femoral_nerve_right', deficit, evidence: 'verified', sources: ['PLEXOPATHY-2022', 'JONES-2010'] }]);
    assert.deepEqual(p.preoperativeChecks, [
      { id: 'motor-nerve-rehabilitation', label: 'consent for the nerve deficit and a rehabilitation plan (physiotherapy, knee brace/orthosis, falls prevention)', why: `right femoral nerve to be sacrificed: ${deficit}.`, evidence: 'consensus', sources: ['JONES-2010', 'PLEXOPATHY-2022'] },
    ]);
    assert.ok(p.reasons.includes(`Functional deficit of the nerve sacrifice: right femoral nerve — ${deficit} (REFERENCE-2 §1.6).`));
    assert.deepEqual(p.sources, ['TARPSWG-2015', 'STRASS', 'SEED', 'JONES-2010', 'PLEXOPATHY-2022']);
    // Only contacted: preserved, no deficit.
    const kept = plan({ contacts: ['femoral_nerve_right'] });
    assert.deepEqual([kept.deficits, kept.preoperativeChecks, kept.preserveUnlessInfiltrated], [[], [], ['femoral_nerve_right']]);
    assert.ok(!kept.reasons.some((r) => r.startsWith('Functional deficit')));
  });
  it('a vein reconstructed: the vascular surgeon, naming the vessels', () => {
    const p = plan({ infiltrates: ['iliac_vein_left'], imaging: { vesselOrigin: 'ivc' } });
    assert.deepEqual(p.vascular, [
      { organ: 'iliac_vein_left', action: 'resect-and-reconstruct', why: 'directly infiltrated' },
      { organ: 'ivc', action: 'resect-and-reconstruct', why: 'the tumour arises from it' },
    ]);
    assert.deepEqual(p.preoperativeChecks, [{ id: 'vascular-surgeon', label: 'vascular surgeon on the team', why: 'left iliac vein, inferior vena cava to be resected and reconstructed.', evidence: 'consensus', sources: ['TARPSWG-2015'] }]);
    // Dissected free only: no vascular surgeon.
    assert.deepEqual(plan({ contacts: ['ivc', 'iliac_artery_left'] }).preoperativeChecks, []);
  });
  it('splenectomy vaccination: spleen contacted on any side, or the pancreatic tail removed', () => {
    const spleenCheck = { id: 'splenectomy-vaccination', label: 'vaccination against encapsulated bacteria at least 2 weeks before surgery', why: 'A splenectomy is possible.', evidence: 'consensus', sources: ['TARPSWG-2015'] };
    assert.deepEqual(plan({ contacts: ['spleen'], side: 'right' }).preoperativeChecks, [spleenCheck]);
    assert.deepEqual(plan({ contacts: ['pancreas_body_tail'], side: 'left' }).preoperativeChecks, [spleenCheck]);
    assert.deepEqual(plan({ infiltrates: ['spleen'] }).preoperativeChecks, [spleenCheck]);
    assert.deepEqual(plan({ contacts: ['pancreas_body_tail'], side: 'right' }).preoperativeChecks, []);
  });
  it('metanephrines first, whatever the plan, with the standard wording', () => {
    const p = plan({ contacts: ['kidney_left'] }, { isSarcoma: true, paragangliomaPossible: true });
    assert.deepEqual(p.preoperativeChecks[0], { id: 'metanephrines', label: 'plasma or urine metanephrines', why: 'A paraganglioma is possible: biochemistry before surgery (and before any biopsy not yet done).', evidence: 'verified', sources: ['VANDERVEEN-2009'] });
    assert.deepEqual(p.preoperativeChecks.map((c) => c.id), ['metanephrines', 'contralateral-kidney-function']);
    assert.ok(p.reasons.includes('Before the operation: plasma or urine metanephrines; function of the other kidney (split renal function or eGFR).'));
    assert.deepEqual(p.sources, ['TARPSWG-2015', 'STRASS', 'SEED', 'VANDERVEEN-2009', 'CHO-2018']);
    assert.ok(plan({ contacts: ['kidney_left'] }, { isSarcoma: false, paragangliomaPossible: true }).preoperativeChecks.some((c) => c.id === 'metanephrines'));
  });
  it('no check at all: no "before the operation" line', () => {
    const p = plan({ contacts: ['colon_descending'] });
    assert.deepEqual(p.preoperativeChecks, []);
    assert.ok(!p.reasons.some((r) => r.startsWith('Before the operation')));
  });
});

describe('planResection: anatomy warnings (issue 10, item 3)', () => {
  it('a sided organ on the other side, for contacts and for infiltration, with the field\'s index', () => {
    const p = plan({ contacts: ['kidney_left', 'kidney_right'], infiltrates: ['psoas_right'], side: 'left' });
    const sided = p.warnings.filter((w) => w.code === 'side-contradicts-organ');
    assert.deepEqual(sided, [
      { code: 'side-contradicts-organ', path: 'tumor.contacts[1]', message: 'A left-sided tumour touching the right kidney: check the side or the organ — the plan removes what is recorded.', sources: ['SEED'], evidence: 'consensus' },
      { code: 'side-contradicts-organ', path: 'tumor.infiltrates[0]', message: 'A left-sided tumour infiltrating the right psoas muscle: check the side or the organ — the plan removes what is recorded.', sources: ['SEED'], evidence: 'consensus' },
    ]);
    assert.deepEqual(plan({ contacts: ['ureter_left'], side: 'right' }).warnings.map((w) => [w.path, w.message]), [['tumor.contacts[0]', 'A right-sided tumour touching the left ureter: check the side or the organ — the plan removes what is recorded.']]);
    // Same side, midline, pelvic or unknown side: no side warning.
    for (const side of ['left', 'midline', 'pelvic', undefined] as const) {
      assert.deepEqual(plan({ contacts: ['kidney_left', 'aorta'], ...(side ? { side } : {}) }).warnings, [], String(side));
    }
    assert.deepEqual(plan({ contacts: ['kidney_right'], side: 'midline' }).warnings, []);
  });
  it('infiltrated but not contacted: treated as both, with a warning per organ; none when contacts are not recorded', () => {
    const p = plan({ contacts: ['kidney_left'], infiltrates: ['kidney_left', 'colon_descending'] });
    assert.deepEqual(p.warnings, [
      { code: 'infiltrated-not-contacted', path: 'tumor.infiltrates[1]', message: 'descending colon is recorded as infiltrated but not as contacted: treated as contacted and infiltrated.', sources: ['SEED'], evidence: 'consensus' },
    ]);
    assert.deepEqual(p.enBloc, ['kidney_left', 'colon_descending']);
    assert.deepEqual(plan({ infiltrates: ['colon_descending'] }).warnings, []);
  });
});
