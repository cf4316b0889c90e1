// The engine's tests are written for node:test. Under mutation testing they run in vitest instead
// (stryker.vitest.config.ts aliases `node:test` to this module), because Stryker's vitest runner
// keeps one process and switches mutants in place, where the TAP runner starts a tsx process per
// test file per mutant. Only the calls the engine's tests use are mapped; node:test's
// (name, options, fn) order is accepted by vitest as it is.
export { describe, it, test } from 'vitest';
