import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluate, type Evaluation } from '../engine/index.ts';
import { renderTextReport } from './text.ts';

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
    assert.match(text, /En bloc: Left kidney, Descending colon/);
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
    for (const cite of ['Haas 2019 — ', 'STRASS2 (EORTC 1809) — ', 'NCDB volume analyses — ', 'ESMO 2010 — ', 'Gronchi 2013 — ', 'Cho 2018 — ']) assert.ok(sources.includes(cite), cite);
    assert.doesNotMatch(text, /REFERENCE §|\bSEED\b|bits\b/);
  });

  it('an undiagnosed hypervascular mass: red flag shown, biochemistry first, plan marked provisional', () => {
    const t = report('paraganglioma-suspected.json');
    assert.match(t, /Red flags:\n {2}• Possible paraganglioma/);
    assert.match(t, /Leading: not determined — sarcoma: not established/);
    assert.match(t, /1\. Biochemical work-up/);
    assert.match(t, /Applies: PROVISIONAL/);
  });
});

describe('text report with the case: the board proforma first', () => {
  it('opens with the patient, the question to the board and the sign-off line, then the appendix', () => {
    const c = { schemaVersion: 2, patient: { name: 'Anna Example', dateOfBirth: '1968-04-02', identifiers: [{ kind: 'mrn', value: 'H123456' }], ecog: 1 }, board: { question: 'Resect upfront?', referrer: 'Dr Lee' }, tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, modality: 'CT', date: '2026-02-10' }, contacts: ['kidney_left'] }, pathology: { histology: '8858/3', specimen: 'core_biopsy', grade: 'G3' } };
    const r = evaluate(c);
    assert.ok(r.ok);
    const t = renderTextReport(r.value as Evaluation, c, { title: 'A.E.', version: 3, printedAt: new Date('2026-03-01T10:00:00Z') });
    const appendix = t.indexOf('APPENDIX: REASONING AND SOURCES');
    for (const expected of ['Name: Anna Example', 'Date of birth / age: 2 Apr 1968', 'Hospital number (MRN): H123456', 'Performance status: ECOG 1', 'Question to the board: Resect upfront?', 'Referrer: Dr Lee', 'Imaging: CT, 10 Feb 2026', 'in contact with left kidney', 'Specimen: Core-needle biopsy', 'Chair sign-off', 'Case version 3 · printed 1 Mar 2026']) {
      const at = t.indexOf(expected);
      assert.ok(at >= 0 && at < appendix, expected);
    }
  });
});
