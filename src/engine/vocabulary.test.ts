import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ecogName,
  errorText,
  fieldName,
  formatDate,
  formatDateTime,
  fullCitation,
  histologyName,
  histologyWithCode,
  humanText,
  label,
  markerName,
  markerResultName,
  markerResultOptions,
  options,
  organName,
  organNameInText,
  priorityName,
  priorityPlainName,
  shortCitation,
  structureNameInText,
  valueText,
  vocabularyEntries,
} from './vocabulary.ts';
import { PRIORITIES } from './tables/strategy-rules.ts';
import { SOURCES } from './tables/sources.ts';
import { MARKERS } from './tables/markers.ts';
import { DIAGNOSTIC_CATEGORIES } from './tables/histology.ts';

const VOCABULARY = fileURLToPath(new URL('./vocabulary.ts', import.meta.url));

describe('vocabulary: human names, never raw ids', () => {
  it('names organs, histologies, markers and coded values as people write them', () => {
    assert.equal(organName('kidney_left'), 'Left kidney');
    assert.equal(organName('ivc'), 'Inferior vena cava');
    assert.equal(histologyWithCode('8858/3'), 'Dedifferentiated liposarcoma (ICD-O-3 8858/3)');
    assert.equal(markerResultName('MDM2', 'amplified'), 'amplified (FISH)');
    assert.equal(markerResultName('MDM2', 'positive'), 'positive (IHC)');
    assert.equal(markerResultName('desmin', 'focal'), 'focal');
    assert.equal(label('specimen', 'core_biopsy'), 'Core-needle biopsy');
    assert.equal(label('status', 'tumour_board'), 'Tumour board');
    assert.equal(label('surveillanceRule', 'esmo-schedule'), 'ESMO follow-up schedule');
    assert.equal(shortCitation('SEED'), 'Retroplan teaching chapter');
  });

  it('takes reference-sheet marks out of displayed text', () => {
    assert.equal(humanText('Rules out a functioning paraganglioma (REFERENCE §3.1, Vanderveen 2009).'), 'Rules out a functioning paraganglioma.');
    assert.equal(humanText('Germ-cell tumour markers (REFERENCE §3.1 [C]).'), 'Germ-cell tumour markers.');
    assert.equal(humanText('follow-up is long-term, lifelong-leaning [consensus on the schedule].'), 'follow-up is long-term, possibly lifelong [consensus on the schedule].');
  });

  it('phrases errors and values for people', () => {
    assert.equal(errorText('patient.ageYears', 'must be a number of years from 0 to 120'), 'Age: must be a number of years from 0 to 120');
    assert.equal(fieldName('pathology.markers.CD45'), 'CD45 (LCA)');
    assert.equal(valueText('tumor.contacts', ['kidney_left', 'colon_descending']), 'Left kidney, Descending colon');
    assert.equal(valueText('tumor.imaging.hypervascular', true), 'Yes');
    assert.equal(valueText('status', undefined), 'not recorded');
    assert.equal(formatDate('2026-02-10'), '10 Feb 2026');
  });
});

describe('vocabulary: every written name is there, and each function exactly', () => {
  // The fields people see named in errors, history and conflicts: each has a name written for it
  // (not the mechanical fallback from its key), and no two share one.
  const NAMED_FIELDS = [
    'id', 'presentation', 'patient.ageYears', 'patient.sex', 'patient.name', 'patient.dateOfBirth', 'patient.identifiers', 'patient.ecog', 'patient.comorbidities',
    'board.question', 'board.referrer', 'board.referringHospital', 'tumor.sizeCm', 'tumor.side', 'tumor.multifocal', 'tumor.nodes', 'tumor.metastasis', 'tumor.extension',
    'tumor.contacts', 'tumor.infiltrates', 'tumor.imaging.macroscopicFat', 'tumor.imaging.solidComponent', 'tumor.imaging.hypervascular', 'tumor.imaging.calcification',
    'tumor.imaging.organOfOrigin', 'tumor.imaging.vesselOrigin', 'tumor.imaging.date', 'tumor.imaging.modality', 'tumor.imaging.series', 'pathology.specimen',
    'pathology.histology', 'pathology.grade', 'pathology.date', 'pathology.fnclcc.differentiation', 'pathology.fnclcc.mitosesPer10Hpf', 'pathology.fnclcc.necrosisPercent',
    'surgery.margin', 'surgery.date', 'history', 'title', 'status',
  ];
  const mechanical = (path: string) => {
    const last = path.split('.').at(-1)!.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
    return last.replace(/^./, (c) => c.toUpperCase());
  };
  it('every named field of the case has its own written name', () => {
    const names = NAMED_FIELDS.map((p) => fieldName(p));
    for (const [i, p] of NAMED_FIELDS.entries()) {
      assert.ok(names[i]!.length > 0, p);
      if (!['id', 'presentation', 'title', 'status', 'history'].includes(p) && !/^[A-Z][a-z]+$/.test(names[i]!)) assert.notEqual(names[i], mechanical(p), p);
    }
    assert.equal(new Set(names).size, names.length, 'no two fields share a name');
    assert.deepEqual(['id', 'title', 'status', 'history', 'tumor.sizeCm', 'pathology.grade'].map(fieldName), ['Case reference', 'Title', 'Status', 'Prior procedures', 'Greatest dimension', 'Reported grade']);
  });
  it('fieldName: markers by their name, list items and nested keys by their nearest named parent, anything else humanised', () => {
    assert.equal(fieldName('pathology.markers.MDM2'), markerName('MDM2'));
    assert.equal(fieldName('pathology.markers'), 'Markers');
    assert.equal(fieldName('history[2].margin'), 'Prior procedures');
    assert.equal(fieldName('tumor.imaging.series[1].greatestDimensionCm'), 'Serial measurements');
    assert.equal(fieldName('patient.identifiers[0].value'), 'Hospital number');
    assert.equal(fieldName('followUp.lastContactDate'), 'Last Contact Date');
    assert.equal(fieldName('some_field'), 'Some field');
  });
  it('every strategy priority has a plain-language sentence of its own for the patient summary', () => {
    const plain = Object.keys(PRIORITIES).map((id) => priorityPlainName(id));
    for (const [i, id] of Object.keys(PRIORITIES).entries()) {
      assert.match(plain[i]!, /^[A-Z].{15,}\.$/, id);
      assert.notEqual(plain[i], `${priorityName(id)}.`, id);
    }
    assert.equal(new Set(plain).size, plain.length);
    assert.equal(priorityPlainName('unknown-thing'), 'Unknown thing.');
    assert.equal(priorityName('en-bloc-resection'), PRIORITIES['en-bloc-resection'].label);
  });
  it('every source has a short citation, no two alike; the teaching chapter is cited as such', () => {
    const short = Object.keys(SOURCES).map((id) => shortCitation(id));
    for (const [i, id] of Object.keys(SOURCES).entries()) assert.ok(short[i]!.trim().length > 1, id);
    assert.equal(new Set(short).size, short.length);
    assert.deepEqual(['AJCC8', 'STRASS2', 'ESMO-2021', 'TARPSWG-REC-2022'].map(shortCitation), ['AJCC 8th ed. 2017', 'STRASS2 (EORTC 1809)', 'ESMO–EURACAN–GENTURIS 2021', 'TARPSWG recurrence 2022']);
    assert.equal(fullCitation('AJCC8'), SOURCES.AJCC8);
    assert.equal(fullCitation('NOT-A-SOURCE'), 'NOT A SOURCE');
  });
  it('ECOG in words (Oken 1982), 0 to 4; another value is shown as its number', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5].map(ecogName), [
      'ECOG 0 — fully active',
      'ECOG 1 — restricted in strenuous activity',
      'ECOG 2 — ambulatory, up > 50 % of the day, no work',
      'ECOG 3 — limited self-care, in bed or chair > 50 % of the day',
      'ECOG 4 — completely disabled',
      'ECOG 5',
    ]);
  });
  it('humanText: each developer mark comes out, nothing else changes', () => {
    const cases: [string, string][] = [
      ['Refer first (REFERENCE-2 §8.1, TARPSWG 2015).', 'Refer first.'],
      ['Refer first (SEED; teaching).', 'Refer first.'],
      ['A rule [V] and [C] and [S] and [I].', 'A rule and and and.'],
      ['As REFERENCE.md §3.2 [V] says, biopsy.', 'As says, biopsy.'],
      ['Per REFERENCE-2 §5 the MDT decides.', 'Per the MDT decides.'],
      ['The Seed Chapter teaches it.', 'The teaching chapter teaches it.'],
      ['SEED; the MDT decides.', 'the MDT decides.'],
      ['SEED, then more.', 'then more.'],
      ['follow-up lifelong-leaning for WD-LPS', 'follow-up possibly lifelong for WD-LPS'],
      ['A gap ( ; ) here.', 'A gap here.'],
      ['Spaces  inside   text , and before .', 'Spaces inside text, and before.'],
      ['  trimmed  ', 'trimmed'],
      ['Nothing to change (Gronchi 2016) [consensus].', 'Nothing to change (Gronchi 2016) [consensus].'],
    ];
    for (const [input, expected] of cases) assert.equal(humanText(input), expected, input);
    assert.equal(errorText('tumor.sizeCm', 'must be positive (REFERENCE §11)'), 'Greatest dimension: must be positive');
  });
  it('valueText: each kind of value as people read it', () => {
    const cases: [string, unknown, string][] = [
      ['tumor.sizeCm', null, 'not recorded'],
      ['tumor.sizeCm', '', 'not recorded'],
      ['tumor.multifocal', false, 'No'],
      ['tumor.contacts', [], 'none'],
      ['history', [{ kind: 'biopsy' }], '{"kind":"biopsy"}'],
      ['pathology.fnclcc', { differentiation: 2, necrosisPercent: 10 }, 'Differentiation score: 2; Necrosis: 10 %'],
      ['pathology.markers.MDM2', 'amplified', 'amplified (FISH)'],
      ['tumor.infiltrates', ['ivc'], 'Inferior vena cava'],
      ['tumor.imaging.organOfOrigin', 'kidney_left', 'Left kidney'],
      ['tumor.imaging.vesselOrigin', 'ivc', 'Inferior vena cava'],
      ['pathology.histology', '8858/3', 'Dedifferentiated liposarcoma (ICD-O-3 8858/3)'],
      ['pathology.specimen', 'resection', 'Resection specimen'],
      ['status', 'closed', 'Closed'],
      ['tumor.side', 'midline', 'Midline'],
      ['patient.sex', 'female', 'Female'],
      ['presentation', 'recurrent', 'Recurrent'],
      ['tumor.extension', ['sciatic_notch'], 'Through the sciatic notch'],
      ['tumor.imaging.modality', 'US', 'Ultrasound'],
      ['tumor.sizeCm', 22, '22 cm'],
      ['pathology.fnclcc.necrosisPercent', 40, '40 %'],
      ['patient.ageYears', 58, '58'],
    ];
    for (const [path, value, expected] of cases) assert.equal(valueText(path, value), expected, `${path} ${JSON.stringify(value)}`);
  });
  it('names for unknown codes are humanised, never raw; empty stays empty', () => {
    assert.equal(organName('no_such_organ'), 'No such organ');
    assert.equal(organNameInText('kidney_left'), 'left kidney');
    assert.equal(organNameInText('no_such-organ'), 'no such organ');
    assert.equal(structureNameInText('ivc'), 'inferior vena cava');
    assert.equal(structureNameInText('spinal_canal'), 'spinal canal');
    assert.equal(structureNameInText('some_place'), 'some place');
    assert.equal(markerName('MDM2'), MARKERS.MDM2.label);
    assert.equal(markerName('XYZ'), 'XYZ');
    assert.equal(markerResultName('CDK4', 'not_amplified'), 'not amplified (FISH)');
    assert.equal(markerResultName('CDK4', 'weird_value'), 'Weird value');
    assert.equal(markerResultName('desmin', 'weird_value'), 'Weird value');
    assert.deepEqual(markerResultOptions('MDM2'), MARKERS.MDM2.results.map((r) => [r, markerResultName('MDM2', r)]));
    assert.equal(histologyName('8858/3'), 'Dedifferentiated liposarcoma');
    assert.equal(histologyName('9999/9'), '9999/9');
    assert.equal(histologyWithCode('9999/9'), 'ICD-O-3 9999/9');
    assert.deepEqual([label('sex', null), label('sex', undefined), label('sex', ''), label('sex', 'not_known')], ['', '', '', 'Not known']);
    assert.deepEqual(options('presentation'), [['primary', 'Primary'], ['recurrent', 'Recurrent']]);
    const entries = vocabularyEntries();
    assert.ok(entries.some(([t, id, name]) => t === 'referralStatus' && id === 'decided' && name === 'Decision returned'));
    for (const [table, id, name] of entries) assert.ok(name.trim().length > 0, `${table}.${id}`);
  });
  it('every diagnostic category of the histology table has a written name', () => {
    const names = DIAGNOSTIC_CATEGORIES.map((c) => label('category', c));
    assert.deepEqual(names, ['sarcoma', 'carcinoma', 'lymphoma', 'paraganglioma', 'GIST', 'germ-cell tumour', 'desmoid tumour', 'benign tumour']);
  });
  it('dates away from UTC: a date-only value stays its calendar day; a time is shown in local time (Auckland, Los Angeles)', () => {
    // A time zone is fixed when a process starts (a worker thread cannot change it): each zone gets its own process.
    const inZone = (tz: string, expression: string) =>
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import * as v from ${JSON.stringify(VOCABULARY)}; process.stdout.write(JSON.stringify(${expression}))`], {
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
    assert.deepEqual(
      JSON.parse(inZone('Pacific/Auckland', "[v.formatDate('2026-03-01'), v.formatDate('2026-03-01T20:00:00Z'), v.formatDateTime('2026-03-01T20:05:00Z'), v.formatDate(new Date('2026-03-01T20:00:00Z'))]")),
      ['1 Mar 2026', '2 Mar 2026', '2 Mar 2026, 09:05', '2 Mar 2026'],
    );
    assert.deepEqual(
      JSON.parse(inZone('America/Los_Angeles', "[v.formatDate('2026-03-01'), v.formatDate('2026-03-01T05:00:00Z'), v.formatDateTime('2026-03-01T05:00:00Z')]")),
      ['1 Mar 2026', '28 Feb 2026', '28 Feb 2026, 21:00'],
    );
  });
  it('humanText: marks of the seed and empty brackets go with the space around them', () => {
    assert.equal(humanText('As taught (SEED) here; SEED,   more and SEED text.'), 'As taught here; more and text.');
    assert.equal(humanText('Empty ( ) and (;) and (  ,  ) gone.'), 'Empty and and gone.');
    assert.equal(humanText('Trailing  ,  and    ;  spaces .'), 'Trailing, and; spaces.');
  });
  it('dates: one format everywhere; a date-only value is that calendar day in any time zone; bad values are shown as given', () => {
    assert.deepEqual(['2026-01-01', '2026-12-31', '2024-02-29'].map(formatDate), ['1 Jan 2026', '31 Dec 2026', '29 Feb 2024']);
    assert.equal(formatDate(new Date(2026, 2, 1, 23, 30)), '1 Mar 2026');
    assert.deepEqual([formatDate(null), formatDate(undefined), formatDate(''), formatDate('not a date')], ['', '', '', 'not a date']);
    assert.equal(formatDateTime(new Date(2026, 1, 10, 9, 5)), '10 Feb 2026, 09:05');
    assert.equal(formatDateTime(new Date(2026, 10, 3, 17, 45)), '3 Nov 2026, 17:45');
    assert.deepEqual([formatDateTime(null), formatDateTime(undefined), formatDateTime(''), formatDateTime('garbage')], ['', '', '', 'garbage']);
  });
});
