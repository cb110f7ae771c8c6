// Composes the SOC side of a Vigil node: the SOC store (alerts, incidents, users), detection in
// the pipeline (Sigma rules, correlation rules, threat intel, ATT&CK names), incident folding and
// fast triage, the digital analyst, console sessions, and the routes that expose them. Rules and
// feeds load in the background; the first events wait for them rather than go undetected.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Analyst } from '../analyst/analyst.ts';
import { DeterministicAnalyst } from '../analyst/deterministic-analyst.ts';
import { InvestigationJobs } from '../analyst/investigation-jobs.ts';
import { LlmAnalyst, type LlmConfig } from '../analyst/llm-analyst.ts';
import { storeInvestigationData } from '../analyst/store-investigation-data.ts';
import { SwitchableAnalyst } from '../analyst/switchable-analyst.ts';
import { IncidentEngine, type IncidentEngineState } from '../correlate/incident-engine.ts';
import { LiveSuppressions } from '../correlate/suppressions.ts';
import { AttackCatalog, type AttackCatalogData } from '../detect/attack/attack-catalog.ts';
import type { CorrelationEngine } from '../detect/correlation/correlation-engine.ts';
import { intelDetector } from '../detect/detectors.ts';
import { HuntJobs } from '../detect/hunt-jobs.ts';
import { IntelCatalog, intelFileSuffix } from '../detect/intel/intel-catalog.ts';
import { TaxiiFeeds } from '../detect/intel/taxii-feeds.ts';
import { RuleCatalog } from '../detect/rule-catalog.ts';
import { InventoryIndex } from '../enrich/inventory-index.ts';
import { loadStoreInventory } from '../enrich/inventory-store.ts';
import type { ApiKey } from '../model/unit.ts';
import { DetectionHook, type Detector } from '../pipeline/detection-hook.ts';
import type { EventHook } from '../pipeline/event-hook.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { Metrics } from '../pipeline/metrics.ts';
import type { RouteOptions } from '../server/route-context.ts';
import { alertRoutes } from '../server/routes/alerts/alert-routes.ts';
import { AlertStream } from '../server/routes/alerts/alert-stream.ts';
import {
  analystConfigRoutes,
  type LlmEndpoint,
  llmStateKey,
  openLlmSetting,
  type StoredLlmSetting,
} from '../server/routes/analyst/analyst-config-routes.ts';
import { analystRoutes } from '../server/routes/analyst/analyst-routes.ts';
import { attackRoutes } from '../server/routes/attack/attack-routes.ts';
import { huntRoutes } from '../server/routes/hunts/hunt-routes.ts';
import { incidentRoutes } from '../server/routes/incidents/incident-routes.ts';
import { intelRoutes, startRetroMatch } from '../server/routes/intel/intel-routes.ts';
import { overviewRoutes } from '../server/routes/overview/overview-routes.ts';
import { ruleRoutes } from '../server/routes/rules/rule-routes.ts';
import { savedSearchRoutes } from '../server/routes/saved-searches/saved-search-routes.ts';
import { ConsoleSessions } from '../server/routes/session/console-sessions.ts';
import { sessionRoutes } from '../server/routes/session/session-routes.ts';
import { suppressionRoutes } from '../server/routes/suppressions/suppression-routes.ts';
import { SavedSearches } from '../server/saved-searches.ts';
import { SecretBox } from '../store/secret-box.ts';
import { DuckDbSocStore } from '../store/soc/duckdb-soc-store.ts';
import type { SocStore } from '../store/soc-store.ts';
import type { Store } from '../store/store.ts';
import { FastTriage } from '../triage/fast-triage.ts';

export interface SocRuntimeOptions {
  readonly dataDir: string;
  readonly store: Store;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Sigma rule files or folders (detection, filter and correlation rules). */
  readonly rules: readonly string[];
  /** Threat-intel files (STIX bundles, MISP events, IOC lists). */
  readonly intel: readonly string[];
  /** The ATT&CK Enterprise STIX bundle (enterprise-attack.json), if available. */
  readonly attackBundle?: string;
  readonly llm?: LlmConfig;
  readonly adminPassword?: string;
  /** ':memory:' for tests; default DATA/soc.duckdb. */
  readonly socPath?: string;
}

export interface SocRuntime {
  readonly soc: SocStore;
  readonly hooks: readonly EventHook[];
  readonly app: {
    readonly plugins: readonly ((app: FastifyInstance, options: RouteOptions) => Promise<void>)[];
    readonly authenticateSession: (request: import('fastify').FastifyRequest) => Promise<ApiKey | undefined>;
  };
  /** Password of the first administrator when this start generated it (print once). */
  readonly initialAdminPassword?: string;
  /** Resolves when rules, correlations and feeds are loaded. */
  readonly ready: Promise<{ rules: number; rejected: number; correlations: number; indicators: number }>;
  readonly detection: DetectionHook;
  /** The live rule set and its switches; threat intel; retro-hunt jobs. */
  readonly rules: RuleCatalog;
  readonly intel: IntelCatalog;
  readonly hunts: HuntJobs;
  close(): Promise<void>;
}

async function loadAttack(
  bundle: string | undefined,
  dataDir: string,
  log: Logger,
): Promise<AttackCatalog | undefined> {
  const cache = join(dataDir, 'attack-catalog.json');
  if (existsSync(cache)) return new AttackCatalog(JSON.parse(readFileSync(cache, 'utf8')) as AttackCatalogData);
  if (!bundle || !existsSync(bundle)) return undefined;
  const catalog = AttackCatalog.fromStixBundle(JSON.parse(await readFile(bundle, 'utf8')));
  writeFileSync(cache, JSON.stringify(catalog.data));
  log.info('ATT&CK catalogue loaded', { tactics: catalog.tactics.length, techniques: catalog.techniques.length });
  return catalog;
}

/** Where the incident engine's state is kept in the SOC store across restarts. */
const engineStateKey = 'incident-engine-state';

export async function createSocRuntime(options: SocRuntimeOptions): Promise<SocRuntime> {
  const { log, metrics, store } = options;
  const soc = await DuckDbSocStore.open(options.socPath ?? join(options.dataDir, 'soc.duckdb'));
  const sessions = new ConsoleSessions(soc);
  const initialAdminPassword = await sessions.ensureFirstAdmin(options.adminPassword, log);

  // The inventory answers asset criticality, address owners and per-unit thresholds; refreshed each minute.
  let inventory = new InventoryIndex((await loadStoreInventory(store)).inventory);
  const refresh = setInterval(() => {
    loadStoreInventory(store)
      .then((loaded) => {
        inventory = new InventoryIndex(loaded.inventory);
      })
      .catch((error: unknown) => log.warn('inventory refresh failed', { error: String(error) }));
  }, 60_000);
  refresh.unref();

  const triage = new FastTriage({ trained: (await soc.getState<Record<string, never>>('triage-weights')) ?? {} });
  const incidents = new IncidentEngine({
    assetCriticality: (unit, host) => inventory.assetCriticality(unit, host),
    ipOwner: (unit, ip) => inventory.ipOwner(unit, ip),
    attentionThreshold: (unit) => inventory.attentionThreshold(unit) ?? 40,
  });
  // What the engine knew before a restart: ongoing attacks keep their incidents, learnt routine stays.
  const engineState = await soc.getState<IncidentEngineState>(engineStateKey);
  if (engineState && !incidents.restoreState(engineState))
    log.warn('incident engine state of an unknown version not restored');
  const saveEngine = async () => {
    const forgotten = incidents.forgetClosed();
    await soc.putState(engineStateKey, incidents.saveState());
    log.debug('incident engine state saved', { forgotten, ...incidents.size });
  };
  // Saved every few minutes too, so a crash loses little of it.
  const engineSaver = setInterval(() => {
    saveEngine().catch((error: unknown) => log.warn('incident engine state not saved', { error: String(error) }));
  }, 5 * 60_000);
  engineSaver.unref();
  const intel = new IntelCatalog();
  const index = intel.index;
  // Analysts' suppressions; expiry is checked per alert, API changes swap the set.
  const suppressions = new LiveSuppressions();
  suppressions.replace(await soc.listSuppressions({ kind: 'all' }, { now: Date.now() }));
  let jobs: InvestigationJobs | undefined;
  const detectors: Detector[] = [];
  let correlation: CorrelationEngine | undefined;
  let attack: AttackCatalog | undefined;
  // Rules and feeds imported through the API or the CLI live in the data directory.
  const ruleImportDir = join(options.dataDir, 'rules');
  const intelImportDir = join(options.dataDir, 'intel');
  const rules = new RuleCatalog({
    paths: () => [...options.rules.map((path) => resolve(path)), ...(existsSync(ruleImportDir) ? [ruleImportDir] : [])],
    attack: () => attack,
  });
  const hunts = new HuntJobs({
    store,
    soc,
    log: log.child({ stage: 'hunts' }),
    // Intel retro-matches open incidents the way live alerts do (the hook is built below).
    raise: (alerts) => detection.raise(alerts),
  });
  // Credentials kept to act for users (TAXII, the LLM endpoint) are sealed with DATA/secret.key.
  const secrets = await SecretBox.forDataDir(options.dataDir);
  const taxii = new TaxiiFeeds({
    soc,
    secrets,
    intel,
    importDir: intelImportDir,
    log: log.child({ stage: 'taxii' }),
    onNewIndicators: (indicators, days) => void startRetroMatch(hunts, indicators, days, 'taxii'),
  });

  const ready = (async () => {
    attack = await loadAttack(options.attackBundle, options.dataDir, log).catch((error: unknown) => {
      log.warn('ATT&CK catalogue not loaded', { error: String(error) });
      return undefined;
    });
    await hunts.restore();
    rules.setOverrides(await soc.listRuleOverrides({ kind: 'all' }));
    await rules.reload();
    const ruleSet = rules.ruleSet!;
    for (const rejection of ruleSet.rejections.slice(0, 20)) log.warn('rule rejected', { ...rejection });
    correlation = ruleSet.correlation;
    const saved = await soc.getState<Parameters<CorrelationEngine['restore']>[0]>('correlation-state');
    if (saved) correlation.restore(saved);
    // The catalogue's detector follows reloads and per-unit switches without a restart.
    detectors.push(rules.detector);
    const feeds = options.intel.map((path) => ({
      path,
      source: path.split('/').slice(-2).join('/'),
      origin: 'startup',
    }));
    const imported = existsSync(intelImportDir) ? (await readdir(intelImportDir)).sort() : [];
    for (const name of imported.filter((file) => file.endsWith(intelFileSuffix))) {
      feeds.push({
        path: join(intelImportDir, name),
        source: name.slice(0, -intelFileSuffix.length),
        origin: 'data-dir',
      });
    }
    for (const feed of feeds) {
      try {
        intel.addText(await readFile(feed.path, 'utf8'), feed.source, feed.origin);
      } catch (error) {
        log.warn('intel feed not loaded', { path: feed.path, error: String(error) });
      }
    }
    detectors.push(intelDetector(index));
    // Subscriptions resume on their intervals; their objects so far were loaded with DATA/intel.
    await taxii.restore();
    const summary = {
      rules: ruleSet.sigma.rules.length,
      rejected: ruleSet.rejections.length,
      // Loaded, but cannot fire until configured (placeholders, unmapped categories): see
      // GET /api/v1/rules/validation or `vigil rules validate`.
      warnings: ruleSet.warnings.length,
      correlations: ruleSet.correlations.length,
      indicators: index.size,
    };
    log.info('detection ready', summary);
    return summary;
  })();

  const hookDetectors: Detector[] = [
    {
      name: 'all',
      detect: (events, now) => {
        const alerts = [];
        const matches = [];
        for (const detector of detectors) {
          const result = detector.detect(events, now);
          alerts.push(...result.alerts);
          matches.push(...(result.matches ?? []));
        }
        return { alerts, matches };
      },
    },
  ];
  // New live alerts for the console's live stream (SSE), each subscriber seeing its own units.
  const alertStream = new AlertStream();
  const detection = new DetectionHook({
    detectors: hookDetectors,
    // A rule import swaps in a new correlation engine (state carried over).
    correlation: () => rules.correlation ?? correlation,
    incidents,
    triage,
    soc,
    metrics,
    suppressions,
    log: log.child({ stage: 'detection' }),
    // New or grown incidents may cross the automatic-investigation threshold.
    onAlerts: (alerts) => {
      alertStream.publish(alerts);
      void jobs?.scan();
    },
  });
  // Events wait for the rules: detection must not silently skip the first minutes.
  const hook: EventHook = {
    name: 'detection',
    async onEvents(events) {
      await ready;
      await detection.onEvents(events);
    },
  };

  const plugins = [
    sessionRoutes(sessions),
    async (app: FastifyInstance, routeOptions: RouteOptions) => {
      const { config } = routeOptions.context;
      const data = storeInvestigationData({
        store: routeOptions.context.store,
        soc,
        intel: index,
        attack: () => attack,
      });
      // The endpoint an administrator set through the API wins over vigil.yaml / VIGIL_LLM_*.
      const limits = {
        maxSteps: config.llm.maxSteps,
        maxTokens: config.llm.maxTokens,
        timeoutMs: config.llm.timeoutMs,
      };
      const stored = await soc.getState<StoredLlmSetting>(llmStateKey);
      let saved: StoredLlmSetting | undefined;
      try {
        saved = stored && openLlmSetting(stored, secrets);
      } catch (error) {
        log.warn('the stored LLM endpoint key cannot be opened; set the endpoint again', { error: String(error) });
        saved = stored && { ...stored, endpoint: stored.endpoint && { ...stored.endpoint, apiKey: undefined } };
      }
      const configured: LlmEndpoint | undefined = options.llm ? { ...limits, ...options.llm } : undefined;
      const initial = saved ? (saved.endpoint ?? undefined) : configured;
      const build = (endpoint: LlmEndpoint | undefined): Analyst =>
        endpoint ? new LlmAnalyst(data, { ...limits, ...endpoint }) : new DeterministicAnalyst(data);
      let model = initial?.model;
      const analyst = new SwitchableAnalyst(build(initial));
      jobs = new InvestigationJobs({ analyst, soc, log: log.child({ stage: 'analyst' }), ...config.analyst });
      // The previous run's jobs: the incident view lists them, and the hourly limit counts them.
      await jobs.restore();
      await incidentRoutes({ soc, analyst, triage, incidents, jobs })(app, routeOptions);
      await analystRoutes({ soc, analyst, jobs, model: () => model })(app, routeOptions);
      // Its own encapsulated plugin: its admin-only hook must not reach the routes above.
      await app.register(
        analystConfigRoutes({
          soc,
          secrets,
          analyst,
          build: (endpoint) => {
            model = endpoint?.model;
            return build(endpoint);
          },
          initial: { ...(initial ? { endpoint: initial } : {}), source: saved ? 'api' : initial ? 'config' : 'none' },
        }),
        routeOptions,
      );
      void ready.then(() => jobs?.scan());
    },
    overviewRoutes({ soc }),
    ruleRoutes({ soc, catalog: rules, importDir: ruleImportDir }),
    intelRoutes({ intel, hunts, importDir: intelImportDir, taxii }),
    attackRoutes({ soc, attack: () => attack }),
    alertRoutes({ soc, stream: alertStream }),
    huntRoutes({ hunts, catalog: rules, attack: () => attack }),
    suppressionRoutes({
      soc,
      onChanged: (active) => suppressions.replace(active),
      ruleExists: (id) => (rules.loaded ? rules.rule(id) !== undefined : undefined),
      ruleTitle: (id) => (rules.loaded ? rules.rule(id)?.title : undefined),
    }),
    savedSearchRoutes(new SavedSearches({ soc })),
  ];

  return {
    soc,
    hooks: [hook],
    app: { plugins, authenticateSession: sessions.authenticator() },
    initialAdminPassword,
    ready,
    detection,
    rules,
    intel,
    hunts,
    async close() {
      clearInterval(refresh);
      clearInterval(engineSaver);
      taxii.close();
      await detection.idle();
      await saveEngine();
      await jobs?.close();
      const live = rules.correlation ?? correlation;
      if (live) await soc.putState('correlation-state', live.snapshot());
      await soc.close();
    },
  };
}
