import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { demoCohort } from '../../src/outcomes/demo-cohort.ts';
import { RESULTS_DIR, signIn, startHarness, type Harness } from './support.ts';

/**
 * The outcomes dashboard (issue 14) in Chromium against the real server, on the
 * synthetic demo centre: the figures on screen are the API's, the charts draw,
 * every export downloads, the charts' code arrives only with the dashboard.
 */
const PASSWORD = 'correct horse battery staple';
let h: Harness;
let page: Page;
const scripts: string[] = [];
const pageErrors: string[] = [];

interface ApiIndicator {
  id: string;
  numerator: number;
  denominator: number;
  rate: number | null;
  completeness: { recorded: number; total: number };
  funnel: { group: string }[];
}
interface ApiAudit {
  operated: number;
  synthetic: number;
  indicators: ApiIndicator[];
  overallSurvival: { curve: { n: number; steps: unknown[] }; numbersAtRisk: { months: number; atRisk: number }[] };
  localRecurrence: { group: string }[];
}

/** The API's answer, fetched in the page with the signed-in session. */
function apiAudit(query: string): Promise<ApiAudit> {
  return page.evaluate(async (q) => (await fetch(`/api/audit/centre${q}`)).json(), query);
}

// Written here, not imported: one decimal, a space, a percent sign.
const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;


describe('outcomes dashboard (Chromium, real server, demo centre)', { timeout: 600_000 }, () => {
  before(async () => {
    h = await startHarness([
      { username: 'dr.admin', password: PASSWORD, role: 'admin' },
      { username: 'dr.clin', password: PASSWORD, role: 'clinician' },
    ], { width: 1440, height: 900 });
    // The demo centre as `retroplan demo load` stores it (a smaller cohort keeps the run short).
    for (const d of demoCohort({ patients: 160 })) await h.app.repo.createCase({ title: d.title, status: d.status, case: d.case }, 'demo', new Date().toISOString());
    page = await h.context.newPage();
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  });
  after(async () => h?.close());

  it('a clinician has no Outcomes link and the route refuses', async () => {
    await signIn(page, h.base, 'dr.clin', PASSWORD);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outcomes' }).count(), 0);
    await page.goto(`${h.base}/#/outcomes`);
    await page.getByRole('alert').filter({ hasText: 'for administrators' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    // Signed out only once the sign-in form shows: navigating earlier keeps the clinician's session.
    await page.getByLabel('Username').waitFor();
  });

  it('the first load carries no chart code; opening the dashboard fetches it', async () => {
    scripts.length = 0;
    await signIn(page, h.base, 'dr.admin', PASSWORD);
    assert.ok(scripts.length > 0);
    assert.deepEqual(scripts.filter((s) => /Outcomes/.test(s)), []);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outcomes' }).click();
    await page.getByTestId('indicator-table').waitFor({ timeout: 120_000 });
    assert.equal(scripts.filter((s) => /OutcomesPage/.test(s)).length, 1);
  });

  it('the figures on screen are those the API returns, and the data are marked synthetic', async () => {
    const api = await apiAudit('?by=surgeon');
    assert.equal(api.operated, 160);
    assert.equal(api.synthetic, 160);
    assert.match(await page.getByTestId('synthetic-banner').innerText(), /Synthetic demo data\. 160 of the 160 operated cases/);
    assert.match(await page.getByTestId('audit-summary').innerText(), /^160 resections in the period/);
    for (const id of ['macroscopically-complete', 'r0-rate', 'clavien-dindo-3-plus', 'mortality-30-day', 'mortality-90-day', 'reoperation', 'textbook-outcome']) {
      const i = api.indicators.find((x) => x.id === id)!;
      assert.equal(await page.getByTestId(`indicator-${id}-rate`).innerText(), percent(i.rate!), id);
      assert.equal(await page.getByTestId(`indicator-${id}-count`).innerText(), `${i.numerator} / ${i.denominator}`, id);
      assert.equal(await page.getByTestId(`indicator-${id}-completeness`).innerText(), `${i.completeness.recorded} of ${i.completeness.total}`, id);
    }
    // Benchmarks beside the rates (REFERENCE-2 §6.2, copied here by hand): R0 82 %, 90-day mortality 3.2 %.
    assert.match(await page.getByTestId('indicator-r0-rate').innerText(), /82\.0 %/);
    assert.match(await page.getByTestId('indicator-mortality-90-day').innerText(), /3\.2 %/);
    const risk = page.getByTestId('numbers-at-risk').locator('tr').nth(1).locator('td');
    assert.deepEqual(await risk.allInnerTexts(), api.overallSurvival.numbersAtRisk.map((r) => String(r.atRisk)));
  });

  it('the charts render: survival line and band, a line per histology, a dot per surgeon, each stamped synthetic', async () => {
    const api = await apiAudit('?by=surgeon');
    const os = page.getByTestId('chart-overall-survival');
    assert.equal(await os.locator('svg g[aria-label="line"] path').count(), 1);
    assert.equal(await os.locator('svg g[aria-label="area"] path').count(), 1);
    assert.match(await os.locator('svg').first().innerHTML(), /SYNTHETIC DEMO DATA/);
    assert.equal(await page.getByTestId('chart-local-recurrence').locator('svg g[aria-label="line"] path').count(), api.localRecurrence.length);
    assert.ok(api.localRecurrence.length >= 3, 'all histologies and at least two histology groups');
    const r0 = api.indicators.find((x) => x.id === 'r0-rate')!;
    assert.ok(r0.funnel.length >= 2);
    assert.equal(await page.getByTestId('chart-funnel-r0-rate').locator('svg g[aria-label="dot"] circle').count(), r0.funnel.length);
    assert.ok((await page.getByTestId('chart-volume').locator('svg g[aria-label="bar"] rect').count()) >= 5);
  });

  it('each chart exports its data as CSV, its drawing as SVG and PNG', async () => {
    const api = await apiAudit('?by=surgeon');
    const figure = page.getByTestId('chart-overall-survival');
    const [csv] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'CSV (data)' }).click()]);
    assert.equal(csv.suggestedFilename(), 'centre-audit-overall-survival.csv');
    const lines = (await readFile((await csv.path())!, 'utf8')).trimEnd().split('\r\n');
    assert.equal(lines[0], 'months,at_risk,events,censored,survival,lower,upper');
    assert.equal(lines[1], `0,${api.overallSurvival.curve.n},0,0,1,1,1`);
    assert.equal(lines.length, 2 + api.overallSurvival.curve.steps.length);
    const [svg] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'SVG' }).click()]);
    const svgText = await readFile((await svg.path())!, 'utf8');
    assert.match(svgText, /^<\?xml[^>]*>\n<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svgText, /SYNTHETIC DEMO DATA/);
    const [png] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: 'PNG' }).click()]);
    const bytes = await readFile((await png.path())!);
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.length > 5000);
    await page.screenshot({ path: join(RESULTS_DIR, 'outcomes-dashboard.png'), fullPage: true });
  });

  it('a date range and hospital units: the figures follow the API', async () => {
    await page.getByLabel('Operated from').fill('2020-01-01');
    await page.getByLabel('Funnel plots by').selectOption('hospital');
    await page.getByRole('button', { name: 'Show' }).click();
    const api = await apiAudit('?from=2020-01-01&by=hospital');
    assert.ok(api.operated > 0 && api.operated < 160);
    await page.getByTestId('audit-summary').filter({ hasText: `${api.operated} resections in the period (2020-01-01 to …)` }).waitFor();
    const r0 = api.indicators.find((x) => x.id === 'r0-rate')!;
    assert.equal(await page.getByTestId('indicator-r0-rate-count').innerText(), `${r0.numerator} / ${r0.denominator}`);
    assert.equal(await page.getByTestId('chart-funnel-r0-rate').locator('svg g[aria-label="dot"] circle').count(), r0.funnel.length);
  });

  it('axe: no serious or critical violation on the dashboard; no page errors', async () => {
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${JSON.stringify(v.nodes[0]?.target)}`), []);
    assert.deepEqual(pageErrors, []);
  });
});
