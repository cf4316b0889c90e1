import { readFile } from 'node:fs/promises';
import { jsonErrorPosition, lineAndColumn } from '../shared/json-error-position.ts';
import { capErrors, findTooDeep, MAX_JSON_DEPTH } from '../shared/json-limits.ts';

/** Where a command reads and writes: the real process in production, buffers in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** A failure the CLI reports on stderr with an exit code (2 = bad input, 1 = other). */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Reads a file, or stdin when the name is `-`. */
export async function readInput(file: string, io: CliIo): Promise<string> {
  if (file === '-') return io.readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? String(error)}`);
  }
}

/** The largest input a command reads (a case is a few kB; a FHIR Bundle rarely 1 MB). */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/**
 * Parses JSON, turning a syntax error into a message with its line and column,
 * and refusing documents nested deeper than MAX_JSON_DEPTH (exit 2, naming where)
 * before any validator or message can recurse into them.
 */
export function parseJsonText(text: string, what: string): unknown {
  if (text.length > MAX_INPUT_BYTES) throw new CliError(`${what} is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB`);
  const value = parseJsonSyntax(text, what);
  const tooDeep = findTooDeep(value, MAX_JSON_DEPTH);
  if (tooDeep) throw new CliError(`${what}: ${tooDeep.path || '(root)'}: ${tooDeep.message}`);
  return value;
}

/** Field errors as indented lines under a heading, at most MAX_REPORTED_ERRORS of them. */
export function formatFieldErrors(heading: string, errors: readonly { path: string; message: string }[], { count = true } = {}): string {
  const lines = capErrors(errors).map((e) => `  ${e.path || '(root)'}: ${e.message}`);
  const counted = count ? ` (${errors.length} problem${errors.length === 1 ? '' : 's'})` : '';
  return `${heading}${counted}:\n${lines.join('\n')}`;
}

function parseJsonSyntax(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = jsonErrorPosition(text);
    // V8's own wording, without its echo of the text and its (sometimes missing) position.
    const reason = (error as Error).message.split(', "')[0]!.replace(/( in JSON)? at position \d+.*$/s, '');
    if (position === undefined) throw new CliError(`${what} is not valid JSON: ${reason}`);
    const { line, column } = lineAndColumn(text, position);
    throw new CliError(`${what} is not valid JSON: ${reason} at line ${line}, column ${column} (offset ${position})`);
  }
}
