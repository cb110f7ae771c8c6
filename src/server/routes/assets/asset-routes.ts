// Assets (hosts and their criticality) per unit: read within scope, written by unit administrators.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Asset } from '../../../model/unit.ts';
import { errorResponses } from '../../errors.ts';
import { adminRoles, assertUnitAllowed, callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';
import { unitIdPattern } from '../units/unit-routes.ts';

const AssetBody = Type.Object(
  {
    unit: Type.String({ pattern: unitIdPattern }),
    hostname: Type.Optional(Type.String({ maxLength: 256 })),
    ip: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 256 })),
    criticality: Type.Union([
      Type.Literal('low'),
      Type.Literal('medium'),
      Type.Literal('high'),
      Type.Literal('critical'),
    ]),
    owner: Type.Optional(Type.String({ maxLength: 256 })),
    os: Type.Optional(Type.String({ maxLength: 256 })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 256 })),
  },
  { additionalProperties: false },
);
const AssetSchema = Type.Intersect([Type.Object({ id: Type.String() }), AssetBody]);

export async function assetRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.get(
    '/api/v1/assets',
    {
      onRequest: requireKey(context, readRoles),
      schema: {
        tags: ['assets'],
        summary: 'Assets of the units visible to the caller',
        response: { 200: Type.Object({ assets: Type.Array(AssetSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ assets: await context.store.listAssets(callerScope(request)) }),
  );

  app.put<{ Params: { id: string }; Body: Omit<Asset, 'id'> }>(
    '/api/v1/assets/:id',
    {
      onRequest: requireKey(context, adminRoles),
      schema: {
        tags: ['assets'],
        summary: 'Create or replace an asset',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) }),
        body: AssetBody,
        response: { 200: AssetSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      assertUnitAllowed(request, request.body.unit);
      // An asset may not be moved out of a unit the caller cannot see.
      const existing = (await context.store.listAssets({ kind: 'all' })).find(
        (asset) => asset.id === request.params.id,
      );
      if (existing) assertUnitAllowed(request, existing.unit);
      const asset: Asset = { ...request.body, id: request.params.id };
      await context.store.putAsset(asset);
      context.onInventoryChanged();
      context.log.info('asset written', { id: asset.id, unit: asset.unit, by: callerKey(request).name });
      return asset;
    },
  );
}
