/**
 * Organisation boundaries over HTTP (issue 13), on SQLite and PostgreSQL. Three organisations:
 * hub `hub-a` (sarcoma centre), spokes `spoke-b` and `spoke-c`. A case of spoke-b is referred to
 * hub-a. Every case-bearing route is called by a user of the same organisation, of the other
 * spoke and of the hub receiving the referral; the expected status of each is written by hand
 * from the rule table in docs/architecture.md ("Organisations"), not read from the code:
 * another organisation gets 404 (existence not revealed), the receiving hub reads but does not
 * write, an organisation viewer does not write.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, seedMember, seedNetwork, startTestServer, type TestServer } from '../support/server.ts';

type Caller = 'same' | 'other' | 'hub';

/** route × caller → status, for spoke-b's case referred to hub-a (not yet accepted). `:case`, `:ref` are filled in. */
const TABLE: { method: string; path: string; body?: 'update' | 'decision' | 'intraop'; ifMatch?: 'current' | 'stale'; expect: Record<Caller, number> }[] = [
  { method: 'GET', path: '/api/cases/:case', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'GET', path: '/api/cases/:case/versions', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'GET', path: '/api/cases/:case/versions/1', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'GET', path: '/api/cases/:case/evaluation', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'GET', path: '/api/cases/:case/decisions', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'GET', path: '/api/cases/:case/fhir', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'GET', path: '/api/cases/:case/intraop', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'PUT', path: '/api/cases/:case', body: 'update', ifMatch: 'current', expect: { other: 404, hub: 403, same: 200 } },
  { method: 'DELETE', path: '/api/cases/:case', ifMatch: 'stale', expect: { other: 404, hub: 403, same: 409 } },
  { method: 'POST', path: '/api/cases/:case/decisions', body: 'decision', expect: { other: 404, hub: 403, same: 201 } },
  { method: 'POST', path: '/api/cases/:case/intraop', body: 'intraop', expect: { other: 404, hub: 403, same: 201 } },
  { method: 'GET', path: '/api/referrals/:ref', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'GET', path: '/api/referrals/:ref/fhir', expect: { same: 200, other: 404, hub: 200 } },
  { method: 'POST', path: '/api/referrals/:ref/schedule', body: undefined, expect: { same: 400, other: 400, hub: 400 } },
];

const DECISION = { date: '2026-02-03', attendees: ['sarcoma surgeon'], decision: 'Resect en bloc', strategyIds: ['surgery-first'] };

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`organisation boundaries over HTTP (${dialect})`, () => {
    let s: TestServer;
    let db: TestDatabase;
    const t: Record<string, string> = {};
    let caseB: string;
    let caseC: string;
    let referralId: string;

    before(async () => {
      db = dialect === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db });
      await seedNetwork(s.repo);
      t.same = await seedMember(s.repo, 'b.clinician', 'clinician', 'spoke-b', 'clinician');
      t.sameViewer = await seedMember(s.repo, 'b.orgviewer', 'clinician', 'spoke-b', 'viewer');
      t.other = await seedMember(s.repo, 'c.clinician', 'clinician', 'spoke-c', 'clinician');
      t.otherAdmin = await seedMember(s.repo, 'c.admin', 'admin', 'spoke-c', 'admin');
      t.hub = await seedMember(s.repo, 'a.clinician', 'clinician', 'hub-a', 'clinician');
      t.hubCoordinator = await seedMember(s.repo, 'a.coordinator', 'clinician', 'hub-a', 'coordinator');
      const b = await s.request('POST', '/api/cases', { token: t.same!, body: { title: 'Bravo patient', case: SEED_CASE } });
      assert.equal(b.status, 201, b.text);
      assert.equal(b.body.organisationId, 'spoke-b');
      caseB = b.body.id;
      const c = await s.request('POST', '/api/cases', { token: t.other!, body: { title: 'Charlie patient', case: SEED_CASE } });
      assert.equal(c.status, 201, c.text);
      caseC = c.body.id;
      const r = await s.request('POST', '/api/referrals', {
        token: t.same,
        body: { caseId: caseB, toOrganisationId: 'hub-a', question: 'Resectable? Neoadjuvant RT?', urgency: 'urgent', documents: [{ kind: 'imaging', reference: 'CT-2026-0042', date: '2026-01-20' }] },
      });
      assert.equal(r.status, 201, r.text);
      referralId = r.body.id;
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    it('the hand-written table: route × {same organisation, other organisation, hub receiving the referral}', async () => {
      const failures: string[] = [];
      for (const row of TABLE) {
        for (const caller of Object.keys(row.expect) as Caller[]) {
          const path = row.path.replace(':case', caseB).replace(':ref', referralId);
          const headers: Record<string, string> = {};
          if (row.ifMatch) headers['if-match'] = row.ifMatch === 'stale' ? '"999"' : `"${(await s.repo.getCase(caseB))!.version}"`;
          const body =
            row.body === 'update'
              ? { title: 'Bravo patient', case: SEED_CASE }
              : row.body === 'decision'
                ? DECISION
                : row.body === 'intraop'
                  ? { findings: [{ type: 'unresectable', criterion: 'peritoneal_deposits' }] }
                  : row.method === 'POST'
                    ? {}
                    : undefined;
          const r = await s.request(row.method, path, { token: t[caller]!, body, headers });
          if (r.status !== row.expect[caller]) failures.push(`${row.method} ${row.path} as ${caller}: expected ${row.expect[caller]}, got ${r.status} ${r.text.slice(0, 120)}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    it('a case of another organisation answers 404 exactly as a case that does not exist', async () => {
      const missing = await s.request('GET', '/api/cases/00000000-0000-4000-8000-000000000000', { token: t.other });
      const hidden = await s.request('GET', `/api/cases/${caseB}`, { token: t.other });
      assert.equal(hidden.status, 404);
      assert.deepEqual(hidden.body, missing.body);
      // The hub sees only the referred case, not spoke-c's.
      assert.equal((await s.request('GET', `/api/cases/${caseC}`, { token: t.hub })).status, 404);
    });

    it('an organisation viewer does not write, even with the global clinician role', async () => {
      const version = (await s.repo.getCase(caseB))!.version;
      const r = await s.request('PUT', `/api/cases/${caseB}`, { token: t.sameViewer!, body: { title: 'x', case: SEED_CASE }, headers: { 'if-match': `"${version}"` } });
      assert.equal(r.status, 403);
      assert.equal((await s.repo.getCase(caseB))!.version, version, 'nothing stored');
      assert.equal((await s.request('GET', `/api/cases/${caseB}`, { token: t.sameViewer })).status, 200);
    });

    it('lists, search and counts: each organisation sees its own cases and those referred to it', async () => {
      const ids = async (token: string, query = '') => {
        const r = await s.request('GET', `/api/cases${query}`, { token });
        assert.equal(r.status, 200, r.text);
        return { ids: (r.body.items as { id: string }[]).map((i) => i.id).sort(), total: r.body.total as number };
      };
      assert.deepEqual(await ids(t.same!), { ids: [caseB], total: 1 });
      assert.deepEqual(await ids(t.other!), { ids: [caseC], total: 1 });
      assert.deepEqual(await ids(t.hub!), { ids: [caseB], total: 1 });
      // Search by a title of the other organisation (trigram and short text paths): nothing, count 0.
      assert.deepEqual(await ids(t.other!, '?q=Bravo'), { ids: [], total: 0 });
      assert.deepEqual(await ids(t.other!, '?q=Br'), { ids: [], total: 0 });
      assert.deepEqual(await ids(t.same!, '?q=patient'), { ids: [caseB], total: 1 });
      // The default organisation's admin (no membership in the network's organisations) sees none of them.
      assert.deepEqual(await ids(s.tokens.admin), { ids: [], total: 0 });
    });

    it("the audit log of another organisation's admin holds no entry about this case", async () => {
      const r = await s.request('GET', `/api/audit?objectId=${caseB}`, { token: t.otherAdmin });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.items, []);
      const all = await s.request('GET', '/api/audit?limit=500', { token: t.otherAdmin });
      const leaked = (all.body.items as { objectId: string | null }[]).filter((e) => e.objectId === caseB || e.objectId === referralId);
      assert.deepEqual(leaked, []);
      // The same entries exist: the organisation's own reader would see them.
      assert.ok((await s.repo.listAudit({ objectId: caseB, limit: 5 })).length > 0);
    });

    it("the centre audit of another organisation's admin reads only its own cases", async () => {
      const r = await s.request('GET', '/api/audit/centre', { token: t.otherAdmin });
      assert.equal(r.status, 200, r.text);
      const [entry] = await s.repo.listAudit({ action: 'audit.centre', actor: 'c.admin', limit: 1 });
      assert.match(entry!.detail ?? '', /^1 cases read/);
    });

    it('CDS Hooks and FHIR re-import lookups by identifier find only cases in scope', async () => {
      const identifiers = [{ kind: 'mrn', system: 'urn:test:mrn', value: 'MRN-B-1' }];
      await s.repo.interop.setCaseIdentifiers(caseB, identifiers);
      const scoped = (organisationIds: string[]) => s.repo.scoped({ userId: 'cds:test', organisationIds, network: false });
      assert.equal(await scoped(['spoke-c']).findCaseByIdentifiers(identifiers), undefined);
      assert.equal(await scoped(['spoke-b']).findCaseByIdentifiers(identifiers), caseB);
      assert.equal(await scoped(['default']).findCaseByIdentifiers(identifiers), undefined);
    });

    it('the patient lookup by identifier (SMART, CDS link) answers only where the case itself is visible', async () => {
      await s.repo.interop.setCaseIdentifiers(caseB, [{ kind: 'mrn', system: 'urn:test:lookup', value: 'MRN-L-1' }]);
      const expected: Record<string, number> = { same: 200, sameViewer: 200, hub: 200, other: 404, otherAdmin: 404 };
      for (const [caller, status] of Object.entries(expected)) {
        const r = await s.request('GET', '/api/cases/lookup?kind=mrn&system=urn:test:lookup&value=MRN-L-1', { token: t[caller]! });
        assert.equal(r.status, status, `${caller}: ${r.text}`);
        if (status === 200) assert.equal(r.body.id, caseB);
        else assert.equal(JSON.stringify(r.body).includes('Bravo'), false, 'another organisation learns nothing of the case');
      }
    });

    it('a referral: spoke refers, hub coordinator triages, spoke sees the timeline; the wrong side or role is refused', async () => {
      // The referring clinician cannot triage; a hub clinician (not coordinator) cannot either; the other spoke does not see it.
      assert.equal((await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.same!, body: { action: 'accept' } })).status, 403);
      assert.equal((await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.hub!, body: { action: 'accept' } })).status, 403);
      assert.equal((await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.other!, body: { action: 'accept' } })).status, 404);
      const declineWithout = await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.hubCoordinator!, body: { action: 'decline' } });
      assert.equal(declineWithout.status, 400);
      assert.equal(declineWithout.body.errors[0].path, 'note');
      const info = await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.hubCoordinator!, body: { action: 'request_info', note: 'Send the MRI report' } });
      assert.equal(info.status, 200, info.text);
      assert.equal(info.body.status, 'info_requested');
      const answered = await s.request('POST', `/api/referrals/${referralId}/info`, { token: t.same!, body: { note: 'MRI report MR-77 attached' } });
      assert.equal(answered.body.status, 'sent');
      const accepted = await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.hubCoordinator!, body: { action: 'accept' } });
      assert.equal(accepted.body.status, 'accepted');
      // Accepted: the hub's clinicians may now record the board's decision on the case.
      assert.equal((await s.request('POST', `/api/cases/${caseB}/decisions`, { token: t.hub!, body: DECISION })).status, 201);
      const scheduled = await s.request('POST', `/api/referrals/${referralId}/schedule`, { token: t.hubCoordinator!, body: { meetingId: 'meeting-1' } });
      assert.equal(scheduled.body.status, 'scheduled');
      assert.equal(scheduled.body.meetingId, 'meeting-1');
      const decided = await s.request('POST', `/api/referrals/${referralId}/decision`, { token: t.hubCoordinator!, body: { decisionRef: 'decision-1', summary: 'Surgery first' } });
      assert.equal(decided.status, 200, decided.text);
      const seen = await s.request('GET', `/api/referrals/${referralId}`, { token: t.same });
      assert.deepEqual(
        (seen.body.events as { action: string; status: string; author: string }[]).map((e) => [e.action, e.status, e.author]),
        [
          ['refer', 'sent', 'b.clinician'],
          ['request_info', 'info_requested', 'a.coordinator'],
          ['provide_info', 'sent', 'b.clinician'],
          ['accept', 'accepted', 'a.coordinator'],
          ['schedule', 'scheduled', 'a.coordinator'],
          ['decide', 'decided', 'a.coordinator'],
        ],
      );
      assert.equal(seen.body.decisionRef, 'decision-1');
      // Each step has its audit entry.
      const audit = await s.repo.listAudit({ objectId: referralId, limit: 20, order: 'oldest' });
      assert.deepEqual(
        audit.filter((a) => a.outcome === 'success' && !['referral.read', 'referral.export.fhir'].includes(a.action)).map((a) => a.action),
        ['referral.create', 'referral.triage', 'referral.info', 'referral.triage', 'referral.schedule', 'referral.decide'],
      );
      // Decided: no more triage.
      assert.equal((await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.hubCoordinator!, body: { action: 'accept' } })).status, 409);
    });

    it('lists: incoming for the hub, outgoing for the spoke, none for the other spoke; navigation items are open until changed', async () => {
      const incoming = await s.request('GET', '/api/referrals?direction=incoming', { token: t.hubCoordinator });
      assert.deepEqual((incoming.body.items as { id: string }[]).map((i) => i.id), [referralId]);
      const outgoing = await s.request('GET', '/api/referrals?direction=outgoing', { token: t.same });
      assert.deepEqual((outgoing.body.items as { id: string }[]).map((i) => i.id), [referralId]);
      assert.equal(outgoing.body.items[0].openNavigation, 5);
      assert.deepEqual((await s.request('GET', '/api/referrals', { token: t.other })).body.items, []);
      const nav = await s.request('PATCH', `/api/referrals/${referralId}/navigation/interpreter`, { token: t.hubCoordinator!, body: { status: 'done', owner: 'CNS Jones', notes: 'Polish interpreter booked' } });
      assert.equal(nav.status, 200, nav.text);
      assert.equal(nav.body.openNavigation, 4);
      assert.deepEqual(nav.body.navigation.find((n: { item: string }) => n.item === 'interpreter'), { ...nav.body.navigation.find((n: { item: string }) => n.item === 'interpreter'), owner: 'CNS Jones', status: 'done' });
      assert.equal((await s.request('PATCH', `/api/referrals/${referralId}/navigation/travel`, { token: t.other!, body: { status: 'done' } })).status, 404);
      const bad = await s.request('PATCH', `/api/referrals/${referralId}/navigation/teleport`, { token: t.same!, body: { status: 'done' } });
      assert.equal(bad.status, 400);
    });

    it('referral times: the decided urgent referral against its 14-day target', async () => {
      const r = await s.request('GET', '/api/network/referral-times', { token: t.same });
      assert.equal(r.status, 200, r.text);
      const urgent = r.body.items.find((i: { urgency: string }) => i.urgency === 'urgent');
      assert.equal(urgent.targetDays, 14);
      assert.equal(urgent.decided, 1);
      assert.equal(urgent.withinTarget, 1);
      assert.equal(urgent.proportionWithinTarget, 1);
      const none = await s.request('GET', '/api/network/referral-times', { token: t.other });
      assert.equal(none.body.items.find((i: { urgency: string }) => i.urgency === 'urgent').decided, 0);
    });

    it('refusals: an unknown hub, a spoke as target, an open duplicate; each names its field', async () => {
      const refer = (body: object) => s.request('POST', '/api/referrals', { token: t.other!, body: { caseId: caseC, question: 'q', urgency: 'routine', ...body } });
      const unknown = await refer({ toOrganisationId: 'nowhere' });
      assert.deepEqual([unknown.status, unknown.body.errors[0].path], [400, 'toOrganisationId']);
      const spoke = await refer({ toOrganisationId: 'spoke-b' });
      assert.deepEqual([spoke.status, spoke.body.errors[0].path], [400, 'toOrganisationId']);
      assert.equal((await refer({ toOrganisationId: 'hub-a' })).status, 201);
      assert.equal((await refer({ toOrganisationId: 'hub-a' })).status, 409);
      const badUrgency = await refer({ toOrganisationId: 'hub-a', urgency: 'soon' });
      assert.deepEqual([badUrgency.status, badUrgency.body.errors[0].path], [400, 'urgency']);
      // Referring another organisation's case: 404, as if it did not exist.
      const foreign = await s.request('POST', '/api/referrals', { token: t.other!, body: { caseId: caseB, toOrganisationId: 'hub-a', question: 'q', urgency: 'routine' } });
      assert.equal(foreign.status, 404);
    });
  });
}
