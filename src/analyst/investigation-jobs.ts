// Investigations as background jobs: a bounded queue in front of the analyst with a concurrency
// limit, an hourly limit on automatic investigations, progress kept per job for streaming (SSE),
// and an automatic pass that investigates open incidents at or above a configured priority.
// Jobs live in memory (bounded); the reports they produce are stored with putInvestigation.
import { randomUUID } from 'node:crypto';
import type { Incident } from '../model/incident.ts';
import type { UnitScope } from '../model/unit.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { SocStore } from '../store/soc-store.ts';
import type { Analyst, InvestigationProgress } from './analyst.ts';
import type { InvestigationReport } from './investigation-report.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobEvent {
  /** Increasing per job, from 1: the SSE event id, so a client can resume with Last-Event-ID. */
  readonly seq: number;
  readonly at: number;
  readonly type: 'status' | 'progress';
  readonly status: JobStatus;
  readonly progress?: InvestigationProgress;
}

export interface InvestigationJob {
  readonly id: string;
  readonly incidentId: string;
  readonly unit: string;
  readonly trigger: 'manual' | 'auto';
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
  readonly soc: Pick<SocStore, 'putInvestigation' | 'appendAudit' | 'latestInvestigation' | 'listIncidents'>;
  readonly log: Logger;
  /** Investigations running at once (default 1). */
  readonly concurrency?: number;
  /** Automatic investigations started per rolling hour (default 20; 0 = none). */
  readonly maxAutoPerHour?: number;
  /** Open incidents at or above this priority are investigated automatically; 0 = off. */
  readonly autoPriority?: number;
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
const hour = 3_600_000;

function inScope(scope: UnitScope, unit: string): boolean {
  return scope.kind === 'all' || scope.units.includes(unit);
}

export class InvestigationJobs {
  readonly #options: InvestigationJobsOptions;
  readonly #jobs = new Map<string, JobState>();
  readonly #queue: JobState[] = [];
  readonly #activeByIncident = new Map<string, JobState>();
  readonly #autoStarts: number[] = [];
  /** Incidents already handled by the automatic pass (investigated, or found with a report). */
  readonly #autoSeen = new Set<string>();
  #running = 0;
  #closed = false;
  #scanning: Promise<number> | undefined;
  #scanAgain = false;
  readonly #abort = new AbortController();

  constructor(options: InvestigationJobsOptions) {
    this.#options = options;
  }

  get settings() {
    return {
      concurrency: this.#concurrency,
      maxAutoPerHour: this.#options.maxAutoPerHour ?? 20,
      autoPriority: this.#options.autoPriority ?? 0,
      maxQueued: this.#options.maxQueued ?? 100,
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
    trigger: 'manual' | 'auto';
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
   * report yet, within the hourly limit. Concurrent calls coalesce. Returns jobs queued.
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
    const page = await this.#options.soc.listIncidents(all, { status: 'open', sort: 'priority', limit: 200 });
    const candidates = (page.incidents as Incident[]).filter(
      (incident) => incident.priority >= threshold && !this.#autoSeen.has(incident.id),
    );
    let queued = 0;
    for (const incident of candidates) {
      if (this.#closed) break;
      this.#pruneAutoStarts();
      if (this.#autoStarts.length >= this.settings.maxAutoPerHour) break;
      if (this.#activeByIncident.has(incident.id)) continue;
      if (await this.#options.soc.latestInvestigation(all, incident.id)) {
        this.#autoSeen.add(incident.id);
        continue;
      }
      try {
        this.submit({ incidentId: incident.id, unit: incident.unit, trigger: 'auto', requestedBy: 'vigil' });
      } catch (error) {
        if (error instanceof QueueFullError) break;
        throw error;
      }
      this.#autoSeen.add(incident.id);
      this.#autoStarts.push(this.#now());
      queued++;
    }
    return queued;
  }

  /** Stop taking jobs and abort the running ones; resolves when they have ended. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#abort.abort();
    for (const state of this.#queue.splice(0)) this.#fail(state, 'VIGIL_ERR_CANCELLED', 'the server is shutting down');
    await this.#scanning;
    await Promise.all([...this.#activeByIncident.values()].map((state) => state.done));
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
      const report = await this.#options.analyst.investigate(scope, job.incidentId, {
        signal: AbortSignal.any([this.#abort.signal, state.abort.signal]),
        onProgress: (progress) => this.#emit(state, { type: 'progress', progress }),
      });
      await this.#options.soc.putInvestigation(report);
      await this.#options.soc.appendAudit({
        at: this.#now(),
        actor: job.requestedBy,
        action: 'investigation-completed',
        target: job.incidentId,
        unit: report.unit,
        details: {
          job: job.id,
          trigger: job.trigger,
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
          details: { job: job.id, trigger: job.trigger, error: job.error },
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
