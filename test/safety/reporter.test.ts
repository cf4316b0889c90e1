import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseNodeResults, parseNodeSummary } from '../../scripts/safety/results.ts';
import { REPO_ROOT } from '../support/cli.ts';

/** The child is a test run of its own, not a subtest of this one: drop the runner's marker. */
function withoutTestContext(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

describe('safety test reporter (scripts/safety-test-reporter.mjs)', () => {
  it('writes one line per test: "<file>::<suites> > <test>" with passed, failed or skipped, and the closing counts', () => {
    const run = spawnSync(
      process.execPath,
      ['--test', '--test-reporter=./scripts/safety-test-reporter.mjs', '--test-reporter-destination=stdout', 'test/safety/fixtures/reporter-sample.fixture.mjs'],
      { cwd: REPO_ROOT, encoding: 'utf8', env: withoutTestContext() },
    );
    assert.equal(run.status, 1, 'the sample has a failing test');
    const file = 'test/safety/fixtures/reporter-sample.fixture.mjs';
    assert.deepEqual([...parseNodeResults(run.stdout)].sort(), [
      [`${file}::outer suite > inner suite > fails on purpose`, 'failed'],
      [`${file}::outer suite > is skipped`, 'skipped'],
      [`${file}::outer suite > passes`, 'passed'],
      [`${file}::top-level test`, 'passed'],
    ]);
    const summary = parseNodeSummary(run.stdout);
    assert.ok(summary.includes('tests 4') && summary.includes('fail 1') && summary.includes('skipped 1'), summary.join(', '));
  });
});
