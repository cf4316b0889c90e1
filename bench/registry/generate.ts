/** Deterministic registry records for the batch-staging benchmark (mostly C48.0 sarcomas, some outside the schema or with coding errors). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '../../src/shared/seeded-random.ts';
import { CASE_REGISTRY_COLUMNS } from '../../src/registry/case-record.ts';

/** The registry items a case supplies, plus the post-therapy grades only a registry record has. */
export const HEADER = ['registryId', ...CASE_REGISTRY_COLUMNS, 'gradePostTherapyClin', 'gradePostTherapyPath'];


const SITES = ['C480', 'C480', 'C480', 'C480', 'C480', 'C480', 'C480', 'C480', 'C481', 'C482', 'C488', 'C490'];
const HISTOLOGIES = ['8858', '8858', '8851', '8851', '8890', '8890', '8850', '8805', '8802', '8815', '9040', '8830', '8000', '8936'];
const EXTENSION = ['100', '100', '200', '200', '700', '800', '999'];
const NODES = ['000', '000', '000', '300', '800', '999'];
const METS = ['00', '00', '00', '10', '70', '99'];
const GRADE_CLIN = ['1', '2', '3', '9', '9', 'A', 'C'];
const GRADE_PATH = ['1', '2', '3', '9', '9', 'D'];
const POST = ['', '', '', '', '2', '9'];

export function rowGenerator(seed: number): (i: number) => string[] {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  return (i) => {
    const r = rnd();
    const size = r < 0.02 ? '000' : r < 0.05 ? '999' : r < 0.06 ? '990' : String(1 + Math.floor(rnd() * 400)).padStart(3, '0');
    return [`R${i}`, pick(SITES), pick(HISTOLOGIES), '3', rnd() < 0.5 ? '1' : '2', pick(EXTENSION), size, pick(NODES), pick(METS), pick(GRADE_CLIN), pick(GRADE_PATH), pick(POST), pick(POST)];
  };
}

/** Writes `rows` records (plus the header) as CSV; no field needs quoting. */
export async function writeCsv(file: string, rows: number, seed = 20261201): Promise<void> {
  const out = createWriteStream(file);
  const next = rowGenerator(seed);
  let chunk = `${HEADER.join(',')}\n`;
  for (let i = 0; i < rows; i++) {
    chunk += `${next(i).join(',')}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
