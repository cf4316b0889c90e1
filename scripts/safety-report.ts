// `npm run safety:report`: the safety case of the current version as Markdown, HTML and PDF
// under reports/safety/ (gitignored). Reads the safety files, this checkout's test results
// (run `npm test` first for evidence) and the SBOM written by `npm run sbom`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENGINE_VERSION, REFERENCE_SET, RULES_VERSION } from '../src/engine/index.ts';
import { toHtml, toMarkdown } from './safety/document.ts';
import { renderPdf } from './safety/pdf.ts';
import { safetyCaseBlocks } from './safety/report.ts';
import { readTestRun } from './safety/results.ts';
import { HazardLogSchema, loadSafetyYaml, RiskMatrixSchema, RuleRegistrySchema, SoupSchema } from './safety/schema.ts';
import { soupRows, type CycloneDxBom } from './safety/soup.ts';
import { discoverRules, repositoryText, traceabilityProblems } from './safety/trace.ts';

const root = resolve(import.meta.dirname, '..');
const git = (args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

const log = loadSafetyYaml(HazardLogSchema, `${root}/safety/hazards.yaml`);
const matrix = loadSafetyYaml(RiskMatrixSchema, `${root}/safety/risk-matrix.yaml`);
const registry = loadSafetyYaml(RuleRegistrySchema, `${root}/safety/rules.yaml`);
const soup = loadSafetyYaml(SoupSchema, `${root}/safety/soup.yaml`);
const tests = readTestRun(root);
const rules = await discoverRules(root);
const sbomPath = `${root}/reports/sbom.cdx.json`;
const bom = existsSync(sbomPath) ? (JSON.parse(readFileSync(sbomPath, 'utf8')) as CycloneDxBom & { specVersion: string }) : null;
const version = (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;

const blocks = safetyCaseBlocks({
  product: { version, engineVersion: ENGINE_VERSION, rulesVersion: RULES_VERSION, references: REFERENCE_SET },
  commit: { sha: git(['rev-parse', 'HEAD']), dirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '' },
  generatedAt: new Date().toISOString(),
  log,
  matrix,
  registry,
  rules,
  tests,
  problems: traceabilityProblems({ log, matrix, registry, rules, tests: tests.results, codeText: repositoryText(root) }),
  soup: soupRows(soup, bom ?? {}),
  sbom: bom ? { components: bom.components?.length ?? 0, specVersion: bom.specVersion } : null,
});

const out = `${root}/reports/safety`;
mkdirSync(out, { recursive: true });
const base = `${out}/safety-case-${version}`;
const title = `Retroplan safety case ${version} (engine ${ENGINE_VERSION}, rules ${RULES_VERSION})`;
writeFileSync(`${base}.md`, toMarkdown(blocks));
const html = toHtml(blocks, title);
writeFileSync(`${base}.html`, html);
await renderPdf(html, `${base}.pdf`, title);
console.log(`safety case written: ${base}.md, ${base}.html, ${base}.pdf`);
