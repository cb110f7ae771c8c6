// Investigations as background jobs: a bounded queue in front of the analyst with a concurrency
// limit, an hourly limit on automatic investigations, progress kept per job for streaming (SSE),
// and an automatic pass that investigates open incidents at or above a configured priority —
// once, and again ('auto-update') when the incident has grown materially since its last report.
// Jobs live in memory (bounded); the reports they produce are stored with putInvestigation, each
// with its basis (the incident's priority, alert count and tactics when the investigation began).
import { randomUUID } from 'node:crypto';
import type { Incident } from '../model/incident.ts';
import type { UnitScope } from '../model/unit.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { SocStore } from '../store/soc-store.ts';
import type { Analyst, InvestigationProgress } from './analyst.ts';
import type { InvestigationReport, ReportBasis } from './investigation-report.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobEvent {
  /** Increasing per job, from 1: the SSE event id, so a client can resume with Last-Event-ID. */
  readonly seq: number;
  readonly at: number;
  readonly type: 'status' | 'progress';
  readonly status: JobStatus;
  readonly progress?: InvestigationProgress;
}

/**
 * Why a job was started: by a person ('manual'), by the automatic pass for an incident without a
 * report ('auto'), or again because the incident grew materially since its last report
 * ('auto-update', with the reason on the job).
 */
export type JobTrigger = 'manual' | 'auto' | 'auto-update';

/** How an incident grew since its last report: each ground that was met, and a readable summary. */
export interface GrowthReason {
  /** E.g. "priority 70 → 84; new tactic TA0008 Lateral Movement; alerts 4 → 12". */
  readonly summary: string;
  readonly priority?: { readonly from: number; readonly to: number };
  readonly newTactics?: readonly string[];
  readonly alerts?: { readonly from: number; readonly to: number };
}

/** When an incident counts as grown materially since its last report (each ground: 0/false = off). */
export interface GrowthRule {
  /** The priority rose by at least this many points (default 10). */
  readonly priorityRise: number;
  /** A tactic appeared that the incident did not have (default true). */
  readonly onNewTactic: boolean;
  /** The alert count is at least this multiple of what it was (default 2)… */
  readonly alertFactor: number;
  /** …and higher by at least this many alerts (default 5). */
  readonly minNewAlerts: number;
}

/** What an investigation of the incident, as it is now, would be made from. */
export function reportBasis(incident: Incident): ReportBasis {
  return {
    priority: incident.priority,
    alertCount: incident.alertCount,
    tacticIds: incident.tactics.map((tactic) => tactic.id),
    incidentUpdatedAt: incident.updatedAt,
  };
}

/** How the incident grew materially since the basis of its last report, or undefined if it did not. */
export function materialGrowth(basis: ReportBasis, incident: Incident, rule: GrowthRule): GrowthReason | undefined {
  const parts: string[] = [];
  let priority: GrowthReason['priority'];
  let newTactics: string[] | undefined;
  let alerts: GrowthReason['alerts'];
  if (rule.priorityRise > 0 && incident.priority - basis.priority >= rule.priorityRise) {
    priority = { from: basis.priority, to: incident.priority };
    parts.push(`priority ${basis.priority} → ${incident.priority}`);
  }
  if (rule.onNewTactic) {
    const known = new Set(basis.tacticIds);
    const added = incident.tactics.filter((tactic) => !known.has(tactic.id));
    if (added.length) {
      newTactics = added.map((tactic) => tactic.id);
      const names = added.map((tactic) => (tactic.name ? `${tactic.id} ${tactic.name}` : tactic.id));
      parts.push(`new ${added.length === 1 ? 'tactic' : 'tactics'} ${names.join(', ')}`);
    }
  }
  if (
    rule.alertFactor > 0 &&
    incident.alertCount >= basis.alertCount * rule.alertFactor &&
    incident.alertCount - basis.alertCount >= Math.max(1, rule.minNewAlerts)
  ) {
    alerts = { from: basis.alertCount, to: incident.alertCount };
    parts.push(`alerts ${basis.alertCount} → ${incident.alertCount}`);
  }
  if (!parts.length) return undefined;
  return {
    summary: parts.join('; '),
    ...(priority ? { priority } : {}),
    ...(newTactics ? { newTactics } : {}),
    ...(alerts ? { alerts } : {}),
  };
}

export interface InvestigationJob {
  readonly id: string;
  readonly incidentId: string;
  readonly unit: string;
  readonly trigger: JobTrigger;
  /** For 'auto-update': how the incident grew since its last report. */
  readonly reason?: GrowthReason;
  readonly requestedBy: string;
  status: JobStatus;
  readonly createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** When the job succeeded: the stored report's identity and headline. */
  result?: {
    readonly createdAt: number;
    readonly verdict: InvestigationReport['verdict'];
    readonly confidence: number;
    readonly generator: InvestigationReport['generator'];
    readonly citations: InvestigationReport['citations'];
  };
  error?: { readonly code: string; readonly message: string };
}

export interface InvestigationJobsOptions {
  readonly analyst: Analyst;
  readonly soc: Pick<
    SocStore,
    'putInvestigation' | 'appendAudit' | 'latestInvestigation' | 'listIncidents' | 'getIncident'
  > &
    Partial<Pick<SocStore, 'putState' | 'getState'>>;
  readonly log: Logger;
  /** Investigations running at once (default 1). */
  readonly concurrency?: number;
  /** Automatic investigations started per rolling hour (default 20; 0 = none). */
  readonly maxAutoPerHour?: number;
  /** Open incidents at or above this priority are investigated automatically; 0 = off. */
  readonly autoPriority?: number;
  /**
   * Such an incident is investigated again automatically when, since its last report (automatic
   * or manual), its priority rose by at least this many points (default 10; 0 = not on this ground)…
   */
  readonly reinvestigatePriorityRise?: number;
  /** …or it gained an ATT&CK tactic (default true)… */
  readonly reinvestigateOnNewTactic?: boolean;
  /** …or its alert count became at least this multiple (default 2; 0 = not on this ground)… */
  readonly reinvestigateAlertFactor?: number;
  /** …and grew by at least this many alerts (default 5). */
  readonly reinvestigateMinNewAlerts?: number;
  /** Jobs waiting at most (default 100); beyond, submit refuses. */
  readonly maxQueued?: number;
  /** Finished jobs kept for status queries (default 500). */
  readonly keepFinished?: number;
  readonly now?: () => number;
}

export class QueueFullError extends Error {
  readonly retryAfterSeconds = 30;
  constructor(message: string) {
    super(message);
    this.name = 'QueueFullError';
  }
}

type Listener = (event: JobEvent) => void;

interface JobState {
  readonly job: InvestigationJob;
  readonly events: JobEvent[];
  readonly listeners: Set<Listener>;
  readonly done: Promise<InvestigationReport | undefined>;
  resolve(report: InvestigationReport | undefined): void;
  /** Cancels this job alone. */
  readonly abort: AbortController;
  report?: InvestigationReport;
}

const maxEventsPerJob = 300;
/** Where the job list is kept in the SOC store, so it survives a restart (reports are stored anyway). */
const stateKey = 'investigation-jobs';
/** Status changes are written at most this often (and on close). */
const saveDelayMs = 1000;
const hour = 3_600_000;
/** Incidents whose last report's basis is remembered; beyond, the oldest are read again from the store. */
const maxRemembered = 10_000;

function inScope(scope: UnitScope, unit: string): boolean {
  return scope.kind === 'all' || scope.units.includes(unit);
}

export class InvestigationJobs {
  readonly #options: InvestigationJobsOptions;
  readonly #jobs = new Map<string, JobState>();
  readonly #queue: JobState[] = [];
  readonly #activeByIncident = new Map<string, JobState>();
  readonly #autoStarts: number[] = [];
  /**
   * What the last report (or the last automatic job, even if it failed) of an incident was made
   * from; null = no report. Read from the store once per incident, then kept up to date here.
   */
  readonly #bases = new Map<string, ReportBasis | null>();
  #running = 0;
  #closed = false;
  #scanning: Promise<number> | undefined;
  #scanAgain = false;
  readonly #abort = new AbortController();
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(options: InvestigationJobsOptions) {
    this.#options = options;
  }

  get settings() {
    return {
      concurrency: this.#concurrency,
      maxAutoPerHour: this.#options.maxAutoPerHour ?? 20,
      autoPriority: this.#options.autoPriority ?? 0,
      maxQueued: this.#options.maxQueued ?? 100,
      reinvestigate: this.#growthRule,
    };
  }

  get #growthRule(): GrowthRule {
    return {
      priorityRise: this.#options.reinvestigatePriorityRise ?? 10,
      onNewTactic: this.#options.reinvestigateOnNewTactic ?? true,
      alertFactor: this.#options.reinvestigateAlertFactor ?? 2,
      minNewAlerts: this.#options.reinvestigateMinNewAlerts ?? 5,
    };
  }

  get #concurrency(): number {
    return Math.max(1, this.#options.concurrency ?? 1);
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  stats() {
    this.#pruneAutoStarts();
    return {
      queued: this.#queue.length,
      running: this.#running,
      autoStartedLastHour: this.#autoStarts.length,
      ...this.settings,
    };
  }

  /**
   * Queue an investigation of an incident the caller may see (the route checks that first). An
   * incident with a job already queued or running gets that job back instead of a second one.
   */
  submit(request: {
    incidentId: string;
    unit: string;
    trigger: JobTrigger;
    reason?: GrowthReason;
    requestedBy: string;
  }): InvestigationJob {
    const active = this.#activeByIncident.get(request.incidentId);
    if (active) return active.job;
    if (this.#closed) throw new QueueFullError('the investigation queue is shutting down');
    if (this.#queue.length >= this.settings.maxQueued)
      throw new QueueFullError(`the investigation queue is full (${this.#queue.length} waiting)`);
    const job: InvestigationJob = {
      id: `inv_${randomUUID()}`,
      incidentId: request.incidentId,
      unit: request.unit,
      trigger: request.trigger,
      ...(request.reason ? { reason: request.reason } : {}),
      requestedBy: request.requestedBy,
      status: 'queued',
      createdAt: this.#now(),
    };
    let resolve: (report: InvestigationReport | undefined) => void = () => {};
    const done = new Promise<InvestigationReport | undefined>((settle) => {
      resolve = settle;
    });
    const state: JobState = { job, events: [], listeners: new Set(), done, resolve, abort: new AbortController() };
    this.#jobs.set(job.id, state);
    this.#activeByIncident.set(job.incidentId, state);
    this.#emit(state, { type: 'status' });
    this.#queue.push(state);
    this.#prune();
    this.#pump();
    return job;
  }

  /** A job the caller may see, or undefined (also for another unit's job). */
  get(scope: UnitScope, id: string): InvestigationJob | undefined {
    const state = this.#jobs.get(id);
    return state && inScope(scope, state.job.unit) ? state.job : undefined;
  }

  /**
   * Cancel a job the caller may see: a queued one leaves the queue, a running one is aborted (it
   * ends as failed with VIGIL_ERR_CANCELLED). A finished job is returned unchanged.
   */
  cancel(scope: UnitScope, id: string): InvestigationJob | undefined {
    const state = this.#jobs.get(id);
    if (!state || !inScope(scope, state.job.unit)) return undefined;
    if (state.job.status === 'queued') {
      this.#queue.splice(this.#queue.indexOf(state), 1);
      this.#fail(state, 'VIGIL_ERR_CANCELLED', 'cancelled before it started');
    } else if (state.job.status === 'running') state.abort.abort();
    return state.job;
  }

  /** Recent jobs of one incident, newest first. */
  forIncident(scope: UnitScope, incidentId: string): InvestigationJob[] {
    return [...this.#jobs.values()]
      .map((state) => state.job)
      .filter((job) => job.incidentId === incidentId && inScope(scope, job.unit))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * The job's events after `afterSeq`, then live ones until it finishes. Returns undefined when
   * the caller may not see the job; otherwise an unsubscribe function.
   */
  subscribe(
    scope: UnitScope,
    id: string,
    afterSeq: number,
    listener: Listener,
    onEnd: () => void,
  ): (() => void) | undefined {
    const state = this.#jobs.get(id);
    if (!state || !inScope(scope, state.job.unit)) return undefined;
    for (const event of state.events) if (event.seq > afterSeq) listener(event);
    if (this.#finished(state.job)) {
      onEnd();
      return () => {};
    }
    const wrapped: Listener = (event) => {
      listener(event);
      if (event.type === 'status' && (event.status === 'succeeded' || event.status === 'failed')) {
        state.listeners.delete(wrapped);
        onEnd();
      }
    };
    state.listeners.add(wrapped);
    return () => state.listeners.delete(wrapped);
  }

  /** Resolves with the report when the job succeeds, undefined when it fails. */
  async wait(id: string): Promise<{ job: InvestigationJob; report?: InvestigationReport }> {
    const state = this.#jobs.get(id);
    if (!state) throw new Error(`no job ${id}`);
    const report = await state.done;
    return { job: state.job, report };
  }

  /**
   * The automatic pass: queue open incidents at or above the priority threshold that have no
   * report yet ('auto'), then those that grew materially since their last report ('auto-update'),
   * highest priority first, within the hourly limit. Concurrent calls coalesce. Returns jobs queued.
   */
  scan(): Promise<number> {
    if (this.#scanning) {
      this.#scanAgain = true;
      return this.#scanning;
    }
    this.#scanning = this.#scan()
      .catch((error: unknown) => {
        this.#options.log.warn('automatic investigation scan failed', { error: String(error) });
        return 0;
      })
      .finally(() => {
        this.#scanning = undefined;
        if (this.#scanAgain && !this.#closed) {
          this.#scanAgain = false;
          void this.scan();
        }
      });
    return this.#scanning;
  }

  async #scan(): Promise<number> {
    const threshold = this.settings.autoPriority;
    if (threshold <= 0 || this.#closed) return 0;
    const all: UnitScope = { kind: 'all' };
    this.#pruneAutoStarts();
    if (this.#autoStarts.length >= this.settings.maxAutoPerHour) return 0;
    const page = await this.#options.soc.listIncidents(all, { status: 'open', sort: 'priority', limit: 200 });
    const rule = this.#growthRule;
    const due: { incident: Incident; trigger: JobTrigger; reason?: GrowthReason }[] = [];
    for (const incident of page.incidents as Incident[]) {
      if (this.#closed) return 0;
      if (incident.priority < threshold || this.#activeByIncident.has(incident.id)) continue;
      const basis = await this.#basisOf(incident);
      if (basis === null) {
        due.push({ incident, trigger: 'auto' });
        continue;
      }
      const reason = materialGrowth(basis, incident, rule);
      if (reason) due.push({ incident, trigger: 'auto-update', reason });
    }
    // Incidents never investigated come before fresher reports (the sort is stable: by priority).
    due.sort((a, b) => Number(a.trigger === 'auto-update') - Number(b.trigger === 'auto-update'));
    let queued = 0;
    for (const { incident, trigger, reason } of due) {
      if (this.#closed) break;
      this.#pruneAutoStarts();
      if (this.#autoStarts.length >= this.settings.maxAutoPerHour) break;
      if (this.#activeByIncident.has(incident.id)) continue;
      try {
        this.submit({
          incidentId: incident.id,
          unit: incident.unit,
          trigger,
          ...(reason ? { reason } : {}),
          requestedBy: 'vigil',
        });
      } catch (error) {
        if (error instanceof QueueFullError) break;
        throw error;
      }
      // Until the report replaces it: a job that fails is not retried before the incident grows again.
      this.#remember(incident.id, reportBasis(incident));
      this.#autoStarts.push(this.#now());
      queued++;
    }
    return queued;
  }

  /**
   * The basis of the incident's last report (null: none). A report stored before Vigil recorded
   * its basis is taken as made from the incident as this pass first sees it: growth counts from
   * then (exact when the incident has not changed since the report; after a restart, counted anew).
   */
  async #basisOf(incident: Incident): Promise<ReportBasis | null> {
    const known = this.#bases.get(incident.id);
    if (known !== undefined) return known;
    const report = await this.#options.soc.latestInvestigation({ kind: 'all' }, incident.id);
    const basis = report ? (report.basis ?? reportBasis(incident)) : null;
    this.#remember(incident.id, basis);
    return basis;
  }

  #remember(incidentId: string, basis: ReportBasis | null): void {
    this.#bases.delete(incidentId);
    this.#bases.set(incidentId, basis);
    if (this.#bases.size > maxRemembered) this.#bases.delete(this.#bases.keys().next().value!);
  }

  /** Stop taking jobs and abort the running ones; resolves when they have ended and the list is saved. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    for (const state of this.#queue.splice(0)) this.#fail(state, 'VIGIL_ERR_CANCELLED', 'the server is shutting down');
    await this.#scanning;
    await Promise.all([...this.#activeByIncident.values()].map((state) => state.done));
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    await this.#save();
  }

  /**
   * Load the job list of the previous run (before taking new jobs). Jobs it had not finished are
   * marked failed (VIGIL_ERR_INTERRUPTED); automatic jobs of the last hour count against the hourly
   * limit again.
   */
  async restore(): Promise<void> {
    const saved = await this.#options.soc.getState?.<InvestigationJob[]>(stateKey);
    if (!Array.isArray(saved)) return;
    const now = this.#now();
    for (const previous of [...saved].sort((a, b) => a.createdAt - b.createdAt)) {
      if (this.#jobs.has(previous.id)) continue;
      const interrupted = previous.status === 'queued' || previous.status === 'running';
      const job: InvestigationJob = interrupted
        ? {
            ...previous,
            status: 'failed',
            finishedAt: previous.finishedAt ?? now,
            error: { code: 'VIGIL_ERR_INTERRUPTED', message: 'interrupted by a restart' },
          }
        : { ...previous };
      this.#jobs.set(job.id, {
        job,
        events: [],
        listeners: new Set(),
        done: Promise.resolve(undefined),
        resolve: () => {},
        abort: new AbortController(),
      });
      if (job.trigger !== 'manual' && job.createdAt > now - hour) this.#autoStarts.push(job.createdAt);
    }
    this.#autoStarts.sort((left, right) => left - right);
    this.#prune();
  }

  /** Writes the job list soon (status changes come in bursts). */
  #scheduleSave(): void {
    if (!this.#options.soc.putState || this.#saveTimer || this.#closed) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      void this.#save();
    }, saveDelayMs);
    this.#saveTimer.unref?.();
  }

  #save(): Promise<void> {
    const putState = this.#options.soc.putState;
    if (!putState) return Promise.resolve();
    const jobs = [...this.#jobs.values()].map((state) => state.job);
    // One write at a time, in order.
    this.#saving = this.#saving
      .then(() => putState.call(this.#options.soc, stateKey, jobs))
      .catch((error: unknown) => this.#options.log.warn('investigation jobs not saved', { error: String(error) }));
    return this.#saving;
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#queue.length && !this.#closed) {
      const state = this.#queue.shift()!;
      this.#running++;
      void this.#run(state).finally(() => {
        this.#running--;
        this.#pump();
      });
    }
  }

  async #run(state: JobState): Promise<void> {
    const { job } = state;
    job.status = 'running';
    job.startedAt = this.#now();
    this.#emit(state, { type: 'status' });
    const scope: UnitScope = { kind: 'units', units: [job.unit] };
    try {
      // The incident as the investigation begins: what the report is made from.
      const incident = await this.#options.soc.getIncident(scope, job.incidentId);
      const investigated = await this.#options.analyst.investigate(scope, job.incidentId, {
        signal: AbortSignal.any([this.#abort.signal, state.abort.signal]),
        onProgress: (progress) => this.#emit(state, { type: 'progress', progress }),
      });
      const report: InvestigationReport = incident ? { ...investigated, basis: reportBasis(incident) } : investigated;
      await this.#options.soc.putInvestigation(report);
      if (report.basis) this.#remember(job.incidentId, report.basis);
      else this.#bases.delete(job.incidentId);
      await this.#options.soc.appendAudit({
        at: this.#now(),
        actor: job.requestedBy,
        action: 'investigation-completed',
        target: job.incidentId,
        unit: report.unit,
        details: {
          job: job.id,
          trigger: job.trigger,
          ...(job.reason ? { reason: job.reason.summary } : {}),
          verdict: report.verdict,
          generator: report.generator.kind,
          model: report.generator.model,
          promptVersion: report.generator.promptVersion,
          inputTokens: report.generator.inputTokens,
          outputTokens: report.generator.outputTokens,
          millis: report.generator.millis,
          citations: report.citations,
        },
      });
      job.result = {
        createdAt: report.createdAt,
        verdict: report.verdict,
        confidence: report.confidence,
        generator: report.generator,
        citations: report.citations,
      };
      state.report = report;
      job.status = 'succeeded';
      job.finishedAt = this.#now();
      this.#activeByIncident.delete(job.incidentId);
      this.#emit(state, { type: 'status' });
      state.resolve(report);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const name = (error as { name?: unknown }).name;
      this.#fail(
        state,
        typeof code === 'string' ? code : name === 'AbortError' ? 'VIGIL_ERR_CANCELLED' : 'VIGIL_ERR_INTERNAL',
        (error as Error).message ?? String(error),
      );
      await this.#options.soc
        .appendAudit({
          at: this.#now(),
          actor: job.requestedBy,
          action: 'investigation-failed',
          target: job.incidentId,
          unit: job.unit,
          details: {
            job: job.id,
            trigger: job.trigger,
            ...(job.reason ? { reason: job.reason.summary } : {}),
            error: job.error,
          },
        })
        .catch(() => {});
    }
  }

  #fail(state: JobState, code: string, message: string): void {
    const { job } = state;
    job.status = 'failed';
    job.finishedAt = this.#now();
    job.error = { code, message: message.slice(0, 500) };
    this.#activeByIncident.delete(job.incidentId);
    this.#options.log.warn('investigation failed', { job: job.id, incident: job.incidentId, code });
    this.#emit(state, { type: 'status' });
    state.resolve(undefined);
  }

  #finished(job: InvestigationJob): boolean {
    return job.status === 'succeeded' || job.status === 'failed';
  }

  #emit(state: JobState, event: { type: JobEvent['type']; progress?: InvestigationProgress }): void {
    const full: JobEvent = {
      seq: (state.events.at(-1)?.seq ?? 0) + 1,
      at: this.#now(),
      type: event.type,
      status: state.job.status,
      ...(event.progress ? { progress: event.progress } : {}),
    };
    // Bounded: a long investigation keeps its first and latest events.
    if (state.events.length >= maxEventsPerJob) state.events.splice(1, 1);
    state.events.push(full);
    if (event.type === 'status') this.#scheduleSave();
    for (const listener of [...state.listeners]) {
      try {
        listener(full);
      } catch {
        state.listeners.delete(listener);
      }
    }
  }

  #pruneAutoStarts(): void {
    const since = this.#now() - hour;
    while (this.#autoStarts.length && this.#autoStarts[0]! < since) this.#autoStarts.shift();
  }

  #prune(): void {
    const keep = this.#options.keepFinished ?? 500;
    const finished = [...this.#jobs.values()].filter((state) => this.#finished(state.job));
    for (const state of finished.slice(0, Math.max(0, finished.length - keep))) this.#jobs.delete(state.job.id);
  }
}
