// Alerts as detection engineers and hunters read them: filtered by rule, level, kind, unit, event
// time and hunt job, newest first, each with its rule (id, title, level, author — always shown,
// Detection Rule License) and ATT&CK ids and names. Only the caller's units are ever read.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AlertLevel } from '../../../model/alert.ts';
import type { AlertListQuery, AlertListResponse } from '../../../model/console-api.ts';
import type { SocStore } from '../../../store/soc-store.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { assertUnitAllowed, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';
import type { AlertStream } from './alert-stream.ts';

export interface AlertRouteDependencies {
  readonly soc: SocStore;
  /** New live alerts, for GET /api/v1/alerts/stream (absent: no stream route). */
  readonly stream?: AlertStream;
}

const heartbeatMs = 15_000;

const Level = Type.Union(['informational', 'low', 'medium', 'high', 'critical'].map((value) => Type.Literal(value)));
const AnyObject = Type.Object({}, { additionalProperties: true });

/** ISO 8601 or epoch milliseconds; a 400 names the parameter when it is neither. */
export function parseTime(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') return value;
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(parsed)) {
    throw new VigilHttpError('VIGIL_ERR_VALIDATION', `"${name}" must be ISO 8601 or epoch milliseconds`, {
      [name]: value,
    });
  }
  return parsed;
}

export function alertRoutes(dependencies: AlertRouteDependencies) {
  const { soc } = dependencies;
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    app.addHook('onRequest', requireKey(context, readRoles));

    const stream = dependencies.stream;
    if (stream) {
      // Open streams would hold a shutdown: end them before the server closes.
      app.addHook('preClose', (done) => {
        stream.close();
        done();
      });
      app.get(
        '/api/v1/alerts/stream',
        {
          schema: {
            tags: ['alerts'],
            summary:
              "New live alerts of the caller's units as Server-Sent Events (event: alert, data: id, @timestamp, unit, rule {id, title, level, author}); suppressed alerts are not sent",
            response: { 200: { description: 'text/event-stream' }, ...errorResponses(401, 403) },
          },
        },
        async (request, reply) => {
          const scope = callerScope(request);
          reply.hijack();
          const raw = reply.raw;
          raw.writeHead(200, {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
          });
          raw.write('retry: 5000\n\n');
          let ended = false;
          const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), heartbeatMs);
          heartbeat.unref();
          const unsubscribe = stream.subscribe(
            scope,
            (alert) => {
              if (ended || raw.writableNeedDrain) return false;
              raw.write(`id: ${alert.id}\nevent: alert\ndata: ${JSON.stringify(alert)}\n\n`);
              return true;
            },
            () => {
              if (ended) return;
              ended = true;
              clearInterval(heartbeat);
              raw.end();
            },
          );
          raw.on('close', () => {
            ended = true;
            clearInterval(heartbeat);
            unsubscribe();
          });
        },
      );
    }

    app.get<{ Querystring: Record<string, string | undefined> }>(
      '/api/v1/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Alerts in the caller’s units, newest event first',
          querystring: Type.Object({
            ruleId: Type.Optional(Type.String({ maxLength: 1000 })),
            level: Type.Optional(Level),
            kind: Type.Optional(
              Type.Union([Type.Literal('sigma'), Type.Literal('sigma-correlation'), Type.Literal('intel')]),
            ),
            unit: Type.Optional(Type.String({ maxLength: 128 })),
            from: Type.Optional(Type.String({ maxLength: 40, description: 'Event time, ISO 8601 or epoch ms' })),
            to: Type.Optional(Type.String({ maxLength: 40 })),
            hunt: Type.Optional(Type.String({ maxLength: 100 })),
            technique: Type.Optional(
              Type.String({
                pattern: '^[Tt]\\d{4}(\\.\\d{3})?$',
                description: 'T1003 (with sub-techniques) or T1003.001',
              }),
            ),
            origin: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('hunt'), Type.Literal('all')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: {
            200: Type.Object({
              alerts: Type.Array(AnyObject),
              total: Type.Integer(),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request): Promise<AlertListResponse> => {
        const query = request.query;
        if (query.unit) assertUnitAllowed(request, query.unit);
        const list: AlertListQuery = {
          ruleId: query.ruleId,
          level: query.level as AlertLevel | undefined,
          kind: query.kind as AlertListQuery['kind'],
          unit: query.unit,
          from: parseTime(query.from, 'from'),
          to: parseTime(query.to, 'to'),
          hunt: query.hunt,
          technique: query.technique,
          origin: query.origin as AlertListQuery['origin'],
          limit: query.limit === undefined ? undefined : Number(query.limit),
          cursor: query.cursor,
        };
        return soc.listAlerts(callerScope(request), list);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/alerts/:id',
      {
        schema: {
          tags: ['alerts'],
          summary: 'One alert',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: AnyObject, ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const [alert] = await soc.getAlerts(callerScope(request), [request.params.id]);
        if (!alert) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No alert ${request.params.id}`);
        return alert;
      },
    );
  };
}
