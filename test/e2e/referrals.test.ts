/**
 * The referral in the browser (issue 13): a spoke clinician refers a case from its case page, a
 * hub coordinator accepts it on the Referrals page, and the spoke sees the new status and the
 * timeline. Real server (SQLite), real built web app, Chromium.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { signIn, startHarness, type Harness } from './support.ts';

const PASSWORD = 'correct horse battery staple';
const SEED_CASE = {
  patient: { ageYears: 58, sex: 'male' },
  presentation: 'primary',
  tumor: { sizeCm: 22, side: 'left', imaging: { macroscopicFat: true, solidComponent: true }, contacts: ['kidney_left', 'colon_descending'] },
  pathology: { histology: '8858/3', specimen: 'core_biopsy', grade: 'G3' },
};

describe('referrals in the browser: spoke refers → hub accepts → spoke sees the status', { timeout: 300_000 }, () => {
  let h: Harness;
  let page: Page;
  let caseId: string;
  const pageErrors: string[] = [];

  before(async () => {
    h = await startHarness([]);
    const repo = h.app.repo;
    const now = new Date().toISOString();
    await repo.organisations.createOrganisation({ id: 'hub-a', name: 'Hub A Sarcoma Centre', kind: 'hub' }, now);
    await repo.organisations.createOrganisation({ id: 'spoke-b', name: 'Spoke B Hospital', kind: 'spoke' }, now);
    const hash = await hashPassword(PASSWORD, 12);
    const spoke = await repo.createUser({ username: 'spoke.clinician', role: 'clinician', passwordHash: hash, organisationId: 'spoke-b' }, now);
    const hub = await repo.createUser({ username: 'hub.coordinator', role: 'clinician', passwordHash: hash, organisationId: 'hub-a' }, now);
    await repo.organisations.setMembership(hub.id, 'hub-a', 'coordinator', now);
    const created = await repo.scoped({ userId: spoke.id, organisationIds: ['spoke-b'], network: false }).createCase({ title: 'Mr B, 22 cm left RPS', status: 'workup', case: SEED_CASE, organisationId: 'spoke-b' }, 'spoke.clinician', now);
    assert.ok(created.ok);
    caseId = created.value.id;
    page = await h.context.newPage();
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => h?.close());

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor();
  }

  it('the whole path, each side in its own session', async () => {
    await signIn(page, h.base, 'spoke.clinician', PASSWORD);
    await page.goto(`${h.base}/#/cases/${caseId}`);
    await page.getByRole('link', { name: 'Refer this case' }).click();
    const form = page.getByRole('form', { name: 'Refer this case' });
    await form.getByLabel('Sarcoma centre (hub)').selectOption('hub-a');
    await form.getByLabel('Question for the board').fill('Resectable en bloc with the left kidney?');
    await form.getByLabel('Urgency').selectOption('urgent');
    await form.getByLabel('Imaging report reference').fill('CT-2026-0042');
    await form.getByRole('button', { name: 'Send referral' }).click();
    const row = page.locator('li[data-referral]');
    await row.getByText('outgoing to Hub A Sarcoma Centre').waitFor();
    assert.equal(await row.getByTestId('referral-status').textContent(), 'Sent — awaiting triage');
    await signOut();

    await signIn(page, h.base, 'hub.coordinator', PASSWORD);
    await page.getByRole('link', { name: 'Referrals' }).click();
    await page.locator('li[data-referral]').getByText('incoming from Spoke B Hospital').waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.locator('li[data-referral] [data-testid="referral-status"]', { hasText: 'Accepted' }).waitFor();
    await signOut();

    await signIn(page, h.base, 'spoke.clinician', PASSWORD);
    await page.getByRole('link', { name: 'Referrals' }).click();
    await page.locator('li[data-referral] [data-testid="referral-status"]', { hasText: 'Accepted' }).waitFor();
    await page.getByRole('button', { name: 'Timeline' }).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Accepted by hub.coordinator').waitFor();
    assert.equal(await timeline.locator('li').count(), 2);
    assert.deepEqual(pageErrors, []);
  });
});
