// Background jobs that run detection over stored events: retro-hunts (Sigma rules over a time
// range) and intel retro-matches (new indicators against the last days). One job runs at a time,
// a page of events per turn of the event loop, so live ingest keeps its share of the CPU. Every
// alert a job raises carries the job id; jobs are seen only by callers whose scope covers them.
// Alerts of an intel retro-match open incidents like live alerts; a retro-hunt's are for review.
// Finished jobs are kept in the SOC store's state, so the list survives a restart.
import type { Alert } from '../model/alert.ts';
import type { HuntJob, RuleRejection } from '../model/console-api.ts';
import type { UnitScope } from '../model/unit.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { SocStore } from '../store/soc-store.ts';
import type { EventToStore, Store } from '../store/store.ts';
import type { AttackCatalog } from './attack/attack-catalog.ts';
import { CorrelationEngine, correlationAlert } from './correlation/correlation-engine.ts';
import type { CorrelationRule } from './correlation/correlation-rule.ts';
import { sigmaDetector } from './detectors.ts';
import type { IndicatorIndex } from './intel/indicator-index.ts';
import { intelAlerts } from './intel/intel-matcher.ts';
import { ruleKey } from './rule-catalog.ts';
import type { SigmaEngine } from './sigma/sigma-engine.ts';

export interface HuntSpec {
  readonly kind: HuntJob['kind'];
  readonly scope: UnitScope;
  readonly from: number;
  readonly to: number;
  readonly rules: number;
  readonly createdBy: string;
  readonly rejected?: readonly RuleRejection[];
  /** Alerts for one page of stored events (without the hunt id; the runner adds it). */
  readonly evaluate: (events: readonly EventToStore[], now: number) => Alert[];
  /** After the last page: alerts of what was still undecided (correlation windows still open). */
  readonly finish?: (now: number) => Alert[];
  /**
   * The alerts open incidents like live ones (through HuntJobsOptions.raise): an intel
   * retro-match finds attacks that already happened. Otherwise (an analyst's retro-hunt) they are
   * only stored, listed with the hunt, for the analyst to review.
   */
  readonly opensIncidents?: boolean;
}

export interface HuntJobsOptions {
  readonly store: Store;
  readonly soc: SocStore;
  readonly log: Logger;
  readonly pageSize?: number;
  /** Finished jobs kept for GET (oldest forgotten first). */
  readonly keep?: number;
  /** A job stops (status done, with a note) after this many alerts: a noisy rule cannot flood the store. */
  readonly maxAlerts?: number;
  readonly now?: () => number;
  /** Where alerts of jobs that open incidents go (the detection hook's raise); else they are only stored. */
  readonly raise?: (alerts: readonly Alert[]) => Promise<void>;
}

interface Running {
  job: HuntJob;
  /** Undefined for jobs restored from a previous run (listed, never run again). */
  readonly spec: HuntSpec | undefined;
  cancelled: boolean;
}

export interface SigmaHuntOptions {
  /** Only the alerts of these detection rules (alert ids); all of the engine's rules when absent. */
  readonly ruleIds?: ReadonlySet<string>;
  /**
   * Correlation rules run over the hunt's matches, in event-time order as the pages come: a
   * fresh engine per hunt, so live correlation state is neither read nor changed. The detection
   * rules they refer to are evaluated even when not in `ruleIds`.
   */
  readonly correlations?: readonly CorrelationRule[];
}

/**
 * A Sigma hunt: the engine's rules (or those in `ruleIds`), and correlation rules over their
 * matches. As live, a detection rule used only by correlations with `generate: false` raises no
 * alert of its own, unless the analyst picked it.
 */
export function sigmaHuntEvaluator(
  engine: SigmaEngine,
  attack: AttackCatalog | undefined,
  options: SigmaHuntOptions = {},
): Pick<HuntSpec, 'evaluate' | 'finish'> {
  const { ruleIds } = options;
  const correlations = options.correlations ?? [];
  const correlation = correlations.length > 0 ? new CorrelationEngine(correlations) : undefined;
  const referenced = new Set(correlations.flatMap((rule) => rule.rules));
  const suppressed = correlation?.suppressedRules() ?? new Set<string>();
  // Alert ids (ruleKey) of the detection rules correlations refer to by id or name.
  const feeding = new Set(
    engine.rules
      .map((compiled) => compiled.rule)
      .filter((rule) => (rule.id && referenced.has(rule.id)) || (rule.name && referenced.has(rule.name)))
      .map((rule) => ruleKey(rule)),
  );
  const detector = sigmaDetector({
    engine,
    attack,
    disabled: ruleIds ? (_unit, ruleId) => !ruleIds.has(ruleId) && !feeding.has(ruleId) : undefined,
  });
  const alerted = (alert: Alert): boolean => {
    if (ruleIds?.has(alert.rule.id)) return true;
    if (ruleIds) return false;
    return !suppressed.has(alert.rule.id) && !(alert.rule.name && suppressed.has(alert.rule.name));
  };
  return {
    evaluate(events, now) {
      const result = detector.detect(events, now);
      const alerts = result.alerts.filter(alerted);
      if (correlation) {
        for (const match of result.matches ?? []) {
          for (const hit of correlation.onMatch(match)) alerts.push(correlationAlert(hit, now));
        }
      }
      return alerts;
    },
    // Windows still open at the end of the range are decided now ("fewer than N" conditions).
    finish: (now) => correlation?.advance(Number.MAX_SAFE_INTEGER).map((hit) => correlationAlert(hit, now)) ?? [],
  };
}

/** An intel retro-match: only the new indicators, so old hits are not raised again. */
export function intelHuntEvaluator(index: IndicatorIndex): HuntSpec['evaluate'] {
  return (events, now) => events.flatMap((stored) => intelAlerts(index, stored, now));
}

function scopeUnits(scope: UnitScope): HuntJob['units'] {
  return scope.kind === 'all' ? '*' : scope.units;
}

/** A caller sees a job when its scope covers every unit the job searched. */
function visible(scope: UnitScope, job: HuntJob): boolean {
  if (scope.kind === 'all') return true;
  return job.units !== '*' && job.units.every((unit) => scope.units.includes(unit));
}

let sequence = 0;
const stateKey = 'hunt-jobs';

export class HuntJobs {
  readonly #options: HuntJobsOptions;
  readonly #jobs = new Map<string, Running>();
  #queue: Promise<void> = Promise.resolve();

  constructor(options: HuntJobsOptions) {
    this.#options = options;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  start(spec: HuntSpec): HuntJob {
    const createdAt = this.#now();
    sequence = (sequence + 1) % 1_000_000;
    const id = `hunt-${createdAt.toString(36)}-${sequence.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const running: Running = {
      spec,
      cancelled: false,
      job: {
        id,
        kind: spec.kind,
        status: 'queued',
        from: spec.from,
        to: spec.to,
        units: scopeUnits(spec.scope),
        rules: spec.rules,
        createdBy: spec.createdBy,
        createdAt,
        scanned: 0,
        total: 0,
        progress: 0,
        alerts: 0,
        ...(spec.rejected?.length ? { rejected: spec.rejected } : {}),
      },
    };
    this.#jobs.set(id, running);
    this.#forgetOld();
    this.#queue = this.#queue.then(() => this.#run(running));
    return running.job;
  }

  get(scope: UnitScope, id: string): HuntJob | undefined {
    const running = this.#jobs.get(id);
    return running && visible(scope, running.job) ? running.job : undefined;
  }

  list(scope: UnitScope): HuntJob[] {
    return [...this.#jobs.values()]
      .map((running) => running.job)
      .filter((job) => visible(scope, job))
      .reverse();
  }

  cancel(scope: UnitScope, id: string): HuntJob | undefined {
    const running = this.#jobs.get(id);
    if (!running || !visible(scope, running.job)) return undefined;
    running.cancelled = true;
    if (running.job.status === 'queued') {
      this.#update(running, { status: 'cancelled', finishedAt: this.#now() });
      void this.#save();
    }
    return running.job;
  }

  /** Load the jobs of the previous run; those it did not finish are marked failed. */
  async restore(): Promise<void> {
    const saved = await this.#options.soc.getState<HuntJob[]>(stateKey);
    if (!Array.isArray(saved)) return;
    for (const job of saved) {
      if (this.#jobs.has(job.id)) continue;
      const interrupted = job.status === 'queued' || job.status === 'running';
      const restored: HuntJob = interrupted
        ? { ...job, status: 'failed', error: 'interrupted by a restart', finishedAt: job.finishedAt ?? job.createdAt }
        : job;
      this.#jobs.set(job.id, { job: restored, cancelled: true, spec: undefined });
    }
  }

  #save(): Promise<void> {
    const jobs = [...this.#jobs.values()].map((running) => running.job);
    return this.#options.soc.putState(stateKey, jobs).catch((error: unknown) => {
      this.#options.log.warn('hunt jobs not saved', { error: String(error) });
    });
  }

  /** Resolves when every queued job has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue;
  }

  #update(running: Running, change: Partial<HuntJob>): void {
    running.job = { ...running.job, ...change };
  }

  #forgetOld(): void {
    const keep = this.#options.keep ?? 100;
    for (const [id, running] of this.#jobs) {
      if (this.#jobs.size <= keep) break;
      if (running.job.status !== 'queued' && running.job.status !== 'running') this.#jobs.delete(id);
    }
  }

  /** Alerts of jobs that open incidents go to the detection hook; the others are only stored. */
  async #deliver(spec: HuntSpec, alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    if (spec.opensIncidents && this.#options.raise) await this.#options.raise(alerts);
    else await this.#options.soc.appendAlerts(alerts);
  }

  async #run(running: Running): Promise<void> {
    const { spec } = running;
    if (running.cancelled || !spec) return;
    const { store, log } = this.#options;
    const pageSize = this.#options.pageSize ?? 1000;
    const maxAlerts = this.#options.maxAlerts ?? 100_000;
    this.#update(running, { status: 'running', startedAt: this.#now() });
    try {
      let cursor: string | undefined;
      for (;;) {
        const page = await store.searchEvents(spec.scope, {
          query: '',
          from: spec.from,
          to: spec.to,
          limit: pageSize,
          cursor,
          order: 'asc',
        });
        const now = this.#now();
        const alerts = spec.evaluate(page.events, now).map((alert) => ({ ...alert, hunt: running.job.id }));
        const room = maxAlerts - running.job.alerts;
        const kept = alerts.length > room ? alerts.slice(0, Math.max(room, 0)) : alerts;
        await this.#deliver(spec, kept);
        const scanned = running.job.scanned + page.events.length;
        // The store's total may be a capped estimate; never report progress past what is left.
        const total = Math.max(cursor === undefined ? page.total : running.job.total, scanned);
        this.#update(running, {
          scanned,
          total,
          alerts: running.job.alerts + kept.length,
          progress: page.nextCursor ? Math.min(0.99, scanned / Math.max(total, 1)) : 1,
        });
        if (kept.length < alerts.length) {
          this.#update(running, { error: `stopped after ${maxAlerts} alerts`, progress: 1 });
          break;
        }
        if (!page.nextCursor || running.cancelled) break;
        cursor = page.nextCursor;
        // Let live work run between pages.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (!running.cancelled && !running.job.error && spec.finish) {
        const room = maxAlerts - running.job.alerts;
        const last = spec.finish(this.#now()).map((alert) => ({ ...alert, hunt: running.job.id }));
        const kept = last.slice(0, Math.max(room, 0));
        await this.#deliver(spec, kept);
        this.#update(running, { alerts: running.job.alerts + kept.length });
        if (kept.length < last.length) this.#update(running, { error: `stopped after ${maxAlerts} alerts` });
      }
      this.#update(running, {
        status: running.cancelled ? 'cancelled' : 'done',
        finishedAt: this.#now(),
        ...(running.cancelled ? {} : { progress: 1 }),
      });
    } catch (error) {
      log.warn('hunt failed', { hunt: running.job.id, error: String(error) });
      this.#update(running, { status: 'failed', error: String(error), finishedAt: this.#now() });
    }
    await this.#save();
  }
}
