import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Bundle, Device, Provenance } from '@medplum/fhirtypes';
import { evaluate, evaluateCase, parseCase } from '../../src/engine/index.ts';
import { renderTextReport } from '../../src/cli/report-text.ts';
import { exportBundle } from '../../src/interop/fhir/export.ts';
import { patientViewCards } from '../../src/interop/cds-hooks/service.ts';
import { serverResources } from '../interop/fhir-stub.ts';
import { r4Issues, readFixture } from '../interop/support.ts';
import { runCli } from '../support/cli.ts';

/**
 * Every output names the release that produced it (issue 17, item 6). The expected
 * versions are read from package.json and written here by hand, not from the engine's
 * own constants, so a forgotten bump or a dropped field fails.
 */
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const RULES_VERSION_PATTERN = /^\d{4}\.\d{2}-\d+$/;

const seed = JSON.parse(readFileSync(new URL('../../examples/seed-22cm-ddlps.json', import.meta.url), 'utf8')) as unknown;
const evaluated = evaluate(seed);
if (!evaluated.ok) throw new Error('the seed example must be valid');
const evaluation = evaluated.value;

describe('every output carries the engine and clinical-rules versions', () => {
  it('evaluation JSON: engine.version is the package version, engine.rulesVersion and engine.references are set', () => {
    assert.equal(evaluation.engine.version, PACKAGE_VERSION);
    assert.match(evaluation.engine.rulesVersion, RULES_VERSION_PATTERN);
    assert.ok(evaluation.engine.references.length >= 1);
    const json = JSON.parse(JSON.stringify(evaluation)) as { engine: Record<string, unknown> };
    assert.deepEqual(Object.keys(json.engine).sort(), ['name', 'references', 'rulesVersion', 'version']);
  });

  it('text report: both versions in the heading, and the intended-use notice before the sources', () => {
    const text = renderTextReport(evaluation);
    const heading = text.split('\n')[0]!;
    assert.ok(heading.includes(`engine ${PACKAGE_VERSION}`), heading);
    assert.ok(heading.includes(`clinical rules ${evaluation.engine.rulesVersion}`), heading);
    const notice = text.indexOf('\nIntended use and limitations\n');
    assert.ok(notice > 0 && notice < text.lastIndexOf('\nSources\n'));
    assert.match(text, /does not replace the MDT/);
  });

  it('FHIR export: a Device with both versions and a Provenance naming it for every other resource; still valid R4', () => {
    let n = 0;
    const c = parseCase(seed);
    const e = evaluateCase(c);
    const bundle: Bundle = exportBundle({ case: c, evaluation: e, reportText: renderTextReport(e), issued: '2025-01-01T09:00:00Z', newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
    const resources = (bundle.entry ?? []).map((x) => ({ fullUrl: x.fullUrl!, resource: x.resource! }));
    const devices = resources.filter((r) => r.resource.resourceType === 'Device');
    assert.equal(devices.length, 1);
    const device = devices[0]!.resource as Device;
    assert.deepEqual(
      device.version?.map((v) => [v.type?.text, v.value]),
      [
        ['engine', PACKAGE_VERSION],
        ['clinical rules', e.engine.rulesVersion],
      ],
    );
    const provenance = resources.find((r) => r.resource.resourceType === 'Provenance')!.resource as Provenance;
    assert.equal(provenance.agent[0]!.who?.reference, devices[0]!.fullUrl);
    const others = resources.filter((r) => r.resource.resourceType !== 'Provenance' && r.resource.resourceType !== 'Device').map((r) => r.fullUrl);
    assert.deepEqual(provenance.target.map((t) => t.reference).sort(), others.sort());
    assert.deepEqual(r4Issues(bundle), []);
  });

  it('CDS cards: every card names the release in source.topic and in its text', () => {
    const resources = serverResources(readFixture('rps-ddlps-bundle.json') as { entry: { fullUrl?: string; resource: Record<string, unknown> }[] });
    const searchset = (type: string) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource })) });
    const prefetch = { patient: resources.find((r) => r.resourceType === 'Patient'), conditions: searchset('Condition'), observations: searchset('Observation') };
    let n = 0;
    const patientId = String((prefetch.patient as { id?: string } | undefined)?.id);
    const result = patientViewCards(prefetch, { asOf: '2025-01-01', publicBaseUrl: 'https://retroplan.example', newUuid: () => `uuid-${++n}`, patientId });
    assert.ok(result.ok);
    const cards = result.cards.map((issued) => issued.card);
    assert.ok(cards.length >= 2);
    for (const card of cards) {
      assert.equal(card.source.label, 'Retroplan');
      assert.equal(card.source.topic?.system, 'urn:retroplan:release');
      assert.equal(card.source.topic?.code, `${PACKAGE_VERSION}+rules.${evaluation.engine.rulesVersion}`);
      assert.ok(card.detail?.endsWith(`_Retroplan engine ${PACKAGE_VERSION}, clinical rules ${evaluation.engine.rulesVersion}_`), card.detail);
    }
  });
});

describe('retroplan about (real binary)', () => {
  it('prints who it is for, what it does not do, the limitations and both versions', async () => {
    const run = await runCli(['about']);
    assert.equal(run.code, 0, run.stderr);
    for (const heading of ['Intended users', 'Patients', 'What it does not do', 'Known limitations']) assert.match(run.stdout, new RegExp(`\\n${heading}\\n`));
    assert.match(run.stdout, /does not replace the MDT/);
    assert.match(run.stdout, /Adults \(18 years or older\)/);
    assert.ok(run.stdout.includes(`engine ${PACKAGE_VERSION}, clinical rules ${evaluation.engine.rulesVersion}`));
  });

  it('--format json gives the same statement as data; an unknown format exits 2', async () => {
    const run = await runCli(['about', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { intendedUse: { sections: { id: string }[] }; engine: { version: string; rulesVersion: string } };
    assert.deepEqual(doc.intendedUse.sections.map((s) => s.id), ['purpose', 'users', 'population', 'does', 'does-not', 'inputs', 'limitations']);
    assert.equal(doc.engine.version, PACKAGE_VERSION);
    const bad = await runCli(['about', '--format', 'pdf']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --format/);
  });
});
