// A node:test reporter that writes one JSON line per finished test, so the safety
// traceability check (scripts/safety-trace.ts) can tell which tests ran green in this run.
// Test id: "<file relative to the repository>::<suite> > <sub-suite> > <test>".
import { relative } from 'node:path';

export default async function* safetyReporter(source) {
  const openByFile = new Map(); // file → names of the tests currently open, by nesting level
  yield `${JSON.stringify({ type: 'run', startedAt: new Date().toISOString(), cwd: process.cwd() })}\n`;
  for await (const event of source) {
    const data = event.data ?? {};
    // The run's closing counts (tests, pass, fail, …), kept so the safety check can repeat them last.
    if (event.type === 'test:diagnostic' && !data.file && data.nesting === 0) yield `${JSON.stringify({ type: 'summary', message: data.message })}\n`;
    if (!data.file) continue;
    const file = relative(process.cwd(), data.file).split('\\').join('/');
    if (event.type === 'test:start') {
      const open = openByFile.get(file) ?? [];
      open.length = data.nesting;
      open.push(data.name);
      openByFile.set(file, open);
    } else if (event.type === 'test:pass' || event.type === 'test:fail') {
      const open = openByFile.get(file) ?? [];
      const path = [...open.slice(0, data.nesting), data.name];
      const status = event.type === 'test:fail' ? 'failed' : data.skip !== undefined || data.todo !== undefined ? 'skipped' : 'passed';
      const kind = data.details?.type === 'suite' ? 'suite' : 'test';
      yield `${JSON.stringify({ type: kind, id: `${file}::${path.join(' > ')}`, status })}\n`;
    }
  }
}
