/**
 * The worklist's network columns (issue 13 item 6) over HTTP, on SQLite and PostgreSQL: each
 * row of GET /api/cases carries the status of the case's newest open referral, the date of the
 * next meeting whose agenda holds the case, and the open navigation items of its referrals —
 * each limited to the caller's organisations.
 *
 * Network: hubs hub-a and hub-d, spokes spoke-b and spoke-c. Spoke-b's cases:
 * - Alpha: referred to hub-a, accepted and scheduled; on hub-a's meetings of 2000-01-10 (past),
 *   2099-03-10 and 2099-05-01; navigation: interpreter done, travel not needed, accommodation in
 *   progress (3 of 5 still open).
 * - Bravo: referred to hub-a (information requested), then to hub-d (accepted); hub-d marked
 *   two navigation items done (hub-a's checklist 5 open, hub-d's 3).
 * - Charlie: referred to hub-a and declined (its checklist is not counted).
 * - Delta: referred to hub-a and redirected to hub-d (the checklist moved with it: counted once).
 * - Echo: no referral; on spoke-b's own meeting of 2099-04-01.
 * Spoke-c has Foxtrot, with nothing.
 * The expected columns below are written by hand from these steps and the rules in the worklist
 * schema's descriptions, not read from the code.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, seedMember, seedNetwork, startTestServer, type TestServer } from '../support/server.ts';
import { options } from '../../src/engine/vocabulary.ts';
import { REFERRAL_STATUSES } from '../../src/store/referrals.ts';

type Columns = [referralStatus: string | null, nextMeeting: string | null, openNavigation: number];

const EXPECTED: Record<'spoke' | 'hub' | 'hubD' | 'otherSpoke' | 'network', Record<string, Columns>> = {
  // The referring spoke: every referral it sent; only its own meeting (hub-a's are not its organisation's).
  spoke: {
    Alpha: ['scheduled', null, 3],
    Bravo: ['accepted', null, 8],
    Charlie: [null, null, 0],
    Delta: ['sent', null, 5],
    Echo: [null, '2099-04-01', 0],
  },
  // Hub-a: its own referrals only (not hub-d's for Bravo), its next meeting (the past one is not next);
  // Delta, redirected away, is no longer its case to see.
  hub: {
    Alpha: ['scheduled', '2099-03-10', 3],
    Bravo: ['info_requested', null, 5],
    Charlie: [null, null, 0],
  },
  hubD: {
    Bravo: ['accepted', null, 3],
    Delta: ['sent', null, 5],
  },
  otherSpoke: {
    Foxtrot: [null, null, 0],
  },
  // A network administrator with no membership: every referral, no organisation's meetings.
  network: {
    Alpha: ['scheduled', null, 3],
    Bravo: ['accepted', null, 8],
    Charlie: [null, null, 0],
    Delta: ['sent', null, 5],
    Echo: [null, null, 0],
    Foxtrot: [null, null, 0],
  },
};

describe('worklist referral column wording', () => {
  it('every referral status has its name in the one vocabulary (the worklist never shows a code)', () => {
    assert.deepEqual(
      options('referralStatus').map(([code]) => code).sort(),
      [...REFERRAL_STATUSES].sort(),
    );
  });
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`worklist network columns over HTTP (${dialect})`, () => {
    let s: TestServer;
    let db: TestDatabase;
    const t: Record<string, string> = {};
    const ids: Record<string, string> = {};

    const ok = async (status: number, method: string, path: string, token: string, body?: unknown) => {
      const r = await s.request(method, path, { token, body });
      assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
      return r.body;
    };
    const refer = async (title: string, hub: string) => {
      // Distinct creation times: "newest" must not hinge on the id tie-break.
      await sleep(5);
      return (await ok(201, 'POST', '/api/referrals', t.spoke!, { caseId: ids[title], toOrganisationId: hub, question: 'Resectable?', urgency: 'routine' })).id as string;
    };
    const meeting = async (token: string, organisationId: string, date: string) =>
      (await ok(201, 'POST', '/api/meetings', token, { title: `Board ${date}`, date, startTime: '14:00', place: 'Room 1', chair: 'chair.' + organisationId, organisationId })).id as string;

    before(async () => {
      db = dialect === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db });
      await seedNetwork(s.repo, [{ id: 'hub-d', name: 'Hub D Sarcoma Centre', kind: 'hub' }]);
      t.spoke = await seedMember(s.repo, 'b.clinician', 'clinician', 'spoke-b', 'clinician');
      t.hub = await seedMember(s.repo, 'a.coordinator', 'clinician', 'hub-a', 'coordinator');
      t.hubClinician = await seedMember(s.repo, 'a.clinician', 'clinician', 'hub-a', 'clinician');
      t.hubD = await seedMember(s.repo, 'd.coordinator', 'clinician', 'hub-d', 'coordinator');
      t.otherSpoke = await seedMember(s.repo, 'c.clinician', 'clinician', 'spoke-c', 'clinician');
      await seedMember(s.repo, 'chair.hub-a', 'clinician', 'hub-a', 'chair');
      await seedMember(s.repo, 'chair.spoke-b', 'clinician', 'spoke-b', 'chair');
      const network = await seedMember(s.repo, 'network.admin', 'admin', 'spoke-c', 'viewer');
      const networkUser = (await s.repo.findUserByUsername('network.admin'))!;
      await s.repo.organisations.removeMembership(networkUser.id, 'spoke-c');
      await s.repo.organisations.setNetworkAdmin(networkUser.id, true);
      t.network = network;

      for (const title of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']) ids[title] = (await ok(201, 'POST', '/api/cases', t.spoke, { title, case: SEED_CASE })).id;
      ids.Foxtrot = (await ok(201, 'POST', '/api/cases', t.otherSpoke, { title: 'Foxtrot', case: SEED_CASE })).id;

      const alpha = await refer('Alpha', 'hub-a');
      await ok(200, 'POST', `/api/referrals/${alpha}/triage`, t.hub, { action: 'accept' });
      const past = await meeting(t.hubClinician!, 'hub-a', '2000-01-10');
      const next = await meeting(t.hubClinician!, 'hub-a', '2099-03-10');
      const later = await meeting(t.hubClinician!, 'hub-a', '2099-05-01');
      for (const m of [later, past, next]) await ok(201, 'POST', `/api/meetings/${m}/items`, t.hubClinician!, { caseId: ids.Alpha, referralId: alpha });
      await ok(200, 'POST', `/api/referrals/${alpha}/schedule`, t.hub, { meetingId: next });
      await ok(200, 'PATCH', `/api/referrals/${alpha}/navigation/interpreter`, t.hub, { status: 'done' });
      await ok(200, 'PATCH', `/api/referrals/${alpha}/navigation/travel`, t.spoke, { status: 'not_needed' });
      await ok(200, 'PATCH', `/api/referrals/${alpha}/navigation/accommodation`, t.hub, { status: 'in_progress' });

      const bravoA = await refer('Bravo', 'hub-a');
      await ok(200, 'POST', `/api/referrals/${bravoA}/triage`, t.hub, { action: 'request_info', note: 'Send the MRI' });
      const bravoD = await refer('Bravo', 'hub-d');
      await ok(200, 'POST', `/api/referrals/${bravoD}/triage`, t.hubD, { action: 'accept' });
      await ok(200, 'PATCH', `/api/referrals/${bravoD}/navigation/travel`, t.hubD, { status: 'done' });
      await ok(200, 'PATCH', `/api/referrals/${bravoD}/navigation/financial`, t.hubD, { status: 'not_needed' });

      const charlie = await refer('Charlie', 'hub-a');
      await ok(200, 'POST', `/api/referrals/${charlie}/triage`, t.hub, { action: 'decline', note: 'Not a sarcoma' });

      const delta = await refer('Delta', 'hub-a');
      await ok(200, 'POST', `/api/referrals/${delta}/triage`, t.hub, { action: 'redirect', toOrganisationId: 'hub-d' });

      const own = await meeting(t.spoke!, 'spoke-b', '2099-04-01');
      await ok(201, 'POST', `/api/meetings/${own}/items`, t.spoke!, { caseId: ids.Echo });
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    for (const caller of Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]) {
      it(`the columns as ${caller} sees them`, async () => {
        const r = await s.request('GET', '/api/cases?limit=100', { token: t[caller]! });
        assert.equal(r.status, 200, r.text);
        const seen: Record<string, Columns> = {};
        for (const item of r.body.items as { title: string; referralStatus: string | null; nextMeeting: { id: string; date: string } | null; openNavigation: number }[]) {
          seen[item.title] = [item.referralStatus, item.nextMeeting?.date ?? null, item.openNavigation];
        }
        assert.deepEqual(seen, EXPECTED[caller]);
      });
    }

    it('the next meeting names the meeting the caller can open, and a text search carries the same columns', async () => {
      const r = await s.request('GET', '/api/cases?q=Alpha', { token: t.hub });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.items.length, 1);
      const { nextMeeting, referralStatus, openNavigation } = r.body.items[0];
      assert.deepEqual([referralStatus, nextMeeting.date, openNavigation], ['scheduled', '2099-03-10', 3]);
      const opened = await s.request('GET', `/api/meetings/${nextMeeting.id}`, { token: t.hub });
      assert.equal(opened.status, 200, opened.text);
      assert.equal(opened.body.date, '2099-03-10');
    });

    it("meetings name their organisation (the coordinator's panel offers a referral only its hub's meetings)", async () => {
      const hub = await s.request('GET', '/api/meetings?when=upcoming', { token: t.hub });
      assert.deepEqual((hub.body.items as { date: string; organisationId: string }[]).map((m) => [m.date, m.organisationId]), [
        ['2099-03-10', 'hub-a'],
        ['2099-05-01', 'hub-a'],
      ]);
      const spoke = await s.request('GET', '/api/meetings?when=upcoming', { token: t.spoke });
      assert.deepEqual((spoke.body.items as { date: string; organisationId: string }[]).map((m) => [m.date, m.organisationId]), [['2099-04-01', 'spoke-b']]);
    });
  });
}
