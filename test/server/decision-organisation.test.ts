/**
 * A decision recorded outside a meeting (on the case page: POST /api/cases/:id/decisions without
 * an agenda item) belongs to the case's organisation, not to the author's (docs/architecture.md,
 * "Organisations": "belongs to the board's organisation (outside a meeting: the case's)").
 *
 * The author is a clinician of hub `hub-a` only; the case is spoke `spoke-b`'s, referred to hub-a
 * and accepted, so hub-a's clinicians may decide on it. The expected owner, `spoke-b`, is written
 * by hand from that rule. Spoke `spoke-c` is the second organisation that must see nothing of it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, seedMember, seedNetwork, startTestServer, type TestServer } from '../support/server.ts';

const DECISION = { date: '2026-02-03', attendees: ['sarcoma surgeon', 'radiologist'], decision: 'Resect en bloc after neoadjuvant radiotherapy', strategyIds: ['surgery-first'] };

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`a decision outside a meeting takes the case's organisation (${dialect})`, () => {
    let s: TestServer;
    let db: TestDatabase;
    const t: Record<string, string> = {};
    let caseId: string;
    let decisionId: string;

    before(async () => {
      db = dialect === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db });
      await seedNetwork(s.repo);
      t.spoke = await seedMember(s.repo, 'b.clinician', 'clinician', 'spoke-b', 'clinician');
      t.hub = await seedMember(s.repo, 'a.surgeon', 'clinician', 'hub-a', 'clinician');
      t.hubCoordinator = await seedMember(s.repo, 'a.coordinator', 'clinician', 'hub-a', 'coordinator');
      t.other = await seedMember(s.repo, 'c.admin', 'admin', 'spoke-c', 'admin');

      const created = await s.request('POST', '/api/cases', { token: t.spoke, body: { title: 'Referred patient', case: SEED_CASE } });
      assert.equal(created.status, 201, created.text);
      caseId = created.body.id;
      const referral = await s.request('POST', '/api/referrals', { token: t.spoke, body: { caseId, toOrganisationId: 'hub-a', question: 'Resectable?', urgency: 'routine' } });
      assert.equal(referral.status, 201, referral.text);
      const accepted = await s.request('POST', `/api/referrals/${referral.body.id}/triage`, { token: t.hubCoordinator, body: { action: 'accept' } });
      assert.equal(accepted.status, 200, accepted.text);

      const decided = await s.request('POST', `/api/cases/${caseId}/decisions`, { token: t.hub, body: DECISION });
      assert.equal(decided.status, 201, decided.text);
      assert.equal(decided.body.meetingId, null, 'outside a meeting');
      assert.equal(decided.body.author, 'a.surgeon');
      decisionId = decided.body.id;
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    it("is stored as spoke-b's (the case's), not hub-a's (the author's only organisation)", async () => {
      assert.deepEqual(await s.repo.organisations.membershipsOf((await s.repo.findUserByUsername('a.surgeon'))!.id).then((m) => m.map((x) => x.organisationId)), ['hub-a']);
      const asSpoke = await s.repo.boards.getDecision({ organisationIds: ['spoke-b'] }, decisionId);
      assert.equal(asSpoke?.organisationId, 'spoke-b');
      assert.equal(await s.repo.boards.getDecision({ organisationIds: ['hub-a'] }, decisionId), undefined);
      // The case's own organisation reads it by its id.
      const read = await s.request('GET', `/api/decisions/${decisionId}`, { token: t.spoke });
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.decision, DECISION.decision);
    });

    it("both sides of the referral see it on the case's decision list", async () => {
      for (const token of [t.spoke!, t.hub!]) {
        const list = await s.request('GET', `/api/cases/${caseId}/decisions`, { token });
        assert.equal(list.status, 200, list.text);
        assert.deepEqual((list.body.items as { id: string }[]).map((d) => d.id), [decisionId]);
      }
    });

    it('a user of a second organisation sees nothing of it: 404, as for a decision that does not exist', async () => {
      const byId = await s.request('GET', `/api/decisions/${decisionId}`, { token: t.other });
      const missing = await s.request('GET', '/api/decisions/00000000-0000-4000-8000-000000000000', { token: t.other });
      assert.equal(byId.status, 404);
      assert.deepEqual(byId.body, missing.body);
      assert.equal((await s.request('GET', `/api/cases/${caseId}/decisions`, { token: t.other })).status, 404);
      assert.equal((await s.request('GET', `/api/decisions/${decisionId}/letter.pdf`, { token: t.other })).status, 404);
      const audit = await s.request('GET', `/api/audit?objectId=${caseId}`, { token: t.other });
      assert.equal(audit.status, 200, audit.text);
      assert.deepEqual(audit.body.items, []);
    });
  });
}
