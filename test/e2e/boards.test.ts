import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { RESULTS_DIR, startHarness, type Harness } from './support.ts';

/**
 * Tumour boards in Chromium against the real server (issue 13 part B): create a meeting, add two
 * cases from the worklist, record attendance, present (keyboard next/previous, Esc), record the
 * decision, the chair signs, the letter PDF downloads and says what was signed.
 */
const PASSWORD = 'correct horse battery staple';
let h: Harness;
let page: Page;
const pageErrors: string[] = [];
/** Every script the page fetched, to check what the first load carries. */
const scripts: string[] = [];

const SEED = {
  patient: { ageYears: 58, sex: 'male', name: 'Ada Rossi' },
  presentation: 'primary',
  tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left', 'colon_descending'] },
  pathology: { histology: '8858/3', specimen: 'core_biopsy', grade: 'G3' },
  board: { question: 'En bloc resection with the left kidney?', referrer: 'Dr Bianchi', referringHospital: 'Spoke General Hospital' },
};

async function seriousAxe(screen: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${screen}: ${v.id} ${JSON.stringify(v.nodes[0]?.target)}`);
}

describe('tumour boards in the browser (Chromium, real server)', { timeout: 300_000 }, () => {
  before(async () => {
    h = await startHarness([{ username: 'dr.chair', password: PASSWORD, role: 'clinician' }], { width: 1440, height: 900 });
    page = await h.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    await page.goto(h.base);
    await page.getByLabel('Username').fill('dr.chair');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    for (const [title, name] of [['Board A', 'Ada Rossi'], ['Board B', 'Ben Moreau']] as const) {
      const r = await page.request.post(`${h.base}/api/cases`, { data: { title, case: { ...SEED, patient: { ...SEED.patient, name } } } });
      assert.equal(r.status(), 201);
    }
  });
  after(async () => h?.close());

  it('the first load carries no board or referral screen; each is fetched when its route opens', async () => {
    const lazyScreens = (list: string[]) => list.map((s) => /\/(MeetingsPage|MeetingPage|PresentationPage|ReferralsPage)-/.exec(s)?.[1]).filter(Boolean);
    assert.ok(scripts.length > 0);
    assert.deepEqual(lazyScreens(scripts), []);
    await page.getByRole('link', { name: 'Meetings' }).click();
    await page.getByRole('heading', { name: 'Tumour-board meetings' }).waitFor();
    assert.deepEqual(lazyScreens(scripts), ['MeetingsPage']);
    await page.getByRole('link', { name: 'Referrals' }).click();
    await page.getByRole('heading', { name: 'Referrals' }).waitFor();
    assert.deepEqual(lazyScreens(scripts), ['MeetingsPage', 'ReferralsPage']);
  });

  it('create a meeting, add two cases from the worklist, record attendance, download the invitation', async () => {
    await page.getByRole('link', { name: 'Meetings' }).click();
    await page.getByRole('heading', { name: 'Tumour-board meetings' }).waitFor();
    await page.getByLabel('Date').fill('2099-12-03');
    await page.getByLabel('Start time').fill('08:00');
    await page.getByLabel('Place', { exact: true }).fill('Seminar room 4');
    await page.getByLabel('Expected attendees').fill('Dr Chair, sarcoma surgeon, chair@hospital.example\nDr Rad, radiologist');
    await page.getByRole('button', { name: 'Create meeting' }).click();
    await page.getByRole('heading', { name: 'Sarcoma MDT' }).waitFor();

    for (const [title, presenter] of [['Board A', 'Dr Bianchi'], ['Board B', 'Dr Rad']] as const) {
      await page.getByLabel('Add a case from the worklist').selectOption({ label: title });
      await page.getByLabel('Presenter').fill(presenter);
      await page.getByRole('button', { name: 'Add to agenda' }).click();
      await page.getByRole('link', { name: title }).waitFor();
    }
    assert.match(await page.getByTestId('agenda-item-1').innerText(), /08:00–08:10[\s\S]*Board A[\s\S]*presented by Dr Bianchi[\s\S]*En bloc resection with the left kidney\?/);
    assert.match(await page.getByTestId('agenda-item-2').innerText(), /08:10–08:20[\s\S]*Board B/);
    await page.getByRole('button', { name: 'Move Board B up' }).click();
    await page.getByText('Agenda reordered.').waitFor();
    assert.match(await page.getByTestId('agenda-item-1').innerText(), /08:00–08:10[\s\S]*Board B/);
    await page.getByRole('button', { name: 'Move Board B down' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="agenda-item-1"]')?.textContent?.includes('Board A'));

    await page.getByRole('checkbox', { name: /Dr Chair/ }).check();
    await page.getByRole('checkbox', { name: /Dr Rad/ }).check();
    await page.getByRole('button', { name: 'Record attendance' }).click();
    await page.getByText('Attendance recorded.').waitFor();

    const [invite] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Invitation (iCalendar)' }).click()]);
    // Unfolded (RFC 5545 §3.1: long content lines continue after CRLF + space).
    const ics = readFileSync((await invite.path())!, 'utf8').replace(/\r\n[ \t]/g, '');
    assert.match(ics, /BEGIN:VEVENT[\s\S]*DTSTART:20991203T080000[\s\S]*END:VEVENT/);
    assert.match(ics, /MAILTO:chair@hospital\.example/);
    assert.deepEqual(await seriousAxe('meeting'), []);
    await page.screenshot({ path: join(RESULTS_DIR, 'board-agenda-1440x900.png'), fullPage: true });
  });

  it('presentation mode: one case per screen, large type, no editing controls; → next, ← previous, Esc leaves', async () => {
    await page.getByRole('link', { name: 'Present' }).click();
    const screen = page.getByTestId('presentation');
    await screen.waitFor();
    await page.getByRole('heading', { name: 'Board A', level: 1 }).waitFor();
    assert.match(await page.getByTestId('present-position').innerText(), /Case 1 of 2 · 08:00–08:10 · presented by Dr Bianchi/);
    const text = await screen.innerText();
    assert.match(text, /En bloc resection with the left kidney\?/);
    assert.match(text, /Retroplan recommends[\s\S]*En bloc resection with contiguous organs/);
    assert.match(text, /Dedifferentiated liposarcoma/);
    assert.equal(await screen.locator('svg.anatomy').count(), 1);
    assert.equal(await screen.locator('button, input, select, textarea, [contenteditable="true"]').count(), 0, 'no editing controls');
    assert.equal(await screen.locator('svg.anatomy [tabindex="0"]').count(), 0, 'the drawing is read-only');
    const size = await page.evaluate(() => Number.parseFloat(getComputedStyle(document.querySelector('.presentation')!).fontSize));
    assert.ok(size >= 22, `large type (${size}px)`);
    assert.deepEqual(await seriousAxe('presentation'), []);
    await page.screenshot({ path: join(RESULTS_DIR, 'board-presentation-1440x900.png') });

    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: 'Board B', level: 1 }).waitFor();
    assert.match(await page.getByTestId('present-position').innerText(), /Case 2 of 2/);
    await page.keyboard.press('ArrowRight');
    assert.match(await page.getByTestId('present-position').innerText(), /Case 2 of 2/, 'no case after the last');
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('heading', { name: 'Board A', level: 1 }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Sarcoma MDT' }).waitFor();
    assert.equal(await page.getByTestId('presentation').count(), 0);
  });

  it('record the decision, the chair signs, the letter PDF downloads with the signed recommendation', async () => {
    const panel = page.getByTestId('decision-1');
    await panel.getByRole('checkbox', { name: /En bloc resection with contiguous organs/ }).check();
    await panel.getByLabel("Decision in the board's words").fill('En bloc resection with the left kidney and descending colon.');
    await panel.getByLabel('Intent').selectOption({ label: 'Curative' });
    await panel.getByLabel('Who acts next and follow-up').fill('Surgery at the hub within 3 weeks.');
    await panel.getByRole('button', { name: 'Record decision' }).click();
    await panel.getByText('Concordant with the Retroplan recommendation').waitFor();
    await panel.getByRole('button', { name: 'Sign as chair' }).click();
    await panel.getByTestId('signed').waitFor();
    assert.match(await panel.getByTestId('signed').innerText(), /Signed by dr\.chair \(chair\)/);
    assert.equal(await panel.getByRole('button', { name: 'Sign as chair' }).count(), 0);

    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Letter to referrer (PDF)' }).click()]);
    assert.equal(download.suggestedFilename(), 'outcome-letter.pdf');
    const pdfPath = join(RESULTS_DIR, 'board-outcome-letter.pdf');
    await download.saveAs(pdfPath);
    const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const expected of ['Sarcoma tumour board — outcome letter', 'Dr Bianchi, Spoke General Hospital', 'Name: Ada Rossi', '1. En bloc resection with contiguous organs', 'Surgery at the hub within 3 weeks.', 'Signed off by dr.chair (chair)', 'Present: Dr Chair, Dr Rad']) {
      assert.ok(text.includes(expected), `letter has "${expected}": ${text}`);
    }
    execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-png', '-r', '80', '-singlefile', pdfPath, join(RESULTS_DIR, 'board-outcome-letter')]);
    assert.deepEqual(await seriousAxe('meeting after sign-off'), []);

    // The quality indicator: one signed decision, concordant.
    await page.getByRole('link', { name: 'Meetings', exact: true }).first().click();
    await page.getByTestId('quality').waitFor();
    assert.equal(await page.getByTestId('quality').innerText(), '100 % concordant (1 of 1 signed decisions); 0 justified and 0 unjustified deviations.');
    assert.deepEqual(await seriousAxe('meetings'), []);
    assert.deepEqual(pageErrors, []);
  });
});
