import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * Response serialisers for the hot routes (performance, issue 9).
 *
 * - `compiledSerializer`: fast-json-stringify compiled once from the route's zod response
 *   schema (via its JSON Schema), instead of fastify-type-provider-zod's default, which
 *   re-validates every response with zod and then calls JSON.stringify. The zod schemas stay
 *   the one source of truth; the compiled function writes exactly their properties, as the
 *   zod serialiser did (zod strips unknown keys too).
 * - `serializeEvaluation`: the engine's evaluation is open-ended (no zod schema; ~18 kB). A
 *   JSON Schema for fast-json-stringify written beside the TypeScript types would be a second
 *   copy to keep in step, and measured no faster than JSON.stringify on this payload (see
 *   docs/architecture.md, Performance). What does pay: several top-level parts of an evaluation
 *   are shared, deeply frozen table results (engine, referral, surveillance, failure pattern,
 *   margin, …), so their JSON is computed once and reused.
 */

/** A serializerCompiler for every status of one route (Fastify calls it once per status schema). */
export function compiledSerializer({ schema }: { schema: unknown }): (data: unknown) => string {
  const json = z.toJSONSchema(schema as z.ZodType, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
  const stringify = fastJson(json as Parameters<typeof fastJson>[0]);
  return (data) => stringify(data);
}

/** JSON of deeply frozen plain values, computed once per object. */
const frozenJson = new WeakMap<object, string>();
/** Frozen objects found not to be deeply frozen plain data (never cached). */
const notCacheable = new WeakSet<object>();

/**
 * True when nothing reachable from `value` can ever change or serialise differently: frozen
 * plain objects and arrays all the way down, data properties only (no getters), no toJSON.
 */
function immutablePlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  if (!Object.isFrozen(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(value))) {
    if (!('value' in descriptor) || !immutablePlain(descriptor.value)) return false;
  }
  return !('toJSON' in value);
}

/** JSON.stringify(value), from the cache when the value is immutable plain data. */
function partJson(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && Object.isFrozen(value)) {
    const cached = frozenJson.get(value);
    if (cached !== undefined) return cached;
    if (!notCacheable.has(value)) {
      if (immutablePlain(value)) {
        const json = JSON.stringify(value);
        frozenJson.set(value, json);
        return json;
      }
      notCacheable.add(value);
    }
  }
  return JSON.stringify(value);
}

/**
 * Exactly JSON.stringify(evaluation) (same bytes, same key order; undefined parts left out),
 * with the JSON of shared frozen parts reused. Only the top level is walked here: walking
 * deeper in JavaScript costs more than V8's JSON.stringify saves (measured).
 */
export function serializeEvaluation(evaluation: object): string {
  if (Array.isArray(evaluation) || 'toJSON' in evaluation) return JSON.stringify(evaluation);
  let out = '{';
  for (const key of Object.keys(evaluation)) {
    const json = partJson((evaluation as Record<string, unknown>)[key]);
    if (json === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${json}`;
  }
  return `${out}}`;
}
