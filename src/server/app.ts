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
import { AuditWriter, auditResponse, RefusedCalls } from './audit.ts';
import { authenticate, requiredRoleOf, requiresNetworkAdmin, SESSION_COOKIE } from './auth/guard.ts';
import { loadAccessScope } from './access-scope.ts';
import { clientErrorResponse, errorBody, frameworkError, handleError, limitBodyDepth, zodValidatorCompiler } from './errors.ts';
import { parseTrustedProxies } from './trust-proxy.ts';
import { oneLine } from '../shared/json-limits.ts';
import { auditRoutes } from './routes/audit.ts';
import { networkRoutes } from './routes/network.ts';
import { cdsHooksRoutes } from './routes/cds-hooks.ts';
import { fhirRoutes } from './routes/fhir.ts';
import { caseRoutes } from './routes/cases.ts';
import { centreAuditRoutes } from './routes/centre-audit.ts';
import { intraopRoutes } from './routes/intraop.ts';
import { practiceRoutes } from './routes/practice.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { referralRoutes } from './routes/referrals.ts';
import { evaluateRoutes } from './routes/evaluate.ts';
import { healthRoutes } from './routes/health.ts';
import { sessionRoutes } from './routes/session.ts';
import { setupRoutes } from './routes/setup.ts';
import { smartRoutes } from './routes/smart.ts';
import { SmartRegistry, smartClientsFromEnv } from '../interop/smart/clients.ts';
import { userRoutes } from './routes/users.ts';
import { DEFAULT_SETTINGS, type ServerSettings } from './settings.ts';
import { evaluationRunner, evaluationThreadsFromEnv } from './evaluation-pool.ts';
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
  /**
   * Trust X-Forwarded-* (client address, https) from these reverse proxies only: addresses or
   * CIDRs (a list, or one comma-separated string). Default: trust none. A bare `true`, which
   * would let any client forge its address, is refused at start-up.
   */
  readonly trustProxy?: false | string | readonly string[];
  /** Request and connection time limits; the defaults suit production, tests shorten them. */
  readonly timeouts?: Partial<ServerTimeouts>;
  /** The built web app; null serves none. Default `web/dist` when it has an index.html. */
  readonly webRoot?: string | null;
  readonly settings?: Partial<Omit<ServerSettings, 'scryptLog2N'>>;
  /** Evaluation threads for POST /api/evaluate (0: in the server's own); default RETROPLAN_EVALUATION_THREADS, else cores − 1 (1–4). */
  readonly evaluationThreads?: number;
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

export interface ServerTimeouts {
  /** The whole request (headers and body) must arrive within this (a stalled upload is cut off). */
  readonly requestMs: number;
  /** A connection with no traffic for this long is closed (also idle keep-alive connections). */
  readonly idleMs: number;
  /** How often Node checks running requests against requestMs. */
  readonly checkIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { requestMs: 30_000, idleMs: 30_000, checkIntervalMs: 5_000 };

/** Responses under these prefixes may carry patient data: never stored by a browser or proxy cache. */
const NO_STORE_PREFIXES = ['/api/', '/cds-services'];

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

/**
 * The browser side of a SMART launch fetches the EHR's token endpoint and FHIR server itself
 * (the EHR token never reaches Retroplan's server): connect-src names exactly the registered
 * EHRs' origins, read on every request so a newly registered EHR needs no restart.
 */
function cspDirectives(smart: SmartRegistry) {
  return { ...CSP_DIRECTIVES, connectSrc: [() => smart.connectSources()] };
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
  const trustedProxies = parseTrustedProxies(options.trustProxy);
  const timeouts: ServerTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };

  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: trustedProxies.length > 0 ? [...trustedProxies] : false,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: Math.min(5_000, timeouts.idleMs),
    http: { connectionsCheckingInterval: timeouts.checkIntervalMs },
    // Errors before routing (malformed % escapes) and refused HTTP: the same {errors} shape as every other error.
    frameworkErrors: frameworkError,
    clientErrorHandler: (error, socket) => {
      if (socket.writable) socket.end(clientErrorResponse(error));
      else socket.destroy(error);
    },
    // JSON with __proto__ or constructor.prototype is rejected (400), never merged.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { maxParamLength: 200 },
    // Registering the routes compiles every route's schemas; on a busy machine that has taken more
    // than Fastify's default 10 s, and a server that starts slowly must still start.
    pluginTimeout: 120_000,
  }).withTypeProvider<ZodTypeProvider>();

  // The API takes JSON only (FHIR JSON where the interop routes add it): text/plain is a 415, not a string body.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(zodValidatorCompiler);
  app.addHook('preValidation', limitBodyDepth);
  app.addHook('onSend', async (request, reply, payload) => {
    const path = request.url;
    if (NO_STORE_PREFIXES.some((prefix) => path.startsWith(prefix))) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('repo', repo);
  app.decorate('auditWriter', new AuditWriter(repo));
  app.decorate('refusedCalls', new RefusedCalls(repo, { maxPerMinute: settings.refusedCallsPerMinute }));
  app.decorate('evaluations', evaluationRunner(options.evaluationThreads ?? evaluationThreadsFromEnv()));
  const smart = new SmartRegistry(smartClientsFromEnv(process.env), () => repo.listSmartClients());
  await smart.refresh(true);
  app.decorate('smart', smart);
  app.decorateRequest('user', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('accessScope', null);
  app.addHook('onClose', async () => {
    await app.auditWriter.drain();
    await app.refusedCalls.close();
    await app.evaluations.close();
    if (ownsRepo) await repo.close();
  });

  // Every route's path pattern and methods, so an unknown method on a known path is a 405 (with Allow), not a 404.
  const routePatterns: { pattern: RegExp; methods: Set<string> }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+').replace(/\*$/, '.*');
    routePatterns.push({ pattern: new RegExp(`^${source}/?$`), methods: new Set([route.method].flat().map(String)) });
  });

  // Every /api route must say who may call it: a requireRole guard or config.public.
  // The guard's role is published in the OpenAPI document (x-required-role).
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const role = requiredRoleOf(route.onRequest);
    if (!role && route.config?.public !== true) {
      throw new Error(`${route.method} ${route.url} has no access rule: add onRequest: requireRole(...) or config: { public: true }`);
    }
    if (role) route.config = { ...route.config, requiredRole: role };
    route.schema = {
      ...route.schema,
      security: role ? [{ bearerAuth: [] }, { sessionCookie: [] }] : [],
      ...(role ? { 'x-required-role': role } : {}),
      // The network's administration also needs the network administrator flag (auth/guard.ts).
      ...(requiresNetworkAdmin(route.onRequest) ? { 'x-network-admin': true } : {}),
    } as typeof route.schema;
  });

  // helmet's middleware is built once: @fastify/helmet rebuilds it (and re-parses the CSP) on every request.
  // Instances on one database share the registered EHRs: each re-reads them at most every 30 s.
  app.addHook('onRequest', async (request) => {
    // A failed read keeps the list it had: the request goes on.
    await smart.refresh().catch((error: unknown) => request.log.warn({ err: error }, 'could not re-read the SMART EHR list'));
  });
  const securityHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(smart) } });
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
  app.addHook('onRequest', loadAccessScope);
  // An address that keeps calling without credentials is slowed down (429) before any route work.
  app.addHook('onRequest', async (request, reply) => {
    if (request.user || !request.routeOptions.config?.requiredRole || !app.refusedCalls.isLimited(request.ip)) return;
    app.refusedCalls.record(request.ip, request.routeOptions.config?.audit?.action ?? `${request.method} ${request.routeOptions.url}`, 429);
    request.auditInWrite = 429;
    return reply.code(429).header('retry-after', '60').send(errorBody('too many calls without credentials from this address; wait a minute, then log in'));
  });
  app.addHook('onSend', auditResponse);
  app.setErrorHandler(handleError);

  const serveWeb = hasWebApp(webRoot);
  app.setNotFoundHandler((request, reply) => {
    if (serveWeb && (request.method === 'GET' || request.method === 'HEAD') && isSpaPath(request.url)) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    }
    const path = pathOnly(request.url);
    const allowed = new Set(routePatterns.filter((r) => r.pattern.test(path)).flatMap((r) => [...r.methods]));
    if (allowed.size > 0 && !allowed.has(request.method)) {
      return reply
        .code(405)
        .header('allow', [...allowed].sort().join(', '))
        .send(errorBody(`${request.method} is not allowed here; use ${[...allowed].sort().join(' or ')}`, 'method'));
    }
    return reply.code(404).send(errorBody(`no route ${request.method} ${oneLine(path, 200)}`, 'url'));
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
      await api.register(smartRoutes);
      // Issues 14–15: intra-operative events, the centre audit, practice cases and attempts.
      for (const plugin of [intraopRoutes, centreAuditRoutes, practiceRoutes]) await api.register(plugin);
      // Issue 13 part B: tumour-board meetings, signed decisions and their letters.
      await api.register(meetingRoutes);
      // Issue 13: organisations and referrals between them.
      await api.register(referralRoutes);
      await api.register(networkRoutes);
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
