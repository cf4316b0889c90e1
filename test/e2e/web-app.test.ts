import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { evaluate } from '../../src/engine/index.ts';
import { RESULTS_DIR, startHarness, type Harness } from './support.ts';

/**
 * The tumour-board workspace in a real browser against the real server:
 * Debian's Chromium driven by playwright-core, a temporary SQLite database.
 * Screenshots and the PDF land in test-results/ (ignored by git).
 */
const PASSWORD = 'correct horse battery staple';
let h: Harness;
let page: Page;
const pageErrors: string[] = [];
let caseId = '';

/** WCAG 2 A/AA violations of impact serious or critical on the current page, one line each. */
async function seriousAxeViolations(screen: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${JSON.stringify(v.nodes[0]?.target)}`);
}

async function select(label: string, value: string) {
  await page.getByLabel(label, { exact: true }).selectOption(value);
}

async function choose(group: string, option: string) {
  await page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name: option, exact: true }).check();
}

describe('web app (Chromium, real server)', { timeout: 180_000 }, () => {
  before(async () => {
    h = await startHarness([{ username: 'dr.rossi', password: PASSWORD, role: 'clinician' }]);
    page = await h.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Expected HTTP errors (401 before login) are shown in the UI; only script errors count here.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && pageErrors.push(m.text()));
  });
  after(async () => h?.close());

  it('refuses a wrong password, then signs in and shows the empty worklist', async () => {
    await page.goto(h.base);
    await page.getByLabel('Username').fill('dr.rossi');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Username or password is not correct.').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    await page.getByText('No cases yet.').waitFor();
  });

  it('enters the seed’s 22 cm case and sees diagnosis, stage IIIB and the plan as it types', async () => {
    await page.getByRole('link', { name: 'New case' }).click();
    await page.getByLabel('Title').fill('Seed: 22 cm left retroperitoneal mass');
    await page.getByLabel('Age (years)').fill('58');
    await page.getByLabel('Greatest dimension (cm)').fill('22');
    await select('Side', 'left');
    await choose('Macroscopic fat', 'Yes');
    await choose('Solid (non-fatty) component', 'Yes');
    await choose('Specimen', 'Core-needle biopsy');
    await page.getByLabel('Histology (name or ICD-O-3 code)').fill('8858/3');
    await choose('MDM2', 'amplified (FISH)');
    await choose('CDK4', 'amplified (FISH)');
    await choose('Reported grade', 'G3');
    await page.locator('[data-organ="kidney_left"]').click();
    await page.locator('[data-organ="colon_descending"]').click();

    assert.match(await page.getByTestId('fact-diagnosis').innerText(), /Dedifferentiated liposarcoma/);
    assert.equal(await page.getByTestId('fact-stage').innerText(), 'Stage IIIB');
    assert.equal(await page.locator('[data-organ="kidney_left"]').getAttribute('data-plan'), 'resect');
    assert.equal(await page.locator('[data-organ="colon_descending"]').getAttribute('data-plan'), 'resect');
    await page.locator('details[data-section="stage"] > summary').click();
    await page.getByText(/T: T4 — greatest dimension 22 cm/).waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'case-screen-1280x800.png') });
  });

  it('creates the case (version 1)', async () => {
    await page.getByRole('button', { name: 'Create case' }).click();
    // `#/cases/new` itself matches "a case address": wait for the stored case's own id.
    await page.waitForURL(/#\/cases\/(?!new$)[^/?]+$/);
    await page.getByTestId('save-state').getByText('Version 1 · saved').waitFor();
    caseId = decodeURIComponent(page.url().split('#/cases/')[1]!);
    assert.notEqual(caseId, 'new');
  });

  it('marks the spleen on the diagram: the plan adds it and the pre-operative vaccination; saving makes version 2', async () => {
    const spleen = page.locator('[data-organ="spleen"]');
    assert.equal(await spleen.getAttribute('data-plan'), 'none');
    await spleen.focus();
    await page.keyboard.press('Enter');
    assert.equal(await spleen.getAttribute('data-state'), 'contacted');
    assert.equal(await spleen.getAttribute('data-plan'), 'resect');
    await page.locator('details[data-section="resectionPlan"] > summary').click();
    await page.getByText(/vaccination against encapsulated bacteria/).first().waitFor();
    await page.getByTestId('save-state').getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByTestId('save-state').getByText('Version 2 · saved').waitFor();
  });

  it('after a reload the saved case comes back from the server', async () => {
    await page.reload();
    await page.getByTestId('save-state').getByText('Version 2 · saved').waitFor();
    assert.equal(await page.locator('[data-organ="spleen"]').getAttribute('data-state'), 'contacted');
    assert.equal(await page.getByTestId('fact-stage').innerText(), 'Stage IIIB');
    assert.equal(await page.getByLabel('Greatest dimension (cm)').inputValue(), '22');
  });

  it('history lists both versions with who changed what', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    const v2 = page.locator('tr[data-version="2"]');
    await v2.waitFor();
    assert.match(await v2.innerText(), /dr\.rossi/);
    assert.match(await v2.innerText(), /Structures in contact: Left kidney, Descending colon → Left kidney, Descending colon, Spleen/);
    assert.equal(await page.locator('tr[data-version="1"]').count(), 1);
  });

  it('the MDT report has every section, records a decision and prints to PDF', async () => {
    await page.goto(`${h.base}/#/cases/${encodeURIComponent(caseId)}/report`);
    await page.getByRole('heading', { name: 'Seed: 22 cm left retroperitoneal mass' }).waitFor();
    for (const section of ['Patient', 'Findings', 'Diagnosis and differential', 'Red flags and warnings', 'Grade (FNCLCC)', 'Stage (AJCC 8, retroperitoneum)', 'Failure pattern and strategy', 'Resection plan', 'Surveillance calendar', 'Referral', 'Sources']) {
      await page.getByRole('heading', { name: section, exact: true, level: 2 }).waitFor();
    }
    await page.getByRole('heading', { name: 'Board decision', exact: true }).waitFor();
    assert.match(await page.locator('#report-stage').innerText(), /Stage IIIB/);
    assert.match(await page.locator('#report-diagnosis').innerText(), /Dedifferentiated liposarcoma/);
    assert.equal(await page.getByTestId('report-version').innerText(), '2');
    assert.equal(await page.locator('#report-plan [data-organ="spleen"]').getAttribute('data-plan'), 'resect');

    await page.getByLabel('Attendees (comma-separated)').fill('Dr Rossi, Dr Bianchi, Dr Verdi');
    await page.getByLabel('Decision', { exact: true }).fill('En bloc resection with left nephrectomy, left colectomy and splenectomy; vaccinate first.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('#proforma-decision').getByText(/vaccinate first/).first().waitFor();

    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(RESULTS_DIR, 'report-print.png'), fullPage: true });
    const pdfPath = join(RESULTS_DIR, 'mdt-report.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    assert.equal(readFileSync(pdfPath).subarray(0, 5).toString(), '%PDF-');
    assert.ok(statSync(pdfPath).size > 20_000, 'the PDF has content');
  });

  it('the worklist shows the case with its stage, histology and next step, and filters', async () => {
    await page.getByRole('link', { name: 'Cases' }).click();
    const row = page.getByRole('row', { name: /Seed: 22 cm/ });
    await row.waitFor();
    assert.match(await row.innerText(), /IIIB/);
    assert.match(await row.innerText(), /Dedifferentiated liposarcoma/);
    // The next step is the engine's first strategy priority for the case as stored (version 2).
    const stored = await page.request.get(`${h.base}/api/cases/${encodeURIComponent(caseId)}`);
    assert.equal(stored.status(), 200);
    const evaluated = evaluate(((await stored.json()) as { case: unknown }).case);
    assert.ok(evaluated.ok);
    const nextStep = evaluated.value.strategy.priorities[0]?.label;
    assert.ok(nextStep);
    assert.equal(await row.locator('td').nth(3).innerText(), nextStep);
    await page.getByLabel('Search').fill('no such words');
    await page.getByText('No case matches these filters.').waitFor();
  });

  it('margin tools reproduce the seed’s worked values in the browser', async () => {
    await page.getByRole('link', { name: 'Margin tools' }).click();
    assert.equal(await page.getByTestId('pc-satellite').innerText(), '0.72');
    assert.equal(await page.getByTestId('pc-residual').innerText(), '0.76');
    assert.equal(await page.getByTestId('sm-miss').innerText(), '0.67');
    assert.equal(await page.getByTestId('sm-needed').innerText(), '299');
    await page.screenshot({ path: join(RESULTS_DIR, 'margin-tools.png') });
  });

  it('works on a tablet (1024 × 768): diagram and evaluation beside the form, no horizontal scroll', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${h.base}/#/cases/${encodeURIComponent(caseId)}`);
    await page.getByTestId('fact-stage').waitFor();
    assert.ok(await page.locator('[data-organ="kidney_left"]').isVisible());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: join(RESULTS_DIR, 'case-screen-1024x768.png') });
  });

  it('has no serious or critical WCAG 2 A/AA violation on any screen (axe)', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const found: string[] = [];
    await page.goto(`${h.base}/#/cases/${encodeURIComponent(caseId)}`);
    await page.getByTestId('fact-stage').waitFor();
    found.push(...(await seriousAxeViolations('case editor')));
    await page.getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('row', { name: /Seed: 22 cm/ }).waitFor();
    found.push(...(await seriousAxeViolations('worklist')));
    await page.getByRole('link', { name: 'Margin tools' }).click();
    await page.getByTestId('sm-needed').waitFor();
    found.push(...(await seriousAxeViolations('margin tools')));
    await page.goto(`${h.base}/#/cases/${encodeURIComponent(caseId)}/report`);
    await page.locator('#report-stage').waitFor();
    found.push(...(await seriousAxeViolations('report')));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    found.push(...(await seriousAxeViolations('login')));
    assert.deepEqual(found, [], `axe found:\n${found.join('\n')}`);
  });

  it('raised no script error in the browser', () => {
    assert.deepEqual(pageErrors, []);
  });
});
