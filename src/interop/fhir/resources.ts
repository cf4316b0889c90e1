import { asArray, asObject, field, str } from './json.ts';

/**
 * The resources of a Bundle as one index: nested Bundles read, history and
 * duplicate versions reduced to the latest, and references resolved the ways
 * FHIR R4 allows (relative `Type/id`, absolute URLs, `urn:uuid:` full URLs,
 * versioned `…/_history/n`, and logical references by `identifier`).
 * FHIR R4 §2.36 (references), §3.1.0.4 (versions), Bundle.type = history (newest first).
 */

export interface Entry {
  readonly resource: Record<string, unknown>;
  readonly type: string;
  readonly label: string;
  readonly index: number;
  readonly fullUrl?: string;
}

export interface Superseded {
  readonly label: string;
  readonly reason: string;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function labelOf(resource: Record<string, unknown>, index: number): string {
  const type = str(resource, 'resourceType') ?? 'resource';
  const id = str(resource, 'id');
  return id !== undefined && ID.test(id) ? `${type}/${id}` : `${type} (entry ${index})`;
}

/** `Type/id` from any reference form, or undefined (`urn:uuid:` and `#contained` are resolved by the index). */
export function logicalKey(reference: string): string | undefined {
  const clean = reference.split('?')[0]!.replace(/\/_history\/[^/]+$/, '');
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(clean);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function versionOf(resource: Record<string, unknown>): { version?: number; updated?: number } {
  const meta = field(resource, 'meta');
  const v = str(meta, 'versionId');
  const u = str(meta, 'lastUpdated');
  const version = v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
  const updated = u !== undefined && Number.isFinite(Date.parse(u)) ? Date.parse(u) : undefined;
  return { ...(version !== undefined ? { version } : {}), ...(updated !== undefined ? { updated } : {}) };
}

/** Newer = higher versionId, else later lastUpdated; otherwise `undefined` (cannot tell). */
function newer(a: Record<string, unknown>, b: Record<string, unknown>): boolean | undefined {
  const va = versionOf(a);
  const vb = versionOf(b);
  if (va.version !== undefined && vb.version !== undefined && va.version !== vb.version) return va.version > vb.version;
  if (va.updated !== undefined && vb.updated !== undefined && va.updated !== vb.updated) return va.updated > vb.updated;
  return undefined;
}

interface Pending {
  readonly resource: Record<string, unknown>;
  readonly fullUrl?: string;
  readonly history: boolean;
  readonly deleted?: string;
}

export class ResourceIndex {
  readonly entries: Entry[] = [];
  readonly superseded: Superseded[] = [];
  readonly unreadable: { where: string; reason: string }[] = [];
  readonly deleted = new Set<string>();
  private readonly byKey = new Map<string, Entry>();
  private readonly byFullUrl = new Map<string, Entry>();
  private readonly pending: Pending[] = [];

  /** Adds one Bundle entry (`{fullUrl?, resource?, request?}`). */
  addEntry(raw: unknown, where: string, history: boolean): void {
    const resource = asObject(field(raw, 'resource'));
    const method = str(field(raw, 'request'), 'method');
    if (method === 'DELETE') {
      const key = logicalKey(str(field(raw, 'request'), 'url') ?? '');
      if (key) this.pending.push({ resource: {}, history, deleted: key });
      return;
    }
    const type = str(resource, 'resourceType');
    if (!resource || type === undefined) {
      this.unreadable.push({ where, reason: 'the entry has no resource with a resourceType' });
      return;
    }
    const fullUrl = str(raw, 'fullUrl');
    this.pending.push({ resource, history, ...(fullUrl !== undefined ? { fullUrl } : {}) });
  }

  addResource(resource: Record<string, unknown>): void {
    this.pending.push({ resource, history: false });
  }

  /** Resolves versions; call once after every entry was added. */
  finish(): void {
    const latest = new Map<string, { item: Pending; order: number }>();
    const loose: { item: Pending; order: number }[] = [];
    this.pending.forEach((item, order) => {
      if (item.deleted) {
        // A history bundle lists the newest version first: a DELETE before any version means the resource is gone.
        if (!latest.has(item.deleted)) this.deleted.add(item.deleted);
        return;
      }
      const type = str(item.resource, 'resourceType')!;
      const id = str(item.resource, 'id');
      if (id === undefined || !ID.test(id)) {
        loose.push({ item, order });
        return;
      }
      const key = `${type}/${id}`;
      if (this.deleted.has(key)) {
        this.superseded.push({ label: key, reason: 'deleted in a later version (history bundle): not read' });
        return;
      }
      const prior = latest.get(key);
      if (!prior) {
        latest.set(key, { item, order });
        return;
      }
      const isNewer = newer(item.resource, prior.item.resource);
      // Without version data: in a history bundle the first is the newest; otherwise the later entry wins.
      const replace = isNewer ?? !item.history;
      const [keep, drop] = replace ? [item, prior.item] : [prior.item, item];
      const dropVersion = str(field(drop.resource, 'meta'), 'versionId');
      const keepVersion = str(field(keep.resource, 'meta'), 'versionId');
      this.superseded.push({
        label: `${key}${dropVersion !== undefined ? `/_history/${dropVersion}` : ''}`,
        reason: `an older version of ${key}: the latest${keepVersion !== undefined ? ` (version ${keepVersion})` : ''} is used`,
      });
      latest.set(key, replace ? { item, order } : prior);
    });
    const chosen = [...latest.values(), ...loose].sort((a, b) => a.order - b.order);
    for (const { item } of chosen) {
      const index = this.entries.length;
      const entry: Entry = {
        resource: item.resource,
        type: str(item.resource, 'resourceType')!,
        label: labelOf(item.resource, index),
        index,
        ...(item.fullUrl !== undefined ? { fullUrl: item.fullUrl } : {}),
      };
      this.entries.push(entry);
      const id = str(item.resource, 'id');
      if (id !== undefined && ID.test(id)) this.byKey.set(`${entry.type}/${id}`, entry);
      if (item.fullUrl !== undefined) {
        this.byFullUrl.set(item.fullUrl, entry);
        const key = logicalKey(item.fullUrl);
        if (key && !this.byKey.has(key)) this.byKey.set(key, entry);
      }
    }
    this.pending.length = 0;
  }

  /** The resource a Reference points at, if it is in the bundle. */
  resolve(reference: unknown): Entry | undefined {
    const ref = str(reference, 'reference');
    if (ref !== undefined) {
      const direct = this.byFullUrl.get(ref);
      if (direct) return direct;
      const key = logicalKey(ref);
      if (key) return this.byKey.get(key);
      return undefined;
    }
    const identifier = field(reference, 'identifier');
    const system = str(identifier, 'system');
    const value = str(identifier, 'value');
    if (value === undefined) return undefined;
    const type = str(reference, 'type');
    return this.entries.find(
      (e) =>
        (type === undefined || e.type === type) &&
        asArray(field(e.resource, 'identifier')).some((i) => str(i, 'value') === value && (system === undefined || str(i, 'system') === system)),
    );
  }

  /** A patient key (`Patient/id`, or `identifier|system|value`) for a subject reference, resolved if possible. */
  subjectKey(reference: unknown): string | undefined {
    const resolved = this.resolve(reference);
    if (resolved && resolved.type === 'Patient') {
      const id = str(resolved.resource, 'id');
      return id !== undefined ? `Patient/${id}` : resolved.fullUrl;
    }
    const ref = str(reference, 'reference');
    if (ref !== undefined) {
      const key = logicalKey(ref);
      return key?.startsWith('Patient/') ? key : ref;
    }
    const identifier = field(reference, 'identifier');
    const value = str(identifier, 'value');
    return value !== undefined ? `identifier|${str(identifier, 'system') ?? ''}|${value}` : undefined;
  }
}

/** Reads a Bundle (or one resource) into an index; nested Bundles up to depth 2. */
export function indexBundle(input: Record<string, unknown>): ResourceIndex | { path: string; message: string } {
  const index = new ResourceIndex();
  if (str(input, 'resourceType') !== 'Bundle') {
    index.addResource(input);
    index.finish();
    return index;
  }
  const rawEntries = field(input, 'entry');
  if (rawEntries !== undefined && !Array.isArray(rawEntries)) return { path: 'entry', message: 'must be an array of bundle entries' };
  const queue: { list: unknown[]; prefix: string; depth: number; history: boolean }[] = [
    { list: asArray(rawEntries), prefix: 'entry', depth: 0, history: str(input, 'type') === 'history' },
  ];
  while (queue.length > 0) {
    const { list, prefix, depth, history } = queue.shift()!;
    list.forEach((raw, i) => {
      const where = `${prefix}[${i}]`;
      const resource = asObject(field(raw, 'resource'));
      if (str(resource, 'resourceType') === 'Bundle' && depth < 2) {
        queue.push({ list: asArray(field(resource, 'entry')), prefix: `${where}.resource.entry`, depth: depth + 1, history: str(resource, 'type') === 'history' });
        return;
      }
      index.addEntry(raw, where, history);
    });
  }
  index.finish();
  return index;
}
