import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { markAnswer, viewQuestion, engineAnswer } from './examiner.ts';
import { buildLibrary, driftOf } from './library.ts';
import { loadPracticeCases } from './load-files.ts';
import { QUESTION_KINDS, TOPICS } from './schema.ts';

const library = loadPracticeCases();

describe('practice cases (src/practice/cases): data an educator can add to', () => {
  it('every file validates, ids are unique, and there are at least 30', () => {
    assert.deepEqual(library.invalid, []);
    assert.ok(library.cases.length >= 30, `${library.cases.length} cases`);
  });

  it("every expected answer is what the engine returns now (cases and engine in step; fix with 'retroplan practice --check --write' after review)", () => {
    assert.deepEqual(library.cases.flatMap(driftOf), []);
  });

  it('coverage: every topic, every question kind, the reference histologies, mimics and the left/right/pelvic compartments', () => {
    const topics = new Set(library.cases.flatMap((c) => c.topics));
    for (const t of TOPICS) assert.ok(topics.has(t), t);
    const kinds = new Set(library.cases.flatMap((c) => c.stages.flatMap((s) => s.questions.map((q) => q.kind))));
    for (const k of QUESTION_KINDS) assert.ok(kinds.has(k), k);
    const histologies = new Set(library.cases.flatMap((c) => c.stages.map((s) => s.case.pathology.histology).filter(Boolean)));
    for (const h of ['8851/3', '8858/3', '8890/3', '9540/3', '8815/1', '8802/3', '8821/1']) assert.ok(histologies.has(h), h);
    const sides = new Set(library.cases.flatMap((c) => c.stages.map((s) => s.case.tumor.side)));
    for (const side of ['left', 'right', 'pelvic', 'midline']) assert.ok(sides.has(side as never), side);
  });

  it('for every question the expected answer is among the options, scores 1, and each other option is explained', () => {
    for (const c of library.cases) {
      for (const stage of c.stages) {
        for (const q of stage.questions) {
          const view = viewQuestion(stage, q);
          const expected = engineAnswer(stage, q);
          const where = `${c.id} ${stage.id}/${q.id}`;
          if (view.mode !== 'number') {
            const values = new Set(view.options.map((o) => o.value));
            for (const v of Array.isArray(expected) ? expected : [expected]) assert.ok(values.has(String(v)), `${where}: ${String(v)} not offered`);
          }
          const right = markAnswer(stage, q, expected);
          assert.equal(right.score, 1, where);
          assert.ok(right.explanation.length > 0 && right.sources.length > 0, `${where}: unexplained`);
          if (view.mode === 'single') {
            const wrong = view.options.find((o) => o.value !== expected)!;
            const mark = markAnswer(stage, q, wrong.value);
            assert.ok(mark.score < 1, `${where}: a wrong option scored 1`);
            assert.ok(mark.otherOptions.every((o) => o.why.length > 0));
          }
        }
      }
    }
  });
});

describe('marking: partial credit where sensible', () => {
  const wdlps = library.cases.find((c) => c.id === '01-left-fatty-mass-wdlps')!;
  const plan = wdlps.stages.find((s) => s.id === 'plan')!;
  const enBloc = plan.questions.find((q) => q.kind === 'en-bloc-organs')!;

  it('sets by overlap (Jaccard): two of three organs and nothing wrong → 2/3', () => {
    const expected = engineAnswer(plan, enBloc) as string[];
    assert.equal(expected.length, 3);
    assert.equal(markAnswer(plan, enBloc, expected.slice(0, 2)).score, 2 / 3);
    assert.equal(markAnswer(plan, enBloc, [...expected, 'spleen']).score, 3 / 4);
  });

  it('numbers within 5 % full credit, within 20 % half; the seed figure 0.72 for a 1 mm capsule', () => {
    const model = library.cases.find((c) => c.id === '28-pseudocapsule-model')!.stages[0]!;
    const q = model.questions[0]!;
    assert.equal(engineAnswer(model, q), 0.72);
    assert.equal(markAnswer(model, q, 0.7).score, 1);
    assert.equal(markAnswer(model, q, 0.6).score, 0.5);
    assert.equal(markAnswer(model, q, 0.3).score, 0);
  });

  it('a stage group in the same numeral scores half (IIIA for IIIB)', () => {
    const dd = library.cases.find((c) => c.id === '02-fatty-mass-with-solid-nodule')!.stages.find((s) => s.id === 'biopsy')!;
    const q = dd.questions.find((x) => x.kind === 'stage-group')!;
    const expected = engineAnswer(dd, q) as string;
    assert.equal(expected, 'IIIB');
    assert.equal(markAnswer(dd, q, 'IIIA').score, 0.5);
    assert.equal(markAnswer(dd, q, 'IA').score, 0);
  });

  it('a file with problems is reported with its paths, not loaded', () => {
    const lib = buildLibrary([{ name: 'bad.json', content: { id: 'Bad Id', title: '', topics: ['cooking'], stages: [] } }]);
    assert.equal(lib.cases.length, 0);
    assert.deepEqual(lib.invalid[0]!.errors.map((e) => e.path).sort(), ['id', 'stages', 'title', 'topics[0]']);
  });
});
