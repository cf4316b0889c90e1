import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  COMPARTMENTS,
  evaluateCase,
  intraoperative,
  MARKERS,
  MARKER_NAMES,
  ORGAN_IDS,
  parseCase,
  PRIORITIES,
  type IntraopFinding,
} from './index.ts';
import { FROZEN_SECTION_RESULTS, FROZEN_SECTION_TARGETS, RUPTURE_EXTENTS, UNRESECTABILITY_FINDINGS } from './tables/intraoperative-rules.ts';
import { vocabularyEntries } from './vocabulary.ts';
import { renderTextReport } from '../report/text.ts';
import { caseWithHistory, organ } from '../../test/support/case-arbitrary.ts';

/**
 * No human-facing text carries an internal id (issue 12, item 7): reasons, messages,
 * labels and the printed report name organs, categories and codes in words.
 */

/**
 * Internal ids of the closed vocabularies that read as code (snake_case or kebab-case).
 * Two kebab-case ids are ordinary words and may appear in prose: "re-resection" and "PET-CT".
 */
const ORDINARY_WORDS = new Set(['re-resection', 'PET-CT']);
const INTERNAL_IDS = [
  ...ORGAN_IDS,
  ...Object.keys(COMPARTMENTS),
  ...Object.keys(PRIORITIES),
  ...MARKER_NAMES.flatMap((m) => MARKERS[m].results as readonly string[]),
  ...RUPTURE_EXTENTS,
  ...FROZEN_SECTION_RESULTS,
  ...UNRESECTABILITY_FINDINGS,
  ...vocabularyEntries().map(([, id]) => id),
].filter((id, i, all) => /[_-]/.test(id) && !ORDINARY_WORDS.has(id) && all.indexOf(id) === i);

const ID_PATTERN = new RegExp(`(?<![\\w-])(${INTERNAL_IDS.map((id) => id.replace(/[-]/g, '\\-')).join('|')})(?![\\w-])`);

/** Keys whose values are codes for programs (ids, paths, lists of ids), not text for people. */
const CODE_KEYS = new Set([
  'id', 'code', 'path', 'item', 'category', 'primary', 'involved', 'enBloc', 'organ', 'by', 'decideAtMdt', 'preserveUnlessInfiltrated', 'added',
  'references', 'position', 'suggestion', 'where', 'action', 'sources', 'histology', 'status', 'verdict', 'evidence', 'intent', 'team', 'strength',
  'family', 'pattern', 'resectionType', 'basis', 'kind', 'caseId', 'engine', 'presentation',
]);

/** Every human-facing string of a result with where it sits. */
function texts(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (CODE_KEYS.has(k) ? [] : texts(v, path ? `${path}.${k}` : k)));
  }
  return [];
}

function leaks(found: [string, string][]): string[] {
  return found.filter(([, t]) => ID_PATTERN.test(t)).map(([p, t]) => `${p}: ${t.match(ID_PATTERN)![1]} in "${t.slice(0, 160)}"`);
}

const finding: fc.Arbitrary<IntraopFinding> = fc.oneof(
  organ.map((structure) => ({ type: 'infiltration' as const, structure })),
  fc.constantFrom(...RUPTURE_EXTENTS).map((extent) => ({ type: 'rupture' as const, extent })),
  fc.tuple(fc.constantFrom(...FROZEN_SECTION_TARGETS), fc.constantFrom(...FROZEN_SECTION_RESULTS)).map(([target, result]) => ({ type: 'frozen_section' as const, target, result })),
  fc.constantFrom(...UNRESECTABILITY_FINDINGS).map((criterion) => ({ type: 'unresectable' as const, criterion })),
  fc.constant({ type: 'bleeding' as const }),
  fc.constant({ type: 'contralateral_kidney_unknown' as const }),
);

describe('human-facing texts name things in words, never by internal id', () => {
  it('the id pattern catches an id and spares the words that name it (hand-written examples)', () => {
    assert.ok(INTERNAL_IDS.includes('adrenal_left') && INTERNAL_IDS.includes('germ_cell') && INTERNAL_IDS.includes('spinal_canal') && INTERNAL_IDS.includes('systemic-or-palliative'));
    assert.match('origin in a large vein: no (adrenal_left)', ID_PATTERN);
    assert.match('points to systemic-or-palliative.', ID_PATTERN);
    assert.doesNotMatch('origin in a large vein: no (left adrenal gland)', ID_PATTERN);
    assert.doesNotMatch('a germ-cell tumour; curative-intent re-resection; PET-CT', ID_PATTERN);
    assert.deepEqual(leaks(texts({ reasons: ['growth into the spinal canal — spinal_canal'], enBloc: ['kidney_left'] })), ['reasons[0]: spinal_canal in "growth into the spinal canal — spinal_canal"']);
  });

  it('every reason, message and label of an evaluation, and the text report, over random valid cases', () => {
    fc.assert(
      fc.property(caseWithHistory, (input) => {
        const withId = { ...input, id: 'case-1' };
        const e = evaluateCase(parseCase(withId));
        const report = renderTextReport(e, withId);
        const found = [...leaks(texts(e)), ...leaks(report.split('\n').map((line, i) => [`report line ${i + 1}`, line]))];
        if (found.length) throw new Error(`internal ids in text:\n${found.join('\n')}`);
      }),
      { numRuns: 250, includeErrorInReport: true },
    );
  });

  it('every summary, note and reason of the intra-operative decisions', () => {
    fc.assert(
      fc.property(caseWithHistory, fc.array(finding, { minLength: 1, maxLength: 4 }), (input, findings) => {
        const d = intraoperative(parseCase(input), findings);
        const found = leaks(texts(d));
        if (found.length) throw new Error(`internal ids in text:\n${found.join('\n')}`);
      }),
      { numRuns: 200, includeErrorInReport: true },
    );
  });
});
