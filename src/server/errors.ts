import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { toFieldErrors, InputError, type FieldError } from '../engine/index.ts';

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
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    const errors = toFieldErrors(result.error).map((e) => ({
      path: prefix && e.path ? `${prefix}.${e.path}` : prefix || e.path,
      message: e.message,
    }));
    return { error: new RequestValidationError(errors) };
  };
};

export function errorBody(message: string, path = ''): { errors: FieldError[] } {
  return { errors: [{ path, message }] };
}

const CLIENT_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is larger than 1 MB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'send the body as application/json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the JSON body is empty',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the Content-Length does not match the body',
};

/** Every error a client can cause → its 4xx with `{errors}`; anything else → 500 without details. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RequestValidationError || error instanceof InputError) {
    return reply.code(400).send({ errors: error.errors });
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = fastifyError.code ?? '';
    let message = CLIENT_MESSAGES[code] ?? error.message;
    if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      // V8's message echoes the body; say where it broke instead.
      const offset = /position (\d+)/.exec(error.message)?.[1];
      message = `the body is not valid JSON${offset ? ` (at offset ${offset})` : ''}`;
    }
    if (/prototype|__proto__|constructor/i.test(error.message) && status === 400) message = 'the body contains a forbidden key (__proto__ or constructor.prototype)';
    return reply.code(status).send(errorBody(message));
  }
  request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'request failed');
  return reply.code(500).send(errorBody('internal error'));
}
