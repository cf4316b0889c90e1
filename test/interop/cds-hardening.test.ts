/**
 * CDS Hooks under attack (issue 9, item 4): a JWT id is used once across server
 * instances and restarts; the server never fetches from loopback, private,
 * link-local or metadata addresses for a caller, in any spelling, and every
 * failed fetch reads the same.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createServer } from '../../src/server/app.ts';
import { FHIR_READ_FAILED } from '../../src/interop/cds-hooks/prefetch.ts';
import { checkOutboundUrl, isPublicAddress, OUTBOUND_FAILURE_MESSAGE, OutboundFetchError, outboundFetch } from '../../src/interop/outbound-fetch.ts';
import type { DatabaseConfig } from '../../src/store/index.ts';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { request } from '../support/server.ts';
import { startFhirStub, type FhirStub } from './fhir-stub.ts';
import { assertCdsExchange } from './cds-schema.ts';

const PUBLIC_URL = 'https://retroplan.test';
const SERVICE = '/cds-services/retroplan-patient-view';
const ISS = 'https://ehr.example.org';
const PATIENT = { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1970-01-01' };
const EMPTY = { resourceType: 'Bundle', type: 'searchset', entry: [] };

async function withEnv<T>(env: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

interface Keys {
  privateKey: CryptoKey;
  env: Record<string, string | undefined>;
}

async function issuerKeys(): Promise<Keys> {
  const pair = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  return {
    privateKey: pair.privateKey as CryptoKey,
    env: { RETROPLAN_PUBLIC_URL: PUBLIC_URL, RETROPLAN_CDS_TRUSTED_ISSUERS: JSON.stringify([{ iss: ISS, jwks: { keys: [jwk] } }]), RETROPLAN_CDS_FHIR_SERVERS: undefined },
  };
}

async function sign(keys: Keys, jti = crypto.randomUUID()): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISS, aud: `${PUBLIC_URL}${SERVICE}`, iat: now, exp: now + 300, jti }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(keys.privateKey);
}

async function instance(database: DatabaseConfig, env: Record<string, string | undefined>) {
  const app = await withEnv(env, () => createServer({ database, logger: false, webRoot: null, scryptCost: 10 }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, base, close: () => app.close() };
}

function hook(extra: Record<string, unknown>) {
  return { hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/x', patientId: 'p1' }, ...extra };
}

const callHook = async (base: string, token: string, body: unknown) => {
  const response = await request(base, 'POST', SERVICE, { body, headers: { authorization: `Bearer ${token}` } });
  assertCdsExchange('POST', SERVICE, body, response);
  return response;
};

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`a CDS Hooks JWT id is used once, on one ${kind} database`, () => {
    let db: TestDatabase;
    let keys: Keys;
    before(async () => {
      db = kind === 'sqlite' ? tempSqlite() : await freshPostgres();
      keys = await issuerKeys();
    });
    after(async () => db?.drop());

    it('accepted by one instance, refused by a second instance and after a restart', async () => {
      const body = hook({ prefetch: { patient: PATIENT, conditions: EMPTY, observations: EMPTY } });
      const token = await sign(keys);
      const first = await instance(db.config, keys.env);
      const second = await instance(db.config, keys.env);
      try {
        assert.equal((await callHook(first.base, token, body)).status, 200);
        const replay = await callHook(second.base, token, body);
        assert.equal(replay.status, 401);
        assert.match(replay.body.errors[0].message, /jti was already used/);
      } finally {
        await first.close();
        await second.close();
      }
      const restarted = await instance(db.config, keys.env);
      try {
        assert.equal((await callHook(restarted.base, token, body)).status, 401, 'refused after a restart');
        assert.equal((await callHook(restarted.base, await sign(keys), body)).status, 200, 'a new jti is accepted');
      } finally {
        await restarted.close();
      }
    });
  });
}

describe('used JWT ids are purged once expired', () => {
  it('an expired entry goes when the next one is claimed; an unexpired one stays', async () => {
    const db = tempSqlite();
    const app = await createServer({ database: db.config, logger: false, webRoot: null });
    try {
      const repo = app.repo;
      assert.equal(await repo.claimCdsJti('old', 1_000, 900), true);
      assert.equal(await repo.claimCdsJti('old', 1_000, 950), false, 'a replay before expiry');
      assert.equal(await repo.claimCdsJti('live', 5_000, 2_000), true);
      assert.equal(await repo.claimCdsJti('old', 3_000, 2_001), true, 'the expired row was purged');
      assert.equal(await repo.claimCdsJti('live', 5_000, 2_002), false);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});

/** Spellings of loopback, private, link-local, metadata and embedded-IPv4 targets. */
const FORBIDDEN = (port: number) => [
  `http://127.0.0.1:${port}/fhir`,
  `https://127.0.0.1:${port}/fhir`,
  `https://localhost:${port}/fhir`,
  `https://2130706433:${port}/fhir`,
  `https://0x7f000001:${port}/fhir`,
  `https://0x7f.1:${port}/fhir`,
  `https://0177.0.0.1:${port}/fhir`,
  `https://127.1:${port}/fhir`,
  `https://[::ffff:127.0.0.1]:${port}/fhir`,
  `https://[::ffff:7f00:1]:${port}/fhir`,
  `https://[::1]:${port}/fhir`,
  `https://0.0.0.0:${port}/fhir`,
  `https://[::]:${port}/fhir`,
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.8/fhir',
  'https://172.16.5.4/fhir',
  'https://192.168.1.20/fhir',
  'https://100.64.0.1/fhir',
  'https://[fd00:ec2::254]/fhir',
  'https://[fe80::1]/fhir',
  'https://[64:ff9b::7f00:1]/fhir',
  'https://[2002:7f00:1::1]/fhir',
  'https://224.0.0.1/fhir',
  'ftp://example.org/fhir',
  'https://user:secret@example.org/fhir',
];

describe('outbound fetches refuse non-public targets', () => {
  let stub: FhirStub;
  before(async () => {
    stub = await startFhirStub([PATIENT]);
  });
  after(async () => stub?.close());
  const port = () => Number(new URL(stub.base).port);

  it('address classification (hand-written table)', () => {
    const table: [string, boolean][] = [
      ['8.8.8.8', true],
      ['93.184.216.34', true],
      ['2001:4860:4860::8888', true],
      ['127.0.0.1', false],
      ['10.1.2.3', false],
      ['172.31.255.255', false],
      ['192.168.0.1', false],
      ['169.254.169.254', false],
      ['100.100.100.100', false],
      ['0.0.0.0', false],
      ['255.255.255.255', false],
      ['::1', false],
      ['::', false],
      ['::ffff:127.0.0.1', false],
      ['::ffff:8.8.8.8', true],
      ['fc00::1', false],
      ['fe80::1', false],
      ['not an address', false],
    ];
    for (const [address, expected] of table) assert.equal(isPublicAddress(address), expected, address);
  });

  it('every spelling is refused with the same neutral error, and nothing reaches the local server', async () => {
    for (const url of FORBIDDEN(port())) {
      await assert.rejects(
        outboundFetch(url, { timeoutMs: 2000 }),
        (error: unknown) => error instanceof OutboundFetchError && error.message === OUTBOUND_FAILURE_MESSAGE,
        url,
      );
    }
    assert.equal(stub.requests.length, 0);
  });

  it('numeric IPv4 spellings are recognised before any connection', () => {
    for (const url of [`https://2130706433/`, `https://0x7f.1/`, `https://0177.0.0.1/`, `https://[::ffff:127.0.0.1]/`]) {
      assert.deepEqual(checkOutboundUrl(url), { ok: false, reason: 'non-public address' }, url);
    }
  });

  it('an allow-listed origin is fetched, http and loopback included', async () => {
    const r = await outboundFetch(`${stub.base}/fhir/Patient/p1`, { allowedOrigins: [stub.base] });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).id, 'p1');
    assert.equal(stub.requests.length, 1);
    stub.requests.length = 0;
    await assert.rejects(outboundFetch(`${stub.base}/fhir/Patient/nope`, { allowedOrigins: [stub.base] }), OutboundFetchError, 'a 404 is a failure too');
  });

  it('over HTTP: a verified hook naming a local fhirServer gets one neutral 412, without an allow-list', async () => {
    const db = tempSqlite();
    const keys = await issuerKeys();
    const s = await instance(db.config, keys.env);
    stub.requests.length = 0;
    try {
      const messages = new Set<string>();
      for (const fhirServer of [`${stub.base}/fhir`, ...FORBIDDEN(port()).filter((u) => u.startsWith('http'))]) {
        const r = await callHook(s.base, await sign(keys), hook({ fhirServer, fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 60, scope: 'patient/*.read', subject: 'x' } }));
        assert.equal(r.status, 412, `${fhirServer}: ${r.text}`);
        assert.equal(r.body.errors[0].path, 'prefetch');
        messages.add(r.body.errors[0].message);
      }
      assert.deepEqual([...messages], [FHIR_READ_FAILED]);
      assert.equal(stub.requests.length, 0, 'nothing was fetched from the local server');
    } finally {
      await s.close();
      await db.drop();
    }
  });
});
