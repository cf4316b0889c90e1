/**
 * The signed decision goes back through the referral (issue 13: "the outcome letter … sent back
 * through the referral"), over HTTP on SQLite and PostgreSQL. Hub `hub-a` (sarcoma centre) with a
 * coordinator and a chair; spoke `spoke-b` refers its patient; spoke `spoke-c` is a third
 * organisation that must learn nothing. Scheduling the accepted referral on the hub's meeting puts
 * the case on the agenda; the chair's sign-off makes the referral `decided` in the same
 * transaction; a signed amendment re-points it; the spoke reads both letters, spoke-c gets 404.
 *
 * Expected values are written by hand: the summary line from the decision recorded here and the
 * strategy vocabulary's name for `en-bloc-resection` ("En bloc resection with contiguous organs").
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshPostgres, tempSqlite, type TestDatabase } from '../support/databases.ts';
import { SEED_CASE, seedMember, seedNetwork, startTestServer, type TestServer } from '../support/server.ts';

const SPOKE_CASE = {
  ...SEED_CASE,
  patient: { ...SEED_CASE.patient, name: 'Bruno Ferri' },
  board: { question: 'Resectable en bloc with the left kidney?', referrer: 'Dr Verdi', referringHospital: 'Spoke B Hospital' },
};

const DECISION = {
  decision: 'En bloc resection with the left kidney and descending colon.',
  strategyIds: ['en-bloc-resection'],
  intent: 'curative',
  nextSteps: 'Surgery at the hub within 3 weeks.',
};
const SUMMARY = "Recommendation: 1. En bloc resection with contiguous organs. Intent: Curative. In the board's words: En bloc resection with the left kidney and descending colon.";
const AMENDED = 'En bloc resection with the left kidney only; the colon is free on review.';
const AMENDED_SUMMARY = `Amended decision. Recommendation: 1. En bloc resection with contiguous organs. Intent: Curative. In the board's words: ${AMENDED}`;

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'retroplan-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Statements run on the test database directly (a trigger that makes the referral's event fail). */
async function rawSql(db: TestDatabase, statements: { sqlite: string; postgres: string[] }): Promise<void> {
  if (db.config.kind === 'sqlite') {
    const conn = new Database(db.config.path);
    try {
      conn.exec(statements.sqlite);
    } finally {
      conn.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    for (const s of statements.postgres) await client.query(s);
  } finally {
    await client.end();
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`the signed decision goes back through the referral (${kind})`, { timeout: 120_000 }, () => {
    let db: TestDatabase;
    let s: TestServer;
    const t: Record<'spoke' | 'third' | 'coordinator' | 'chair', string> = { spoke: '', third: '', coordinator: '', chair: '' };
    let caseId = '';
    let referralId = '';
    let meetingId = '';
    let itemId = '';
    let decisionId = '';
    let amendmentId = '';
    let signedAt = '';

    const get = (path: string, token: string) => s.request('GET', path, { token });
    const pdf = async (path: string, token: string) => {
      const r = await fetch(`${s.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: r.status, type: r.headers.get('content-type'), body: Buffer.from(await r.arrayBuffer()) };
    };

    before(async () => {
      db = kind === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db });
      await seedNetwork(s.repo);
      t.spoke = await seedMember(s.repo, 'b.clinician', 'clinician', 'spoke-b', 'clinician');
      t.third = await seedMember(s.repo, 'c.clinician', 'clinician', 'spoke-c', 'clinician');
      t.coordinator = await seedMember(s.repo, 'a.coordinator', 'clinician', 'hub-a', 'coordinator');
      t.chair = await seedMember(s.repo, 'a.chair', 'clinician', 'hub-a', 'chair');
      const c = await s.request('POST', '/api/cases', { token: t.spoke, body: { title: 'Mr F, 22 cm left RPS', case: SPOKE_CASE } });
      assert.equal(c.status, 201, c.text);
      caseId = c.body.id;
      const r = await s.request('POST', '/api/referrals', { token: t.spoke, body: { caseId, toOrganisationId: 'hub-a', question: 'Resectable en bloc?', urgency: 'urgent' } });
      assert.equal(r.status, 201, r.text);
      referralId = r.body.id;
      const m = await s.request('POST', '/api/meetings', {
        token: t.chair,
        body: { organisationId: 'hub-a', title: 'Hub A sarcoma MDT', date: '2099-12-03', startTime: '08:00', durationMinutes: 60, minutesPerItem: 15, place: 'Room 4', chair: 'a.chair' },
      });
      assert.equal(m.status, 201, m.text);
      meetingId = m.body.id;
      const att = await s.request('PUT', `/api/meetings/${meetingId}/attendance`, { token: t.chair, body: { attendees: [{ name: 'Dr Chair', present: true }, { name: 'Dr Rad', present: true }] } });
      assert.equal(att.status, 200, att.text);
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    it("scheduling the accepted referral on the hub's meeting puts the case on its agenda, linked to the referral", async () => {
      assert.equal((await s.request('POST', `/api/referrals/${referralId}/triage`, { token: t.coordinator, body: { action: 'accept' } })).status, 200);
      // A meeting of another organisation is refused, naming the field; nothing changes.
      const spokeMeeting = await s.request('POST', '/api/meetings', {
        token: t.spoke,
        body: { title: 'Spoke B MDT', date: '2099-12-04', startTime: '09:00', durationMinutes: 60, minutesPerItem: 15, place: 'Room 1', chair: 'b.clinician' },
      });
      assert.equal(spokeMeeting.status, 201, spokeMeeting.text);
      const wrong = await s.request('POST', `/api/referrals/${referralId}/schedule`, { token: t.coordinator, body: { meetingId: spokeMeeting.body.id } });
      assert.deepEqual([wrong.status, wrong.body.errors[0].path], [400, 'meetingId']);
      assert.equal((await get(`/api/referrals/${referralId}`, t.spoke)).body.status, 'accepted');

      const scheduled = await s.request('POST', `/api/referrals/${referralId}/schedule`, { token: t.coordinator, body: { meetingId } });
      assert.equal(scheduled.status, 200, scheduled.text);
      assert.deepEqual([scheduled.body.status, scheduled.body.meetingId, scheduled.body.letters], ['scheduled', meetingId, null]);
      const meeting = await get(`/api/meetings/${meetingId}`, t.chair);
      assert.deepEqual(
        meeting.body.agenda.map((i: { caseId: string; referralId: string; position: number; slot: { start: string } }) => [i.caseId, i.referralId, i.position, i.slot.start]),
        [[caseId, referralId, 1, '08:00']],
      );
      itemId = meeting.body.agenda[0].id;
      // Scheduling again on the same meeting adds no second item.
      assert.equal((await s.request('POST', `/api/referrals/${referralId}/schedule`, { token: t.coordinator, body: { meetingId } })).status, 200);
      assert.equal((await get(`/api/meetings/${meetingId}`, t.chair)).body.agenda.length, 1);
    });

    it('a recorded but unsigned decision leaves the referral scheduled; a sign-off by someone else than the chair changes nothing', async () => {
      const d = await s.request('POST', `/api/cases/${caseId}/decisions`, { token: t.chair, body: { ...DECISION, agendaItemId: itemId } });
      assert.equal(d.status, 201, d.text);
      decisionId = d.body.id;
      assert.equal((await get(`/api/referrals/${referralId}`, t.spoke)).body.status, 'scheduled');
      assert.equal((await s.request('POST', `/api/decisions/${decisionId}/sign`, { token: t.coordinator })).status, 403);
      const still = await get(`/api/referrals/${referralId}`, t.spoke);
      assert.deepEqual([still.body.status, still.body.decisionRef, still.body.decidedAt], ['scheduled', null, null]);
      // Unsigned: no letter, for the hub or the spoke.
      assert.equal((await pdf(`/api/decisions/${decisionId}/letter.pdf`, t.spoke)).status, 409);
    });

    it('if the referral cannot be updated, the sign-off is refused and nothing is signed (one transaction)', async () => {
      await rawSql(db, {
        sqlite: "CREATE TRIGGER test_refuse_event BEFORE INSERT ON referral_events BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        postgres: [
          "CREATE FUNCTION test_refuse_event() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$ LANGUAGE plpgsql",
          'CREATE TRIGGER test_refuse_event BEFORE INSERT ON referral_events FOR EACH ROW EXECUTE FUNCTION test_refuse_event()',
        ],
      });
      try {
        const refused = await s.request('POST', `/api/decisions/${decisionId}/sign`, { token: t.chair });
        assert.equal(refused.status, 500, refused.text);
      } finally {
        await rawSql(db, { sqlite: 'DROP TRIGGER test_refuse_event;', postgres: ['DROP TRIGGER test_refuse_event ON referral_events', 'DROP FUNCTION test_refuse_event()'] });
      }
      const d = await get(`/api/decisions/${decisionId}`, t.chair);
      assert.deepEqual([d.body.signedAt, d.body.signedBy], [null, null]);
      assert.equal((await get(`/api/referrals/${referralId}`, t.spoke)).body.status, 'scheduled');
    });

    it("the chair's sign-off makes the referral decided: the decision's id, its summary, the chair in the timeline and the audit", async () => {
      const signed = await s.request('POST', `/api/decisions/${decisionId}/sign`, { token: t.chair });
      assert.equal(signed.status, 200, signed.text);
      signedAt = signed.body.signedAt;
      const r = await get(`/api/referrals/${referralId}`, t.spoke);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.status, 'decided');
      assert.equal(r.body.decisionRef, decisionId);
      assert.equal(r.body.decisionSummary, SUMMARY);
      assert.equal(r.body.decidedAt, signedAt);
      assert.deepEqual(r.body.letters, { outcomeLetter: `/api/decisions/${decisionId}/letter.pdf`, patientSummary: `/api/decisions/${decisionId}/patient-summary.pdf` });
      const last = r.body.events.at(-1);
      assert.deepEqual([last.action, last.status, last.author, last.organisationId, last.note, last.at], ['decide', 'decided', 'a.chair', 'hub-a', SUMMARY, signedAt]);
      assert.deepEqual(
        r.body.events.map((e: { action: string }) => e.action),
        ['refer', 'accept', 'schedule', 'schedule', 'decide'],
      );
      // The referrer cannot open the hub's meeting: the timeline names it and its time.
      assert.equal(r.body.events[2].note, 'Hub A sarcoma MDT, 2099-12-03 08:00');
      // The outgoing list of the spoke shows it the same way.
      const outgoing = await get('/api/referrals?direction=outgoing', t.spoke);
      assert.deepEqual(
        outgoing.body.items.map((i: { id: string; status: string; decisionSummary: string; letters: unknown }) => [i.id, i.status, i.decisionSummary, i.letters !== null]),
        [[referralId, 'decided', SUMMARY, true]],
      );
      const audit = await s.repo.listAudit({ objectId: referralId, action: 'referral.decide', limit: 5 });
      assert.deepEqual(
        audit.map((a) => [a.actor, a.outcome, a.objectType, a.detail]),
        [['a.chair', 'success', 'referral', `decision ${decisionId} signed by the chair`]],
      );
    });

    it('the spoke clinician reads the outcome letter and the patient summary; a third organisation gets 404 as for no decision', async () => {
      const letter = await pdf(`/api/decisions/${decisionId}/letter.pdf`, t.spoke);
      assert.equal(letter.status, 200);
      assert.equal(letter.type, 'application/pdf');
      const text = pdfText(letter.body);
      for (const expected of [
        'Sarcoma tumour board — outcome letter',
        'Dr Verdi, Spoke B Hospital',
        'Name: Bruno Ferri',
        'Resectable en bloc with the left kidney?',
        '1. En bloc resection with contiguous organs',
        "In the board's words: En bloc resection with the left kidney and descending colon.",
        'Surgery at the hub within 3 weeks.',
        // The meeting is named for the spoke too (read in the board's organisation).
        'Hub A sarcoma MDT',
        'chair a.chair',
        'Signed off by a.chair (chair)',
      ]) {
        assert.ok(text.includes(expected), `letter has "${expected}": ${text}`);
      }
      const summary = await pdf(`/api/decisions/${decisionId}/patient-summary.pdf`, t.spoke);
      assert.equal(summary.status, 200);
      assert.ok(pdfText(summary.body).includes('For Bruno Ferri.'));
      assert.equal((await get(`/api/decisions/${decisionId}`, t.spoke)).body.decision, DECISION.decision);

      const missing = await pdf('/api/decisions/00000000-0000-4000-8000-000000000000/letter.pdf', t.third);
      for (const path of [`/api/decisions/${decisionId}/letter.pdf`, `/api/decisions/${decisionId}/patient-summary.pdf`, `/api/decisions/${decisionId}`]) {
        const r = await pdf(path, t.third);
        assert.equal(r.status, 404, path);
        assert.deepEqual(JSON.parse(r.body.toString('utf8')), JSON.parse(missing.body.toString('utf8')), `${path}: the same answer as a decision that does not exist`);
      }
      assert.equal((await get(`/api/referrals/${referralId}`, t.third)).status, 404);
    });

    it('a signed amendment re-points the referral to the new version (event recorded); the first decision time is kept', async () => {
      const amended = await s.request('POST', `/api/decisions/${decisionId}/amendments`, { token: t.chair, body: { ...DECISION, decision: AMENDED } });
      assert.equal(amended.status, 201, amended.text);
      amendmentId = amended.body.id;
      assert.equal((await get(`/api/referrals/${referralId}`, t.spoke)).body.decisionRef, decisionId, 'unsigned: the referral keeps the signed version');
      assert.equal((await s.request('POST', `/api/decisions/${amendmentId}/sign`, { token: t.chair })).status, 200);
      const r = await get(`/api/referrals/${referralId}`, t.spoke);
      assert.deepEqual([r.body.status, r.body.decisionRef, r.body.decisionSummary, r.body.decidedAt], ['decided', amendmentId, AMENDED_SUMMARY, signedAt]);
      assert.equal(r.body.letters.outcomeLetter, `/api/decisions/${amendmentId}/letter.pdf`);
      const last = r.body.events.at(-1);
      assert.deepEqual([last.action, last.status, last.author, last.note], ['amend_decision', 'decided', 'a.chair', AMENDED_SUMMARY]);
      const letter = pdfText((await pdf(`/api/decisions/${amendmentId}/letter.pdf`, t.spoke)).body);
      assert.ok(letter.includes(AMENDED), letter);
      assert.ok(letter.includes('replaces the one signed on'), letter);
    });

    it("a case without a referral (the hub's own patient): the sign-off works and no referral is touched", async () => {
      const own = await s.request('POST', '/api/cases', { token: t.chair, body: { title: 'Hub own patient', case: SEED_CASE, organisationId: 'hub-a' } });
      assert.equal(own.status, 201, own.text);
      const item = await s.request('POST', `/api/meetings/${meetingId}/items`, { token: t.chair, body: { caseId: own.body.id } });
      assert.equal(item.status, 201, item.text);
      const ownItem = item.body.items.find((i: { caseId: string }) => i.caseId === own.body.id);
      const d = await s.request('POST', `/api/cases/${own.body.id}/decisions`, { token: t.chair, body: { ...DECISION, agendaItemId: ownItem.id } });
      assert.equal(d.status, 201, d.text);
      const before = await get(`/api/referrals/${referralId}`, t.chair);
      assert.equal((await s.request('POST', `/api/decisions/${d.body.id}/sign`, { token: t.chair })).status, 200);
      assert.deepEqual((await get(`/api/referrals?caseId=${own.body.id}`, t.chair)).body.items, []);
      const after = await get(`/api/referrals/${referralId}`, t.chair);
      assert.deepEqual(after.body, before.body, "the other case's referral is unchanged");
    });
  });
}
