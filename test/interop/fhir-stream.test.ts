import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { importBundle } from '../../src/interop/fhir/import.ts';
import { importBundleStream, importNdjsonStream } from '../../src/interop/fhir/stream.ts';
import { REPO_ROOT } from '../support/cli.ts';
import { readExample, readFixture } from './support.ts';

const OPTIONS = { asOf: '2025-01-01' };

async function* chunks(text: string, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.subarray(at, at + size);
    at += size;
    i += 1;
  }
}

const fixtures: [string, unknown][] = [
  ['rps-ddlps-bundle', readFixture('rps-ddlps-bundle.json')],
  ...readdirSync(path.join(REPO_ROOT, 'test', 'fixtures', 'fhir', 'defects'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, readFixture(`defects/${f}`)] as [string, unknown]),
  ['extended-patient-bundle', readExample('mcode-examples', 'extended-patient-bundle.json')],
  ['maximal-staging-resource (not a Bundle)', readExample('mcode-examples', 'maximal-staging-resource.json')],
];

/** What a streamed import must agree on with the in-memory import: the case, what was used, the error. */
function essence(r: Awaited<ReturnType<typeof importBundleStream>>): unknown {
  if (!r.ok) return { errors: r.errors };
  return { case: r.value.case, used: r.value.report.used, relevant: r.value.relevant, recorded: r.value.recorded };
}

describe('FHIR import, streamed: the same result as the in-memory import, for any chunking', () => {
  for (const [name, bundle] of fixtures) {
    it(name, async () => {
      const text = JSON.stringify(bundle, null, 1);
      const expected = essence(importBundle(bundle, OPTIONS));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
          assert.deepEqual(essence(await importBundleStream(chunks(text, sizes), OPTIONS)), expected);
        }),
        { numRuns: 25 },
      );
    });
  }

  it('NDJSON: one resource per line gives the same case', async () => {
    const bundle = readFixture('rps-ddlps-bundle.json') as { entry: { resource: unknown }[] };
    const ndjson = bundle.entry.map((e) => JSON.stringify(e.resource)).join('\n');
    const r = await importNdjsonStream(chunks(ndjson, [100]), OPTIONS);
    const expected = importBundle({ resourceType: 'Bundle', type: 'collection', entry: bundle.entry.map((e) => ({ resource: e.resource })) }, OPTIONS);
    assert.ok(r.ok && expected.ok);
    assert.deepEqual(r.value.case, expected.value.case);
  });

  it('resources Retroplan does not read are counted per kind, not kept one by one', async () => {
    const bundle = readFixture('rps-ddlps-bundle.json') as { entry: unknown[] };
    const labs = Array.from({ length: 500 }, (_, i) => ({ resource: { resourceType: 'Observation', id: `lab-${i}`, status: 'final', subject: { reference: 'Patient/rps-ddlps-1' }, code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] } } }));
    const r = await importBundleStream(chunks(JSON.stringify({ ...bundle, entry: [...bundle.entry, ...labs] }), [65536]), OPTIONS);
    assert.ok(r.ok);
    const line = r.value.report.ignored.find((i) => i.reason === 'observations with a code Retroplan does not read');
    assert.match(line!.resource, /^501 resource\(s\)/);
    assert.equal(r.value.case.tumor.sizeCm, 22);
  });

  it('truncated or unbalanced JSON is an error value', async () => {
    const r = await importBundleStream(chunks('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"', [5]), OPTIONS);
    assert.equal(r.ok, false);
  });
});
