/**
 * Loads a SEER staging algorithm from a directory laid out as SEER publishes it
 * (`schemas/*.json`, `tables/*.json`), validating every file's shape at this boundary.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { compileTable, RawTableSchema, type Table } from './table-engine.ts';
import { checkAlgorithm, RawSchemaSchema, type Algorithm, type RawSchema } from './schema-runner.ts';

/** SEER EOD 2.1 Retroperitoneum, the project's own copy (licence and provenance beside it). */
export const RETROPERITONEUM_DIR = fileURLToPath(new URL('./seer-eod/retroperitoneum/', import.meta.url));

export class AlgorithmLoadError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'AlgorithmLoadError';
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AlgorithmLoadError(file, (error as Error).message);
  }
}

export function loadAlgorithm(dir: string): Algorithm {
  const schemaFiles = readdirSync(join(dir, 'schemas')).filter((f) => f.endsWith('.json')).sort();
  const schemas: RawSchema[] = schemaFiles.map((f) => {
    const parsed = RawSchemaSchema.safeParse(readJson(join(dir, 'schemas', f)));
    if (!parsed.success) throw new AlgorithmLoadError(f, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return parsed.data;
  });
  if (schemas.length === 0) throw new AlgorithmLoadError(dir, 'no schema');
  const tables = new Map<string, Table>();
  for (const f of readdirSync(join(dir, 'tables')).filter((name) => name.endsWith('.json')).sort()) {
    const parsed = RawTableSchema.safeParse(readJson(join(dir, 'tables', f)));
    if (!parsed.success) throw new AlgorithmLoadError(f, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    tables.set(parsed.data.id, compileTable(parsed.data));
  }
  const algorithm: Algorithm = { id: schemas[0]!.algorithm, version: schemas[0]!.version, schemas, tables };
  checkAlgorithm(algorithm);
  return algorithm;
}
