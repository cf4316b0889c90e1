import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pathwayPosition, type PathwayContext, type PathwayResult } from './pathway.ts';
import type { GrowthResult } from './growth.ts';
import { parseCase, type CaseInput } from './index.ts';

// Expected outputs written by hand from REFERENCE-2 §1.3 (rupture/spill), §2.2–§2.3 (recurrence selection:
// DFI > 24 months, growth < 0.9 cm/month by the Park rate, one site, resectable, low grade), §4 (surgery
// elsewhere) and §5 (after the margin). Months = days / 30.4375.
const NONE: PathwayContext = { growth: null, resectability: null, lowGrade: null };
const path = (input: CaseInput, ctx: PathwayContext = NONE): PathwayResult => pathwayPosition(parseCase(input), ctx);

const UNTREATED_LINE = 'No biopsy or resection recorded: refer before any procedure.';
const BIOPSIED_LINE = 'Already biopsied, not yet resected.';
const FNA_LINE = 'Prior fine-needle aspiration: FNA is not adequate for a sarcoma diagnosis — a core-needle biopsy is needed (REFERENCE §3.1 [consensus]).';
const OPEN_LINE = 'Prior open biopsy: open or laparoscopic biopsy is avoided in RPS (REFERENCE §3.1, PDQ) — record the approach for the MDT.';
const complete = (what: string) =>
  `After a macroscopically complete ${what}: no adjuvant therapy by default; histology- and grade-based surveillance (REFERENCE-2 §5 [consensus]); post-operative radiotherapy is not recommended (ASTRO 2021).`;
const incomplete = (what: string) =>
  `After an incomplete ${what}: MDT — re-resection at the centre if the residue is localised and R0/R1 reachable, otherwise systemic therapy, radiotherapy for symptoms or watchful waiting; with no visible disease after a shell-out/piecemeal resection, re-resection of the bed vs close surveillance, weighted by histology (REFERENCE-2 §4, §5 [consensus]).`;
const unknownMargin = (what: string) =>
  `After a ${what}: the resection quality is unknown — obtain the operative note, the pathology report with blocks/slides and the imaging for the MDT (REFERENCE-2 §4 [consensus]).`;
const OUTSIDE =
  'Operated outside this centre: request the operative note, pre- and post-operative imaging, and the pathology report with blocks/slides for expert review (histotype, grade, MDM2 FISH, margins); re-image CT chest/abdomen/pelvis 4–8 weeks after surgery (REFERENCE-2 §4 [consensus]). Only 12.3 % R0 at first surgery outside the French network vs 41.9 % inside (Bonvalot 2019).';
const spillLine = (what: string) =>
  `${what}: peritoneal-risk disease — rupture is an independent adverse factor for survival and raises abdominal recurrence (Bonvalot 2009); surveillance ± systemic therapy or a trial; discuss at MDT. Rupture is recorded on its own, not as an R status (REFERENCE-2 §1.3).`;
const REC_SOURCES = ['TARPSWG-REC-2016', 'TARPSWG-REC-2022', 'PARK-2009', 'LR-DELAY-2019', 'RHU-2019'];
const recurrenceLine = (favourable: string, unfavourable: string, notDetermined: string | null, pointsTo: string) =>
  `Recurrent presentation: selection by disease-free interval, growth rate, number of sites, resectability and grade (REFERENCE-2 §2.2–§2.3) — favourable: ${favourable}; unfavourable: ${unfavourable}` +
  (notDetermined === null ? '' : `; not determined: ${notDetermined}`) +
  `. Points to: ${pointsTo} [consensus]. State the intent (curative or palliative) in the MDT record.`;
const POINTS_TO = {
  delay: 'all criteria favourable, low grade and slow: a surveillance CT at 3 months is acceptable ("strategic delay"; Rhu 2019 caps a delay at about 3 months) before curative-intent re-resection',
  systemicFirst: 'unfavourable criteria: systemic therapy or a trial first, then re-discuss',
  palliative: 'distant disease: systemic or palliative pathway (resection only for highly selected oligometastatic disease)',
  mdt: 'criteria incomplete: the MDT decides once they are known',
};
const ND = {
  dfi: 'disease-free interval (the last resection date — history[].date or surgery.date — and tumor.imaging.date)',
  growth: 'growth rate (tumor.sizeCm with dates, or tumor.imaging.series)',
  sites: 'number of sites (tumor.multifocal)',
  resectability: 'resectability (tumor.contacts, tumor.infiltrates)',
  grade: 'grade / histology (pathology.grade, pathology.histology)',
};
/** A serial-imaging rate as growthKinetics would give it (only the fields the triage reads matter). */
const seriesGrowth = (rateCmPerMonth: number, withinMeasurementError = false): GrowthResult => ({
  rateCmPerMonth,
  volumeDoublingTimeDays: null,
  method: 'greatest-dimension',
  from: '2022-10-01',
  to: '2023-01-01',
  intervalDays: 92,
  withinMeasurementError,
  evidence: 'consensus',
  warnings: [],
  reasons: [],
  sources: ['MEHRARA-2007'],
});

describe('pathwayPosition: before any resection', () => {
  it('nothing recorded: untreated, refer before any procedure', () => {
    assert.deepEqual(path({}), {
      position: 'untreated',
      biopsied: false,
      lastResection: null,
      spill: false,
      recurrence: null,
      evidence: 'consensus',
      reasons: [UNTREATED_LINE],
      sources: ['NICE-QS78', 'UK-BSG-2024'],
    });
    // The common case shares one frozen result (built once, never copied per evaluation).
    assert.equal(path({}), path({}));
    assert.ok(Object.isFrozen(path({})));
    assert.equal(path({ pathology: { histology: '8858/3' } }), path({ pathology: { specimen: 'core_biopsy' } }));
  });

  it('biopsied by any one sign: a histology, markers, a specimen, or a core biopsy in the history', () => {
    const inputs: [string, CaseInput][] = [
      ['histology', { pathology: { histology: '8858/3' } }],
      ['markers', { pathology: { markers: { MDM2: 'amplified' } } }],
      ['specimen', { pathology: { specimen: 'core_biopsy' } }],
      ['core biopsy', { history: [{ kind: 'biopsy', method: 'core' }] }],
    ];
    for (const [name, input] of inputs) {
      assert.deepEqual(
        path(input),
        { position: 'biopsied', biopsied: true, lastResection: null, spill: false, recurrence: null, evidence: 'consensus', reasons: [BIOPSIED_LINE], sources: ['NICE-QS78', 'UK-BSG-2024'] },
        name,
      );
    }
  });

  it('a prior FNA or open biopsy is named before the position', () => {
    for (const [method, line] of [
      ['fna', FNA_LINE],
      ['open', OPEN_LINE],
    ] as const) {
      assert.deepEqual(path({ history: [{ kind: 'biopsy', method }] }), {
        position: 'biopsied',
        biopsied: true,
        lastResection: null,
        spill: false,
        recurrence: null,
        evidence: 'consensus',
        reasons: [line, BIOPSIED_LINE],
        sources: ['NICE-QS78', 'UK-BSG-2024'],
      });
    }
  });

  it('an exploratory operation is not a resection; a surgery entry without a margin at this centre is not either', () => {
    assert.deepEqual(path({ history: [{ kind: 'surgery', resectionType: 'exploratory', date: '2025-01-01' }] }).position, 'untreated');
    assert.deepEqual(path({ surgery: { date: '2025-01-01' } }).position, 'untreated');
  });
});

describe('pathwayPosition: after a resection (REFERENCE-2 §4, §5)', () => {
  it('R0 at this centre: complete, surveillance, no outside-surgery review', () => {
    assert.deepEqual(path({ surgery: { margin: 'R0', date: '2025-05-01' } }), {
      position: 'after-complete-resection',
      biopsied: false,
      lastResection: { where: 'this_centre', resectionType: 'complete', margin: 'R0', rupture: null, date: '2025-05-01' },
      spill: false,
      recurrence: null,
      evidence: 'consensus',
      reasons: [complete('resection at this centre (R0)')],
      sources: ['ASTRO-2021', 'NG-SWALLOW-2018'],
    });
  });

  it('R1 elsewhere: complete, and the outside surgery is reviewed', () => {
    assert.deepEqual(path({ history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'complete', margin: 'R1', date: '2025-02-01' }] }), {
      position: 'after-complete-resection',
      biopsied: false,
      lastResection: { where: 'elsewhere', resectionType: 'complete', margin: 'R1', rupture: null, date: '2025-02-01' },
      spill: false,
      recurrence: null,
      evidence: 'consensus',
      reasons: [complete('resection elsewhere (R1)'), OUTSIDE],
      sources: ['ASTRO-2021', 'BONVALOT-2019', 'NG-SWALLOW-2018'],
    });
  });

  it('complete, margin and place not recorded: margin unknown — obtain the records; treated as outside this centre', () => {
    assert.deepEqual(path({ history: [{ kind: 'surgery', resectionType: 'complete' }] }), {
      position: 'after-resection-margin-unknown',
      biopsied: false,
      lastResection: { where: 'unknown', resectionType: 'complete', margin: null, rupture: null, date: null },
      spill: false,
      recurrence: null,
      evidence: 'consensus',
      reasons: [unknownMargin('resection (margin not recorded)'), OUTSIDE],
      sources: ['BONVALOT-2019', 'NG-SWALLOW-2018'],
    });
  });

  it('incomplete by each route: R2, shell-out, intralesional (no spill), piecemeal (spill)', () => {
    assert.deepEqual(path({ history: [{ kind: 'surgery', where: 'this_centre', resectionType: 'complete', margin: 'R2' }] }).reasons, [incomplete('resection at this centre (R2)')]);
    const shell = path({ history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'shell_out' }] });
    assert.equal(shell.position, 'after-incomplete-resection');
    assert.equal(shell.spill, false);
    assert.deepEqual(shell.reasons, [incomplete('shell-out resection elsewhere (margin not recorded)'), OUTSIDE]);
    assert.deepEqual(shell.sources, ['BONVALOT-2019', 'NG-SWALLOW-2018']);
    const intralesional = path({ history: [{ kind: 'surgery', resectionType: 'intralesional', margin: 'R1' }] });
    assert.equal(intralesional.position, 'after-incomplete-resection');
    assert.equal(intralesional.spill, false);
    assert.deepEqual(intralesional.reasons, [incomplete('intralesional resection (R1)'), OUTSIDE]);
    const piecemeal = path({ history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'piecemeal', rupture: false }] });
    assert.equal(piecemeal.position, 'after-incomplete-resection');
    assert.equal(piecemeal.spill, true);
    assert.deepEqual(piecemeal.reasons, [incomplete('piecemeal resection elsewhere (margin not recorded)'), OUTSIDE, spillLine('Piecemeal removal')]);
    assert.deepEqual(piecemeal.sources, ['BONVALOT-2019', 'NG-SWALLOW-2018', 'BONVALOT-2009']);
  });

  it('rupture during a complete R0 resection elsewhere: still complete, but spill with its own line (not an R status)', () => {
    const r = path({ history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'complete', margin: 'R0', rupture: true }] });
    assert.equal(r.position, 'after-complete-resection');
    assert.equal(r.spill, true);
    assert.deepEqual(r.lastResection, { where: 'elsewhere', resectionType: 'complete', margin: 'R0', rupture: true, date: null });
    assert.deepEqual(r.reasons, [complete('resection elsewhere (R0)'), OUTSIDE, spillLine('Tumour rupture/spill')]);
    assert.deepEqual(r.sources, ['ASTRO-2021', 'BONVALOT-2019', 'NG-SWALLOW-2018', 'BONVALOT-2009']);
  });

  it('a biopsy in the history keeps `biopsied` after the resection; an FNA line comes first', () => {
    const r = path({ history: [{ kind: 'biopsy', method: 'fna' }, { kind: 'surgery', where: 'this_centre', resectionType: 'complete', margin: 'R0' }] });
    assert.equal(r.biopsied, true);
    assert.deepEqual(r.reasons, [FNA_LINE, complete('resection at this centre (R0)')]);
  });

  it('rupture during the resection at this centre: spill, with its line (it was ignored before: surgery.rupture was not read)', () => {
    const r = path({ surgery: { margin: 'R0', rupture: true, date: '2025-05-01' } });
    assert.equal(r.position, 'after-complete-resection');
    assert.equal(r.spill, true);
    assert.deepEqual(r.lastResection, { where: 'this_centre', resectionType: 'complete', margin: 'R0', rupture: true, date: '2025-05-01' });
    assert.deepEqual(r.reasons, [complete('resection at this centre (R0)'), spillLine('Tumour rupture/spill')]);
    assert.deepEqual(r.sources, ['ASTRO-2021', 'NG-SWALLOW-2018', 'BONVALOT-2009']);
    assert.equal(path({ surgery: { margin: 'R0', rupture: false } }).spill, false);
  });

  it('the resection at this centre wins over the history', () => {
    const r = path({ surgery: { margin: 'R1' }, history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'shell_out', date: '2025-01-01' }] });
    assert.equal(r.position, 'after-complete-resection');
    assert.deepEqual(r.lastResection, { where: 'this_centre', resectionType: 'complete', margin: 'R1', rupture: null, date: null });
  });

  it('the latest resection by date, whatever the list order; equal dates and undated entries count in list order', () => {
    const shell = { kind: 'surgery', where: 'elsewhere', resectionType: 'shell_out' } as const;
    const r0 = { kind: 'surgery', where: 'elsewhere', resectionType: 'complete', margin: 'R0' } as const;
    const later = path({ history: [{ ...r0, date: '2025-06-01' }, { ...shell, date: '2024-01-01' }] });
    assert.equal(later.lastResection!.resectionType, 'complete');
    assert.equal(later.position, 'after-complete-resection');
    const sameDay = path({ history: [{ ...r0, date: '2025-06-01' }, { ...shell, date: '2025-06-01' }] });
    assert.equal(sameDay.lastResection!.resectionType, 'shell_out');
    const undatedLast = path({ history: [{ ...r0, date: '2025-06-01' }, shell] });
    assert.equal(undatedLast.lastResection!.resectionType, 'shell_out');
    // An undated entry does not reset the latest date: an earlier-dated entry after it does not win.
    const afterUndated = path({ history: [{ ...r0, date: '2025-06-01' }, shell, { kind: 'surgery', resectionType: 'intralesional', date: '2025-01-01' }] });
    assert.equal(afterUndated.lastResection!.resectionType, 'shell_out');
    const datedAfterUndated = path({ history: [shell, { ...r0, date: '2025-01-01' }] });
    assert.equal(datedAfterUndated.lastResection!.resectionType, 'complete');
    // Exploratory operations and biopsies are skipped, even when later.
    const skipped = path({ history: [{ ...r0, date: '2024-01-01' }, { kind: 'surgery', resectionType: 'exploratory', date: '2025-01-01' }, { kind: 'biopsy', method: 'core', date: '2025-02-01' }] });
    assert.equal(skipped.lastResection!.resectionType, 'complete');
  });
});

describe('pathwayPosition: recurrence selection (REFERENCE-2 §2.2–§2.3)', () => {
  // Resected 2020-01-01; recurrence imaged 2023-01-01: 1096 days = 36.01 months; 6 cm → Park 6 / 36.008 = 0.17 cm/month.
  const resected = { kind: 'surgery', where: 'elsewhere', resectionType: 'complete', margin: 'R0', date: '2020-01-01' } as const;
  const FAVOURABLE = ['disease-free interval 36.01 months (> 24)', 'growth 0.17 cm/month (Park rate; < 0.9)', 'a single site', 'resectable (R0/R1 predicted)', 'low grade / well-differentiated liposarcoma'];
  const favourableCase: CaseInput = { presentation: 'recurrent', tumor: { sizeCm: 6, multifocal: false, imaging: { date: '2023-01-01' } }, history: [resected] };
  const good: PathwayContext = { growth: null, resectability: 'resectable', lowGrade: true };

  it('every criterion favourable, low grade and slow: strategic delay', () => {
    assert.deepEqual(path(favourableCase, good), {
      position: 'recurrent',
      biopsied: false,
      lastResection: { where: 'elsewhere', resectionType: 'complete', margin: 'R0', rupture: null, date: '2020-01-01' },
      spill: false,
      recurrence: {
        diseaseFreeIntervalMonths: 36.01,
        parkRateCmPerMonth: 0.17,
        seriesRateCmPerMonth: null,
        multifocal: false,
        resectability: 'resectable',
        favourable: FAVOURABLE,
        unfavourable: [],
        notDetermined: [],
        suggestion: 'strategic-delay',
      },
      evidence: 'consensus',
      reasons: [recurrenceLine(FAVOURABLE.join('; '), 'none', null, POINTS_TO.delay)],
      sources: REC_SOURCES,
    });
  });

  it('every criterion unfavourable: systemic therapy first', () => {
    // Resected 2024-01-01, imaged 2024-07-01: 182 days = 5.98 months; 12 cm → 12 / 5.979 = 2.01 cm/month.
    const r = path(
      { presentation: 'recurrent', tumor: { sizeCm: 12, multifocal: true, imaging: { date: '2024-07-01' } }, history: [{ ...resected, date: '2024-01-01' }] },
      { growth: null, resectability: 'unresectable', lowGrade: false },
    );
    const unfavourable = ['disease-free interval 5.98 months (≤ 24)', 'growth 2.01 cm/month (Park rate; ≥ 0.9)', 'multifocal recurrence', 'resectability: unresectable', 'high grade (G3)'];
    assert.deepEqual(r.recurrence, {
      diseaseFreeIntervalMonths: 5.98,
      parkRateCmPerMonth: 2.01,
      seriesRateCmPerMonth: null,
      multifocal: true,
      resectability: 'unresectable',
      favourable: [],
      unfavourable,
      notDetermined: [],
      suggestion: 'systemic-first',
    });
    assert.deepEqual(r.reasons, [recurrenceLine('none', unfavourable.join('; '), null, POINTS_TO.systemicFirst)]);
  });

  it('nothing known: every criterion not determined, the MDT decides', () => {
    const r = path({ presentation: 'recurrent' });
    assert.deepEqual(r.recurrence, {
      diseaseFreeIntervalMonths: null,
      parkRateCmPerMonth: null,
      seriesRateCmPerMonth: null,
      multifocal: null,
      resectability: null,
      favourable: [],
      unfavourable: [],
      notDetermined: [ND.dfi, ND.growth, ND.sites, ND.resectability, ND.grade],
      suggestion: 'mdt',
    });
    assert.deepEqual(r.reasons, [recurrenceLine('none', 'none', Object.values(ND).join('; '), POINTS_TO.mdt)]);
    assert.deepEqual(r.sources, REC_SOURCES);
    assert.equal(r.lastResection, null);
  });

  it('one criterion missing among favourable ones: the MDT, not a delay', () => {
    const r = path({ ...favourableCase, tumor: { sizeCm: 6, imaging: { date: '2023-01-01' } } }, good);
    assert.deepEqual(r.recurrence!.notDetermined, [ND.sites]);
    assert.equal(r.recurrence!.suggestion, 'mdt');
    const noGrade = path(favourableCase, { ...good, lowGrade: null });
    assert.deepEqual(noGrade.recurrence!.notDetermined, [ND.grade]);
    assert.equal(noGrade.recurrence!.suggestion, 'mdt');
  });

  it('one unfavourable criterion among favourable ones: systemic first (each criterion on its own)', () => {
    const cases: [string, CaseInput, PathwayContext, string][] = [
      ['multifocal', { ...favourableCase, tumor: { sizeCm: 6, multifocal: true, imaging: { date: '2023-01-01' } } }, good, 'multifocal recurrence'],
      ['borderline', favourableCase, { ...good, resectability: 'borderline' }, 'resectability: borderline'],
      ['high grade', favourableCase, { ...good, lowGrade: false }, 'high grade (G3)'],
    ];
    for (const [name, input, ctx, line] of cases) {
      const r = path(input, ctx);
      assert.deepEqual(r.recurrence!.unfavourable, [line], name);
      assert.equal(r.recurrence!.suggestion, 'systemic-first', name);
    }
  });

  it('distant disease (M1) points to the systemic or palliative pathway even when the rest is favourable', () => {
    const r = path({ ...favourableCase, tumor: { sizeCm: 6, multifocal: false, metastasis: 'M1', imaging: { date: '2023-01-01' } } }, good);
    assert.equal(r.recurrence!.suggestion, 'systemic-or-palliative');
    assert.deepEqual(r.reasons, [recurrenceLine(FAVOURABLE.join('; '), 'none', null, POINTS_TO.palliative)]);
  });

  it('disease-free interval boundary: 730 days (23.98 months) is ≤ 24, 731 days (24.02 months) is > 24', () => {
    const at = (date: string) => path({ presentation: 'recurrent', tumor: { imaging: { date } }, history: [{ ...resected, date: '2020-01-01' }] }).recurrence!;
    assert.deepEqual(at('2021-12-31').unfavourable, ['disease-free interval 23.98 months (≤ 24)']);
    assert.equal(at('2021-12-31').diseaseFreeIntervalMonths, 23.98);
    assert.deepEqual(at('2022-01-01').favourable, ['disease-free interval 24.02 months (> 24)']);
  });

  it('no DFI without both dates: an undated resection, or no imaging date', () => {
    const undated = path({ presentation: 'recurrent', tumor: { sizeCm: 6, imaging: { date: '2023-01-01' } }, history: [{ kind: 'surgery', resectionType: 'complete', margin: 'R0' }] }).recurrence!;
    assert.equal(undated.diseaseFreeIntervalMonths, null);
    assert.deepEqual(undated.notDetermined.slice(0, 2), [ND.dfi, ND.growth]);
    const noImaging = path({ presentation: 'recurrent', tumor: { sizeCm: 6 }, history: [resected] }).recurrence!;
    assert.equal(noImaging.diseaseFreeIntervalMonths, null);
    assert.equal(noImaging.parkRateCmPerMonth, null);
  });

  it('imaging recorded with neither a date nor a series: no detection date, no DFI', () => {
    assert.equal(path({ presentation: 'recurrent', tumor: { imaging: { modality: 'CT' } }, history: [resected] }).recurrence!.diseaseFreeIntervalMonths, null);
  });

  it('detection date from the earliest serial scan when the imaging is undated', () => {
    // Scans 2023-06-01 and 2023-01-01 (listed out of order): detected 2023-01-01, so 36.01 months as above.
    const r = path(
      { presentation: 'recurrent', tumor: { imaging: { series: [{ date: '2023-06-01', greatestDimensionCm: 7 }, { date: '2023-01-01', greatestDimensionCm: 6 }] } }, history: [resected] },
      NONE,
    ).recurrence!;
    assert.equal(r.diseaseFreeIntervalMonths, 36.01);
    assert.deepEqual(r.favourable, ['disease-free interval 36.01 months (> 24)']);
  });

  it('the rate between scans when there is no Park rate; 0.9 cm/month is the boundary; within measurement error it is not judged', () => {
    const withRate = (growth: GrowthResult) => path({ presentation: 'recurrent', history: [resected] }, { ...NONE, growth }).recurrence!;
    const fast = withRate(seriesGrowth(0.9));
    assert.equal(fast.seriesRateCmPerMonth, 0.9);
    assert.equal(fast.parkRateCmPerMonth, null);
    assert.deepEqual(fast.unfavourable, ['growth 0.9 cm/month (between scans; ≥ 0.9)']);
    assert.deepEqual(withRate(seriesGrowth(0.89)).favourable, ['growth 0.89 cm/month (between scans; < 0.9)']);
    const noise = withRate(seriesGrowth(2, true));
    assert.equal(noise.seriesRateCmPerMonth, null);
    assert.deepEqual(noise.notDetermined, [ND.dfi, ND.growth, ND.sites, ND.resectability, ND.grade]);
  });

  it('the Park rate wins over the rate between scans; with a zero interval there is no Park rate', () => {
    const both = path(favourableCase, { ...good, growth: seriesGrowth(3) }).recurrence!;
    assert.equal(both.parkRateCmPerMonth, 0.17);
    assert.equal(both.seriesRateCmPerMonth, 3);
    assert.equal(both.favourable[1], 'growth 0.17 cm/month (Park rate; < 0.9)');
    // Imaged the day of the resection: DFI 0 months, no Park rate (no division by zero), the scan rate is used.
    const sameDay = path({ presentation: 'recurrent', tumor: { sizeCm: 6, imaging: { date: '2020-01-01' } }, history: [resected] }, { ...NONE, growth: seriesGrowth(0.5) }).recurrence!;
    assert.equal(sameDay.diseaseFreeIntervalMonths, 0);
    assert.equal(sameDay.parkRateCmPerMonth, null);
    assert.deepEqual(sameDay.unfavourable, ['disease-free interval 0 months (≤ 24)']);
    assert.deepEqual(sameDay.favourable, ['growth 0.5 cm/month (between scans; < 0.9)']);
  });

  it('a recurrence after a piecemeal resection: the spill line follows, with its source; no outside-surgery line', () => {
    const r = path({ presentation: 'recurrent', history: [{ kind: 'surgery', where: 'elsewhere', resectionType: 'piecemeal' }] });
    assert.equal(r.position, 'recurrent');
    assert.equal(r.spill, true);
    assert.equal(r.reasons.length, 2);
    assert.equal(r.reasons[1], spillLine('Piecemeal removal'));
    assert.deepEqual(r.sources, [...REC_SOURCES, 'BONVALOT-2009']);
  });
});
