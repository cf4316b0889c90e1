import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine/index.ts';
import { CliError, processIo, type CliIo } from './io.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerModel } from './commands/model.ts';
import { registerSchema } from './commands/schema.ts';
import { registerFhir } from './commands/fhir.ts';
import { registerSurveillance } from './commands/surveillance.ts';
import { registerServe } from './commands/serve.ts';
import { registerUser } from './commands/user.ts';
import { registerToken } from './commands/token.ts';
import { registerOrg } from './commands/org.ts';
import { registerAudit } from './commands/audit.ts';
import { registerIntraop } from './commands/intraop.ts';
import { registerPractice } from './commands/practice.ts';
import { registerDemo } from './commands/demo.ts';
import { registerAbout } from './commands/about.ts';
import { registerSeed } from './commands/seed.ts';
import { registerRegistry } from './commands/registry.ts';

/** Each command group registers itself; add new groups here, one a line. Subcommands inherit exitOverride and output. */
const COMMANDS: ((program: Command, io: CliIo) => void)[] = [
  registerEvaluate,
  registerModel,
  registerSchema,
  registerSurveillance,
  registerServe,
  registerUser,
  registerToken,
  registerOrg,
  registerAudit,
  registerFhir,
  registerIntraop,
  registerPractice,
  registerDemo,
  registerAbout,
  registerSeed,
  registerRegistry,
];

export function buildProgram(io: CliIo): Command {
  const program = new Command('retroplan')
    .description('Retroplan — clinical decision support for retroperitoneal sarcoma')
    .version(ENGINE_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of COMMANDS) register(program, io);
  return program;
}

/** Runs the CLI and returns its exit code: 0 ok, 2 bad input or usage, 1 anything else. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof CliError) {
      io.stderr(`retroplan: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`retroplan: unexpected error: ${(error as Error).message}\n`);
    return 1;
  }
}
