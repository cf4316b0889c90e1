/**
 * The whole network path in Chromium (issue 13, "done when"): a spoke clinician refers a case to
 * the hub; the hub's chair creates the meeting; the hub's coordinator accepts the referral and
 * schedules it on that meeting; the chair records attendance, presents the case, records the
 * decision and signs it; the outcome letter is generated; the spoke clinician sees the decision
 * and the letter on its referral. Everything through the UI; only the organisations, the users and
 * the spoke's case are seeded before.
 *
 * Run twice: (a) one server on SQLite; (b) two server instances on one PostgreSQL database — the
 * spoke's users on instance A, the hub's on instance B — so every hand-over between the two sides
 * goes through the database, not one process's memory. Each user has a browser context of their
 * own (cookies are per host, not per port).
 *
 * Expected texts are written by hand: the strategy vocabulary's name for en bloc resection ("En
 * bloc resection with contiguous organs", the engine's first recommendation for the seed
 * chapter's 22 cm G3 dedifferentiated liposarcoma, REFERENCE.md §4) and the summary line the
 * referral carries (boards/referral-summary.ts's wording for this decision).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import type { DatabaseConfig } from '../../src/store/index.ts';
import { freshPostgres, type TestDatabase } from '../support/databases.ts';
import { CHROMIUM, CHROMIUM_ARGS, RESULTS_DIR, ensureWebBuild, signIn } from './support.ts';

const PASSWORD = 'correct horse battery staple';
const CASE_TITLE = 'Mr F, 22 cm left RPS';
const SPOKE_CASE = {
  patient: { ageYears: 58, sex: 'male', name: 'Bruno Ferri' },
  presentation: 'primary',
  tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left', 'colon_descending'] },
  pathology: { histology: '8858/3', specimen: 'core_biopsy', grade: 'G3' },
  board: { question: 'Is an en bloc resection with the left kidney feasible?', referrer: 'Dr Verdi', referringHospital: 'Spoke B Hospital' },
};
const REFERRAL_QUESTION = 'Resectable en bloc with the left kidney? Is neoadjuvant treatment indicated?';
const DECISION_TEXT = 'En bloc resection with the left kidney and descending colon.';
const NEXT_STEPS = 'Surgery at the hub within 3 weeks; the spoke arranges pre-operative CT.';
const SUMMARY = `Recommendation: 1. En bloc resection with contiguous organs. Intent: Curative. In the board's words: ${DECISION_TEXT}`;
const MEETING_TITLE = 'Hub A sarcoma MDT';

/** A week from today (UTC): the meeting must be upcoming to be offered for scheduling. */
const MEETING_DATE = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

interface Instance {
  readonly app: FastifyInstance;
  readonly base: string;
}

async function startInstance(database: DatabaseConfig, webRoot: string): Promise<Instance> {
  // Low scrypt cost keeps the test fast; the hash records its own parameters.
  const app = await createServer({ database, logger: false, scryptCost: 12, webRoot });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** Organisations, users with their memberships and the spoke's case: the only things not done in the UI. */
async function seed(app: FastifyInstance): Promise<string> {
  const repo = app.repo;
  const now = new Date().toISOString();
  await repo.organisations.createOrganisation({ id: 'hub-a', name: 'Hub A Sarcoma Centre', kind: 'hub' }, now);
  await repo.organisations.createOrganisation({ id: 'spoke-b', name: 'Spoke B Hospital', kind: 'spoke' }, now);
  const hash = await hashPassword(PASSWORD, 12);
  const member = async (username: string, organisationId: string, role: 'clinician' | 'coordinator' | 'chair') => {
    const user = await repo.createUser({ username, role: 'clinician', passwordHash: hash, organisationId }, now);
    await repo.organisations.setMembership(user.id, organisationId, role, now);
    return user.id;
  };
  const spoke = await member('spoke.clinician', 'spoke-b', 'clinician');
  await member('hub.coordinator', 'hub-a', 'coordinator');
  await member('hub.chair', 'hub-a', 'chair');
  const created = await repo
    .scoped({ userId: spoke, organisationIds: ['spoke-b'], network: false })
    .createCase({ title: CASE_TITLE, status: 'workup', case: SPOKE_CASE, organisationId: 'spoke-b' }, 'spoke.clinician', now);
  assert.ok(created.ok);
  return created.value.id;
}

function pdfText(path: string): string {
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

const VARIANTS = [
  { name: 'sqlite', title: 'one server on SQLite' },
  { name: 'postgres', title: 'two server instances on one PostgreSQL database' },
] as const;

for (const variant of VARIANTS) {
  describe(`the network path in the browser: ${variant.title}`, { timeout: 300_000 }, () => {
    let dir: string;
    let pgDb: TestDatabase | undefined;
    let instances: Instance[] = [];
    /** The spoke's users sign in here (instance A)… */
    let spokeBase: string;
    /** …the hub's here (instance B; the same server on SQLite). */
    let hubBase: string;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const pages: Record<'spoke' | 'coordinator' | 'chair', Page> = {} as Record<'spoke' | 'coordinator' | 'chair', Page>;
    const pageErrors: string[] = [];
    let caseId: string;
    let meetingId: string;
    const shot = (what: string) => join(RESULTS_DIR, `network-path-${variant.name}-${what}`);
    let started = 0;

    async function seriousAxe(page: Page, screen: string): Promise<string[]> {
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${screen}: ${v.id} ${JSON.stringify(v.nodes[0]?.target)}`);
    }

    before(async () => {
      started = Date.now();
      const webRoot = ensureWebBuild();
      mkdirSync(RESULTS_DIR, { recursive: true });
      dir = mkdtempSync(join(tmpdir(), 'retroplan-network-'));
      if (variant.name === 'sqlite') {
        const only = await startInstance({ kind: 'sqlite', path: join(dir, 'e2e.sqlite') }, webRoot);
        instances = [only];
      } else {
        pgDb = await freshPostgres();
        // One after the other: the first applies the migrations, the second finds them applied.
        const a = await startInstance(pgDb.config, webRoot);
        const b = await startInstance(pgDb.config, webRoot);
        instances = [a, b];
      }
      spokeBase = instances[0]!.base;
      hubBase = instances.at(-1)!.base;
      assert.equal(spokeBase === hubBase, variant.name === 'sqlite', 'on PostgreSQL the two sides use different instances');
      caseId = await seed(instances[0]!.app);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      for (const who of ['spoke', 'coordinator', 'chair'] as const) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(30_000);
        page.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
        page.on('console', (m) => m.type() === 'error' && pageErrors.push(`${who}: ${m.text()}`));
        pages[who] = page;
      }
      await signIn(pages.spoke, spokeBase, 'spoke.clinician', PASSWORD);
      await signIn(pages.coordinator, hubBase, 'hub.coordinator', PASSWORD);
      await signIn(pages.chair, hubBase, 'hub.chair', PASSWORD);
    });

    after(async () => {
      for (const c of contexts) await c.close();
      await browser?.close();
      for (const i of instances) await i.app.close();
      await pgDb?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
      console.log(`# network path (${variant.name}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    it('the spoke clinician refers its case to the hub with a question and urgency', async () => {
      const page = pages.spoke;
      await page.goto(`${spokeBase}/#/cases/${caseId}`);
      await page.getByRole('link', { name: 'Refer this case' }).click();
      const form = page.getByRole('form', { name: 'Refer this case' });
      await form.getByLabel('Sarcoma centre (hub)').selectOption('hub-a');
      await form.getByLabel('Question for the board').fill(REFERRAL_QUESTION);
      await form.getByLabel('Urgency').selectOption('urgent');
      await form.getByRole('button', { name: 'Send referral' }).click();
      const row = page.locator('li[data-referral]');
      await row.getByText('outgoing to Hub A Sarcoma Centre').waitFor();
      assert.equal(await row.getByTestId('referral-status').textContent(), 'Sent — awaiting triage');
      assert.match(await row.innerText(), /Urgent/);
    });

    it("the hub's chair creates the meeting; the coordinator accepts the referral and schedules it on that meeting", async () => {
      const chair = pages.chair;
      await chair.getByRole('link', { name: 'Meetings' }).click();
      await chair.getByRole('heading', { name: 'Tumour-board meetings' }).waitFor();
      await chair.getByLabel('Title').fill(MEETING_TITLE);
      await chair.getByLabel('Date').fill(MEETING_DATE);
      await chair.getByLabel('Start time').fill('08:00');
      await chair.getByLabel('Place', { exact: true }).fill('Seminar room 4');
      await chair.getByLabel('Expected attendees').fill('Dr Chair, sarcoma surgeon\nDr Rad, radiologist');
      await chair.getByRole('button', { name: 'Create meeting' }).click();
      await chair.getByRole('heading', { name: MEETING_TITLE }).waitFor();
      meetingId = /#\/meetings\/([^/]+)$/.exec(chair.url())![1]!;

      const page = pages.coordinator;
      await page.getByRole('link', { name: 'Referrals' }).click();
      const row = page.locator('li[data-referral]');
      await row.getByText('incoming from Spoke B Hospital').waitFor();
      assert.match(await row.innerText(), new RegExp(`Question for the board: ${REFERRAL_QUESTION.replace(/[?]/g, '\\?')}`));
      await row.getByRole('button', { name: 'Accept' }).click();
      await row.locator('[data-testid="referral-status"]', { hasText: 'Accepted' }).waitFor();
      await row.getByLabel('Meeting').selectOption({ label: `${MEETING_TITLE}, ${formatDay(MEETING_DATE)} 08:00` });
      await row.getByRole('button', { name: 'Schedule on this meeting' }).click();
      await row.locator('[data-testid="referral-status"]', { hasText: 'Scheduled for a meeting' }).waitFor();
    });

    it("the agenda shows the referred case; presentation mode shows its question and the engine's recommendation", async () => {
      const page = pages.chair;
      await page.getByRole('link', { name: 'Meetings', exact: true }).first().click();
      await page.getByRole('link', { name: MEETING_TITLE }).click();
      await page.getByRole('link', { name: CASE_TITLE }).waitFor();
      assert.ok(page.url().endsWith(`#/meetings/${meetingId}`));
      assert.match(await page.getByTestId('agenda-item-1').innerText(), /08:00–08:10[\s\S]*Mr F, 22 cm left RPS[\s\S]*Is an en bloc resection with the left kidney feasible\?/);
      await page.getByRole('checkbox', { name: /Dr Chair/ }).check();
      await page.getByRole('checkbox', { name: /Dr Rad/ }).check();
      await page.getByRole('button', { name: 'Record attendance' }).click();
      await page.getByText('Attendance recorded.').waitFor();
      // The attendance form scrolled the page: the agenda screenshot starts at the meeting's heading.
      await page.getByRole('heading', { name: MEETING_TITLE }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: shot('agenda.png') });

      await page.getByRole('link', { name: 'Present' }).click();
      const screen = page.getByTestId('presentation');
      await page.getByRole('heading', { name: CASE_TITLE, level: 1 }).waitFor();
      assert.match(await page.getByTestId('present-position').innerText(), /Case 1 of 1 · 08:00–08:10/);
      const text = await screen.innerText();
      assert.match(text, /Is an en bloc resection with the left kidney feasible\?/);
      assert.match(text, /Retroplan recommends[\s\S]*En bloc resection with contiguous organs/);
      assert.match(text, /Dedifferentiated liposarcoma/);
      assert.equal(await screen.locator('button, input, select, textarea').count(), 0, 'no editing controls');
      await page.screenshot({ path: shot('presentation.png') });
      await page.keyboard.press('Escape');
      await page.getByRole('heading', { name: MEETING_TITLE }).waitFor();
    });

    it('the chair records and signs the decision; the outcome letter states it for this patient', async () => {
      const page = pages.chair;
      const panel = page.getByTestId('decision-1');
      await panel.getByRole('checkbox', { name: /En bloc resection with contiguous organs/ }).check();
      await panel.getByLabel("Decision in the board's words").fill(DECISION_TEXT);
      await panel.getByLabel('Intent').selectOption({ label: 'Curative' });
      await panel.getByLabel('Who acts next and follow-up').fill(NEXT_STEPS);
      await panel.getByRole('button', { name: 'Record decision' }).click();
      await panel.getByText('Concordant with the Retroplan recommendation').waitFor();
      await panel.getByRole('button', { name: 'Sign as chair' }).click();
      await panel.getByTestId('signed').waitFor();
      assert.match(await panel.getByTestId('signed').innerText(), /Signed by hub\.chair \(chair\)/);

      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: 'Letter to referrer (PDF)' }).click()]);
      const pdfPath = shot('letter.pdf');
      await download.saveAs(pdfPath);
      const text = pdfText(pdfPath);
      for (const expected of [
        'Sarcoma tumour board — outcome letter',
        'Dr Verdi, Spoke B Hospital',
        'Name: Bruno Ferri',
        'Is an en bloc resection with the left kidney feasible?',
        `${MEETING_TITLE}, `,
        'Present: Dr Chair, Dr Rad',
        '1. En bloc resection with contiguous organs',
        `In the board's words: ${DECISION_TEXT}`,
        'Intent of treatment Curative',
        NEXT_STEPS,
        'Signed off by hub.chair (chair)',
        `${CASE_TITLE} · case version 1`,
      ]) {
        assert.ok(text.includes(expected), `letter has "${expected}": ${text}`);
      }
      execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-png', '-r', '60', '-singlefile', pdfPath, shot('letter')]);
    });

    it('the spoke clinician (instance A) sees the referral decided, the decision and the letter; axe finds nothing serious', async () => {
      const page = pages.spoke;
      // The spoke's page was left on its referral list (after sending): the user reloads it.
      assert.ok(page.url().endsWith('#/referrals'));
      await page.reload();
      const row = page.locator('li[data-referral]');
      await row.locator('[data-testid="referral-status"]', { hasText: 'Decision returned' }).waitFor();
      assert.equal(await row.getByTestId('referral-decision').textContent(), SUMMARY);
      await row.getByRole('button', { name: 'Timeline' }).click();
      const timeline = page.getByRole('list', { name: 'Timeline' });
      await timeline.getByText(/Decision returned by hub\.chair/).waitFor();
      assert.deepEqual(
        (await timeline.locator('li').allInnerTexts()).map((t) => t.replace(/^.* — /, '').replace(/:.*$/, '')),
        ['Referred by spoke.clinician', 'Accepted by hub.coordinator', 'Scheduled by hub.coordinator', 'Decision returned by hub.chair'],
      );
      await page.screenshot({ path: shot('referral-decided.png'), fullPage: true });
      assert.deepEqual(await seriousAxe(page, 'referral with its decision'), []);

      const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'Outcome letter (PDF)' }).click()]);
      const path = join(dir, 'spoke-letter.pdf');
      await download.saveAs(path);
      const text = pdfText(path);
      for (const expected of ['Name: Bruno Ferri', `In the board's words: ${DECISION_TEXT}`, 'Signed off by hub.chair (chair)']) assert.ok(text.includes(expected), `the spoke's letter has "${expected}"`);
      const [summary] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: 'Patient summary (PDF)' }).click()]);
      const summaryPath = join(dir, 'spoke-summary.pdf');
      await summary.saveAs(summaryPath);
      assert.ok(pdfText(summaryPath).includes('For Bruno Ferri.'));
      assert.deepEqual(pageErrors, []);
    });
  });
}

/** The meeting's date as the web app's vocabulary writes it (formatDate: "3 Dec 2099"). */
function formatDay(iso: string): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${months[m! - 1]} ${y}`;
}
