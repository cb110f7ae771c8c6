// An alert: one detection (Sigma rule match, threat-intel hit, correlation) on one or more
// events. Correlation and triage fold alerts into alert groups and incidents. Types only.
import type { EcsEvent } from './event.ts';

export type AlertLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export type AlertKind = 'sigma' | 'sigma-correlation' | 'intel';

export interface AttackRef {
  readonly id: string; // "TA0002", "T1059", "T1059.001"
  readonly name?: string;
}

export interface AlertRule {
  readonly id: string;
  /** The rule's `name` (Sigma: used by correlations to refer to it). */
  readonly name?: string;
  readonly title: string;
  readonly level: AlertLevel;
  readonly status?: string;
  /** Always shown wherever matches are shown (Detection Rule License). */
  readonly author?: string;
  readonly description?: string;
  readonly references?: readonly string[];
  readonly tags?: readonly string[];
  /** Path of the rule file, for operators. */
  readonly path?: string;
}

export interface IntelHit {
  readonly indicator: string; // the matched value or pattern
  readonly type: string; // 'ipv4-addr' | 'domain-name' | 'url' | 'file-hash' | 'email-addr' | …
  readonly field: string; // ECS field the value was found in
  readonly source: string; // feed / bundle name
  readonly confidence?: number; // 0–100
  readonly threatName?: string;
}

export interface Alert {
  readonly id: string;
  readonly unit: string;
  readonly kind: AlertKind;
  /** Time of the (first) matched event, ISO 8601. */
  readonly '@timestamp': string;
  /** When Vigil raised the alert, epoch ms. */
  readonly createdAt: number;
  readonly rule: AlertRule;
  readonly attack?: { readonly tactics: readonly AttackRef[]; readonly techniques: readonly AttackRef[] };
  /** Ids of the stored events the alert rests on. */
  readonly eventIds: readonly string[];
  /** The matched event (copy), for offline hunts and display without a store round-trip. */
  readonly event?: EcsEvent;
  readonly intel?: IntelHit;
  /** Group-by values of a correlation, or key entity values. */
  readonly groupBy?: Readonly<Record<string, string>>;
  /** Id of the retro-hunt or intel retro-match job that raised it; absent for live detection. */
  readonly hunt?: string;
  /** Id of the suppression that held it back: stored, but not folded into incidents. */
  readonly suppressed?: string;
}
