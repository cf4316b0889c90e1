import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { toFhirAuditEvent } from '../../store/audit-fhir.ts';
import { CliError, type CliIo } from '../io.ts';
import { cliActor, withRepository } from './user.ts';
import { registerAuditCentre } from './audit-centre.ts';

const BATCH = 1000;

export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description("the audit log, and the centre's outcome audit");
  registerAuditCentre(audit, io);
  audit
    .command('export')
    .description('write the audit log, oldest first, as FHIR R4 AuditEvent resources (NDJSON)')
    .option('--format <format>', 'fhir (NDJSON, one AuditEvent per line)', 'fhir')
    .option('--since <time>', 'only entries at or after this ISO 8601 time')
    .option('--output <file>', 'write to a file instead of stdout')
    .action(async (opts: { format: string; since?: string; output?: string }) => {
      if (opts.format !== 'fhir') throw new CliError(`--format must be fhir, got ${opts.format}`);
      if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) throw new CliError(`--since must be an ISO 8601 time, got ${opts.since}`);
      const from = opts.since === undefined ? undefined : new Date(opts.since).toISOString();
      const file = opts.output ? createWriteStream(opts.output) : undefined;
      const write = (line: string) => (file ? file.write(line) : io.stdout(line));
      let count = 0;
      await withRepository(async (repo) => {
        let after: number | undefined;
        for (;;) {
          const batch = await repo.listAudit({ from, after, limit: BATCH, order: 'oldest' });
          for (const entry of batch) write(`${JSON.stringify(toFhirAuditEvent(entry))}\n`);
          count += batch.length;
          if (batch.length < BATCH) break;
          after = batch[batch.length - 1]!.id;
        }
        await repo.appendAudit({ at: new Date().toISOString(), actor: cliActor(), action: 'audit.export', outcome: 'success', clientAddress: 'local', detail: `${count} entries as FHIR AuditEvent` });
      });
      if (file) await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
      io.stderr(`exported ${count} audit entries\n`);
    });
}
