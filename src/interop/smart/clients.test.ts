import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SMART_REFRESH_MS, SmartRegistry, smartClientsFromEnv } from './clients.ts';

describe('SMART EHR registry', () => {
  it('a stored entry overrides the environment entry with the same iss; the list is re-read only after 30 s; refused rows are left out', async () => {
    const env = smartClientsFromEnv({ RETROPLAN_SMART_CLIENTS: JSON.stringify({ 'https://a.example/fhir/': { clientId: 'env-a' }, 'https://b.example/fhir': { clientId: 'env-b', name: 'B' } }) });
    assert.deepEqual(env.map((c) => [c.iss, c.name, c.clientId]), [['https://a.example/fhir', 'a.example', 'env-a'], ['https://b.example/fhir', 'B', 'env-b']]);
    let clock = 1_000_000;
    let reads = 0;
    let rows: unknown[] = [{ iss: 'https://a.example/fhir', name: 'A stored', clientId: 'db-a', scopes: 'launch openid', connectOrigins: [] }];
    const registry = new SmartRegistry(env, async () => {
      reads += 1;
      return rows;
    }, () => clock);
    await registry.refresh(true);
    assert.equal(registry.find('https://a.example/fhir/')?.clientId, 'db-a');
    assert.equal(registry.find('https://b.example/fhir')?.clientId, 'env-b');
    assert.equal(registry.find('https://c.example/fhir'), undefined);

    rows = [{ iss: 'ftp://bad', name: 'x', clientId: 'x', scopes: 'launch', connectOrigins: [] }];
    clock += SMART_REFRESH_MS - 1;
    await registry.refresh();
    assert.equal(reads, 1, 'not re-read within 30 s');
    clock += 1;
    await registry.refresh();
    assert.equal(reads, 2);
    assert.equal(registry.find('https://a.example/fhir')?.clientId, 'env-a', 'the refused stored row is dropped; the environment entry is back');
    assert.equal(registry.connectSources(), "'self' https://a.example https://b.example");
  });
});
