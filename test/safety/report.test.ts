import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHtml, toMarkdown } from '../../scripts/safety/document.ts';
import { renderPdf } from '../../scripts/safety/pdf.ts';
import { safetyCaseBlocks, type SafetyCaseInput } from '../../scripts/safety/report.ts';
import { HazardLogSchema, loadSafetyYaml, parseSafetyYaml, RiskMatrixSchema } from '../../scripts/safety/schema.ts';
import { REPO_ROOT } from '../support/cli.ts';

const matrix = loadSafetyYaml(RiskMatrixSchema, `${REPO_ROOT}/safety/risk-matrix.yaml`);
const log = parseSafetyYaml(
  HazardLogSchema,
  `
product: Test
reviewClasses: [{ id: lost-update, finding: edits overwrite each other, hazards: [H02], status: controlled }]
hazards:
  - { id: H01, title: Wrong stage, origin: analysis, causes: [c], harm: h, before: { severity: major, likelihood: medium }, after: { severity: major, likelihood: low },
      controls: [{ id: H01-C1, kind: rule, description: d, ref: "src/engine/stage.ts#tCategory", tests: ["src/engine/stage.test.ts::s > green", "src/engine/stage.test.ts::s > gone"] }],
      openItems: [no flag for a provisional stage] }
  - { id: H02, title: Lost update, origin: review, causes: [c], harm: h, before: { severity: considerable, likelihood: medium }, after: { severity: considerable, likelihood: very-low },
      controls: [{ id: H02-C1, kind: check, description: d, ref: "src/store/repository.ts#Repository", tests: ["test/x.test.ts::s > red"] }] }
`,
  'hazards.yaml',
);

function input(over: Partial<SafetyCaseInput> = {}): SafetyCaseInput {
  return {
    product: { version: '9.8.7', engineVersion: '9.8.7', rulesVersion: '2099.01-3', references: ['ref-a'] },
    commit: { sha: 'abc123def', dirty: false },
    generatedAt: '2026-12-01T00:00:00Z',
    log,
    matrix,
    registry: { noSafetyImpact: [{ rule: 'src/engine/tables/x.ts#WIDTH', why: 'canvas width only, decides nothing' }] },
    rules: ['src/engine/stage.ts#tCategory', 'src/engine/tables/x.ts#WIDTH'],
    tests: { results: new Map([['src/engine/stage.test.ts::s > green', 'passed'], ['test/x.test.ts::s > red', 'failed']]), read: ['test-results/node-tests.jsonl'], missing: [] },
    problems: [{ where: 'H02/H02-C1', message: 'test failed in this run: test/x.test.ts::s > red' }],
    soup: [{ name: 'zod', version: '4.6.7', licence: 'MIT', role: 'schemas', failureShowsAs: 'bad input accepted', caughtBy: ['H01-C1'], knownAnomalies: 'none known' }],
    sbom: { components: 181, specVersion: '1.6' },
    ...over,
  };
}

describe('safety case document', () => {
  const md = toMarkdown(safetyCaseBlocks(input()));

  it('names the release, engine, rules version and commit, and is a draft that nobody has signed', () => {
    assert.match(md, /^# Retroplan clinical safety case — release 9\.8\.7$/m);
    assert.match(md, /\| Clinical rules version \| 2099\.01-3 \|/);
    assert.match(md, /\| Git commit \| abc123def \|/);
    assert.match(md, /DRAFT — not signed/);
    const signRows = md.split('\n').filter((l) => l.startsWith("| Manufacturer's Clinical Safety Officer") || l.startsWith("| Deploying organisation's Clinical Safety Officer"));
    assert.equal(signRows.length, 2);
    for (const row of signRows) assert.match(row, /\| {2}\| {2}\| {2}\|$/, 'name, signature and date are left empty');
  });

  it('holds the intended use, the residual risk counts, each control with its test results, review classes, open items and the SOUP list', () => {
    for (const heading of ['## Intended use and limitations', '### Known limitations', '## Summary of risk', '## Risk matrix', '## Hazard log', '## Review classes', '## Open issues affecting safety', '## Software of unknown provenance (SOUP)']) {
      assert.ok(md.includes(`\n${heading}\n`), heading);
    }
    // H01 residual major × low = 3, H02 considerable × very low = 2 (matrix lookup).
    assert.match(md, /\| 3 \| Undesirable \| 2 \| 1 \|/);
    assert.match(md, /\| 2 \| Acceptable with review \| 0 \| 1 \|/);
    assert.match(md, /passed: src\/engine\/stage\.test\.ts::s > green<br>not run: src\/engine\/stage\.test\.ts::s > gone/);
    assert.match(md, /failed: test\/x\.test\.ts::s > red/);
    assert.match(md, /Control → test links: 3; passed 1, failed 1, skipped 0, not run 1/);
    assert.match(md, /1 broken link\(s\)/);
    assert.match(md, /H01 \(Wrong stage; residual 3\): no flag for a provisional stage/);
    assert.match(md, /\| lost-update \| edits overwrite each other \| H02 \| controlled \|/);
    assert.match(md, /181 components/);
    assert.match(md, /\| zod \| 4\.6\.7 \| MIT \| schemas \|/);
  });

  it('says plainly when there are no test results or no SBOM, and when the tree is not a clean commit', () => {
    const bare = toMarkdown(safetyCaseBlocks(input({ tests: { results: new Map(), read: [], missing: ['test-results/node-tests.jsonl'] }, sbom: null, commit: { sha: 'abc', dirty: true } })));
    assert.match(bare, /No test results found: run `npm test` first/);
    assert.match(bare, /No SBOM found/);
    assert.match(bare, /uncommitted changes — not a release build/);
  });

  it('HTML escapes every text; Markdown escapes table pipes', () => {
    const blocks = [{ kind: 'table' as const, head: ['a|b'], rows: [['<script>x</script> `c`']] }];
    assert.match(toMarkdown(blocks), /\| a\\\|b \|/);
    const html = toHtml(blocks, 't<');
    assert.ok(!html.includes('<script>'));
    assert.match(html, /&lt;script&gt;x&lt;\/script&gt; <code>c<\/code>/);
  });

  it('prints to a PDF whose text and page footers carry the release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retroplan-safety-pdf-'));
    try {
      const path = join(dir, 'case.pdf');
      await renderPdf(toHtml(safetyCaseBlocks(input()), 'case'), path, 'Retroplan safety case 9.8.7 (engine 9.8.7, rules 2099.01-3)');
      assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
      const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
      assert.match(text, /Retroplan clinical safety case — release 9\.8\.7/);
      assert.match(text, /Retroplan safety case 9\.8\.7 \(engine 9\.8\.7, rules 2099\.01-3\) — DRAFT, not signed/);
      assert.match(text, /page 1 of \d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
