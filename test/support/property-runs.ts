// Property-test case counts. Under mutation testing (STRYKER=1, set only by stryker.config.mjs)
// each mutant re-runs the property files, so they run a tenth of their cases there; `npm test`
// keeps the full counts.
export function propertyRuns(numRuns: number): number {
  return process.env.STRYKER === '1' ? Math.max(20, Math.ceil(numRuns / 10)) : numRuns;
}
