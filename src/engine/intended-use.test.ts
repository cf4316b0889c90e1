import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INTENDED_USE, intendedUseMarkdown, intendedUseText, reportNotice, versionLine } from './intended-use.ts';
import { ENGINE_VERSION, RULES_VERSION } from './version.ts';

// One statement, three renderings (CLI/text, Markdown for the README and the safety case, a report's notice):
// each carries every section and item, in order, in its own layout.
describe('intended use: the one statement in each rendering', () => {
  const first = INTENDED_USE.sections[0]!;
  it('the version line names the engine and the clinical rules', () => {
    assert.equal(versionLine(), `Retroplan engine ${ENGINE_VERSION}, clinical rules ${RULES_VERSION}`);
  });
  it('text: product, version, summary, then each section underlined with its items as bullets', () => {
    const text = intendedUseText();
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 5), [INTENDED_USE.product, versionLine(), '', INTENDED_USE.summary, '']);
    assert.deepEqual(lines.slice(5, 7 + first.items.length), [first.title, '-'.repeat(first.title.length), ...first.items.map((i) => `  • ${i}`)]);
    assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'));
    const bullets = lines.filter((l) => l.startsWith('  • '));
    assert.equal(bullets.length, INTENDED_USE.sections.reduce((n, s) => n + s.items.length, 0));
  });
  it('markdown: the summary, then a heading one level below the given one per section, its items as a list', () => {
    for (const level of [1, 2, 3]) {
      const lines = intendedUseMarkdown(level).split('\n');
      assert.deepEqual(lines.slice(0, 4 + first.items.length), [INTENDED_USE.summary, '', `${'#'.repeat(level + 1)} ${first.title}`, '', ...first.items.map((i) => `- ${i}`)]);
      assert.equal(lines.filter((l) => l.startsWith('#')).length, INTENDED_USE.sections.length);
    }
    assert.equal(intendedUseMarkdown(), intendedUseMarkdown(2));
  });
  it("a report's notice: the summary, the version, and where the full statement is", () => {
    assert.equal(reportNotice(), `${INTENDED_USE.summary} ${versionLine()}. Full statement of intended use and limitations: \`retroplan about\` or the About page.`);
  });
});
