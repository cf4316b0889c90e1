import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkbox, input, select } from '@inquirer/prompts';
import { markAnswer, viewQuestion, engineAnswer, type Answer, type Mark } from '../../practice/examiner.ts';
import { casesOnTopic, driftOf } from '../../practice/library.ts';
import { CASES_DIR, loadPracticeCases } from '../../practice/load-files.ts';
import { TOPICS, type PracticeCase, type Topic } from '../../practice/schema.ts';
import { CliError, type CliIo } from '../io.ts';

interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly score: number;
  readonly max: number;
  readonly marks: (Mark & { readonly stage: string })[];
}

function selectCases(all: PracticeCase[], opts: { case?: string; topic?: string }): PracticeCase[] {
  if (opts.topic !== undefined && !(TOPICS as readonly string[]).includes(opts.topic)) throw new CliError(`--topic must be one of ${TOPICS.join(', ')}, got ${opts.topic}`);
  let cases = casesOnTopic(all, opts.topic as Topic | undefined);
  if (opts.case !== undefined) {
    cases = cases.filter((c) => c.id === opts.case);
    if (cases.length === 0) throw new CliError(`no practice case ${JSON.stringify(opts.case)}${opts.topic ? ` on topic ${opts.topic}` : ''}; see retroplan practice --list`);
  }
  return cases;
}

/** Answers file: `{ "<case id>": { "<stage id>/<question id>": answer } }`. */
function scripted(cases: PracticeCase[], answers: Record<string, Record<string, Answer>>): CaseResult[] {
  return cases.map((c) => {
    const given = answers[c.id] ?? {};
    const marks = c.stages.flatMap((stage) =>
      stage.questions.map((q) => ({ ...markAnswer(stage, q, given[`${stage.id}/${q.id}`] ?? ''), stage: stage.id })),
    );
    return { id: c.id, title: c.title, score: marks.reduce((s, m) => s + m.score, 0), max: marks.length, marks };
  });
}

async function interactive(cases: PracticeCase[], io: CliIo): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    io.stdout(`\n=== ${c.title} ===\n`);
    const marks: CaseResult['marks'] = [];
    for (const stage of c.stages) {
      io.stdout(`\n— ${stage.title} —\n${stage.story}\n\n`);
      for (const q of stage.questions) {
        const view = viewQuestion(stage, q);
        let answer: Answer;
        if (view.mode === 'single') answer = await select({ message: view.prompt, choices: view.options.map((o) => ({ name: o.label, value: o.value })) });
        else if (view.mode === 'multi') answer = await checkbox({ message: view.prompt, choices: view.options.map((o) => ({ name: o.label, value: o.value })) });
        else answer = Number(await input({ message: view.prompt, validate: (v) => (Number.isFinite(Number(v)) && v.trim() !== '' ? true : 'a number, please') }));
        const mark = markAnswer(stage, q, answer);
        marks.push({ ...mark, stage: stage.id });
        io.stdout(`${mark.score === 1 ? '✔ correct' : mark.score > 0 ? `◐ partly right (${mark.score})` : '✘ not this time'} — the answer: ${mark.expectedLabel}\n`);
        for (const line of mark.explanation.slice(0, 5)) io.stdout(`  · ${line}\n`);
        for (const other of mark.otherOptions.slice(0, 4)) io.stdout(`  ✗ ${other.label}: ${other.why}\n`);
        io.stdout(`  Sources: ${mark.sources.join(', ')}\n`);
      }
    }
    results.push({ id: c.id, title: c.title, score: marks.reduce((s, m) => s + m.score, 0), max: marks.length, marks });
  }
  return results;
}

export function registerPractice(program: Command, io: CliIo): void {
  program
    .command('practice')
    .description('hands-on practice cases; the engine is the examiner')
    .option('--case <id>', 'one practice case')
    .option('--topic <topic>', `cases on one topic: ${TOPICS.join(', ')}`)
    .option('--answers <file>', 'non-interactive: mark the answers in this JSON file ({"<case>": {"<stage>/<question>": answer}})')
    .option('--list', 'list the cases and their topics')
    .option('--check', "educators: check every case file and show where its expected answers differ from the engine's")
    .option('--write', 'with --check: write the engine\'s answers into the case files')
    .action(async (opts: { case?: string; topic?: string; answers?: string; list?: boolean; check?: boolean; write?: boolean }) => {
      const library = loadPracticeCases();
      if (library.invalid.length > 0) {
        const lines = library.invalid.flatMap((f) => f.errors.map((e) => `  ${f.file}: ${e.path || '(root)'}: ${e.message}`));
        throw new CliError(`invalid practice case files:\n${lines.join('\n')}`);
      }
      const cases = selectCases(library.cases, opts);
      if (opts.list) {
        for (const c of cases) io.stdout(`${c.id}\t${c.topics.join(',')}\t${c.title}\n`);
        return;
      }
      if (opts.check) {
        const drift = cases.flatMap(driftOf);
        if (opts.write) {
          for (const c of cases.filter((x) => driftOf(x).length > 0)) {
            const file = join(CASES_DIR, `${c.id}.json`);
            const raw = JSON.parse(await readFile(file, 'utf8')) as { stages: { id: string; questions: { id: string; expected: unknown }[] }[] };
            for (const [i, stage] of raw.stages.entries()) for (const [j, q] of stage.questions.entries()) q.expected = engineAnswer(c.stages[i]!, c.stages[i]!.questions[j]!);
            await writeFile(file, `${JSON.stringify(raw, null, 2)}\n`);
          }
          io.stdout(`${drift.length} expected answer(s) written\n`);
          return;
        }
        for (const d of drift) io.stdout(`${d.caseId} ${d.stage}/${d.question}: file ${JSON.stringify(d.expected)} ≠ engine ${JSON.stringify(d.engine)}\n`);
        if (drift.length > 0) throw new CliError(`${drift.length} expected answer(s) differ from the engine`);
        io.stdout(`${cases.length} case(s) in step with the engine\n`);
        return;
      }
      let results: CaseResult[];
      if (opts.answers) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(await readFile(opts.answers, 'utf8'));
        } catch (error) {
          throw new CliError(`cannot read answers from ${opts.answers}: ${(error as Error).message}`);
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError('answers must be a JSON object: {"<case id>": {"<stage>/<question>": answer}}');
        results = scripted(cases, parsed as Record<string, Record<string, Answer>>);
      } else {
        if (!process.stdin.isTTY) throw new CliError('interactive practice needs a terminal; give --answers <file> to mark answers from a file');
        results = await interactive(cases, io);
      }
      const total = results.reduce((s, r) => s + r.score, 0);
      const max = results.reduce((s, r) => s + r.max, 0);
      if (opts.answers) io.stdout(`${JSON.stringify({ score: total, max, cases: results }, null, 2)}\n`);
      else io.stdout(`\nScore: ${total} of ${max}\n`);
    });
}
