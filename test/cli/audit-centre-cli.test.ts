import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openRepository } from '../../src/store/index.ts';
import { runCli } from '../support/cli.ts';
import { tempSqlite } from '../support/databases.ts';

const dir = mkdtempSync(join(tmpdir(), 'retroplan-audit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const op = (date: string, surgeon: string, margin: string, clavienDindo: string) => ({ surgery: { date, surgeon, margin, clavienDindo } });

describe('retroplan audit centre (real binary)', () => {
  it('from NDJSON: JSON with every indicator, CSV with funnel rows by surgeon', async () => {
    const file = join(dir, 'cases.ndjson');
    writeFileSync(file, [op('2024-01-01', 'X', 'R0', '0'), { id: 'b', case: op('2024-02-01', 'X', 'R2', 'IIIb') }, op('2024-03-01', 'Y', 'R1', 'I')].map((c) => JSON.stringify(c)).join('\n'));
    const json = await runCli(['audit', 'centre', '--cases', file, '--by', 'surgeon']);
    assert.equal(json.code, 0, json.stderr);
    const audit = JSON.parse(json.stdout);
    assert.equal(audit.operated, 3);
    const complete = audit.indicators.find((i: { id: string }) => i.id === 'macroscopically-complete');
    assert.deepEqual([complete.numerator, complete.denominator], [2, 3]);
    const csv = await runCli(['audit', 'centre', '--cases', file, '--by', 'surgeon', '--format', 'csv']);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    const cd = rows.filter((r) => r.indicator === 'clavien-dindo-3-plus');
    assert.deepEqual(cd.map((r) => [r.group, r.numerator, r.denominator]), [['centre', '1', '3'], ['X', '1', '2'], ['Y', '0', '1']]);
    assert.equal(cd[0]!.benchmark, '0.164');
  });

  it('--format pdf --output: the figures, benchmarks and funnel units as PDF text', async () => {
    const file = join(dir, 'cases-pdf.ndjson');
    writeFileSync(file, [op('2024-01-01', 'X', 'R0', '0'), op('2024-02-01', 'X', 'R2', 'IIIb'), op('2024-03-01', 'Y', 'R1', 'I'), op('2024-04-01', 'Y', 'R0', 'II')].map((c) => JSON.stringify(c)).join('\n'));
    const out = join(dir, 'audit.pdf');
    const r = await runCli(['audit', 'centre', '--cases', file, '--by', 'surgeon', '--format', 'pdf', '--output', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(out).subarray(0, 5).toString('latin1'), '%PDF-');
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    assert.match(text, /Centre audit: outcomes against published benchmarks/);
    assert.match(text, /4 resections counted/);
    // By hand: R0 2 of 4 = 50.0 % against 82.0 % (VOLUME-SARCOMA-2018); R0/R1 3 of 4 = 75.0 % against 83.3 %;
    // Clavien–Dindo >= III 1 of 4 = 25.0 % against 16.4 % (MACNEILL-2018).
    assert.match(text, /R0 resection 50\.0 % 2 ?\/ ?4 4 of 4 82\.0 %/);
    assert.match(text, /macroscopically complete resection (?:\(R0 or R1\) )?75\.0 % 3 ?\/ ?4 4 of 4 83\.3 %/);
    assert.match(text, /Clavien.Dindo grade >= III within 90 (?:days )?25\.0 % 1 ?\/ ?4 4 of 4 16\.4 %/);
    assert.match(text, /2024 4/);
    // Funnel units: X has 1 R0 of 2, Y 1 of 2.
    assert.match(text, /R0 resection X 1 ?\/ ?2 50\.0 %/);
    assert.match(text, /R0 resection Y 1 ?\/ ?2 50\.0 %/);
    assert.match(text, /Spiegelhalter/);
    assert.doesNotMatch(text, /SYNTHETIC/);
  });

  it('bad input exits 2 with the line or the flag named', async () => {
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, `${JSON.stringify(op('2024-01-01', 'X', 'R0', '0'))}\n{"surgery":{"margin":"R9"}}\nnot json\n`);
    const r = await runCli(['audit', 'centre', '--cases', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /line 2: surgery\.margin/);
    assert.match(r.stderr, /line 3: not JSON/);
    const d = await runCli(['audit', 'centre', '--cases', file, '--from', '2024-13-01']);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /--from must be a date/);
    const f = await runCli(['audit', 'centre', '--cases', file, '--format', 'docx']);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /--format must be json, csv or pdf/);
  });

  it('from the database (DATABASE_URL), and the read is audited', async () => {
    const db = tempSqlite();
    const repo = await openRepository(db.config);
    const now = new Date().toISOString();
    await repo.createCase({ title: 'Op 1', status: 'workup', case: { ...op('2023-05-01', 'X', 'R0', '0'), patient: {}, presentation: 'primary', tumor: {}, pathology: {} } }, 'u', now);
    await repo.close();
    const r = await runCli(['audit', 'centre'], undefined, { DATABASE_URL: db.url });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).operated, 1);
    const check = await openRepository(db.config);
    const entries = await check.listAudit({ limit: 10, order: 'newest' });
    assert.ok(entries.some((e) => e.action === 'audit.centre'));
    await check.close();
    await db.drop();
  });
});

describe('retroplan demo load (real binary)', () => {
  it('fills an empty database with the synthetic centre, refuses a database with cases, and the audit reads it', async () => {
    const db = tempSqlite();
    const first = await runCli(['demo', 'load', '--patients', '40'], undefined, { DATABASE_URL: db.url });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /loaded 40 synthetic cases/);
    const again = await runCli(['demo', 'load', '--patients', '5'], undefined, { DATABASE_URL: db.url });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /only into an empty database/);
    const repo = await openRepository(db.config);
    const list = await repo.listCases({ limit: 100, offset: 0 });
    assert.equal(list.items.length, 40);
    assert.ok(list.items.every((c) => c.title.startsWith('[synthetic]')));
    await repo.close();
    const audit = await runCli(['audit', 'centre'], undefined, { DATABASE_URL: db.url });
    assert.equal(JSON.parse(audit.stdout).operated, 40);
    await db.drop();
  });

  it('bad options exit 2', async () => {
    assert.equal((await runCli(['demo', 'load', '--patients', '0'])).code, 2);
  });
});
