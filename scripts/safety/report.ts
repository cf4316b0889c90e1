import { INTENDED_USE, versionLine } from '../../src/engine/index.ts';
import type { Block } from './document.ts';
import { LIKELIHOODS, riskRating, SEVERITIES, type HazardLog, type RiskMatrix, type RuleRegistry } from './schema.ts';
import type { TestStatus } from './results.ts';
import type { SoupRow } from './soup.ts';
import type { TraceProblem } from './trace.ts';

/** Everything the safety case states, gathered by scripts/safety-report.ts (the I/O) and rendered here (pure). */
export interface SafetyCaseInput {
  readonly product: { readonly version: string; readonly engineVersion: string; readonly rulesVersion: string; readonly references: readonly string[] };
  readonly commit: { readonly sha: string | null; readonly dirty: boolean };
  readonly generatedAt: string;
  readonly log: HazardLog;
  readonly matrix: RiskMatrix;
  readonly registry: RuleRegistry;
  readonly rules: readonly string[];
  readonly tests: { readonly results: ReadonlyMap<string, TestStatus>; readonly read: readonly string[]; readonly missing: readonly string[] };
  readonly problems: readonly TraceProblem[];
  readonly soup: readonly SoupRow[];
  readonly sbom: { readonly components: number; readonly specVersion: string } | null;
}

/** The roles that must review and sign; no name or signature is filled in by software. */
export const SIGNATORIES: readonly { role: string; duty: string }[] = [
  { role: 'Manufacturer\'s Clinical Safety Officer (DCB0129)', duty: 'A registered clinician trained in clinical risk management: reviews the hazard log and the residual risks, and approves the release.' },
  { role: 'Engineering lead of the release', duty: 'Confirms that the test evidence and the traceability check belong to this commit and that every open item is recorded.' },
  { role: 'Deploying organisation\'s Clinical Safety Officer (DCB0160)', duty: 'Builds the local safety case on this one before clinical use; not part of the manufacturer\'s sign-off.' },
];

const name = <T extends { id: string; name: string }>(list: readonly T[], id: string) => list.find((x) => x.id === id)?.name ?? id;

export function safetyCaseBlocks(input: SafetyCaseInput): Block[] {
  const { log, matrix, product } = input;
  const ratingName = (r: number) => matrix.ratings.find((x) => x.rating === r)?.name ?? String(r);
  const risk = (r: { severity: (typeof SEVERITIES)[number]; likelihood: (typeof LIKELIHOODS)[number] }) =>
    `${riskRating(matrix, r)} (${ratingName(riskRating(matrix, r))}) — ${name(matrix.severity, r.severity)} × ${name(matrix.likelihood, r.likelihood)}`;
  const status = (id: string) => input.tests.results.get(id) ?? 'not run';
  const blocks: Block[] = [];
  const h = (level: 1 | 2 | 3, text: string) => blocks.push({ kind: 'h', level, text });
  const p = (text: string) => blocks.push({ kind: 'p', text });

  h(1, `Retroplan clinical safety case — release ${product.version}`);
  blocks.push({
    kind: 'table',
    head: ['item', 'value'],
    rows: [
      ['Release (package version)', product.version],
      ['Engine version', product.engineVersion],
      ['Clinical rules version', product.rulesVersion],
      ['Reference texts', product.references.join(', ')],
      ['Git commit', input.commit.sha ? `${input.commit.sha}${input.commit.dirty ? ' (working tree has uncommitted changes — not a release build)' : ''}` : 'not a git checkout'],
      ['Generated', input.generatedAt],
      ['Status', 'DRAFT — not signed. This document is generated; it becomes the release safety case only when the people below have reviewed and signed it.'],
    ],
  });

  h(2, 'Review and sign-off');
  p('The following must review this safety case and sign it by hand or in the organisation\'s document system. No name or signature is entered by the software.');
  blocks.push({ kind: 'table', head: ['role', 'duty', 'name', 'signature', 'date'], rows: SIGNATORIES.map((s) => [s.role, s.duty, '', '', '']) });

  h(2, 'Intended use and limitations');
  p(INTENDED_USE.summary);
  for (const section of INTENDED_USE.sections) {
    h(3, section.title);
    blocks.push({ kind: 'ul', items: section.items });
  }

  const before = new Map<number, number>();
  const after = new Map<number, number>();
  for (const hz of log.hazards) {
    before.set(riskRating(matrix, hz.before), (before.get(riskRating(matrix, hz.before)) ?? 0) + 1);
    after.set(riskRating(matrix, hz.after), (after.get(riskRating(matrix, hz.after)) ?? 0) + 1);
  }
  h(2, 'Summary of risk');
  p(`${log.hazards.length} hazards, ${log.hazards.reduce((n, x) => n + x.controls.length, 0)} controls. Counts by risk rating before and after controls (residual):`);
  blocks.push({
    kind: 'table',
    head: ['rating', 'meaning', 'before controls', 'residual'],
    rows: [5, 4, 3, 2, 1].map((r) => [String(r), ratingName(r), String(before.get(r) ?? 0), String(after.get(r) ?? 0)]),
  });
  const high = log.hazards.filter((x) => riskRating(matrix, x.after) >= 3);
  if (high.length > 0) p(`Residual risk rated 3 or above needs the Clinical Safety Officer's documented justification: ${high.map((x) => `${x.id} ${x.title}`).join('; ')}.`);

  h(2, 'Risk matrix');
  p(matrix.source);
  blocks.push({
    kind: 'table',
    head: ['likelihood \\ severity', ...matrix.severity.map((s) => s.name)],
    rows: [...LIKELIHOODS].reverse().map((l) => [name(matrix.likelihood, l), ...matrix.matrix[l].map(String)]),
  });
  blocks.push({ kind: 'table', head: ['rating', 'name', 'action'], rows: matrix.ratings.map((r) => [String(r.rating), r.name, r.action]) });

  const links = log.hazards.flatMap((x) => x.controls.flatMap((c) => c.tests));
  const counts = { passed: 0, failed: 0, skipped: 0, 'not run': 0 } as Record<string, number>;
  for (const t of links) counts[status(t)] = (counts[status(t)] ?? 0) + 1;
  h(2, 'Test evidence and traceability');
  p(
    input.tests.read.length > 0
      ? `Test results read: ${input.tests.read.join(', ')}${input.tests.missing.length ? ` (not found: ${input.tests.missing.join(', ')})` : ''}. Control → test links: ${links.length}; passed ${counts.passed}, failed ${counts.failed}, skipped ${counts.skipped}, not run ${counts['not run']}.`
      : 'No test results found: run `npm test` first (it writes test-results/), then `npm run safety:report`. Every link below shows "not run" and this document is not release evidence.',
  );
  p(
    input.problems.length === 0
      ? 'Traceability check: every hazard has a control, every control names existing code and tests that passed in this run, and every clinical rule is traced.'
      : `Traceability check: ${input.problems.length} broken link(s):`,
  );
  if (input.problems.length > 0) blocks.push({ kind: 'ul', items: input.problems.slice(0, 200).map((x) => `${x.where}: ${x.message}`) });
  const traced = input.rules.length - input.registry.noSafetyImpact.length;
  p(`Clinical rules of the engine: ${input.rules.length}; traced to hazards: ${traced}; marked "no safety impact": ${input.registry.noSafetyImpact.length}.`);
  blocks.push({ kind: 'table', head: ['rule marked "no safety impact"', 'why'], rows: input.registry.noSafetyImpact.map((r) => [`\`${r.rule}\``, r.why]) });

  h(2, 'Hazard log');
  blocks.push({
    kind: 'table',
    head: ['id', 'hazard', 'risk before', 'residual risk', 'controls', 'open items'],
    rows: log.hazards.map((x) => [x.id, x.title, risk(x.before), risk(x.after), String(x.controls.length), String(x.openItems.length)]),
  });
  for (const x of log.hazards) {
    h(3, `${x.id} ${x.title}`);
    blocks.push({
      kind: 'ul',
      items: [
        `Origin: ${x.origin === 'review' ? 'found by a review' : 'hazard analysis'}`,
        `Causes: ${x.causes.join('; ')}`,
        `Harm: ${x.harm}`,
        `Risk before controls: ${risk(x.before)}`,
        `Residual risk: ${risk(x.after)}`,
        ...(x.rules.length ? [`Rules whose error leads here: ${x.rules.map((r) => `\`${r}\``).join(', ')}`] : []),
        ...x.openItems.map((o) => `**Open item:** ${o}`),
      ],
    });
    blocks.push({
      kind: 'table',
      head: ['control', 'kind', 'what', 'code', 'tests (result in this run)'],
      rows: x.controls.map((c) => [c.id, c.kind, c.description, `\`${c.ref}\``, c.tests.map((t) => `${status(t)}: ${t}`).join('\n')]),
    });
  }

  h(2, 'Review classes');
  p('Classes of problem found by the reviews of earlier versions, and where the hazard log stands on each.');
  blocks.push({ kind: 'table', head: ['review class', 'finding', 'hazards', 'status'], rows: log.reviewClasses.map((r) => [r.id, r.finding, r.hazards.join(', '), r.status]) });

  h(2, 'Open issues affecting safety');
  const open = log.hazards.flatMap((x) => x.openItems.map((o) => `${x.id} (${x.title}; residual ${riskRating(matrix, x.after)}): ${o}`));
  blocks.push({ kind: 'ul', items: open.length ? open : ['None recorded.'] });

  h(2, 'Software of unknown provenance (SOUP)');
  p(
    input.sbom
      ? `CycloneDX ${input.sbom.specVersion} SBOM of the production dependencies (reports/sbom.cdx.json): ${input.sbom.components} components. The direct production dependencies, their role and how their failure would show:`
      : 'No SBOM found (run `npm run sbom`); versions and licences below are not filled in.',
  );
  blocks.push({
    kind: 'table',
    head: ['component', 'version', 'licence', 'role in Retroplan', 'failure would show as', 'caught by', 'known anomalies'],
    rows: input.soup.map((s) => [s.name, s.version, s.licence, s.role, s.failureShowsAs, s.caughtBy.join(', '), s.knownAnomalies]),
  });

  p(`${versionLine()}. Generated from safety/hazards.yaml, safety/risk-matrix.yaml, safety/rules.yaml and safety/soup.yaml.`);
  return blocks;
}
