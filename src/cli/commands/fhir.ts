import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { evaluateCase, validateCase } from '../../engine/index.ts';
import { exportBundle } from '../../interop/fhir/export.ts';
import { type ImportReport } from '../../interop/fhir/import.ts';
import { importBundleStream, importNdjsonStream } from '../../interop/fhir/stream.ts';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { CliError, formatFieldErrors, parseJsonText, readInput, type CliIo } from '../io.ts';
import { renderTextReport } from '../../report/text.ts';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function renderImportReport(report: ImportReport): string {
  const lines = [`FHIR import: ${report.used.length} resource(s) used, ${report.ignored.length} ignored`];
  for (const u of report.used) lines.push(`  used     ${u.resource}: ${u.as}`);
  for (const i of report.ignored) lines.push(`  ignored  ${i.resource}: ${i.reason}`);
  for (const n of report.notes) lines.push(`  note     ${n}`);
  return `${lines.join('\n')}\n`;
}

export function registerFhir(program: Command, io: CliIo): void {
  const fhir = program.command('fhir').description('HL7 FHIR R4 / mCODE: import a Bundle into a case, export an evaluation as a Bundle');

  fhir
    .command('import')
    .description('read a FHIR R4 Bundle (file, or - for stdin); print the case on stdout and the import report on stderr')
    .argument('<bundle>', 'Bundle JSON file, or - to read stdin')
    .option('--as-of <date>', 'date ages are computed at (YYYY-MM-DD)', today())
    .option('--report <format>', 'report format on stderr: text or json', 'text')
    .option('--accept-text', 'also read marker and histology names from text where no code is given (reported as text matches)')
    .option('--source <url>', 'the FHIR server the bundle comes from (stored with the patient id)')
    .option('--ndjson', 'the input is NDJSON, one resource per line (default for .ndjson files)')
    .action(async (file: string, opts: { asOf: string; report: string; acceptText?: boolean; source?: string; ndjson?: boolean }) => {
      if (opts.report !== 'text' && opts.report !== 'json') throw new CliError(`--report must be text or json, got ${opts.report}`);
      // Streamed: a Bundle of any size is read entry by entry (no entry cap, memory for what is read).
      let source: AsyncIterable<string | Uint8Array>;
      if (file === '-') {
        const stdin = await io.readStdin();
        source = (async function* () {
          yield stdin;
        })();
      } else {
        try {
          await access(file);
        } catch {
          throw new CliError(`cannot read ${file}: no such file`);
        }
        source = createReadStream(file, { highWaterMark: 1 << 20 });
      }
      const importOptions = { asOf: opts.asOf, ...(opts.acceptText === true ? { acceptText: true } : {}), ...(opts.source !== undefined ? { sourceSystem: opts.source } : {}) };
      const result = opts.ndjson === true || file.endsWith('.ndjson') ? await importNdjsonStream(source, importOptions) : await importBundleStream(source, importOptions);
      if (!result.ok && result.errors[0]?.message.startsWith('not valid JSON')) {
        throw new CliError(`${file === '-' ? 'stdin' : file} is ${result.errors[0].message}`);
      }
      if (!result.ok) {
        const what = result.kind === 'patient' ? 'not one patient' : 'not a FHIR resource or Bundle';
        throw new CliError(formatFieldErrors(what, result.errors, { count: false }));
      }
      const report = opts.report === 'json' ? `${JSON.stringify(result.value.report, null, 2)}\n` : renderImportReport(result.value.report);
      if (result.value.rejection) {
        io.stderr(report);
        throw new CliError(`not imported: ${result.value.rejection.reason}\n${result.value.rejection.found.map((f) => `  found ${f}`).join('\n')}`);
      }
      io.stdout(`${JSON.stringify(result.value.case, null, 2)}\n`);
      io.stderr(report);
    });

  fhir
    .command('export')
    .description('evaluate a case (file, or - for stdin) and print it as an mCODE FHIR R4 Bundle')
    .argument('<case>', 'case JSON file, or - to read stdin')
    .option('--patient <reference>', 'reference to the Patient in the EHR, e.g. Patient/123 (default: a minimal Patient in the Bundle)')
    .action(async (file: string, opts: { patient?: string }) => {
      const input = parseJsonText(await readInput(file, io), file === '-' ? 'stdin' : file);
      const result = validateCase(input);
      if (!result.ok) {
        throw new CliError(formatFieldErrors('invalid case', result.errors));
      }
      if (opts.patient !== undefined && !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(opts.patient)) {
        throw new CliError(`--patient must be a reference such as Patient/123, got ${JSON.stringify(opts.patient)}`);
      }
      const evaluation = evaluateCase(result.value);
      const bundle = exportBundle({
        case: result.value,
        evaluation,
        reportText: renderTextReport(evaluation),
        issued: new Date().toISOString(),
        newId: randomUUID,
        ...(opts.patient !== undefined ? { patientReference: opts.patient } : {}),
      });
      io.stdout(`${JSON.stringify(bundle, null, 2)}\n`);
    });
}
