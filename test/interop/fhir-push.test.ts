import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import { startTestServer, type TestServer } from '../support/server.ts';
import { r4Issues, readFixture } from './support.ts';

describe('FHIR write-back: the MDT report as a DocumentReference (RETROPLAN_FHIR_PUSH_URL)', () => {
  let s: TestServer;
  let ehr: Server;
  let base = '';
  const received: { auth?: string; body: DocumentReference }[] = [];
  before(async () => {
    ehr = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/fhir/DocumentReference') {
          received.push({ ...(req.headers.authorization ? { auth: req.headers.authorization } : {}), body: JSON.parse(text) as DocumentReference });
          res.writeHead(201, { location: `${base}/DocumentReference/doc-1/_history/1`, 'content-type': 'application/fhir+json' });
          res.end('{}');
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => ehr.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(ehr.address() as AddressInfo).port}/fhir`;
    process.env.RETROPLAN_FHIR_PUSH_URL = base;
    process.env.RETROPLAN_FHIR_PUSH_TOKEN = 'push-token-123';
    try {
      s = await startTestServer();
    } finally {
      delete process.env.RETROPLAN_FHIR_PUSH_URL;
      delete process.env.RETROPLAN_FHIR_PUSH_TOKEN;
    }
  });
  after(async () => {
    await s?.close();
    await new Promise((resolve) => ehr.close(resolve));
  });

  it("a case imported from that server is written back to the patient's record; one without its id there is refused", async () => {
    const imported = await s.request('POST', `/api/fhir/import?asOf=2025-01-01&source=${encodeURIComponent(base)}`, { token: s.tokens.clinician, body: readFixture('rps-ddlps-bundle.json') });
    assert.equal(imported.status, 201, imported.text);
    const r = await s.request('POST', `/api/cases/${imported.body.record.id}/fhir/push`, { token: s.tokens.clinician });
    assert.equal(r.status, 201, r.text);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.auth, 'Bearer push-token-123');
    const doc = received[0]!.body;
    assert.equal(doc.subject?.reference, 'Patient/rps-ddlps-1');
    assert.match(Buffer.from(doc.content[0]!.attachment.data!, 'base64').toString('utf8'), /IIIB/);
    assert.deepEqual(r4Issues({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: doc }] } as Bundle), []);
    assert.equal((await s.request('POST', `/api/cases/${imported.body.record.id}/fhir/push`, { token: s.tokens.viewer })).status, 403);
    const other = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: 'no identity', case: {} } });
    const refused = await s.request('POST', `/api/cases/${other.body.id ?? other.body.record?.id}/fhir/push`, { token: s.tokens.clinician });
    assert.equal(refused.status, 422);
  });
});
