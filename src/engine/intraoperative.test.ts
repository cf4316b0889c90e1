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

  it('the findings schema: each refusal names its field and says why, exactly; every kind of finding is accepted as given', () => {
    const TYPES = 'must be a finding with type one of infiltration, encasement, rupture, frozen_section, unresectable, bleeding, contralateral_kidney_unknown';
    const refused: [unknown, [string, string][]][] = [
      ['x', [['', 'must be a list of findings']]],
      [[], [['', 'must list at least one finding']]],
      [Array.from({ length: 31 }, () => ({ type: 'bleeding' })), [['', 'must list at most 30 findings']]],
      [[{}], [['[0].type', TYPES]]],
      [[{ type: 'teleport' }], [['[0].type', TYPES]]],
      [[{ type: 'infiltration' }], [['[0].structure', 'is required']]],
      [[{ type: 'infiltration', structure: 'colon_descending', extra: 1 }], [['[0].extra', 'is not a recognised field']]],
      [[{ type: 'encasement', structure: 'spleen' }], [['[0].structure', 'encasement applies to an artery or a vein']]],
      [[{ type: 'encasement', structure: 'ivc', occludedWithCollaterals: 'yes' }], [['[0].occludedWithCollaterals', 'must be true or false']]],
      [[{ type: 'rupture', extent: 'big' }], [['[0].extent', 'must be one of focal_capsular_breach, gross_spillage, piecemeal_removal']]],
      [
        [{ type: 'frozen_section', target: 'x', result: 'y' }],
        [
          ['[0].target', 'must be one of diagnosis, margin, nodule'],
          ['[0].result', 'must be one of tumour, no_tumour, indeterminate'],
        ],
      ],
      [[{ type: 'unresectable', criterion: 'x' }], [['[0].criterion', 'must be one of peritoneal_deposits, critical_vessel_no_plane, gross_residual_unavoidable, distant_metastasis']]],
      [[{ type: 'bleeding', extra: true }], [['[0].extra', 'is not a recognised field']]],
      [[{ type: 'contralateral_kidney_unknown', x: 1 }], [['[0].x', 'is not a recognised field']]],
    ];
    for (const [input, expected] of refused) {
      const r = validateFindings(input);
      assert.deepEqual(r.ok ? [] : r.errors.map((e) => [e.path, e.message]), expected, JSON.stringify(input).slice(0, 80));
    }
    const every: IntraopFinding[] = [
      { type: 'infiltration', structure: 'colon_descending' },
      { type: 'encasement', structure: 'aorta' },
      { type: 'encasement', structure: 'ivc', occludedWithCollaterals: true },
      { type: 'rupture', extent: 'gross_spillage' },
      { type: 'frozen_section', target: 'margin', result: 'no_tumour' },
      { type: 'unresectable', criterion: 'peritoneal_deposits' },
      { type: 'bleeding' },
      { type: 'contralateral_kidney_unknown' },
    ];
    assert.deepEqual(validateFindings(every), { ok: true, value: every });
  });
});

describe('intraoperative: the details of each decision, exactly (REFERENCE-2 §1)', () => {
  const ids = (d: ReturnType<typeof decide>['decisions'][number]) => [d.recommended.id, d.alternatives.map((a) => a.id)];
  it('an encased vein: resected and reconstructed, ligation the alternative; chronically occluded with collaterals, the two swap (§1.5)', () => {
    assert.deepEqual(ids(decide({ type: 'encasement', structure: 'ivc' }).decisions[0]!), ['resect-ivc-reconstruct', ['ligate-ivc']]);
    assert.deepEqual(ids(decide({ type: 'encasement', structure: 'ivc', occludedWithCollaterals: true }).decisions[0]!), ['ligate-ivc', ['resect-ivc-reconstruct']]);
  });
  it('a motor nerve or the plexus infiltrated: the nerve is documented (§1.6); another structure is not', () => {
    const documented = (structure: string) => decide({ type: 'infiltration', structure } as IntraopFinding).documentation.map((x) => x.id);
    assert.deepEqual(documented('femoral_nerve_left'), ['deviation-record', 'clips', 'orientation', 'nerve-record']);
    assert.deepEqual(documented('lumbosacral_plexus_left'), ['deviation-record', 'clips', 'orientation', 'nerve-record']);
    assert.deepEqual(documented('colon_descending'), ['deviation-record', 'clips', 'orientation']);
  });
  it('alternatives and notes of each other kind of finding', () => {
    const one = (f: IntraopFinding) => {
      const d = decide(f).decisions[0]!;
      return [d.alternatives.map((a) => a.id), d.notes];
    };
    assert.deepEqual(one({ type: 'rupture', extent: 'gross_spillage' }), [[], ['rupture is recorded as its own flag: it does not change the R status, which describes margins and gross residue']]);
    assert.deepEqual(one({ type: 'frozen_section', target: 'margin', result: 'tumour' }), [
      [],
      ['a frozen section of a margin of a large fatty tumour is unreliable (well-differentiated liposarcoma vs normal fat; sampling): do not extend or stop the resection on it alone'],
    ]);
    assert.deepEqual(one({ type: 'contralateral_kidney_unknown' }), [[], []]);
    assert.deepEqual(one({ type: 'unresectable', criterion: 'peritoneal_deposits' }), [['palliative-resection'], []]);
    assert.deepEqual(one({ type: 'bleeding' }), [['stop-expected-r2'], []]);
  });
  it("the re-derived plan keeps the case's own contacts and adds what was found", () => {
    const plan = decide({ type: 'infiltration', structure: 'spleen' }).updatedPlan;
    assert.deepEqual(plan.enBloc, ['kidney_left', 'colon_descending', 'spleen']);
    assert.deepEqual(plan.added, ['spleen']);
  });
  it('findings that make the tumour unresectable: every criterion met is named', () => {
    const r = decide(
      { type: 'infiltration', structure: 'aorta' },
      { type: 'infiltration', structure: 'superior_mesenteric_artery' },
      { type: 'infiltration', structure: 'pancreas_head' },
      { type: 'infiltration', structure: 'liver' },
    );
    assert.deepEqual(
      r.reasons.filter((x) => x.startsWith('With these findings')),
      ['With these findings the tumour meets a criterion of unresectability (infiltration of the SMA, aorta, coeliac trunk, portal vein or bone (spine); infiltration of several major organs (liver, pancreas, major vessels)).'],
    );
  });
  it('liposarcomas (any of the three codes) get the en bloc fat reason (§1.2); a leiomyosarcoma does not', () => {
    for (const [code, expected] of [['8850/3', true], ['8851/3', true], ['8858/3', true], ['8890/3', false]] as const) {
      const c = parseCase({ tumor: { sizeCm: 20, contacts: ['kidney_left'] }, pathology: { histology: code, grade: 'G2' } });
      assert.equal(intraoperative(c, [{ type: 'bleeding' }]).reasons.some((x) => x.startsWith('In liposarcoma the normal-looking fat')), expected, code);
    }
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

// Exact outputs for each branch of the decisions when reality differs from the plan, written by hand from
// REFERENCE-2 §1 and the rule tables (tables/intraoperative-rules.ts); the mutation run found most of them
// asserted only by presence.
describe('intraoperative: each branch, exactly (REFERENCE-2 §1)', () => {
  const BASE_DOCS = ['deviation-record', 'clips', 'orientation'];
  const FAT = 'In liposarcoma the normal-looking fat around the tumour is often well-differentiated tumour: take it en bloc (REFERENCE-2 §1.2, SCAN-2015).';
  const DEVIATION = { code: 'plan-deviation', message: 'the operation deviates from the pre-operative plan: record the change and its reason', sources: ['NG-SWALLOW-2018'], evidence: 'consensus' };
  const LMS = parseCase({ tumor: { sizeCm: 12, side: 'right' }, pathology: { histology: '8890/3', specimen: 'core_biopsy' } });
  const docs = (d: ReturnType<typeof decide>) => d.documentation.map((x) => x.id);

  it('bleeding alone: control first, anaesthetist called with the reason; no deviation; margin still possible; exact sources', () => {
    const d = decide({ type: 'bleeding' });
    assert.deepEqual(d.decisions.map((x) => [x.finding, x.summary, x.recommended.id, x.alternatives.map((a) => a.id), x.notes]), [[0, 'bleeding or haemodynamic instability', 'control-haemorrhage', ['stop-expected-r2'], []]]);
    assert.deepEqual(d.call, [{ team: 'anaesthesia', label: 'anaesthetist', why: 'bleeding or haemodynamic instability' }]);
    assert.deepEqual(d.reasons, ['Haemorrhage control comes first; the reference gives no oncological rule for it (consensus).', FAT]);
    assert.deepEqual(d.warnings, []);
    assert.deepEqual(docs(d), BASE_DOCS);
    assert.equal(d.intent, 'continue-curative');
    assert.deepEqual(d.expectedMargin, { status: 'macroscopically-complete-possible', why: 'no finding prevents a macroscopically complete resection' });
    assert.deepEqual(d.updatedPlan.added, []);
    // control-haemorrhage, then stop-expected-r2, then the three documentation items' sources.
    assert.deepEqual(d.sources, ['MACNEILL-2018', 'NG-SWALLOW-2018', 'STRASS2', 'SCAN-2015', 'UMICH-GROSS']);
  });

  it('not a liposarcoma: no "take the fat en bloc" line', () => {
    const d = intraoperative(LMS, [{ type: 'bleeding' }]);
    assert.deepEqual(d.reasons, ['Haemorrhage control comes first; the reference gives no oncological rule for it (consensus).']);
  });

  it('an unexpected resectable infiltration: the resection is extended, margin possible if it is done; deviation recorded; HPB called', () => {
    const d = decide({ type: 'infiltration', structure: 'duodenum' });
    assert.deepEqual(d.expectedMargin, { status: 'macroscopically-complete-possible', why: 'macroscopically complete (R0/R1) if the extended en bloc resection is done' });
    assert.deepEqual(d.warnings, [DEVIATION]);
    assert.equal(d.decisions[0]!.summary, 'infiltration of the duodenum (2nd–4th part)');
    assert.deepEqual(d.call, [{ team: 'hepatobiliary', label: 'hepatobiliary (HPB) surgeon', why: 'infiltration of the duodenum (2nd–4th part)' }]);
    assert.equal(d.reasons[0], `unexpected infiltration of the duodenum or pancreatic head: ${d.decisions[0]!.recommended.label} (REFERENCE-2 §1).`);
    assert.deepEqual(docs(d), BASE_DOCS);
  });

  it('a structure no rule names: extend the en bloc resection, stop and re-plan as the alternative', () => {
    const d = intraoperative(LMS, [{ type: 'infiltration', structure: 'psoas_right' }]);
    assert.equal(d.decisions[0]!.recommended.id, 'extend-en-bloc');
    assert.deepEqual(d.decisions[0]!.alternatives.map((a) => a.id), ['stop-and-replan']);
    assert.equal(d.decisions[0]!.summary, 'infiltration of the right psoas muscle');
    assert.equal(d.reasons[0], 'unexpected infiltration of a structure that can be removed with the tumour: extend the en bloc resection to include the infiltrated structure (REFERENCE-2 §1).');
    assert.deepEqual(d.call, []);
    assert.equal(d.intent, 'continue-curative');
  });

  it('SMA infiltrated: dissect only if a plane exists (with the no-plane note); the margin is not determined; the re-derived plan names the criterion', () => {
    const d = decide({ type: 'infiltration', structure: 'superior_mesenteric_artery' });
    assert.deepEqual(d.decisions[0]!.notes, ['if no plane exists, only an R2 resection is achievable: stop and re-plan at the MDT']);
    assert.equal(d.intent, 'continue-curative');
    assert.deepEqual(d.expectedMargin, { status: 'not-determined', why: 'whether a plane exists decides between R0/R1 and R2' });
    assert.ok(d.reasons.includes('With these findings the tumour meets a criterion of unresectability (infiltration of the SMA, aorta, coeliac trunk, portal vein or bone (spine)).'), d.reasons.join(' | '));
    assert.deepEqual(d.call, [{ team: 'vascular', label: 'vascular surgeon', why: 'infiltration of the superior mesenteric artery' }]);
  });

  it('no unresectability line when the re-derived plan stays resectable', () => {
    assert.ok(!decide({ type: 'infiltration', structure: 'duodenum' }).reasons.some((r) => r.startsWith('With these findings')));
  });

  it('spine infiltrated: stop; the margin depends on the next decision (not gross residual yet)', () => {
    const d = decide({ type: 'infiltration', structure: 'spine' });
    assert.deepEqual(d.decisions[0]!.notes, ['bone infiltration is a STRASS2 criterion of unresectability']);
    assert.deepEqual(d.expectedMargin, { status: 'not-determined', why: 'the resection stops for re-planning; the margin depends on the next decision' });
    assert.deepEqual(d.call, []);
  });

  it('a criterion of unresectability with another stopping finding: gross residual wins; each finding keeps its index', () => {
    const d = decide({ type: 'infiltration', structure: 'spine' }, { type: 'unresectable', criterion: 'peritoneal_deposits' });
    assert.deepEqual(d.expectedMargin, { status: 'gross-residual-expected', why: 'a finding leaves disease that cannot be removed (R2)' });
    assert.deepEqual(d.decisions.map((x) => x.finding), [0, 1]);
    assert.equal(d.decisions[1]!.summary, 'criterion of unresectability: peritoneal deposits');
    assert.ok(d.reasons.includes('Only a gross-residual (R2) resection is achievable: debulking brings no oncological benefit (REFERENCE-2 §1.1, rule intraop.expected_R2).'));
    assert.deepEqual(docs(d), [...BASE_DOCS, 'residual-extent']);
    assert.equal(d.intent, 'stop-and-replan');
  });

  it('an occluded IVC with collaterals: ligation recommended, graft reconstruction the first alternative; an artery has no ligation and stays', () => {
    const ivc = decide({ type: 'encasement', structure: 'ivc', occludedWithCollaterals: true }).decisions[0]!;
    assert.equal(ivc.recommended.id, 'ligate-ivc');
    assert.deepEqual(ivc.alternatives.map((a) => a.id), ['resect-ivc-reconstruct']);
    assert.equal(ivc.summary, 'encasement of the inferior vena cava');
    const patent = decide({ type: 'encasement', structure: 'ivc', occludedWithCollaterals: false }).decisions[0]!;
    assert.equal(patent.recommended.id, 'resect-ivc-reconstruct');
    assert.deepEqual(patent.alternatives.map((a) => a.id), ['ligate-ivc']);
    const artery = decide({ type: 'encasement', structure: 'iliac_artery_left', occludedWithCollaterals: true });
    assert.equal(artery.decisions[0]!.recommended.id, 'resect-iliac-artery-reconstruct');
    assert.deepEqual(artery.call, [{ team: 'vascular', label: 'vascular surgeon', why: 'encasement of the left iliac artery' }]);
    // The same structure infiltrated (not encased) never switches to ligation.
    assert.equal(decide({ type: 'infiltration', structure: 'ivc' }).decisions[0]!.recommended.id, 'resect-ivc-reconstruct');
  });

  it('other kidney unknown: a renal vein or the kidney is not taken for a margin alone, whatever the finding order; other structures unaffected', () => {
    const vein = decide({ type: 'encasement', structure: 'renal_vein_left' }, { type: 'contralateral_kidney_unknown' });
    assert.equal(vein.decisions[0]!.recommended.id, 'confirm-contralateral-kidney');
    assert.deepEqual(vein.decisions[0]!.alternatives.map((a) => a.id), ['resect-with-kidney', 'stop-and-replan']);
    assert.deepEqual(vein.decisions[1]!.summary, 'function of the other kidney unknown');
    assert.deepEqual(vein.call, [{ team: 'urology', label: 'urologist', why: 'function of the other kidney unknown' }]);
    assert.ok(vein.reasons.includes('A kidney is not removed for a margin alone while the other kidney is unconfirmed (REFERENCE-2 §1.7).'));
    // Not a resection of the structure, so the margin is not promised either.
    assert.deepEqual(vein.expectedMargin, { status: 'not-determined', why: 'whether a plane exists decides between R0/R1 and R2' });
    const kidney = decide({ type: 'infiltration', structure: 'kidney_left' }, { type: 'contralateral_kidney_unknown' });
    assert.equal(kidney.decisions[0]!.recommended.id, 'confirm-contralateral-kidney');
    const known = decide({ type: 'encasement', structure: 'renal_vein_left' });
    assert.equal(known.decisions[0]!.recommended.id, 'resect-with-kidney');
    const liver = decide({ type: 'infiltration', structure: 'liver' }, { type: 'contralateral_kidney_unknown' });
    assert.equal(liver.decisions[0]!.recommended.id, 'non-anatomic-liver-resection');
  });

  it('the lumbosacral plexus also brings the nerve record; other structures do not', () => {
    assert.deepEqual(docs(decide({ type: 'infiltration', structure: 'lumbosacral_plexus_left' })), [...BASE_DOCS, 'nerve-record']);
    assert.deepEqual(docs(decide({ type: 'infiltration', structure: 'liver' })), BASE_DOCS);
  });

  it('rupture: its decision, note, reason and warning word for word', () => {
    const d = decide({ type: 'rupture', extent: 'gross_spillage' });
    assert.equal(d.decisions[0]!.summary, 'tumour rupture (gross spillage)');
    assert.deepEqual(d.decisions[0]!.alternatives, []);
    assert.deepEqual(d.decisions[0]!.notes, ['rupture is recorded as its own flag: it does not change the R status, which describes margins and gross residue']);
    assert.deepEqual(d.reasons, ['Rupture is an independent adverse factor and is kept separate from the margin (REFERENCE-2 §1.3).', FAT]);
    assert.deepEqual(d.warnings, [{ code: 'rupture', message: 'rupture carries a high risk of peritoneal recurrence; discuss at the MDT', sources: ['BONVALOT-2009'], evidence: 'consensus' }]);
    assert.deepEqual(docs(d), [...BASE_DOCS, 'rupture-record']);
    assert.deepEqual(d.call, []);
  });

  it('frozen sections: a margin or diagnosis reported as tumour does not stop; only a separate nodule confirmed as tumour does', () => {
    const margin = decide({ type: 'frozen_section', target: 'margin', result: 'tumour' });
    assert.equal(margin.intent, 'continue-curative');
    assert.equal(margin.decisions[0]!.recommended.id, 'frozen-section-margin');
    assert.equal(margin.decisions[0]!.summary, 'frozen section of a margin: tumour');
    assert.equal(margin.reasons[0], 'Frozen section (margin): a frozen section of a margin of a large fatty tumour is unreliable (well-differentiated liposarcoma vs normal fat; sampling): do not extend or stop the resection on it alone (REFERENCE-2 §1.4).');
    assert.deepEqual(margin.expectedMargin.status, 'macroscopically-complete-possible');
    assert.equal(decide({ type: 'frozen_section', target: 'diagnosis', result: 'tumour' }).intent, 'continue-curative');
    const indeterminate = decide({ type: 'frozen_section', target: 'nodule', result: 'indeterminate' });
    assert.equal(indeterminate.intent, 'continue-curative');
    assert.equal(indeterminate.decisions[0]!.recommended.id, 'frozen-section-nodule');
    const deposit = decide({ type: 'frozen_section', target: 'nodule', result: 'tumour' });
    assert.equal(deposit.decisions[0]!.recommended.id, 'stop-expected-r2');
    assert.equal(deposit.decisions[0]!.summary, 'frozen section of a separate nodule: tumour');
    assert.equal(deposit.decisions[0]!.notes[1], 'a separate tumour deposit confirmed: curative intent ends');
    assert.deepEqual(docs(deposit), [...BASE_DOCS, 'residual-extent']);
  });
});
