// Detection in the live pipeline: every batch of events goes through the detectors (Sigma rules,
// threat intel), rule matches feed the correlation engine, and the resulting alerts are stored,
// folded into alert groups and incidents, triaged, and the changed groups and incidents stored.
// One instance per process; its engines are passed in (no globals).
import type { IncidentEngine } from '../correlate/incident-engine.ts';
import type { CorrelationEngine, RuleMatch } from '../detect/correlation/correlation-engine.ts';
import { correlationAlert } from '../detect/correlation/correlation-engine.ts';
import type { Alert } from '../model/alert.ts';
import type { AlertGroup, Incident } from '../model/incident.ts';
import type { SocStore } from '../store/soc-store.ts';
import type { EventToStore } from '../store/store.ts';
import { type FastTriage, triageFeatures } from '../triage/fast-triage.ts';
import type { EventHook } from './event-hook.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** A detector turns stored events into alerts (Sigma matches also report the rule for correlation). */
export interface Detector {
  readonly name: string;
  detect(events: readonly EventToStore[], now: number): { alerts: Alert[]; matches?: RuleMatch[] };
}

export interface DetectionHookOptions {
  readonly detectors: readonly Detector[];
  /** The correlation engine, read on each batch (it is built once the rules have loaded). */
  readonly correlation?: () => CorrelationEngine | undefined;
  readonly incidents: IncidentEngine;
  readonly triage: FastTriage;
  readonly soc: SocStore;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Analysts' suppressions: matching alerts are stored marked, but fold into no incident. */
  readonly suppressions?: { match(alert: Alert, now: number): { readonly id: string } | undefined };
  /** Told about every alert stored (live stream). */
  readonly onAlerts?: (alerts: readonly Alert[]) => void;
  readonly now?: () => number;
}

export class DetectionHook implements EventHook {
  readonly name = 'detection';
  readonly #options: DetectionHookOptions;
  #suppressed: ReadonlySet<string> = new Set();
  #suppressedFor: CorrelationEngine | undefined;
  /** Processing is serial: incidents depend on the order alerts arrive in. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: DetectionHookOptions) {
    this.#options = options;
  }

  onEvents(events: readonly EventToStore[]): Promise<void> {
    const run = this.#queue.then(() => this.#process(events));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Alerts raised outside live detection (an intel retro-match over stored events) take the same
   * way as live ones: suppressions, storage, alert groups and incidents, triage, the live stream.
   * Serial with live batches.
   */
  raise(alerts: readonly Alert[]): Promise<void> {
    const run = this.#queue.then(() => this.#handle([...alerts], this.#options.now?.() ?? Date.now()));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Wait for queued work (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue;
  }

  async #process(events: readonly EventToStore[]): Promise<void> {
    const { detectors, metrics } = this.#options;
    const correlation = this.#options.correlation?.();
    if (correlation !== this.#suppressedFor) {
      this.#suppressed = correlation?.suppressedRules() ?? new Set();
      this.#suppressedFor = correlation;
    }
    const now = this.#options.now?.() ?? Date.now();
    const alerts: Alert[] = [];
    for (const detector of detectors) {
      const started = performance.now();
      const result = detector.detect(events, now);
      metrics.inc('vigil_detector_seconds_total', { detector: detector.name }, (performance.now() - started) / 1000);
      for (const alert of result.alerts) {
        // Rules used only inside correlations (generate: false) do not alert on their own.
        if (this.#suppressed.has(alert.rule.id) || (alert.rule.name && this.#suppressed.has(alert.rule.name))) continue;
        alerts.push(alert);
      }
      for (const match of result.matches ?? []) {
        for (const hit of correlation?.onMatch(match) ?? []) alerts.push(correlationAlert(hit, now));
      }
    }
    await this.#handle(alerts, now);
  }

  /** Store the alerts and fold those not suppressed into groups and incidents. */
  async #handle(alerts: Alert[], now: number): Promise<void> {
    const { incidents, soc, metrics } = this.#options;
    if (alerts.length === 0) return;
    metrics.inc('vigil_alerts_total', {}, alerts.length, 'Alerts raised');
    // Suppressed alerts are kept (nothing lost, hits countable) but stay out of groups and incidents.
    const active: Alert[] = [];
    let suppressed = 0;
    for (let index = 0; index < alerts.length; index++) {
      const alert = alerts[index]!;
      const suppression = this.#options.suppressions?.match(alert, now);
      if (suppression) {
        alerts[index] = { ...alert, suppressed: suppression.id };
        suppressed++;
      } else active.push(alert);
    }
    if (suppressed > 0) {
      metrics.inc('vigil_alerts_suppressed_total', {}, suppressed, 'Alerts held back by an analyst suppression');
    }
    await soc.appendAlerts(alerts);

    const groups = new Map<string, AlertGroup>();
    const changed = new Map<string, Incident>();
    const merged: string[] = [];
    for (const alert of active) {
      const outcome = incidents.addAlert(alert);
      groups.set(outcome.group.id, outcome.group);
      changed.set(outcome.incident.id, outcome.incident);
      for (const rescored of outcome.rescored) changed.set(rescored.id, rescored);
      for (const id of outcome.mergedIncidentIds) {
        changed.delete(id);
        merged.push(id);
      }
    }
    const triaged: Incident[] = [];
    for (const incident of changed.values()) {
      const facts = incidents.triageFacts(incident.id);
      if (!facts) continue;
      triaged.push({
        ...incident,
        triage: this.#options.triage.triage(incident.unit, triageFeatures({ incident, ...facts })),
      });
    }
    await soc.putGroups([...groups.values()]);
    await soc.deleteIncidents(merged);
    await soc.putIncidents(triaged);
    this.#options.onAlerts?.(alerts);
  }
}
