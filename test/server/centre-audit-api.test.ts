/**
 * GET /api/audit/centre against a listening server. Three stored cases, counted by hand:
 * A operated 2020-03-10 by S1, R0, Clavien–Dindo II; B operated 2021-06-01 by S2, R2,
 * Clavien–Dindo IIIa; C not operated. So: 2 operated, 1 without an operation date;
 * macroscopically complete (R0/R1) 1 of 2; R0 1 of 2; Clavien–Dindo ≥ III 1 of 2.
 * From 2021-01-01 only B counts (A is outside the period).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { SEED_CASE, startTestServer, type TestServer } from '../support/server.ts';

const withSurgery = (surgery: Record<string, unknown>) => ({ ...SEED_CASE, surgery });

describe('centre audit API', () => {
  let s: TestServer;

  before(async () => {
    s = await startTestServer();
    const cases = [
      withSurgery({ date: '2020-03-10', surgeon: 'S1', hospital: 'H1', margin: 'R0', clavienDindo: 'II' }),
      withSurgery({ date: '2021-06-01', surgeon: 'S2', hospital: 'H1', margin: 'R2', clavienDindo: 'IIIa' }),
      SEED_CASE,
    ];
    for (const [i, c] of cases.entries()) {
      const r = await s.request('POST', '/api/cases', { token: s.tokens.clinician, body: { title: `Audit ${i}`, case: c } });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => s?.close());

  const indicator = (body: { indicators: { id: string; numerator: number; denominator: number; rate: number | null }[] }, id: string) => {
    const i = body.indicators.find((x) => x.id === id)!;
    return [i.numerator, i.denominator, i.rate];
  };

  it('JSON: volumes and rates as counted by hand', async () => {
    const r = await s.request('GET', '/api/audit/centre', { token: s.tokens.admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.operated, 2);
    assert.deepEqual(r.body.excluded, { noOperationDate: 1, outsidePeriod: 0 });
    assert.deepEqual(r.body.period, { from: null, to: null });
    assert.deepEqual(r.body.volumeByYear, [{ year: 2020, resections: 1 }, { year: 2021, resections: 1 }]);
    assert.deepEqual(indicator(r.body, 'macroscopically-complete'), [1, 2, 0.5]);
    assert.deepEqual(indicator(r.body, 'r0-rate'), [1, 2, 0.5]);
    assert.deepEqual(indicator(r.body, 'clavien-dindo-3-plus'), [1, 2, 0.5]);
  });

  it('from/to and by=surgeon', async () => {
    const r = await s.request('GET', '/api/audit/centre?from=2021-01-01&to=2021-12-31&by=surgeon', { token: s.tokens.admin });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.operated, 1);
    assert.deepEqual(r.body.excluded, { noOperationDate: 1, outsidePeriod: 1 });
    assert.deepEqual(r.body.period, { from: '2021-01-01', to: '2021-12-31' });
    assert.deepEqual(indicator(r.body, 'macroscopically-complete'), [0, 1, 0]);
    const funnel = r.body.indicators.find((x: { id: string }) => x.id === 'macroscopically-complete').funnel;
    assert.deepEqual(funnel.map((f: { group: string; numerator: number; denominator: number }) => [f.group, f.numerator, f.denominator]), [['S2', 0, 1]]);
  });

  it('format=csv: the rates as CSV', async () => {
    const r = await s.request('GET', '/api/audit/centre?format=csv', { token: s.tokens.admin });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type')!, /^text\/csv/);
    const lines = r.text.trim().split('\n');
    assert.equal(lines[0], 'indicator,group,numerator,denominator,rate,recorded,operated,benchmark,benchmark_population,benchmark_source,lower95,upper95,lower998,upper998,zone');
    const row = lines.find((l) => l.startsWith('macroscopically-complete,centre,'))!.split(',');
    assert.deepEqual(row.slice(0, 7), ['macroscopically-complete', 'centre', '1', '2', '0.5', '2', '2']);
    const cd = lines.find((l) => l.startsWith('clavien-dindo-3-plus,centre,'))!.split(',');
    assert.deepEqual(cd.slice(0, 7), ['clavien-dindo-3-plus', 'centre', '1', '2', '0.5', '2', '2']);
  });

  it('format=pdf: a PDF whose text carries the figures counted by hand and their benchmarks', async () => {
    const r = await fetch(`${s.base}/api/audit/centre?format=pdf&by=surgeon`, { headers: { authorization: `Bearer ${s.tokens.admin}` } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.match(r.headers.get('content-disposition')!, /attachment; filename="centre-audit\.pdf"/);
    const pdf = Buffer.from(await r.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, ' ');
    assert.match(text, /2 resections counted; left out: 1 without an operation date, 0 outside the period/);
    assert.match(text, /R0 resection 50\.0 % 1 ?\/ ?2 2 of 2 82\.0 %/);
    assert.match(text, /Clavien.Dindo grade >= III within 90 (?:days )?50\.0 % 1 ?\/ ?2 2 of 2 16\.4 %/);
    assert.match(text, /R0 resection S1 1 ?\/ ?1 100\.0 %/);
    assert.match(text, /R0 resection S2 0 ?\/ ?1 0\.0 %/);
  });

  it('bad input: 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['from=2021-13-01', 'query.from'],
      ['to=yesterday', 'query.to'],
      ['by=team', 'query.by'],
      ['format=xml', 'query.format'],
      ['from=2022-01-01&to=2021-01-01', 'query.to'],
    ];
    for (const [query, path] of cases) {
      const r = await s.request('GET', `/api/audit/centre?${query}`, { token: s.tokens.admin });
      assert.equal(r.status, 400, `${query}: ${r.text}`);
      assert.deepEqual([...new Set(r.body.errors.map((e: { path: string }) => e.path))], [path], query);
    }
  });

  it('admin only (it reads every case): clinician and viewer 403, anonymous 401', async () => {
    assert.equal((await s.request('GET', '/api/audit/centre', { token: s.tokens.clinician })).status, 403);
    assert.equal((await s.request('GET', '/api/audit/centre', { token: s.tokens.viewer })).status, 403);
    assert.equal((await s.request('GET', '/api/audit/centre?format=csv')).status, 401);
  });

  it('audited, with the number of cases read', async () => {
    const entries = (await s.repo.listAudit({ action: 'audit.centre', limit: 50 })).reverse();
    assert.deepEqual(entries.slice(0, 3).map((e) => [e.actor, e.outcome, e.detail]), [
      ['admin', 'success', '3 cases read for the centre audit'],
      ['admin', 'success', '3 cases read for the centre audit'],
      ['admin', 'success', '3 cases read for the centre audit'],
    ]);
    // Calls without credentials are counted in aggregate (request.unauthenticated), not one row each.
    assert.deepEqual(entries.slice(-2).map((e) => [e.actor, e.outcome]), [
      ['clinician', 'denied'],
      ['viewer', 'denied'],
    ]);
  });
});
