import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ENGINE_VERSION } from '../engine/index.ts';
import { openRepository, type DatabaseConfig, type Repository } from '../store/index.ts';
import './types.ts';
import { auditResponse } from './audit.ts';
import { authenticate, requiredRoleOf, SESSION_COOKIE } from './auth/guard.ts';
import { errorBody, handleError, zodValidatorCompiler } from './errors.ts';
import { auditRoutes } from './routes/audit.ts';
import { cdsHooksRoutes } from './routes/cds-hooks.ts';
import { fhirRoutes } from './routes/fhir.ts';
import { caseRoutes } from './routes/cases.ts';
import { evaluateRoutes } from './routes/evaluate.ts';
import { healthRoutes } from './routes/health.ts';
import { sessionRoutes } from './routes/session.ts';
import { setupRoutes } from './routes/setup.ts';
import { userRoutes } from './routes/users.ts';
import { DEFAULT_SETTINGS, type ServerSettings } from './settings.ts';
import { DEFAULT_WEB_ROOT, hasWebApp, isSpaPath, registerWebApp } from './web.ts';

export { requireRole, hasRole } from './auth/guard.ts';
export { recordAudit } from './audit.ts';
export { errorBody } from './errors.ts';

export interface ServerOptions {
  /** The store: a database to open (closed with the server) or an open repository (left open). */
  readonly database: DatabaseConfig | Repository;
  /** false: no logging (tests). Otherwise pino at `level` (default info) to `stream` (default stdout). */
  readonly logger?: false | { readonly level?: string; readonly stream?: NodeJS.WritableStream };
  /**
   * log2 of scrypt's N for passwords set through the API. Tests only, to keep
   * them fast; production always uses 17 (this is not read from the environment).
   */
  readonly scryptCost?: number;
  /** Trust X-Forwarded-* (client address, https) from a reverse proxy: true, or its address(es). Default false. */
  readonly trustProxy?: boolean | string | string[];
  /** The built web app; null serves none. Default `web/dist` when it has an index.html. */
  readonly webRoot?: string | null;
  readonly settings?: Partial<Omit<ServerSettings, 'scryptLog2N'>>;
  /** Registers extra routes before the server starts (the benchmark's echo route). */
  readonly extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
}

/**
 * Plugins registered at the root after the API routes. Each reuses this
 * server's auth (`onRequest: requireRole('clinician')`), audit (`config.audit`
 * or `recordAudit`) and store (`app.repo`).
 */
const INTEROP_PLUGINS: FastifyPluginAsync[] = [fhirRoutes, cdsHooksRoutes];

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Paths whose query string may carry patient data (title search): logged without it. */
function pathOnly(url: string | undefined): string {
  return (url ?? '').split('?')[0]!;
}

function loggerOptions(logger: ServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === false) return false;
  return {
    level: logger?.level ?? 'info',
    ...(logger?.stream ? { stream: logger.stream } : {}),
    // Requests are logged by method, path and client — never headers, query strings or bodies.
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: pathOnly(req.url), remoteAddress: req.ip }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'headers.authorization', 'headers.cookie', 'password', 'token', 'body'], censor: '[redacted]' },
  };
}

const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Inline style attributes inside the app's SVG diagrams.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  // Not upgrade-insecure-requests: a plain-HTTP install on a ward network must still load its own scripts.
  upgradeInsecureRequests: null,
};

/**
 * Builds the Retroplan server (ready, not listening yet).
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const ownsRepo = !('kind' in options.database && 'close' in options.database);
  const repo = ownsRepo ? await openRepository(options.database as DatabaseConfig) : (options.database as Repository);
  try {
    return await buildApp(options, repo, ownsRepo);
  } catch (error) {
    if (ownsRepo) await repo.close();
    throw error;
  }
}

async function buildApp(options: ServerOptions, repo: Repository, ownsRepo: boolean): Promise<FastifyInstance> {
  const settings: ServerSettings = {
    ...DEFAULT_SETTINGS,
    ...options.settings,
    scryptLog2N: options.scryptCost ?? DEFAULT_SETTINGS.scryptLog2N,
  };
  const webRoot = options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot;

  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
    // JSON with __proto__ or constructor.prototype is rejected (400), never merged.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('repo', repo);
  app.decorateRequest('user', null);
  app.decorateRequest('authVia', null);
  if (ownsRepo) app.addHook('onClose', async () => repo.close());

  // Every /api route must say who may call it: a requireRole guard or config.public.
  // The guard's role is published in the OpenAPI document (x-required-role).
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const role = requiredRoleOf(route.onRequest);
    if (!role && route.config?.public !== true) {
      throw new Error(`${route.method} ${route.url} has no access rule: add onRequest: requireRole(...) or config: { public: true }`);
    }
    route.schema = {
      ...route.schema,
      security: role ? [{ bearerAuth: [] }, { sessionCookie: [] }] : [],
      ...(role ? { 'x-required-role': role } : {}),
    } as typeof route.schema;
  });

  // helmet's middleware is built once: @fastify/helmet rebuilds it (and re-parses the CSP) on every request.
  const securityHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES } });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Retroplan API',
        version: ENGINE_VERSION,
        description:
          'Cases of retroperitoneal sarcoma, their versions, evaluations and tumour-board decisions; users, tokens and the audit log. ' +
          'Authenticate with a session cookie (POST /api/session) or `Authorization: Bearer <token>`. ' +
          'Each operation names the role it needs in `x-required-role` (viewer < clinician < admin).',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  });

  app.addHook('onRequest', authenticate);
  app.addHook('onSend', auditResponse);
  app.setErrorHandler(handleError);

  const serveWeb = hasWebApp(webRoot);
  app.setNotFoundHandler((request, reply) => {
    if (serveWeb && (request.method === 'GET' || request.method === 'HEAD') && isSpaPath(request.url)) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send(errorBody(`no route ${request.method} ${pathOnly(request.url)}`));
  });

  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(sessionRoutes, { settings });
      await api.register(setupRoutes, { settings });
      await api.register(caseRoutes);
      await api.register(evaluateRoutes);
      await api.register(userRoutes, { settings });
      await api.register(auditRoutes);
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );
  // Interop plugins (routes/fhir.ts, routes/cds-hooks.ts): one line each in INTEROP_PLUGINS.
  for (const plugin of INTEROP_PLUGINS) await app.register(plugin);
  if (options.extraRoutes) await options.extraRoutes(app);
  if (serveWeb) await registerWebApp(app, webRoot);

  await app.ready();
  return app;
}
