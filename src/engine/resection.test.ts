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
