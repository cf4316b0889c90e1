import type { Command } from 'commander';
import { INTENDED_USE, RULES_VERSION, ENGINE_VERSION, REFERENCE_SET, intendedUseText } from '../../engine/index.ts';
import { CliError, type CliIo } from '../io.ts';

/** `retroplan about`: the intended use and limitations, and the versions this answer comes from. */
export function registerAbout(program: Command, io: CliIo): void {
  program
    .command('about')
    .description('print the intended use, limitations and versions of Retroplan')
    .option('--format <format>', 'text or json', 'text')
    .action((options: { format: string }) => {
      if (options.format === 'json') {
        const doc = { intendedUse: INTENDED_USE, engine: { name: 'retroplan', version: ENGINE_VERSION, rulesVersion: RULES_VERSION, references: REFERENCE_SET } };
        io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
      } else if (options.format === 'text') {
        io.stdout(intendedUseText());
      } else {
        throw new CliError(`unknown --format ${JSON.stringify(options.format)}; use text or json`);
      }
    });
}
