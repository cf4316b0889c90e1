import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCase } from '../../src/engine/index.ts';
import { importBundle } from '../../src/interop/fhir/import.ts';
import { cardsFor } from '../../src/interop/cds-hooks/service.ts';
import { readFixture } from './support.ts';
import { assertCdsValid } from './cds-schema.ts';

describe('CDS cards: provisional stage and links', () => {
  const imported = importBundle(readFixture('rps-ddlps-bundle.json'), { asOf: '2025-01-01' });
  assert.ok(imported.ok);
  const evaluation = evaluateCase(imported.value.case);
  let n = 0;
  const options = { asOf: '2025-01-01', publicBaseUrl: 'https://retroplan.test', newUuid: () => `u${(n += 1)}` };

  it('a provisional stage (engine contract stage.provisional === true) is never shown as a final stage', () => {
    const provisional = { ...evaluation, stage: { ...evaluation.stage, provisional: true } };
    const [stage] = cardsFor(imported.value, provisional, options);
    assert.match(stage!.card.summary, /provisional AJCC 8 stage IIIB .*not confirmed by tissue/);
    assertCdsValid('CardResponse', { cards: cardsFor(imported.value, provisional, options).map((issued) => issued.card) });
    const [final] = cardsFor(imported.value, evaluation, options);
    assert.doesNotMatch(final!.card.summary, /provisional/);
  });

  it("the link is the patient's case when it exists, else a SMART launch when configured, else a new pre-filled case", () => {
    assert.equal(cardsFor(imported.value, evaluation, { ...options, caseId: 'c-1' })[0]!.card.links![0]!.url, 'https://retroplan.test/#/cases/c-1');
    const smart = cardsFor(imported.value, evaluation, { ...options, smartLaunchUrl: 'https://retroplan.test/smart/launch' })[0]!.card.links![0]!;
    assert.equal(smart.type, 'smart');
    assert.equal(smart.appContext, JSON.stringify({ patient: 'rps-ddlps-1' }));
    for (const extra of [{ caseId: 'c-1' }, { smartLaunchUrl: 'https://retroplan.test/smart/launch' }, {}]) {
      assertCdsValid('CardResponse', { cards: cardsFor(imported.value, evaluation, { ...options, ...extra }).map((issued) => issued.card) });
    }
  });
});
