/**
 * SEER EOD 2018 Retroperitoneum, staged by the generic engine over the project's copy of SEER's
 * tables. Every expected value below was read by hand from the tables in
 * src/registry/seer-eod/retroperitoneum/tables/ (the comment names the rows), not computed by the
 * implementation. Together the cases touch all 32 tables of the schema, including error rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAlgorithm, RETROPERITONEUM_DIR } from '../../src/registry/load.ts';
import { recordStager } from '../../src/registry/naaccr-record.ts';

const algorithm = loadAlgorithm(RETROPERITONEUM_DIR);
const HEADER = [
  'primarySite', 'histologicTypeIcdO3', 'behaviorCodeIcdO3', 'sex', 'eodPrimaryTumor', 'tumorSizeSummary', 'eodRegionalNodes', 'eodMets',
  'gradeClinical', 'gradePathological', 'gradePostTherapyClin', 'gradePostTherapyPath',
  'dateOfDiagnosis', 'tumorSizeClinical', 'tumorSizePathologic', 'regionalNodesPositive', 'regionalNodesExamined', 'lymphVascularInvasion',
  'rxSummSurgRadSeq', 'rxSummSystemicSurSeq', 'summaryStage2018', 'boneInvasion',
];
const stager = recordStager(algorithm, HEADER, { currentYear: 2026 });

interface Row {
  site: string; hist: string; sex?: string; pt?: string; size?: string; rn?: string; mets?: string;
  gc?: string; gp?: string; yc?: string; yp?: string; extra?: Partial<Record<(typeof HEADER)[number], string>>;
}
interface Expected { t: string; n: string; m: string; group: string; ss: string; errors?: string[]; notes?: string[] }

function stage(r: Row) {
  const values: Record<string, string> = {
    primarySite: r.site, histologicTypeIcdO3: r.hist, behaviorCodeIcdO3: '3', sex: r.sex ?? '1', eodPrimaryTumor: r.pt ?? '', tumorSizeSummary: r.size ?? '',
    eodRegionalNodes: r.rn ?? '', eodMets: r.mets ?? '', gradeClinical: r.gc ?? '', gradePathological: r.gp ?? '', gradePostTherapyClin: r.yc ?? '', gradePostTherapyPath: r.yp ?? '',
    ...r.extra,
  };
  const [t, n, m, group, ss, errors, notes] = stager.stageRecord(HEADER.map((h) => values[h] ?? ''));
  return { t, n, m, group, ss, errors: errors ? errors.split(';') : [], notes: notes ? notes.split(';') : [] };
}

function check(r: Row, e: Expected): void {
  const got = stage(r);
  assert.deepEqual(
    { t: got.t, n: got.n, m: got.m, group: got.group, ss: got.ss, errors: got.errors },
    { t: e.t, n: e.n, m: e.m, group: e.group, ss: e.ss, errors: e.errors ?? [] },
  );
  if (e.notes) assert.deepEqual(got.notes, e.notes);
}

test('C48.0 leiomyosarcoma-type staging: extension to an organ, 12 cm, G3 pathological → T3 N0 M0 stage 3B, SS2018 2', () => {
  // schema_selection_retroperitoneum row 1 (C480, 8858 in 8810-8921, sex *); ajcc_chapter_calculation row 3 (8858 → AJCC ID 44).
  // extension_bfv row "200": JUMP tumor_size_with_primary_tumor_for_ajcc_t_84996, SS2018 T = RE;
  // tumor_size_with_… row "100,200,700 | 101-150" → T3. nodes_dfq "000" → N0/NONE. eod_mets_23953 "00" → M0/NONE.
  // summary_stage_rpa row 6 (RE, NONE, NONE) → 2. parse_t "T3" → 3, parse_n "N0" → 0, parse_m "M0" → 0.
  // combined_grade row 1 (grade_path in 1,2,3,…) → {{grade_path}} = 3. tnm8_path_stage_upm row "3,0,0,3" → 3B.
  check({ site: 'C480', hist: '8858', pt: '200', size: '120', rn: '000', mets: '00', gc: '9', gp: '3' }, { t: 'T3', n: 'N0', m: 'M0', group: '3B', ss: '2' });
});

test('50 mm is T1 and 51 mm T2 (inclusive upper bounds); clinical grade used when the pathological one is unknown', () => {
  // size rows "001-050" → T1 and "051-100" → T2. nodes_dfq "999" → N0/U (unknown nodes are negative here).
  // summary_stage_rpa row 5 (L, NONE/U/NA, NONE/U/NA) → 1. combined_grade row 2 (clin 1–3, path 9) → {{grade_clin}}.
  // tnm8_path_stage_upm "1,0,0,1" → 1A; "2,0,0,2" → 3A.
  check({ site: 'C480', hist: '8858', pt: '100', size: '050', rn: '999', mets: '00', gc: '1', gp: '9' }, { t: 'T1', n: 'N0', m: 'M0', group: '1A', ss: '1' });
  check({ site: 'C480', hist: '8890', pt: '100', size: '051', rn: '000', mets: '00', gc: '2', gp: '9' }, { t: 'T2', n: 'N0', m: 'M0', group: '3A', ss: '1' });
});

test('peritoneum C48.1 with further contiguous extension, 151 mm, nodes → T4 N1 M0 3B, SS2018 7; generic grades fall to the pathological one', () => {
  // schema_selection row 3 (C481, 8858 in 8823-8921, sex *). extension_bfv "700" → JUMP, SS2018 T = D; size "151-989" → T4.
  // nodes_dfq "300" → N1/RN. summary_stage_rpa row 9 (D, *, *) → 7.
  // combined_grade rows 1–4 fail (no 1–3 grade; yc/yp blank), row 5 (clin A–9, path A–E, yc/yp blank allowed) → {{grade_path}} = B.
  // tnm8_path_stage_upm row "*,1,0,*" → 3B.
  check({ site: 'C481', hist: '8858', pt: '700', size: '151', rn: '300', mets: '00', gc: 'A', gp: 'B' }, { t: 'T4', n: 'N1', m: 'M0', group: '3B', ss: '7' });
});

test('no evidence of primary with nodes and distant metastasis → T0 N1 M1 stage 4, SS2018 7', () => {
  // extension_bfv "800" → T0 and SS2018 T = U (no size table). nodes_dfq "800" → N1/RN. eod_mets_23953 "10" → M1/D.
  // summary_stage_rpa: rows 1–10 fail, row 11 (L/RE/U, NONE/RN/U/NA, D) → 7. tnm8_path_stage_upm row "*,*,1,*" → 4.
  check({ site: 'C480', hist: '9040', pt: '800', size: '999', rn: '800', mets: '10', gc: '3', gp: '9' }, { t: 'T0', n: 'N1', m: 'M1', group: '4', ss: '7' });
});

test('TX N0 M0 with unknown grade is stage "1" (registry stage I NOS); with G3 it is 99; death-certificate mets code stays M0', () => {
  // extension_bfv "999" → TX/U. eod_mets "99" → M0/U. summary_stage_rpa row 12 (U, NONE, U) → 9.
  // combined_grade row 9 (9, 9, blank, blank) → {{grade_path}} = 9; tnm8_path_stage_upm "X ,0,0,9…" (the cell is "X " in SEER's file) → 1.
  check({ site: 'C480', hist: '8858', pt: '999', size: '999', rn: '000', mets: '99', gc: '9', gp: '9' }, { t: 'TX', n: 'N0', m: 'M0', group: '1', ss: '9' });
  // extension "100" with size "999" → size row "100,200,700 | 999" → TX; SS2018 L → row 5 → 1. Grade 3 → tnm8 "X ,0,0,3" → 99.
  check({ site: 'C480', hist: '8858', pt: '100', size: '999', rn: '000', mets: '00', gc: '9', gp: '3' }, { t: 'TX', n: 'N0', m: 'M0', group: '99', ss: '1' });
});

test('post-therapy grades are used when neither clinical nor pathological grade is 1–3', () => {
  // combined_grade row 4 (clin 9, path 9, yc 1–3, yp blank) → {{grade_post_therapy_clin}} = 2; T1 (size 030) → tnm8 "1,0,0,2" → 2.
  check({ site: 'C480', hist: '8858', pt: '100', size: '030', rn: '000', mets: '00', gc: '9', gp: '9', yc: '2' }, { t: 'T1', n: 'N0', m: 'M0', group: '2', ss: '1' });
  // combined_grade row 3 (clin C, path 9, yp 1) → {{grade_post_therapy_path}} = 1; T2 (size 100) → tnm8 "2,0,0,1" → 1B.
  check({ site: 'C480', hist: '8858', pt: '100', size: '100', rn: '000', mets: '00', gc: 'C', gp: '9', yp: '1' }, { t: 'T2', n: 'N0', m: 'M0', group: '1B', ss: '1' });
});

test('well-differentiated liposarcoma (8851) is in the schema but not AJCC-staged: T/N/M/stage 88, summary stage still derived', () => {
  // ajcc_chapter_calculation row "8851,8853,…" → AJCC ID XX. Mapping eod_2018_stage_group: inclusion tnm8_inclusions_tab ("44") fails → skipped.
  // Mapping eod_tnm_cleanup: exclusion tnm8_inclusions_tab does not match XX → applies; eod_tnm_component_cleanup_58170 row "XX" → 88 ×4.
  // Summary stage: extension "200" → RE, size 200 → T4 (then cleaned to 88); nodes 000 NONE; mets 00 NONE → rpa row 6 → 2.
  check(
    { site: 'C480', hist: '8851', pt: '200', size: '200', rn: '000', mets: '00', gc: '1', gp: '9' },
    { t: '88', n: '88', m: '88', group: '88', ss: '2', notes: ['registry: not AJCC-staged (histology 8851 has no AJCC 8 chapter in this schema, derived T/N/M/stage 88)'] },
  );
});

test('error row: localized tumour with tumour size 000 conflicts; T and stage keep their initial 90', () => {
  // size row "100,200,700 | 000" → ERROR (message from the table); eod_2018_t keeps the mapping's initial context 90; SS2018 T = L still set.
  // parse_t_2177 has no row "90" → match not found; tmp_eod_t never set → the input mapping to tnm8_path_stage_upm fails;
  // tnm8_path_stage_upm with t blank, n 0, m 0, grade 3 matches no row. Stage group keeps its initial 90. rpa row 5 → 1.
  check(
    { site: 'C480', hist: '8858', pt: '100', size: '000', rn: '000', mets: '00', gc: '9', gp: '3' },
    {
      t: '90', n: 'N0', m: 'M0', group: '90', ss: '1',
      errors: [
        'Localized tumor or tumor with extension - Tumor Size is in conflict',
        "Match not found in table 'parse_t_2177' (90)",
        "Input mapping 'tmp_eod_t' does not exist for table 'tnm8_path_stage_upm'",
        "Match not found in table 'tnm8_path_stage_upm' (<blank>,0,0,3)",
      ],
    },
  );
  // 998 is not a Tumor Size Summary code (tumor_size_summary_47973: 000, 001, 002-988, 989, 990, 999) and hits the same ERROR row "998".
  const got = stage({ site: 'C480', hist: '8858', pt: '200', size: '998', rn: '000', mets: '00', gc: '9', gp: '3' });
  assert.deepEqual(got.errors.slice(0, 2), ["Invalid 'size_summary' value (998)", 'Localized tumor or tumor with extension - Tumor Size is in conflict']);
});

test('error row: an EOD Mets code outside the table; the summary stage keeps its default 9', () => {
  // eod_mets_23953 has no "50": input invalid, then no match → eod_2018_m keeps 90 and ss2018_m is never set.
  // summary_stage_rpa (L, NONE, blank) matches no row → ss2018_derived keeps the output default 9.
  // parse_m_47057 has no "90" → tmp_eod_m unset → tnm8_path_stage_upm (1, 0, blank, 1) matches no row; group keeps 90.
  check(
    { site: 'C480', hist: '8858', pt: '100', size: '020', rn: '000', mets: '50', gc: '1', gp: '9' },
    {
      t: 'T1', n: 'N0', m: '90', group: '90', ss: '9',
      errors: [
        "Invalid 'eod_mets' value (50)",
        "Match not found in table 'eod_mets_23953' (50)",
        "Match not found in table 'summary_stage_rpa' (L,NONE,<blank>)",
        "Match not found in table 'parse_m_47057' (90)",
        "Input mapping 'tmp_eod_m' does not exist for table 'tnm8_path_stage_upm'",
        "Match not found in table 'tnm8_path_stage_upm' (1,0,<blank>,1)",
      ],
    },
  );
});

test('invalid codes are reported per input table and staging continues (on_invalid_input CONTINUE)', () => {
  // sex_19563 has no 7; grade_clinical_64933 and grade_pathological_19141 no X; grade_post_therapy_clin_27082 and
  // grade_post_therapy_path_35393 no 4. combined_grade: every row constrains grade_clin or grade_path to codes without X
  // → no match, so tnm8_path_stage_upm gets no grade (inputs t, n, m, grade).
  const got = stage({ site: 'C480', hist: '8858', sex: '7', pt: '100', size: '020', rn: '000', mets: '00', gc: 'X', gp: 'X', yc: '4', yp: '4' });
  assert.deepEqual(got.errors, [
    "Invalid 'sex' value (7)",
    "Invalid 'grade_clin' value (X)",
    "Invalid 'grade_path' value (X)",
    "Invalid 'grade_post_therapy_clin' value (4)",
    "Invalid 'grade_post_therapy_path' value (4)",
    "Match not found in table 'combined_grade_56638' (X,X,4,4)",
    "Input mapping 'grade_combined' does not exist for table 'tnm8_path_stage_upm'",
    "Match not found in table 'tnm8_path_stage_upm' (1,0,0,<blank>)",
  ]);
  assert.deepEqual([got.t, got.n, got.m, got.group, got.ss], ['T1', 'N0', 'M0', '90', '1']);
  // combined_grade row 1 lists 4 among grade_path codes (1,2,3,4,5,L,M,H) although grade_pathological_19141 does not:
  // the invalid 4 becomes the stage grade, and tnm8_path_stage_upm has no row for grade 4.
  const four = stage({ site: 'C480', hist: '8858', pt: '100', size: '020', rn: '000', mets: '00', gc: '9', gp: '4' });
  assert.deepEqual(four.errors, ["Invalid 'grade_path' value (4)", "Match not found in table 'tnm8_path_stage_upm' (1,0,0,4)"]);
  assert.equal(four.group, '90');
});

test('items not used for staging are validated against their tables when supplied', () => {
  const valid = { dateOfDiagnosis: '20210315', tumorSizeClinical: '120', tumorSizePathologic: '989', regionalNodesPositive: '00', regionalNodesExamined: '95', lymphVascularInvasion: '0', rxSummSurgRadSeq: '2', rxSummSystemicSurSeq: '0', summaryStage2018: '2', boneInvasion: '8' };
  const base = { site: 'C480', hist: '8858', pt: '200', size: '120', rn: '000', mets: '00', gc: '9', gp: '3' };
  check({ ...base, extra: valid }, { t: 'T3', n: 'N0', m: 'M0', group: '3B', ss: '2' });
  // Codes absent from: tumor_size_clinical_48894 (998), tumor_size_pathological_43328 (991), nodes_pos_fpa (96), nodes_exam_76029 (91),
  // lvi_full_56663 (5), radiation_surg_seq (1), systemic_surg_seq (8), ss2018_soft_tissue_retroperitoneum_5644 (5), bone_invasion_96628 (3).
  const invalid = { dateOfDiagnosis: '9999', tumorSizeClinical: '998', tumorSizePathologic: '991', regionalNodesPositive: '96', regionalNodesExamined: '91', lymphVascularInvasion: '5', rxSummSurgRadSeq: '1', rxSummSystemicSurSeq: '8', summaryStage2018: '5', boneInvasion: '3' };
  check(
    { ...base, extra: invalid },
    {
      t: 'T3', n: 'N0', m: 'M0', group: '3B', ss: '2',
      errors: [
        "Invalid 'size_clin' value (998)", "Invalid 'size_path' value (991)", "Invalid 'nodes_pos' value (96)", "Invalid 'nodes_exam' value (91)",
        "Invalid 'lvi' value (5)", "Invalid 'radiation_surg_seq' value (1)", "Invalid 'systemic_surg_seq' value (8)", "Invalid 'ss2018' value (5)",
        "Invalid 'bone_invasion' value (3)",
      ],
    },
  );
});

test('year of diagnosis: year_dx_validation allows 2018 to the current year and 9999', () => {
  const base = { site: 'C480', hist: '8858', pt: '200', size: '120', rn: '000', mets: '00', gc: '9', gp: '3' };
  check({ ...base, extra: { dateOfDiagnosis: '20260101' } }, { t: 'T3', n: 'N0', m: 'M0', group: '3B', ss: '2' });
  const early = stage({ ...base, extra: { dateOfDiagnosis: '20171231' } });
  assert.deepEqual([early.t, early.group], ['', '']);
  assert.match(early.errors[0]!, /Invalid 'year_dx' value \(2017\)/);
  assert.match(stage({ ...base, extra: { dateOfDiagnosis: '2027' } }).errors[0]!, /year_dx' value \(2027\)/);
});

test('blank items take the schema defaults: EOD 999/999/00, Tumor Size 999, grades 9 → TX N0 M0 stage 1, SS2018 9', () => {
  // Defaults from the schema's inputs. extension_bfv "999" → TX/U; nodes_dfq "999" → N0/U; eod_mets "00" → M0/NONE;
  // summary_stage_rpa row 12 (U, U, NONE) → 9; combined_grade row 9 → 9; tnm8 "X ,0,0,9" → 1.
  check({ site: 'C480', hist: '8858' }, { t: 'TX', n: 'N0', m: 'M0', group: '1', ss: '9' });
});

test('schema selection: site, histology and the sex discriminator', () => {
  const notStaged = (r: Row) => {
    const got = stage({ ...r, pt: '100', size: '020', rn: '000', mets: '00', gc: '1', gp: '9' });
    return got.t === '' && got.errors.length === 1 && /not in the Retroperitoneum schema .* not staged/.test(got.errors[0]!);
  };
  // primary_site has no C999, histology no 8004? (8000-8005 exists) — use 8007, which is in no histology row.
  assert.ok(notStaged({ site: 'C999', hist: '8858' }));
  assert.ok(notStaged({ site: 'C480', hist: '8007' }));
  // C490 is soft tissue, another schema; 8805 and 8806 on C480 go to Soft Tissue Rare (schema notes; not in selection row 1).
  assert.ok(notStaged({ site: 'C490', hist: '8858' }));
  assert.ok(notStaged({ site: 'C480', hist: '8805' }));
  assert.ok(notStaged({ site: 'C480', hist: '8806' }));
  // Selection row 2: C481 with 8000 only for sex 1, 3, 4, 5, 9; sex 2 → Primary Peritoneal Carcinoma.
  assert.ok(notStaged({ site: 'C481', hist: '8000', sex: '2' }));
  // 8000 → ajcc_chapter_calculation "8000-8700,…" → XX → 88.
  assert.equal(stage({ site: 'C481', hist: '8000', sex: '1', pt: '100', size: '020' }).group, '88');
  // Sex not supplied: the discriminator is not matched on (SEER's lookup leaves it out).
  assert.equal(stage({ site: 'C481', hist: '8000', sex: '', pt: '100', size: '020' }).group, '88');
  const missing = stage({ site: '', hist: '8858' });
  assert.deepEqual(missing.errors, ['primarySite and histologicTypeIcdO3 are required — not staged']);
});
