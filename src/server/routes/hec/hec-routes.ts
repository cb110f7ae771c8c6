// Splunk HTTP Event Collector compatible endpoints, so Vector, Fluent Bit and OpenTelemetry
// collectors send to Vigil unchanged: /services/collector[/event|/raw|/health], "Authorization:
// Splunk <token>" (our API keys), gzip, and Splunk's {"text","code"} answers and status codes.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordSource } from '../../../model/event.ts';
import { inflateRequestBody } from '../../body/content-encoding.ts';
import { splitLineRecords } from '../../body/ndjson-records.ts';
import { toHttpError } from '../../error-mapping.ts';
import { assertNotCongested, callerKey, ingestRoles, ingestUnit } from '../../request-auth.ts';
import type { RouteContext, RouteOptions } from '../../route-context.ts';
import { unitIdPattern } from '../units/unit-routes.ts';
import { decodeHecEvents, type HecProblem, hecTime } from './hec-events.ts';

/** Splunk HEC status codes (the `code` field) with their HTTP status and text. */
export const hecStatus = {
  success: { status: 200, code: 0, text: 'Success' },
  tokenDisabled: { status: 403, code: 1, text: 'Token disabled' },
  tokenRequired: { status: 401, code: 2, text: 'Token is required' },
  invalidAuthorization: { status: 401, code: 3, text: 'Invalid authorization' },
  invalidToken: { status: 403, code: 4, text: 'Invalid token' },
  noData: { status: 400, code: 5, text: 'No data' },
  invalidDataFormat: { status: 400, code: 6, text: 'Invalid data format' },
  internalError: { status: 500, code: 8, text: 'Internal server error' },
  serverBusy: { status: 503, code: 9, text: 'Server is busy' },
  eventRequired: { status: 400, code: 12, text: 'Event field is required' },
  eventBlank: { status: 400, code: 13, text: 'Event field cannot be blank' },
  healthy: { status: 200, code: 17, text: 'HEC is healthy' },
  queuesFull: { status: 503, code: 18, text: 'HEC is unhealthy, queues are full' },
} as const;

type HecStatus = (typeof hecStatus)[keyof typeof hecStatus];

const HecResponse = Type.Object({
  text: Type.String(),
  code: Type.Integer(),
  'invalid-event-number': Type.Optional(Type.Integer()),
  ackId: Type.Optional(Type.Integer()),
});

const HecQuery = Type.Object({
  sourcetype: Type.Optional(Type.String({ maxLength: 128 })),
  host: Type.Optional(Type.String({ maxLength: 256 })),
  source: Type.Optional(Type.String({ maxLength: 512 })),
  time: Type.Optional(Type.String({ maxLength: 32 })),
  channel: Type.Optional(Type.String({ maxLength: 128 })),
  unit: Type.Optional(Type.String({ pattern: unitIdPattern })),
});
type HecQuery = {
  sourcetype?: string;
  host?: string;
  source?: string;
  time?: string;
  unit?: string;
  channel?: string;
};

const problemStatus: Record<HecProblem, HecStatus> = {
  'invalid-format': hecStatus.invalidDataFormat,
  'event-required': hecStatus.eventRequired,
  'event-blank': hecStatus.eventBlank,
};

/** A failure answered in Splunk's shape. */
class HecError extends Error {
  readonly hec: HecStatus;
  readonly eventNumber: number | undefined;
  constructor(hec: HecStatus, eventNumber?: number) {
    super(hec.text);
    this.hec = hec;
    this.eventNumber = eventNumber;
  }
}

function send(reply: FastifyReply, status: HecStatus, eventNumber?: number): FastifyReply {
  return reply
    .code(status.status)
    .send(
      eventNumber === undefined
        ? { text: status.text, code: status.code }
        : { text: status.text, code: status.code, 'invalid-event-number': eventNumber },
    );
}

/** HEC clients send "Splunk <token>"; Splunk also takes Basic auth with the token as password. */
function hecSecret(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const space = authorization.indexOf(' ');
  if (space < 0) throw new HecError(hecStatus.invalidAuthorization);
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (scheme === 'splunk' || scheme === 'bearer') return value;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  throw new HecError(hecStatus.invalidAuthorization);
}

function authenticate(context: RouteContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const secret = hecSecret(request.headers.authorization);
    if (secret === undefined) throw new HecError(hecStatus.tokenRequired);
    if (secret === '') throw new HecError(hecStatus.invalidAuthorization);
    const key = await context.auth.lookup(secret);
    if (!key || !ingestRoles.includes(key.role)) throw new HecError(hecStatus.invalidToken);
    request.apiKey = key;
    assertNotCongested(context);
  };
}

function bodyText(request: FastifyRequest): string {
  const body = request.body as Buffer | undefined;
  if (!body || body.length === 0) throw new HecError(hecStatus.noData);
  return body.toString('utf8');
}

function recordSource(request: FastifyRequest): RecordSource {
  return { kind: 'hec', name: callerKey(request).name, peer: request.ip };
}

export async function hecRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('preParsing', inflateRequestBody);
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof HecError) return send(reply, error.hec, error.eventNumber);
    const httpError = toHttpError(error);
    switch (httpError.code) {
      case 'VIGIL_ERR_OVERLOADED':
      case 'VIGIL_ERR_STORE_UNAVAILABLE':
        void reply.header('retry-after', httpError.headers?.['retry-after'] ?? '1');
        return send(reply, hecStatus.serverBusy);
      case 'VIGIL_ERR_BODY_TOO_LARGE':
        return reply.code(413).send({ text: 'Request entity too large', code: hecStatus.invalidDataFormat.code });
      case 'VIGIL_ERR_UNIT_FORBIDDEN':
        return send(reply, hecStatus.invalidToken);
      case 'VIGIL_ERR_INTERNAL':
        context.log.error('HEC request failed', { error: String(error) });
        return send(reply, hecStatus.internalError);
      default:
        // Bad gzip, bad query parameters, unsupported encodings: the data could not be read.
        return send(reply, hecStatus.invalidDataFormat);
    }
  });

  let nextAckId = 0;
  /** Success, with an ackId when the client speaks indexer acknowledgement (sends a channel). */
  const success = (request: FastifyRequest<{ Querystring: HecQuery }>) => {
    const channel = request.headers['x-splunk-request-channel'] ?? request.query.channel;
    return channel
      ? { text: hecStatus.success.text, code: hecStatus.success.code, ackId: nextAckId++ }
      : { text: hecStatus.success.text, code: hecStatus.success.code };
  };

  const common = {
    onRequest: authenticate(context),
    schema: {
      tags: ['hec'],
      querystring: HecQuery,
      security: [],
      response: { 200: HecResponse, 400: HecResponse, 401: HecResponse, 403: HecResponse, 503: HecResponse },
    },
  };

  const eventHandler = async (request: FastifyRequest<{ Querystring: HecQuery }>) => {
    const key = callerKey(request);
    const decoded = decodeHecEvents(bodyText(request), {
      source: recordSource(request),
      unit: ingestUnit(key, request.query.unit),
      receivedAt: Date.now(),
      defaults: { sourcetype: request.query.sourcetype, host: request.query.host, source: request.query.source },
    });
    // Like Splunk, envelopes before a malformed one are accepted; the client learns which one failed.
    if (decoded.records.length > 0) await context.pipeline.submit(decoded.records);
    if (decoded.problem) throw new HecError(problemStatus[decoded.problem.kind], decoded.problem.eventNumber);
    return success(request);
  };
  for (const url of ['/services/collector', '/services/collector/event', '/services/collector/event/1.0']) {
    app.post<{ Querystring: HecQuery }>(
      url,
      { ...common, schema: { ...common.schema, summary: 'Splunk HEC: JSON event envelopes' } },
      eventHandler,
    );
  }

  const rawHandler = async (request: FastifyRequest<{ Querystring: HecQuery }>) => {
    const key = callerKey(request);
    const { records } = splitLineRecords(bodyText(request), {
      source: recordSource(request),
      unit: ingestUnit(key, request.query.unit),
      receivedAt: Date.now(),
      formatHint: request.query.sourcetype || undefined,
      time: hecTime(request.query.time),
      host: request.query.host || undefined,
      decodeJson: true,
    });
    if (records.length === 0) throw new HecError(hecStatus.noData);
    await context.pipeline.submit(records);
    return success(request);
  };
  for (const url of ['/services/collector/raw', '/services/collector/raw/1.0']) {
    app.post<{ Querystring: HecQuery }>(
      url,
      { ...common, schema: { ...common.schema, summary: 'Splunk HEC: raw lines' } },
      rawHandler,
    );
  }

  // Indexer acknowledgement: we answer only after the commit, so every ackId handed out is
  // already durable and an ack query can say true for each (Vector, Kinesis Firehose use this).
  app.post<{ Querystring: HecQuery }>(
    '/services/collector/ack',
    { ...common, schema: { ...common.schema, summary: 'Splunk HEC indexer acknowledgement', response: {} } },
    async (request) => {
      let ids: unknown;
      try {
        ids = (JSON.parse(bodyText(request)) as { acks?: unknown }).acks;
      } catch {
        throw new HecError(hecStatus.invalidDataFormat);
      }
      if (!Array.isArray(ids)) throw new HecError(hecStatus.invalidDataFormat);
      const acks: Record<string, boolean> = {};
      for (const id of ids) if (Number.isInteger(id)) acks[String(id)] = id >= 0 && id < nextAckId;
      return { acks };
    },
  );

  const healthHandler = async (_request: FastifyRequest, reply: FastifyReply) =>
    send(reply, context.pipeline.isCongested?.() ? hecStatus.queuesFull : hecStatus.healthy);
  for (const url of ['/services/collector/health', '/services/collector/health/1.0']) {
    app.route({
      method: ['GET', 'POST'],
      url,
      schema: {
        tags: ['hec'],
        summary: 'Splunk HEC health',
        security: [],
        response: { 200: HecResponse, 503: HecResponse },
      },
      handler: healthHandler,
    });
  }
}
