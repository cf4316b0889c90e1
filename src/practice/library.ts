import type { FieldError } from '../engine/model/validation.ts';
import { validateWith } from '../engine/model/validation.ts';
import { engineAnswer, type Answer } from './examiner.ts';
import { PracticeCaseSchema, type PracticeCase, type Topic } from './schema.ts';

/** A practice case file that did not validate, with every problem located. */
export interface InvalidCaseFile {
  readonly file: string;
  readonly errors: FieldError[];
}

/** Validates raw case files (name → parsed JSON); pure, so the CLI and the web app share it. */
export function buildLibrary(files: readonly { name: string; content: unknown }[]): { cases: PracticeCase[]; invalid: InvalidCaseFile[] } {
  const cases: PracticeCase[] = [];
  const invalid: InvalidCaseFile[] = [];
  for (const f of files) {
    const checked = validateWith(PracticeCaseSchema, f.content);
    if (checked.ok) cases.push(checked.value);
    else invalid.push({ file: f.name, errors: checked.errors });
  }
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) invalid.push({ file: c.id, errors: [{ path: 'id', message: 'is used by another practice case' }] });
    ids.add(c.id);
  }
  cases.sort((a, b) => a.id.localeCompare(b.id));
  return { cases, invalid };
}

export function casesOnTopic(cases: readonly PracticeCase[], topic: Topic | undefined): PracticeCase[] {
  return topic ? cases.filter((c) => c.topics.includes(topic)) : [...cases];
}

/** Where a case's `expected` answers differ from what the engine returns now. */
export interface Drift {
  readonly caseId: string;
  readonly stage: string;
  readonly question: string;
  readonly expected: unknown;
  readonly engine: Answer;
}

export function driftOf(c: PracticeCase): Drift[] {
  const drift: Drift[] = [];
  for (const stage of c.stages) {
    for (const q of stage.questions) {
      const engine = engineAnswer(stage, q);
      if (JSON.stringify(engine) !== JSON.stringify(q.expected)) drift.push({ caseId: c.id, stage: stage.id, question: q.id, expected: q.expected, engine });
    }
  }
  return drift;
}
