import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A small local FHIR server for tests: serves one patient's resources and records what it was asked. */
export interface FhirStub {
  readonly base: string;
  readonly requests: { url: string; headers: IncomingHttpHeaders; method?: string }[];
  /** Extra routes: path → JSON body (e.g. a JWKS). */
  readonly extra: Map<string, unknown>;
  /** Page size when a search names no `_count` (0 = one page). */
  setPageSize(n: number): void;
  close(): Promise<void>;
}

export async function startFhirStub(resources: Record<string, unknown>[]): Promise<FhirStub> {
  const requests: FhirStub['requests'] = [];
  const pageSize = { value: 0 };
  const extra = new Map<string, unknown>();
  const searchset = (type: string, patientId: string) => ({
    resourceType: 'Bundle',
    type: 'searchset',
    entry: resources.filter((r) => r.resourceType === type && (r.subject as { reference?: string } | undefined)?.reference === `Patient/${patientId}`).map((resource) => ({ resource })),
  });
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers, method: req.method ?? 'GET' });
    const url = new URL(req.url ?? '/', 'http://stub');
    // A browser app (SMART launch, test/e2e/smart-launch.test.ts) reads it cross-origin with a bearer token.
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, accept, content-type' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET' });
      return res.end();
    }
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/fhir+json', ...cors });
      res.end(JSON.stringify(body));
    };
    if (extra.has(url.pathname)) return send(200, extra.get(url.pathname));
    const patient = /^\/fhir\/Patient\/([^/]+)$/.exec(url.pathname);
    if (patient) {
      if (patient[1] === 'broken') return send(500, { resourceType: 'OperationOutcome' });
      const found = resources.find((r) => r.resourceType === 'Patient' && r.id === patient[1]);
      return found ? send(200, found) : send(404, { resourceType: 'OperationOutcome' });
    }
    const search = /^\/fhir\/(Condition|Observation|Procedure)$/.exec(url.pathname);
    if (search) {
      // Paged like a real server when `_count` is given: `next` links carry `_page`.
      const all = searchset(search[1]!, url.searchParams.get('patient') ?? '');
      const asked = Number(url.searchParams.get('_count') ?? 0);
      // A server may return fewer per page than `_count` asks (FHIR search): the stub's page size caps it.
      const count = pageSize.value > 0 ? (asked > 0 ? Math.min(asked, pageSize.value) : pageSize.value) : asked;
      const page = Number(url.searchParams.get('_page') ?? '1');
      if (!(count > 0) || all.entry.length <= count) return send(200, all);
      const entry = all.entry.slice((page - 1) * count, page * count);
      const next = new URL(url.pathname, `http://${req.headers.host}`);
      next.searchParams.set('patient', url.searchParams.get('patient') ?? '');
      next.searchParams.set('_count', String(count));
      next.searchParams.set('_page', String(page + 1));
      return send(200, { ...all, entry, ...(page * count < all.entry.length ? { link: [{ relation: 'next', url: next.href }] } : {}) });
    }
    return send(404, { resourceType: 'OperationOutcome' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, requests, extra, setPageSize: (n: number) => { pageSize.value = n; }, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The fixture bundle's resources with `Patient/<id>` subjects, as a FHIR server holds them. */
export function serverResources(bundle: { entry: { fullUrl?: string; resource: Record<string, unknown> }[] }): Record<string, unknown>[] {
  const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!;
  const text = JSON.stringify(bundle.entry.map((e) => e.resource)).replaceAll(patient.fullUrl!, `Patient/${String(patient.resource.id)}`);
  return JSON.parse(text);
}
