// Liveness for load balancers (/healthz: is the store reachable) and Prometheus metrics (/metrics).
// Both are unauthenticated, as scrapers and probes expect.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RouteOptions } from '../../route-context.ts';

const storeProbeTimeoutMs = 2000;

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});

export async function healthRoutes(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        summary: 'Health: 200 when the store answers, 503 otherwise',
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          context.store.countDeadLetters({ kind: 'all' }),
          new Promise((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error('store probe timed out')), storeProbeTimeoutMs);
          }),
        ]);
        return { status: 'ok' as const };
      } catch (error) {
        context.log.warn('health check failed', { error: String(error) });
        return reply.code(503).send({
          status: 'unavailable' as const,
          code: 'VIGIL_ERR_STORE_UNAVAILABLE',
          message: 'The store is not reachable',
        });
      } finally {
        clearTimeout(timer);
      }
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (text exposition format 0.0.4)',
        security: [],
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => {
      // Process gauges are sampled at scrape time: memory is what the byte budgets protect.
      const memory = process.memoryUsage();
      const { metrics } = context;
      metrics.set('process_resident_memory_bytes', {}, memory.rss, 'Resident memory');
      metrics.set('nodejs_heap_used_bytes', {}, memory.heapUsed, 'V8 heap in use');
      metrics.set(
        'nodejs_external_memory_bytes',
        {},
        memory.external + memory.arrayBuffers,
        'Buffers outside the heap',
      );
      metrics.set('process_uptime_seconds', {}, Math.round(process.uptime()), 'Seconds since start');
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
    },
  );
}
