import { classifyObservation, importIndex, isOutcomeObservation, type ImportOptions, type ImportOutcome, type ImportReport } from './import.ts';
import { findTooDeep, MAX_JSON_DEPTH } from '../../shared/json-limits.ts';
import { asArray, asObject, field, str } from './json.ts';
import { ResourceIndex, labelOf } from './resources.ts';

/**
 * Streamed import of a Bundle of any size, or NDJSON (one resource per line):
 * the JSON text is scanned once and only one entry at a time is parsed, so
 * memory holds the resources Retroplan reads, not the file. Resources it
 * cannot read (other types, observations with codes it does not know) are
 * counted and reported per kind at once, never kept.
 */

// Medication: the regimen name of a MedicationAdministration that references one (issue 14).
const READ_TYPES = new Set(['Patient', 'Condition', 'Observation', 'Procedure', 'BodyStructure', 'Specimen', 'MedicationAdministration', 'Medication']);

interface Tally {
  count: number;
  examples: string[];
}

class Prefilter {
  readonly index = new ResourceIndex();
  private readonly skipped = new Map<string, Tally>();
  private seen = 0;
  constructor(private readonly acceptText: boolean) {}

  add(raw: unknown, where: string, history: boolean): void {
    this.seen += 1;
    const resource = asObject(field(raw, 'resource'));
    const type = str(resource, 'resourceType');
    if (resource && type === 'Bundle') {
      const nestedHistory = str(resource, 'type') === 'history';
      asArray(field(resource, 'entry')).forEach((e, i) => this.add(e, `${where}.resource.entry[${i}]`, nestedHistory));
      return;
    }
    if (resource && type !== undefined && !READ_TYPES.has(type)) return this.skip(`Retroplan does not read ${type} resources`, labelOf(resource, this.seen));
    if (resource && type === 'Observation' && !this.keepObservation(resource)) return this.skip('observations with a code Retroplan does not read', labelOf(resource, this.seen));
    this.index.addEntry(raw, where, history);
  }

  addResource(resource: unknown, where: string): void {
    this.add({ resource }, where, false);
  }

  private keepObservation(resource: Record<string, unknown>): boolean {
    const status = str(resource, 'status');
    // Entered-in-error and text-only observations are kept so that each is reported with its reason.
    if (status === 'entered-in-error' || status === 'cancelled') return true;
    const coded = asArray(field(field(resource, 'code'), 'coding')).length > 0;
    return !coded || classifyObservation(resource, this.acceptText) !== undefined || isOutcomeObservation(resource);
  }

  private skip(reason: string, label: string): void {
    const tally = this.skipped.get(reason) ?? { count: 0, examples: [] };
    tally.count += 1;
    if (tally.examples.length < 3) tally.examples.push(label);
    this.skipped.set(reason, tally);
  }

  finish(report: ImportReport): ResourceIndex {
    this.index.finish();
    for (const [reason, tally] of this.skipped) {
      report.ignored.push({ resource: `${tally.count} resource(s) (e.g. ${tally.examples.join(', ')})`, reason });
    }
    return this.index;
  }
}

/** A nesting no real FHIR resource reaches: refused while still streaming, before the entry closes. */
const HARD_DEPTH = 10_000;

/** Characters as they come; a chunk boundary may fall anywhere. */
type Source = AsyncIterable<string | Uint8Array>;

async function* text(source: Source): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

export interface StreamError {
  readonly path: string;
  readonly message: string;
}

/**
 * Scans a JSON Bundle: top-level `resourceType` and `type` are read, and each element of the top-level
 * `entry` array is parsed on its own and handed to `onEntry`. Anything else at the top level is skipped.
 */
async function scanBundle(source: Source, onEntry: (entry: unknown, index: number, history: boolean) => void): Promise<{ resourceType?: string; type?: string; single?: unknown } | StreamError> {
  let depth = 0;
  let inString = false;
  let escape = false;
  let keyCandidate = '';
  let stringStart = -1;
  let lastKey = '';
  let awaitingValue = false;
  let inEntries = false;
  // A Bundle's `entry` must be a list: anything else is an input error at `entry`, not an empty bundle.
  let entryKeySeen = false;
  let entryWasList = false;
  let captureStart = -1;
  let buffer = '';
  let entryIndex = 0;
  let top: { resourceType?: string; type?: string } = {};
  // Until the resourceType is known the text is kept: a single resource (not a Bundle) is parsed whole.
  const kept: string[] = [];
  let isBundle: boolean | undefined;

  for await (const piece of text(source)) {
    if (isBundle !== true) kept.push(piece);
    const base = buffer.length;
    buffer += piece;
    for (let i = base; i < buffer.length; i += 1) {
      const ch = buffer.charCodeAt(i);
      if (inString) {
        if (escape) escape = false;
        else if (ch === 0x5c) escape = true;
        else if (ch === 0x22) {
          inString = false;
          if (depth === 1 && stringStart >= 0) {
            keyCandidate = buffer.slice(stringStart, i);
            if (awaitingValue) {
              if (lastKey === 'resourceType') top = { ...top, resourceType: keyCandidate };
              if (lastKey === 'type') top = { ...top, type: keyCandidate };
              awaitingValue = false;
            }
          }
          stringStart = -1;
        }
        continue;
      }
      switch (ch) {
        case 0x22: // "
          inString = true;
          stringStart = depth === 1 ? i + 1 : -1;
          break;
        case 0x3a: // :
          if (depth === 1) {
            lastKey = keyCandidate;
            awaitingValue = true;
            if (lastKey === 'entry') entryKeySeen = true;
            // As the server's JSON parser does for every other body: prototype keys are refused, not skipped.
            if (lastKey === '__proto__' || lastKey === 'constructor') return { path: lastKey, message: 'is not allowed' };
          }
          break;
        case 0x2c: // ,
          if (depth === 1) awaitingValue = false;
          break;
        case 0x7b: // {
        case 0x5b: // [
          if (depth === 1 && ch === 0x5b && awaitingValue && lastKey === 'entry') {
            inEntries = true;
            entryWasList = true;
          }
          else if (depth === 2 && inEntries && ch === 0x7b) captureStart = i;
          if (depth === 1) awaitingValue = false;
          depth += 1;
          // Depth bombs (issue 9): outside an entry, refused at once and named by the top-level key;
          // inside an entry, the whole entry is checked when it closes (its path named exactly),
          // and a nesting no real resource has is refused as soon as it is reached.
          if (depth > MAX_JSON_DEPTH && (captureStart < 0 || depth > HARD_DEPTH)) {
            return { path: inEntries ? `entry[${entryIndex}]` : lastKey, message: `nests deeper than ${MAX_JSON_DEPTH} levels of lists and objects` };
          }
          break;
        case 0x7d: // }
        case 0x5d: // ]
          depth -= 1;
          if (depth === 2 && inEntries && ch === 0x7d && captureStart >= 0) {
            const entry: unknown = JSON.parse(buffer.slice(captureStart, i + 1));
            // The entry sits two levels down (Bundle → entry → element), as the whole body would count it.
            const deep = findTooDeep(entry, MAX_JSON_DEPTH - 2);
            if (deep) return { path: `entry[${entryIndex}]${deep.path.startsWith('[') ? '' : '.'}${deep.path}`, message: `nests deeper than ${MAX_JSON_DEPTH} levels of lists and objects` };
            onEntry(entry, entryIndex, top.type === 'history');
            entryIndex += 1;
            captureStart = -1;
          } else if (depth === 1 && inEntries && ch === 0x5d) inEntries = false;
          if (depth < 0) return { path: '', message: 'not valid JSON: its brackets do not match' };
          break;
        default:
      }
    }
    if (isBundle === undefined && top.resourceType !== undefined) {
      isBundle = top.resourceType === 'Bundle';
      if (isBundle) kept.length = 0;
    }
    // Keep only what an unfinished entry still needs.
    if (captureStart >= 0) {
      buffer = buffer.slice(captureStart);
      captureStart = 0;
      if (stringStart >= 0) stringStart = -1;
    } else {
      if (stringStart >= 0) {
        // A top-level string split across chunks: keep it.
        buffer = buffer.slice(stringStart - 1);
        stringStart = 1;
      } else buffer = '';
    }
  }
  if (depth !== 0 || inString) return { path: '', message: 'not valid JSON: the text ends early' };
  if (isBundle === true && entryKeySeen && !entryWasList) return { path: 'entry', message: 'must be a list of Bundle entries' };
  if (isBundle !== true) {
    const single: unknown = JSON.parse(kept.join(''));
    const deep = findTooDeep(single, MAX_JSON_DEPTH);
    if (deep) return deep;
    return { ...top, single };
  }
  return top;
}

/** Imports a Bundle (JSON text, streamed). */
export async function importBundleStream(source: Source, options: ImportOptions): Promise<ImportOutcome> {
  const report: ImportReport = { used: [], ignored: [], notes: [] };
  const filter = new Prefilter(options.acceptText === true);
  try {
    // Bundle.type normally precedes entry; when it follows, duplicates without version ids keep the later entry.
    const scanned = await scanBundle(source, (entry, i, history) => filter.add(entry, `entry[${i}]`, history));
    if ('message' in scanned) return { ok: false, kind: 'input', errors: [scanned as StreamError] };
    if (scanned.resourceType === undefined) return { ok: false, kind: 'input', errors: [{ path: 'resourceType', message: 'is required: this is not a FHIR resource' }] };
    if (scanned.single !== undefined) {
      report.notes.push(`Read a single "${scanned.resourceType}" resource (not a Bundle).`);
      filter.addResource(scanned.single, 'resource');
    }
  } catch (error) {
    return { ok: false, kind: 'input', errors: [{ path: '', message: error instanceof SyntaxError ? `not valid JSON: ${error.message}` : `the bundle could not be read: ${(error as Error).message}` }] };
  }
  return importIndex(filter.finish(report), options, report);
}

/** Imports NDJSON: one FHIR resource per line (bulk data export format). */
export async function importNdjsonStream(source: Source, options: ImportOptions): Promise<ImportOutcome> {
  const report: ImportReport = { used: [], ignored: [], notes: [] };
  const filter = new Prefilter(options.acceptText === true);
  let carry = '';
  let line = 0;
  const take = (textLine: string): StreamError | undefined => {
    line += 1;
    if (textLine.trim() === '') return undefined;
    try {
      filter.addResource(JSON.parse(textLine), `line ${line}`);
      return undefined;
    } catch {
      return { path: `line ${line}`, message: 'is not a JSON resource' };
    }
  };
  for await (const piece of text(source)) {
    carry += piece;
    let nl = carry.indexOf('\n');
    while (nl >= 0) {
      const error = take(carry.slice(0, nl));
      if (error) return { ok: false, kind: 'input', errors: [error] };
      carry = carry.slice(nl + 1);
      nl = carry.indexOf('\n');
    }
  }
  const error = take(carry);
  if (error) return { ok: false, kind: 'input', errors: [error] };
  return importIndex(filter.finish(report), options, report);
}
