import type { Command } from 'commander';
import { demoCohort, SYNTHETIC_PREFIX } from '../../outcomes/demo-cohort.ts';
import { CliError, type CliIo } from '../io.ts';
import { cliActor, withRepository } from './user.ts';

function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

export function registerDemo(program: Command, io: CliIo): void {
  const demo = program.command('demo').description('a synthetic centre for demonstration (never real patients)');
  demo
    .command('load')
    .description(`fill an EMPTY database with a synthetic centre: patients, operations and outcomes, titles marked "${SYNTHETIC_PREFIX}"`)
    .option('--patients <n>', 'number of patients (1–5000)', '600')
    .option('--seed <n>', 'random seed (the same seed gives the same centre)')
    .action(async (opts: { patients?: string; seed?: string }) => {
      const patients = wholeNumber(opts.patients, '--patients', 1, 5000)!;
      const seed = wholeNumber(opts.seed, '--seed', 0, 2 ** 32 - 1);
      const cohort = demoCohort({ patients, ...(seed === undefined ? {} : { seed }) });
      await withRepository(async (repo) => {
        const existing = await repo.listCases({ limit: 1, offset: 0 });
        const archived = await repo.listCases({ limit: 1, offset: 0, archived: true });
        if (existing.items.length > 0 || archived.items.length > 0) {
          throw new CliError('the database already holds cases: the demo centre is loaded only into an empty database, so synthetic and real patients never mix');
        }
        const actor = cliActor();
        for (const d of cohort) {
          const now = new Date().toISOString();
          await repo.createCase({ title: d.title, status: d.status, case: d.case }, actor, now);
        }
        await repo.appendAudit({ at: new Date().toISOString(), actor, action: 'demo.load', outcome: 'success', clientAddress: 'local', detail: `${cohort.length} synthetic cases` });
      });
      io.stderr(`loaded ${cohort.length} synthetic cases (titles start with "${SYNTHETIC_PREFIX}")\n`);
    });
}
