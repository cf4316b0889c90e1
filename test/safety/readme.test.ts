import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { intendedUseMarkdown } from '../../src/engine/index.ts';
import { REPO_ROOT } from '../support/cli.ts';

describe('README', () => {
  it('its "Intended use and limitations" section is the text of src/engine/intended-use.ts, word for word', () => {
    const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
    const start = readme.indexOf('## Intended use and limitations\n');
    assert.ok(start >= 0, 'the section exists');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
    assert.ok(section.includes(intendedUseMarkdown(2)), 'regenerate the section from intendedUseMarkdown(2)');
  });
});
