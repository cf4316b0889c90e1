import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The outcome of one test in this run, by its stable id (`<file>::<suite> > <test>`). */
export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface TestRun {
  readonly results: ReadonlyMap<string, TestStatus>;
  /** Which result files were read, and what could not be read. */
  readonly read: readonly string[];
  readonly missing: readonly string[];
  /** node's closing summary lines of the run (`tests 12`, `pass 12`, …). */
  readonly summary: readonly string[];
}

/** The closing summary lines of a node:test run, as recorded by the reporter. */
export function parseNodeSummary(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{"type":"summary"'))
    .map((line) => String((JSON.parse(line) as { message: unknown }).message));
}

/** node:test results written by scripts/safety-test-reporter.mjs (one JSON object a line). */
export function parseNodeResults(text: string): Map<string, TestStatus> {
  const results = new Map<string, TestStatus>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const entry = JSON.parse(line) as { type: string; id?: string; status?: TestStatus };
    if (entry.type !== 'test' || !entry.id || !entry.status) continue;
    // The same id twice (a name repeated in a file): any failure wins.
    if (results.get(entry.id) !== 'failed') results.set(entry.id, entry.status);
  }
  return results;
}

interface VitestJson {
  testResults?: { name: string; assertionResults?: { ancestorTitles: string[]; title: string; status: string }[] }[];
}

/** vitest's JSON reporter output (`--reporter=json`), ids relative to the repository root. */
export function parseVitestResults(text: string, root: string): Map<string, TestStatus> {
  const results = new Map<string, TestStatus>();
  const doc = JSON.parse(text) as VitestJson;
  for (const file of doc.testResults ?? []) {
    const rel = relative(root, file.name).split('\\').join('/');
    for (const a of file.assertionResults ?? []) {
      const id = `${rel}::${[...a.ancestorTitles, a.title].join(' > ')}`;
      const status: TestStatus = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      if (results.get(id) !== 'failed') results.set(id, status);
    }
  }
  return results;
}

export const NODE_RESULTS = 'test-results/node-tests.jsonl';
export const WEB_RESULTS = 'test-results/vitest.json';

/** Reads this run's results: node:test always; vitest (web/) when the web suite ran. */
export function readTestRun(root: string): TestRun {
  const results = new Map<string, TestStatus>();
  const read: string[] = [];
  const missing: string[] = [];
  const summary: string[] = [];
  for (const [file, parse] of [
    [NODE_RESULTS, (t: string) => parseNodeResults(t)],
    [WEB_RESULTS, (t: string) => parseVitestResults(t, root)],
  ] as const) {
    const path = `${root}/${file}`;
    if (!existsSync(path)) {
      missing.push(file);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    for (const [id, status] of parse(text)) results.set(id, status);
    if (file === NODE_RESULTS) summary.push(...parseNodeSummary(text));
    read.push(file);
  }
  return { results, read, missing, summary };
}
