import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ENGINE_VERSION } from '../../engine/index.ts';
import { HealthSchema } from '../schemas.ts';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: { summary: 'Liveness and database kind (no authentication)', tags: ['system'], response: { 200: HealthSchema } },
    },
    async () => {
      await app.repo.countUsers();
      return { status: 'ok' as const, database: app.repo.kind, engineVersion: ENGINE_VERSION };
    },
  );
};
