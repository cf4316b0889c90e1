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

export const FeedbackSchema = z.looseObject({
  feedback: z
    .array(
      z.looseObject({
        card: z.string({ error: 'must be the card uuid' }).min(1).max(100),
        outcome: z.enum(['accepted', 'overridden'], { error: 'must be "accepted" or "overridden"' }),
        acceptedSuggestions: z.array(z.looseObject({ id: z.string().max(100) })).max(50).optional(),
        overrideReason: z.looseObject({}).optional(),
        outcomeTimestamp: z.string({ error: 'must be a date-time' }).max(40).refine((s) => Number.isFinite(Date.parse(s)), { error: 'must be a date-time' }),
      }),
    )
    .min(1, { error: 'must hold at least one feedback item' })
    .max(50, { error: 'must hold at most 50 feedback items' }),
});

export interface Card {
  readonly uuid: string;
  readonly summary: string;
  readonly indicator: 'info' | 'warning' | 'critical';
  readonly detail?: string;
  readonly source: { readonly label: string; readonly url?: string; readonly topic?: { system: string; code: string; display: string } };
  readonly links?: { label: string; url: string; type: 'absolute' | 'smart' }[];
}

export interface CardOptions {
  /** Today, YYYY-MM-DD (ages). */
  readonly asOf: string;
  /** Retroplan's public URL, for the source and the link into the app. */
  readonly publicBaseUrl: string;
  readonly newUuid: () => string;
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

/** Cards for one patient's data; `[]` when the patient has no retroperitoneal tumour or sarcoma. */
export function patientViewCards(prefetch: Partial<Record<PrefetchKey, unknown>>, options: CardOptions): { cards: Card[]; imported?: ImportResult; evaluation?: Evaluation } {
  const imported = importBundle(bundleFromPrefetch(prefetch), { asOf: options.asOf });
  if (!imported.ok || !imported.value.relevant) return { cards: [] };
  const evaluation = evaluateCase(imported.value.case);
  return { cards: cardsFor(imported.value, evaluation, options), imported: imported.value, evaluation };
}

export function cardsFor(imported: ImportResult, evaluation: Evaluation, options: CardOptions): Card[] {
  const source = { label: 'Retroplan', url: options.publicBaseUrl, topic: releaseTopic(evaluation) };
  const appLink = { label: 'Open Retroplan (new case from this patient’s data)', url: `${options.publicBaseUrl.replace(/\/$/, '')}/#/cases/new`, type: 'absolute' as const };
  const cards: Card[] = [];
  const { stage, grade } = evaluation;
  const leading = (evaluation as Partial<Evaluation>).diagnosis?.leading;
  const what = leading?.name ? `Retroperitoneal ${leading.name}` : 'Retroperitoneal tumour';

  const discrepancies = imported.report.notes.filter((n) => /disagrees|please review|cannot set the tumour size/.test(n));
  if (stage.group) {
    cards.push({
      uuid: options.newUuid(),
      summary: summary(`${what}: AJCC 8 stage ${stage.group} (${stage.t} ${stage.n} ${stage.m}, FNCLCC ${grade.grade})${stage.recurrent ? ', recurrent' : ''}`),
      indicator: 'info',
      detail: [...stage.reasons, ...grade.reasons, ...discrepancies].map((r) => `- ${r}`).join('\n') + sourcesLine([...stage.sources, ...grade.sources]),
      source,
      links: [appLink],
    });
  } else {
    const missing = stage.missing.length > 0 ? stage.missing.join('; ') : stage.reasons[stage.reasons.length - 1] ?? 'not a sarcoma';
    cards.push({
      uuid: options.newUuid(),
      summary: summary(`${what}: no AJCC 8 stage group — ${missing}`),
      indicator: stage.missing.length > 0 ? 'warning' : 'info',
      detail: [...stage.reasons, ...discrepancies].map((r) => `- ${r}`).join('\n') + sourcesLine(stage.sources),
      source,
      links: [appLink],
    });
  }

  for (const flag of (evaluation as Partial<Evaluation>).diagnosis?.redFlags ?? []) {
    cards.push({
      uuid: options.newUuid(),
      summary: summary(flag.message),
      indicator: 'critical',
      detail: `${flag.message}\n\nEvidence: ${EVIDENCE_LABEL[flag.evidence] ?? flag.evidence}.${sourcesLine(flag.sources)}`,
      source,
    });
  }

  if (evaluation.warnings.length > 0) {
    cards.push({
      uuid: options.newUuid(),
      summary: summary(`${evaluation.warnings.length} caution${evaluation.warnings.length === 1 ? '' : 's'}: ${evaluation.warnings[0]!.message}`),
      indicator: 'warning',
      detail: evaluation.warnings.map((w) => `- ${w.message}${w.evidence ? ` (${EVIDENCE_LABEL[w.evidence] ?? w.evidence})` : ''}`).join('\n') + sourcesLine(evaluation.warnings.flatMap((w) => w.sources)),
      source,
    });
  }

  const referral = (evaluation as Partial<Evaluation>).referral;
  if (referral?.recommended) {
    cards.push({
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
  return cards.map((card) => ({ ...card, detail: `${card.detail ?? ''}\n\n_${versionLine()}_`.trimStart() }));
}

/** The release as a Coding: engine and clinical-rules versions (source.topic), for tracing a card to its safety case. */
export function releaseTopic(evaluation: Evaluation): { system: string; code: string; display: string } {
  const engine = evaluation.engine as Evaluation['engine'] & { rulesVersion?: string };
  return { system: 'urn:retroplan:release', code: `${engine.version}+rules.${engine.rulesVersion ?? 'unknown'}`, display: versionLine() };
}
