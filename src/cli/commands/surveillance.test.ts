import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { addMonths, escapeIcsText, foldIcsLine, parseIsoDate } from './surveillance.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/retroplan.mjs', ...args], { cwd: root, encoding: 'utf8', input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('retroplan surveillance --format ics (real binary)', () => {
  const { code, stdout, stderr } = cli(['surveillance', 'examples/seed-22cm-ddlps.json', '--from', '2026-01-31', '--format', 'ics']);

  it('exits 0 and writes an RFC 5545 calendar with CRLF line endings', () => {
    assert.equal(code, 0, stderr);
    assert.ok(stdout.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:'));
    assert.ok(stdout.endsWith('END:VCALENDAR\r\n'));
    assert.ok(!/[^\r]\n/.test(stdout), 'every line ends in CRLF');
  });

  it('folds every line at 75 octets', () => {
    for (const line of stdout.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
    assert.ok(stdout.includes('\r\n '), 'long lines were folded');
  });

  it('one VEVENT per visit over 10 years (G3: 21 visits), each with UID, DTSTAMP, DTSTART;VALUE=DATE and SUMMARY', () => {
    const events = unfold(stdout).split('BEGIN:VEVENT').slice(1);
    assert.equal(events.length, 21);
    const uids = events.map((e) => /\r\nUID:(.+)\r\n/.exec(e)![1]);
    assert.equal(new Set(uids).size, events.length);
    for (const e of events) {
      assert.match(e, /\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
      assert.match(e, /\r\nDTSTART;VALUE=DATE:\d{8}\r\n/);
      assert.match(e, /\r\nSUMMARY:RPS surveillance\\, month \d+: contrast-enhanced CT of abdomen and pelvis \+ chest CT\r\n/);
    }
    // Earliest date of each interval, from 31 Jan: month 3 → 30 Apr (clamped), month 120 → 31 Jan 2036.
    assert.match(events[0]!, /DTSTART;VALUE=DATE:20260430/);
    assert.match(events[20]!, /DTSTART;VALUE=DATE:20360131/);
    assert.match(events[20]!, /lifelong-leaning/);
  });

  it('--format json lists the visit dates', () => {
    const r = cli(['surveillance', 'examples/seed-wdlps.json', '--from', '2026-03-15', '--format', 'json', '--years', '2']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { visits: { date: string; month: number }[]; surveillance: { lifelong: boolean } };
    assert.deepEqual(out.visits.map((v) => v.date), ['2026-07-15', '2026-11-15', '2027-03-15', '2027-07-15', '2027-11-15', '2028-03-15']);
    assert.equal(out.surveillance.lifelong, true);
  });

  it('a bad date exits 2 naming the option', () => {
    for (const bad of ['2026-02-30', '31/01/2026', 'tomorrow', '2026-1-5']) {
      const r = cli(['surveillance', 'examples/seed-22cm-ddlps.json', '--from', bad]);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /--from must be a real calendar date/);
    }
  });

  it('a case without a grade exits 2 and says the grade decides the schedule', () => {
    // Dedifferentiated LPS: no default grade (a WD-LPS without a grade gets the low-grade schedule).
    const r = cli(['surveillance', '-', '--from', '2026-01-01'], JSON.stringify({ pathology: { histology: '8858/3' } }));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /grade/);
  });

  it('an invalid case exits 2 with the field path', () => {
    const r = cli(['surveillance', '-', '--from', '2026-01-01'], JSON.stringify({ tumor: { extension: ['moon'] } }));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /tumor\.extension\[0\]/);
  });
});

describe('iCalendar helpers', () => {
  it('folds without splitting a UTF-8 character; continuation lines start with a space', () => {
    const line = `SUMMARY:${'β'.repeat(100)}`;
    const folded = foldIcsLine(line);
    for (const part of folded.split('\r\n')) assert.ok(Buffer.byteLength(part, 'utf8') <= 75);
    assert.equal(folded.replace(/\r\n /g, ''), line);
  });
  it('escapes TEXT values', () => assert.equal(escapeIcsText('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne'));
  it('month arithmetic clamps to the end of the month', () => {
    assert.deepEqual(addMonths({ year: 2024, month: 1, day: 31 }, 1), { year: 2024, month: 2, day: 29 });
    assert.deepEqual(addMonths({ year: 2026, month: 11, day: 30 }, 3), { year: 2027, month: 2, day: 28 });
  });
  it('parses only real dates', () => {
    assert.deepEqual(parseIsoDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
    assert.equal(parseIsoDate('2023-02-29'), null);
  });
});
