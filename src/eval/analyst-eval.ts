// The analyst evaluation behind `vigil eval analyst DIR`: each scenario file in DIR names recorded
// telemetry (and optionally a simulated ordinary background), the rules and intel to detect with,
// and the verdict a person gives each resulting incident. The whole pipeline runs per scenario on
// in-memory stores (parse → detect → correlate → triage), then the digital analyst (deterministic,
// or an LLM endpoint) investigates every incident; the figures come from the reports it stored.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Analyst } from '../analyst/analyst.ts';
import { DeterministicAnalyst } from '../analyst/deterministic-analyst.ts';
import { LlmAnalyst, type LlmConfig } from '../analyst/llm-analyst.ts';
import { storeInvestigationData } from '../analyst/store-investigation-data.ts';
import { IncidentEngine } from '../correlate/incident-engine.ts';
import { AttackCatalog } from '../detect/attack/attack-catalog.ts';
import { intelDetector, sigmaDetector } from '../detect/detectors.ts';
import { IndicatorIndex } from '../detect/intel/indicator-index.ts';
import { importIntel } from '../detect/intel/intel-import.ts';
import { loadRuleSet } from '../detect/rule-set.ts';
import { readRecords } from '../ingest/files/read-records.ts';
import type { RawRecord } from '../model/event.ts';
import type { Incident, Verdict } from '../model/incident.ts';
import { createDefaultParserRegistry } from '../parse/default-parsers.ts';
import { DetectionHook } from '../pipeline/detection-hook.ts';
import { silentLogger } from '../pipeline/logger.ts';
import { Metrics } from '../pipeline/metrics.ts';
import { Pipeline } from '../pipeline/pipeline.ts';
import { recordTime } from '../simulate/replay.ts';
import { simulate } from '../simulate/simulator.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { DuckDbSocStore } from '../store/soc/duckdb-soc-store.ts';
import { FastTriage } from '../triage/fast-triage.ts';

const verdicts: readonly Verdict[] = ['malicious', 'suspicious', 'benign'];

export interface AnalystScenario {
  readonly id: string;
  readonly file: string;
  readonly description?: string;
  readonly unit: string;
  /** Telemetry files (JSON lines, syslog lines, .gz/.zip), absolute after loading. */
  readonly records: readonly string[];
  readonly rules: readonly string[];
  readonly intel: readonly string[];
  readonly attack?: string;
  readonly background?: { readonly hosts: number; readonly hours: number; readonly seed: number };
  /** The verdict of incidents involving an entity (host, user, ip… value, case-insensitive). */
  readonly expect: readonly { readonly entity: string; readonly verdict: Verdict }[];
  /** The verdict of every other incident (e.g. the simulated background); unset = unlabelled. */
  readonly otherIncidents?: Verdict;
}

export class ScenarioError extends Error {}

/** Scenarios whose files are not on this machine (e.g. shared third-party data), with why. */
export interface SkippedScenario {
  readonly file: string;
  readonly reason: string;
}

function list(value: unknown, field: string, file: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new ScenarioError(`${file}: ${field} must be a list of paths`);
  return value as string[];
}

/** Read every `*.json` scenario of a directory; paths inside are relative to the scenario file. */
export async function loadAnalystScenarios(
  directory: string,
): Promise<{ scenarios: AnalystScenario[]; skipped: SkippedScenario[] }> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    throw new ScenarioError(`${directory}: cannot read: ${(error as Error).message}`);
  }
  const scenarios: AnalystScenario[] = [];
  const skipped: SkippedScenario[] = [];
  for (const name of names) {
    const file = join(directory, name);
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ScenarioError(`${file}: not JSON: ${(error as Error).message}`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document))
      throw new ScenarioError(`${file}: a scenario is a JSON object`);
    const base = dirname(file);
    const paths = (field: string) => list(document[field], field, file).map((path) => resolve(base, path));
    const expect = document.expect ?? [];
    if (
      !Array.isArray(expect) ||
      expect.some(
        (item) =>
          typeof item !== 'object' ||
          typeof (item as { entity?: unknown }).entity !== 'string' ||
          !verdicts.includes((item as { verdict: Verdict }).verdict),
      )
    )
      throw new ScenarioError(
        `${file}: expect must be a list of {"entity": "...", "verdict": "malicious|suspicious|benign"}`,
      );
    if (document.otherIncidents !== undefined && !verdicts.includes(document.otherIncidents as Verdict))
      throw new ScenarioError(`${file}: otherIncidents must be malicious, suspicious or benign`);
    const background = document.background as AnalystScenario['background'] | undefined;
    if (
      background !== undefined &&
      (typeof background !== 'object' ||
        !Number.isInteger(background.hosts) ||
        background.hosts < 3 ||
        !(background.hours > 0) ||
        !Number.isInteger(background.seed))
    )
      throw new ScenarioError(`${file}: background must be {"hosts": ≥3, "hours": >0, "seed": integer}`);
    const records = paths('records');
    const rules = document.rules === undefined ? [] : paths('rules');
    const intel = paths('intel');
    const attack = typeof document.attack === 'string' ? resolve(base, document.attack) : undefined;
    if (records.length === 0 && !background) throw new ScenarioError(`${file}: no records and no background`);
    if (rules.length === 0) throw new ScenarioError(`${file}: rules must name at least one rule file or folder`);
    const missing = [...records, ...rules, ...intel].find((path) => !existsSync(path));
    if (missing) {
      skipped.push({ file, reason: `missing ${missing}` });
      continue;
    }
    scenarios.push({
      id: typeof document.id === 'string' ? document.id : name.replace(/\.json$/, ''),
      file,
      description: typeof document.description === 'string' ? document.description : undefined,
      unit: typeof document.unit === 'string' ? document.unit : 'default',
      records,
      rules,
      intel,
      // ATT&CK names are optional: without the bundle alerts carry technique ids only.
      ...(attack && existsSync(attack) ? { attack } : {}),
      ...(background ? { background } : {}),
      expect: expect as AnalystScenario['expect'],
      ...(document.otherIncidents ? { otherIncidents: document.otherIncidents as Verdict } : {}),
    });
  }
  return { scenarios, skipped };
}

export interface IncidentResult {
  readonly scenario: string;
  readonly incident: string;
  readonly title: string;
  readonly priority: number;
  readonly expected?: Verdict;
  readonly verdict?: Verdict;
  readonly generator?: string;
  readonly citations?: { readonly total: number; readonly valid: number };
  readonly millis?: number;
  readonly tokens?: number;
  readonly error?: string;
}

export interface AnalystEvaluation {
  readonly analyst: 'deterministic' | 'llm';
  readonly model?: string;
  readonly scenarios: number;
  readonly skippedScenarios: readonly SkippedScenario[];
  readonly incidents: number;
  readonly investigated: number;
  readonly failed: number;
  /** Reports written by the deterministic plan although an LLM was configured (fallbacks). */
  readonly fallbacks: number;
  readonly labelled: number;
  readonly correct: number;
  /** Correct verdicts / labelled incidents; null without labels. */
  readonly verdictAccuracy: number | null;
  /** expected → given → count. */
  readonly confusion: Record<string, Record<string, number>>;
  /** Labels whose entity no incident involved (the detection side missed it). */
  readonly unmatchedLabels: readonly { readonly scenario: string; readonly entity: string }[];
  readonly citations: { readonly total: number; readonly valid: number; readonly validShare: number | null };
  readonly reportsWithAllCitationsValid: number;
  readonly durationMs: { readonly mean: number | null; readonly p95: number | null; readonly max: number | null };
  readonly tokens: { readonly input: number; readonly output: number; readonly meanPerInvestigation: number | null };
  readonly seconds: number;
  readonly details?: readonly IncidentResult[];
}

export interface AnalystEvaluationOptions {
  /** An OpenAI-compatible endpoint; without it the deterministic analyst investigates. */
  readonly llm?: LlmConfig;
  /** Investigate only incidents at or above this priority (default 0: all). */
  readonly minPriority?: number;
  readonly details?: boolean;
  readonly progress?: (message: string) => void;
}

function percentile(sorted: readonly number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

async function scenarioRecords(scenario: AnalystScenario, receivedAt: number): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const batch of readRecords(scenario.records, { unit: scenario.unit, decodeJson: true }))
    records.push(...batch);
  if (scenario.background) {
    // The ordinary day is played around the recorded activity, so both share one period.
    const times = records.flatMap((record) => {
      const time = record.json ? recordTime(record.json) : undefined;
      return time === undefined ? [] : [time];
    });
    const centre = times.length ? Math.min(...times) : Date.UTC(2026, 0, 5, 9);
    const simulation = simulate({
      ...scenario.background,
      start: centre - (scenario.background.hours / 2) * 3_600_000,
    });
    for (const record of simulation.records())
      records.push({ text: record.text, unit: scenario.unit, receivedAt, source: { kind: 'file', name: 'simulator' } });
  }
  return records;
}

export async function runAnalystEvaluation(
  scenarios: readonly AnalystScenario[],
  options: AnalystEvaluationOptions & { skipped?: readonly SkippedScenario[] } = {},
): Promise<AnalystEvaluation> {
  const started = performance.now();
  const progress = options.progress ?? (() => {});
  const results: IncidentResult[] = [];
  const unmatchedLabels: { scenario: string; entity: string }[] = [];
  const attackCache = new Map<string, AttackCatalog>();
  let inputTokens = 0;
  let outputTokens = 0;
  let fallbacks = 0;
  let reportsAllValid = 0;

  for (const scenario of scenarios) {
    let attack: AttackCatalog | undefined;
    if (scenario.attack) {
      attack = attackCache.get(scenario.attack);
      if (!attack) {
        attack = AttackCatalog.fromStixBundle(JSON.parse(await readFile(scenario.attack, 'utf8')));
        attackCache.set(scenario.attack, attack);
      }
    }
    const ruleSet = await loadRuleSet(scenario.rules);
    const index = new IndicatorIndex();
    for (const path of scenario.intel)
      index.add(importIntel(await readFile(path, 'utf8'), path.split('/').slice(-2).join('/')).indicators);
    const store = await DuckDbStore.open(':memory:');
    const soc = await DuckDbSocStore.open(':memory:');
    try {
      const metrics = new Metrics();
      const detection = new DetectionHook({
        detectors: [sigmaDetector({ engine: ruleSet.sigma, attack }), intelDetector(index)],
        correlation: () => ruleSet.correlation,
        incidents: new IncidentEngine(),
        triage: new FastTriage(),
        soc,
        metrics,
        log: silentLogger,
      });
      const pipeline = new Pipeline({
        registry: createDefaultParserRegistry(),
        store,
        metrics,
        log: silentLogger,
        hooks: [detection],
      });
      const records = await scenarioRecords(scenario, Date.now());
      for (let offset = 0; offset < records.length; offset += 1000)
        await pipeline.submit(records.slice(offset, offset + 1000));
      await pipeline.close();
      await detection.idle();

      const all = { kind: 'all' } as const;
      const incidents: Incident[] = [];
      for (let cursor: string | undefined, more = true; more; ) {
        const page = await soc.listIncidents(all, { limit: 500, ...(cursor ? { cursor } : {}) });
        incidents.push(...page.incidents);
        cursor = page.nextCursor;
        more = cursor !== undefined && page.incidents.length > 0;
      }
      progress(`${scenario.id}: ${records.length} records, ${incidents.length} incident(s)`);
      for (const label of scenario.expect) {
        const value = label.entity.toLowerCase();
        if (!incidents.some((incident) => incident.entities.some((entity) => entity.value.toLowerCase() === value)))
          unmatchedLabels.push({ scenario: scenario.id, entity: label.entity });
      }

      const data = storeInvestigationData({ store, soc, intel: index, attack });
      const analyst: Analyst = options.llm ? new LlmAnalyst(data, options.llm) : new DeterministicAnalyst(data);
      for (const incident of incidents) {
        const expected =
          scenario.expect.find((label) =>
            incident.entities.some((entity) => entity.value.toLowerCase() === label.entity.toLowerCase()),
          )?.verdict ?? scenario.otherIncidents;
        const base = {
          scenario: scenario.id,
          incident: incident.id,
          title: incident.title,
          priority: incident.priority,
          ...(expected ? { expected } : {}),
        };
        if (incident.priority < (options.minPriority ?? 0)) continue;
        const investigationStarted = performance.now();
        try {
          const report = await analyst.investigate({ kind: 'units', units: [incident.unit] }, incident.id);
          await soc.putInvestigation(report);
          const millis = performance.now() - investigationStarted;
          const tokens = (report.generator.inputTokens ?? 0) + (report.generator.outputTokens ?? 0);
          inputTokens += report.generator.inputTokens ?? 0;
          outputTokens += report.generator.outputTokens ?? 0;
          if (options.llm && report.generator.kind === 'deterministic') fallbacks++;
          if (report.citations.valid === report.citations.total && report.citations.total > 0) reportsAllValid++;
          results.push({
            ...base,
            verdict: report.verdict,
            generator: report.generator.kind,
            citations: { total: report.citations.total, valid: report.citations.valid },
            millis: Math.round(millis),
            tokens,
          });
        } catch (error) {
          results.push({
            ...base,
            error: `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}`,
          });
        }
      }
    } finally {
      await soc.close();
      await store.close();
    }
  }

  const investigated = results.filter((result) => result.verdict);
  const labelled = investigated.filter((result) => result.expected);
  const correct = labelled.filter((result) => result.verdict === result.expected).length;
  const confusion: Record<string, Record<string, number>> = {};
  for (const result of labelled) {
    const row = confusion[result.expected!] ?? {};
    row[result.verdict!] = (row[result.verdict!] ?? 0) + 1;
    confusion[result.expected!] = row;
  }
  const citationTotal = investigated.reduce((sum, result) => sum + result.citations!.total, 0);
  const citationValid = investigated.reduce((sum, result) => sum + result.citations!.valid, 0);
  const durations = investigated.map((result) => result.millis!).sort((a, b) => a - b);
  const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    analyst: options.llm ? 'llm' : 'deterministic',
    ...(options.llm ? { model: options.llm.model } : {}),
    scenarios: scenarios.length,
    skippedScenarios: options.skipped ?? [],
    incidents: results.length,
    investigated: investigated.length,
    failed: results.length - investigated.length,
    fallbacks,
    labelled: labelled.length,
    correct,
    verdictAccuracy: labelled.length ? round(correct / labelled.length) : null,
    confusion,
    unmatchedLabels,
    citations: {
      total: citationTotal,
      valid: citationValid,
      validShare: citationTotal ? round(citationValid / citationTotal) : null,
    },
    reportsWithAllCitationsValid: reportsAllValid,
    durationMs: {
      mean: durations.length ? Math.round(durations.reduce((sum, value) => sum + value, 0) / durations.length) : null,
      p95: percentile(durations, 0.95),
      max: durations.at(-1) ?? null,
    },
    tokens: {
      input: inputTokens,
      output: outputTokens,
      meanPerInvestigation: investigated.length ? Math.round((inputTokens + outputTokens) / investigated.length) : null,
    },
    seconds: round((performance.now() - started) / 1000, 2),
    ...(options.details ? { details: results } : {}),
  };
}
