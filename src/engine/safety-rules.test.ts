import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCase, parseCase, type CaseInput, type Evaluation } from './index.ts';

/**
 * Every trigger path of every safety rule on its own, and each way it must not fire (issue 16, item 2):
 * red flags, "must exclude first" and the unresectability criteria, with the margin and pathway states.
 * Each row is one path; expectations come from REFERENCE §3.1/§5 and REFERENCE-2, written by hand.
 */
const run = (input: CaseInput): Evaluation => evaluateCase(parseCase(input));
const flags = (input: CaseInput) => run(input).diagnosis.redFlags.map((f) => f.id);
const exclusions = (input: CaseInput) => run(input).diagnosis.mustExcludeFirst.map((x) => x.id);

type Row = [name: string, input: CaseInput, fires: boolean];
function table(rule: string, rows: Row[], read: (input: CaseInput) => string[]): void {
  for (const [name, input, fires] of rows) {
    it(`${fires ? 'fires' : 'does not fire'}: ${name}`, () => {
      assert.equal(read(input).includes(rule), fires);
    });
  }
}

const ADRENAL = { organOfOrigin: 'adrenal_left' as const };
describe('red flag: metanephrines before any biopsy or surgery (REFERENCE §3.1, Vanderveen 2009)', () => {
  table(
    'metanephrines-before-biopsy',
    [
      ['hypervascular mass, paraganglioma not excluded', { tumor: { imaging: { hypervascular: true } } }, true],
      ['adrenal-origin mass WITHOUT hypervascularity', { tumor: { imaging: { ...ADRENAL, hypervascular: false } } }, true],
      ['adrenal-origin mass, chromogranin-negative core', { tumor: { imaging: ADRENAL }, pathology: { markers: { chromogranin: 'negative' } } }, true],
      ['adrenal-origin mass with a pathologist\'s histology (adrenalectomy ahead)', { tumor: { imaging: ADRENAL }, pathology: { histology: '8370/3' } }, true],
      ['paraganglioma supported by markers, no imaging', { pathology: { markers: { chromogranin: 'positive', synaptophysin: 'positive' } } }, true],
      ['pathologist\'s histology paraganglioma', { pathology: { histology: '8693/3' } }, true],
      ['metanephrines recorded raised', { workup: { metanephrines: 'raised' } }, true],
      ['hypervascular, but chromogranin negative and not adrenal', { tumor: { imaging: { hypervascular: true } }, pathology: { markers: { chromogranin: 'negative' } } }, false],
      ['adrenal-origin mass with metanephrines normal', { tumor: { imaging: { ...ADRENAL, hypervascular: true } }, workup: { metanephrines: 'normal' } }, false],
      ['no imaging feature pointing to it', { tumor: { imaging: { macroscopicFat: true } } }, false],
      ['non-adrenal, not hypervascular', { tumor: { imaging: { organOfOrigin: 'psoas_left', hypervascular: false } } }, false],
    ],
    flags,
  );
  it('wording follows the pathway: "before any biopsy" only when not yet biopsied', () => {
    const untreated = run({ tumor: { imaging: ADRENAL } }).diagnosis.redFlags.find((f) => f.id === 'metanephrines-before-biopsy')!;
    const biopsied = run({ tumor: { imaging: ADRENAL }, history: [{ kind: 'biopsy', method: 'core' }] }).diagnosis.redFlags.find((f) => f.id === 'metanephrines-before-biopsy')!;
    assert.match(untreated.message, /before any biopsy or surgery/);
    assert.match(biopsied.message, /before any further biopsy and before surgery/);
  });
  it('raised metanephrines: no biopsy, α-blockade before surgery', () => {
    assert.match(run({ workup: { metanephrines: 'raised' } }).diagnosis.redFlags.find((f) => f.id === 'metanephrines-before-biopsy')!.message, /α-blockade/);
  });
});

describe('must exclude first: paraganglioma', () => {
  table(
    'paraganglioma',
    [
      ['adrenal origin without hypervascularity', { tumor: { imaging: ADRENAL } }, true],
      ['hypervascular mass', { tumor: { imaging: { hypervascular: true } } }, true],
      ['adrenal origin after a chromogranin-negative core', { tumor: { imaging: ADRENAL }, pathology: { markers: { chromogranin: 'negative' } } }, true],
      ['metanephrines normal', { tumor: { imaging: ADRENAL }, workup: { metanephrines: 'normal' } }, false],
      ['metanephrines raised: no longer to exclude — it is the diagnosis to treat', { tumor: { imaging: ADRENAL }, workup: { metanephrines: 'raised' } }, false],
      ['nothing points to it', { tumor: { imaging: { macroscopicFat: true } } }, false],
    ],
    exclusions,
  );
  it('comes before the biopsy, not only before the resection', () => {
    assert.equal(run({ tumor: { imaging: ADRENAL } }).diagnosis.mustExcludeFirst.find((x) => x.id === 'paraganglioma')!.before, 'biopsy');
  });
});

describe('must exclude first: lymphoma (REFERENCE §3.1 [C])', () => {
  table(
    'lymphoma',
    [
      ['no tissue, no diagnosis', { tumor: { sizeCm: 10 } }, true],
      ['suspected sarcoma from imaging', { tumor: { imaging: { macroscopicFat: true, solidComponent: true } } }, true],
      ['IHC-only sarcoma suspicion, CD45 not tested', { pathology: { markers: { desmin: 'positive', SMA: 'positive', caldesmon: 'positive' } } }, true],
      ['CD45 negative on the biopsy', { pathology: { markers: { CD45: 'negative', desmin: 'positive' } } }, false],
      ['pathologist\'s sarcoma histology', { pathology: { histology: '8858/3' } }, false],
      ['liposarcoma confirmed by MDM2 amplification', { pathology: { markers: { MDM2: 'amplified' } } }, false],
    ],
    exclusions,
  );
});

describe('must exclude first: germ-cell tumour (REFERENCE §3.1 [C])', () => {
  table(
    'germ-cell',
    [
      ['no diagnosis, a man', { patient: { sex: 'male', ageYears: 60 } }, true],
      ['no diagnosis, a woman', { patient: { sex: 'female', ageYears: 30 } }, true],
      ['a man, AFP/β-hCG normal but no testicular ultrasound yet', { patient: { sex: 'male', ageYears: 30 }, workup: { afpHcg: 'normal' } }, true],
      ['a man, AFP/β-hCG and testicular ultrasound normal', { patient: { sex: 'male', ageYears: 30 }, workup: { afpHcg: 'normal', testicularUltrasound: 'normal' } }, false],
      ['a woman, AFP/β-hCG normal (no ultrasound for her)', { patient: { sex: 'female', ageYears: 30 }, workup: { afpHcg: 'normal' } }, false],
      ['germ-cell excluded by SALL4 negative', { pathology: { markers: { SALL4: 'negative' } } }, false],
      ['pathologist\'s sarcoma histology', { patient: { sex: 'male', ageYears: 25 }, pathology: { histology: '8890/3' } }, false],
    ],
    exclusions,
  );
  it('the message asks a testicular ultrasound for a man, never for a woman, and says so when sex is not recorded', () => {
    const msg = (input: CaseInput) => run(input).diagnosis.mustExcludeFirst.find((x) => x.id === 'germ-cell')!.message;
    assert.match(msg({ patient: { sex: 'male' } }), /AFP and β-hCG and a testicular ultrasound/);
    assert.doesNotMatch(msg({ patient: { sex: 'female' } }), /testicular/);
    assert.match(msg({}), /if the patient has testes/);
  });
});

describe('red flag: germ-cell markers', () => {
  table(
    'germ-cell-markers',
    [
      ['germ-cell supported by SALL4 and OCT3/4', { pathology: { markers: { SALL4: 'positive', OCT34: 'positive' } } }, true],
      ['pathologist\'s histology germ-cell tumour', { pathology: { histology: '9064/3' } }, true],
      ['a young man with no diagnosis', { patient: { sex: 'male', ageYears: 24 } }, true],
      ['an older man with no diagnosis (germ-cell only possible)', { patient: { sex: 'male', ageYears: 70 } }, false],
      ['a young woman with no diagnosis', { patient: { sex: 'female', ageYears: 24 } }, false],
      ['a young man with a confirmed sarcoma', { patient: { sex: 'male', ageYears: 24 }, pathology: { histology: '8858/3' } }, false],
      ['a young man after normal AFP/β-hCG and ultrasound', { patient: { sex: 'male', ageYears: 24 }, workup: { afpHcg: 'normal', testicularUltrasound: 'normal' } }, false],
    ],
    flags,
  );
});

describe('red flag: lymphoma — do not resect', () => {
  table(
    'lymphoma-no-resection',
    [
      ['CD45 positive', { pathology: { markers: { CD45: 'positive' } } }, true],
      ['pathologist\'s histology lymphoma', { pathology: { histology: '9590/3' } }, true],
      ['CD45 negative', { pathology: { markers: { CD45: 'negative' } } }, false],
      ['no tissue (lymphoma only possible)', { tumor: { sizeCm: 10 } }, false],
    ],
    flags,
  );
});

describe('red flag: MDM2 must be tested in a pleomorphic/undifferentiated retroperitoneal sarcoma', () => {
  table(
    'mdm2-untested-pleomorphic',
    [
      ['UPS 8802/3', { pathology: { histology: '8802/3' } }, true],
      ['sarcoma NOS 8800/3', { pathology: { histology: '8800/3' } }, true],
      ['undifferentiated sarcoma 8805/3', { pathology: { histology: '8805/3' } }, true],
      ['pleomorphic liposarcoma 8854/3', { pathology: { histology: '8854/3' } }, true],
      ['UPS with MDM2 tested', { pathology: { histology: '8802/3', markers: { MDM2: 'not_amplified' } } }, false],
      ['leiomyosarcoma', { pathology: { histology: '8890/3' } }, false],
    ],
    flags,
  );
});

describe('red flag: exclude lymphoma and germ-cell tumour before resection', () => {
  table(
    'exclude-lymphoma-germ-cell',
    [
      ['no diagnosis', { tumor: { sizeCm: 10 } }, true],
      ['a suspected sarcoma', { tumor: { imaging: { macroscopicFat: true, solidComponent: true } } }, true],
      ['a pathologist\'s sarcoma', { pathology: { histology: '8858/3' } }, false],
      ['a suspected non-sarcoma (lymphoma supported)', { pathology: { markers: { CD45: 'positive' } } }, false],
      ['lymphoma and germ-cell tumour both excluded', { pathology: { markers: { CD45: 'negative', SALL4: 'negative', desmin: 'positive', SMA: 'positive', caldesmon: 'positive' } } }, false],
    ],
    flags,
  );
});

describe('red flag: never shell out or piecemeal — only before any resection, in every margin and pathway state', () => {
  const DDLPS: CaseInput = { tumor: { sizeCm: 20 }, pathology: { histology: '8858/3' } };
  table(
    'no-shell-out-or-piecemeal',
    [
      ['confirmed sarcoma, untreated', DDLPS, true],
      ['confirmed sarcoma, already biopsied', { ...DDLPS, history: [{ kind: 'biopsy', method: 'core' }] }, true],
      ['suspected sarcoma', { tumor: { imaging: { macroscopicFat: true, solidComponent: true } } }, true],
      ['only an exploration before (nothing removed)', { ...DDLPS, history: [{ kind: 'surgery', resectionType: 'exploratory' }] }, true],
      ['recurrent presentation with no resection recorded', { ...DDLPS, presentation: 'recurrent' }, true],
      ['after R0 here', { ...DDLPS, surgery: { margin: 'R0' } }, false],
      ['after R1 here', { ...DDLPS, surgery: { margin: 'R1' } }, false],
      ['after R2 here', { ...DDLPS, surgery: { margin: 'R2' } }, false],
      ['after a complete resection elsewhere', { ...DDLPS, history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'complete', margin: 'R1' }] }, false],
      ['after a shell-out elsewhere', { ...DDLPS, history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'shell_out' }] }, false],
      ['after a piecemeal resection elsewhere', { ...DDLPS, history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'piecemeal', rupture: true }] }, false],
      ['after an intralesional resection', { ...DDLPS, history: [{ kind: 'surgery', resectionType: 'intralesional' }] }, false],
      ['not a sarcoma', { pathology: { histology: '9590/3' } }, false],
    ],
    flags,
  );
});

describe('unresectability criteria (REFERENCE §5, STRASS2): each path on its own', () => {
  const criteria = (tumor: CaseInput['tumor']) => run({ tumor, pathology: { histology: '8858/3' } }).resectionPlan.resectability;
  const rows: [name: string, tumor: CaseInput['tumor'], id: string, status: 'unresectable' | 'borderline' | 'resectable'][] = [
    ['aorta infiltrated', { infiltrates: ['aorta'] }, 'critical-structure-infiltrated', 'unresectable'],
    ['SMA infiltrated', { infiltrates: ['superior_mesenteric_artery'] }, 'critical-structure-infiltrated', 'unresectable'],
    ['coeliac trunk infiltrated', { infiltrates: ['celiac_trunk'] }, 'critical-structure-infiltrated', 'unresectable'],
    ['portal vein infiltrated', { infiltrates: ['portal_vein'] }, 'critical-structure-infiltrated', 'unresectable'],
    ['spine infiltrated', { infiltrates: ['spine'] }, 'critical-structure-infiltrated', 'unresectable'],
    ['arising from the aorta', { imaging: { vesselOrigin: 'aorta' } }, 'critical-structure-infiltrated', 'unresectable'],
    ['growth into the spinal canal', { extension: ['spinal_canal'] }, 'spinal-canal', 'unresectable'],
    ['IVC LMS to the right atrium', { extension: ['right_atrium'] }, 'right-atrium', 'unresectable'],
    ['liver and pancreatic head infiltrated', { infiltrates: ['liver', 'pancreas_head'] }, 'several-major-organs', 'unresectable'],
    ['liver alone infiltrated', { infiltrates: ['liver'] }, 'one-major-organ', 'borderline'],
    ['through the sciatic notch', { extension: ['sciatic_notch'] }, 'sciatic-notch', 'borderline'],
    ['across the diaphragm', { extension: ['transdiaphragmatic'] }, 'transdiaphragmatic', 'borderline'],
    ['aorta contacted only', { contacts: ['aorta'] }, 'critical-structure-contact', 'borderline'],
    ['spine contacted only', { contacts: ['spine'] }, 'critical-structure-contact', 'borderline'],
  ];
  for (const [name, tumor, id, status] of rows) {
    it(`${name} → ${id} (${status}), and the structure is for the MDT, not the knife, when unresectable`, () => {
      const r = criteria(tumor);
      assert.ok(r.criteria.some((m) => m.id === id), JSON.stringify(r.criteria.map((m) => m.id)));
      assert.equal(r.status, status);
    });
  }
  it('does not fire: contact with ordinary organs, contact superseded by infiltration, nothing recorded', () => {
    assert.equal(criteria({ contacts: ['kidney_left', 'colon_descending', 'psoas_left'] }).status, 'resectable');
    assert.ok(!criteria({ contacts: ['aorta'], infiltrates: ['aorta'] }).criteria.some((m) => m.id === 'critical-structure-contact'), 'infiltration supersedes contact');
    assert.equal(criteria({}).status, null);
  });
  it('an infiltrated SMA: never resect-and-reconstruct, no vascular-surgeon check; the MDT list holds it', () => {
    const p = run({ tumor: { infiltrates: ['superior_mesenteric_artery'], contacts: ['kidney_left'] }, pathology: { histology: '8858/3' } }).resectionPlan;
    assert.deepEqual(p.decideAtMdt, ['superior_mesenteric_artery']);
    assert.ok(!p.vascular.some((v) => v.organ === 'superior_mesenteric_artery'));
    assert.ok(!p.preoperativeChecks.some((c) => c.id === 'vascular-surgeon'));
  });
  it('not applicable to a non-sarcoma', () => {
    assert.equal(run({ tumor: { infiltrates: ['aorta'] }, pathology: { histology: '9590/3' } }).resectionPlan.resectability.status, null);
  });
});

describe('structure of origin and motor nerves (REFERENCE §5; REFERENCE-2 §1.5–§1.6)', () => {
  it('MPNST of the femoral nerve: the nerve goes en bloc, with its deficit and a rehabilitation check', () => {
    const p = run({ tumor: { side: 'left', imaging: { organOfOrigin: 'femoral_nerve_left' }, contacts: ['psoas_left'] }, pathology: { histology: '9540/3' } }).resectionPlan;
    assert.ok(p.enBloc.includes('femoral_nerve_left'));
    assert.ok(!p.preserveUnlessInfiltrated.includes('femoral_nerve_left'));
    assert.match(p.deficits[0]!.deficit, /knee extension/);
    assert.ok(p.preoperativeChecks.some((c) => c.id === 'motor-nerve-rehabilitation'));
  });
  it('a femoral nerve only touched is preserved, with no deficit', () => {
    const p = run({ tumor: { contacts: ['femoral_nerve_left'] }, pathology: { histology: '8858/3' } }).resectionPlan;
    assert.deepEqual([p.preserveUnlessInfiltrated, p.deficits], [['femoral_nerve_left'], []]);
  });
  it('renal-vein LMS: the vein with the kidney, en bloc', () => {
    const p = run({ tumor: { side: 'left', imaging: { vesselOrigin: 'renal_vein_left' } }, pathology: { histology: '8890/3' } }).resectionPlan;
    assert.ok(p.enBloc.includes('renal_vein_left') && p.enBloc.includes('kidney_left'));
  });
  it('IVC LMS: resect and reconstruct, vascular surgeon', () => {
    const p = run({ tumor: { imaging: { vesselOrigin: 'ivc' } }, pathology: { histology: '8890/3' } }).resectionPlan;
    assert.deepEqual(p.vascular.map((v) => [v.organ, v.action]), [['ivc', 'resect-and-reconstruct']]);
    assert.ok(p.preoperativeChecks.some((c) => c.id === 'vascular-surgeon'));
  });
  it('both kidneys touched: neither en bloc, flagged for a nephron-sparing MDT discussion', () => {
    const p = run({ tumor: { contacts: ['kidney_left', 'kidney_right'] }, pathology: { histology: '8858/3' } }).resectionPlan;
    assert.deepEqual(p.enBloc, []);
    assert.deepEqual(p.decideAtMdt, ['kidney_left', 'kidney_right']);
    assert.ok(!p.preoperativeChecks.some((c) => c.id === 'contralateral-kidney-function'));
    assert.ok(p.preoperativeChecks.some((c) => c.id === 'bilateral-kidneys-mdt'));
  });
});
