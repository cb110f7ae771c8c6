// Starts a whole Vigil node in this process: store, parsers, enrichers, pipeline, HTTP API,
// syslog listeners and the daily retention job; close() shuts them down in dependency order so
// everything acknowledged is committed. `vigil serve` is a thin CLI around this.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { VigilConfig } from '../config/config.ts';
import type { Enricher } from '../enrich/enricher.ts';
import { createDefaultParserRegistry } from '../parse/default-parsers.ts';
import type { EventHook } from '../pipeline/event-hook.ts';
import type { Logger } from '../pipeline/logger.ts';
import { Metrics } from '../pipeline/metrics.ts';
import { Pipeline } from '../pipeline/pipeline.ts';
import type { StageContext } from '../pipeline/stage-context.ts';
import type { Store } from '../store/store.ts';
import { type AppDependencies, buildApp } from './app.ts';
import { allUnits, createApiKey } from './auth.ts';
import { seedDemoData } from './demo-data.ts';
import { openStore } from './open-store.ts';
import { ServedEnrichers } from './served-enrichers.ts';

const day = 24 * 60 * 60 * 1000;

/** A start-up problem the operator can fix (port in use, listener config): shown without a stack. */
export class StartupError extends Error {}

export interface StartVigilOptions {
  readonly log: Logger;
  /** Human-facing output (the first admin key is printed here, once). */
  readonly print: (line: string) => void;
  readonly metrics?: Metrics;
  /** Defaults to the DuckDB store under the data dir. */
  readonly openStore?: (config: VigilConfig) => Promise<Store>;
  /** Defaults to the store's inventory (units, assets) and GeoIP, reloaded when they change. */
  readonly enrichers?: readonly Enricher[];
  /** Open the GeoIP database for the default enrichers (default true). */
  readonly geoip?: boolean;
  /** Builds a module's parts once the store is open (e.g. the SOC runtime); see NodeExtension. */
  readonly extend?: (context: NodeContext) => Promise<NodeExtension>;
  /** Session authentication and route plugins of other modules (see AppDependencies). */
  readonly app?: Pick<AppDependencies, 'plugins' | 'authenticateSession'>;
  /** Built web console to serve at / (default: web/dist of this checkout when built; false = none). */
  readonly consoleRoot?: string | false;
  /** Seed a simulated organisation and a day of its telemetry when the store has no units. */
  readonly demo?: boolean;
  /** Called when demo seeding has finished (seeded or not), e.g. to replay attacks and go live. */
  readonly afterDemoSeed?: (
    result: import('./demo-data.ts').DemoResult,
    signal: AbortSignal,
    sink: import('../pipeline/record-sink.ts').RecordSink,
  ) => Promise<void>;
  /** Detection and other consumers of stored events. */
  readonly hooks?: readonly EventHook[];
}

/** What a module (detection, cases, console sessions) adds to a node once the store is open. */
export interface NodeExtension {
  readonly hooks?: readonly EventHook[];
  readonly app?: Pick<AppDependencies, 'plugins' | 'authenticateSession'>;
  /** Called after the pipeline is flushed and before the store closes. */
  close?(): Promise<void>;
}

export interface NodeContext {
  readonly store: Store;
  readonly config: VigilConfig;
  readonly log: Logger;
  readonly metrics: Metrics;
}

export interface RunningVigil {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly pipeline: Pipeline;
  readonly metrics: Metrics;
  /** The first admin key's secret when this start created it (shown once). */
  readonly initialAdminSecret?: string;
  /** Addresses of the syslog listeners that were started. */
  readonly syslogAddresses: readonly { name: string; address: string; port: number }[];
  close(): Promise<void>;
}

interface Closable {
  close(): Promise<void>;
}

/** web/dist of this checkout, when the console has been built. */
function defaultConsoleRoot(): string | undefined {
  const root = fileURLToPath(new URL('../../web/dist', import.meta.url));
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

/** Creates an all-units admin key when the store has no key at all (first start). */
async function ensureInitialAdminKey(store: Store): Promise<string | undefined> {
  const keys = await store.listApiKeys({ kind: 'all' });
  if (keys.length > 0) return undefined;
  const { key, secret, secretHash } = createApiKey({ name: 'initial-admin', unit: allUnits, role: 'admin' });
  await store.putApiKey(key, secretHash);
  return secret;
}

/**
 * The enrichers a node uses by default (store inventory and GeoIP), built once: for one-shot
 * commands such as `vigil ingest` that write into the data dir without serving.
 */
export async function loadDefaultEnrichers(
  store: Store,
  _config: VigilConfig,
  log: Logger,
  options: { geoip?: boolean } = {},
): Promise<readonly Enricher[]> {
  return new ServedEnrichers(store, log.child({ stage: 'enrich' }), () => {}).start(options);
}

/**
 * SYSLOG LISTENERS HOOK: src/ingest/syslog/syslog-listeners.ts exports
 * `startSyslogListeners(config, sink, context)`; imported lazily so serve works without it.
 */
async function startSyslog(
  config: VigilConfig,
  pipeline: Pipeline,
  context: StageContext,
): Promise<{ listeners: Closable; addresses: RunningVigil['syslogAddresses'] } | undefined> {
  if (!config.syslog.enabled) return undefined;
  const path = '../ingest/syslog/syslog-listeners.ts';
  let module: typeof import('../ingest/syslog/syslog-listeners.ts');
  try {
    module = await import(path);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String(error).includes('syslog-listeners')
    ) {
      context.log.warn('syslog listeners are not available in this build');
      return undefined;
    }
    throw error;
  }
  const syslogConfig = module.syslogConfigFromSettings({
    ...config.syslog,
    ...(config.syslog.tlsCertFile ? { tlsCertFile: config.syslog.tlsCertFile } : {}),
    ...(config.syslog.tlsKeyFile ? { tlsKeyFile: config.syslog.tlsKeyFile } : {}),
    ...(config.syslog.tlsCaFile ? { tlsCaFile: config.syslog.tlsCaFile } : {}),
  });
  if (syslogConfig.listeners.length === 0) return undefined;
  let listeners: Awaited<ReturnType<typeof module.startSyslogListeners>>;
  try {
    listeners = await module.startSyslogListeners(syslogConfig, pipeline, context);
  } catch (error) {
    throw new StartupError(`syslog: ${(error as Error).message}`);
  }
  return { listeners, addresses: listeners.addresses };
}

export async function startVigil(config: VigilConfig, options: StartVigilOptions): Promise<RunningVigil> {
  const { log } = options;
  const metrics = options.metrics ?? new Metrics();
  const shutdown = new AbortController();
  const store = await (options.openStore ?? openStore)(config);
  const cleanups: (() => Promise<void>)[] = [() => store.close()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        log.error('shutdown step failed', { error: String(error) });
      }
    }
  };
  try {
    const initialAdminSecret = await ensureInitialAdminKey(store);
    if (initialAdminSecret) {
      options.print(
        `Created the first admin API key (unit "*", role admin). It is shown only this once:\n\n  ${initialAdminSecret}\n\n` +
          'Use it as "Authorization: Bearer <key>". Create more with POST /api/v1/api-keys or `vigil keys create`.',
      );
    }
    const extension = options.extend ? await options.extend({ store, config, log, metrics }) : {};
    if (extension.close) cleanups.push(() => extension.close!());
    const hooks = [...(options.hooks ?? []), ...(extension.hooks ?? [])];
    const registry = createDefaultParserRegistry();
    let pipelineRef: Pipeline | undefined;
    const served = options.enrichers
      ? undefined
      : new ServedEnrichers(store, log.child({ stage: 'enrich' }), (enrichers) => pipelineRef?.setEnrichers(enrichers));
    const enrichers = options.enrichers ?? (await served!.start({ geoip: options.geoip ?? true }));
    if (served) cleanups.push(() => served.close());
    const pipeline = new Pipeline({
      registry,
      store,
      metrics,
      log: log.child({ stage: 'pipeline' }),
      enrichers,
      hooks,
      batchMaxEvents: config.pipeline.batchMaxEvents,
      batchMaxWaitMs: config.pipeline.batchMaxWaitMs,
      maxInFlightBytes: config.pipeline.maxInFlight,
      deadLetterMaxBytes: config.pipeline.deadLetterMaxBytes,
    });
    pipelineRef = pipeline;
    cleanups.push(() => pipeline.close());

    const consoleRoot = options.consoleRoot === undefined ? defaultConsoleRoot() : options.consoleRoot;
    const app = await buildApp({
      store,
      pipeline,
      config,
      metrics,
      log,
      registry,
      ...(served ? { onInventoryChanged: () => served.scheduleReload() } : {}),
      ...(consoleRoot ? { consoleRoot } : {}),
      ...options.app,
      ...extension.app,
      plugins: [...(options.app?.plugins ?? []), ...(extension.app?.plugins ?? [])],
    });
    cleanups.push(() => app.close());
    try {
      await app.listen({ host: config.http.host, port: config.http.port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new StartupError(
          `port ${config.http.port} on ${config.http.host} is in use; choose another with --port or http.port in vigil.yaml`,
        );
      }
      throw error;
    }
    const address = app.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;

    const syslog = await startSyslog(config, pipeline, {
      signal: shutdown.signal,
      log: log.child({ stage: 'syslog' }),
      metrics,
    });
    if (syslog) cleanups.push(() => syslog.listeners.close());

    let retentionTimer: NodeJS.Timeout | undefined;
    if (config.retention.days > 0) {
      const runRetention = async () => {
        const cutoff = Date.now() - config.retention.days * day;
        try {
          const result = await store.deleteOlderThan(cutoff);
          metrics.inc(
            'vigil_retention_deleted_total',
            { kind: 'events' },
            result.events,
            'Records deleted by retention',
          );
          metrics.inc('vigil_retention_deleted_total', { kind: 'dead_letters' }, result.deadLetters);
          log.info('retention run', { cutoff: new Date(cutoff).toISOString(), ...result });
        } catch (error) {
          metrics.inc('vigil_stage_errors_total', { stage: 'retention' });
          log.error('retention run failed', { error: String(error) });
        }
      };
      void runRetention();
      retentionTimer = setInterval(runRetention, day);
      retentionTimer.unref();
    }
    cleanups.push(async () => {
      shutdown.abort();
      clearInterval(retentionTimer);
    });

    if (options.demo) {
      // In the background: the API is usable while the demo day streams in.
      const demoLog = log.child({ stage: 'demo' });
      void seedDemoData(store, pipeline, demoLog, async () => served?.reload(), { signal: shutdown.signal })
        .then((result) => options.afterDemoSeed?.(result, shutdown.signal, pipeline))
        .catch((error: unknown) => {
          if (!shutdown.signal.aborted) demoLog.error('demo: seeding failed', { error: String(error) });
        });
    }

    log.info('Vigil is listening', {
      url,
      docs: `${url}/api/docs`,
      dataDir: config.dataDir,
      syslog: syslog?.addresses.map((entry) => `${entry.name}`) ?? [],
    });
    let closing: Promise<void> | undefined;
    return {
      url,
      app,
      store,
      pipeline,
      metrics,
      ...(initialAdminSecret ? { initialAdminSecret } : {}),
      syslogAddresses: syslog?.addresses ?? [],
      // Reverse order: stop timers, syslog, HTTP (in-flight requests finish), flush the pipeline, close the store.
      close: () => {
        closing ??= cleanup();
        return closing;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
