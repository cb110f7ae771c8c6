// A whole node as `vigil serve` composes it, for integration tests: the SOC runtime (detection,
// incidents, triage, analyst, console routes) on a DuckDB event store, started on a free port
// without syslog, GeoIP or the console's files. One place for the wiring the tests share.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocRuntime, type SocRuntime, type SocRuntimeOptions } from '../../src/cli/soc-runtime.ts';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { Metrics } from '../../src/pipeline/metrics.ts';
import { type RunningVigil, startVigil } from '../../src/server/start-vigil.ts';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { repoRoot } from '../shared-data.ts';

export interface SocNodeOptions {
  /** Data directory (default: a new temporary one). Reuse it to restart a node on its state. */
  readonly dataDir?: string;
  /** Event store file (default ':memory:'). */
  readonly storePath?: string;
  /** SOC store file (default ':memory:'). */
  readonly socPath?: string;
  /** VIGIL_* settings for the node. */
  readonly env?: Record<string, string>;
  /** Runtime options beyond the defaults (rules default to our content/rules, no intel). */
  readonly runtime?: Partial<Omit<SocRuntimeOptions, 'dataDir' | 'store' | 'log' | 'metrics' | 'socPath'>>;
}

export interface SocNode {
  readonly dataDir: string;
  readonly store: DuckDbStore;
  readonly metrics: Metrics;
  readonly runtime: SocRuntime;
  readonly running: RunningVigil;
  /** The first admin key (all units), when this start created it. */
  readonly admin: string | undefined;
  /** Stops the server (closing the event store) and then the SOC runtime. */
  close(): Promise<void>;
}

export async function startSocNode(options: SocNodeOptions = {}): Promise<SocNode> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-node-'));
  const store = await DuckDbStore.open(options.storePath ?? ':memory:');
  const metrics = new Metrics();
  const runtime = await createSocRuntime({
    rules: [join(repoRoot, 'content', 'rules')],
    intel: [],
    ...options.runtime,
    dataDir,
    store,
    log: silentLogger,
    metrics,
    socPath: options.socPath ?? ':memory:',
  });
  const config = loadConfig({ env: options.env ?? {}, cwd: dataDir });
  const running = await startVigil(
    { ...config, http: { ...config.http, port: 0 }, syslog: { ...config.syslog, enabled: false } },
    {
      log: silentLogger,
      print: () => {},
      metrics,
      openStore: async () => store,
      geoip: false,
      consoleRoot: false,
      hooks: runtime.hooks,
      app: runtime.app,
    },
  );
  let closed = false;
  return {
    dataDir,
    store,
    metrics,
    runtime,
    running,
    admin: running.initialAdminSecret,
    async close() {
      if (closed) return;
      closed = true;
      await running.close();
      await runtime.close();
    },
  };
}
