import type { Command } from 'commander';
import { z } from 'zod';
import { CaseSchema } from '../../engine/index.ts';
import { CliError, type CliIo } from '../io.ts';

/** JSON Schema of the case model, generated from the zod schema (never written by hand). */
export function caseJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(CaseSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://retroplan.invalid/schemas/case.json',
    title: 'Retroplan case (v1)',
  };
}

export function registerSchema(program: Command, io: CliIo): void {
  program
    .command('schema')
    .description('print the JSON Schema of a model (case)')
    .argument('<name>', 'case')
    .action((name: string) => {
      if (name !== 'case') throw new CliError(`unknown schema ${JSON.stringify(name)}; available: case`);
      io.stdout(`${JSON.stringify(caseJsonSchema(), null, 2)}\n`);
    });
}
