// Preloaded into every test process of a mutation run (stryker.config.mjs): a property that fails
// under a mutant has killed it, so fast-check stops at the first counterexample instead of
// shrinking it, and properties without their own count run 20 cases (propertyRuns cuts the rest).
import fc from 'fast-check';

fc.configureGlobal({ endOnFailure: true, numRuns: 20 });
