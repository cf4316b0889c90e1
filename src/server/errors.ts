import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { toFieldErrors, InputError, type FieldError } from '../engine/index.ts';
import { capErrors, findTooDeep, MAX_JSON_DEPTH, oneLine } from '../shared/json-limits.ts';

/** A request part that failed its zod schema; carries the engine's field errors. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super('invalid request');
    this.errors = errors;
  }
}

const PART_PREFIX: Record<string, string> = { body: '', querystring: 'query', params: 'params', headers: 'headers' };

/**
 * Validates with zod and reports the engine's field errors (`case.tumor.sizeCm`,
 * `case.tumor.contacts[2]`) — the same paths and messages as the CLI.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const prefix = PART_PREFIX[httpPart ?? 'body'] ?? '';
  return (data: unknown) => {
    const result = validateRequestPart(schema, data, prefix);
    return result.ok ? { value: result.value } : { error: new RequestValidationError(result.errors) };
  };
};

/** One request part against its schema: the value, or the capped field errors with `prefix` on each path. */
export function validateRequestPart<T>(schema: z.ZodType<T>, data: unknown, prefix = ''): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const errors = toFieldErrors(result.error).map((e) => ({
    path: prefix && e.path ? `${prefix}.${e.path}` : prefix || e.path,
    message: e.message,
  }));
  return { ok: false, errors: capErrors(errors) };
}

export function errorBody(message: string, path = ''): { errors: FieldError[] } {
  return { errors: [{ path, message }] };
}

/**
 * preValidation hook: a parsed body nested deeper than MAX_JSON_DEPTH is refused
 * (400, naming where) before a schema, a message or the engine can recurse into it.
 * A hook rather than one parser, so every body parser (JSON, FHIR JSON) is covered.
 */
export async function limitBodyDepth(request: FastifyRequest): Promise<void> {
  // Only parsed JSON: a body left as a stream (the streamed FHIR import) checks its own depth as it reads.
  const body: unknown = request.body;
  if (body === null || typeof body !== 'object' || !(Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype || Object.getPrototypeOf(body) === null)) return;
  const tooDeep = findTooDeep(body, MAX_JSON_DEPTH);
  if (tooDeep) throw new RequestValidationError([tooDeep]);
}

const CLIENT_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is larger than 1 MB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the body as application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the JSON body is empty',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the Content-Length does not match the body',
  FST_ERR_BAD_URL: 'the path is not a valid URL (a malformed % escape?)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment is longer than 200 characters',
  FST_ERR_ASYNC_CONSTRAINT: 'the request does not match this route',
};

/** Fastify's errors raised before routing (bad % escapes, over-long parameters): the same `{errors}` shape. */
export function frameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  reply
    .code(status)
    .header('cache-control', 'no-store')
    .send(errorBody(CLIENT_MESSAGES[error.code] ?? 'bad request', 'url'));
}

/** Requests the HTTP parser itself refuses (unknown method, malformed headers): answered in the `{errors}` shape, then closed. */
export function clientErrorResponse(error: Error & { code?: string }): string {
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
  const message = status === 431 ? 'the request headers are too large' : status === 408 ? 'the request took too long to arrive' : 'the request is not valid HTTP';
  const body = JSON.stringify(errorBody(message));
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Every error a client can cause → its 4xx with `{errors}`; anything else → 500 without details. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RequestValidationError || error instanceof InputError) {
    return reply.code(400).send({ errors: capErrors(error.errors) });
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = fastifyError.code ?? '';
    // Fastify's and plugins' own messages can quote the request: one bounded line at most.
    let message = CLIENT_MESSAGES[code] ?? oneLine(error.message, 200);
    if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      // V8's message echoes the body; say where it broke instead.
      const offset = /position (\d+)/.exec(error.message)?.[1];
      message = `the body is not valid JSON${offset ? ` (at offset ${offset})` : ''}`;
    }
    if (/prototype|__proto__|constructor/i.test(error.message) && status === 400) message = 'the body contains a forbidden key (__proto__ or constructor.prototype)';
    const path = code.startsWith('FST_ERR_CTP_') || error instanceof SyntaxError ? 'body' : '';
    return reply.code(status).send(errorBody(message, path));
  }
  request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'request failed');
  return reply.code(500).send(errorBody('internal error'));
}
