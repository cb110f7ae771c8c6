// Dead letters: records that no parser could turn into an event, kept with the reason and the
// (truncated) original so an operator can see what is failing and fix the source or parser.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../../errors.ts';
import { callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

const DeadLetter = Type.Object({
  id: Type.Optional(Type.String()),
  unit: Type.String(),
  receivedAt: Type.Integer({ description: 'Epoch milliseconds' }),
  sourceKind: Type.String(),
  sourceName: Type.String(),
  format: Type.String(),
  reason: Type.String(),
  original: Type.String({ description: 'Original record text, truncated' }),
});

const DeadLetterPage = Type.Object({
  letters: Type.Array(DeadLetter),
  total: Type.Integer({ description: 'All dead letters in the caller’s scope' }),
  nextCursor: Type.Optional(Type.String()),
});

export async function deadLetterRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.addHook('onRequest', requireKey(context, readRoles));

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/api/v1/dead-letters',
    {
      schema: {
        tags: ['dead-letters'],
        summary: 'Records that failed to parse, newest first',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
          cursor: Type.Optional(Type.String({ maxLength: 1024 })),
        }),
        response: { 200: DeadLetterPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const scope = callerScope(request);
      const { limit, cursor } = request.query;
      const [page, total] = await Promise.all([
        context.store.listDeadLetters(scope, { limit, ...(cursor ? { cursor } : {}) }),
        context.store.countDeadLetters(scope),
      ]);
      return { letters: page.letters, total, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  );
}
