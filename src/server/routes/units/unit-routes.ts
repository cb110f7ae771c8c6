// Organisational units (tenants): listed within the caller's scope; created or changed by an
// administrator of all units, or by the administrator of that very unit.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Unit } from '../../../model/unit.ts';
import { scopeIncludes } from '../../auth.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { adminRoles, assertUnitAllowed, callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

export const unitIdPattern = '^[a-z0-9][a-z0-9._-]{0,127}$';

const UnitBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    parent: Type.Optional(Type.String({ pattern: unitIdPattern })),
    cidrs: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10_000 })),
    hostPatterns: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 10_000 })),
    location: Type.Optional(
      Type.Object({
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        lon: Type.Number({ minimum: -180, maximum: 180 }),
        name: Type.Optional(Type.String({ maxLength: 256 })),
      }),
    ),
    attentionThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

const UnitSchema = Type.Intersect([Type.Object({ id: Type.String() }), UnitBody]);

export async function unitRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.get(
    '/api/v1/units',
    {
      onRequest: requireKey(context, readRoles),
      schema: {
        tags: ['units'],
        summary: 'Units visible to the caller',
        response: { 200: Type.Object({ units: Type.Array(UnitSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const scope = callerScope(request);
      const units = await context.store.listUnits();
      return { units: units.filter((unit) => scopeIncludes(scope, unit.id)) };
    },
  );

  app.put<{ Params: { id: string }; Body: Omit<Unit, 'id'> }>(
    '/api/v1/units/:id',
    {
      onRequest: requireKey(context, adminRoles),
      schema: {
        tags: ['units'],
        summary: 'Create or replace a unit',
        params: Type.Object({ id: Type.String({ pattern: unitIdPattern }) }),
        body: UnitBody,
        response: { 200: UnitSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { id } = request.params;
      assertUnitAllowed(request, id);
      if (request.body.parent === id) {
        throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'A unit cannot be its own parent', { parent: id });
      }
      const unit: Unit = { ...request.body, id };
      await context.store.putUnit(unit);
      context.onInventoryChanged();
      context.log.info('unit written', { id, by: callerKey(request).name });
      return unit;
    },
  );
}
