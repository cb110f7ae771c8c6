// `vigil serve`: run the API, ingest listeners and console on one port with the embedded store
// under --data. Stops on SIGINT/SIGTERM after flushing everything acknowledged; a second signal
// exits at once.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, environmentName, loadConfig, settings, type VigilConfig } from '../../config/config.ts';
import { attackFiles, replay, startDemoFeed } from '../../demo/demo-feed.ts';
import type { RawRecord } from '../../model/event.ts';
import { createLogger, type Logger } from '../../pipeline/logger.ts';
import { Metrics } from '../../pipeline/metrics.ts';
import type { RecordSink } from '../../pipeline/record-sink.ts';
import { StoreUnavailableError } from '../../server/open-store.ts';
import { StartupError, startVigil } from '../../server/start-vigil.ts';
import { buildOrganisation } from '../../simulate/organisation.ts';
import { Random } from '../../simulate/random.ts';
import { type CliCommand, UsageError } from '../command.ts';
import { createSocRuntime, type SocRuntime } from '../soc-runtime.ts';

const packageRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** Third-party data beside a checkout (../shared/data): the demo uses its rules, feeds and attack recordings. */
const sharedData = resolve(packageRoot, '..', 'shared', 'data');
const demoHosts = 50;
const demoSeed = 1;

function detectionSources(config: VigilConfig, demo: boolean) {
  const shared = (...parts: string[]) => {
    const path = join(sharedData, ...parts);
    return demo && existsSync(path) ? [path] : [];
  };
  return {
    rules: [join(packageRoot, 'content', 'rules'), ...config.detection.rules, ...shared('sigma', 'rules')],
    intel: [...config.intel.feeds, ...shared('intel', 'ioc', 'signature-base', 'c2-iocs.txt')],
    attackBundle: config.attack.bundle || shared('attack', 'enterprise-attack.json')[0],
  };
}

/** After the demo day is seeded: replay recorded attacks into it, then keep the organisation live. */
async function continueDemo(sink: RecordSink, log: Logger, seeded: boolean, signal: AbortSignal): Promise<void> {
  const files = attackFiles(join(sharedData, 'evtx-attack-samples'));
  if (seeded && files.length) {
    const organisation = buildOrganisation(new Random(demoSeed), { hosts: demoHosts });
    const random = new Random(demoSeed + 99);
    const victims = organisation.hosts.filter((host) => host.role === 'workstation' || host.role === 'windows-server');
    const now = Date.now();
    let replayed = 0;
    for (let index = 0; index < 8 && !signal.aborted; index++) {
      const records = replay(random.pick(files), random.pick(victims), now - random.next() * 20 * 3_600_000);
      const raw: RawRecord[] = records.map((record) => ({
        text: record.text,
        unit: 'default',
        receivedAt: now,
        source: { kind: 'demo', name: 'attack-replay' },
      }));
      if (raw.length) await sink.submit(raw);
      replayed += raw.length;
    }
    log.info('demo: replayed recorded attacks into the day', { records: replayed });
  }
  const feed = startDemoFeed({
    sink,
    log,
    hosts: demoHosts,
    seed: demoSeed,
    backfillHours: 0,
    attacks: 0,
    attackDir: join(sharedData, 'evtx-attack-samples'),
    liveAttackMinutes: 30,
    signal,
  });
  await feed.done;
}

function size(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}MB`;
  return bytes % 1024 === 0 ? `${bytes / 1024}KB` : String(bytes);
}

function settingsHelp(): string {
  const rows = settings.map((setting) => [
    setting.key,
    environmentName(setting.key),
    setting.default === ''
      ? '(none)'
      : setting.kind.type === 'bytes'
        ? size(Number(setting.default))
        : String(setting.default),
    setting.help,
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => `  ${row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  ')}`)
    .join('\n');
}

const usage = `Usage: vigil serve [--data DIR] [--port N] [--host H] [--config FILE] [--demo]

Runs the Vigil API (OpenAPI at /api/docs), NDJSON and Splunk HEC ingest, syslog listeners and
the daily retention job, with the embedded DuckDB store in the data directory.

Options:
  --data DIR       Data directory (default ./.vigil; env VIGIL_DATA_DIR)
  --port N         HTTP port (default 8080; env VIGIL_HTTP_PORT; 0 = any free port)
  --host H         HTTP listen address (default 127.0.0.1; env VIGIL_HTTP_HOST)
  --config FILE    Configuration file (default DIR/vigil.yaml when present; env VIGIL_CONFIG)
  --demo           On a store without units, seed a simulated organisation and a day of its
                   telemetry (through the normal pipeline)

Settings are taken from defaults < vigil.yaml < VIGIL_* environment < flags.
On first start an admin API key is created and printed once.

Settings (vigil.yaml key, environment variable, default):
${settingsHelp()}
`;

export const command: CliCommand = {
  name: 'serve',
  summary: 'Run the API, ingest listeners and web console',
  usage,
  async run(argv, io) {
    let values: { data?: string; port?: string; host?: string; config?: string; demo?: boolean };
    try {
      values = parseArgs({
        args: [...argv],
        options: {
          data: { type: 'string' },
          port: { type: 'string' },
          host: { type: 'string' },
          config: { type: 'string' },
          demo: { type: 'boolean' },
        },
        allowPositionals: false,
        strict: true,
      }).values;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig({
        env: io.env,
        cwd: io.cwd,
        ...(values.config ? { configFile: values.config } : {}),
        flags: {
          dataDir: values.data !== undefined ? { value: values.data, flag: '--data' } : undefined,
          'http.port': values.port !== undefined ? { value: values.port, flag: '--port' } : undefined,
          'http.host': values.host !== undefined ? { value: values.host, flag: '--host' } : undefined,
        },
      });
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`vigil serve: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const log = createLogger({ level: config.log.level, write: (line) => io.stderr.write(line) });
    const demo = values.demo === true;
    const metrics = new Metrics();
    let soc: SocRuntime | undefined;
    let running: Awaited<ReturnType<typeof startVigil>>;
    try {
      running = await startVigil(config, {
        log,
        metrics,
        print: (text) => io.stdout.write(`${text}\n`),
        demo,
        // The SOC (detection, incidents, console) is built once the store is open, and closed after
        // the pipeline has flushed its last events through detection.
        extend: async ({ store }) => {
          soc = await createSocRuntime({
            dataDir: config.dataDir,
            store,
            log: log.child({ stage: 'soc' }),
            metrics,
            ...detectionSources(config, demo),
            ...(config.llm.baseUrl
              ? {
                  llm: { baseUrl: config.llm.baseUrl, model: config.llm.model, apiKey: config.llm.apiKey || undefined },
                }
              : {}),
            ...(io.env.VIGIL_ADMIN_PASSWORD ? { adminPassword: io.env.VIGIL_ADMIN_PASSWORD } : {}),
          });
          const runtime = soc;
          return { hooks: runtime.hooks, app: runtime.app, close: () => runtime.close() };
        },
        ...(demo
          ? {
              afterDemoSeed: (result, signal, sink) =>
                continueDemo(sink, log.child({ stage: 'demo' }), result.seeded, signal),
            }
          : {}),
      });
    } catch (error) {
      if (error instanceof StoreUnavailableError || error instanceof StartupError) {
        io.stderr.write(`vigil serve: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    if (soc?.initialAdminPassword) {
      io.stdout.write(
        `Created the console administrator. Sign in at ${running.url} as "admin" with this password (shown only this once):\n\n  ${soc.initialAdminPassword}\n\n(Set VIGIL_ADMIN_PASSWORD before the first start to choose it.)\n`,
      );
    }
    io.stdout.write(`Vigil is listening on ${running.url} (API docs: ${running.url}/api/docs)\n`);

    await new Promise<void>((resolve) => {
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals++;
        if (signals > 1) {
          io.stderr.write(`vigil serve: ${signal} again, exiting without waiting\n`);
          process.exit(130);
        }
        log.info('shutting down', { signal });
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await running.close();
    log.info('stopped');
    return 0;
  },
};
