// Threat intelligence: the loaded sources with their indicator counts, indicator search by value
// prefix and type, a lookup of one observed value, and importing a feed (STIX 2.1, MISP, IOC
// list). An import is matched live from the next batch and, in the background, against the last
// days of stored events (retro-match), raising alerts tagged with the job id.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HuntJobs } from '../../../detect/hunt-jobs.ts';
import { intelHuntEvaluator } from '../../../detect/hunt-jobs.ts';
import type { Indicator, IndicatorType } from '../../../detect/intel/indicator.ts';
import { IndicatorIndex } from '../../../detect/intel/indicator-index.ts';
import {
  type IntelCatalog,
  indicatorView,
  intelFileSuffix,
  intelSourcePattern,
  lookupValue,
} from '../../../detect/intel/intel-catalog.ts';
import { importIntel } from '../../../detect/intel/intel-import.ts';
import { type TaxiiFeeds, type TaxiiPollResult, taxiiFeedView } from '../../../detect/intel/taxii-feeds.ts';
import type {
  HuntJob,
  IndicatorSearchResponse,
  IntelImportRequest,
  IntelImportResponse,
  IntelSourcesResponse,
  TaxiiFeedRequest,
  TaxiiFeedResponse,
} from '../../../model/console-api.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { adminRoles, callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

export interface IntelRouteDependencies {
  readonly intel: IntelCatalog;
  readonly hunts: HuntJobs;
  /** TAXII 2.1 subscriptions (absent: the TAXII routes are not offered). */
  readonly taxii?: TaxiiFeeds;
  /** Where imported feeds are kept (DATA/intel), so they load again after a restart. */
  readonly importDir: string;
}

const indicatorTypes = ['ip', 'cidr', 'domain', 'url', 'md5', 'sha1', 'sha256', 'sha512', 'email', 'filename'];
const IndicatorTypeSchema = Type.Union(indicatorTypes.map((value) => Type.Literal(value)));
const AnyObject = Type.Object({}, { additionalProperties: true });
const day = 86_400_000;
/** A retro-match job for new indicators over the last `days` (all units). */
export function startRetroMatch(
  hunts: HuntJobs,
  indicators: readonly Indicator[],
  days: number,
  createdBy: string,
): HuntJob | undefined {
  if (days <= 0 || indicators.length === 0) return undefined;
  const index = new IndicatorIndex();
  index.add(indicators);
  const now = Date.now();
  return hunts.start({
    kind: 'intel-retro',
    scope: { kind: 'all' },
    from: now - days * day,
    to: now,
    rules: 1,
    createdBy,
    evaluate: intelHuntEvaluator(index),
    opensIncidents: true,
  });
}

/** A subscription and what its last poll brought, as the TAXII routes answer. */
function feedResponse(feed: Parameters<typeof taxiiFeedView>[0], poll: TaxiiPollResult): TaxiiFeedResponse {
  return {
    feed: taxiiFeedView(feed),
    poll: {
      objects: poll.objects,
      indicators: poll.indicators,
      added: poll.added.length,
      ...(poll.error ? { error: poll.error } : {}),
    },
  };
}

export function intelRoutes(dependencies: IntelRouteDependencies) {
  const { intel, hunts, importDir } = dependencies;
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    const readers = requireKey(context, readRoles);
    const admins = requireKey(context, adminRoles);

    app.get(
      '/api/v1/intel/sources',
      {
        onRequest: readers,
        schema: {
          tags: ['intel'],
          summary: 'Loaded threat-intel sources with indicator counts per type',
          response: {
            200: Type.Object({ sources: Type.Array(AnyObject), indicators: Type.Integer() }),
            ...errorResponses(401, 403),
          },
        },
      },
      async (): Promise<IntelSourcesResponse> => ({ sources: intel.sources(), indicators: intel.size }),
    );

    app.get<{ Querystring: { prefix?: string; type?: string; source?: string; limit?: number; cursor?: string } }>(
      '/api/v1/intel/indicators',
      {
        onRequest: readers,
        schema: {
          tags: ['intel'],
          summary: 'Search indicators by value prefix, type and source',
          querystring: Type.Object({
            prefix: Type.Optional(Type.String({ maxLength: 2048 })),
            type: Type.Optional(IndicatorTypeSchema),
            source: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: {
            200: Type.Object({
              indicators: Type.Array(AnyObject),
              total: Type.Integer(),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request): Promise<IndicatorSearchResponse> => {
        const { prefix, type, source, cursor } = request.query;
        const limit = request.query.limit ?? 50;
        const offset = cursor ? Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10) : 0;
        if (!Number.isInteger(offset) || offset < 0) throw new VigilHttpError('VIGIL_ERR_INVALID_CURSOR');
        const found = intel.search({ prefix, type: type as IndicatorType | undefined, source, limit, offset });
        const next = offset + found.indicators.length;
        return {
          indicators: found.indicators.map(indicatorView),
          total: found.total,
          ...(next < found.total ? { nextCursor: Buffer.from(String(next)).toString('base64url') } : {}),
        };
      },
    );

    app.get<{ Querystring: { value: string } }>(
      '/api/v1/intel/lookup',
      {
        onRequest: readers,
        schema: {
          tags: ['intel'],
          summary: 'Indicators matching one value (IP incl. ranges, domain incl. parents, URL, hash, e-mail)',
          querystring: Type.Object({ value: Type.String({ minLength: 1, maxLength: 2048 }) }),
          response: {
            200: Type.Object({ type: Type.Optional(Type.String()), indicators: Type.Array(AnyObject) }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const found = lookupValue(intel.index, request.query.value);
        return { ...(found.type ? { type: found.type } : {}), indicators: found.indicators.map(indicatorView) };
      },
    );

    app.post<{ Body: IntelImportRequest }>(
      '/api/v1/intel/import',
      {
        onRequest: admins,
        schema: {
          tags: ['intel'],
          summary:
            'Import a STIX 2.1 bundle, a MISP event or feed, or a plain/CSV IOC list; new indicators are retro-matched in the background',
          body: Type.Object(
            {
              content: Type.String({ minLength: 1 }),
              source: Type.String({ pattern: intelSourcePattern }),
              retroDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403) },
        },
      },
      async (request): Promise<IntelImportResponse> => {
        const scope = callerScope(request);
        if (scope.kind !== 'all')
          throw new VigilHttpError(
            'VIGIL_ERR_FORBIDDEN',
            'Threat intel applies to every unit: only an administrator of all units may import it',
          );
        const { content, source } = request.body;
        // A source imported again is replaced: entries dropped from the feed stop matching.
        const result = intel.replace(importIntel(content, source), source, 'api');
        if (result.indicators === 0) {
          throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'The feed holds no usable indicator', {
            skipped: result.skipped.slice(0, 100),
          });
        }
        await mkdir(importDir, { recursive: true });
        // Kept whole, so a restart loads the same indicators (a re-import of the source replaces the file).
        await writeFile(path.join(importDir, `${source}${intelFileSuffix}`), content);
        const retroMatch = startRetroMatch(hunts, result.added, request.body.retroDays ?? 7, callerKey(request).name);
        return {
          source,
          format: result.format,
          indicators: result.indicators,
          added: result.added.length,
          removed: result.removed,
          skipped: result.skipped.slice(0, 1000),
          ...(retroMatch ? { retroMatch } : {}),
        };
      },
    );

    const taxii = dependencies.taxii;
    if (!taxii) return;
    const Source = Type.Object({ source: Type.String({ pattern: intelSourcePattern }) });
    const allUnitsAdmin = (request: FastifyRequest): void => {
      if (callerScope(request).kind !== 'all')
        throw new VigilHttpError(
          'VIGIL_ERR_FORBIDDEN',
          'TAXII feeds apply to every unit: administrators of all units only',
        );
    };

    app.get(
      '/api/v1/intel/taxii',
      {
        onRequest: admins,
        schema: {
          tags: ['intel'],
          summary: 'TAXII 2.1 collections polled by this node (credentials never shown)',
          response: { 200: Type.Object({ feeds: Type.Array(AnyObject) }), ...errorResponses(401, 403) },
        },
      },
      async () => ({ feeds: taxii.list() }),
    );

    app.put<{ Params: { source: string }; Body: TaxiiFeedRequest }>(
      '/api/v1/intel/taxii/:source',
      {
        onRequest: admins,
        schema: {
          tags: ['intel'],
          summary: 'Subscribe to a TAXII 2.1 collection (polled now, then every intervalMinutes, incrementally)',
          params: Source,
          body: Type.Object(
            {
              apiRoot: Type.String({ format: 'uri', maxLength: 2048 }),
              collectionId: Type.String({ minLength: 1, maxLength: 200 }),
              basicAuth: Type.Optional(Type.String({ maxLength: 1000, description: 'user:password' })),
              bearerToken: Type.Optional(Type.String({ maxLength: 4000 })),
              intervalMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
              retroDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403) },
        },
      },
      async (request): Promise<TaxiiFeedResponse> => {
        allUnitsAdmin(request);
        const body = request.body;
        const auth = body.basicAuth
          ? { basic: body.basicAuth }
          : body.bearerToken
            ? { bearer: body.bearerToken }
            : undefined;
        const { feed, poll } = await taxii.put({
          source: request.params.source,
          apiRoot: body.apiRoot,
          collectionId: body.collectionId,
          ...(auth ? { auth } : {}),
          intervalMinutes: body.intervalMinutes ?? 60,
          retroDays: body.retroDays ?? 7,
        });
        return feedResponse(feed, poll);
      },
    );

    app.post<{ Params: { source: string } }>(
      '/api/v1/intel/taxii/:source/poll',
      {
        onRequest: admins,
        schema: {
          tags: ['intel'],
          summary: 'Poll a subscribed TAXII collection now',
          params: Source,
          response: { 200: AnyObject, ...errorResponses(401, 403, 404) },
        },
      },
      async (request): Promise<TaxiiFeedResponse> => {
        allUnitsAdmin(request);
        if (!taxii.get(request.params.source))
          throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No TAXII feed ${request.params.source}`);
        const poll = await taxii.poll(request.params.source);
        const feed = taxii.get(request.params.source)!;
        return feedResponse(feed, poll);
      },
    );

    app.delete<{ Params: { source: string } }>(
      '/api/v1/intel/taxii/:source',
      {
        onRequest: admins,
        schema: {
          tags: ['intel'],
          summary: 'Stop polling a TAXII collection (its indicators stay loaded)',
          params: Source,
          response: { 200: Type.Object({ deleted: Type.Boolean() }), ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        allUnitsAdmin(request);
        if (!(await taxii.delete(request.params.source)))
          throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No TAXII feed ${request.params.source}`);
        return { deleted: true };
      },
    );
  };
}
