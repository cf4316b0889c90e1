import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { riskRating, type HazardLog, type RiskMatrix, type RuleRegistry } from './schema.ts';
import type { TestStatus } from './results.ts';

/**
 * The traceability check of the hazard log (issue 17): every hazard has a control; every
 * control names code that exists and tests that ran green in this run; every clinical rule
 * that can change a recommendation is traced to a hazard or marked "no safety impact" with
 * the reason. Pure over its inputs: the file system is read only through `codeText`.
 */

export interface TraceInput {
  readonly log: HazardLog;
  readonly matrix: RiskMatrix;
  readonly registry: RuleRegistry;
  /** Clinical rules found in the engine (`path#export`). */
  readonly rules: readonly string[];
  /** This run's test outcomes by id. */
  readonly tests: ReadonlyMap<string, TestStatus>;
  /** The text of a repository file, or undefined when it does not exist. */
  readonly codeText: (path: string) => string | undefined;
}

export interface TraceProblem {
  readonly where: string;
  readonly message: string;
}

export function traceabilityProblems(input: TraceInput): TraceProblem[] {
  const problems: TraceProblem[] = [];
  const problem = (where: string, message: string) => problems.push({ where, message });
  const { log } = input;

  const hazardIds = new Set<string>();
  const controlIds = new Set<string>();
  const referenced = new Set<string>();
  for (const hazard of log.hazards) {
    if (hazardIds.has(hazard.id)) problem(hazard.id, 'duplicate hazard id');
    hazardIds.add(hazard.id);
    if (hazard.controls.length === 0) problem(hazard.id, 'has no control');
    if (riskRating(input.matrix, hazard.after) > riskRating(input.matrix, hazard.before)) problem(hazard.id, 'residual risk is higher than the risk before controls');
    for (const rule of hazard.rules) {
      referenced.add(rule);
      checkCodeRef(rule, `${hazard.id}.rules`, input, problem);
    }
    for (const control of hazard.controls) {
      const where = `${hazard.id}/${control.id}`;
      if (!control.id.startsWith(`${hazard.id}-`)) problem(where, `control id must start with ${hazard.id}-`);
      if (controlIds.has(control.id)) problem(where, 'duplicate control id');
      controlIds.add(control.id);
      referenced.add(control.ref);
      checkCodeRef(control.ref, where, input, problem);
      for (const test of control.tests) {
        const status = input.tests.get(test);
        if (status === undefined) problem(where, `test did not run in this run (missing or renamed): ${test}`);
        else if (status !== 'passed') problem(where, `test ${status} in this run: ${test}`);
      }
    }
  }
  for (const rc of log.reviewClasses) for (const h of rc.hazards) if (!hazardIds.has(h)) problem(`review class ${rc.id}`, `names unknown hazard ${h}`);

  const rules = new Set(input.rules);
  const exempt = new Map<string, string>();
  for (const entry of input.registry.noSafetyImpact) {
    if (exempt.has(entry.rule)) problem(entry.rule, 'listed twice as "no safety impact"');
    exempt.set(entry.rule, entry.why);
    if (!rules.has(entry.rule)) problem(entry.rule, 'marked "no safety impact" but no such rule exists in the engine (stale entry)');
    if (referenced.has(entry.rule)) problem(entry.rule, 'marked "no safety impact" but a hazard references it');
  }
  for (const rule of input.rules) {
    if (!referenced.has(rule) && !exempt.has(rule)) problem(rule, 'clinical rule not referenced by any hazard and not marked "no safety impact" (safety/rules.yaml)');
  }
  return problems;
}

function checkCodeRef(ref: string, where: string, input: TraceInput, problem: (where: string, message: string) => void): void {
  const [path, symbol] = ref.split('#') as [string, string];
  const text = input.codeText(path);
  if (text === undefined) {
    problem(where, `code reference to a missing file: ${ref}`);
    return;
  }
  if (!new RegExp(`(^|[^\\w$])${symbol.replace(/\$/g, '\\$')}([^\\w$]|$)`).test(text)) problem(where, `code reference to a symbol not found in ${path}: ${symbol}`);
}

/** Engine files that hold clinical rules: the tables and the rule modules (not the model, the wiring or texts). */
export function ruleModuleFiles(root: string): string[] {
  const engine = join(root, 'src', 'engine');
  const skip = new Set(['index.ts', 'version.ts', 'intended-use.ts']);
  return (readdirSync(engine, { recursive: true }) as string[])
    .map((f) => String(f).split('\\').join('/'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('model/') && !skip.has(f.split('/').pop()!))
    .map((f) => `src/engine/${f}`)
    .sort();
}

/** Every runtime export of the rule modules, as `path#export` (types vanish at run time, as they should). */
export async function discoverRules(root: string): Promise<string[]> {
  const rules: string[] = [];
  for (const file of ruleModuleFiles(root)) {
    const mod = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>;
    for (const name of Object.keys(mod).sort()) rules.push(`${file}#${name}`);
  }
  return rules;
}

export function repositoryText(root: string): (path: string) => string | undefined {
  return (path) => {
    const full = join(root, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
}
