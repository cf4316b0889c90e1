import type { Command } from 'commander';
import { z } from 'zod';
import { auditActorName, normaliseUsername } from '../../server/auth/usernames.ts';
import { ORGANISATION_ID_PATTERN, ORGANISATION_ID_RULE, ORGANISATION_KINDS, ORGANISATION_ROLES, type OrganisationKind, type OrganisationRole } from '../../store/index.ts';
import { CliError, type CliIo } from '../io.ts';
import { cliActor, withRepository } from './user.ts';

const OrganisationIdSchema = z.string().regex(ORGANISATION_ID_PATTERN, { error: ORGANISATION_ID_RULE });

const audit = (action: string, objectType: string, objectId: string, detail?: string) =>
  ({ at: new Date().toISOString(), actor: cliActor(), action, objectType, objectId, outcome: 'success', clientAddress: 'local', ...(detail ? { detail } : {}) }) as const;

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${what} must be one of ${allowed.join(', ')}, got ${value}`);
  return value as T;
}

/** `retroplan org …`: the organisations of a hub-and-spoke network and their members (issue 13). */
export function registerOrg(program: Command, io: CliIo): void {
  const org = program.command('org').description('manage organisations (hubs and spokes) and their members (DATABASE_URL names the store)');

  org
    .command('add')
    .description('add an organisation')
    .argument('<id>', 'short id, e.g. royal-marsden')
    .requiredOption('--name <name>', 'its name')
    .requiredOption('--kind <kind>', `one of ${ORGANISATION_KINDS.join(', ')} (hub = sarcoma centre, spoke = referring hospital)`)
    .action(async (id: string, opts: { name: string; kind: string }) => {
      const checked = OrganisationIdSchema.safeParse(id);
      if (!checked.success) throw new CliError(`<id> ${checked.error.issues[0]!.message}`);
      const kind = oneOf<OrganisationKind>(opts.kind, ORGANISATION_KINDS, '--kind');
      const name = opts.name.trim();
      if (name === '' || name.length > 200) throw new CliError('--name must be 1–200 characters');
      await withRepository(async (repo) => {
        if (await repo.organisations.getOrganisation(id)) throw new CliError(`organisation ${id} exists already`);
        await repo.organisations.createOrganisation({ id, name, kind }, new Date().toISOString(), audit('organisation.create', 'organisation', id, kind));
        io.stdout(`added ${id} (${kind}): ${name}\n`);
      });
    });

  org
    .command('list')
    .description('list organisations')
    .action(async () => {
      await withRepository(async (repo) => {
        for (const o of await repo.organisations.listOrganisations()) io.stdout(`${o.id}\t${o.kind}\t${o.name}\n`);
      });
    });

  const memberCommand = org.command('member').description("manage an organisation's members and their roles");

  memberCommand
    .command('add')
    .description("add a user to an organisation with a role (or change the user's role there)")
    .argument('<organisation>')
    .argument('<username>')
    .requiredOption('--role <role>', `one of ${ORGANISATION_ROLES.join(', ')}`)
    .action(async (organisationId: string, username: string, opts: { role: string }) => {
      const role = oneOf<OrganisationRole>(opts.role, ORGANISATION_ROLES, '--role');
      await withRepository(async (repo) => {
        if (!(await repo.organisations.getOrganisation(organisationId))) throw new CliError(`no organisation ${auditActorName(organisationId)}`);
        const user = await repo.findUserByUsername(normaliseUsername(username));
        if (!user) throw new CliError(`no user ${auditActorName(username)}`);
        await repo.organisations.setMembership(user.id, organisationId, role, new Date().toISOString(), audit('organisation.member.set', 'organisation', organisationId, `${user.username} as ${role}`));
        io.stdout(`${user.username} is ${role} in ${organisationId}\n`);
      });
    });

  memberCommand
    .command('remove')
    .description('remove a user from an organisation')
    .argument('<organisation>')
    .argument('<username>')
    .action(async (organisationId: string, username: string) => {
      await withRepository(async (repo) => {
        const user = await repo.findUserByUsername(normaliseUsername(username));
        if (!user) throw new CliError(`no user ${auditActorName(username)}`);
        const removed = await repo.organisations.removeMembership(user.id, organisationId, audit('organisation.member.remove', 'organisation', organisationId, user.username));
        if (!removed) throw new CliError(`${user.username} is not a member of ${auditActorName(organisationId)}`);
        io.stdout(`removed ${user.username} from ${organisationId}\n`);
      });
    });

  memberCommand
    .command('list')
    .description("list an organisation's members")
    .argument('<organisation>')
    .action(async (organisationId: string) => {
      await withRepository(async (repo) => {
        if (!(await repo.organisations.getOrganisation(organisationId))) throw new CliError(`no organisation ${auditActorName(organisationId)}`);
        for (const m of await repo.organisations.membersOf(organisationId)) io.stdout(`${m.username}\t${m.role}\n`);
      });
    });

  org
    .command('network-admin')
    .description('grant or withdraw the network administrator flag (reads every organisation\'s cases)')
    .argument('<username>')
    .option('--off', 'withdraw it')
    .action(async (username: string, opts: { off?: boolean }) => {
      await withRepository(async (repo) => {
        const user = await repo.findUserByUsername(normaliseUsername(username));
        if (!user) throw new CliError(`no user ${auditActorName(username)}`);
        await repo.organisations.setNetworkAdmin(user.id, !opts.off, audit('user.network-admin', 'user', user.id, opts.off ? 'withdrawn' : 'granted'));
        io.stdout(`${user.username} is ${opts.off ? 'no longer ' : ''}a network administrator\n`);
      });
    });
}
