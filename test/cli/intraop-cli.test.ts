import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cli.ts';

describe('retroplan intraop (real binary)', () => {
  it('JSON: each finding decided, the plan re-derived, whom to call', async () => {
    const r = await runCli(['intraop', 'examples/seed-22cm-ddlps.json', '--finding', 'encasement:ivc:occluded', '--finding', 'rupture:gross_spillage']);
    assert.equal(r.code, 0, r.stderr);
    const d = JSON.parse(r.stdout);
    assert.deepEqual(d.decisions.map((x: { recommended: { id: string } }) => x.recommended.id), ['ligate-ivc', 'continue-and-document-rupture']);
    assert.deepEqual(d.call.map((c: { team: string }) => c.team), ['vascular']);
    assert.equal(d.intent, 'continue-curative');
  });

  it('text: a stop is said first, in capitals', async () => {
    const r = await runCli(['intraop', 'examples/seed-22cm-ddlps.json', '--finding', 'unresectable:peritoneal_deposits', '--format', 'text']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0]!, /STOP AND RE-PLAN AT THE MDT/);
    assert.match(r.stdout, /Expected margin: gross residual expected/);
  });

  it('bad findings exit 2 naming the --finding and the field; no finding is a usage error', async () => {
    const r = await runCli(['intraop', 'examples/seed-22cm-ddlps.json', '--finding', 'infiltration:heart', '--finding', 'rupture:big']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--finding 1\.structure: unknown organ id "heart"/);
    assert.match(r.stderr, /--finding 2\.extent/);
    const none = await runCli(['intraop', 'examples/seed-22cm-ddlps.json']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /at least one --finding/);
  });
});
