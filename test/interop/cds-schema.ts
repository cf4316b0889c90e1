import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from '../support/cli.ts';

// ajv 8 and ajv-formats 3 come with fastify (transitive dependencies), used here by tests only.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The CDS Hooks 2.0 JSON Schema written from the specification (test/fixtures/cds-hooks-schema/README.md). */
const SCHEMA_PATH = path.resolve(REPO_ROOT, 'test', 'fixtures', 'cds-hooks-schema', 'cds-hooks-2.0.schema.json');

export type CdsMessage = 'DiscoveryResponse' | 'CardResponse' | 'Card' | 'FeedbackRequest';

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
addFormats(ajv);
ajv.addSchema(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);

function validator(kind: CdsMessage) {
  const validate = ajv.getSchema(`urn:retroplan:test:cds-hooks-2.0#/definitions/${kind}`);
  assert.ok(validate, `no schema for ${kind}`);
  return validate;
}

/** The schema's complaints about `value` as a `kind` message ("<instance path> <message>"); empty when valid. */
export function cdsSchemaErrors(kind: CdsMessage, value: unknown): string[] {
  const validate = validator(kind);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

export function assertCdsValid(kind: CdsMessage, value: unknown): void {
  assert.deepEqual(cdsSchemaErrors(kind, value), [], `${kind} is not valid CDS Hooks 2.0`);
}

const SERVICES = '/cds-services';

/**
 * Checks one exchange with the CDS service against the schema: a 200 from discovery is a
 * DiscoveryResponse, a 200 from a service call a CardResponse, and feedback the service accepted
 * must have been a spec-valid FeedbackRequest.
 */
export function assertCdsExchange(method: string, url: string, requestBody: unknown, response: { status: number; body: unknown }): void {
  if (response.status !== 200) return;
  const pathname = url.split('?')[0]!;
  if (method === 'GET' && pathname === SERVICES) assertCdsValid('DiscoveryResponse', response.body);
  else if (method === 'POST' && pathname.startsWith(`${SERVICES}/`) && pathname.endsWith('/feedback')) assertCdsValid('FeedbackRequest', requestBody);
  else if (method === 'POST' && pathname.startsWith(`${SERVICES}/`)) assertCdsValid('CardResponse', response.body);
}

/** `request` with every CDS exchange checked by assertCdsExchange. */
export function schemaChecked<O extends { body?: unknown }, R extends { status: number; body: unknown }>(
  request: (method: string, url: string, options?: O) => Promise<R>,
): (method: string, url: string, options?: O) => Promise<R> {
  return async (method, url, options) => {
    const response = await request(method, url, options);
    assertCdsExchange(method, url, options?.body, response);
    return response;
  };
}

/** The test server with every CDS exchange through `request` checked against the schema. */
export function withSchemaChecks<S extends { request: (method: string, url: string, options?: { body?: unknown }) => Promise<{ status: number; body: unknown }> }>(server: S): S {
  return { ...server, request: schemaChecked(server.request.bind(server)) };
}
