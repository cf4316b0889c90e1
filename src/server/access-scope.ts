import type { FastifyRequest } from 'fastify';

/**
 * Which organisations a request may see. Placeholder for the organisation-scoped access of
 * issue 13 part A: every user belongs to the default organisation and nobody has network
 * scope. The store layer filters every tumour-board query by `organisationIds`.
 */
export interface AccessScope {
  userId: string;
  organisationIds: readonly string[];
  network: boolean;
}

export function accessScopeOf(request: FastifyRequest): AccessScope {
  if (!request.user) throw new Error('accessScopeOf needs an authenticated request');
  return { userId: request.user.id, organisationIds: ['default'], network: false };
}
