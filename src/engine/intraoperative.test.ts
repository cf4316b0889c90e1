import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCase } from './model/validation.ts';
import { intraoperative, validateFindings, type IntraopFinding } from './intraoperative.ts';
import { ORGAN_IDS } from './tables/anatomy.ts';
import { SOURCES } from './tables/sources.ts';
import { propertyRuns } from '../../test/support/property-runs.ts';

/** The seed's 22 cm left DD-LPS abutting the left kidney and descending colon. */
const DDLPS = parseCase({
  patient: { ageYears: 58, sex: 'male' },
  tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left', 'colon_descending'] },
  pathology: { histology: '8858/3', markers: { MDM2: 'amplified' }, specimen: 'core_biopsy' },
});

const decide = (...findings: IntraopFinding[]) => intraoperative(DDLPS, findings);

describe('intra-operative decisions (REFERENCE-2 §1): one golden case per finding type', () => {
  it('duodenal infiltration: pancreaticoduodenectomy only if it converts to R0/R1, else stop; call HPB (§1.2)', () => {
    const d = decide({ type: 'infiltration', structure: 'duodenum' });
    assert.equal(d.decisions[0]!.recommended.id, 'pancreaticoduodenectomy-if-r0');
    assert.deepEqual(d.decisions[0]!.alternatives.map((a) => a.id), ['stop-and-replan']);
    assert.deepEqual(d.call.map((c) => c.team), ['hepatobiliary']);
    assert.deepEqual(d.updatedPlan.added, ['duodenum']);
    assert.equal(d.intent, 'continue-curative');
    assert.ok(d.sources.includes('MACNEILL-2018'));
    assert.ok(d.warnings.some((w) => w.code === 'plan-deviation'));
  });

  it('liver: non-anatomic resection of the invaded part; spleen: distal pancreatectomy ± splenectomy and vaccination (§1.2)', () => {
    assert.equal(decide({ type: 'infiltration', structure: 'liver' }).decisions[0]!.recommended.id, 'non-anatomic-liver-resection');
    const spleen = decide({ type: 'infiltration', structure: 'spleen' }).decisions[0]!;
    assert.equal(spleen.recommended.id, 'distal-pancreatectomy-splenectomy');
    assert.match(spleen.recommended.consequences.join(' '), /vaccinate/);
  });

  it('patent IVC encased: resect and reconstruct with a graft; occluded with collaterals: ligation becomes the recommendation (§1.5)', () => {
    const patent = decide({ type: 'encasement', structure: 'ivc' });
    assert.equal(patent.decisions[0]!.recommended.id, 'resect-ivc-reconstruct');
    assert.deepEqual(patent.call.map((c) => c.team), ['vascular']);
    const occluded = decide({ type: 'encasement', structure: 'ivc', occludedWithCollaterals: true });
    assert.equal(occluded.decisions[0]!.recommended.id, 'ligate-ivc');
    assert.ok(occluded.decisions[0]!.alternatives.some((a) => a.id === 'resect-ivc-reconstruct'));
  });

  it('iliac artery: always reconstruct; iliac vein: ligation often tolerated at the price of leg oedema (§1.5)', () => {
    assert.equal(decide({ type: 'encasement', structure: 'iliac_artery_left' }).decisions[0]!.recommended.id, 'resect-iliac-artery-reconstruct');
    assert.match(decide({ type: 'encasement', structure: 'iliac_vein_left' }).decisions[0]!.recommended.consequences.join(' '), /oedema/);
  });

  it('SMA infiltration: sub-adventitial dissection only if a plane exists; the re-derived plan is unresectable (§1.2, STRASS2)', () => {
    const d = decide({ type: 'infiltration', structure: 'superior_mesenteric_artery' });
    assert.equal(d.decisions[0]!.recommended.id, 'subadventitial-dissection-if-plane');
    assert.equal(d.updatedPlan.resectability.status, 'unresectable');
    assert.equal(d.expectedMargin.status, 'not-determined');
    assert.ok(!d.updatedPlan.added.includes('superior_mesenteric_artery'));
  });

  it('spine infiltrated: stop and re-plan', () => {
    const d = decide({ type: 'infiltration', structure: 'spine' });
    assert.equal(d.intent, 'stop-and-replan');
    assert.equal(d.decisions[0]!.recommended.id, 'stop-and-replan');
  });

  it('femoral nerve: sacrifice only for direct infiltration, with its deficit, rehabilitation and a record for follow-up (§1.6)', () => {
    const d = decide({ type: 'infiltration', structure: 'femoral_nerve_left' });
    const rec = d.decisions[0]!.recommended;
    assert.equal(rec.id, 'sacrifice-nerve-if-infiltrated');
    assert.match(rec.consequences.join(' '), /knee extension/);
    assert.match(rec.consequences.join(' '), /physiotherapy/);
    assert.ok(d.documentation.some((x) => x.id === 'nerve-record'));
    assert.deepEqual(d.decisions[0]!.alternatives.map((a) => a.id), ['preserve-nerve']);
  });

  it('kidney infiltrated with the other kidney known: nephrectomy; unknown: not for a margin alone (§1.7)', () => {
    assert.equal(decide({ type: 'infiltration', structure: 'kidney_left' }).decisions[0]!.recommended.id, 'nephrectomy-en-bloc');
    const unknown = decide({ type: 'contralateral_kidney_unknown' }, { type: 'infiltration', structure: 'kidney_left' });
    assert.equal(unknown.decisions[1]!.recommended.id, 'confirm-contralateral-kidney');
    assert.ok(unknown.decisions[1]!.alternatives.some((a) => a.id === 'nephrectomy-en-bloc'));
    assert.ok(unknown.call.some((c) => c.team === 'urology'));
  });

  it('rupture: continue and document; a warning of peritoneal recurrence; never turned into an R status (§1.3)', () => {
    for (const extent of ['focal_capsular_breach', 'gross_spillage', 'piecemeal_removal'] as const) {
      const d = decide({ type: 'rupture', extent });
      assert.equal(d.decisions[0]!.recommended.id, 'continue-and-document-rupture');
      assert.ok(d.documentation.some((x) => x.id === 'rupture-record'));
      assert.ok(d.warnings.some((w) => w.code === 'rupture' && /peritoneal recurrence/.test(w.message)));
      assert.equal(d.expectedMargin.status, 'macroscopically-complete-possible');
      assert.equal(d.intent, 'continue-curative');
    }
  });

  it('frozen sections: never the basis of the diagnosis, unreliable on fatty margins; a tumour nodule ends curative intent (§1.4)', () => {
    assert.match(decide({ type: 'frozen_section', target: 'diagnosis', result: 'tumour' }).decisions[0]!.recommended.label, /pre-operative core biopsy/);
    assert.match(decide({ type: 'frozen_section', target: 'margin', result: 'no_tumour' }).decisions[0]!.recommended.label, /unreliable/);
    assert.equal(decide({ type: 'frozen_section', target: 'nodule', result: 'no_tumour' }).intent, 'continue-curative');
    const deposit = decide({ type: 'frozen_section', target: 'nodule', result: 'tumour' });
    assert.equal(deposit.intent, 'stop-and-replan');
    assert.equal(deposit.expectedMargin.status, 'gross-residual-expected');
  });

  it('a criterion of unresectability: stop (rule intraop.expected_R2), palliation only for symptoms, document the residual extent (§1.1)', () => {
    const d = decide({ type: 'unresectable', criterion: 'peritoneal_deposits' });
    assert.equal(d.intent, 'stop-and-replan');
    assert.equal(d.decisions[0]!.recommended.id, 'stop-expected-r2');
    assert.deepEqual(d.decisions[0]!.alternatives.map((a) => a.id), ['palliative-resection']);
    assert.equal(d.expectedMargin.status, 'gross-residual-expected');
    assert.ok(d.documentation.some((x) => x.id === 'residual-extent'));
  });

  it('bleeding: control first; anaesthetist called', () => {
    const d = decide({ type: 'bleeding' });
    assert.equal(d.decisions[0]!.recommended.id, 'control-haemorrhage');
    assert.ok(d.call.some((c) => c.team === 'anaesthesia'));
  });

  it('liposarcoma: the surrounding fat goes en bloc (SCAN-2015)', () => {
    assert.ok(decide({ type: 'bleeding' }).reasons.some((r) => /normal-looking fat/.test(r)));
  });

  it('findings are validated with field paths: unknown type, a non-vessel encased, unknown organ', () => {
    const r = validateFindings([{ type: 'teleport' }, { type: 'encasement', structure: 'spleen' }, { type: 'infiltration', structure: 'heart' }]);
    assert.equal(r.ok, false);
    const paths = r.ok ? [] : r.errors.map((e) => e.path);
    assert.deepEqual(paths, ['[0].type', '[1].structure', '[2].structure']);
    assert.equal(validateFindings([]).ok, false);
  });
});

describe('intra-operative invariants (properties)', () => {
  const finding: fc.Arbitrary<IntraopFinding> = fc.oneof(
    fc.constantFrom(...ORGAN_IDS).map((structure) => ({ type: 'infiltration' as const, structure })),
    fc.constantFrom('focal_capsular_breach', 'gross_spillage', 'piecemeal_removal').map((extent) => ({ type: 'rupture' as const, extent })),
    fc.constantFrom('peritoneal_deposits', 'critical_vessel_no_plane', 'gross_residual_unavoidable', 'distant_metastasis').map((criterion) => ({ type: 'unresectable' as const, criterion })),
    fc.constant({ type: 'bleeding' as const }),
    fc.constant({ type: 'contralateral_kidney_unknown' as const }),
  );

  it('one decision per finding, each with a label and known sources; added organs were found infiltrated; a criterion of unresectability always stops', () => {
    fc.assert(
      fc.property(fc.array(finding, { minLength: 1, maxLength: 6 }), (findings) => {
        const d = intraoperative(DDLPS, findings);
        assert.equal(d.decisions.length, findings.length);
        for (const decision of d.decisions) {
          assert.ok(decision.recommended.label.length > 0);
          for (const s of decision.recommended.sources) assert.ok(s in SOURCES, s);
        }
        const infiltrated = new Set(findings.flatMap((f) => (f.type === 'infiltration' ? [f.structure] : [])));
        for (const organ of d.updatedPlan.added) assert.ok(infiltrated.has(organ), organ);
        if (findings.some((f) => f.type === 'unresectable')) {
          assert.equal(d.intent, 'stop-and-replan');
          assert.equal(d.expectedMargin.status, 'gross-residual-expected');
        }
        // Rupture alone never changes the expected margin (REFERENCE-2 §1.3).
        if (findings.every((f) => f.type === 'rupture')) assert.equal(d.expectedMargin.status, 'macroscopically-complete-possible');
      }),
      { numRuns: propertyRuns(400) },
    );
  });
});
