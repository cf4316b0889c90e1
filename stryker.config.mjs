// Mutation testing (StrykerJS 9, Node 20): `npm run test:mutation` over the engine and the
// authorisation code. The node:test files run through the TAP runner with tsx; "perTest"
// coverage with this runner is per test FILE, and every file costs a tsx start-up (~1 s here),
// so a single-module run uses only that module's focused test files (FOCUSED_TESTS below,
// fastest-killing first). See docs/mutation-testing.md.
//
// STRYKER_SCOPE   engine | auth | all (default) | comma-separated files or globs
// STRYKER_TESTS   comma-separated test files (overrides the focused set)
// STRYKER_CONCURRENCY  workers (default 2; the machine is shared)
import { existsSync } from 'node:fs';

// Read by test/support/property-runs.ts: property tests run a tenth of their cases per mutant
// (the full counts still run in `npm test`). Child test processes inherit this environment.
process.env.STRYKER = '1';

const scope = process.env.STRYKER_SCOPE ?? 'all';
const scopes = {
  engine: ['src/engine/**/*.ts', '!src/engine/**/*.test.ts'],
  auth: ['src/server/auth/**/*.ts', '!src/server/auth/**/*.test.ts'],
};
const mutate = scope === 'all' ? [...scopes.engine, ...scopes.auth] : (scopes[scope] ?? scope.split(','));

const ENGINE_TESTS = ['src/engine/**/*.test.ts', 'src/practice/**/*.test.ts'];
// The auth modules' unit tests (no server; a second or two a file). The HTTP tests that also
// cover them (access, session, login-hardening) start a server per file — tens of seconds a
// mutant — so they run only when named with STRYKER_TESTS.
const AUTH_UNITS = 'test/server/auth-units.test.ts';
const PASSWORD_UNITS = 'test/server/auth-units-passwords.test.ts'; // scrypt + zxcvbn: the slow ones
const THROTTLE_RULES = 'test/server/login-throttle.test.ts';
const AUTH_TESTS = [AUTH_UNITS, PASSWORD_UNITS, THROTTLE_RULES];

// Module → the test files written for it. A mutant these miss would survive here even if a
// slow whole-engine test caught it; such mutants are re-checked with STRYKER_TESTS before
// being listed as survivors.
const e = (name) => `src/engine/${name}.test.ts`;
const FOCUSED_TESTS = {
  'src/engine/stage.ts': [e('stage'), e('safety-rules')],
  'src/engine/grade.ts': [e('grade'), e('safety-rules')],
  'src/engine/diagnosis.ts': [e('diagnosis'), e('safety-rules'), e('certainty-pathway'), e('evaluation-snapshots'), e('seed-cases')],
  'src/engine/resection.ts': [e('resection'), e('safety-rules')],
  'src/engine/strategy.ts': [e('strategy'), e('safety-rules'), e('certainty-pathway')],
  'src/engine/referral.ts': [e('referral')],
  'src/engine/surveillance.ts': [e('surveillance')],
  'src/engine/pathway.ts': [e('pathway'), e('certainty-pathway'), e('safety-rules')],
  'src/engine/intraoperative.ts': [e('intraoperative')],
  'src/engine/growth.ts': [e('growth'), e('certainty-pathway'), e('safety-rules')],
  'src/engine/failure-pattern.ts': [e('surveillance'), e('failure-pattern')],
  'src/engine/nomograms.ts': [e('referral'), e('nomograms')],
  'src/engine/margins.ts': [e('margins')],
  'src/engine/evaluate.ts': [e('evaluation-snapshots'), e('seed-cases'), e('certainty-pathway')],
  'src/engine/vocabulary.ts': [e('vocabulary'), e('evaluation-snapshots'), e('wording-properties')],
  'src/engine/intended-use.ts': [e('intended-use'), 'test/safety/readme.test.ts'],
  'src/engine/model/case.ts': [e('model/validation'), e('model/upgrade')],
  'src/engine/model/validation.ts': [e('model/validation')],
  'src/engine/model/upgrade.ts': [e('model/upgrade')],
  'src/engine/model/explained.ts': [e('model/memo'), e('evaluation-snapshots'), e('strategy')],
  'src/engine/model/memo.ts': [e('model/memo'), e('strategy')],
  // Tables are data read when a module loads: every mutant there is "static" and runs all of its
  // focused tests, so each table is measured with the tests of the rules that read it.
  'src/engine/tables/ajcc8.ts': [e('tables/tables-integrity'), e('stage'), e('safety-rules')],
  'src/engine/tables/fnclcc.ts': [e('tables/tables-integrity'), e('grade')],
  'src/engine/tables/markers.ts': [e('tables/tables-integrity'), e('diagnosis'), e('model/validation'), e('vocabulary')],
  'src/engine/tables/resectability.ts': [e('tables/tables-integrity'), e('resection'), e('safety-rules')],
  'src/engine/tables/surveillance-schedules.ts': [e('tables/tables-integrity'), e('surveillance')],
  'src/engine/tables/sources.ts': [e('tables/tables-integrity'), e('evaluation-snapshots'), e('vocabulary')],
  'src/engine/tables/failure-patterns.ts': [e('tables/tables-integrity'), e('failure-pattern'), e('surveillance')],
  'src/engine/tables/histology.ts': [e('tables/tables-integrity'), e('diagnosis'), e('strategy'), e('vocabulary')],
  'src/engine/tables/anatomy.ts': [e('tables/tables-integrity'), e('resection'), e('tables/anatomy-diagram')],
  'src/engine/tables/anatomy-diagram.ts': [e('tables/tables-integrity'), e('tables/anatomy-diagram')],
  'src/engine/tables/strategy-rules.ts': [e('tables/tables-integrity'), e('strategy')],
  'src/engine/tables/marker-profiles.ts': [e('tables/tables-integrity'), e('diagnosis')],
  'src/engine/tables/intraoperative-rules.ts': [e('tables/tables-integrity'), e('intraoperative')],
  'src/engine/tables/referral-evidence.ts': [e('tables/tables-integrity'), e('referral')],
  'src/server/auth/guard.ts': [AUTH_UNITS],
  'src/server/auth/hash-pool.ts': [AUTH_UNITS],
  'src/server/auth/login-throttle.ts': [AUTH_UNITS, THROTTLE_RULES],
  'src/server/auth/secrets.ts': [AUTH_UNITS],
  'src/server/auth/usernames.ts': [AUTH_UNITS],
  'src/server/auth/passwords.ts': [PASSWORD_UNITS],
  'src/server/auth/password-policy.ts': [PASSWORD_UNITS],
};
const focused = [...new Set(scope.split(',').flatMap((file) => FOCUSED_TESTS[file] ?? []))].filter((file) =>
  existsSync(file),
);
const testFiles = process.env.STRYKER_TESTS
  ? process.env.STRYKER_TESTS.split(',')
  : focused.length > 0
    ? focused
    : scope === 'auth'
      ? AUTH_TESTS
      : [...ENGINE_TESTS, ...(scope === 'engine' ? [] : AUTH_TESTS)];

// One incremental file per scope, committed: a later run re-tests only mutants in changed code
// or covered by changed tests (Stryker's `incremental` mode).
const slug = scope.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '');

// Engine modules run under vitest by default (STRYKER_RUNNER=tap for the per-file runner): one
// process, mutants switched in place, no tsx start-up per test file. As with the TAP runner a
// module runs its focused test files (FOCUSED_TESTS) when it has them: nearly every engine test
// calls evaluate() and so covers nearly every mutant, and the whole-engine set made a survivor
// cost about a minute (strategy.ts: 50 of 660 mutants in 10 minutes). The auth code keeps the TAP
// runner: its tests are node:test files that start servers and use node:test features the vitest
// mapping does not carry.
const engineOnly = mutate.every((pattern) => pattern.replace(/^!/, '').startsWith('src/engine/'));
const runner = process.env.STRYKER_RUNNER ?? (engineOnly ? 'vitest' : 'tap');
if (runner === 'vitest' && (process.env.STRYKER_TESTS || focused.length > 0)) process.env.STRYKER_VITEST_FILES = testFiles.join(',');

export default {
  testRunner: runner,
  vitest: { configFile: 'stryker.vitest.config.ts', related: false },
  tap: {
    testFiles,
    nodeArgs: ['-r', '{{hookFile}}', '--import', 'tsx', '--import', './test/support/stryker-fast-check.ts', '--test-reporter=tap', '{{testFile}}'],
  },
  mutate,
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 60000,
  incremental: true,
  incrementalFile: `reports/mutation/incremental/${slug}.json`,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
