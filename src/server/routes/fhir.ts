import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { evaluateCase, type Case } from '../../engine/index.ts';
import { exportBundle } from '../../interop/fhir/export.ts';
import { importBundle } from '../../interop/fhir/import.ts';
import { importBundleStream } from '../../interop/fhir/stream.ts';
import { mergeImported } from '../../interop/fhir/merge.ts';
import { mdtDocumentReference, pushConfigFromEnv, pushDocument } from '../../interop/fhir/push.ts';
import { renderTextReport } from '../../report/text.ts';
import { requireRole } from '../auth/guard.ts';
import { auditForWrite } from '../audit.ts';
import { casesOf, homeOrganisation } from '../access-scope.ts';
import { errorBody } from '../errors.ts';
import { IdParams } from '../schemas.ts';
import { fhirBodyLimitBytes } from '../../interop/limits.ts';

const ImportQuery = z.strictObject({
  title: z.string().min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }).optional(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' }).optional(),
  /** Opt-in: read marker and histology names from text where no code is given. */
  acceptText: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  /** The FHIR server the bundle comes from (stored with the patient id as the `fhir` identifier). */
  source: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500).optional(),
  /** The organisation the new case belongs to (needed when the caller writes cases in several). */
  organisation: z.string().min(1).max(100).optional(),
});

function isStream(body: unknown): body is AsyncIterable<Uint8Array> {
  return body !== null && typeof body === 'object' && Symbol.asyncIterator in body;
}

/** Passes a request body through, stopping (and saying so) past `max` bytes. */
async function* limited(body: AsyncIterable<Uint8Array>, max: number, onTooLarge: () => void): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > max) {
      onTooLarge();
      throw new Error('body too large');
    }
    yield chunk;
  }
}

/** FHIR R4 / mCODE over HTTP: a Bundle becomes a case; a case is exported as a Bundle. */
export const fhirRoutes: FastifyPluginAsync = async (app) => {
  // EHRs send FHIR as application/fhir+json.
  // EHRs send FHIR as application/fhir+json: that body is streamed into the importer (memory for what is
  // read, not for the text); application/json is parsed whole, as elsewhere.
  app.addContentTypeParser('application/fhir+json', (_request, payload, done) => done(null, payload));

  app.post(
    '/api/fhir/import',
    {
      onRequest: requireRole('clinician'),
      bodyLimit: fhirBodyLimitBytes(),
      config: { audit: { action: 'case.create', objectType: 'case' } },
      schema: {
        summary: 'Create a case from a FHIR R4 Bundle (mCODE); the response holds the case and the import report',
        tags: ['fhir'],
        querystring: ImportQuery,
      },
    },
    async (request, reply) => {
      const query = request.query as z.output<typeof ImportQuery>;
      const cases = casesOf(request);
      const now = new Date().toISOString();
      const options = {
        asOf: query.asOf ?? now.slice(0, 10),
        ...(query.acceptText === 'true' ? { acceptText: true } : {}),
        ...(query.source !== undefined ? { sourceSystem: query.source } : {}),
      };
      let tooLarge = false;
      const result = isStream(request.body)
        ? await importBundleStream(limited(request.body, fhirBodyLimitBytes(), () => (tooLarge = true)), options)
        : importBundle(request.body, options);
      // The rest of the upload is not read: the connection is closed rather than reused.
      if (tooLarge) return reply.code(413).header('connection', 'close').send(errorBody(`the body is larger than ${fhirBodyLimitBytes() / (1024 * 1024)} MB (RETROPLAN_FHIR_MAX_MB)`, 'body'));
      if (!result.ok) {
        request.auditDetail = result.kind === 'patient' ? 'not one patient' : 'not a FHIR Bundle';
        return reply.code(result.kind === 'patient' ? 422 : 400).send({ errors: result.errors.map((e) => ({ path: e.path ? `body.${e.path}` : 'body', message: e.message })) });
      }
      // After the body is read: a refusal never leaves an upload half-read on the connection.
      const home = await homeOrganisation(request, query.organisation, 'query.organisation');
      if (!home.ok) return reply.code(home.status).send(errorBody(home.message, home.path));
      const { case: c, report, relevant, rejection } = result.value;
      if (!relevant) {
        request.auditDetail = rejection ? 'tumour not retroperitoneal' : 'no retroperitoneal tumour in the bundle';
        const message = rejection ? `${rejection.reason}: ${rejection.found.join(' | ')}` : 'the bundle holds no retroperitoneal tumour or sarcoma (no such Condition)';
        return reply.code(422).send({ ...errorBody(message, 'body'), report, ...(rejection ? { rejection } : {}) });
      }
      // The same patient imported before (same MRN, national id, or FHIR id on the same server): a new version of that case.
      const identifiers = c.patient.identifiers ?? [];
      // Only a case the caller may change is a candidate: a patient known in another organisation is a new case here.
      const existingId = identifiers.length > 0 ? await cases.findCaseByIdentifiers(identifiers, { writable: true }) : undefined;
      const existing = existingId ? await cases.getCase(existingId) : undefined;
      if (existing && !existing.archived) {
        const merged = mergeImported(existing.case as Case, c);
        if (merged) {
          const written = await cases.updateCase(existing.id, existing.version, { title: existing.title, status: existing.status, case: merged.case }, request.user!.username, now);
          // The repository re-indexes the patient's identifiers in the write's transaction.
          if (written.ok) {
            request.auditObjectId = existing.id;
            request.auditDetail = `re-import from FHIR: version ${written.value.version}, ${merged.changes.length} field(s) changed`;
            reply.header('location', `/api/cases/${existing.id}`).header('etag', `"${written.value.version}"`);
            return reply.code(200).send({ record: written.value, report, updated: true, changes: merged.changes });
          }
          report.notes.push(`The patient's case ${existing.id} changed while importing (${written.reason}); a new case is created.`);
        } else {
          report.notes.push(`The import could not be merged into the patient's case ${existing.id}; a new case is created.`);
        }
      }
      const detail = `from FHIR: ${report.used.length} resources used, ${report.ignored.length} ignored`;
      const created = await cases.createCase(
        { title: query.title ?? `Imported from FHIR ${now.slice(0, 10)}`, status: 'workup', case: c, organisationId: home.organisationId },
        request.user!.username,
        now,
        auditForWrite(request, 201, { detail }),
      );
      if (!created.ok) return reply.code(403).send(errorBody('your role does not allow creating cases in this organisation', 'query.organisation'));
      // The repository indexes the patient's identifiers in the create's transaction.
      const record = created.value;
      request.auditObjectId = record.id;
      request.auditDetail = detail;
      reply.header('location', `/api/cases/${record.id}`).header('etag', `"${record.version}"`);
      return reply.code(201).send({ record, report });
    },
  );

  app.get(
    '/api/cases/:id/fhir',
    {
      onRequest: requireRole('viewer'),
      config: { audit: { action: 'case.export.fhir', objectType: 'case' } },
      schema: { summary: 'The current version of a case and its evaluation as an mCODE FHIR R4 Bundle', tags: ['fhir'], params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as z.output<typeof IdParams>;
      const record = await casesOf(request).getCase(id);
      if (!record) return reply.code(404).send(errorBody('no such case'));
      const c = record.case as Case;
      const evaluation = evaluateCase(c);
      const bundle = exportBundle({ case: c, evaluation, reportText: renderTextReport(evaluation), issued: new Date().toISOString(), newId: randomUUID });
      return reply.type('application/fhir+json').send(JSON.stringify(bundle));
    },
  );

  // Optional write-back of the MDT report (RETROPLAN_FHIR_PUSH_URL): a DocumentReference on the patient's record.
  const push = pushConfigFromEnv();
  app.post(
    '/api/cases/:id/fhir/push',
    {
      onRequest: requireRole('clinician'),
      config: { audit: { action: 'case.push.fhir', objectType: 'case' } },
      schema: { summary: 'Write the MDT report of a case to the configured FHIR server as a DocumentReference', tags: ['fhir'], params: IdParams },
    },
    async (request, reply) => {
      const { id } = request.params as z.output<typeof IdParams>;
      if (!push) return reply.code(404).send(errorBody('write-back is not configured on this server (RETROPLAN_FHIR_PUSH_URL)'));
      const record = await casesOf(request).getCase(id);
      if (!record) return reply.code(404).send(errorBody('no such case'));
      if (!(await casesOf(request).can(id, 'case.write'))) return reply.code(403).send(errorBody("your role in the case's organisation does not allow writing its report to the EHR"));
      const c = record.case as Case;
      // The patient's id on that server: the `fhir` identifier whose system is the push server.
      const patientId = (c.patient.identifiers ?? []).find((i) => i.kind === 'fhir' && (i.system ?? '').replace(/\/+$/, '') === push.baseUrl)?.value;
      if (!patientId) return reply.code(422).send(errorBody(`the case has no patient id on ${push.baseUrl} (import the patient from that server first)`, 'case.patient.identifiers'));
      const evaluation = evaluateCase(c);
      const doc = mdtDocumentReference({ patientId, reportText: renderTextReport(evaluation), issued: new Date().toISOString(), title: record.title });
      const outcome = await pushDocument(doc, push);
      request.auditObjectId = id;
      if (!outcome.ok) {
        request.auditDetail = outcome.message;
        return reply.code(outcome.status).send(errorBody(outcome.message));
      }
      request.auditDetail = `DocumentReference written${outcome.location ? ` (${outcome.location})` : ''}`;
      return reply.code(201).send({ pushed: true, ...(outcome.location ? { location: outcome.location } : {}) });
    },
  );
};
