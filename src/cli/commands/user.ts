import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { passwordProblem } from '../../server/auth/password-policy.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../../server/auth/passwords.ts';
import { auditActorName, normaliseUsername } from '../../server/auth/usernames.ts';
import { UsernameSchema, RoleSchema } from '../../server/schemas.ts';
import { openRepositoryFromEnv, ROLES, type Repository, type Role } from '../../store/index.ts';
import { CliError, type CliIo } from '../io.ts';

/** Who made a change from the command line, for the audit log. */
export function cliActor(): string {
  try {
    return auditActorName(`cli:${userInfo().username}`);
  } catch {
    return 'cli';
  }
}

/** Opens the store named by DATABASE_URL (as `serve` does), runs `work`, closes it. */
export async function withRepository<T>(work: (repo: Repository) => Promise<T>): Promise<T> {
  let repo: Repository;
  try {
    repo = await openRepositoryFromEnv();
  } catch (error) {
    throw new CliError(`cannot open the database: ${(error as Error).message}`, 1);
  }
  try {
    return await work(repo);
  } finally {
    await repo.close();
  }
}

/** Reads a password: hidden prompt on a terminal, otherwise the first line of stdin. */
export async function readPassword(io: CliIo, prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    const text = await io.readStdin();
    return text.split(/\r?\n/)[0] ?? '';
  }
  io.stderr(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new CliError('cancelled', 1));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr('\n');
    };
    stdin.on('data', onData);
  });
}

export function registerUser(program: Command, io: CliIo): void {
  const user = program.command('user').description('manage users (DATABASE_URL names the store, as for serve)');

  user
    .command('add')
    .description('add a user; the password is read from stdin (first line), or prompted for on a terminal')
    .argument('<username>', 'lower-case letters, digits, . _ @ -')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .action(async (username: string, opts: { role: string }) => {
      const name = UsernameSchema.safeParse(normaliseUsername(username));
      if (!name.success) throw new CliError(`username ${name.error.issues[0]!.message}`);
      const role = RoleSchema.safeParse(opts.role);
      if (!role.success) throw new CliError(`--role must be one of ${ROLES.join(', ')}, got ${opts.role}`);
      const password = await readPassword(io, `Password for ${name.data} (at least ${MIN_PASSWORD_LENGTH} characters, not common, not the username): `);
      const weak = await passwordProblem(password, name.data);
      if (weak) throw new CliError(`${weak.path}: ${weak.message}`);
      await withRepository(async (repo) => {
        if (await repo.findUserByUsername(name.data)) throw new CliError(`user ${name.data} exists already`);
        const now = new Date().toISOString();
        const audit = { at: now, actor: cliActor(), action: 'user.create', objectType: 'user', outcome: 'success', clientAddress: 'local', detail: `role ${role.data}` } as const;
        const created = await repo.createUser({ username: name.data, role: role.data as Role, passwordHash: await hashPassword(password) }, now, audit);
        io.stdout(`added ${created.username} (${created.role})\n`);
      });
    });

  user
    .command('list')
    .description('list users')
    .action(async () => {
      await withRepository(async (repo) => {
        const users = await repo.listUsers();
        await repo.appendAudit({ at: new Date().toISOString(), actor: cliActor(), action: 'user.list', objectType: 'user', outcome: 'success', clientAddress: 'local', detail: `${users.length} user(s)` });
        for (const u of users) io.stdout(`${u.username}\t${u.role}${u.disabled ? '\tdisabled' : ''}\n`);
      });
    });
}
