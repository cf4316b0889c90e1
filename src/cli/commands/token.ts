import type { Command } from 'commander';
import { newSecret, sha256Hex, TOKEN_PREFIX } from '../../server/auth/secrets.ts';
import { auditActorName, normaliseUsername } from '../../server/auth/usernames.ts';
import { CliError, type CliIo } from '../io.ts';
import { cliActor, withRepository } from './user.ts';

export function registerToken(program: Command, io: CliIo): void {
  const token = program.command('token').description('manage API tokens (Authorization: Bearer <token>)');

  token
    .command('create')
    .description('create an API token for a user and print it once (only its hash is stored)')
    .argument('<username>')
    .option('--name <name>', 'what the token is for', 'cli')
    .action(async (username: string, opts: { name: string }) => {
      const name = opts.name.trim();
      if (name === '' || name.length > 100) throw new CliError('--name must be 1–100 characters');
      await withRepository(async (repo) => {
        const user = await repo.findUserByUsername(normaliseUsername(username));
        if (!user) throw new CliError(`no user ${auditActorName(username)}`);
        const secret = newSecret(TOKEN_PREFIX);
        const now = new Date().toISOString();
        const audit = { at: now, actor: cliActor(), action: 'token.create', objectType: 'user', objectId: user.id, outcome: 'success', clientAddress: 'local' } as const;
        const info = await repo.createToken({ userId: user.id, name, tokenHash: sha256Hex(secret), createdBy: cliActor() }, now, audit);
        io.stderr(`token ${info.id} for ${user.username} (${user.role}); shown once — store it now:\n`);
        io.stdout(`${secret}\n`);
      });
    });

  token
    .command('list')
    .description("list a user's tokens (never the secrets)")
    .argument('<username>')
    .action(async (username: string) => {
      await withRepository(async (repo) => {
        const user = await repo.findUserByUsername(normaliseUsername(username));
        if (!user) throw new CliError(`no user ${auditActorName(username)}`);
        const tokens = await repo.listTokens(user.id);
        await repo.appendAudit({ at: new Date().toISOString(), actor: cliActor(), action: 'token.list', objectType: 'user', objectId: user.id, outcome: 'success', clientAddress: 'local', detail: `${tokens.length} token(s)` });
        for (const t of tokens) io.stdout(`${t.id}\t${t.name}\t${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`);
      });
    });

  token
    .command('revoke')
    .description('revoke a token by its id (see token list)')
    .argument('<id>')
    .action(async (id: string) => {
      await withRepository(async (repo) => {
        const now = new Date().toISOString();
        const audit = { at: now, actor: cliActor(), action: 'token.revoke', objectType: 'token', objectId: id, outcome: 'success', clientAddress: 'local' } as const;
        const t = await repo.revokeToken(id, now, audit);
        if (!t) throw new CliError(`no token ${id}`);
        io.stdout(`revoked ${id}\n`);
      });
    });
}
