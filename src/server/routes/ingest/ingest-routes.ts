// POST /api/v1/ingest: NDJSON (optionally gzip) with an API key bound to a unit. Answers only
// after the records are committed, with per-line errors; a bad line never fails the request.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RecordSource } from '../../../model/event.ts';
import { inflateRequestBody } from '../../body/content-encoding.ts';
import { splitArrayRecords, splitLineRecords } from '../../body/ndjson-records.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { assertNotCongested, callerKey, ingestRoles, ingestUnit, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';
import { unitIdPattern } from '../units/unit-routes.ts';

/** Per-line errors listed in one response; the rest are counted in `errorsOmitted`. */
const maxListedErrors = 1000;

const IngestQuery = Type.Object({
  format: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: "Parser format for every line (default 'auto')" }),
  ),
  unit: Type.Optional(Type.String({ pattern: unitIdPattern, description: 'Target unit; only for keys of all units' })),
});

const IngestResult = Type.Object({
  stored: Type.Integer({ description: 'Events committed' }),
  failed: Type.Integer({ description: 'Lines kept as dead letters' }),
  errors: Type.Array(
    Type.Object({ line: Type.Integer({ description: '1-based line number' }), reason: Type.String() }),
  ),
  errorsOmitted: Type.Optional(Type.Integer({ description: 'Further per-line errors not listed' })),
});

export async function ingestRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  // Bodies are read raw (any content type) and split here, so one bad line cannot fail the request.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('preParsing', inflateRequestBody);

  app.post<{ Querystring: { format?: string; unit?: string } }>(
    '/api/v1/ingest',
    {
      onRequest: [requireKey(context, ingestRoles), async () => assertNotCongested(context)],
      schema: {
        tags: ['ingest'],
        summary: 'Ingest NDJSON (one record per line; Content-Encoding: gzip accepted)',
        description:
          'One record per line; a body that is a single JSON array is taken element by element (numbered as lines). ' +
          'Blank lines are skipped. Lines that cannot be parsed are kept as dead letters and listed in `errors` ' +
          'with their 1-based line number. The response is sent after the events are committed.',
        querystring: IngestQuery,
        response: { 200: IngestResult, ...errorResponses(400, 401, 403, 413, 415, 503) },
      },
    },
    async (request) => {
      const key = callerKey(request);
      const unit = ingestUnit(key, request.query.unit);
      const format = request.query.format ?? 'auto';
      if (!context.hasFormat(format)) {
        throw new VigilHttpError('VIGIL_ERR_UNKNOWN_FORMAT', `Unknown format '${format}'`, { format });
      }
      const body = request.body as Buffer | undefined;
      if (!body || body.length === 0) return { stored: 0, failed: 0, errors: [] };
      const source: RecordSource = { kind: 'http', name: key.name };
      const text = body.toString('utf8');
      const options = { source, unit, receivedAt: Date.now(), decodeJson: true };
      // NDJSON is the format; a single JSON array (common from generic HTTP clients) is accepted too.
      const { records, lines } = splitArrayRecords(text, options) ?? splitLineRecords(text, options);
      const result = await context.pipeline.submit(records, { format });
      const listed = result.errors.length > maxListedErrors ? result.errors.slice(0, maxListedErrors) : result.errors;
      return {
        stored: result.stored,
        failed: result.failed,
        errors: listed.map((error) => ({ line: lines[error.index] ?? error.index + 1, reason: error.reason })),
        ...(listed.length < result.errors.length ? { errorsOmitted: result.errors.length - listed.length } : {}),
      };
    },
  );
}
