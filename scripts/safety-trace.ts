// `npm run safety:trace`: the traceability check of the hazard log against this run's tests.
// Run after the test suites (the last step of `npm test`); exits 1 on any broken link.
import { resolve } from 'node:path';
import { loadSafetyYaml, HazardLogSchema, RiskMatrixSchema, RuleRegistrySchema, riskRating, SafetyFileError } from './safety/schema.ts';
import { readTestRun } from './safety/results.ts';
import { discoverRules, repositoryText, traceabilityProblems } from './safety/trace.ts';

const root = resolve(import.meta.dirname, '..');
try {
  const log = loadSafetyYaml(HazardLogSchema, `${root}/safety/hazards.yaml`);
  const matrix = loadSafetyYaml(RiskMatrixSchema, `${root}/safety/risk-matrix.yaml`);
  const registry = loadSafetyYaml(RuleRegistrySchema, `${root}/safety/rules.yaml`);
  const run = readTestRun(root);
  const rules = await discoverRules(root);
  const problems = traceabilityProblems({ log, matrix, registry, rules, tests: run.results, codeText: repositoryText(root) });
  const controls = log.hazards.reduce((n, h) => n + h.controls.length, 0);
  const links = log.hazards.reduce((n, h) => n + h.controls.reduce((m, c) => m + c.tests.length, 0), 0);
  const byRisk = new Map<number, number>();
  for (const h of log.hazards) byRisk.set(riskRating(matrix, h.after), (byRisk.get(riskRating(matrix, h.after)) ?? 0) + 1);
  console.log(`safety trace: ${log.hazards.length} hazards, ${controls} controls, ${links} control→test links, ${rules.length} engine rules; results read: ${run.read.join(', ') || 'none'}${run.missing.length ? `; not found: ${run.missing.join(', ')}` : ''}`);
  console.log(`residual risk: ${[...byRisk.entries()].sort((a, b) => b[0] - a[0]).map(([r, n]) => `${n} at ${r}`).join(', ')}`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`✖ ${p.where}: ${p.message}`);
    console.error(`safety trace: ${problems.length} broken link(s)`);
    process.exit(1);
  }
  console.log('safety trace: every link holds');
  // CI reads the closing lines of node's test runner: end with them, as test:node did.
  for (const line of run.summary) console.log(`ℹ ${line}`);
} catch (error) {
  if (error instanceof SafetyFileError) {
    for (const p of error.problems) console.error(`✖ ${error.file}: ${p.path || '(root)'}: ${p.message}`);
    process.exit(1);
  }
  throw error;
}
