// Builds the Fastify application from explicit dependencies; `vigil serve` only calls listen and
// tests use inject. Each resource is an encapsulated plugin under routes/<resource>/, errors are
// rendered from the one code table, and the OpenAPI document is served at /api/docs.

import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { VigilConfig } from '../config/config.ts';
import type { ApiKey } from '../model/unit.ts';
import type { ParserRegistry } from '../parse/parser-registry.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { Metrics } from '../pipeline/metrics.ts';
import type { Store } from '../store/store.ts';
import { ApiKeyAuthenticator } from './auth.ts';
import { toHttpError } from './error-mapping.ts';
import { VigilHttpError } from './errors.ts';
import type { IngestSink, RouteContext, RouteOptions } from './route-context.ts';
import { apiKeyRoutes } from './routes/api-keys/api-key-routes.ts';
import { assetRoutes } from './routes/assets/asset-routes.ts';
import { deadLetterRoutes } from './routes/dead-letters/dead-letter-routes.ts';
import { eventRoutes } from './routes/events/event-routes.ts';
import { healthRoutes } from './routes/health/health-routes.ts';
import { hecRoutes } from './routes/hec/hec-routes.ts';
import { ingestRoutes } from './routes/ingest/ingest-routes.ts';
import { sourceRoutes } from './routes/sources/source-routes.ts';
import { unitRoutes } from './routes/units/unit-routes.ts';

export interface AppDependencies {
  readonly store: Store;
  readonly pipeline: IngestSink;
  readonly config: VigilConfig;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The parsers behind the pipeline, used to reject unknown `?format=` names up front. */
  readonly registry?: ParserRegistry;
  /** Called after units or assets were written through the API. */
  readonly onInventoryChanged?: () => void;
  /** Defaults to a cache-backed authenticator over the store. */
  readonly auth?: ApiKeyAuthenticator;
  /**
   * Console sessions: authenticates requests without an Authorization header (e.g. by cookie)
   * as a caller with a unit and role. Without it, every API call needs an API key.
   */
  readonly authenticateSession?: (request: FastifyRequest) => Promise<ApiKey | undefined>;
  /** Route plugins added by other modules (sessions, alerts, cases), registered with the same context. */
  readonly plugins?: readonly ((app: FastifyInstance, options: RouteOptions) => Promise<void>)[];
  /** Directory of the built web console (index.html); served at / with client-side routing. */
  readonly consoleRoot?: string;
}

const apiPrefixes = ['/api/', '/services/', '/healthz', '/metrics'];

function isConsolePage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!request.headers.accept?.includes('text/html')) return false;
  const path = request.url.split('?')[0]!;
  return !apiPrefixes.some((prefix) => path.startsWith(prefix)) && !path.includes('.');
}

export async function buildApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config, metrics, log, registry, consoleRoot } = dependencies;
  const context: RouteContext = {
    store: dependencies.store,
    pipeline: dependencies.pipeline,
    config,
    metrics,
    log,
    auth: dependencies.auth ?? new ApiKeyAuthenticator(dependencies.store),
    onInventoryChanged: dependencies.onInventoryChanged ?? (() => {}),
    authenticateSession: dependencies.authenticateSession,
    hasFormat: (format) => format === 'auto' || !registry || registry.get(format) !== undefined,
  };
  const app = Fastify({
    logger: false,
    bodyLimit: config.http.bodyLimit,
    // The server answers bursts of ingest; slow clients must not hold sockets forever.
    requestTimeout: 120_000,
    return503OnClosing: true,
    // A misspelt field is an error the caller sees, not a value silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });

  app.decorateRequest('apiKey', undefined);
  app.setErrorHandler((error, request, reply) => {
    const httpError = toHttpError(error);
    if (httpError.statusCode >= 500 && httpError.code !== 'VIGIL_ERR_OVERLOADED') {
      // The cause (store errors, bugs) goes to the log; the client gets the code and a safe message.
      log.error('request failed', { method: request.method, url: request.url, error: String(error) });
    }
    if (httpError.headers) void reply.headers(httpError.headers);
    return reply.code(httpError.statusCode).send(httpError.toResponse());
  });
  app.setNotFoundHandler((request, reply) => {
    // The console routes on the client: a page URL that is not a file gets index.html.
    if (consoleRoot && isConsolePage(request)) return reply.sendFile('index.html');
    // HEC clients expect Splunk's own shape, even for a wrong path.
    if (request.url.startsWith('/services/collector')) {
      return reply.code(404).send({ text: 'The requested URL was not found on this server.', code: 404 });
    }
    const error = new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`);
    return reply.code(404).send(error.toResponse());
  });
  app.addHook('onResponse', async (request, reply) => {
    log.debug('request', {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
      key: request.apiKey?.name,
    });
    metrics.inc(
      'vigil_http_requests_total',
      { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) },
      1,
      'HTTP requests answered',
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: '0.1.0',
        description: 'Ingest, search and administration. Errors carry a stable `code` (VIGIL_ERR_*).',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key: "Authorization: Bearer <key>"' },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  const options = { context };
  await app.register(healthRoutes, options);
  await app.register(ingestRoutes, options);
  await app.register(hecRoutes, options);
  await app.register(eventRoutes, options);
  await app.register(deadLetterRoutes, options);
  await app.register(sourceRoutes, options);
  await app.register(unitRoutes, options);
  await app.register(assetRoutes, options);
  await app.register(apiKeyRoutes, options);
  for (const plugin of dependencies.plugins ?? []) await app.register(plugin, options);
  if (consoleRoot) {
    // Registered at the root so reply.sendFile is there for the client-side-routing fallback.
    await app.register(fastifyStatic, { root: consoleRoot, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  return app;
}
