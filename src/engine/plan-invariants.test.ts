import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluateCase, HISTOLOGIES, MARGINS, ORGAN_IDS, ORGANS_BY_ID, parseCase, TUMOUR_EXTENSIONS, TUMOUR_SIDES, type CaseInput, type Evaluation } from './index.ts';
import { propertyRuns } from '../../test/support/property-runs.ts';

/**
 * Plans consistent with anatomy and with themselves (issue 10, item 4), as properties over thousands of
 * random cases through the whole evaluation. The invariants are written from REFERENCE §5 / REFERENCE-2 §1,
 * not from the planner's code.
 */

// Structures the invariants are about appear often; the rest of the anatomy fills in.
const focus = ['kidney_left', 'kidney_right', 'aorta', 'superior_mesenteric_artery', 'spine', 'celiac_trunk', 'portal_vein', 'ivc', 'renal_vein_left', 'renal_vein_right', 'femoral_nerve_left', 'lumbosacral_plexus_right', 'liver', 'pancreas_head'] as const;
const organ = fc.oneof(fc.constantFrom(...focus), fc.constantFrom(...ORGAN_IDS));
const sarcomaHistology = fc.constantFrom(...HISTOLOGIES.filter((h) => h.category === 'sarcoma').map((h) => h.code));
const caseArb: fc.Arbitrary<CaseInput> = fc.record(
  {
    presentation: fc.constantFrom('primary' as const, 'recurrent' as const),
    tumor: fc.record(
      {
        sizeCm: fc.double({ min: 1, max: 40, noNaN: true }),
        side: fc.constantFrom(...TUMOUR_SIDES),
        contacts: fc.uniqueArray(organ, { maxLength: 8 }),
        infiltrates: fc.uniqueArray(organ, { maxLength: 4 }),
        extension: fc.uniqueArray(fc.constantFrom(...TUMOUR_EXTENSIONS), { maxLength: 2 }),
        imaging: fc.record({ organOfOrigin: organ, vesselOrigin: organ }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    pathology: fc.oneof(fc.record({ histology: sarcomaHistology, grade: fc.constantFrom('G1' as const, 'G2' as const, 'G3' as const) }), fc.constant({})),
    surgery: fc.record({ margin: fc.constantFrom(...MARGINS) }),
  },
  { requiredKeys: ['tumor', 'pathology'] },
);

const RUNS = { numRuns: propertyRuns(1000) };
const evaluateRandom = (input: CaseInput): Evaluation => evaluateCase(parseCase(input));

function involved(input: CaseInput): string[] {
  const t = input.tumor ?? {};
  return [...(t.contacts ?? []), ...(t.infiltrates ?? []), ...(t.imaging?.organOfOrigin ? [t.imaging.organOfOrigin] : []), ...(t.imaging?.vesselOrigin ? [t.imaging.vesselOrigin] : [])];
}

describe('plan invariants over random cases (REFERENCE §5; REFERENCE-2 §1)', () => {
  it('never both kidneys en bloc; bilateral contact → flag, nephron-sparing check, both to the MDT', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = evaluateRandom(input).resectionPlan;
        assert.ok(!(p.enBloc.includes('kidney_left') && p.enBloc.includes('kidney_right')));
        const both = involved(input).includes('kidney_left') && involved(input).includes('kidney_right');
        if (both && p.applies !== 'no') {
          assert.ok(p.warnings.some((w) => w.code === 'bilateral-kidney-contact'));
          assert.ok(p.preoperativeChecks.some((c) => c.id === 'bilateral-kidneys-mdt'));
          assert.ok(p.decideAtMdt.includes('kidney_left') && p.decideAtMdt.includes('kidney_right'));
        }
      }),
      RUNS,
    );
  });

  it('a structure named in an unresectability criterion is never planned for resection, reconstruction or preservation', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = evaluateRandom(input).resectionPlan;
        for (const m of p.resectability.criteria) {
          if (m.verdict !== 'unresectable') continue;
          for (const id of m.by) {
            if (!ORGANS_BY_ID.has(id) || p.applies === 'no') continue;
            assert.ok(!p.enBloc.includes(id), id);
            assert.ok(!p.vascular.some((v) => v.organ === id), id);
            assert.ok(!p.preserveUnlessInfiltrated.includes(id), id);
            assert.ok(p.decideAtMdt.includes(id), id);
          }
        }
        const reconstruct = p.vascular.some((v) => v.action === 'resect-and-reconstruct');
        assert.equal(p.preoperativeChecks.some((c) => c.id === 'vascular-surgeon'), reconstruct);
      }),
      RUNS,
    );
  });

  it('the spine, the aorta and the SMA (and coeliac trunk, portal vein) are never en bloc organs', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = evaluateRandom(input).resectionPlan;
        for (const id of ['spine', 'aorta', 'superior_mesenteric_artery', 'celiac_trunk', 'portal_vein']) assert.ok(!p.enBloc.includes(id), id);
      }),
      RUNS,
    );
  });

  it('the structure of origin is resected with the tumour (nerve en bloc, vein resected and reconstructed, renal vein with its kidney)', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = evaluateRandom(input).resectionPlan;
        if (p.applies === 'no') return;
        for (const id of [input.tumor?.imaging?.organOfOrigin, input.tumor?.imaging?.vesselOrigin]) {
          if (id === undefined || p.decideAtMdt.includes(id)) continue;
          assert.ok(!p.preserveUnlessInfiltrated.includes(id), `${id} preserved`);
          assert.ok(!p.vascular.some((v) => v.organ === id && v.action === 'dissect-free'), `${id} dissected free`);
          assert.ok(p.enBloc.includes(id) || p.vascular.some((v) => v.organ === id && v.action === 'resect-and-reconstruct'), `${id} not resected`);
          if (id.startsWith('renal_vein_')) assert.ok(p.enBloc.includes(id) && p.enBloc.includes(`kidney_${id.slice('renal_vein_'.length)}`), id);
          if (id === 'ivc') assert.ok(p.vascular.some((v) => v.organ === 'ivc' && v.action === 'resect-and-reconstruct'));
        }
      }),
      RUNS,
    );
  });

  it('sacrificing a motor nerve adds its deficit and a rehabilitation check', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = evaluateRandom(input).resectionPlan;
        for (const id of p.enBloc) {
          if (!id.startsWith('femoral_nerve_') && !id.startsWith('lumbosacral_plexus_')) continue;
          assert.ok(p.deficits.some((d) => d.organ === id && d.deficit.length > 0), id);
          assert.ok(p.preoperativeChecks.some((c) => c.id === 'motor-nerve-rehabilitation' && c.why.includes(ORGANS_BY_ID.get(id)!.label)), id);
        }
        for (const d of p.deficits) assert.ok(p.enBloc.includes(d.organ));
      }),
      RUNS,
    );
  });

  it('a plan never lists an organ in two categories, nor twice in one', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const p = evaluateRandom(input).resectionPlan;
        const all = [...p.enBloc, ...p.preserveUnlessInfiltrated, ...p.vascular.map((v) => v.organ), ...p.decideAtMdt];
        assert.equal(new Set(all).size, all.length, all.join(','));
      }),
      RUNS,
    );
  });

  it('an unconfirmed diagnosis never gets a plan that applies, nor an en bloc priority', () => {
    fc.assert(
      fc.property(caseArb, (input) => {
        const e = evaluateRandom(input);
        if (e.diagnosis.leading === null || e.diagnosis.leading.certainty === 'suspected') {
          assert.notEqual(e.resectionPlan.applies, 'yes');
          assert.ok(!e.strategy.priorities.some((p) => p.id === 'en-bloc-resection'));
          assert.equal(e.stage.provisional, true);
        }
      }),
      RUNS,
    );
  });
});
