/**
 * The worker reads a batch without quotes or carriage returns by splitting it directly
 * (stage-worker.ts); any other batch goes through csv-parse. The two readings must give the same
 * output rows, the same malformed-row reports (with their line numbers) and the same counts: the
 * same rows are staged once unquoted and once with one needless quote that forces csv-parse.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { stageCsv, type BatchSummary } from '../../src/registry/batch.ts';

const HEADER = 'registryId,primarySite,histologicTypeIcdO3,behaviorCodeIcdO3,sex,eodPrimaryTumor,tumorSizeSummary,eodRegionalNodes,eodMets,gradeClinical,gradePathological';

async function staged(text: string): Promise<{ out: string; malformed: string[]; summary: BatchSummary }> {
  let out = '';
  const malformed: string[] = [];
  const summary = await stageCsv({
    input: Readable.from([Buffer.from(text)]),
    output: new Writable({ write: (chunk: Buffer, _e, done) => ((out += chunk.toString('utf8')), done()) }),
    format: 'csv',
    strict: false,
    workers: 1,
    currentYear: 2026,
    onMalformed: (m) => malformed.push(m),
  });
  return { out, malformed, summary };
}

const row = fc.tuple(
  fc.constantFrom('C480', 'C481', 'C482', 'C488', 'C490', ''),
  fc.constantFrom('8858', '8851', '8890', '8805', '9040', '8000', ''),
  fc.constantFrom('3', '1'),
  fc.constantFrom('1', '2', '9'),
  fc.constantFrom('100', '200', '700', '800', '999', '55'),
  fc.constantFrom('000', '001', '050', '101', '150', '400', '990', '999', 'abc'),
  fc.constantFrom('000', '300', '800', '999'),
  fc.constantFrom('00', '10', '70', '99'),
  fc.constantFrom('1', '2', '3', '9', 'A', 'C', ''),
  fc.constantFrom('1', '2', '3', '9', 'D', ''),
);

describe('registry staging: the direct split and csv-parse read a batch the same way', () => {
  it('hand-made rows: staged, a blank line, a short row, a bad byte', async () => {
    const lines = ['R1,C480,8858,3,1,100,120,000,00,9,3', '', 'R2,C480,8851,3,2,200', 'R3,C480,8890,3,1,100,050,000,00,1,\uFFFD', 'R4,C490,8858,3,1,100,050,000,00,1,1'];
    const plain = await staged(`${HEADER}\n${lines.join('\n')}\n`);
    const quoted = await staged(`${HEADER}\n"R1"${lines[0]!.slice(2)}\n${lines.slice(1).join('\n')}\n`);
    assert.equal(plain.out, quoted.out);
    assert.deepEqual(plain.malformed, ['line 4: expected 11 columns, found 6', 'line 5: not valid UTF-8']);
    assert.deepEqual(quoted.malformed, plain.malformed);
    assert.deepEqual(plain.summary, quoted.summary);
    // A well-formed row is written as its input line followed by the derived cells.
    assert.equal(plain.out.split('\n')[1]!.split(',').slice(0, 11).join(','), lines[0]);
  });

  it('property: any unquoted rows give the same output either way', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const lines = rows.map((r, i) => [`R${i}`, ...r].join(','));
        const plain = await staged(`${HEADER}\n${lines.join('\n')}\n`);
        const quoted = await staged(`${HEADER}\n"R0"${lines[0]!.slice(2)}\n${lines.slice(1).join('\n')}${lines.length > 1 ? '\n' : ''}`);
        assert.equal(plain.out, quoted.out);
        assert.deepEqual(plain.summary, quoted.summary);
      }),
      { numRuns: 15 },
    );
  });
});
