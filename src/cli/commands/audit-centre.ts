import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { IsoDateSchema, validateCase } from '../../engine/index.ts';
import { AUDIT_PAGE_SIZE, auditCasesFrom } from '../../outcomes/audit-cases.ts';
import { centreAudit, type AuditCase } from '../../outcomes/centre-audit.ts';
import { centreAuditCsv } from '../../outcomes/centre-audit-csv.ts';
import { centreAuditPdf } from '../../outcomes/centre-audit-pdf.ts';
import { CliError, type CliIo } from '../io.ts';
import { cliActor, withRepository } from './user.ts';

/** Cases from an NDJSON file: each line a case, or `{id, case}`. Invalid lines are errors with their line number. */
export function auditCasesFromNdjson(text: string): AuditCase[] {
  const cases: AuditCase[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`line ${index + 1}: not JSON`);
      return;
    }
    const wrapped = parsed !== null && typeof parsed === 'object' && 'case' in parsed ? (parsed as { id?: unknown; case: unknown }) : { case: parsed };
    const checked = validateCase(wrapped.case);
    if (!checked.ok) {
      problems.push(`line ${index + 1}: ${checked.errors.slice(0, 3).map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ')}`);
      return;
    }
    cases.push({ id: typeof wrapped.id === 'string' ? wrapped.id : checked.value.id ?? `line-${index + 1}`, case: checked.value });
  });
  if (problems.length > 0) throw new CliError(`invalid cases (${problems.length}):\n${problems.slice(0, 20).map((p) => `  ${p}`).join('\n')}`);
  return cases;
}

async function casesFromDatabase(): Promise<AuditCase[]> {
  return withRepository(async (repo) => {
    const { cases } = await auditCasesFrom(repo.caseBodies(AUDIT_PAGE_SIZE));
    await repo.appendAudit({ at: new Date().toISOString(), actor: cliActor(), action: 'audit.centre', outcome: 'success', clientAddress: 'local', detail: `${cases.length} cases read for the centre audit` });
    return cases;
  });
}

function dateOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!IsoDateSchema.safeParse(value).success) throw new CliError(`${flag} must be a date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

export function registerAuditCentre(audit: Command, io: CliIo): void {
  audit
    .command('centre')
    .description("the centre's own outcomes against published benchmarks (REFERENCE-2 §6)")
    .option('--from <date>', 'operations on or after this date (YYYY-MM-DD)')
    .option('--to <date>', 'operations on or before this date (YYYY-MM-DD)')
    .option('--by <unit>', 'funnel-plot units: surgeon or hospital')
    .option('--cases <file>', 'read cases from an NDJSON file (one case, or {id, case}, a line) instead of the database')
    .option('--format <format>', 'json, csv or pdf', 'json')
    .option('--output <file>', 'write to this file instead of stdout (a PDF goes to stdout only when it is not a terminal)')
    .action(async (opts: { from?: string; to?: string; by?: string; cases?: string; format: string; output?: string }) => {
      if (opts.format !== 'json' && opts.format !== 'csv' && opts.format !== 'pdf') throw new CliError(`--format must be json, csv or pdf, got ${opts.format}`);
      if (opts.format === 'pdf' && opts.output === undefined && process.stdout.isTTY) throw new CliError('a PDF is not written to a terminal: give --output <file> or redirect stdout');
      if (opts.by !== undefined && opts.by !== 'surgeon' && opts.by !== 'hospital') throw new CliError(`--by must be surgeon or hospital, got ${opts.by}`);
      const from = dateOption(opts.from, '--from');
      const to = dateOption(opts.to, '--to');
      const cases = opts.cases ? auditCasesFromNdjson(await readFile(opts.cases, 'utf8').catch(() => { throw new CliError(`cannot read ${opts.cases}`); })) : await casesFromDatabase();
      const result = centreAudit(cases, { from, to, by: opts.by as 'surgeon' | 'hospital' | undefined });
      const body = opts.format === 'pdf' ? await centreAuditPdf(result) : opts.format === 'csv' ? centreAuditCsv(result) : `${JSON.stringify(result, null, 2)}\n`;
      if (opts.output !== undefined) {
        await writeFile(opts.output, body).catch((e: unknown) => {
          throw new CliError(`cannot write ${opts.output}: ${e instanceof Error ? e.message : String(e)}`);
        });
      } else if (typeof body === 'string') io.stdout(body);
      else process.stdout.write(body);
    });
}
