import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
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

/** How far the page, or any scrolling region in it, is wider than its box (0 = no horizontal scroll anywhere). */
async function horizontalOverflow(): Promise<number> {
  return page.evaluate(() => {
    const doc = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    const regions = [...document.querySelectorAll<HTMLElement>('main, .col, .col-side, .page')].map((el) => (getComputedStyle(el).overflowX === 'hidden' ? 0 : el.scrollWidth - el.clientWidth));
    return Math.max(doc, ...regions, 0);
  });
}

async function seriousAxe(screen: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${screen}: ${v.id} ${JSON.stringify(v.nodes[0]?.target)}`);
}

let caseId = '';

describe('web app II (Chromium, real server)', { timeout: 240_000 }, () => {
  before(async () => {
    h = await startHarness([{ username: 'dr.verdi', password: PASSWORD, role: 'admin' }], { width: 1440, height: 900 });
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

  it('the anatomy drawing: a click at the visible centre of every structure changes that structure, and only it', async () => {
    await page.setViewportSize({ width: 1440, height: 1400 });
    await page.goto(`${h.base}/#/cases/new`);
    const svg = page.locator('.col-anatomy svg.anatomy');
    await svg.scrollIntoViewIfNeeded();
    const ids = await svg.locator('path.organ').evaluateAll((els) => els.map((e) => e.getAttribute('data-organ')!));
    assert.equal(ids.length, 49);
    // Where each structure can be seen: sample its box, keep the points where it is the topmost element.
    // Points are kept relative to the drawing, so a page that reflows while the evaluation updates does not move the targets.
    const targets = await page.evaluate((list) => {
      const out: Record<string, [number, number] | null> = {};
      const frame = document.querySelector('.col-anatomy svg.anatomy')!.getBoundingClientRect();
      for (const id of list) {
        const el = document.querySelector(`.col-anatomy path.organ[data-organ="${id}"]`)!;
        const r = el.getBoundingClientRect();
        const pts: [number, number][] = [];
        for (let i = 0; i <= 16; i++)
          for (let j = 0; j <= 16; j++) {
            const x = r.left + (r.width * i) / 16;
            const y = r.top + (r.height * j) / 16;
            if (document.elementFromPoint(x, y)?.getAttribute('data-organ') === id) pts.push([x, y]);
          }
        if (pts.length === 0) {
          out[id] = null;
          continue;
        }
        const cx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
        const cy = pts.reduce((a, p) => a + p[1], 0) / pts.length;
        const best = pts.reduce((b, p) => (Math.hypot(p[0] - cx, p[1] - cy) < Math.hypot(b[0] - cx, b[1] - cy) ? p : b));
        out[id] = [best[0] - frame.left, best[1] - frame.top];
      }
      return out;
    }, ids);
    const hidden = ids.filter((id) => !targets[id]);
    assert.deepEqual(hidden, [], 'every structure has a visible, clickable area');
    const wrong: string[] = [];
    // The drawing must not move between two clicks (the template bar used to vanish on the first edit and shift the page).
    const start = (await svg.boundingBox())!;
    const moved = new Set<string>();
    const clickOn = async (id: string) => {
      const frame = (await svg.boundingBox())!;
      if (Math.abs(frame.y - start.y) > 0.5 || Math.abs(frame.x - start.x) > 0.5) moved.add(`before clicking ${id}: drawing at ${frame.x},${frame.y} instead of ${start.x},${start.y}`);
      await page.mouse.click(frame.x + targets[id]![0], frame.y + targets[id]![1]);
    };
    for (const id of ids) {
      await clickOn(id);
      const changed = await svg.locator('path.organ[data-state="contacted"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-organ')));
      if (changed.length !== 1 || changed[0] !== id) wrong.push(`${id} → ${changed.join(',')}`);
      await clickOn(id);
      await clickOn(id);
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual([...moved].slice(0, 3), []);
    // One tab stop for the drawing; arrow keys move inside it.
    assert.equal(await svg.locator('.organ[tabindex="0"]').count(), 1);
    await svg.locator('.organ[tabindex="0"]').focus();
    const first = await page.evaluate(() => document.activeElement?.getAttribute('data-organ'));
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-organ'));
    assert.ok(first && second && first !== second);
    await page.keyboard.press('Enter');
    assert.equal(await svg.locator(`[data-organ="${second}"].organ`).getAttribute('data-state'), 'contacted');
    // The tumour is drawn at its side and the organ of origin marked.
    await page.getByLabel('Side', { exact: true }).selectOption('left');
    await page.getByLabel('Greatest dimension (cm)').fill('22');
    await page.getByLabel('Organ of origin').selectOption('adrenal_left');
    const tumour = (await svg.locator('[data-testid="tumour"] circle').boundingBox())!;
    const box = (await svg.boundingBox())!;
    assert.ok(tumour.x + tumour.width / 2 > box.x + box.width / 2, 'a left tumour is drawn on the viewer’s right');
    await svg.locator('[data-origin="adrenal_left"]').waitFor();
    // The engine's compartment of the tumour (origin in the left adrenal → left perirenal space) is outlined on its side and named.
    const zone = svg.locator('[data-testid="tumour-compartment"]');
    await zone.waitFor();
    assert.equal(await zone.getAttribute('data-compartment'), 'perirenal');
    assert.equal(await zone.getAttribute('data-side'), 'left');
    const zoneBox = (await zone.boundingBox())!;
    assert.ok(zoneBox.x > box.x + box.width / 2 - 20, 'the left perirenal space is outlined on the viewer’s right');
    assert.match(await page.getByTestId('tumour-compartment-text').innerText(), /Tumour compartment: Left perirenal space/);
    // The legend names the three fascial spaces.
    const spaces = await page.getByRole('list', { name: 'Spaces on the drawing' }).innerText();
    for (const space of [/Anterior pararenal space/, /Perirenal space \(within the renal fascia\)/, /Posterior pararenal space/, /Great vessels/, /Pelvis/]) assert.match(spaces, space);
    await svg.screenshot({ path: join(RESULTS_DIR, 'anatomy-drawing-1440.png') });
    await page.locator('.anatomy-panel').screenshot({ path: join(RESULTS_DIR, 'anatomy-panel-1440.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await svg.scrollIntoViewIfNeeded();
    const phone = (await svg.boundingBox())!;
    assert.ok(phone.x >= 0 && phone.x + phone.width <= 390, 'the drawing fits a 390-px screen');
    await page.locator('.anatomy-panel').screenshot({ path: join(RESULTS_DIR, 'anatomy-panel-390.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('enters the seed’s 22 cm case in at most 15 interactions (template, segmented answers, typeahead, diagram)', async () => {
    await page.goto(`${h.base}/#/cases`);
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    let interactions = 0;
    const act = async (step: () => Promise<unknown>) => {
      interactions++;
      await step();
    };
    await act(() => page.getByRole('link', { name: 'New case', exact: true }).click());
    await act(() => page.getByRole('button', { name: 'Left retroperitoneal fatty mass' }).click());
    await act(() => page.getByLabel('Title').fill('Seed: 22 cm left retroperitoneal mass'));
    await act(() => page.getByLabel('Age (years)').fill('58'));
    await act(() => page.getByLabel('Sex').selectOption('male'));
    await act(() => page.getByLabel('Greatest dimension (cm)').fill('22'));
    await act(() => choose('Solid (non-fatty) component', 'Yes'));
    await act(() => choose('Specimen', 'Core-needle biopsy'));
    await act(() => page.getByLabel('Histology (name or ICD-O-3 code)').fill('8858/3'));
    await act(() => choose('MDM2', 'amplified (FISH)'));
    await act(() => choose('CDK4', 'amplified (FISH)'));
    await act(() => choose('Reported grade', 'G3'));
    await act(() => page.locator('[data-organ="kidney_left"]').click());
    await act(() => page.locator('[data-organ="colon_descending"]').click());
    assert.equal(await page.getByTestId('fact-stage').innerText(), 'Stage IIIB');
    await act(() => page.getByRole('button', { name: 'Create case' }).click());
    await page.getByTestId('save-state').getByText('Version 1 · saved').waitFor();
    assert.ok(interactions <= 15, `${interactions} interactions`);
    caseId = decodeURIComponent(page.url().split('#/cases/')[1]!);
    const stored = (await (await page.request.get(`${h.base}/api/cases/${encodeURIComponent(caseId)}`)).json()) as { case: Record<string, unknown> };
    const c = stored.case as { tumor: { sizeCm: number; side: string; imaging: Record<string, unknown>; contacts: string[] }; pathology: Record<string, unknown>; patient: Record<string, unknown> };
    // The seed chapter's patient (examples/seed-22cm-ddlps.json), as entered.
    assert.deepEqual([c.tumor.sizeCm, c.tumor.side, c.tumor.imaging.macroscopicFat, c.tumor.imaging.solidComponent], [22, 'left', true, true]);
    assert.deepEqual([...c.tumor.contacts].sort(), ['colon_descending', 'kidney_left']);
    assert.deepEqual([c.pathology.histology, c.pathology.specimen, c.pathology.grade], ['8858/3', 'core_biopsy', 'G3']);
    assert.deepEqual(c.pathology.markers, { MDM2: 'amplified', CDK4: 'amplified' });
    assert.deepEqual(c.patient, { ageYears: 58, sex: 'male' });
  });

  it('page 1 of the printed MDT report is the board proforma (PDF text), with page numbers and the case version in the footer', async () => {
    // The board fields of case model v2, entered through the form.
    await page.getByLabel('Patient name').fill('Mario Esempio');
    await page.getByLabel('Hospital number (MRN)').fill('H-204518');
    await page.getByLabel('Date of birth').fill('1967-05-14');
    await page.getByLabel('Performance status (ECOG)').selectOption('1');
    await page.getByLabel('Comorbidities').fill('Type 2 diabetes');
    await page.getByLabel('Referrer').fill('Dr Neri');
    await page.getByLabel('Referring hospital').fill('Ospedale Civile');
    await page.getByLabel('Question to the board').fill('Upfront en bloc resection or neoadjuvant chemotherapy?');
    await page.getByLabel('Imaging date').fill('2026-02-10');
    await page.getByLabel('Imaging modality').selectOption('CT');
    await page.getByRole('button', { name: 'Save version' }).click();
    await page.getByTestId('save-state').getByText('Version 2 · saved').waitFor();
    await page.getByRole('link', { name: 'MDT report' }).click();
    await page.getByTestId('proforma').waitFor();
    await page.getByLabel('Attendees (comma-separated)').fill('Dr Verdi, Dr Neri, Dr Blu');
    await page.getByLabel('Decision', { exact: true }).fill('En bloc resection with left nephrectomy and left colectomy.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('#proforma-decision').getByText(/left colectomy/).waitFor();
    await page.emulateMedia({ media: 'print' });
    const pdfPath = join(RESULTS_DIR, 'mdt-report-2.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await page.emulateMedia({ media: 'screen' });
    const page1 = execFileSync('pdftotext', ['-f', '1', '-l', '1', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const expected of ['Mario Esempio', '14 May 1967', 'H-204518', 'Dr Neri', 'Ospedale Civile', 'ECOG 1', 'Type 2 diabetes', 'CT, 10 Feb 2026', 'Upfront en bloc resection or neoadjuvant chemotherapy?', 'Dedifferentiated liposarcoma', 'pathologist', 'Stage IIIB', 'En bloc resection with contiguous organs', 'left colectomy', 'Dr Verdi, Dr Neri, Dr Blu', 'Chair sign-off', 'Page 1 of', 'Case version 2']) {
      assert.ok(page1.includes(expected), `page 1 lacks “${expected}”:\n${page1}`);
    }
    assert.doesNotMatch(page1, /core_biopsy|kidney_left|null|esmo-schedule|en-bloc-resection|SEED|REFERENCE/);
    execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-png', '-r', '80', '-singlefile', pdfPath, join(RESULTS_DIR, 'mdt-report-page1')]);
  });

  it('every screen works at 390, 768 and 1440 px: no horizontal scroll, actions reachable; axe 0 serious/critical; screenshots', async () => {
    const screens: [string, string][] = [
      ['worklist', '#/cases'],
      ['case', `#/cases/${encodeURIComponent(caseId)}`],
      ['report', `#/cases/${encodeURIComponent(caseId)}/report`],
      ['history', `#/cases/${encodeURIComponent(caseId)}/history`],
      ['tools', '#/tools'],
      ['audit', '#/audit'],
    ];
    const problems: string[] = [];
    for (const [width, height] of [[390, 844], [768, 1024], [1440, 900]] as const) {
      await page.setViewportSize({ width, height });
      for (const [name, hash] of screens) {
        await page.goto(`${h.base}/${hash}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForTimeout(150);
        const overflow = await horizontalOverflow();
        if (overflow > 0) problems.push(`${name} at ${width}px scrolls sideways by ${overflow}px`);
        if (name === 'case') {
          for (const label of ['History', 'MDT report']) {
            const box = await page.getByRole('link', { name: label, exact: true }).boundingBox();
            if (!box || box.x < 0 || box.x + box.width > width || box.y + box.height > height) problems.push(`${label} off-screen at ${width}px`);
          }
        }
        if (name === 'tools') {
          // No control (the teaching-example buttons, the number boxes) lies over a chart and its axis titles.
          const overlaps = await page.evaluate(() => {
            const charts = [...document.querySelectorAll('svg.chart')].map((c) => c.getBoundingClientRect());
            const controls = [...document.querySelectorAll('.tools-page button, .tools-page input')].map((e) => [e.textContent || e.getAttribute('aria-label') || e.id, e.getBoundingClientRect()] as const);
            return controls.filter(([, b]) => charts.some((c) => b.left < c.right && c.left < b.right && b.top < c.bottom && c.top < b.bottom)).map(([n]) => n);
          });
          if (overlaps.length) problems.push(`tools at ${width}px: ${overlaps.join(', ')} over a chart`);
        }
        if (width === 390 || width === 1440) await page.screenshot({ path: join(RESULTS_DIR, `${name}-${width}x${height}.png`) });
        if (width === 1440) problems.push(...(await seriousAxe(name)));
      }
    }
    assert.deepEqual(problems, []);
  });

  it('imports a FHIR bundle file from the worklist and opens the new case', async () => {
    await page.goto(`${h.base}/#/cases`);
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    await page.locator('input[type="file"]').setInputFiles(join(import.meta.dirname, '..', 'fixtures', 'fhir', 'rps-ddlps-bundle.json'));
    await page.waitForURL(/#\/cases\/(?!new)[^/]+$/);
    await page.getByTestId('fact-diagnosis').waitFor();
    assert.match(await page.getByTestId('fact-diagnosis').innerText(), /liposarcoma/i);
  });

  it('raised no script error and no console error', () => {
    assert.deepEqual(pageErrors, []);
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
