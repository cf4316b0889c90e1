/**
 * Tumour boards over HTTP (issue 13 part B) against a listening server, on SQLite and on
 * PostgreSQL: meeting, agenda with time slots, iCalendar invitation, attendance, decisions
 * with concordance, the chair's sign-off, immutability of a signed decision (HTTP and raw
 * SQL), amendment chain, the concordance indicator and the PDF letters.
 *
 * Expected values are written by hand: slots from 08:00 at 12 minutes per item; the engine's
 * recommendation for the seed chapter's 22 cm G3 dedifferentiated liposarcoma (REFERENCE.md §4:
 * en bloc resection, neoadjuvant chemotherapy considered in a trial, referral to a sarcoma
 * centre) — so a board choosing "no resection" deviates; the quality figures counted by hand.
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
import { SEED_CASE, seedUser, startTestServer, type TestServer } from '../support/server.ts';

const CASE_A = {
  ...SEED_CASE,
  patient: { ...SEED_CASE.patient, name: 'Ada Rossi' },
  board: { question: 'Is an en bloc resection with the left kidney feasible?', referrer: 'Dr Bianchi', referringHospital: 'Spoke General Hospital' },
};
const CASE_B = { ...SEED_CASE, patient: { ...SEED_CASE.patient, name: 'Ben Moreau' }, board: { question: 'Surgery or not, given his heart failure?' } };

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

/** Unfolded iCalendar content lines (RFC 5545 §3.1: a line starting with a space continues the previous one). */
function icsLines(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
}

async function rawSql(db: TestDatabase, statement: string, params: unknown[]): Promise<void> {
  if (db.config.kind === 'sqlite') {
    const conn = new Database(db.config.path);
    try {
      conn.prepare(statement.replace(/\$\d/g, '?')).run(...params);
    } finally {
      conn.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(statement, params);
  } finally {
    await client.end();
  }
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`tumour boards over HTTP (${kind})`, { timeout: 120_000 }, () => {
    let db: TestDatabase;
    let s: TestServer;
    let chair: { id: string; token: string };
    let caseA = '';
    let caseB = '';
    let caseC = '';
    let meetingId = '';
    let items: { id: string; caseId: string }[] = [];
    let decisionA = '';
    let decisionB = '';
    let amendment = '';

    before(async () => {
      db = kind === 'sqlite' ? tempSqlite() : await freshPostgres();
      s = await startTestServer({ testDatabase: db });
      chair = await seedUser(s.repo, 'dr.chair', 'clinician');
      for (const [title, c] of [['Board A', CASE_A], ['Board B', CASE_B], ['Board C', SEED_CASE]] as const) {
        const r = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title, case: c } });
        assert.equal(r.status, 201, r.text);
        if (title === 'Board A') caseA = r.body.id;
        else if (title === 'Board B') caseB = r.body.id;
        else caseC = r.body.id;
      }
    });
    after(async () => {
      await s?.close();
      await db?.drop();
    });

    it('creates a meeting; refuses one without place or link, with an unknown chair or a viewer as chair (400 naming the field)', async () => {
      const base = { title: 'Sarcoma MDT', date: '2099-12-03', startTime: '08:00', durationMinutes: 120, minutesPerItem: 12, chair: 'dr.chair' };
      const cases: [unknown, string][] = [
        [{ ...base }, 'place'],
        [{ ...base, place: 'Room 4', chair: 'nobody' }, 'chair'],
        [{ ...base, place: 'Room 4', chair: 'viewer' }, 'chair'],
        [{ ...base, place: 'Room 4', startTime: '8 am' }, 'startTime'],
        [{ ...base, place: 'Room 4', videoLink: 'http://insecure.example/x' }, 'videoLink'],
        [{ ...base, place: 'Room 4', expectedAttendees: [{ name: 'A', email: 'not-an-address' }] }, 'expectedAttendees[0].email'],
      ];
      for (const [body, path] of cases) {
        const r = await s.request('POST', '/api/meetings', { token: s.tokens.clinician, body });
        assert.equal(r.status, 400, r.text);
        assert.deepEqual(r.body.errors.map((e: { path: string }) => e.path), [path]);
      }
      assert.equal((await s.request('GET', '/api/meetings', { token: s.tokens.viewer })).body.items.length, 0, 'nothing stored by refused requests');
      const r = await s.request('POST', '/api/meetings', {
        token: s.tokens.clinician,
        body: {
          ...base,
          place: 'Seminar room 4',
          videoLink: 'https://video.example.org/sarcoma-mdt',
          expectedAttendees: [
            { name: 'Dr Chair', role: 'sarcoma surgeon', email: 'chair@hospital.example' },
            { name: 'Dr Rad', role: 'radiologist', email: 'rad@hospital.example' },
            { name: 'Dr Path', role: 'pathologist' },
          ],
        },
      });
      assert.equal(r.status, 201, r.text);
      meetingId = r.body.id;
      assert.equal(r.body.chair.username, 'dr.chair');
      assert.equal(r.body.endTime, '10:00');
      const upcoming = await s.request('GET', '/api/meetings?when=upcoming', { token: s.tokens.viewer });
      assert.deepEqual(upcoming.body.items.map((m: { id: string }) => m.id), [meetingId]);
      assert.equal((await s.request('GET', '/api/meetings?when=past', { token: s.tokens.viewer })).body.items.length, 0);
    });

    it('builds the agenda from cases: slots from the start, the question from the case, reorder, remove', async () => {
      for (const [caseId, presenter] of [[caseA, 'Dr Bianchi'], [caseB, 'Dr Rad'], [caseC, undefined]] as const) {
        const r = await s.request('POST', `/api/meetings/${meetingId}/items`, { token: s.tokens.clinician, body: { caseId, ...(presenter ? { presenter } : {}) } });
        assert.equal(r.status, 201, r.text);
      }
      const dup = await s.request('POST', `/api/meetings/${meetingId}/items`, { token: s.tokens.clinician, body: { caseId: caseA } });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.errors[0].path, 'caseId');
      const missing = await s.request('POST', `/api/meetings/${meetingId}/items`, { token: s.tokens.clinician, body: { caseId: 'no-such-case' } });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.errors[0].path, 'caseId');

      let m = (await s.request('GET', `/api/meetings/${meetingId}`, { token: s.tokens.viewer })).body;
      assert.deepEqual(
        m.agenda.map((i: { caseTitle: string; slot: { start: string; end: string }; presenter: string | null; question: string | null }) => [i.caseTitle, i.slot.start, i.slot.end, i.presenter, i.question]),
        [
          ['Board A', '08:00', '08:12', 'Dr Bianchi', 'Is an en bloc resection with the left kidney feasible?'],
          ['Board B', '08:12', '08:24', 'Dr Rad', 'Surgery or not, given his heart failure?'],
          ['Board C', '08:24', '08:36', null, null],
        ],
      );
      const [a, b, c] = m.agenda as { id: string; caseId: string }[];
      const bad = await s.request('PUT', `/api/meetings/${meetingId}/items/order`, { token: s.tokens.clinician, body: { itemIds: [b!.id, a!.id] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].path, 'itemIds');
      const re = await s.request('PUT', `/api/meetings/${meetingId}/items/order`, { token: s.tokens.clinician, body: { itemIds: [c!.id, b!.id, a!.id] } });
      assert.equal(re.status, 200, re.text);
      assert.deepEqual(re.body.items.map((i: { caseTitle: string; slot: { start: string } }) => [i.caseTitle, i.slot.start]), [['Board C', '08:00'], ['Board B', '08:12'], ['Board A', '08:24']]);
      const removed = await s.request('DELETE', `/api/meetings/${meetingId}/items/${c!.id}`, { token: s.tokens.clinician });
      assert.equal(removed.status, 200, removed.text);
      m = (await s.request('GET', `/api/meetings/${meetingId}`, { token: s.tokens.viewer })).body;
      assert.deepEqual(m.agenda.map((i: { caseTitle: string; slot: { start: string } }) => [i.caseTitle, i.slot.start]), [['Board B', '08:00'], ['Board A', '08:12']]);
      items = m.agenda;
      assert.equal((await s.request('DELETE', `/api/meetings/${meetingId}/items/${c!.id}`, { token: s.tokens.clinician })).status, 404);
    });

    it('the iCalendar invitation parses: floating start and end, place, link, attendees with e-mail, no case titles', async () => {
      const r = await s.request('GET', `/api/meetings/${meetingId}/invitation.ics`, { token: s.tokens.viewer });
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type') ?? '', /^text\/calendar/);
      const lines = icsLines(r.text);
      assert.equal(lines[0], 'BEGIN:VCALENDAR');
      assert.equal(lines.at(-1), 'END:VCALENDAR');
      assert.ok(lines.includes('METHOD:REQUEST'));
      assert.ok(lines.includes('DTSTART:20991203T080000'), lines.join('\n'));
      assert.ok(lines.includes('DTEND:20991203T100000'));
      assert.ok(lines.includes('SUMMARY:Sarcoma MDT'));
      assert.ok(lines.includes('LOCATION:Seminar room 4'));
      assert.ok(lines.includes('URL;VALUE=URI:https://video.example.org/sarcoma-mdt'), lines.filter((l) => l.startsWith('URL')).join());
      const attendees = lines.filter((l) => l.startsWith('ATTENDEE'));
      assert.equal(attendees.length, 2);
      assert.ok(attendees.some((l) => l.includes('CN="Dr Chair"') && l.endsWith(':MAILTO:chair@hospital.example')));
      assert.ok(attendees.some((l) => l.includes('CN="Dr Rad"') && l.endsWith(':MAILTO:rad@hospital.example')));
      // TEXT values escape , ; \\ and newlines (RFC 5545 §3.3.11).
      const description = lines
        .find((l) => l.startsWith('DESCRIPTION:'))!
        .replace(/\\n/gi, '\n')
        .replace(/\\([,;\\])/g, '$1');
      assert.match(description, /Dr Path \(pathologist\)/);
      assert.match(description, /08:00–08:12 case 1, presented by Dr Rad/);
      assert.doesNotMatch(r.text, /Board A|Board B|Ada Rossi/);
    });

    it('records attendance; a decision in the meeting takes those present; a deviation without a reason is refused (400 deviation.reason)', async () => {
      const att = await s.request('PUT', `/api/meetings/${meetingId}/attendance`, {
        token: s.tokens.clinician,
        body: { attendees: [{ name: 'Dr Chair', role: 'sarcoma surgeon', present: true }, { name: 'Dr Rad', role: 'radiologist', present: true }, { name: 'Dr Path', present: false }] },
      });
      assert.equal(att.status, 200, att.text);
      const itemB = items.find((i) => i.caseId === caseB)!;
      const deviating = { agendaItemId: itemB.id, decision: 'No operation: heart failure; surveillance.', strategyIds: ['no-resection', 'surveillance'], intent: 'palliative' };
      const refused = await s.request('POST', `/api/cases/${caseB}/decisions`, { token: s.tokens.clinician, body: deviating });
      assert.equal(refused.status, 400, refused.text);
      assert.deepEqual(refused.body.errors.map((e: { path: string }) => e.path), ['deviation.reason']);
      const unknown = await s.request('POST', `/api/cases/${caseB}/decisions`, { token: s.tokens.clinician, body: { ...deviating, strategyIds: ['operate-tomorrow'] } });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.errors[0].path, 'strategyIds[0]');
      const wrongCase = await s.request('POST', `/api/cases/${caseA}/decisions`, { token: s.tokens.clinician, body: { ...deviating, deviation: { reason: 'patient_choice' } } });
      assert.equal(wrongCase.status, 400);
      assert.equal(wrongCase.body.errors[0].path, 'agendaItemId');
      assert.equal((await s.request('GET', `/api/cases/${caseB}/decisions`, { token: s.tokens.viewer })).body.items.length, 0, 'refused requests stored nothing');

      const r = await s.request('POST', `/api/cases/${caseB}/decisions`, {
        token: s.tokens.clinician,
        body: { ...deviating, deviation: { reason: 'comorbidity_performance', text: 'NYHA III heart failure' }, nextSteps: 'Cardiology review; CT in 3 months at the spoke.' },
      });
      assert.equal(r.status, 201, r.text);
      decisionB = r.body.id;
      assert.equal(r.body.concordance, 'non_concordant_justified');
      assert.equal(r.body.deviationReason, 'comorbidity_performance');
      assert.deepEqual(r.body.attendees, ['Dr Chair', 'Dr Rad']);
      assert.equal(r.body.date, '2099-12-03');
      assert.equal(r.body.meetingId, meetingId);
      assert.deepEqual(r.body.engine.priorityIds, ['en-bloc-resection', 'neoadjuvant-chemotherapy', 'refer-sarcoma-centre']);
      assert.equal(r.body.signedAt, null);

      const itemA = items.find((i) => i.caseId === caseA)!;
      const a = await s.request('POST', `/api/cases/${caseA}/decisions`, {
        token: s.tokens.clinician,
        body: { agendaItemId: itemA.id, decision: 'Within the STRASS2 trial: chemotherapy first.', strategyIds: ['neoadjuvant-chemotherapy', 'no-radiotherapy'], deviation: { reason: 'clinical_trial' }, intent: 'curative' },
      });
      assert.equal(a.status, 201, a.text);
      assert.equal(a.body.concordance, 'non_concordant_justified', 'no-radiotherapy is not among the engine priorities');
      decisionA = a.body.id;
      const agenda = (await s.request('GET', `/api/meetings/${meetingId}`, { token: s.tokens.viewer })).body.agenda;
      assert.deepEqual(agenda.map((i: { decision: unknown }) => i.decision), [{ id: decisionB, signed: false }, { id: decisionA, signed: false }]);
      assert.equal((await s.request('DELETE', `/api/meetings/${meetingId}/items/${itemA.id}`, { token: s.tokens.clinician })).status, 409, 'a decided item stays');
    });

    it('an unsigned decision can change; no letter before sign-off (409)', async () => {
      const r = await s.request('PUT', `/api/decisions/${decisionA}`, {
        token: s.tokens.clinician,
        body: { decision: 'Within the STRASS2 trial: chemotherapy, then en bloc resection.', strategyIds: ['neoadjuvant-chemotherapy', 'en-bloc-resection'], intent: 'curative', nextSteps: 'Trial screening at the hub.' },
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.concordance, 'concordant');
      assert.equal((await s.request('GET', `/api/decisions/${decisionA}/letter.pdf`, { token: s.tokens.viewer })).status, 409);
      assert.equal((await s.request('GET', `/api/decisions/${decisionA}/patient-summary.pdf`, { token: s.tokens.viewer })).status, 409);
    });

    it('only the chair signs (another clinician or an admin: 403); signed once', async () => {
      for (const token of [s.tokens.clinician, s.tokens.admin]) {
        const r = await s.request('POST', `/api/decisions/${decisionA}/sign`, { token });
        assert.equal(r.status, 403, r.text);
      }
      assert.equal((await s.request('GET', `/api/decisions/${decisionA}`, { token: s.tokens.viewer })).body.signedAt, null);
      const signed = await s.request('POST', `/api/decisions/${decisionA}/sign`, { token: chair.token });
      assert.equal(signed.status, 200, signed.text);
      assert.equal(signed.body.signedBy, 'dr.chair');
      assert.ok(signed.body.signedAt);
      assert.equal((await s.request('POST', `/api/decisions/${decisionA}/sign`, { token: chair.token })).status, 409);
      assert.equal((await s.request('POST', `/api/decisions/${decisionB}/sign`, { token: chair.token })).status, 200);
      const audit = await s.repo.listAudit({ action: 'decision.sign', limit: 10 });
      assert.deepEqual(audit.map((e) => `${e.actor} ${e.outcome} ${e.statusCode}`).sort(), ['admin denied 403', 'clinician denied 403', 'dr.chair failure 409', 'dr.chair success 200', 'dr.chair success 200'].sort());
    });

    it('a signed decision cannot be changed: HTTP 409, and the database refuses UPDATE and DELETE', async () => {
      const before = (await s.request('GET', `/api/decisions/${decisionA}`, { token: s.tokens.viewer })).body;
      const r = await s.request('PUT', `/api/decisions/${decisionA}`, { token: s.tokens.clinician, body: { decision: 'changed afterwards', strategyIds: ['en-bloc-resection'] } });
      assert.equal(r.status, 409, r.text);
      await assert.rejects(rawSql(db, 'update decisions set decision = $1 where id = $2', ['changed afterwards', decisionA]), /signed tumour-board decision is immutable/);
      await assert.rejects(rawSql(db, 'update decisions set signed_at = null where id = $1', [decisionA]), /immutable/);
      await assert.rejects(rawSql(db, 'delete from decisions where id = $1', [decisionA]), /immutable/);
      assert.deepEqual((await s.request('GET', `/api/decisions/${decisionA}`, { token: s.tokens.viewer })).body, before);
    });

    it('an amendment is a new decision referencing the signed one; signed by the chair; the chain stays a line', async () => {
      const r = await s.request('POST', `/api/decisions/${decisionA}/amendments`, {
        token: s.tokens.clinician,
        body: { decision: 'Not eligible for the trial after all: en bloc resection with the left kidney and descending colon.', strategyIds: ['en-bloc-resection'], intent: 'curative', nextSteps: 'Surgery at the hub within 3 weeks; the spoke arranges pre-assessment.' },
      });
      assert.equal(r.status, 201, r.text);
      amendment = r.body.id;
      assert.equal(r.body.supersedesId, decisionA);
      assert.equal(r.body.concordance, 'concordant');
      assert.equal(r.body.signedAt, null);
      const again = await s.request('POST', `/api/decisions/${decisionA}/amendments`, { token: s.tokens.clinician, body: { decision: 'fork', strategyIds: ['en-bloc-resection'] } });
      assert.equal(again.status, 409);
      assert.equal((await s.request('POST', `/api/decisions/${amendment}/amendments`, { token: s.tokens.clinician, body: { decision: 'x', strategyIds: ['en-bloc-resection'] } })).status, 409, 'an unsigned decision is changed, not amended');
      assert.equal((await s.request('POST', `/api/decisions/${amendment}/sign`, { token: chair.token })).status, 200);
      const original = (await s.request('GET', `/api/decisions/${decisionA}`, { token: s.tokens.viewer })).body;
      assert.equal(original.supersededById, amendment);
      assert.equal(original.decision, 'Within the STRASS2 trial: chemotherapy, then en bloc resection.');
      const listed = (await s.request('GET', `/api/cases/${caseA}/decisions`, { token: s.tokens.viewer })).body.items;
      assert.deepEqual(listed.map((d: { id: string; supersedesId: string | null }) => [d.id, d.supersedesId]), [[decisionA, null], [amendment, decisionA]]);
    });

    it('the concordance indicator counts signed, current decisions: 1 of 2 concordant, one justified deviation (comorbidity)', async () => {
      const r = await s.request('GET', '/api/meetings/quality', { token: s.tokens.viewer });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.decisions, 2);
      assert.equal(r.body.applicable, 2);
      assert.equal(r.body.concordant, 1);
      assert.equal(r.body.rate, 0.5);
      assert.equal(r.body.justified, 1);
      assert.equal(r.body.unjustified, 0);
      assert.deepEqual(r.body.reasons, { patient_choice: 0, comorbidity_performance: 1, clinical_trial: 0, new_evidence: 0, insufficient_information: 0, other: 0 });
    });

    it('a decision outside a meeting: concordance recorded without a reason (unjustified), changed with its own date and attendees, never signed (409)', async () => {
      const r = await s.request('POST', `/api/cases/${caseC}/decisions`, {
        token: s.tokens.clinician,
        body: { date: '2026-03-01', attendees: ['surgeon', 'radiologist'], decision: 'Observe', strategyIds: ['no-resection'] },
      });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.body.concordance, 'non_concordant_unjustified');
      assert.equal(r.body.meetingId, null);
      const changed = await s.request('PUT', `/api/decisions/${r.body.id}`, { token: s.tokens.clinician, body: { decision: 'Resect en bloc', strategyIds: ['en-bloc-resection'] } });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.date, '2026-03-01');
      assert.deepEqual(changed.body.attendees, ['surgeon', 'radiologist']);
      assert.equal(changed.body.concordance, 'concordant');
      assert.equal((await s.request('POST', `/api/decisions/${r.body.id}/sign`, { token: chair.token })).status, 409);
    });

    it('the outcome letter and the patient summary state what the board signed, in words (pdftotext)', async () => {
      const letter = await fetch(`${s.base}/api/decisions/${amendment}/letter.pdf`, { headers: { authorization: `Bearer ${s.tokens.viewer}` } });
      assert.equal(letter.status, 200);
      assert.equal(letter.headers.get('content-type'), 'application/pdf');
      const text = pdfText(Buffer.from(await letter.arrayBuffer()));
      for (const expected of [
        'Sarcoma tumour board — outcome letter',
        'Dr Bianchi, Spoke General Hospital',
        'Name: Ada Rossi',
        'Is an en bloc resection with the left kidney feasible?',
        '1. En bloc resection with contiguous organs',
        'Not eligible for the trial after all',
        'Intent of treatment Curative',
        'Surgery at the hub within 3 weeks',
        'Concordant with the Retroplan recommendation',
        'Signed off by dr.chair (chair)',
        'replaces the one signed on',
        'Present: Dr Chair, Dr Rad',
      ]) {
        assert.ok(text.includes(expected), `letter has "${expected}": ${text}`);
      }
      // Engine options the board did not choose, raw codes and ids are not in the letter.
      for (const absent of ['neoadjuvant', 'Refer to a high-volume sarcoma centre', 'en-bloc-resection', amendment, decisionA, caseA, 'STRASS2']) {
        assert.ok(!text.includes(absent), `letter lacks "${absent}"`);
      }

      const summary = await fetch(`${s.base}/api/decisions/${decisionB}/patient-summary.pdf`, { headers: { authorization: `Bearer ${s.tokens.viewer}` } });
      assert.equal(summary.status, 200);
      const plain = pdfText(Buffer.from(await summary.arrayBuffer()));
      for (const expected of ['Your tumour board summary', 'For Ben Moreau.', 'An operation is not recommended.', 'Regular check-ups with scans', 'Cardiology review; CT in 3 months at the spoke.']) {
        assert.ok(plain.includes(expected), `summary has "${expected}": ${plain}`);
      }
      for (const absent of ['no-resection', 'ICD-O-3', decisionB, 'En bloc']) assert.ok(!plain.includes(absent), `summary lacks "${absent}"`);
    });
  });
}
