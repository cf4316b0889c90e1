// The vitest configuration used only by mutation testing of the engine (stryker.config.mjs,
// STRYKER_RUNNER=vitest, the default for engine modules): the node:test files run unchanged, with
// `node:test` mapped onto vitest (test/support/node-test-on-vitest.ts). `npm test` still runs them
// with node's own test runner.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: { alias: [{ find: /^node:test$/, replacement: here('test/support/node-test-on-vitest.ts') }] },
  test: {
    environment: 'node',
    include: (process.env.STRYKER_VITEST_FILES ?? 'src/engine/**/*.test.ts,src/practice/**/*.test.ts').split(','),
    setupFiles: [here('test/support/stryker-fast-check.ts'), here('test/support/stryker-memo-reset.ts')],
    passWithNoTests: false,
    testTimeout: 60_000,
  },
});
