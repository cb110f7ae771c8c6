// The noise evaluation behind `vigil eval noise`: recorded attack scenarios are replayed, each onto
// a victim host of its own, into a simulated organisation's ordinary day, and the whole pipeline
// (parse → enrich → detect with the given rules → correlate → triage) runs on it in a temporary
// store. The result says how much of the alert flood reaches a person, and whether every attack
// the rules can see is among what does — measured from the stored facts, never estimated.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type AlertOutcome, IncidentEngine, type IncidentEngineOptions } from '../correlate/incident-engine.ts';
import { levelRank } from '../correlate/priority.ts';
import { AttackCatalog } from '../detect/attack/attack-catalog.ts';
import { sigmaDetector } from '../detect/detectors.ts';
import { loadRuleSet } from '../detect/rule-set.ts';
import { createEnrichers } from '../enrich/create-enrichers.ts';
import { InventoryIndex } from '../enrich/inventory-index.ts';
import { readRecords } from '../ingest/files/read-records.ts';
import type { Alert, AlertLevel } from '../model/alert.ts';
import type { Incident } from '../model/incident.ts';
import type { Asset, Unit } from '../model/unit.ts';
import { createDefaultParserRegistry } from '../parse/default-parsers.ts';
import { DetectionHook } from '../pipeline/detection-hook.ts';
import { type Logger, silentLogger } from '../pipeline/logger.ts';
import { Metrics } from '../pipeline/metrics.ts';
import { Pipeline } from '../pipeline/pipeline.ts';
import { OverloadedError } from '../pipeline/record-sink.ts';
import { organisationAssets, slug } from '../simulate/organisation.ts';
import { recordTime, relocateRecord } from '../simulate/replay.ts';
import { simulate } from '../simulate/simulator.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { DuckDbSocStore } from '../store/soc/duckdb-soc-store.ts';
import { FastTriage, triageFeatures } from '../triage/fast-triage.ts';

// ------------------------------------------------------------------ manifest

export interface NoiseScenario {
  readonly id: string;
  /** Files of the scenario (JSON lines, JSON, .gz, .zip), absolute after loading. */
  readonly files: readonly string[];
  /** Recorded normal activity: left out of recall; what needs attention in it counts as background. */
  readonly benign?: boolean;
}

export interface NoiseSimulation {
  readonly hosts: number;
  readonly hours: number;
  readonly seed: number;
  /** Number of units (default: from the host count, as `vigil simulate`). */
  readonly units?: number;
}

export interface NoiseManifest {
  /** Sigma rule files or folders (detection, filter and correlation rules). */
  readonly rules: readonly string[];
  readonly scenarios: readonly NoiseScenario[];
  readonly background?: { readonly simulate?: NoiseSimulation };
  /** ATT&CK Enterprise STIX bundle, so alerts carry tactics (kill-chain stage) as in production. */
  readonly attack?: string;
  /** Start of the evaluated period (ISO); default 2026-01-05T00:00:00Z, a Monday. */
  readonly start?: string;
  /** Length of the period in hours when there is no simulated background (default 24). */
  readonly hours?: number;
}

/** A manifest that cannot be used: thrown at load time with the file and the field. */
export class ManifestError extends Error {}

const defaultStart = '2026-01-05T00:00:00Z';

/** Read and check a manifest; every path in it becomes absolute (relative to the manifest's folder). */
export async function loadNoiseManifest(path: string): Promise<NoiseManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ManifestError(`${path}: cannot read: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${path}: not JSON: ${(error as Error).message}`);
  }
  return parseNoiseManifest(document, dirname(resolve(path)), path);
}

export function parseNoiseManifest(document: unknown, baseDir: string, name = 'manifest'): NoiseManifest {
  const fail = (field: string, problem: string): never => {
    throw new ManifestError(`${name}: ${field}: ${problem}`);
  };
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const strings = (value: unknown, field: string): string[] => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === ''))
      return fail(field, 'must be a list of paths');
    return (value as string[]).map((item) => resolve(baseDir, item));
  };
  if (!isObject(document)) return fail('(top)', 'must be a JSON object');
  const rules = strings(document.rules, 'rules');
  if (rules.length === 0) fail('rules', 'names no rule file or folder');
  if (!Array.isArray(document.scenarios)) fail('scenarios', 'must be a list');
  const ids = new Set<string>();
  const scenarios = (document.scenarios as unknown[]).map((entry, index): NoiseScenario => {
    const field = `scenarios[${index}]`;
    if (!isObject(entry)) return fail(field, 'must be an object');
    if (typeof entry.id !== 'string' || entry.id === '') return fail(`${field}.id`, 'must be a non-empty string');
    if (ids.has(entry.id)) fail(`${field}.id`, `'${entry.id}' is used twice`);
    ids.add(entry.id);
    const files = strings(entry.files, `${field}.files`);
    if (files.length === 0) fail(`${field}.files`, 'names no file');
    if (entry.benign !== undefined && typeof entry.benign !== 'boolean')
      fail(`${field}.benign`, 'must be true or false');
    return { id: entry.id, files, ...(entry.benign ? { benign: true } : {}) };
  });
  let background: NoiseManifest['background'];
  if (document.background !== undefined) {
    if (!isObject(document.background)) fail('background', 'must be an object');
    const simulation = (document.background as Record<string, unknown>).simulate;
    if (simulation !== undefined) {
      if (!isObject(simulation)) fail('background.simulate', 'must be an object');
      const sim = simulation as Record<string, unknown>;
      const number = (key: string, minimum: number, fallback?: number): number => {
        const value = sim[key] ?? fallback;
        if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum)
          return fail(`background.simulate.${key}`, `must be a number ≥ ${minimum}`);
        return value;
      };
      background = {
        simulate: {
          hosts: Math.round(number('hosts', 3)),
          hours: number('hours', 0.01),
          seed: Math.round(number('seed', 0, 1)),
          ...(sim.units !== undefined ? { units: Math.round(number('units', 1)) } : {}),
        },
      };
    }
  }
  if (document.attack !== undefined && typeof document.attack !== 'string') fail('attack', 'must be a path');
  if (document.start !== undefined && (typeof document.start !== 'string' || Number.isNaN(Date.parse(document.start))))
    fail('start', 'must be an ISO date');
  if (document.hours !== undefined && !(typeof document.hours === 'number' && document.hours > 0))
    fail('hours', 'must be a positive number');
  return {
    rules,
    scenarios,
    ...(background ? { background } : {}),
    ...(typeof document.attack === 'string' ? { attack: resolve(baseDir, document.attack) } : {}),
    ...(typeof document.start === 'string' ? { start: document.start } : {}),
    ...(typeof document.hours === 'number' ? { hours: document.hours } : {}),
  };
}

// ------------------------------------------------------------------ result

export interface NoiseEvaluationResult {
  readonly events: number;
  readonly alerts: number;
  readonly alertGroups: number;
  readonly incidents: number;
  readonly incidentsNeedingAttention: number;
  /** 1 − incidents needing attention / alerts. */
  readonly reduction: number;
  readonly scenarios: {
    readonly total: number;
    /** Attack scenarios on whose events the rules raise at least one alert of level medium or above. */
    readonly detectable: number;
    /** Detectable scenarios with at least one of their alerts in an incident needing attention. */
    readonly surfaced: number;
    readonly recall: number;
    readonly benign: number;
  };
  /** Share of incidents needing attention whose alerts come from one attack scenario only, or from background only. */
  readonly purity: number;
  /** Incidents needing attention with background alerts only (simulator and benign scenarios). */
  readonly backgroundIncidentsNeedingAttention: number;
  /** The same, scaled to 200 hosts and 24 hours of background. */
  readonly backgroundPer200HostDays: number | null;
  /** Fast triage (facts + features + model) timed again on every final incident. */
  readonly triage: {
    readonly incidents: number;
    readonly meanMillis: number;
    readonly p99Millis: number;
    readonly maxMillis: number;
  };
  /** Where the time went (seconds; stages overlap with the store writes, which run alongside). */
  readonly timing: {
    readonly loadRules: number;
    readonly readScenarios: number;
    readonly detect: number;
    readonly correlate: number;
    readonly storeWrites: number;
    /** The detection hook's SOC-store writes, by method. */
    readonly socWrites: Readonly<Record<string, number>>;
  };
  readonly rules: { readonly loaded: number; readonly rejected: number; readonly correlations: number };
  readonly background: { readonly hosts: number; readonly hours: number; readonly records: number };
  readonly records: { readonly submitted: number; readonly failed: number; readonly unreadable: number };
  readonly seconds: number;
  readonly details?: NoiseEvaluationDetails;
}

export interface ScenarioDetail {
  readonly id: string;
  readonly benign: boolean;
  readonly host: string;
  readonly unit: string;
  readonly records: number;
  readonly alerts: number;
  readonly alertsMediumOrAbove: number;
  readonly detectable: boolean;
  readonly surfaced: boolean;
  readonly incidents: number;
  readonly incidentsNeedingAttention: number;
  /** Highest priority of an incident holding the scenario's alerts. */
  readonly bestPriority: number;
  readonly rules: readonly string[];
}

export interface IncidentDetail {
  readonly id: string;
  readonly unit: string;
  readonly title: string;
  readonly priority: number;
  readonly verdict?: string;
  readonly alerts: number;
  readonly sources: readonly string[];
  readonly rules: readonly string[];
  /** Entities the incident's sources share (what joined them), for mixed incidents. */
  readonly sharedEntities?: readonly string[];
}

export interface NoiseEvaluationDetails {
  readonly scenarios: readonly ScenarioDetail[];
  /** Incidents needing attention with background alerts only, highest priority first. */
  readonly backgroundIncidents: readonly IncidentDetail[];
  /** Incidents needing attention that mix several scenarios (or a scenario and background). */
  readonly mixedIncidents: readonly IncidentDetail[];
  /** Alerts per rule, noisiest first, with the background hosts and scenarios it fired on. */
  readonly noisiestRules: readonly {
    readonly rule: string;
    readonly level: string;
    readonly alerts: number;
    readonly backgroundHosts: number;
    readonly scenarios: number;
  }[];
}

export interface NoiseEvaluationOptions {
  readonly log?: Logger;
  /** Progress lines for a person (stderr); none by default. */
  readonly progress?: (message: string) => void;
  /** Folder for the temporary stores (default: a new folder under the OS temp dir, removed afterwards). */
  readonly workDir?: string;
  /** Keep the temporary stores (for inspection). */
  readonly keep?: boolean;
  /** Include per-scenario and per-incident details in the result. */
  readonly details?: boolean;
  /** Records per submit (default 1000). */
  readonly batchSize?: number;
}

// ------------------------------------------------------------------ run

/** Label on every replayed record naming its scenario; simulated background carries none. */
export const scenarioLabel = 'vigil_eval_scenario';
const backgroundSource = '(background)';

interface TimedRecord {
  readonly time: number;
  readonly text: string;
  readonly unit: string;
  readonly scenario?: string;
  readonly host?: string;
}

interface ScenarioPlan {
  readonly scenario: NoiseScenario;
  readonly host: string; // short name, lower case
  readonly fqdn: string;
  readonly unit: string;
  records: number;
}

/** The IncidentEngine the pipeline uses, noting which source each alert came from and where it went. */
class RecordingIncidentEngine extends IncidentEngine {
  readonly groupSources = new Map<string, Set<string>>();
  readonly alertsBySource = new Map<string, { total: number; mediumOrAbove: number; rules: Map<string, number> }>();
  readonly alertsByRule = new Map<
    string,
    { level: AlertLevel; alerts: number; backgroundHosts: Set<string>; scenarios: Set<string> }
  >();
  /** Entity → sources whose alerts carried it (to explain what joined scenarios). */
  readonly entitySources = new Map<string, Set<string>>();
  readonly #sourceOfHost: ReadonlyMap<string, string>;
  /** Milliseconds spent folding alerts into groups and incidents. */
  millis = 0;

  constructor(options: IncidentEngineOptions, sourceOfHost: ReadonlyMap<string, string>) {
    super(options);
    this.#sourceOfHost = sourceOfHost;
  }

  override addAlert(alert: Alert): AlertOutcome {
    const started = performance.now();
    const outcome = super.addAlert(alert);
    this.millis += performance.now() - started;
    const source = this.#sourceOf(alert, outcome);
    let sources = this.groupSources.get(outcome.group.id);
    if (!sources) {
      sources = new Set();
      this.groupSources.set(outcome.group.id, sources);
    }
    sources.add(source);
    let counts = this.alertsBySource.get(source);
    if (!counts) {
      counts = { total: 0, mediumOrAbove: 0, rules: new Map() };
      this.alertsBySource.set(source, counts);
    }
    counts.total++;
    if (levelRank[alert.rule.level] >= levelRank.medium) counts.mediumOrAbove++;
    counts.rules.set(alert.rule.title, (counts.rules.get(alert.rule.title) ?? 0) + 1);
    let rule = this.alertsByRule.get(alert.rule.title);
    if (!rule) {
      rule = { level: alert.rule.level, alerts: 0, backgroundHosts: new Set(), scenarios: new Set() };
      this.alertsByRule.set(alert.rule.title, rule);
    }
    rule.alerts++;
    if (source === backgroundSource) {
      const host = outcome.group.entities.find((entity) => entity.kind === 'host');
      if (host) rule.backgroundHosts.add(host.value);
    } else rule.scenarios.add(source);
    for (const entity of outcome.group.entities) {
      const key = `${entity.kind}:${entity.value}`;
      let sources = this.entitySources.get(key);
      if (!sources) {
        sources = new Set();
        this.entitySources.set(key, sources);
      }
      if (sources.size < 8) sources.add(source);
    }
    return outcome;
  }

  #sourceOf(alert: Alert, outcome: AlertOutcome): string {
    const labels = alert.event?.labels as Record<string, unknown> | undefined;
    const label = labels?.[scenarioLabel];
    if (typeof label === 'string') return label;
    // An alert without its event (none so far) is attributed by the host it is about.
    for (const entity of outcome.group.entities) {
      if (entity.kind !== 'host') continue;
      const source = this.#sourceOfHost.get(entity.value);
      if (source) return source;
    }
    return backgroundSource;
  }
}

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Victim host names: inside a unit's naming scheme so the inventory places them like any host. */
function victimName(unit: Unit, index: number): string {
  return `${unit.id.slice(0, 3).toUpperCase()}-VIC${String(index + 1).padStart(3, '0')}`;
}

async function readScenario(
  plan: ScenarioPlan,
  at: number,
  counts: { unreadable: number },
  log: Logger,
): Promise<TimedRecord[]> {
  const raw: { text: string; time: number | undefined }[] = [];
  for await (const batch of readRecords(plan.scenario.files, {
    decodeJson: true,
    onSkip: (skipped) => {
      counts.unreadable++;
      log.warn('scenario file skipped', { scenario: plan.scenario.id, file: skipped.path, reason: skipped.reason });
    },
    onFailure: () => {
      counts.unreadable++;
    },
  })) {
    for (const record of batch)
      raw.push({ text: record.text, time: record.json ? recordTime(record.json) : undefined });
  }
  let first = Number.POSITIVE_INFINITY;
  for (const record of raw) if (record.time !== undefined && record.time < first) first = record.time;
  const offset = Number.isFinite(first) ? at - first : 0;
  const records: TimedRecord[] = [];
  for (const record of raw) {
    // Records that are not JSON objects (plain lines) cannot be moved; they keep their text.
    const text = relocateRecord(record.text, { offsetMs: offset, host: plan.fqdn }) ?? record.text;
    records.push({
      time: record.time !== undefined ? record.time + offset : at,
      text,
      unit: plan.unit,
      scenario: plan.scenario.id,
      host: plan.fqdn,
    });
  }
  plan.records = records.length;
  return records;
}

export async function runNoiseEvaluation(
  manifest: NoiseManifest,
  options: NoiseEvaluationOptions = {},
): Promise<NoiseEvaluationResult> {
  const started = performance.now();
  const log = options.log ?? silentLogger;
  const progress = options.progress ?? (() => {});
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'vigil-eval-noise-')));

  // 1. Rules (and ATT&CK names, so alerts carry tactics as they do in production).
  const ruleSet = await loadRuleSet(manifest.rules);
  const rulesLoaded = performance.now();
  progress(
    `rules: ${ruleSet.sigma.rules.length} loaded, ${ruleSet.rejections.length} rejected, ${ruleSet.correlations.length} correlations`,
  );
  let attack: AttackCatalog | undefined;
  if (manifest.attack) {
    try {
      attack = AttackCatalog.fromStixBundle(JSON.parse(await readFile(manifest.attack, 'utf8')));
    } catch (error) {
      throw new ManifestError(`attack: cannot load ${manifest.attack}: ${(error as Error).message}`);
    }
  }

  // 2. The organisation: simulated background, plus one victim host per scenario in its units.
  const simulateOptions = manifest.background?.simulate;
  const start = Date.parse(manifest.start ?? defaultStart);
  const hours = simulateOptions?.hours ?? manifest.hours ?? 24;
  const simulation = simulateOptions
    ? simulate({
        hosts: simulateOptions.hosts,
        hours: simulateOptions.hours,
        seed: simulateOptions.seed,
        start,
        ...(simulateOptions.units !== undefined ? { units: simulateOptions.units } : {}),
      })
    : undefined;
  const units: Unit[] = simulation
    ? [...simulation.organisation.units]
    : [{ id: 'lab', name: 'Lab', hostPatterns: ['LAB-*'] }];
  const assets: Asset[] = simulation ? organisationAssets(simulation.organisation) : [];
  const periodStart = simulation?.start ?? start;
  const periodEnd = simulation?.end ?? start + hours * 3_600_000;
  const counters = new Map<string, number>();
  const plans: ScenarioPlan[] = manifest.scenarios.map((scenario, index) => {
    const unit = units[index % units.length]!;
    const number = counters.get(unit.id) ?? 0;
    counters.set(unit.id, number + 1);
    const name = victimName(unit, number);
    const fqdn = `${name.toLowerCase()}.${simulation?.organisation.dnsSuffix ?? 'lab.example'}`;
    assets.push({ id: slug(name), unit: unit.id, hostname: name, criticality: 'medium', os: 'windows' });
    return { scenario, host: name.toLowerCase(), fqdn, unit: unit.id, records: 0 };
  });
  const sourceOfHost = new Map(plans.map((plan) => [plan.host, plan.scenario.id]));
  const benign = new Set(manifest.scenarios.filter((scenario) => scenario.benign).map((scenario) => scenario.id));

  // 3. Scenario records, each moved onto its victim and to its slot in the period (spread evenly).
  const readCounts = { unreadable: 0 };
  const replayed: TimedRecord[] = [];
  for (const [index, plan] of plans.entries()) {
    const at = periodStart + ((index + 0.5) / plans.length) * (periodEnd - periodStart);
    for (const record of await readScenario(plan, at, readCounts, log)) replayed.push(record);
  }
  replayed.sort((a, b) => a.time - b.time);
  const scenariosRead = performance.now();
  progress(`scenarios: ${plans.length} read, ${replayed.length} records`);

  // 4. The pipeline as production wires it, on temporary stores.
  const store = await DuckDbStore.open(join(workDir, 'events.duckdb'));
  const soc = await DuckDbSocStore.open(join(workDir, 'soc.duckdb'));
  // The detection hook's writes of alerts, groups and incidents, timed (they are serial with detection).
  const socMillis: Record<string, number> = {};
  const timedSoc = new Proxy(soc, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!['appendAlerts', 'putGroups', 'putIncidents', 'deleteIncidents'].includes(String(property)))
        return method.bind(target);
      return async (...args: unknown[]) => {
        const begin = performance.now();
        try {
          return await method.apply(target, args);
        } finally {
          socMillis[String(property)] = (socMillis[String(property)] ?? 0) + performance.now() - begin;
        }
      };
    },
  });
  const inventory = new InventoryIndex({ units, assets });
  const incidents = new RecordingIncidentEngine(
    {
      assetCriticality: (unit, host) => inventory.assetCriticality(unit, host),
      ipOwner: (unit, ip) => inventory.ipOwner(unit, ip),
      attentionThreshold: (unit) => inventory.attentionThreshold(unit) ?? 40,
    },
    sourceOfHost,
  );
  const triage = new FastTriage();
  const metrics = new Metrics();
  const detection = new DetectionHook({
    detectors: [sigmaDetector({ engine: ruleSet.sigma, attack })],
    correlation: () => ruleSet.correlation,
    incidents,
    triage,
    soc: timedSoc,
    metrics,
    log: log.child({ stage: 'detection' }),
  });
  const pipeline = new Pipeline({
    registry: createDefaultParserRegistry(),
    store,
    metrics,
    log: log.child({ stage: 'pipeline' }),
    enrichers: createEnrichers({ inventory }),
    hooks: [detection],
  });

  let stored = 0;
  let failed = 0;
  let submitted = 0;
  let backgroundRecords = 0;
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const receivedAt = Date.now();
  const inFlight = new Set<Promise<void>>();
  const submit = async (batch: TimedRecord[]) => {
    const records = batch.map((record) => ({
      text: record.text,
      unit: record.unit,
      receivedAt,
      source: { kind: 'file', name: record.scenario ?? 'simulator' },
      ...(record.scenario ? { labels: { [scenarioLabel]: record.scenario }, host: record.host } : {}),
    }));
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await pipeline.submit(records);
        stored += result.stored;
        failed += result.failed;
        return;
      } catch (error) {
        if (!(error instanceof OverloadedError) || attempt > 50) throw error;
        await new Promise((resolveWait) => setTimeout(resolveWait, 200));
      }
    }
  };
  const send = async (batch: TimedRecord[]) => {
    submitted += batch.length;
    const promise = submit(batch).finally(() => inFlight.delete(promise));
    inFlight.add(promise);
    if (inFlight.size >= 4) await Promise.race(inFlight);
  };
  let lastProgress = performance.now();
  try {
    let batch: TimedRecord[] = [];
    let next = 0;
    const push = async (record: TimedRecord) => {
      batch.push(record);
      if (batch.length >= batchSize) {
        await send(batch);
        batch = [];
        if (performance.now() - lastProgress > 10_000) {
          lastProgress = performance.now();
          progress(`${submitted} records submitted, ${stored} events stored`);
        }
      }
    };
    if (simulation) {
      for (const record of simulation.records()) {
        while (next < replayed.length && replayed[next]!.time <= record.time) await push(replayed[next++]!);
        backgroundRecords++;
        await push({ time: record.time, text: record.text, unit: record.unit });
      }
    }
    while (next < replayed.length) await push(replayed[next++]!);
    if (batch.length) await send(batch);
    await Promise.all(inFlight);
    await pipeline.close();
    await detection.idle();
    progress(`${submitted} records submitted, ${stored} events stored; measuring`);

    // 5. The figures, from the stored alerts, groups and incidents.
    const all = { kind: 'all' } as const;
    const alerts = await soc.countAlerts(all, 0, Number.MAX_SAFE_INTEGER);
    const alertGroups = await soc.countGroups(all, 0, Number.MAX_SAFE_INTEGER);
    const storedIncidents: Incident[] = [];
    for (let cursor: string | undefined, more = true; more; ) {
      const page = await soc.listIncidents(all, { limit: 500, ...(cursor ? { cursor } : {}) });
      storedIncidents.push(...page.incidents);
      cursor = page.nextCursor;
      more = cursor !== undefined && page.incidents.length > 0;
    }
    const sourcesOf = (incident: Incident): Set<string> => {
      const sources = new Set<string>();
      for (const groupId of incident.groupIds)
        for (const source of incidents.groupSources.get(groupId) ?? []) sources.add(source);
      return sources;
    };
    const isBackground = (source: string) => source === backgroundSource || benign.has(source);
    const attention = storedIncidents.filter((incident) => incident.needsAttention);
    let pure = 0;
    let backgroundOnly = 0;
    const surfaced = new Set<string>();
    const backgroundIncidents: Incident[] = [];
    const mixedIncidents: Incident[] = [];
    for (const incident of attention) {
      const sources = sourcesOf(incident);
      const attacks = [...sources].filter((source) => !isBackground(source));
      for (const source of attacks) surfaced.add(source);
      if (attacks.length === 0) {
        backgroundOnly++;
        pure++;
        backgroundIncidents.push(incident);
      } else if (attacks.length === 1 && attacks.length === sources.size) pure++;
      else mixedIncidents.push(incident);
    }
    const attackPlans = plans.filter((plan) => !plan.scenario.benign);
    const detectable = attackPlans.filter(
      (plan) => (incidents.alertsBySource.get(plan.scenario.id)?.mediumOrAbove ?? 0) > 0,
    );
    const surfacedDetectable = detectable.filter((plan) => surfaced.has(plan.scenario.id));

    // Fast triage, timed again on every final incident: facts, features and the model together.
    const triageMillis: number[] = [];
    for (const incident of incidents.incidents) {
      const begin = performance.now();
      const facts = incidents.triageFacts(incident.id);
      if (!facts) continue;
      triage.triage(incident.unit, triageFeatures({ incident, ...facts }));
      triageMillis.push(performance.now() - begin);
    }
    triageMillis.sort((a, b) => a - b);
    const triaged = triageMillis.length;
    const triageTotal = triageMillis.reduce((sum, millis) => sum + millis, 0);

    const backgroundHosts =
      (simulation?.organisation.hosts.length ?? 0) + plans.filter((plan) => plan.scenario.benign).length;
    const backgroundHours = simulation ? (simulation.end - simulation.start) / 3_600_000 : hours;
    const result: NoiseEvaluationResult = {
      events: stored,
      alerts,
      alertGroups,
      incidents: storedIncidents.length,
      incidentsNeedingAttention: attention.length,
      reduction: alerts > 0 ? round(1 - attention.length / alerts) : 0,
      scenarios: {
        total: plans.length,
        detectable: detectable.length,
        surfaced: surfacedDetectable.length,
        recall: detectable.length > 0 ? round(surfacedDetectable.length / detectable.length) : 1,
        benign: benign.size,
      },
      purity: attention.length > 0 ? round(pure / attention.length) : 1,
      backgroundIncidentsNeedingAttention: backgroundOnly,
      backgroundPer200HostDays:
        backgroundHosts > 0 ? round((backgroundOnly * 200 * 24) / (backgroundHosts * backgroundHours), 2) : null,
      triage: {
        incidents: triaged,
        meanMillis: triaged ? round(triageTotal / triaged, 4) : 0,
        p99Millis: triaged ? round(triageMillis[Math.min(triaged - 1, Math.floor(triaged * 0.99))]!, 4) : 0,
        maxMillis: triaged ? round(triageMillis[triaged - 1]!, 4) : 0,
      },
      timing: {
        loadRules: round((rulesLoaded - started) / 1000, 1),
        readScenarios: round((scenariosRead - rulesLoaded) / 1000, 1),
        detect: round(metrics.sum('vigil_detector_seconds_total'), 1),
        correlate: round(incidents.millis / 1000, 1),
        storeWrites: round(metrics.get('vigil_store_write_seconds_sum'), 1),
        socWrites: Object.fromEntries(
          Object.entries(socMillis).map(([method, millis]) => [method, round(millis / 1000, 1)]),
        ),
      },
      rules: {
        loaded: ruleSet.sigma.rules.length,
        rejected: ruleSet.rejections.length,
        correlations: ruleSet.correlations.length,
      },
      background: {
        hosts: simulation?.organisation.hosts.length ?? 0,
        hours: backgroundHours,
        records: backgroundRecords,
      },
      records: { submitted, failed, unreadable: readCounts.unreadable },
      seconds: round((performance.now() - started) / 1000, 1),
      ...(options.details
        ? {
            details: buildDetails(
              plans,
              storedIncidents,
              incidents,
              sourcesOf,
              surfaced,
              backgroundIncidents,
              mixedIncidents,
            ),
          }
        : {}),
    };
    return result;
  } finally {
    await Promise.allSettled(inFlight);
    await store.close().catch(() => undefined);
    await soc.close().catch(() => undefined);
    if (!options.keep && !options.workDir) await rm(workDir, { recursive: true, force: true });
  }
}

function buildDetails(
  plans: readonly ScenarioPlan[],
  storedIncidents: readonly Incident[],
  engine: RecordingIncidentEngine,
  sourcesOf: (incident: Incident) => Set<string>,
  surfaced: ReadonlySet<string>,
  backgroundIncidents: readonly Incident[],
  mixedIncidents: readonly Incident[],
): NoiseEvaluationDetails {
  const incidentsBySource = new Map<string, Incident[]>();
  for (const incident of storedIncidents) {
    for (const source of sourcesOf(incident)) {
      const list = incidentsBySource.get(source) ?? [];
      list.push(incident);
      incidentsBySource.set(source, list);
    }
  }
  const incidentDetail = (incident: Incident): IncidentDetail => {
    const rules = new Set<string>();
    for (const groupId of incident.groupIds) {
      const group = engine.group(groupId);
      if (group) rules.add(`${group.ruleTitle} [${group.level}] ×${group.count}`);
    }
    return {
      id: incident.id,
      unit: incident.unit,
      title: incident.title,
      priority: incident.priority,
      verdict: incident.triage?.verdict,
      alerts: incident.alertCount,
      sources: [...sourcesOf(incident)],
      rules: [...rules],
    };
  };
  const mixedDetail = (incident: Incident): IncidentDetail => {
    const sources = sourcesOf(incident);
    const shared = incident.entities
      .map((entity) => `${entity.kind}:${entity.value}`)
      .filter((key) => [...(engine.entitySources.get(key) ?? [])].filter((source) => sources.has(source)).length > 1);
    return { ...incidentDetail(incident), sharedEntities: shared };
  };
  const byPriority = (a: Incident, b: Incident) => b.priority - a.priority;
  return {
    scenarios: plans.map((plan): ScenarioDetail => {
      const counts = engine.alertsBySource.get(plan.scenario.id);
      const own = incidentsBySource.get(plan.scenario.id) ?? [];
      return {
        id: plan.scenario.id,
        benign: plan.scenario.benign === true,
        host: plan.host,
        unit: plan.unit,
        records: plan.records,
        alerts: counts?.total ?? 0,
        alertsMediumOrAbove: counts?.mediumOrAbove ?? 0,
        detectable: (counts?.mediumOrAbove ?? 0) > 0,
        surfaced: surfaced.has(plan.scenario.id),
        incidents: own.length,
        incidentsNeedingAttention: own.filter((incident) => incident.needsAttention).length,
        bestPriority: Math.max(0, ...own.map((incident) => incident.priority)),
        rules: [...(counts?.rules ?? new Map<string, number>())]
          .sort((a, b) => b[1] - a[1])
          .map(([rule, count]) => `${rule} ×${count}`),
      };
    }),
    backgroundIncidents: [...backgroundIncidents].sort(byPriority).map(incidentDetail),
    mixedIncidents: [...mixedIncidents].sort(byPriority).map(mixedDetail),
    noisiestRules: [...engine.alertsByRule]
      .sort((a, b) => b[1].alerts - a[1].alerts)
      .map(([rule, { level, alerts, backgroundHosts, scenarios }]) => ({
        rule,
        level,
        alerts,
        backgroundHosts: backgroundHosts.size,
        scenarios: scenarios.size,
      })),
  };
}
