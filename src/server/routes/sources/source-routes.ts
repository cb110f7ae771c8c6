// GET /api/v1/sources: ingest health per source and unit as this node counted it since it started
// (records in, stored, failures, rate over the last minute, last seen, status), within the caller's
// units. The pipeline feeds the counts (src/pipeline/source-health.ts); nothing here reads the store.
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SourceHealthResponse } from '../../../model/source-health.ts';
import { SourceHealth } from '../../../pipeline/source-health.ts';
import { errorResponses } from '../../errors.ts';
import { callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

const SourceHealthRow = Type.Object({
  kind: Type.String({ description: "Source kind: 'http', 'hec', 'syslog-udp', 'syslog-tcp', 'file', …" }),
  name: Type.String({ description: 'API key or HEC token name, syslog listener, file path' }),
  unit: Type.String({ description: 'Unit the records were bound to on arrival' }),
  eventsIn: Type.Integer({ description: 'Records received since the node started' }),
  eventsStored: Type.Integer({ description: 'Events committed (a record may yield several)' }),
  failures: Type.Integer({ description: 'Records not stored: parse failures plus failed store writes' }),
  deadLetters: Type.Integer({ description: 'Of the failures, records kept as dead letters' }),
  rate: Type.Number({ description: 'Records per second over the last minute' }),
  window: Type.Object(
    { eventsIn: Type.Integer(), failures: Type.Integer() },
    { description: 'Records received and failed in the last minute' },
  ),
  lastEventAt: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds of the last record' }),
  lastFailureAt: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds of the last failure' }),
  lastFailureReason: Type.Union([Type.String(), Type.Null()], { description: 'Parser reason or store error' }),
  status: Type.Union([Type.Literal('ok'), Type.Literal('idle'), Type.Literal('failing')]),
});

const SourceHealthList = Type.Object({
  sources: Type.Array(SourceHealthRow),
  thresholds: Type.Object({
    windowMs: Type.Integer({ description: 'Window of the rate and the failure share' }),
    idleAfterMs: Type.Integer({ description: 'No record for this long: idle' }),
    failingShare: Type.Number({ description: 'Failure share in the window at or above which: failing' }),
  }),
  since: Type.Integer({ description: 'Epoch milliseconds when counting started (node start)' }),
  now: Type.Integer({ description: 'Epoch milliseconds when the answer was computed' }),
});

// Every field of the shared response type must be in the schema (the serializer drops the rest).
const shapeCheck: SourceHealthResponse = {} as Static<typeof SourceHealthList>;
void shapeCheck;

export async function sourceRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.addHook('onRequest', requireKey(context, readRoles));
  // A sink without health counting (a test fake) has seen no sources.
  const health = context.pipeline.sourceHealth ?? new SourceHealth();

  app.get(
    '/api/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Ingest health per source and unit on this node',
        description:
          'One row per (source, unit) this node received records from since it started, most recently active first. ' +
          '`status` is `failing` when failures in the last minute reach `thresholds.failingShare` of the records ' +
          'received, else `idle` when nothing arrived for `thresholds.idleAfterMs`, else `ok`. Counts are in memory.',
        response: { 200: SourceHealthList, ...errorResponses(401, 403) },
      },
    },
    async (request): Promise<SourceHealthResponse> => health.list(callerScope(request)),
  );
}
