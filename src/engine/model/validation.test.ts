import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateCase, parseCase, InputError } from './validation.ts';

const errorsOf = (input: unknown) => {
  const r = validateCase(input);
  assert.equal(r.ok, false);
  return r.ok ? [] : r.errors;
};

describe('case validation (case model v1)', () => {
  it('applies defaults: primary presentation, empty sections', () => {
    const c = parseCase({});
    assert.equal(c.presentation, 'primary');
    assert.deepEqual(c.tumor, {});
    assert.deepEqual(c.patient, {});
  });

  it('names the field and the rule for every problem', () => {
    const errors = errorsOf({
      patient: { ageYears: 130, sex: 'x' },
      tumor: { sizeCm: 0, nodes: 'N2', contacts: ['kidney_left', 'kidney'], imaging: { macroscopicFat: 'yes' } },
      pathology: { histology: '8858', markers: { MDM2: 'strong', FOO: 'positive' }, fnclcc: { differentiation: 4, mitosesPer10Hpf: 2.5, necrosisPercent: 120 } },
      surgery: { margin: 'R3' },
    });
    const byPath = new Map(errors.map((e) => [e.path, e.message]));
    assert.equal(byPath.get('tumor.sizeCm'), 'must be a positive number ≤ 100');
    for (const path of [
      'patient.ageYears', 'patient.sex', 'tumor.nodes', 'tumor.contacts[1]', 'tumor.imaging.macroscopicFat', 'pathology.histology',
      'pathology.markers.MDM2', 'pathology.markers.FOO', 'pathology.fnclcc.differentiation', 'pathology.fnclcc.mitosesPer10Hpf',
      'pathology.fnclcc.necrosisPercent', 'surgery.margin',
    ]) {
      assert.ok(byPath.has(path), `expected an error at ${path}, got ${[...byPath.keys()].join(', ')}`);
    }
    assert.match(byPath.get('tumor.contacts[1]')!, /unknown organ id "kidney"/);
    assert.match(byPath.get('pathology.markers.FOO')!, /not a recognised field/);
  });

  it('rejects unknown keys, including prototype-pollution keys, without polluting', () => {
    const errors = errorsOf(JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1}'));
    assert.deepEqual(errors.map((e) => e.path).sort(), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('rejects a non-object', () => {
    for (const bad of [null, 3, 'case', [1]]) assert.equal(errorsOf(bad)[0]!.path, '');
  });

  it('reports missing FNCLCC components as required', () => {
    const errors = errorsOf({ pathology: { fnclcc: { differentiation: 2 } } });
    assert.deepEqual(errors.map((e) => `${e.path}: ${e.message}`), [
      'pathology.fnclcc.mitosesPer10Hpf: is required',
      'pathology.fnclcc.necrosisPercent: is required',
    ]);
  });

  it('reports a missing value of a closed list as required, not as an unknown value "undefined"; a null stays a wrong value', () => {
    assert.deepEqual(
      errorsOf({ patient: { identifiers: [{ value: 'x' }] }, history: [{ kind: 'surgery' }, { kind: 'biopsy' }] }).map((e) => `${e.path}: ${e.message}`),
      ['patient.identifiers[0].kind: is required', 'history[0].resectionType: is required', 'history[1].method: is required'],
    );
    assert.deepEqual(errorsOf({ patient: { sex: null } }).map((e) => `${e.path}: ${e.message}`), ['patient.sex: unknown sex null; expected one of "female", "male", "other", "unknown"']);
  });

  it('does not echo a huge hostile string back whole', () => {
    const errors = errorsOf({ tumor: { nodes: 'N'.repeat(100_000) } });
    assert.ok(errors[0]!.message.length < 200);
  });

  it('parseCase throws an InputError carrying every field error', () => {
    assert.throws(() => parseCase({ tumor: { sizeCm: -3 } }), (e: unknown) => e instanceof InputError && e.errors[0]!.path === 'tumor.sizeCm');
  });
});

describe('the case model refuses each wrong value with its field and its own words (one error per field)', () => {
  const long = (n: number) => 'x'.repeat(n);
  const SEXES = 'expected one of "female", "male", "other", "unknown"';
  // [input, the errors expected: [path, message]]; an input accepted expects none. Messages reviewed against
  // the case model (model/case.ts): ranges, units and the closed lists named, the rejected value quoted short.
  const table: [unknown, [string, string][]][] = [
    [{ id: 7 }, [["id","must be a string"]]],
    // A rejected value is quoted short: a list or an object by its kind, a long text cut at 40 characters.
    [{ patient: { sex: ['m'] } }, [['patient.sex', `unknown sex a list; ${SEXES}`]]],
    [{ patient: { sex: { a: 1 } } }, [['patient.sex', `unknown sex an object; ${SEXES}`]]],
    [{ patient: { sex: 'y'.repeat(70) } }, [['patient.sex', `unknown sex "${'y'.repeat(36)}…; ${SEXES}`]]],
    [{ patient: { sex: 'y'.repeat(39) } }, [['patient.sex', `unknown sex "${'y'.repeat(36)}…; ${SEXES}`]]],
    [{ patient: { sex: 'y'.repeat(38) } }, [['patient.sex', `unknown sex "${'y'.repeat(38)}"; ${SEXES}`]]],
    [{ patient: { sex: 12345 } }, [['patient.sex', `unknown sex 12345; ${SEXES}`]]],
    [{ patient: { name: 'a'.repeat(200) } }, []],
    [{ pathology: { date: 20240101 } }, [['pathology.date', 'must be a date written YYYY-MM-DD']]],
    [{ tumor: { imaging: { series: [{ date: '2024-01-01', diametersCm: [0, 1, 1] }] } } }, [['tumor.imaging.series[0].diametersCm[0]', 'must be a positive number ≤ 100']]],
    [{ tumor: { imaging: { series: [{ date: '2024-01-01', diametersCm: [1, 1, 0] }] } } }, [['tumor.imaging.series[0].diametersCm[2]', 'must be a positive number ≤ 100']]],
    [{ tumor: { imaging: { series: [{ date: '2024-01-01', greatestDimensionCm: 3, modality: 'XR' }] } } }, [['tumor.imaging.series[0].modality', 'unknown imaging modality "XR"; expected one of "CT", "MRI", "PET-CT", "US"']]],
    [{ id: '' }, [["id","must not be empty"]]],
    [{ id: long(201) }, [["id","must be at most 200 characters"]]],
    [{ schemaVersion: 1 }, []],
    [{ schemaVersion: 99 }, [["schemaVersion","must be 2 (the case model version this engine reads; older cases are upgraded)"]]],
    [{ presentation: 'new' }, [["presentation","unknown presentation \"new\"; expected one of \"primary\", \"recurrent\""]]],
    [{ patient: { ageYears: -1 } }, [["patient.ageYears","must be a number of years from 0 to 120"]]],
    [{ patient: { ageYears: 121 } }, [["patient.ageYears","must be a number of years from 0 to 120"]]],
    [{ patient: { ageYears: '58' } }, [["patient.ageYears","must be a number of years from 0 to 120"]]],
    [{ patient: { sex: 'm' } }, [["patient.sex", `unknown sex "m"; ${SEXES}`]]],
    [{ patient: { name: '' } }, [["patient.name","must not be empty"]]],
    [{ patient: { name: long(201) } }, [["patient.name","must be at most 200 characters"]]],
    [{ patient: { name: 5 } }, [["patient.name","must be text"]]],
    [{ patient: { dateOfBirth: '1960-13-01' } }, [["patient.dateOfBirth","must be a date written YYYY-MM-DD"]]],
    [{ patient: { dateOfBirth: '1960-02-30' } }, [["patient.dateOfBirth","must be a date that exists"]]],
    [{ patient: { dateOfBirth: 'x1960-01-01' } }, [["patient.dateOfBirth","must be a date written YYYY-MM-DD"]]],
    [{ patient: { dateOfBirth: '1960-01-01x' } }, [["patient.dateOfBirth","must be a date written YYYY-MM-DD"]]],
    [{ patient: { dateOfBirth: 19600101 } }, [["patient.dateOfBirth","must be a date written YYYY-MM-DD"]]],
    [{ patient: { identifiers: 'mrn' } }, [["patient.identifiers","must be a list of identifiers"]]],
    [{ patient: { identifiers: Array.from({ length: 21 }, () => ({ kind: 'mrn', value: 'x' })) } }, [["patient.identifiers","must list at most 20 identifiers"]]],
    [{ patient: { identifiers: [{ kind: 'passport', value: 'x' }] } }, [["patient.identifiers[0].kind","unknown identifier kind \"passport\"; expected one of \"mrn\", \"national\", \"fhir\", \"other\""]]],
    [{ patient: { ecog: 5 } }, [["patient.ecog","must be an ECOG performance status from 0 to 4"]]],
    [{ patient: { ecog: '1' } }, [["patient.ecog","must be an ECOG performance status from 0 to 4"]]],
    [{ patient: { comorbidities: long(2001) } }, [["patient.comorbidities","must be at most 2000 characters"]]],
    [{ board: { question: long(2001) } }, [["board.question","must be at most 2000 characters"]]],
    [{ board: { referrer: long(201) } }, [["board.referrer","must be at most 200 characters"]]],
    [{ board: { referringHospital: long(201) } }, [["board.referringHospital","must be at most 200 characters"]]],
    [{ tumor: { sizeCm: 0 } }, [["tumor.sizeCm","must be a positive number ≤ 100"]]],
    [{ tumor: { sizeCm: 100.5 } }, [["tumor.sizeCm","must be a positive number ≤ 100"]]],
    [{ tumor: { sizeCm: 'big' } }, [["tumor.sizeCm","must be a positive number ≤ 100"]]],
    [{ tumor: { multifocal: 'yes' } }, [["tumor.multifocal","must be true or false"]]],
    [{ tumor: { nodes: 'N2' } }, [["tumor.nodes","unknown N category \"N2\"; expected one of \"N0\", \"N1\""]]],
    [{ tumor: { metastasis: 'M2' } }, [["tumor.metastasis","unknown M category \"M2\"; expected one of \"M0\", \"M1\""]]],
    [{ tumor: { side: 'up' } }, [["tumor.side","unknown side \"up\"; expected one of \"left\", \"right\", \"midline\", \"pelvic\""]]],
    [{ tumor: { contacts: 'kidney_left' } }, [["tumor.contacts","must be a list of organ ids"]]],
    [{ tumor: { contacts: ['heart'] } }, [["tumor.contacts[0]","unknown organ id \"heart\" (organ ids are listed in REFERENCE §11, e.g. \"kidney_left\", \"colon_descending\", \"ivc\")"]]],
    [{ tumor: { contacts: Array.from({ length: 200 }, () => 'kidney_left') } }, [["tumor.contacts","must list at most 49 organs"]]],
    [{ tumor: { infiltrates: [42] } }, [["tumor.infiltrates[0]","unknown organ id 42 (organ ids are listed in REFERENCE §11, e.g. \"kidney_left\", \"colon_descending\", \"ivc\")"]]],
    [{ tumor: { extension: 'spinal_canal' } }, [["tumor.extension","must be a list of extensions"]]],
    [{ tumor: { extension: ['brain'] } }, [["tumor.extension[0]","unknown extension \"brain\"; expected one of \"spinal_canal\", \"right_atrium\", \"sciatic_notch\", \"transdiaphragmatic\""]]],
    [{ tumor: { extension: ['spinal_canal', 'right_atrium', 'sciatic_notch', 'transdiaphragmatic', 'spinal_canal'] } }, [["tumor.extension","must list at most 4 extensions"]]],
    [{ tumor: { imaging: { macroscopicFat: 1, solidComponent: 'no', hypervascular: null, calcification: 'x' } } }, [["tumor.imaging.macroscopicFat","must be true or false"],["tumor.imaging.solidComponent","must be true or false"],["tumor.imaging.hypervascular","must be true or false"],["tumor.imaging.calcification","must be true or false"]]],
    [{ tumor: { imaging: { vesselOrigin: 'heart', organOfOrigin: 'moon', modality: 'XR', date: '2024-1-1' } } }, [["tumor.imaging.vesselOrigin","unknown organ id \"heart\" (organ ids are listed in REFERENCE §11, e.g. \"kidney_left\", \"colon_descending\", \"ivc\")"],["tumor.imaging.organOfOrigin","unknown organ id \"moon\" (organ ids are listed in REFERENCE §11, e.g. \"kidney_left\", \"colon_descending\", \"ivc\")"],["tumor.imaging.date","must be a date written YYYY-MM-DD"],["tumor.imaging.modality","unknown imaging modality \"XR\"; expected one of \"CT\", \"MRI\", \"PET-CT\", \"US\""]]],
    [{ tumor: { imaging: { series: 'x' } } }, [["tumor.imaging.series","must be a list of dated measurements"]]],
    [{ tumor: { imaging: { series: Array.from({ length: 51 }, () => ({ date: '2024-01-01', greatestDimensionCm: 3 })) } } }, [["tumor.imaging.series","must list at most 50 measurements"]]],
    [{ tumor: { imaging: { series: [{ date: '2024-01-01' }] } } }, [["tumor.imaging.series[0]","must give greatestDimensionCm or diametersCm"]]],
    [{ tumor: { imaging: { series: [{ date: '2024-01-01', greatestDimensionCm: 0 }] } } }, [["tumor.imaging.series[0].greatestDimensionCm","must be a positive number ≤ 100"]]],
    [{ tumor: { imaging: { series: [{ date: '2024-01-01', diametersCm: [1, 2] }] } } }, [["tumor.imaging.series[0].diametersCm","must be three diameters in cm"]]],
    [{ tumor: { imaging: { series: [{ date: '2024-01-01', diametersCm: [1, 0, 101] }] } } }, [["tumor.imaging.series[0].diametersCm[1]","must be a positive number ≤ 100"],["tumor.imaging.series[0].diametersCm[2]","must be a positive number ≤ 100"]]],
    [{ tumor: { imaging: { series: [{ greatestDimensionCm: 3 }] } } }, [["tumor.imaging.series[0].date","is required"]]],
    [{ pathology: { histology: 8858 } }, [["pathology.histology","must be an ICD-O-3 morphology code such as \"8858/3\""]]],
    [{ pathology: { histology: '8858' } }, [["pathology.histology","must be an ICD-O-3 morphology code such as \"8858/3\""]]],
    [{ pathology: { grade: 'G4', specimen: 'blood', date: '2024-02-31' } }, [["pathology.grade","unknown grade \"G4\"; expected one of \"G1\", \"G2\", \"G3\", \"GX\""],["pathology.specimen","unknown specimen \"blood\"; expected one of \"core_biopsy\", \"resection\""],["pathology.date","must be a date that exists"]]],
    [{ pathology: { markers: { MDM2: 'yes', XYZ: 'positive' } } }, [["pathology.markers.MDM2","unknown MDM2 result \"yes\"; expected one of \"amplified\", \"not_amplified\", \"positive\", \"negative\""],["pathology.markers.XYZ","is not a recognised field"]]],
    [{ pathology: { fnclcc: { differentiation: 4, mitosesPer10Hpf: 1.5, necrosisPercent: 101 } } }, [["pathology.fnclcc.differentiation","must be 1, 2 or 3"],["pathology.fnclcc.mitosesPer10Hpf","must be a whole number of mitoses per 10 HPF from 0 to 1000"],["pathology.fnclcc.necrosisPercent","must be a percentage from 0 to 100"]]],
    [{ pathology: { fnclcc: { differentiation: 2, mitosesPer10Hpf: -1, necrosisPercent: -1 } } }, [["pathology.fnclcc.mitosesPer10Hpf","must be a whole number of mitoses per 10 HPF from 0 to 1000"],["pathology.fnclcc.necrosisPercent","must be a percentage from 0 to 100"]]],
    [{ surgery: { margin: 'R3', date: 'today', intent: 'x', surgeon: '', rupture: 'no', bloodLossMl: 50001, transfusion: 1, clavienDindo: 'III', reoperation: 'no', lengthOfStayDays: 2.5, dischargedHome: 'y', readmittedWithin90Days: 'n', organsResected: ['x'], procedure: long(501), reconstruction: long(501), hospital: long(201) } }, [["surgery.margin","unknown margin \"R3\"; expected one of \"R0\", \"R1\", \"R2\""],["surgery.date","must be a date written YYYY-MM-DD"],["surgery.intent","unknown intent \"x\"; expected one of \"curative\", \"palliative\""],["surgery.surgeon","must not be empty"],["surgery.hospital","must be at most 200 characters"],["surgery.procedure","must be at most 500 characters"],["surgery.organsResected[0]","unknown organ id \"x\" (organ ids are listed in REFERENCE §11, e.g. \"kidney_left\", \"colon_descending\", \"ivc\")"],["surgery.reconstruction","must be at most 500 characters"],["surgery.rupture","must be true or false"],["surgery.bloodLossMl","must be a number of millilitres from 0 to 50000"],["surgery.transfusion","must be true or false"],["surgery.clavienDindo","unknown Clavien–Dindo grade \"III\"; expected one of \"0\", \"I\", \"II\", \"IIIa\", \"IIIb\", \"IVa\", \"IVb\", \"V\""],["surgery.reoperation","must be true or false"],["surgery.lengthOfStayDays","must be a whole number of days from 0 to 1000"],["surgery.dischargedHome","must be true or false"],["surgery.readmittedWithin90Days","must be true or false"]]],
    [{ history: 'x' }, [["history","must be a list of prior procedures"]]],
    [{ history: Array.from({ length: 51 }, () => ({ kind: 'biopsy', method: 'core' })) }, [["history","must list at most 50 prior procedures"]]],
    [{ history: [{ kind: 'scan' }] }, [["history[0].kind","must be a prior procedure with kind \"biopsy\" or \"surgery\""]]],
    [{ history: [{ kind: 'biopsy', method: 'core', where: 'home' }] }, [["history[0].where","unknown place \"home\"; expected one of \"this_centre\", \"elsewhere\""]]],
    [{ history: [{ kind: 'surgery', resectionType: 'complete', rupture: 'x', margin: 'R9' }] }, [["history[0].rupture","must be true or false"],["history[0].margin","unknown margin \"R9\"; expected one of \"R0\", \"R1\", \"R2\""]]],
    [{ treatment: { neoadjuvant: { chemotherapy: { regimen: '', cycles: 51 }, radiotherapy: { doseGy: 0, fractions: 61 }, response: 'good' }, adjuvant: { chemotherapy: { cycles: 0 }, radiotherapy: { doseGy: 101 } } } }, [["treatment.neoadjuvant.chemotherapy.regimen","must not be empty"],["treatment.neoadjuvant.chemotherapy.cycles","must be a whole number of cycles from 1 to 50"],["treatment.neoadjuvant.radiotherapy.doseGy","must be a dose in Gy from 0 to 100"],["treatment.neoadjuvant.radiotherapy.fractions","must be a whole number of fractions from 1 to 60"],["treatment.neoadjuvant.response","unknown response \"good\"; expected one of \"complete\", \"partial\", \"stable\", \"progression\""],["treatment.adjuvant.chemotherapy.regimen","is required"],["treatment.adjuvant.chemotherapy.cycles","must be a whole number of cycles from 1 to 50"],["treatment.adjuvant.radiotherapy.doseGy","must be a dose in Gy from 0 to 100"]]],
    [{ followUp: { events: 'x' } }, [["followUp.events","must be a list of events"]]],
    [{ followUp: { events: [{ type: 'cure', date: '2024-01-01' }, { type: 'death', date: '2024-01-01', cause: 'old age' }, { type: 'local_recurrence' }] } }, [["followUp.events[0].type","must be an event with type \"local_recurrence\", \"distant_metastasis\" or \"death\""],["followUp.events[1].cause","unknown cause of death \"old age\"; expected one of \"sarcoma\", \"treatment\", \"other\", \"unknown\""],["followUp.events[2].date","is required"]]],
    [{ followUp: { events: Array.from({ length: 101 }, () => ({ type: 'local_recurrence', date: '2024-01-01' })), lastContactDate: '2024-00-01' } }, [["followUp.events","must list at most 100 events"],["followUp.lastContactDate","must be a date written YYYY-MM-DD"]]],
    [{ workup: { metanephrines: 'high', afpHcg: 'x', testicularUltrasound: 'raised' } }, [["workup.metanephrines","unknown metanephrines result \"high\"; expected one of \"normal\", \"raised\""],["workup.afpHcg","unknown AFP/β-hCG result \"x\"; expected one of \"normal\", \"raised\""],["workup.testicularUltrasound","unknown testicular ultrasound result \"raised\"; expected one of \"normal\", \"abnormal\""]]],
  ];
  for (const [input, expected] of table) {
    it(JSON.stringify(input).slice(0, 90), () => {
      const r = validateCase(input);
      assert.deepEqual(r.ok ? [] : r.errors.map((e) => [e.path, e.message]), expected);
    });
  }
});
