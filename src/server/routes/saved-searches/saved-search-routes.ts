// Saved searches over HTTP: list the caller's own and those shared with their units, create,
// change (rename, query, share) and delete; the rules live in server/saved-searches.ts.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SavedSearchChange, SavedSearchCreate, SavedSearchListResponse } from '../../../model/saved-search.ts';
import { errorResponses } from '../../errors.ts';
import { callerKey, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';
import type { SavedSearches } from '../../saved-searches.ts';

const TimeRange = Type.Union(
  [
    Type.Object(
      { relative: Type.String({ maxLength: 16, description: '"all" or a duration: "15m", "24h", "7d"' }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        from: Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive' }),
        to: Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive' }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'Relative to when the search runs, or a fixed window' },
);

const SavedSearchItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  query: Type.String(),
  timeRange: TimeRange,
  shared: Type.Boolean(),
  unit: Type.String(),
  owner: Type.String(),
  ownerName: Type.String(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  mine: Type.Boolean({ description: "The caller's own" }),
  editable: Type.Boolean({ description: 'The caller may rename, change or delete it (owner or admin)' }),
});

// Lengths are checked in the module with their own messages; the schema only bounds the body.
const fields = {
  name: Type.String({ maxLength: 1000 }),
  query: Type.String({ maxLength: 100_000, description: 'Query language text; checked, not run' }),
  timeRange: TimeRange,
  shared: Type.Boolean({ description: 'List it for every caller who can see the unit (default false)' }),
  unit: Type.String({ minLength: 1, maxLength: 128, description: "Default: the caller's unit" }),
};
const CreateBody = Type.Object(
  {
    name: fields.name,
    query: fields.query,
    timeRange: fields.timeRange,
    shared: Type.Optional(fields.shared),
    unit: Type.Optional(fields.unit),
  },
  { additionalProperties: false },
);
const ChangeBody = Type.Object(
  {
    name: Type.Optional(fields.name),
    query: Type.Optional(fields.query),
    timeRange: Type.Optional(fields.timeRange),
    shared: Type.Optional(fields.shared),
    unit: Type.Optional(fields.unit),
  },
  { additionalProperties: false, minProperties: 1 },
);
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function savedSearchRoutes(searches: SavedSearches) {
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    const readers = requireKey(context, readRoles);

    app.get(
      '/api/v1/saved-searches',
      {
        onRequest: readers,
        schema: {
          tags: ['saved-searches'],
          summary: "The caller's saved searches and those shared with the caller's units",
          response: {
            200: Type.Object({
              searches: Type.Array(SavedSearchItem),
              limits: Type.Object({
                maxPerOwner: Type.Number(),
                maxNameLength: Type.Number(),
                maxQueryBytes: Type.Number(),
              }),
            }),
            ...errorResponses(401, 403),
          },
        },
      },
      async (request): Promise<SavedSearchListResponse> => ({
        searches: await searches.list(callerKey(request)),
        limits: searches.limits,
      }),
    );

    app.post<{ Body: SavedSearchCreate }>(
      '/api/v1/saved-searches',
      {
        onRequest: readers,
        schema: {
          tags: ['saved-searches'],
          summary: 'Save a search (query checked; names unique per owner; audited)',
          body: CreateBody,
          response: { 201: SavedSearchItem, ...errorResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) => reply.code(201).send(await searches.create(callerKey(request), request.body)),
    );

    app.patch<{ Params: { id: string }; Body: SavedSearchChange }>(
      '/api/v1/saved-searches/:id',
      {
        onRequest: readers,
        schema: {
          tags: ['saved-searches'],
          summary: 'Rename, change the query or time range, share or unshare (owner or admin; audited)',
          params: Params,
          body: ChangeBody,
          response: { 200: SavedSearchItem, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => searches.update(callerKey(request), request.params.id, request.body),
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/saved-searches/:id',
      {
        onRequest: readers,
        schema: {
          tags: ['saved-searches'],
          summary: 'Delete a saved search (owner or admin; audited)',
          params: Params,
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await searches.remove(callerKey(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
