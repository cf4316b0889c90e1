import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluate, type Evaluation } from '../engine/index.ts';
import { renderTextReport } from './report-text.ts';

function report(file: string): string {
  const r = evaluate(JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return renderTextReport(r.value as Evaluation);
}

describe('text report: clinical sections', () => {
  const text = report('seed-22cm-ddlps.json');
  const order = ['Diagnosis', 'Failure pattern', 'Strategy', 'En bloc resection plan', 'Surveillance', 'Referral', 'Nomograms', 'Sources'];

  it('has every section, in order, with sources last', () => {
    const positions = order.map((title) => text.indexOf(`\n${title}`));
    assert.ok(positions.every((p) => p > 0), JSON.stringify(positions));
    assert.deepEqual([...positions].sort((a, b) => a - b), positions);
    assert.ok(text.lastIndexOf('\nSources\n') > text.lastIndexOf('\nWarnings\n'));
  });

  it('names the leading diagnosis, the ordered priorities, the organs and the schedule', () => {
    assert.match(text, /Leading: dedifferentiated liposarcoma \(8858\/3, sarcoma; pathologist's histology\)/);
    assert.match(text, /1\. En bloc resection with contiguous organs/);
    assert.match(text, /2\. Consider neoadjuvant chemotherapy \(trial setting\) \[consensus\]/);
    assert.match(text, /En bloc: kidney_left, colon_descending/);
    assert.match(text, /months 0–24: every 3–4 months/);
    assert.match(text, /\[illustrative\]/);
  });

  it('lists nomogram inputs present and missing, and where to compute them', () => {
    assert.match(text, /✓ tumour size \[tumor\.sizeCm\]: 22/);
    assert.match(text, /✗ completeness of resection \[surgery\.margin\] — missing/);
    assert.match(text, /Sarculator app/);
  });

  it('every cited source id appears in the sources list', () => {
    const sources = text.slice(text.lastIndexOf('\nSources\n'));
    for (const id of ['HAAS-2019', 'STRASS2', 'NCDB-VOLUME', 'ESMO-2010', 'GRONCHI-2013', 'CHO-2018']) assert.ok(sources.includes(`[${id}]`), id);
  });

  it('an undiagnosed hypervascular mass: red flag shown, biochemistry first, plan marked provisional', () => {
    const t = report('paraganglioma-suspected.json');
    assert.match(t, /Red flags:\n {2}• Possible paraganglioma/);
    assert.match(t, /Leading: not determined — sarcoma: not established/);
    assert.match(t, /1\. Biochemical work-up/);
    assert.match(t, /Applies: PROVISIONAL/);
  });
});
