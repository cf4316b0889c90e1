import type { Command } from 'commander';
import { evaluate } from '../../engine/index.ts';
import { CliError, formatFieldErrors, parseJsonText, readInput, type CliIo } from '../io.ts';
import { renderTextReport } from '../../report/text.ts';

export function registerEvaluate(program: Command, io: CliIo): void {
  program
    .command('evaluate')
    .description('evaluate one case (JSON file, or - for stdin) and print the evaluation')
    .argument('<file>', 'case JSON file, or - to read stdin')
    .option('--format <format>', 'json or text', 'json')
    .action(async (file: string, opts: { format: string }) => {
      if (opts.format !== 'json' && opts.format !== 'text') throw new CliError(`--format must be json or text, got ${opts.format}`);
      const input = parseJsonText(await readInput(file, io), file === '-' ? 'stdin' : file);
      const result = evaluate(input);
      if (!result.ok) {
        throw new CliError(formatFieldErrors('invalid case', result.errors));
      }
      io.stdout(opts.format === 'text' ? renderTextReport(result.value) : `${JSON.stringify(result.value, null, 2)}\n`);
    });
}
