import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { propertyRuns } from '../../test/support/property-runs.ts';
import { evaluateCase, parseCase } from './index.ts';
import { organ, validCase } from '../../test/support/case-arbitrary.ts';

describe('engine invariants over random valid cases', () => {
  it('random valid cases never throw, and every part explains itself', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const e = evaluateCase(parseCase(input));
        for (const part of [e.diagnosis, e.failurePattern, e.strategy, e.resectionPlan, e.surveillance, e.referral]) {
          assert.ok(part.reasons.length > 0 && part.sources.length > 0);
        }
        assert.ok(e.strategy.priorities.length > 0);
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('a non-sarcoma never gets a stage group or an en bloc resection', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const e = evaluateCase(parseCase(input));
        if (e.diagnosis.isSarcoma !== false) return true;
        return e.stage.group === null && !e.strategy.priorities.some((p) => p.id === 'en-bloc-resection') && e.resectionPlan.enBloc.length === 0;
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('en bloc resection is proposed only for an established sarcoma judged resectable', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const e = evaluateCase(parseCase(input));
        if (!e.strategy.priorities.some((p) => p.id === 'en-bloc-resection')) return true;
        return e.diagnosis.isSarcoma === true && e.resectionPlan.resectability.status !== 'unresectable';
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('adding an infiltrated organ never shrinks enBloc (whole evaluation)', () => {
    fc.assert(
      fc.property(validCase, organ, (input, extra) => {
        const before = evaluateCase(parseCase(input)).resectionPlan.enBloc;
        const tumor = input.tumor ?? {};
        const after = evaluateCase(parseCase({ ...input, tumor: { ...tumor, infiltrates: [...new Set([...(tumor.infiltrates ?? []), extra])] } })).resectionPlan;
        return before.every((id) => after.enBloc.includes(id) || after.decideAtMdt.includes(id));
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('the differential always lists every profile once, with a status', () => {
    fc.assert(
      fc.property(validCase, (input) => {
        const d = evaluateCase(parseCase(input)).diagnosis.differential;
        return new Set(d.map((x) => x.code)).size === d.length && d.every((x) => ['supported', 'possible', 'excluded'].includes(x.status));
      }),
      { numRuns: propertyRuns(100) },
    );
  });
});
