// Fans new live alerts out to Server-Sent-Event subscribers (the console's live alert stream),
// each seeing only its own units. A subscriber that cannot keep up is skipped, never buffered
// without bound; closing ends every stream so a shutdown is not held open by a browser.
import type { Alert } from '../../../model/alert.ts';
import type { UnitScope } from '../../../model/unit.ts';

/** What the stream sends per alert: enough for a live list; details come from GET /api/v1/alerts/:id. */
export interface StreamedAlert {
  readonly id: string;
  readonly '@timestamp': string;
  readonly unit: string;
  readonly rule: {
    readonly id: string;
    readonly title: string;
    readonly level: string;
    readonly author?: string;
  };
}

interface Subscriber {
  readonly scope: UnitScope;
  /** Returns false when the subscriber's connection is backed up. */
  readonly send: (alert: StreamedAlert) => boolean;
  readonly end: () => void;
}

export class AlertStream {
  readonly #subscribers = new Set<Subscriber>();
  #skipped = 0;

  /** Alerts not sent because a subscriber's connection was backed up. */
  get skipped(): number {
    return this.#skipped;
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }

  subscribe(scope: UnitScope, send: Subscriber['send'], end: Subscriber['end']): () => void {
    const subscriber = { scope, send, end };
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  publish(alerts: readonly Alert[]): void {
    if (this.#subscribers.size === 0) return;
    for (const alert of alerts) {
      if (alert.suppressed) continue;
      const view: StreamedAlert = {
        id: alert.id,
        '@timestamp': alert['@timestamp'],
        unit: alert.unit,
        rule: {
          id: alert.rule.id,
          title: alert.rule.title,
          level: alert.rule.level,
          ...(alert.rule.author ? { author: alert.rule.author } : {}),
        },
      };
      for (const subscriber of this.#subscribers) {
        const { scope } = subscriber;
        if (scope.kind !== 'all' && !scope.units.includes(alert.unit)) continue;
        if (!subscriber.send(view)) this.#skipped++;
      }
    }
  }

  close(): void {
    for (const subscriber of [...this.#subscribers]) subscriber.end();
    this.#subscribers.clear();
  }
}
