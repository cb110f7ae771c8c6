// API keys: created by administrators (the secret is returned once, only its hash is stored),
// listed and deleted within the caller's scope. A deleted key stops working immediately.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiKey } from '../../../model/unit.ts';
import { allUnits, createApiKey } from '../../auth.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { adminRoles, assertUnitAllowed, callerKey, callerScope, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

const Role = Type.Union([Type.Literal('ingest'), Type.Literal('read'), Type.Literal('admin')]);
const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  unit: Type.String({ description: "Unit id, or '*' for all units" }),
  role: Role,
  createdAt: Type.Integer(),
});
const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    unit: Type.String({ pattern: '^(\\*|[a-z0-9][a-z0-9._-]{0,127})$' }),
    role: Role,
  },
  { additionalProperties: false },
);

export async function apiKeyRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.addHook('onRequest', requireKey(context, adminRoles));

  app.post<{ Body: { name: string; unit: string; role: ApiKey['role'] } }>(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the secret is in this response only',
        body: CreateBody,
        response: {
          201: Type.Object({ key: ApiKeySchema, secret: Type.String() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      assertUnitAllowed(request, request.body.unit === allUnits ? '\u0000all' : request.body.unit);
      const { key, secret, secretHash } = createApiKey(request.body);
      await context.store.putApiKey(key, secretHash);
      context.log.info('api key created', {
        id: key.id,
        name: key.name,
        unit: key.unit,
        role: key.role,
        by: callerKey(request).name,
      });
      return reply.code(201).send({ key, secret });
    },
  );

  app.get(
    '/api/v1/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'API keys in the caller’s scope (never their secrets)',
        response: { 200: Type.Object({ keys: Type.Array(ApiKeySchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ keys: await context.store.listApiKeys(callerScope(request)) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Delete an API key',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const visible = await context.store.listApiKeys(callerScope(request));
      if (!visible.some((key) => key.id === id) || !(await context.store.deleteApiKey(id))) {
        throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No API key '${id}'`, { id });
      }
      context.auth.forget(id);
      context.log.info('api key deleted', { id, by: callerKey(request).name });
      return reply.code(204).send();
    },
  );
}
