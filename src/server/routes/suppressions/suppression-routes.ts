// Suppressions: analysts hold back known noise by rule plus field values, with a reason, an owner
// and an expiry. Listing, creating, editing (extending) and deleting are scoped to the caller's
// units and audited; every change reloads the live matcher the detection hook reads, so it
// applies to the next batch.
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { maxSuppressionDays, type Suppression, type SuppressionListItem } from '../../../model/suppression.ts';
import type { SocStore, SuppressionChange } from '../../../store/soc-store.ts';
import { allUnits } from '../../auth.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { assertUnitAllowed, callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

export interface SuppressionRouteDependencies {
  readonly soc: SocStore;
  /** Called after a change with every unit's active suppressions (the live matcher). */
  readonly onChanged: (active: readonly Suppression[]) => void;
  /**
   * Whether a rule id is known; undefined while no rule catalogue is loaded (then any id is
   * accepted). Intel alerts (`intel:<source>`) are always accepted.
   */
  readonly ruleExists?: (ruleId: string) => boolean | undefined;
  /** A loaded rule's title, for the list. */
  readonly ruleTitle?: (ruleId: string) => string | undefined;
  readonly now?: () => number;
}

const day = 86_400_000;
/** An ECS field path: dot-separated names; no empty segment. */
const fieldPath = /^[A-Za-z0-9_@-]+(?:\.[A-Za-z0-9_@-]+)*$/;
const forbidden = new Set(['__proto__', 'constructor', 'prototype']);

const SuppressionSchema = Type.Object({
  id: Type.String(),
  unit: Type.String(),
  ruleId: Type.String(),
  match: Type.Record(Type.String(), Type.String()),
  reason: Type.String(),
  owner: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Number(),
  expiresAt: Type.Number(),
  comment: Type.Optional(Type.String()),
});
const ListItemSchema = Type.Intersect([
  SuppressionSchema,
  Type.Object({ hits: Type.Number(), expired: Type.Boolean(), ruleTitle: Type.Optional(Type.String()) }),
]);

const CreateBody = Type.Object(
  {
    ruleId: Type.String({ minLength: 1, maxLength: 300 }),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "Default: the caller's unit" })),
    match: Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ minLength: 1, maxLength: 1000 }), {
      maxProperties: 20,
      description: 'ECS field → value on the alert’s event; * matches any run of characters',
    }),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Default: the caller' })),
    // Number first: with type coercion on, a string branch first would turn epoch ms into text.
    expiresAt: Type.Union([Type.Number(), Type.String({ minLength: 1, maxLength: 40 })], {
      description: `ISO 8601 or epoch ms; in the future, at most ${maxSuppressionDays} days ahead`,
    }),
    comment: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);
interface CreateBody {
  ruleId: string;
  unit?: string;
  match: Record<string, string>;
  reason: string;
  owner?: string;
  expiresAt: string | number;
  comment?: string;
}

const UpdateBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    expiresAt: Type.Optional(
      Type.Union([Type.Number(), Type.String({ minLength: 1, maxLength: 40 })], {
        description: `ISO 8601 or epoch ms; in the future, at most ${maxSuppressionDays} days ahead`,
      }),
    ),
    match: Type.Optional(CreateBody.properties.match),
  },
  { additionalProperties: false, minProperties: 1 },
);
interface UpdateBody {
  reason?: string;
  expiresAt?: string | number;
  match?: Record<string, string>;
}

/** The expiry as epoch ms: in the future and at most `maxSuppressionDays` ahead of now. */
function checkedExpiry(value: string | number, now: number): number {
  const expiresAt = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(expiresAt) || expiresAt <= now) {
    throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'expiresAt must be in the future', { field: 'expiresAt' });
  }
  if (expiresAt > now + maxSuppressionDays * day) {
    throw new VigilHttpError('VIGIL_ERR_VALIDATION', `expiresAt may be at most ${maxSuppressionDays} days ahead`, {
      field: 'expiresAt',
    });
  }
  return expiresAt;
}

/** The match as a plain object of checked ECS field paths. */
function checkedMatch(match: Record<string, string>): Record<string, string> {
  const fields = Object.keys(match);
  // Checked here: a record schema's key pattern is not enforced by the validator.
  const bad = fields.find(
    (field) => !fieldPath.test(field) || field.length > 200 || forbidden.has(field.split('.')[0]!) || !match[field],
  );
  if (bad !== undefined || fields.length > 20) {
    throw new VigilHttpError(
      'VIGIL_ERR_VALIDATION',
      'match holds up to 20 ECS field paths (letters, digits, _ @ -, dot-separated) with non-empty values',
      { field: 'match', ...(bad !== undefined ? { name: bad } : {}) },
    );
  }
  return Object.fromEntries(fields.map((field) => [field, match[field]!]));
}

export function suppressionRoutes(dependencies: SuppressionRouteDependencies) {
  const { soc } = dependencies;
  const clock = dependencies.now ?? Date.now;
  const refresh = async (): Promise<void> => {
    dependencies.onChanged(await soc.listSuppressions({ kind: 'all' }, { now: clock() }));
  };

  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    const readers = requireKey(context, readRoles);

    app.get<{ Querystring: { all?: 'true' | 'false' } }>(
      '/api/v1/suppressions',
      {
        onRequest: readers,
        schema: {
          tags: ['suppressions'],
          summary: "Suppressions of the caller's units with their hit counts (expired ones with ?all=true)",
          querystring: Type.Object({ all: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }),
          response: { 200: Type.Object({ suppressions: Type.Array(ListItemSchema) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const scope = callerScope(request);
        const now = clock();
        const list = await soc.listSuppressions(scope, { now, includeExpired: request.query.all === 'true' });
        const hits = await soc.suppressionHits(
          scope,
          list.map((suppression) => suppression.id),
        );
        const suppressions: SuppressionListItem[] = list.map((suppression) => {
          const ruleTitle = dependencies.ruleTitle?.(suppression.ruleId);
          return {
            ...suppression,
            hits: hits.get(suppression.id) ?? 0,
            expired: suppression.expiresAt <= now,
            ...(ruleTitle ? { ruleTitle } : {}),
          };
        });
        return { suppressions };
      },
    );

    app.post<{ Body: CreateBody }>(
      '/api/v1/suppressions',
      {
        onRequest: readers,
        schema: {
          tags: ['suppressions'],
          summary: 'Suppress alerts of a rule on given field values until an expiry (audited)',
          body: CreateBody,
          response: { 201: SuppressionSchema, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const key = callerKey(request);
        const body = request.body;
        const unit = body.unit ?? key.unit;
        if (unit === allUnits) {
          throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'An all-units caller must name the unit', {
            field: 'unit',
          });
        }
        assertUnitAllowed(request, unit);
        const now = clock();
        const expiresAt = checkedExpiry(body.expiresAt, now);
        const match = checkedMatch(body.match);
        if (!body.ruleId.startsWith('intel:') && dependencies.ruleExists?.(body.ruleId) === false) {
          throw new VigilHttpError('VIGIL_ERR_VALIDATION', `No loaded rule has id '${body.ruleId}'`, {
            field: 'ruleId',
          });
        }
        const suppression: Suppression = {
          id: `sup_${randomBytes(8).toString('hex')}`,
          unit,
          ruleId: body.ruleId,
          match,
          reason: body.reason,
          owner: body.owner ?? key.name,
          createdBy: key.name,
          createdAt: now,
          expiresAt,
          ...(body.comment ? { comment: body.comment } : {}),
        };
        await soc.putSuppression(suppression);
        await soc.appendAudit({
          at: now,
          actor: key.name,
          action: 'suppression-created',
          target: suppression.id,
          unit,
          details: {
            ruleId: suppression.ruleId,
            match: suppression.match,
            reason: suppression.reason,
            owner: suppression.owner,
            expiresAt,
          },
        });
        await refresh();
        return reply.code(201).send(suppression);
      },
    );

    app.patch<{ Params: { id: string }; Body: UpdateBody }>(
      '/api/v1/suppressions/:id',
      {
        onRequest: readers,
        schema: {
          tags: ['suppressions'],
          summary: 'Change the reason, expiry (extend) or match of a suppression (audited)',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: UpdateBody,
          response: { 200: SuppressionSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const scope = callerScope(request);
        const body = request.body;
        const now = clock();
        // Validated before the lookup, like a create: a bad body is 400 whatever the id.
        const change: SuppressionChange = {
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
          ...(body.expiresAt !== undefined ? { expiresAt: checkedExpiry(body.expiresAt, now) } : {}),
          ...(body.match !== undefined ? { match: checkedMatch(body.match) } : {}),
        };
        const [existing] = (await soc.listSuppressions(scope, { now, includeExpired: true })).filter(
          (suppression) => suppression.id === request.params.id,
        );
        // Another unit's suppression answers like a missing one: its existence is not disclosed.
        const updated = existing ? await soc.updateSuppression(scope, existing.id, change) : undefined;
        if (!existing || !updated) {
          throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No suppression ${request.params.id}`);
        }
        const changed = (Object.keys(change) as (keyof SuppressionChange)[]).filter(
          (field) => JSON.stringify(existing[field]) !== JSON.stringify(updated[field]),
        );
        await soc.appendAudit({
          at: now,
          actor: callerKey(request).name,
          action: 'suppression-updated',
          target: existing.id,
          unit: existing.unit,
          details: {
            ruleId: existing.ruleId,
            changed,
            before: Object.fromEntries(changed.map((field) => [field, existing[field]])),
            after: Object.fromEntries(changed.map((field) => [field, updated[field]])),
          },
        });
        await refresh();
        return updated;
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/suppressions/:id',
      {
        onRequest: readers,
        schema: {
          tags: ['suppressions'],
          summary: 'Remove a suppression (audited); matching alerts fold into incidents again',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const scope = callerScope(request);
        const now = clock();
        const [existing] = (await soc.listSuppressions(scope, { now, includeExpired: true })).filter(
          (suppression) => suppression.id === request.params.id,
        );
        // Another unit's suppression answers like a missing one: its existence is not disclosed.
        if (!existing || !(await soc.deleteSuppression(scope, existing.id))) {
          throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No suppression ${request.params.id}`);
        }
        await soc.appendAudit({
          at: now,
          actor: callerKey(request).name,
          action: 'suppression-deleted',
          target: existing.id,
          unit: existing.unit,
          details: { ruleId: existing.ruleId, match: existing.match, reason: existing.reason },
        });
        await refresh();
        return reply.code(204).send();
      },
    );
  };
}
