/**
 * Size limit for FHIR import and CDS Hooks request bodies: a real lifetime record is several
 * megabytes and prefetch can exceed 1 MB (issue 11). RETROPLAN_FHIR_MAX_MB, default 64 MB.
 */
export function fhirBodyLimitBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RETROPLAN_FHIR_MAX_MB;
  const mb = raw !== undefined && /^\d{1,5}$/.test(raw.trim()) ? Number(raw) : 64;
  return Math.max(1, mb) * 1024 * 1024;
}
