import { z } from 'zod';
import { evaluateCase, SOURCES, versionLine, type Evaluation, type SourceId } from '../../engine/index.ts';
import { importBundle, type ImportResult } from '../fhir/import.ts';

/**
 * The Retroplan CDS Hooks 2.0 service for `patient-view` (DEPENDENCIES.md,
 * "CDS Hooks 2.0 — what a service must do"): discovery, the request schema,
 * and the cards for a patient's FHIR data. Pure: fetching, time and ids are the caller's.
 */

export const SERVICE_ID = 'retroplan-patient-view';
export const SERVICE_PATH = `/cds-services/${SERVICE_ID}`;

/** FHIR logical id (R4 `id` datatype): safe to put in a URL path or query. */
export const FHIR_ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export const PREFETCH_TEMPLATES = {
  patient: 'Patient/{{context.patientId}}',
  conditions: 'Condition?patient={{context.patientId}}',
  observations: 'Observation?patient={{context.patientId}}&_count=200',
} as const;
export type PrefetchKey = keyof typeof PREFETCH_TEMPLATES;

export function discoveryDocument() {
  return {
    services: [
      {
        hook: 'patient-view',
        id: SERVICE_ID,
        title: 'Retroplan — retroperitoneal sarcoma',
        description:
          'For a patient with a retroperitoneal tumour or sarcoma: AJCC 8 stage and FNCLCC grade when computable, red flags, referral to a sarcoma centre, and a link to Retroplan.',
        prefetch: { ...PREFETCH_TEMPLATES },
        usageRequirements: 'Reads the Patient and its Conditions and Observations (prefetched, or fetched from fhirServer with the access token given).',
      },
    ],
  };
}

export const HookRequestSchema = z.looseObject({
  hook: z.literal('patient-view', { error: 'this service answers the patient-view hook' }),
  hookInstance: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(200, { error: 'must be at most 200 characters' }),
  fhirServer: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000).optional(),
  fhirAuthorization: z
    .looseObject({
      access_token: z.string({ error: 'must be a string' }).min(1).max(8192),
      token_type: z.string({ error: 'must be a string' }).max(50),
      expires_in: z.number().optional(),
      scope: z.string().max(4000).optional(),
      subject: z.string().max(500).optional(),
    })
    .optional()
    .nullable(),
  context: z.looseObject({
    userId: z.string({ error: 'must be a string' }).max(200).optional(),
    patientId: z.string({ error: 'is required' }).regex(FHIR_ID_PATTERN, { error: 'must be a FHIR id (letters, digits, - and ., at most 64)' }),
    encounterId: z.string().max(200).optional(),
  }),
  prefetch: z.record(z.string(), z.unknown()).optional().nullable(),
});
export type HookRequest = z.output<typeof HookRequestSchema>;

/** The override reasons this service offers on every card (CDS Hooks 2.0 `overrideReasons`); feedback must use one of them. */
export const OVERRIDE_REASON_SYSTEM = 'urn:retroplan:cds:override-reason';
export const OVERRIDE_REASONS: readonly { system: string; code: string; display: string }[] = [
  { system: OVERRIDE_REASON_SYSTEM, code: 'already-addressed', display: 'Already known and addressed' },
  { system: OVERRIDE_REASON_SYSTEM, code: 'managed-at-sarcoma-centre', display: 'Already managed by a sarcoma centre' },
  { system: OVERRIDE_REASON_SYSTEM, code: 'ehr-data-incorrect', display: 'The EHR data the card rests on is incorrect' },
  { system: OVERRIDE_REASON_SYSTEM, code: 'not-retroperitoneal', display: 'The tumour is not retroperitoneal' },
  { system: OVERRIDE_REASON_SYSTEM, code: 'patient-declined', display: 'Patient declined' },
];

/** RFC 3339 / FHIR instant: date, time and zone (the spec's outcomeTimestamp). */
const ISO_INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const FeedbackSchema = z.looseObject({
  feedback: z
    .array(
      z
        .looseObject({
          card: z.string({ error: 'must be the card uuid' }).min(1).max(100),
          outcome: z.enum(['accepted', 'overridden'], { error: 'must be "accepted" or "overridden"' }),
          acceptedSuggestions: z.array(z.looseObject({ id: z.string().max(100) })).max(50).optional(),
          overrideReason: z
            .looseObject({
              reason: z
                .looseObject({ system: z.string().max(200).optional(), code: z.string({ error: 'must be a code' }).max(100) })
                .refine((c) => OVERRIDE_REASONS.some((r) => r.code === c.code && (c.system === undefined || c.system === r.system)), {
                  error: `must be one of this service's override reasons (${OVERRIDE_REASONS.map((r) => r.code).join(', ')})`,
                })
                .optional(),
              userComment: z.string({ error: 'must be text' }).max(2000, { error: 'must be at most 2000 characters' }).optional(),
            })
            .optional(),
          outcomeTimestamp: z
            .string({ error: 'must be a date-time' })
            .max(40)
            .refine((s) => ISO_INSTANT.test(s) && Number.isFinite(Date.parse(s)), { error: 'must be an ISO 8601 date-time with a time zone, e.g. 2025-01-01T10:00:00Z' }),
        })
        .refine((f) => f.outcome === 'overridden' || f.overrideReason === undefined, { error: 'overrideReason is only for an overridden card', path: ['overrideReason'] }),
    )
    .min(1, { error: 'must hold at least one feedback item' })
    .max(50, { error: 'must hold at most 50 feedback items' }),
});
export type Feedback = z.output<typeof FeedbackSchema>['feedback'][number];

export interface Card {
  readonly uuid: string;
  readonly summary: string;
  readonly indicator: 'info' | 'warning' | 'critical';
  readonly detail?: string;
  readonly source: { readonly label: string; readonly url?: string; readonly topic?: { system: string; code: string; display: string } };
  readonly links?: { label: string; url: string; type: 'absolute' | 'smart'; appContext?: string }[];
  readonly overrideReasons?: readonly { system: string; code: string; display: string }[];
  readonly selectionBehavior?: 'at-most-one' | 'any';
  readonly suggestions?: { label: string; uuid: string; isRecommended?: boolean; actions: { type: 'create'; description: string; resource: Record<string, unknown> }[] }[];
}

/** A card and the stable key of what it says (for de-duplication; not sent). */
export interface IssuedCard {
  readonly key: string;
  readonly card: Card;
}

export interface CardOptions {
  /** Today, YYYY-MM-DD (ages). */
  readonly asOf: string;
  /** Retroplan's public URL, for the source and the link into the app. */
  readonly publicBaseUrl: string;
  readonly newUuid: () => string;
  /** The patient's existing Retroplan case, for a deep link. */
  readonly caseId?: string;
  /** SMART launch URL of Retroplan (a `smart` link) when SMART is configured. */
  readonly smartLaunchUrl?: string;
  /** The calling EHR's FHIR server: the new-case link names it, so the web app can find or import the patient from the right server. */
  readonly fhirServer?: string;
}

const MAX_SUMMARY = 139;
function summary(text: string): string {
  return text.length <= MAX_SUMMARY ? text : `${text.slice(0, MAX_SUMMARY - 1)}…`;
}

const EVIDENCE_LABEL: Record<string, string> = { verified: 'verified', secondary: 'secondary source', consensus: 'consensus', illustrative: 'teaching illustration' };

function sourcesLine(ids: readonly SourceId[]): string {
  return ids.length === 0 ? '' : `\n\nSources: ${[...new Set(ids)].map((id) => `${id} — ${SOURCES[id] ?? id}`).join('; ')}`;
}

/** The patient's prefetched resources as one collection Bundle for the importer. */
export function bundleFromPrefetch(prefetch: Partial<Record<PrefetchKey, unknown>>): unknown {
  const entry = (Object.keys(PREFETCH_TEMPLATES) as PrefetchKey[])
    .map((key) => prefetch[key])
    .filter((resource) => resource !== null && typeof resource === 'object')
    .map((resource) => ({ resource }));
  return { resourceType: 'Bundle', type: 'collection', entry };
}

export type PatientViewResult =
  | { ok: true; cards: IssuedCard[]; imported?: ImportResult; evaluation?: Evaluation }
  | { ok: false; message: string };

/**
 * Cards for one patient's data; `[]` when the patient has no retroperitoneal tumour or sarcoma.
 * Data about another patient than `context.patientId` is an error, never cards.
 */
export function patientViewCards(prefetch: Partial<Record<PrefetchKey, unknown>>, options: CardOptions & { patientId: string }): PatientViewResult {
  const data = importForHook(prefetch, options);
  if (!data.ok) return data;
  if (!data.imported || !data.evaluation) return { ok: true, cards: [] };
  return { ok: true, cards: cardsFor(data.imported, data.evaluation, options), imported: data.imported, evaluation: data.evaluation };
}

/** The patient's prefetched data imported and evaluated; `imported` absent when there is no retroperitoneal tumour. */
export function importForHook(
  prefetch: Partial<Record<PrefetchKey, unknown>>,
  options: { asOf: string; patientId: string },
): { ok: true; imported?: ImportResult; evaluation?: Evaluation } | { ok: false; message: string } {
  const imported = importBundle(bundleFromPrefetch(prefetch), { asOf: options.asOf, patientId: options.patientId });
  if (!imported.ok) return imported.kind === 'patient' ? { ok: false, message: imported.errors.map((e) => e.message).join('; ') } : { ok: true };
  if (!imported.value.relevant) return { ok: true };
  return { ok: true, imported: imported.value, evaluation: evaluateCase(imported.value.case) };
}

function appLinkFor(options: CardOptions, patientId: string | undefined): NonNullable<Card['links']>[number] {
  const base = options.publicBaseUrl.replace(/\/$/, '');
  if (options.caseId !== undefined) return { label: 'Open this patient’s case in Retroplan', url: `${base}/#/cases/${encodeURIComponent(options.caseId)}`, type: 'absolute' };
  if (options.smartLaunchUrl !== undefined) {
    return { label: 'Open Retroplan (SMART launch with this patient)', url: options.smartLaunchUrl, type: 'smart', ...(patientId ? { appContext: JSON.stringify({ patient: patientId }) } : {}) };
  }
  // A patient id means something only on its server: the link carries both (web app: pages/FhirPatientPage.tsx).
  const server = patientId && options.fhirServer ? `&iss=${encodeURIComponent(options.fhirServer)}` : '';
  return { label: 'Open Retroplan (new case from this patient’s data)', url: `${base}/#/cases/new${patientId ? `?fhirPatient=${encodeURIComponent(patientId)}${server}` : ''}`, type: 'absolute' };
}

/** Plasma metanephrines as an order the clinician can accept (no LOINC order code is verified: Retroplan's own code and text). */
function metanephrinesSuggestion(options: CardOptions, patientId: string | undefined): NonNullable<Card['suggestions']>[number] {
  return {
    label: 'Order plasma free metanephrines',
    uuid: options.newUuid(),
    isRecommended: true,
    actions: [
      {
        type: 'create',
        description: 'Order plasma free metanephrines before any biopsy or surgery',
        resource: {
          resourceType: 'ServiceRequest',
          status: 'draft',
          intent: 'proposal',
          code: { coding: [{ system: 'urn:retroplan:fhir:codesystem', code: 'order-plasma-metanephrines', display: 'Plasma free metanephrines' }], text: 'Plasma free metanephrines' },
          ...(patientId ? { subject: { reference: `Patient/${patientId}` } } : {}),
        },
      },
    ],
  };
}

export function cardsFor(imported: ImportResult, evaluation: Evaluation, options: CardOptions): IssuedCard[] {
  const source = { label: 'Retroplan', url: options.publicBaseUrl, topic: releaseTopic(evaluation) };
  const appLink = appLinkFor(options, imported.patientId);
  const overrideReasons = OVERRIDE_REASONS;
  const cards: IssuedCard[] = [];
  const push = (key: string, card: Omit<Card, 'overrideReasons'>) => cards.push({ key, card: { ...card, overrideReasons } });
  const { stage, grade } = evaluation;
  const leading = (evaluation as Partial<Evaluation>).diagnosis?.leading;
  const what = leading?.name ? `Retroperitoneal ${leading.name}` : 'Retroperitoneal tumour';

  const discrepancies = imported.report.notes.filter((n) => /disagrees|please review|cannot set the tumour size/.test(n));
  const provisional = (stage as { provisional?: unknown }).provisional === true;
  if (stage.group) {
    push('stage', {
      uuid: options.newUuid(),
      summary: summary(
        provisional
          ? `${what}: provisional AJCC 8 stage ${stage.group} (${stage.t} ${stage.n} ${stage.m}) — diagnosis not confirmed by tissue`
          : `${what}: AJCC 8 stage ${stage.group} (${stage.t} ${stage.n} ${stage.m}, FNCLCC ${grade.grade})${stage.recurrent ? ', recurrent' : ''}`,
      ),
      indicator: 'info',
      detail: [...stage.reasons, ...grade.reasons, ...discrepancies].map((r) => `- ${r}`).join('\n') + sourcesLine([...stage.sources, ...grade.sources]),
      source,
      links: [appLink],
    });
  } else {
    const missing = stage.missing.length > 0 ? stage.missing.join('; ') : stage.reasons[stage.reasons.length - 1] ?? 'not a sarcoma';
    push('stage', {
      uuid: options.newUuid(),
      summary: summary(`${what}: no AJCC 8 stage group — ${missing}`),
      indicator: stage.missing.length > 0 ? 'warning' : 'info',
      detail: [...stage.reasons, ...discrepancies].map((r) => `- ${r}`).join('\n') + sourcesLine(stage.sources),
      source,
      links: [appLink],
    });
  }

  for (const flag of (evaluation as Partial<Evaluation>).diagnosis?.redFlags ?? []) {
    const order = flag.id === 'metanephrines-before-biopsy';
    push(`red-flag:${flag.id}`, {
      uuid: options.newUuid(),
      summary: summary(flag.message),
      indicator: 'critical',
      detail: `${flag.message}\n\nEvidence: ${EVIDENCE_LABEL[flag.evidence] ?? flag.evidence}.${sourcesLine(flag.sources)}`,
      source,
      ...(order ? { selectionBehavior: 'at-most-one' as const, suggestions: [metanephrinesSuggestion(options, imported.patientId)] } : {}),
    });
  }

  if (evaluation.warnings.length > 0) {
    push('cautions', {
      uuid: options.newUuid(),
      summary: summary(`${evaluation.warnings.length} caution${evaluation.warnings.length === 1 ? '' : 's'}: ${evaluation.warnings[0]!.message}`),
      indicator: 'warning',
      detail: evaluation.warnings.map((w) => `- ${w.message}${w.evidence ? ` (${EVIDENCE_LABEL[w.evidence] ?? w.evidence})` : ''}`).join('\n') + sourcesLine(evaluation.warnings.flatMap((w) => w.sources)),
      source,
    });
  }

  const referral = (evaluation as Partial<Evaluation>).referral;
  if (referral?.recommended) {
    push('referral', {
      uuid: options.newUuid(),
      summary: summary(`Refer to a high-volume sarcoma centre ${referral.timing ?? ''}`.trim()),
      indicator: 'warning',
      detail:
        [...referral.reasons.map((r) => `- ${r}`), '', 'Evidence:', ...referral.evidence.map((e) => `- ${e.text} (${EVIDENCE_LABEL[e.evidence] ?? e.evidence})`)].join('\n') +
        sourcesLine(referral.sources),
      source,
      links: [appLink],
    });
  }
  // Every card names the release whose safety case covers it, in the text a clinician reads too.
  return cards.map(({ key, card }) => ({ key, card: { ...card, detail: `${card.detail ?? ''}\n\n_${versionLine()}_`.trimStart() } }));
}

/** The release as a Coding: engine and clinical-rules versions (source.topic), for tracing a card to its safety case. */
export function releaseTopic(evaluation: Evaluation): { system: string; code: string; display: string } {
  const engine = evaluation.engine as Evaluation['engine'] & { rulesVersion?: string };
  return { system: 'urn:retroplan:release', code: `${engine.version}+rules.${engine.rulesVersion ?? 'unknown'}`, display: versionLine() };
}
