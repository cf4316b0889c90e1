import { syntheticCaseGenerator } from '../../src/store/synthetic-cases.ts';

/** 200 different valid case-model v2 cases (the seed load's generator, fixed seed), as request bodies. */
export function benchCases(count = 200): string[] {
  const next = syntheticCaseGenerator(16_006);
  return Array.from({ length: count }, () => JSON.stringify(next().case));
}
