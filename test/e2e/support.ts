import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { REPO_ROOT } from '../support/cli.ts';

export const RESULTS_DIR = join(REPO_ROOT, 'test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The built web app the server serves; built here when a run starts without it. */
export function ensureWebBuild(): string {
  const dist = join(REPO_ROOT, 'web', 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('web build failed');
  }
  return dist;
}

export interface Harness {
  readonly base: string;
  readonly app: FastifyInstance;
  readonly context: BrowserContext;
  /** The server's SQLite file (a test may search it for what must never be stored). */
  readonly databasePath: string;
  close(): Promise<void>;
}

/** The real server on a temporary SQLite database and a free port, plus Chromium with a fresh profile. */
export async function startHarness(users: { username: string; password: string; role: 'admin' | 'clinician' | 'viewer' }[], viewport = { width: 1280, height: 800 }): Promise<Harness> {
  const webRoot = ensureWebBuild();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'retroplan-e2e-'));
  // Low scrypt cost keeps the test fast; the hash records its own parameters, so login verifies it as usual.
  const app = await createServer({ database: { kind: 'sqlite', path: join(dir, 'e2e.sqlite') }, logger: false, scryptCost: 12, webRoot });
  const now = new Date().toISOString();
  for (const u of users) await app.repo.createUser({ username: u.username, role: u.role, passwordHash: await hashPassword(u.password, 12) }, now);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport });
  return {
    base: `http://127.0.0.1:${address.port}`,
    app,
    context,
    databasePath: join(dir, 'e2e.sqlite'),
    async close() {
      await context.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the real form and waits for the worklist. */
export async function signIn(page: Page, base: string, username: string, password: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Worklist' }).waitFor();
}
