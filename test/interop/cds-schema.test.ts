import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCase } from '../../src/engine/index.ts';
import { importBundle } from '../../src/interop/fhir/import.ts';
import { cardsFor } from '../../src/interop/cds-hooks/service.ts';
import { readExample, readFixture } from './support.ts';
import { assertCdsExchange, assertCdsValid, cdsSchemaErrors, type CdsMessage } from './cds-schema.ts';

/** A real response of this service (the DD-LPS patient) as plain JSON, to break one field at a time. */
function realResponse(): { cards: Record<string, unknown>[] } {
  const imported = importBundle(readFixture('rps-ddlps-bundle.json'), { asOf: '2025-01-01' });
  assert.ok(imported.ok);
  let n = 0;
  const cards = cardsFor(imported.value, evaluateCase(imported.value.case), { asOf: '2025-01-01', publicBaseUrl: 'https://retroplan.test', newUuid: () => `u${(n += 1)}` });
  assert.ok(cards.length >= 3, 'the DD-LPS patient gets several cards');
  return JSON.parse(JSON.stringify({ cards: cards.map((issued) => issued.card) })) as { cards: Record<string, unknown>[] };
}

const spec = (file: string) => readExample('cds-hooks-spec', file);

describe('CDS Hooks 2.0 JSON Schema (written from the specification)', () => {
  it("accepts the specification's own examples: discovery, a card response, the empty response, both feedback examples", () => {
    const examples: [CdsMessage, string][] = [
      ['DiscoveryResponse', 'specification_current__01__discovery-example.json'],
      ['CardResponse', 'specification_current__19__example.json'],
      ['CardResponse', 'specification_current__12__http-response.json'],
      ['FeedbackRequest', 'specification_current__21__example-suggestion-accepted.json'],
      ['FeedbackRequest', 'specification_current__22__example-overridden-guidance-with-overrid.json'],
    ];
    for (const [kind, file] of examples) assert.deepEqual(cdsSchemaErrors(kind, spec(file)), [], file);
  });

  it('accepts a real response of this service', () => {
    assertCdsValid('CardResponse', realResponse());
  });

  it('a response missing source.label, or with a 150-character summary, fails validation', () => {
    const noLabel = realResponse();
    delete (noLabel.cards[0]!.source as Record<string, unknown>).label;
    assert.deepEqual(cdsSchemaErrors('CardResponse', noLabel), ["/cards/0/source must have required property 'label'"]);
    assert.throws(() => assertCdsValid('CardResponse', noLabel), /not valid CDS Hooks 2\.0/);

    const long = realResponse();
    long.cards[1]!.summary = 'x'.repeat(150);
    assert.deepEqual(cdsSchemaErrors('CardResponse', long), ['/cards/1/summary must NOT have more than 139 characters']);
    // The boundary: "<140-character summary".
    long.cards[1]!.summary = 'x'.repeat(139);
    assert.deepEqual(cdsSchemaErrors('CardResponse', long), []);
    long.cards[1]!.summary = 'x'.repeat(140);
    assert.equal(cdsSchemaErrors('CardResponse', long).length, 1);
  });

  it('each other rule of the card attributes is enforced (hand-written breakages)', () => {
    const base = { summary: 'A short summary', indicator: 'info', source: { label: 'Retroplan' } };
    const action = { type: 'create', description: 'Order it', resource: { resourceType: 'ServiceRequest' } };
    const broken: [string, unknown][] = [
      ['no summary', { indicator: 'info', source: { label: 'x' } }],
      ['no indicator', { summary: 's', source: { label: 'x' } }],
      ['indicator outside the enum', { ...base, indicator: 'hard-stop' }],
      ['no source', { summary: 's', indicator: 'info' }],
      ['source url not a URL', { ...base, source: { label: 'x', url: 'not a url' } }],
      ['suggestions without selectionBehavior', { ...base, suggestions: [{ label: 'Do it', uuid: 'u1', actions: [action] }] }],
      ['selectionBehavior outside the enum', { ...base, selectionBehavior: 'all', suggestions: [{ label: 'Do it' }] }],
      ['suggestion without label', { ...base, selectionBehavior: 'any', suggestions: [{ uuid: 'u1' }] }],
      ['action without description', { ...base, selectionBehavior: 'any', suggestions: [{ label: 'l', actions: [{ type: 'create', resource: { resourceType: 'ServiceRequest' } }] }] }],
      ['create action without resource', { ...base, selectionBehavior: 'any', suggestions: [{ label: 'l', actions: [{ type: 'create', description: 'd' }] }] }],
      ['action type outside the enum', { ...base, selectionBehavior: 'any', suggestions: [{ label: 'l', actions: [{ ...action, type: 'upsert' }] }] }],
      ['link without type', { ...base, links: [{ label: 'Open', url: 'https://retroplan.test/' }] }],
      ['link type outside the enum', { ...base, links: [{ label: 'Open', url: 'https://retroplan.test/', type: 'relative' }] }],
      ['link without label', { ...base, links: [{ url: 'https://retroplan.test/', type: 'absolute' }] }],
      ['appContext on an absolute link', { ...base, links: [{ label: 'Open', url: 'https://retroplan.test/', type: 'absolute', appContext: '{}' }] }],
      ['override reason without display', { ...base, overrideReasons: [{ system: 'urn:x', code: 'c' }] }],
      ['override reason without code', { ...base, overrideReasons: [{ system: 'urn:x', display: 'd' }] }],
      ['a misspelt attribute', { ...base, sumary: 'typo' }],
    ];
    for (const [why, card] of broken) assert.notDeepEqual(cdsSchemaErrors('Card', card), [], why);
    assert.deepEqual(cdsSchemaErrors('Card', { ...base, selectionBehavior: 'at-most-one', suggestions: [{ label: 'Do it', uuid: 'u1', actions: [action] }], links: [{ label: 'Open', url: 'https://retroplan.test/launch', type: 'smart', appContext: '{"patient":"p"}' }], overrideReasons: [{ system: 'urn:x', code: 'c', display: 'd' }] }), []);
    assert.notDeepEqual(cdsSchemaErrors('CardResponse', {}), [], 'cards is required');
    assert.notDeepEqual(cdsSchemaErrors('CardResponse', { cards: [], systemActions: [{ type: 'update', description: 'd' }] }), [], 'a system update action needs its resource');
    assert.deepEqual(cdsSchemaErrors('CardResponse', { cards: [], systemActions: [{ type: 'update', description: 'd', resource: { resourceType: 'Patient' } }] }), []);
  });

  it('discovery and feedback rules are enforced', () => {
    assert.notDeepEqual(cdsSchemaErrors('DiscoveryResponse', { services: [{ hook: 'patient-view', id: 'x' }] }), [], 'description is required');
    assert.notDeepEqual(cdsSchemaErrors('DiscoveryResponse', { services: [{ hook: 'patient-view', description: 'd' }] }), [], 'id is required');
    assert.notDeepEqual(cdsSchemaErrors('DiscoveryResponse', { services: [{ hook: 'patient-view', description: 'd', id: 'x', prefetch: { p: 1 } }] }), [], 'prefetch templates are strings');
    const item = { card: 'u1', outcome: 'accepted', outcomeTimestamp: '2025-01-01T10:05:31Z' };
    assert.deepEqual(cdsSchemaErrors('FeedbackRequest', { feedback: [item] }), []);
    for (const key of ['card', 'outcome', 'outcomeTimestamp'] as const) {
      const { [key]: _dropped, ...rest } = item;
      assert.notDeepEqual(cdsSchemaErrors('FeedbackRequest', { feedback: [rest] }), [], `${key} is required`);
    }
    assert.notDeepEqual(cdsSchemaErrors('FeedbackRequest', { feedback: [{ ...item, outcome: 'ignored' }] }), [], 'outcome enum');
    assert.notDeepEqual(cdsSchemaErrors('FeedbackRequest', { feedback: [{ ...item, outcomeTimestamp: 'yesterday' }] }), [], 'ISO 8601 timestamp');
    assert.notDeepEqual(cdsSchemaErrors('FeedbackRequest', { feedback: [{ ...item, overrideReason: { userComment: 'no' } }] }), [], 'no override reason on an accepted card');
  });

  it('the exchange check applies the right schema to each endpoint and ignores refusals', () => {
    const badCards = { cards: [{ summary: 'x', indicator: 'info', source: {} }] };
    assert.throws(() => assertCdsExchange('POST', '/cds-services/retroplan-patient-view', {}, { status: 200, body: badCards }));
    assert.throws(() => assertCdsExchange('GET', '/cds-services', undefined, { status: 200, body: { services: [{ id: 'x' }] } }));
    assert.throws(() => assertCdsExchange('POST', '/cds-services/retroplan-patient-view/feedback', { feedback: [{ card: 'u1' }] }, { status: 200, body: {} }));
    assertCdsExchange('POST', '/cds-services/retroplan-patient-view', {}, { status: 400, body: badCards });
  });
});
