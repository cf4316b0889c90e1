/**
 * Streamed FHIR import on a generated Bundle (default 100 MB; BENCH_FHIR_MB to change):
 * throughput (MB/s) and peak RSS of `importBundleStream`, each in its own process,
 * against two same-run baselines: reading the file without parsing (I/O floor), and
 * `JSON.parse` + the in-memory `importBundle` (what the import did before).
 * Run: npm run bench:fhir-import (node --import tsx bench/fhir-import/run.ts)
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBundle } from '../../src/interop/fhir/import.ts';
import { importBundleStream } from '../../src/interop/fhir/stream.ts';

const MODE = process.argv[2];
const FILE = process.argv[3];

async function generate(file: string, megabytes: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once('drain', () => resolve())));
  await write('{"resourceType":"Bundle","type":"collection","entry":[');
  const head = [
    { resourceType: 'Patient', id: 'p1', gender: 'male', birthDate: '1960-01-01' },
    { resourceType: 'Condition', id: 'rps', subject: { reference: 'Patient/p1' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C48.0' }] }, bodySite: [{ coding: [{ system: 'http://snomed.info/sct', code: '82849001' }] }], extension: [{ url: 'http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior', valueCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/icd-o-3', code: '8858/3' }] } }] },
  ];
  await write(head.map((resource) => JSON.stringify({ resource })).join(','));
  let bytes = 0;
  let i = 0;
  const target = megabytes * 1024 * 1024;
  while (bytes < target) {
    // A lifetime of labs (not read) with now and then a tumour size (read).
    const size = i % 1000 === 0;
    const resource = size
      ? { resourceType: 'Observation', id: `s${i}`, status: 'final', subject: { reference: 'Patient/p1' }, effectiveDateTime: `20${10 + (i % 15)}-01-01`, focus: [{ reference: 'Condition/rps' }], code: { coding: [{ system: 'http://loinc.org', code: '21889-1' }] }, component: [{ code: { coding: [{ system: 'http://loinc.org', code: '33728-7' }] }, valueQuantity: { value: 10 + (i % 20), unit: 'cm', system: 'http://unitsofmeasure.org', code: 'cm' } }] }
      : { resourceType: 'Observation', id: `lab${i}`, status: 'final', subject: { reference: 'Patient/p1' }, effectiveDateTime: '2020-01-01T10:00:00Z', code: { coding: [{ system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' }] }, valueQuantity: { value: 13.1, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' } };
    const text = `,${JSON.stringify({ fullUrl: `urn:uuid:${i}`, resource })}`;
    bytes += text.length;
    await write(text);
    i += 1;
  }
  await write(']}');
  await new Promise<void>((resolve) => out.end(resolve));
}

async function child(): Promise<void> {
  const started = process.hrtime.bigint();
  let ok = false;
  if (MODE === 'read') {
    for await (const chunk of createReadStream(FILE!, { highWaterMark: 1 << 20 })) ok = (chunk as Buffer).length > 0;
  } else if (MODE === 'stream') {
    const r = await importBundleStream(createReadStream(FILE!, { highWaterMark: 1 << 20 }), { asOf: '2025-01-01' });
    ok = r.ok && r.value.case.tumor.sizeCm !== undefined;
  } else {
    const r = importBundle(JSON.parse(await readFile(FILE!, 'utf8')), { asOf: '2025-01-01' });
    ok = r.ok && r.value.case.tumor.sizeCm !== undefined;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ ok, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function main(): Promise<void> {
  const megabytes = Number(process.env.BENCH_FHIR_MB ?? 100);
  const dir = mkdtempSync(path.join(tmpdir(), 'retroplan-fhir-bench-'));
  const file = path.join(dir, 'bundle.json');
  try {
    await generate(file, megabytes);
    const mb = statSync(file).size / (1024 * 1024);
    const self = fileURLToPath(import.meta.url);
    const run = (mode: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', self, mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as { ok: boolean; seconds: number; maxRssMb: number };
    const rows = { read: run('read'), stream: run('stream'), inMemory: run('memory') };
    console.log(`FHIR import benchmark: generated Bundle ${mb.toFixed(1)} MB`);
    for (const [name, r] of Object.entries(rows)) {
      console.log(`  ${name.padEnd(9)} ${(mb / r.seconds).toFixed(1).padStart(7)} MB/s  peak RSS ${r.maxRssMb.toFixed(0).padStart(5)} MB  ${r.ok ? '' : '(FAILED)'}`);
    }
    console.log(`  streamed import: ${(rows.stream.seconds / rows.read.seconds).toFixed(1)}× the time of reading the file; peak RSS ${(rows.stream.maxRssMb / rows.inMemory.maxRssMb).toFixed(2)}× the in-memory import's`);
  } finally {
    if (process.env.BENCH_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
    else console.log(`  kept ${file}`);
  }
}

if (MODE) await child();
else await main();
