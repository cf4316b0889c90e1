// Mutation testing (StrykerJS 9, Node 20): `npm run test:mutation` over the engine and the
// authorisation code. The node:test files run through the TAP runner with tsx, so each mutant
// runs only the test files that cover it. Not part of `npm test` (it takes long on 2 cores).
const scope = process.env.STRYKER_SCOPE ?? 'all';
const scopes = {
  engine: ['src/engine/**/*.ts', '!src/engine/**/*.test.ts'],
  auth: ['src/server/auth/**/*.ts', '!src/server/auth/**/*.test.ts'],
};
const mutate = scope === 'all' ? [...scopes.engine, ...scopes.auth] : (scopes[scope] ?? scope.split(','));

export default {
  testRunner: 'tap',
  tap: {
    testFiles: process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(',') : ['src/engine/**/*.test.ts', 'src/practice/**/*.test.ts', 'test/server/access.test.ts', 'test/server/session.test.ts'],
    nodeArgs: ['-r', '{{hookFile}}', '--import', 'tsx', '--test-reporter=tap', '{{testFile}}'],
  },
  mutate,
  coverageAnalysis: 'perTest',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
