import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, fieldName, formatDate, histologyWithCode, humanText, label, markerResultName, organName, shortCitation, valueText } from './vocabulary.ts';

describe('vocabulary: human names, never raw ids', () => {
  it('names organs, histologies, markers and coded values as people write them', () => {
    assert.equal(organName('kidney_left'), 'Left kidney');
    assert.equal(organName('ivc'), 'Inferior vena cava');
    assert.equal(histologyWithCode('8858/3'), 'Dedifferentiated liposarcoma (ICD-O-3 8858/3)');
    assert.equal(markerResultName('MDM2', 'amplified'), 'amplified (FISH)');
    assert.equal(markerResultName('MDM2', 'positive'), 'positive (IHC)');
    assert.equal(markerResultName('desmin', 'focal'), 'focal');
    assert.equal(label('specimen', 'core_biopsy'), 'Core-needle biopsy');
    assert.equal(label('status', 'tumour_board'), 'Tumour board');
    assert.equal(label('surveillanceRule', 'esmo-schedule'), 'ESMO follow-up schedule');
    assert.equal(shortCitation('SEED'), 'Retroplan teaching chapter');
  });

  it('takes reference-sheet marks out of displayed text', () => {
    assert.equal(humanText('Rules out a functioning paraganglioma (REFERENCE §3.1, Vanderveen 2009).'), 'Rules out a functioning paraganglioma.');
    assert.equal(humanText('Germ-cell tumour markers (REFERENCE §3.1 [C]).'), 'Germ-cell tumour markers.');
    assert.equal(humanText('follow-up is long-term, lifelong-leaning [consensus on the schedule].'), 'follow-up is long-term, possibly lifelong [consensus on the schedule].');
  });

  it('phrases errors and values for people', () => {
    assert.equal(errorText('patient.ageYears', 'must be a number of years from 0 to 120'), 'Age: must be a number of years from 0 to 120');
    assert.equal(fieldName('pathology.markers.CD45'), 'CD45 (LCA)');
    assert.equal(valueText('tumor.contacts', ['kidney_left', 'colon_descending']), 'Left kidney, Descending colon');
    assert.equal(valueText('tumor.imaging.hypervascular', true), 'Yes');
    assert.equal(valueText('status', undefined), 'not recorded');
    assert.equal(formatDate('2026-02-10'), '10 Feb 2026');
  });
});
