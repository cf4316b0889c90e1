import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCase, growthKinetics, parseCase, type CaseInput, type Evaluation } from './index.ts';
import { caseIndexOf } from '../store/case-index.ts';
import { renderTextReport } from '../cli/report-text.ts';

/**
 * Golden cases for issue 10 ("never more certain than the findings"). Expectations are written from
 * REFERENCE.md / REFERENCE-2.md and the issue, not read back from the engine.
 */
const run = (input: CaseInput): Evaluation => evaluateCase(parseCase(input));
const priorityIds = (e: Evaluation) => e.strategy.priorities.map((p) => p.id);
const warningCodes = (e: Evaluation) => e.warnings.map((w) => w.code);

/** The issue's unsafe case: a solid retroperitoneal mass with no pathology. */
const SOLID_NO_TISSUE: CaseInput = {
  patient: { ageYears: 64, sex: 'female' },
  tumor: { sizeCm: 18, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left', 'colon_descending'] },
};

describe('1. certainty is explicit', () => {
  it('no tissue: the leading diagnosis is a ranked suspicion, isSarcoma open, stage provisional, plan provisional with the biopsy first', () => {
    const e = run(SOLID_NO_TISSUE);
    const l = e.diagnosis.leading!;
    assert.equal(l.basis, 'findings');
    assert.equal(l.certainty, 'suspected');
    assert.equal(typeof l.rank, 'number');
    assert.ok(l.probability! > 0 && l.probability! <= 1);
    assert.equal(e.diagnosis.isSarcoma, null);
    assert.equal(e.stage.provisional, true);
    assert.equal(e.stage.basis, 'clinical');
    assert.equal(e.stage.group, 'IB', 'T4 N0 M0 GX: a provisional group is still shown, labelled');
    assert.ok(e.stage.reasons.some((r) => /Provisional/.test(r) && /core-needle biopsy/.test(r)), 'the reasons say what would confirm it');
    assert.equal(e.resectionPlan.applies, 'provisional');
    const ids = priorityIds(e);
    assert.ok(!ids.includes('en-bloc-resection'));
    assert.ok(ids.indexOf('core-needle-biopsy') > ids.indexOf('exclude-first'), 'tests that must precede come before the biopsy');
    assert.deepEqual(e.diagnosis.mustExcludeFirst.map((x) => x.id).sort(), ['germ-cell', 'lymphoma']);
  });
  it('the worklist never lists a provisional stage (stores null), and lists a confirmed one', () => {
    assert.equal(caseIndexOf(SOLID_NO_TISSUE).stageGroup, null);
    assert.equal(caseIndexOf({ tumor: { sizeCm: 18 }, pathology: { histology: '8858/3', grade: 'G3' } }).stageGroup, 'IIIB');
  });
  it('the text report labels the suspicion and the provisional stage', () => {
    const text = renderTextReport(run(SOLID_NO_TISSUE));
    assert.match(text, /PROVISIONAL stage IB/);
    assert.match(text, /Leading: SUSPECTED dedifferentiated liposarcoma/);
    assert.match(text, /Applies: PROVISIONAL/);
    assert.match(text, /Must be excluded first:/);
  });
  it('MDM2 amplification without a histology: basis molecular, confirmed, a (clinical) stage', () => {
    const e = run({ tumor: { sizeCm: 8, imaging: { macroscopicFat: true, solidComponent: false } }, pathology: { markers: { MDM2: 'amplified' }, specimen: 'core_biopsy' } });
    assert.deepEqual([e.diagnosis.leading!.basis, e.diagnosis.leading!.certainty, e.diagnosis.isSarcoma], ['molecular', 'confirmed', true]);
    assert.deepEqual([e.stage.provisional, e.stage.basis, e.stage.group], [false, 'clinical', 'IB']);
    assert.equal(e.resectionPlan.applies, 'yes');
  });
  it('MDM2 positive by IHC only is not amplification: suspicion, FISH asked for, warning on the field', () => {
    const e = run({ tumor: { imaging: { macroscopicFat: true, solidComponent: false } }, pathology: { markers: { MDM2: 'positive' } } });
    assert.notEqual(e.diagnosis.leading?.basis, 'molecular');
    assert.equal(e.diagnosis.isSarcoma, null);
    assert.ok(e.diagnosis.nextTests.some((t) => t.id === 'marker:MDM2-amplification'));
    const w = e.warnings.find((x) => x.code === 'amplification-by-ihc-only');
    assert.equal(w?.path, 'pathology.markers.MDM2');
  });
  it('stage basis is pathological only after a resection specimen with a confirmed diagnosis', () => {
    assert.equal(run({ tumor: { sizeCm: 8 }, pathology: { histology: '8890/3', grade: 'G2', specimen: 'core_biopsy' } }).stage.basis, 'clinical');
    assert.equal(run({ tumor: { sizeCm: 8 }, pathology: { histology: '8890/3', grade: 'G2', specimen: 'resection' } }).stage.basis, 'pathological');
    assert.equal(run({ tumor: { sizeCm: 8 }, pathology: { specimen: 'resection', markers: { desmin: 'positive', SMA: 'positive', caldesmon: 'positive' } } }).stage.basis, 'clinical');
  });
  it('a suspected non-sarcoma gets no stage group, still provisional', () => {
    const e = run({ tumor: { sizeCm: 9, imaging: { macroscopicFat: true, organOfOrigin: 'kidney_left' } } });
    assert.equal(e.diagnosis.leading?.code, '8860/0');
    assert.deepEqual([e.stage.group, e.stage.provisional], [null, true]);
  });
});

describe('2. the patient\'s features are used', () => {
  it('young man, para-aortic mass, no tissue: germ-cell work-up with testicular ultrasound', () => {
    const e = run({ patient: { ageYears: 26, sex: 'male' }, tumor: { sizeCm: 9, side: 'midline', imaging: { macroscopicFat: false }, contacts: ['aorta', 'ivc'] } });
    assert.ok(e.diagnosis.redFlags.some((f) => f.id === 'germ-cell-markers' && /young man/.test(f.message)));
    const tests = e.diagnosis.nextTests.map((t) => t.id);
    assert.ok(tests.includes('biochemistry:afp-hcg') && tests.includes('imaging:testicular-ultrasound'));
    assert.ok(e.diagnosis.mustExcludeFirst.some((x) => x.id === 'germ-cell' && /testicular ultrasound/.test(x.message)));
  });
  it('the same mass in a woman: AFP/β-hCG, never a testicular ultrasound', () => {
    const e = run({ patient: { ageYears: 26, sex: 'female' }, tumor: { sizeCm: 9, side: 'midline', imaging: { macroscopicFat: false }, contacts: ['aorta', 'ivc'] } });
    assert.ok(!JSON.stringify(e).includes('testicular-ultrasound'));
    assert.ok(!e.diagnosis.mustExcludeFirst.some((x) => /testicular/.test(x.message)));
    assert.ok(e.diagnosis.mustExcludeFirst.some((x) => x.id === 'germ-cell' && /AFP/.test(x.message)));
  });
  it('a young man ranks germ-cell tumour higher than an older man with the same findings', () => {
    const rank = (age: number) => run({ patient: { ageYears: age, sex: 'male' }, tumor: { imaging: { macroscopicFat: false } } }).diagnosis.differential.findIndex((d) => d.code === '9064/3');
    assert.ok(rank(25) < rank(70));
  });
  it('fatty calcified mass: mature teratoma in the differential, with its discriminating test', () => {
    const d = run({ patient: { ageYears: 22, sex: 'male' }, tumor: { imaging: { macroscopicFat: true, calcification: true } } }).diagnosis.differential.find((x) => x.code === '9080/0')!;
    assert.equal(d.status, 'supported');
    assert.match(d.discriminatingTest!, /AFP/);
  });
  it('a young man\'s fatty, calcified mass: not named liposarcoma — teratoma is a rival, germ-cell work-up first', () => {
    const e = run({ patient: { ageYears: 24, sex: 'male' }, tumor: { sizeCm: 10, imaging: { macroscopicFat: true, calcification: true } } });
    assert.equal(e.diagnosis.leading, null);
    assert.ok(e.diagnosis.reasons.some((r) => /mature teratoma/.test(r)));
    assert.ok(e.diagnosis.mustExcludeFirst.some((x) => x.id === 'germ-cell'));
  });
  it('kidney origin: angiomyolipoma before liposarcoma; MDM2 amplification overrides', () => {
    const renal = { macroscopicFat: true, organOfOrigin: 'kidney_left' as const };
    assert.equal(run({ tumor: { imaging: renal } }).diagnosis.leading?.code, '8860/0');
    const amplified = run({ tumor: { imaging: renal }, pathology: { markers: { MDM2: 'amplified' } } });
    assert.equal(amplified.diagnosis.leading?.code, '8850/3', 'liposarcoma (subtype open without the solid-component finding)');
    assert.equal(amplified.diagnosis.leading?.basis, 'molecular');
    assert.equal(amplified.diagnosis.differential.find((x) => x.code === '8860/0')!.status, 'excluded');
  });
  it('adrenal origin: metanephrines whatever a chromogranin-negative core shows; adrenocortical carcinoma in the differential', () => {
    const e = run({ tumor: { imaging: { organOfOrigin: 'adrenal_right', macroscopicFat: false } }, pathology: { specimen: 'core_biopsy', markers: { chromogranin: 'negative' } } });
    assert.equal(e.diagnosis.differential.find((x) => x.code === '8693/3')!.status, 'excluded', 'the core alone would exclude it');
    assert.ok(e.diagnosis.redFlags.some((f) => f.id === 'metanephrines-before-biopsy'));
    assert.ok(e.diagnosis.mustExcludeFirst.some((x) => x.id === 'paraganglioma'));
    assert.notEqual(e.diagnosis.differential.find((x) => x.code === '8370/3')!.status, 'excluded');
  });
});

describe('3. contradictions are warnings with field paths', () => {
  it('side vs sided organs', () => {
    const e = run({ tumor: { side: 'right', contacts: ['kidney_left', 'ivc'] }, pathology: { histology: '8858/3' } });
    const w = e.warnings.filter((x) => x.code === 'side-contradicts-organ');
    assert.deepEqual(w.map((x) => x.path), ['tumor.contacts[0]']);
  });
  it('CD45 positive with MDM2 amplified: mutually exclusive, warned (and any other pair the seed names)', () => {
    const e = run({ pathology: { markers: { CD45: 'positive', MDM2: 'amplified' } } });
    assert.ok(e.warnings.some((w) => w.code === 'markers-mutually-exclusive' && w.path === 'pathology.markers.CD45'));
    for (const other of ['panCK', 'PAX8', 'chromogranin'] as const) {
      const x = run({ pathology: { markers: { [other]: 'positive', CDK4: 'amplified' } } });
      assert.ok(x.warnings.some((w) => w.code === 'markers-mutually-exclusive' && w.path === `pathology.markers.${other}`), other);
    }
    assert.ok(!warningCodes(run({ pathology: { markers: { CD45: 'negative', MDM2: 'amplified' } } })).includes('markers-mutually-exclusive'));
  });
  it('every candidate excluded: said so, not silently', () => {
    const e = run({ pathology: { markers: { CD45: 'positive', MDM2: 'amplified', panCK: 'positive' } } });
    assert.ok(warningCodes(e).includes('differential-all-excluded'));
    assert.equal(e.diagnosis.leading, null);
  });
  it('WD-LPS with 25 mitoses and 40 % necrosis: suspect dedifferentiation, re-sample', () => {
    const e = run({ pathology: { histology: '8851/3', fnclcc: { differentiation: 1, mitosesPer10Hpf: 25, necrosisPercent: 40 } } });
    const w = e.warnings.find((x) => x.code === 'wdlps-high-grade-features')!;
    assert.equal(w.path, 'pathology.fnclcc.mitosesPer10Hpf');
    assert.match(w.message, /dedifferentiation/);
    assert.match(w.message, /re-sample/);
    assert.ok(!warningCodes(run({ pathology: { histology: '8851/3', fnclcc: { differentiation: 1, mitosesPer10Hpf: 2, necrosisPercent: 0 } } })).includes('wdlps-high-grade-features'));
  });
  it('infiltrated organ not listed as contacted: warned with its path', () => {
    const e = run({ tumor: { contacts: ['kidney_left'], infiltrates: ['colon_descending'] }, pathology: { histology: '8858/3' } });
    assert.ok(e.warnings.some((w) => w.code === 'infiltrated-not-contacted' && w.path === 'tumor.infiltrates[0]'));
  });
});

describe('5. the pathway position', () => {
  const DDLPS = { tumor: { sizeCm: 20, side: 'left' as const, contacts: ['kidney_left' as const] }, pathology: { histology: '8858/3', grade: 'G2' as const } };
  it('after an R0 or R1 resection here: surveillance, no operation planned, no "never shell out" flag', () => {
    for (const margin of ['R0', 'R1'] as const) {
      const e = run({ ...DDLPS, surgery: { margin } });
      assert.equal(e.history.position, 'after-complete-resection');
      assert.deepEqual(priorityIds(e), ['surveillance'], margin);
      assert.equal(e.resectionPlan.applies, 'no');
      assert.ok(e.surveillance.schedule.length > 0);
      assert.ok(!e.diagnosis.redFlags.some((f) => f.id === 'no-shell-out-or-piecemeal'), margin);
    }
  });
  it('after R2 here: MDT (re-resection vs systemic therapy vs watchful waiting), no routine schedule, no "never shell out" flag', () => {
    const e = run({ ...DDLPS, surgery: { margin: 'R2' } });
    assert.equal(e.history.position, 'after-incomplete-resection');
    assert.equal(priorityIds(e)[0], 'mdt-discussion');
    assert.match(e.strategy.priorities[0]!.rationale, /re-resection/);
    assert.match(e.strategy.priorities[0]!.rationale, /systemic therapy/);
    assert.match(e.strategy.priorities[0]!.rationale, /watchful waiting/);
    assert.ok(!priorityIds(e).includes('en-bloc-resection'));
    assert.deepEqual(e.surveillance.schedule, []);
    assert.ok(!e.diagnosis.redFlags.some((f) => f.id === 'no-shell-out-or-piecemeal'));
  });
  it('piecemeal resection elsewhere with rupture: spill consequences, review of the outside surgery, MDT', () => {
    const e = run({ ...DDLPS, history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'piecemeal', rupture: true, date: '2025-03-01' }] });
    assert.equal(e.history.position, 'after-incomplete-resection');
    assert.equal(e.history.spill, true);
    assert.deepEqual(priorityIds(e).slice(0, 2), ['mdt-discussion', 'outside-surgery-review']);
    assert.match(e.strategy.priorities[0]!.rationale, /peritoneal/);
    assert.ok(e.history.sources.includes('BONVALOT-2009'));
    assert.match(e.referral.timing!, /already operated/);
  });
  it('shell-out elsewhere, margin not recorded: incomplete, MDT first', () => {
    const e = run({ ...DDLPS, history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'shell_out' }] });
    assert.equal(e.history.position, 'after-incomplete-resection');
    assert.equal(priorityIds(e)[0], 'mdt-discussion');
  });
  it('already biopsied: no "before any biopsy" in what the patient is told to do', () => {
    const e = run({ tumor: { sizeCm: 12, imaging: { macroscopicFat: true, solidComponent: true } }, history: [{ kind: 'biopsy', method: 'core', where: 'elsewhere' }] });
    assert.equal(e.history.position, 'biopsied');
    const instructions = JSON.stringify([e.strategy.priorities, e.referral.timing, e.referral.reasons, e.diagnosis.redFlags, e.diagnosis.mustExcludeFirst, e.diagnosis.nextTests, e.resectionPlan.reasons]);
    assert.ok(!/before any biopsy/.test(instructions), instructions.match(/.{60}before any biopsy.{20}/)?.[0]);
    assert.match(e.referral.timing!, /before any surgery/);
  });
  it('not yet biopsied: refer before any biopsy or surgery', () => {
    assert.equal(run(SOLID_NO_TISSUE).referral.timing, 'before any biopsy or surgery');
  });
  it('recurrent presentation: the selection criteria (DFI, growth rate, sites, resectability) with hand-computed values', () => {
    const e = run({
      presentation: 'recurrent',
      tumor: { sizeCm: 6, multifocal: false, contacts: ['psoas_left'], imaging: { date: '2025-01-01' } },
      pathology: { histology: '8851/3', grade: 'G1' },
      history: [{ kind: 'surgery', where: 'this_centre', resectionType: 'complete', margin: 'R1', date: '2024-01-01' }],
    });
    const r = e.history.recurrence!;
    // 366 days / 30.4375 = 12.02 months; Park rate 6 cm / 12.0246 = 0.499 → 0.5 cm/month.
    assert.equal(r.diseaseFreeIntervalMonths, 12.02);
    assert.equal(r.parkRateCmPerMonth, 0.5);
    assert.ok(r.favourable.some((f) => /growth 0\.5/.test(f)));
    assert.ok(r.unfavourable.some((f) => /disease-free interval 12\.02/.test(f)));
    assert.equal(r.suggestion, 'systemic-first');
    assert.equal(priorityIds(e)[0], 'mdt-discussion');
    assert.match(e.strategy.priorities[0]!.rationale, /disease-free interval/);
  });
  it('recurrent, all favourable: strategic delay is on the table', () => {
    const e = run({
      presentation: 'recurrent',
      tumor: { sizeCm: 4, multifocal: false, contacts: ['psoas_left'], imaging: { date: '2026-01-01' } },
      pathology: { histology: '8851/3', grade: 'G1' },
      history: [{ kind: 'surgery', resectionType: 'complete', margin: 'R0', date: '2020-01-01' }],
    });
    assert.equal(e.history.recurrence!.suggestion, 'strategic-delay');
  });
});

describe('5b. the resection plan after an operation: planned only when the last resection was not macroscopically complete (REFERENCE-2 §5)', () => {
  const DDLPS: CaseInput = { tumor: { sizeCm: 20, contacts: ['kidney_left'] }, pathology: { histology: '8858/3', grade: 'G2' } };
  const S = (h: Partial<Extract<NonNullable<CaseInput['history']>[number], { kind: 'surgery' }>>) => ({ kind: 'surgery' as const, where: 'elsewhere' as const, resectionType: 'complete' as const, ...h });
  // [what, case, the plan applies ('no' = already resected completely)]
  const table: [string, CaseInput, 'yes' | 'no'][] = [
    ['R0 here', { ...DDLPS, surgery: { margin: 'R0' } }, 'no'],
    ['R1 here', { ...DDLPS, surgery: { margin: 'R1' } }, 'no'],
    ['R2 here', { ...DDLPS, surgery: { margin: 'R2' } }, 'yes'],
    ['a recurrence after R0: a new plan', { ...DDLPS, presentation: 'recurrent', surgery: { margin: 'R0' } }, 'yes'],
    ['complete R0 elsewhere', { ...DDLPS, history: [S({ margin: 'R0' })] }, 'no'],
    ['complete R1 elsewhere', { ...DDLPS, history: [S({ margin: 'R1' })] }, 'no'],
    ['complete R2 elsewhere', { ...DDLPS, history: [S({ margin: 'R2' })] }, 'yes'],
    ['complete elsewhere, margin not recorded', { ...DDLPS, history: [S({})] }, 'yes'],
    ['piecemeal R0 elsewhere', { ...DDLPS, history: [S({ resectionType: 'piecemeal', margin: 'R0' })] }, 'yes'],
    ['a biopsy only', { ...DDLPS, history: [{ kind: 'biopsy', method: 'core' }] }, 'yes'],
    ['an exploratory operation after a complete one does not count', { ...DDLPS, history: [S({ margin: 'R0', date: '2024-01-01' }), S({ resectionType: 'exploratory', date: '2024-06-01' })] }, 'no'],
    ['the later of two dated operations decides (a shell-out last)', { ...DDLPS, history: [S({ margin: 'R0', date: '2024-01-01' }), S({ resectionType: 'shell_out', date: '2024-06-01' })] }, 'yes'],
    ['the later of two dated operations decides, whatever the order listed', { ...DDLPS, history: [S({ margin: 'R0', date: '2024-06-01' }), S({ resectionType: 'shell_out', date: '2024-01-01' })] }, 'no'],
    ['an undated operation listed after a dated one is taken as the later', { ...DDLPS, history: [S({ margin: 'R0', date: '2024-06-01' }), S({ resectionType: 'shell_out' })] }, 'yes'],
    ['a dated operation listed after an undated one is the later', { ...DDLPS, history: [S({ resectionType: 'shell_out' }), S({ margin: 'R0', date: '2024-06-01' })] }, 'no'],
    ['a biopsy after the resection is not an operation', { ...DDLPS, history: [S({ margin: 'R0', date: '2024-01-01' }), { kind: 'biopsy', method: 'core', date: '2024-06-01' }] }, 'no'],
    ['two operations on the same day: the one listed last decides', { ...DDLPS, history: [S({ margin: 'R0', date: '2024-06-01' }), S({ resectionType: 'shell_out', date: '2024-06-01' })] }, 'yes'],
  ];
  for (const [what, input, applies] of table) {
    it(what, () => assert.equal(run(input).resectionPlan.applies, applies));
  }
});

describe('5d. growth warnings reach the evaluation', () => {
  it('a change within measurement error is a warning of the evaluation, with its path', () => {
    const e = run({ tumor: { imaging: { series: [{ date: '2024-01-01', greatestDimensionCm: 10 }, { date: '2024-01-10', greatestDimensionCm: 12 }] } } });
    assert.deepEqual(e.warnings.filter((w) => w.code === 'growth-within-measurement-error').map((w) => w.path), ['tumor.imaging.series']);
  });
});

describe('5c. the grade the recurrence triage weighs (REFERENCE-2 §2.3): G1 or a well-differentiated liposarcoma is low grade, G3 high, otherwise not determined', () => {
  const recurrence = (histology: string, grade?: 'G1' | 'G2' | 'G3') =>
    run({ presentation: 'recurrent', tumor: { sizeCm: 10, contacts: ['kidney_left'], multifocal: false }, pathology: { histology, ...(grade ? { grade } : {}) } }).history.recurrence!;
  const LOW = 'low grade / well-differentiated liposarcoma';
  const NOT_DETERMINED = 'grade / histology (pathology.grade, pathology.histology)';
  it('DD-LPS G1: low grade', () => assert.ok(recurrence('8858/3', 'G1').favourable.includes(LOW)));
  it('WD-LPS, grade not recorded or G2: low grade by its histology', () => {
    assert.ok(recurrence('8851/3').favourable.includes(LOW));
    assert.ok(recurrence('8851/3', 'G2').favourable.includes(LOW));
  });
  it('DD-LPS G3: high grade, systemic therapy first', () => {
    const r = recurrence('8858/3', 'G3');
    assert.deepEqual([r.unfavourable, r.favourable.includes(LOW), r.suggestion], [['high grade (G3)'], false, 'systemic-first']);
  });
  it('DD-LPS G2 or grade not recorded: not determined', () => {
    for (const grade of ['G2', undefined] as const) {
      const r = recurrence('8858/3', grade);
      assert.deepEqual([r.notDetermined.includes(NOT_DETERMINED), r.favourable.includes(LOW), r.unfavourable], [true, false, []], String(grade));
    }
  });
});

describe('6. growth kinetics (hand-computed)', () => {
  const grow = (series: NonNullable<NonNullable<CaseInput['tumor']>['imaging']>['series'], extra: CaseInput = {}) => growthKinetics(parseCase({ ...extra, tumor: { ...(extra.tumor ?? {}), imaging: { series } } }));
  it('ellipsoid: 10×8×6 → 12×10×8 cm in 181 days doubles the volume: DT 181 days, +0.3363 cm/month', () => {
    const g = grow([{ date: '2025-07-01', diametersCm: [12, 10, 8] }, { date: '2025-01-01', diametersCm: [10, 8, 6] }])!;
    assert.equal(g.method, 'ellipsoid');
    assert.equal(g.volumeDoublingTimeDays, 181);
    assert.equal(g.rateCmPerMonth, 0.3363);
    assert.equal(g.intervalDays, 181);
  });
  it('one dimension, sphere assumed: 8 → 10 cm in 90 days: DT 93.2 days, +0.6764 cm/month; said so', () => {
    const g = grow([{ date: '2025-01-01', greatestDimensionCm: 8 }, { date: '2025-04-01', greatestDimensionCm: 10 }])!;
    assert.equal(g.method, 'greatest-dimension');
    assert.equal(g.volumeDoublingTimeDays, 93.2);
    assert.equal(g.rateCmPerMonth, 0.6764);
    assert.ok(g.reasons.some((r) => /sphere/.test(r)));
  });
  it('regression: no doubling time; a small change or a short interval is within measurement error', () => {
    const shrink = grow([{ date: '2025-01-01', greatestDimensionCm: 10 }, { date: '2025-07-01', greatestDimensionCm: 9 }])!;
    assert.equal(shrink.volumeDoublingTimeDays, null);
    assert.ok(shrink.rateCmPerMonth < 0);
    assert.equal(grow([{ date: '2025-01-01', greatestDimensionCm: 10 }, { date: '2025-03-01', greatestDimensionCm: 10.3 }])!.withinMeasurementError, true);
    assert.equal(grow([{ date: '2025-01-01', greatestDimensionCm: 10 }, { date: '2025-01-15', greatestDimensionCm: 12 }])!.withinMeasurementError, true);
    assert.equal(grow([{ date: '2025-01-01', greatestDimensionCm: 10 }]), null);
  });
  it('a growing WD-LPS: suspect dedifferentiation (no cut-off invented)', () => {
    const e = run({ tumor: { imaging: { series: [{ date: '2025-01-01', greatestDimensionCm: 15 }, { date: '2025-07-01', greatestDimensionCm: 19 }] } }, pathology: { histology: '8851/3', grade: 'G1' } });
    const w = e.warnings.find((x) => x.code === 'wdlps-growth-suspect-dedifferentiation')!;
    assert.match(w.message, /not determined/);
  });
  it('LMS: the measured doubling time is stated with the systemic-therapy priority', () => {
    const e = run({ tumor: { sizeCm: 9, imaging: { series: [{ date: '2025-01-01', greatestDimensionCm: 8 }, { date: '2025-04-01', greatestDimensionCm: 10 }] } }, pathology: { histology: '8890/3', grade: 'G3' } });
    const p = e.strategy.priorities.find((x) => x.id === 'neoadjuvant-chemotherapy')!;
    assert.match(p.rationale, /volume doubling time 93\.2 days/);
    assert.match(p.rationale, /rapidly doubling/);
  });
});

describe('7. referral and follow-up edges', () => {
  it('GIST and desmoid fibromatosis are referred to a sarcoma centre, not staged', () => {
    for (const histology of ['8936/3', '8821/1']) {
      const e = run({ tumor: { sizeCm: 8 }, pathology: { histology } });
      assert.equal(e.referral.recommended, true, histology);
      assert.equal(e.stage.group, null);
      assert.ok(priorityIds(e).includes('refer-sarcoma-centre'));
    }
  });
  it('WD-LPS without a grade: the low-grade schedule, with a note', () => {
    const e = run({ tumor: { sizeCm: 20 }, pathology: { histology: '8851/3' }, surgery: { margin: 'R0' } });
    assert.equal(e.surveillance.schedule[0]!.minIntervalMonths, 4);
    assert.ok(e.surveillance.reasons.some((r) => /low grade by definition/.test(r)));
  });
  it('solitary fibrous tumour 8815/1 (behaviour /1) is not AJCC-grouped; 8815/3 is', () => {
    const borderline = run({ tumor: { sizeCm: 12 }, pathology: { histology: '8815/1', grade: 'G1' } });
    assert.equal(borderline.stage.group, null);
    assert.ok(borderline.stage.reasons.some((r) => /behaviour \/1/.test(r)));
    assert.equal(run({ tumor: { sizeCm: 12 }, pathology: { histology: '8815/3', grade: 'G1' } }).stage.group, 'IB');
  });
  it('LMS ≤ 5 cm: resection first, the evidence for neoadjuvant chemotherapy stated; > 5 cm keeps chemotherapy first', () => {
    const small = run({ tumor: { sizeCm: 4 }, pathology: { histology: '8890/3', grade: 'G2' } });
    assert.equal(priorityIds(small)[0], 'en-bloc-resection');
    assert.match(small.strategy.priorities.find((p) => p.id === 'neoadjuvant-chemotherapy')!.rationale, /STRASS2 trial question, without results/);
    assert.equal(priorityIds(run({ tumor: { sizeCm: 9 }, pathology: { histology: '8890/3', grade: 'G2' } }))[0], 'neoadjuvant-chemotherapy');
  });
  it('multifocal disease: MDT first', () => {
    const e = run({ tumor: { sizeCm: 12, multifocal: true }, pathology: { histology: '8858/3', grade: 'G2' } });
    assert.equal(priorityIds(e)[0], 'mdt-discussion');
    assert.ok(e.strategy.priorities[0]!.sources.includes('GRONCHI-2016'));
  });
});
