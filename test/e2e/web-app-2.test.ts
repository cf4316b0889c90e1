import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RESULTS_DIR, startHarness, type Harness } from './support.ts';

/**
 * The second round of the workspace (issue 12) in Chromium against the real
 * server: safety first, a case in a minute, any screen width.
 */
const PASSWORD = 'correct horse battery staple';
let h: Harness;
let page: Page;
const pageErrors: string[] = [];

async function choose(group: string, option: string) {
  await page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name: option, exact: true }).check();
}

async function signIn() {
  await page.goto(h.base);
  await page.getByLabel('Username').fill('dr.verdi');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Worklist' }).waitFor();
}

async function horizontalOverflow(): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('web app II (Chromium, real server)', { timeout: 240_000 }, () => {
  before(async () => {
    h = await startHarness([{ username: 'dr.verdi', password: PASSWORD, role: 'clinician' }], { width: 1440, height: 900 });
    page = await h.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    await signIn();
  });
  after(async () => h?.close());

  it('an empty case stages nothing and says what to enter first; focus starts on the title', async () => {
    await page.getByRole('link', { name: 'New case' }).click();
    await page.getByTestId('evaluation-empty').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'case-title');
    assert.equal(await page.getByTestId('fact-stage').count(), 0);
    assert.match(await page.getByTestId('evaluation-empty').innerText(), /Nothing is staged or recommended yet/);
    assert.doesNotMatch(await page.locator('.evaluation').innerText(), /Refer to a sarcoma centre|TX N0 M0/);
  });

  it('a suspected paraganglioma (hypervascular para-aortic adrenal mass, no pathology): the safety banner comes first', async () => {
    await page.getByLabel('Greatest dimension (cm)').fill('6');
    await page.getByLabel('Side', { exact: true }).selectOption('left');
    await choose('Hypervascular', 'Yes');
    await choose('Solid (non-fatty) component', 'Yes');
    await page.getByLabel('Organ of origin').selectOption('adrenal_left');
    const banner = page.getByTestId('safety-banner');
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, /Safety first/);
    assert.match(text, /metanephrines before any biopsy or surgery/);
    assert.match(text, /lymphoma and germ-cell tumour must be excluded before any resection/);
    assert.doesNotMatch(text, /REFERENCE|SEED|§/);
    // Above every fact card, in reading order and on screen.
    const order = await page.evaluate(() => {
      const b = document.querySelector('[data-testid="safety-banner"]')!;
      const facts = document.querySelector('.key-facts')!;
      return b.compareDocumentPosition(facts) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    assert.ok(order, 'the banner precedes the fact cards');
    const bannerBox = (await banner.boundingBox())!;
    const factsBox = (await page.locator('.key-facts').boundingBox())!;
    assert.ok(bannerBox.y < factsBox.y);
    assert.equal(await banner.getAttribute('aria-live'), null, 'not a live region');
    // The stage rests on no tissue: it is labelled provisional.
    assert.match(await page.locator('.key-facts').innerText(), /Provisional — diagnosis not confirmed by tissue/);
    await page.screenshot({ path: join(RESULTS_DIR, 'safety-banner-paraganglioma-1440x900.png') });
  });
});

describe('first run in the browser (empty database)', { timeout: 120_000 }, () => {
  let fresh: Harness;
  let p: Page;
  const errors: string[] = [];
  before(async () => {
    fresh = await startHarness([], { width: 1440, height: 900 });
    p = await fresh.context.newPage();
    p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  });
  after(async () => fresh?.close());

  it('the one-time setup link creates the first administrator, then shows the empty worklist with a first step; the link is then spent', async () => {
    const { setupPath } = await import('../../src/server/routes/setup.ts');
    const path = await setupPath(fresh.app);
    assert.ok(path, 'a setup link exists while no user does');
    await p.goto(`${fresh.base}${path}`);
    await p.getByRole('heading', { name: 'Create the first administrator' }).waitFor();
    assert.match(await p.locator('#setup-policy').innerText(), /At least 12 characters/);
    await p.getByLabel('Username').fill('chief');
    await p.getByLabel('Password', { exact: true }).fill('short');
    await p.getByLabel('Repeat the password').fill('short');
    await p.getByRole('button', { name: /Create administrator/ }).click();
    await p.getByText(/Password: must be at least 12 characters/).waitFor();
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'setup-password');
    await p.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await p.getByLabel('Repeat the password').fill(PASSWORD);
    await p.getByRole('button', { name: /Create administrator/ }).click();
    await p.getByRole('heading', { name: 'Worklist' }).waitFor();
    await p.getByText(/No cases yet\. First step:/).waitFor();
    assert.equal(await setupPath(fresh.app), null, 'the link is spent');
    const again = await p.request.post(`${fresh.base}/api/setup`, { data: { token: path.split('/').pop(), username: 'mallory', password: PASSWORD } });
    assert.equal(again.status(), 409);
    const audit = await fresh.app.repo.listAudit({ action: 'setup.first-admin', limit: 10 });
    assert.ok(audit.some((a) => a.outcome === 'success' && a.actor === 'chief'));
    assert.deepEqual(errors.filter((e) => /401/.test(e)), [], 'no 401 on load');
  });
});
