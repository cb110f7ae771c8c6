// Builds a Vigil app over an in-memory store with the test parsers and a set of API keys, for
// app.inject tests: admin of all units, and ingest/read keys of units "finance" and "hr".
import type { FastifyInstance } from 'fastify';
import { loadConfig, type VigilConfig } from '../../src/config/config.ts';
import type { ApiKey } from '../../src/model/unit.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { Metrics } from '../../src/pipeline/metrics.ts';
import { Pipeline, type PipelineOptions } from '../../src/pipeline/pipeline.ts';
import type { RecordSink } from '../../src/pipeline/record-sink.ts';
import { type AppDependencies, buildApp } from '../../src/server/app.ts';
import { createApiKey } from '../../src/server/auth.ts';
import { MemoryStore } from './memory-store.ts';
import { createTestRegistry } from './test-parsers.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: MemoryStore;
  readonly pipeline: Pipeline;
  readonly metrics: Metrics;
  readonly secrets: {
    readonly admin: string;
    readonly financeIngest: string;
    readonly financeRead: string;
    readonly hrIngest: string;
    readonly hrRead: string;
  };
  readonly keys: Record<string, ApiKey>;
}

export async function createTestApp(
  options: {
    config?: (config: VigilConfig) => VigilConfig;
    pipeline?: Partial<PipelineOptions>;
    sink?: (pipeline: Pipeline) => RecordSink;
    app?: Partial<AppDependencies>;
  } = {},
): Promise<TestApp> {
  const store = new MemoryStore();
  const metrics = new Metrics();
  const registry = createTestRegistry();
  const pipeline = new Pipeline({
    registry,
    store,
    metrics,
    log: silentLogger,
    batchMaxWaitMs: 1,
    ...options.pipeline,
  });
  const base = loadConfig({ env: {}, cwd: '/tmp' });
  const config = options.config ? options.config(base) : base;
  const keys: Record<string, ApiKey> = {};
  const make = async (name: string, unit: string, role: ApiKey['role']) => {
    const created = createApiKey({ name, unit, role });
    await store.putApiKey(created.key, created.secretHash);
    keys[name] = created.key;
    return created.secret;
  };
  const secrets = {
    admin: await make('admin', '*', 'admin'),
    financeIngest: await make('finance-ingest', 'finance', 'ingest'),
    financeRead: await make('finance-read', 'finance', 'read'),
    hrIngest: await make('hr-ingest', 'hr', 'ingest'),
    hrRead: await make('hr-read', 'hr', 'read'),
  };
  const app = await buildApp({
    store,
    pipeline: options.sink ? options.sink(pipeline) : pipeline,
    config,
    metrics,
    log: silentLogger,
    registry,
    ...options.app,
  });
  return { app, store, pipeline, metrics, secrets, keys };
}

export function bearer(secret: string): { authorization: string } {
  return { authorization: `Bearer ${secret}` };
}
