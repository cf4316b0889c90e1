import type { Command } from 'commander';
import { createServer } from '../../server/app.ts';
import { parseTrustedProxies } from '../../server/trust-proxy.ts';
import { setupPath } from '../../server/routes/setup.ts';
import { describeDatabase, parseDatabaseUrl } from '../../store/index.ts';
import { CliError, type CliIo } from '../io.ts';

export const FIRST_ADMIN_HINT = `
No user exists yet. Create the first admin (the password is read from stdin, at least 12 characters):

  npx retroplan user add <username> --role admin

then log in at the address above, or create an API token with: npx retroplan token create <username>
`;

/**
 * TRUST_PROXY: unset/false → ignore X-Forwarded-*; otherwise a comma-separated list of proxy
 * addresses/CIDRs. `true` is refused (exit 2): it would trust a forged X-Forwarded-For from anyone.
 */
export function parseTrustProxy(value: string | undefined): false | string[] {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') {
    throw new CliError('TRUST_PROXY=true would trust X-Forwarded-For from any client; set it to your proxy addresses or CIDRs, e.g. TRUST_PROXY=127.0.0.1,10.0.0.0/8');
  }
  try {
    return parseTrustedProxies(value);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`port must be 0–65535, got ${value}`);
  return port;
}

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('run the web app and REST API (env: PORT, HOST, DATABASE_URL, TRUST_PROXY, LOG_LEVEL)')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1; 0.0.0.0 for all interfaces)')
    .action(async (opts: { port?: string; host?: string }) => {
      const env = process.env;
      const port = parsePort(opts.port ?? env.PORT ?? '8080');
      const trustProxy = parseTrustProxy(env.TRUST_PROXY);
      const host = opts.host ?? env.HOST ?? '127.0.0.1';
      let database;
      try {
        database = parseDatabaseUrl(env.DATABASE_URL);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      const app = await createServer({ database, trustProxy, logger: { level: env.LOG_LEVEL ?? 'info' } });
      await app.listen({ port, host });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      io.stdout(`Retroplan listening on http://${shownHost}:${actualPort} — database: ${describeDatabase(database)}\n`);
      const setup = await setupPath(app);
      // The one-time link goes to this console only (never to the log): whoever runs the server sets it up.
      if (setup) io.stdout(`\nFirst run: open this one-time link to create the first administrator:\n\n  http://${shownHost}:${actualPort}${setup}\n${FIRST_ADMIN_HINT}`);
      else if ((await app.repo.countUsers()) === 0) io.stdout(FIRST_ADMIN_HINT);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          app.close().then(resolve, resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
