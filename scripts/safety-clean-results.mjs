// Run before `npm test` (pretest): removes the previous run's test results so that the
// safety traceability check can only count tests that ran green in this run.
import { rmSync } from 'node:fs';

for (const file of ['test-results/node-tests.jsonl', 'test-results/vitest.json']) rmSync(file, { force: true });
