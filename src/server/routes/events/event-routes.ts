// Event search for analysts and the console: paged search, top values of a field, and a time
// histogram. Always within the caller's unit scope; a bad query is a 400 with its position.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';
import { EventDocument, searchOf, TimeRangeQuery, type TimeRangeValues } from '../../schemas.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** Bucket sizes a histogram may use, smallest first. */
const niceIntervals = [
  1000,
  5000,
  10_000,
  30_000,
  minute,
  5 * minute,
  10 * minute,
  30 * minute,
  hour,
  3 * hour,
  6 * hour,
  12 * hour,
  day,
  7 * day,
  30 * day,
];
const targetBuckets = 60;
const maxBuckets = 10_000;

const SearchQuery = Type.Object({
  ...TimeRangeQuery,
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  cursor: Type.Optional(Type.String({ maxLength: 1024 })),
  order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' }),
});

const EventPageResponse = Type.Object({
  events: Type.Array(Type.Object({ id: Type.String(), event: EventDocument })),
  total: Type.Integer(),
  totalIsExact: Type.Boolean(),
  nextCursor: Type.Optional(Type.String()),
});

const TopQuery = Type.Object({ ...TimeRangeQuery, limit: Type.Integer({ minimum: 1, maximum: 1000, default: 10 }) });
const TopResponse = Type.Object({
  field: Type.String(),
  values: Type.Array(
    Type.Object({
      value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
      count: Type.Integer(),
    }),
  ),
});

const HistogramQuery = Type.Object({
  ...TimeRangeQuery,
  interval: Type.Optional(
    Type.Integer({ minimum: 1000, description: 'Bucket size in ms (default: about 60 buckets)' }),
  ),
});
const HistogramResponse = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  interval: Type.Integer(),
  buckets: Type.Array(Type.Object({ start: Type.Integer(), count: Type.Integer() })),
});

/** Every bucket of [from, to), empty ones with count 0, so charts need not guess the gaps. */
export function zeroFilled(
  counted: readonly { start: number; count: number }[],
  from: number,
  to: number,
  interval: number,
): { start: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const bucket of counted) counts.set(bucket.start, (counts.get(bucket.start) ?? 0) + bucket.count);
  const buckets: { start: number; count: number }[] = [];
  for (let start = Math.floor(from / interval) * interval; start < to; start += interval) {
    buckets.push({ start, count: counts.get(start) ?? 0 });
    counts.delete(start);
  }
  // Buckets the store aligned differently are kept rather than lost.
  for (const [start, count] of counts) buckets.push({ start, count });
  return buckets.sort((a, b) => a.start - b.start);
}

export function histogramInterval(from: number, to: number): number {
  const span = Math.max(1, to - from);
  for (const interval of niceIntervals) if (span / interval <= targetBuckets) return interval;
  return Math.ceil(span / targetBuckets / day) * day;
}

export async function eventRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.addHook('onRequest', requireKey(context, readRoles));

  app.get<{ Querystring: TimeRangeValues & { limit: number; cursor?: string; order: 'asc' | 'desc' } }>(
    '/api/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Search events',
        querystring: SearchQuery,
        response: { 200: EventPageResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit, cursor, order } = request.query;
      return context.store.searchEvents(callerScope(request), {
        ...searchOf(request.query),
        limit,
        order,
        ...(cursor ? { cursor } : {}),
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/events/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'One event by id (404 when it does not exist or is outside the caller’s units)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' }) }),
        response: { 200: Type.Object({ id: Type.String(), event: EventDocument }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const [found] = await context.store.getEvents(callerScope(request), [request.params.id]);
      if (!found) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No event '${request.params.id}'`);
      return { id: found.id, event: found.event };
    },
  );

  app.get<{ Params: { field: string }; Querystring: TimeRangeValues & { limit: number } }>(
    '/api/v1/events/fields/:field/top',
    {
      schema: {
        tags: ['events'],
        summary: 'Most frequent values of a field among matching events',
        params: Type.Object({ field: Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_@.\\-]+$' }) }),
        querystring: TopQuery,
        response: { 200: TopResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { field } = request.params;
      const values = await context.store.topValues(
        callerScope(request),
        searchOf(request.query),
        field,
        request.query.limit,
      );
      return { field, values };
    },
  );

  app.get<{ Querystring: TimeRangeValues & { interval?: number } }>(
    '/api/v1/events/histogram',
    {
      schema: {
        tags: ['events'],
        summary: 'Event counts per time bucket, empty buckets included (default range: the last 24 hours)',
        querystring: HistogramQuery,
        response: { 200: HistogramResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const search = searchOf(request.query);
      const to = search.to ?? Date.now();
      const from = search.from ?? to - day;
      let interval = request.query.interval ?? histogramInterval(from, to);
      // A tiny interval over a long range would make an unbounded answer.
      if ((to - from) / interval > maxBuckets) interval = Math.ceil((to - from) / maxBuckets);
      const counted = await context.store.histogram(callerScope(request), { ...search, from, to }, interval);
      return { from, to, interval, buckets: zeroFilled(counted, from, to, interval) };
    },
  );
}
