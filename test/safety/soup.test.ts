import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HazardLogSchema, loadSafetyYaml, SoupSchema } from '../../scripts/safety/schema.ts';
import { soupProblems, soupRows } from '../../scripts/safety/soup.ts';
import { REPO_ROOT } from '../support/cli.ts';

const soup = loadSafetyYaml(SoupSchema, `${REPO_ROOT}/safety/soup.yaml`);
const log = loadSafetyYaml(HazardLogSchema, `${REPO_ROOT}/safety/hazards.yaml`);
const ids = new Set(log.hazards.flatMap((h) => [h.id, ...h.controls.map((c) => c.id)]));
const dependencies = Object.keys((JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies);

describe('SOUP list (safety/soup.yaml)', () => {
  it('has exactly one entry for every direct production dependency, each caught by a known hazard control', () => {
    assert.ok(dependencies.length >= 20);
    assert.deepEqual(soupProblems(soup, dependencies, ids), []);
  });

  it('a new dependency without an entry, an entry for a removed one and an unknown control are each reported', () => {
    const problems = soupProblems({ components: [...soup.components, { ...soup.components[0]!, name: 'left-pad', caughtBy: ['H99-C9'] }] }, [...dependencies, 'lodash'], ids);
    assert.deepEqual(problems.sort(), [
      'left-pad: SOUP entry for a package that is not a direct production dependency',
      'left-pad: caughtBy names unknown hazard or control H99-C9',
      'lodash: direct production dependency without a SOUP entry',
    ]);
  });

  it('takes version and licence from the CycloneDX SBOM, by group and name', () => {
    const rows = soupRows(
      { components: [soup.components.find((c) => c.name === '@fastify/cookie')!, soup.components.find((c) => c.name === 'zod')!] },
      {
        components: [
          { group: '@fastify', name: 'cookie', version: '11.1.5', licenses: [{ license: { id: 'MIT' } }] },
          { name: 'zod', version: '4.6.7', licenses: [{ expression: 'MIT OR Apache-2.0' }] },
        ],
      },
    );
    assert.deepEqual(rows.map((r) => [r.name, r.version, r.licence]), [
      ['@fastify/cookie', '11.1.5', 'MIT'],
      ['zod', '4.6.7', 'MIT OR Apache-2.0'],
    ]);
    assert.equal(soupRows({ components: [soup.components[0]!] }, { components: [] })[0]!.version, 'not in SBOM');
  });
});
