import type { Command } from 'commander';
import { describeDatabase, openRepository, parseDatabaseUrl, type DatabaseConfig } from '../../store/index.ts';
import { loadSyntheticCases } from '../../store/synthetic-load.ts';
import { SYNTHETIC_TITLE_PREFIX } from '../../store/synthetic-cases.ts';
import { CliError, type CliIo } from '../io.ts';
import { cliActor } from './user.ts';

function positiveInteger(name: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new CliError(`${name} must be a whole number from 1 to ${max.toLocaleString('en-US')}, got ${text}`);
  return Number(text);
}

export function registerSeed(program: Command, io: CliIo): void {
  const seed = program.command('seed').description('synthetic data for load tests (never real patients)');
  seed
    .command('load')
    .description(`add synthetic cases (titles start "${SYNTHETIC_TITLE_PREFIX}") with their versions and audit rows, drawn from a fixed seed`)
    .option('--cases <n>', 'how many cases', '100000')
    .option('--seed <n>', 'random seed: the same seed gives the same cases', '20261201')
    .option('--batch <n>', 'cases per transaction', '1000')
    .option('--database-url <url>', 'sqlite:<path> or postgres://… (default: DATABASE_URL, else the default SQLite file)')
    .action(async (opts: { cases: string; seed: string; batch: string; databaseUrl?: string }) => {
      const cases = positiveInteger('--cases', opts.cases, 10_000_000);
      const seedValue = positiveInteger('--seed', opts.seed, 2 ** 31);
      const batch = positiveInteger('--batch', opts.batch, 10_000);
      let config: DatabaseConfig;
      try {
        config = parseDatabaseUrl(opts.databaseUrl ?? process.env.DATABASE_URL);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      io.stderr(`loading ${cases.toLocaleString('en-US')} synthetic cases into ${describeDatabase(config)} (seed ${seedValue})\n`);
      let lastReport = 0;
      const result = await loadSyntheticCases(config, {
        cases,
        seed: seedValue,
        batch,
        onProgress: (done) => {
          if (done - lastReport >= 10_000 || done === cases) {
            lastReport = done;
            io.stderr(`  ${done.toLocaleString('en-US')} cases\n`);
          }
        },
      }).catch((error: unknown) => {
        throw new CliError(`cannot load: ${(error as Error).message}`, 1);
      });
      const rows = result.cases + result.versions + result.auditRows;
      const seconds = result.milliseconds / 1000;
      // The load itself is a write to the store: one audit entry says who added what.
      const repo = await openRepository(config);
      try {
        await repo.appendAudit({
          at: new Date().toISOString(),
          actor: cliActor(),
          action: 'seed.load',
          outcome: 'success',
          clientAddress: 'local',
          detail: `${result.cases} synthetic cases (seed ${seedValue})`,
        });
      } finally {
        await repo.close();
      }
      io.stdout(
        `${result.cases.toLocaleString('en-US')} cases, ${result.versions.toLocaleString('en-US')} versions, ${result.auditRows.toLocaleString('en-US')} audit rows ` +
          `in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s (${Math.round(result.cases / seconds).toLocaleString('en-US')} cases/s)\n`,
      );
    });
}
