import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildLibrary } from './library.ts';

/** The folder of practice case files shipped with Retroplan. */
export const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

/** Reads every `*.json` in the folder; a file that is not JSON is reported like an invalid case. */
export function loadPracticeCases(dir = CASES_DIR): ReturnType<typeof buildLibrary> {
  const files: { name: string; content: unknown }[] = [];
  const unreadable: { file: string; errors: { path: string; message: string }[] }[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      files.push({ name, content: JSON.parse(readFileSync(join(dir, name), 'utf8')) });
    } catch (error) {
      unreadable.push({ file: name, errors: [{ path: '', message: `not JSON: ${(error as Error).message}` }] });
    }
  }
  const library = buildLibrary(files);
  return { cases: library.cases, invalid: [...unreadable, ...library.invalid] };
}
