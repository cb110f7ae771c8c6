// Alert groups (deduplicated alerts) and incidents (alert groups linked by shared entities),
// with their risk-based priority and fast-triage verdict. Types only.
import type { AlertLevel, AttackRef } from './alert.ts';
import type { Phrase } from './message.ts';

export type EntityKind = 'host' | 'user' | 'ip' | 'process' | 'file' | 'domain';

export interface Entity {
  readonly kind: EntityKind;
  /** Normalised value: lower-case host and user names, canonical IPs, lower-case hashes. */
  readonly value: string;
}

/** Alerts of one rule on the same key entities within a window, folded into one. */
export interface AlertGroup {
  readonly id: string;
  readonly unit: string;
  readonly ruleId: string;
  readonly ruleTitle: string;
  readonly ruleAuthor?: string;
  readonly level: AlertLevel;
  readonly kind: string;
  /** The key the alerts were folded by (rule + key entities). */
  readonly key: string;
  readonly count: number;
  readonly firstSeen: number; // epoch ms (event time)
  readonly lastSeen: number;
  readonly alertIds: readonly string[]; // bounded sample
  readonly eventIds: readonly string[]; // bounded sample
  readonly entities: readonly Entity[];
  readonly tactics: readonly AttackRef[];
  readonly techniques: readonly AttackRef[];
  /** Highest intel confidence among the group's alerts, when they are intel hits. */
  readonly intelConfidence?: number;
}

export type Verdict = 'malicious' | 'suspicious' | 'benign';
export type IncidentStatus = 'new' | 'in_progress' | 'escalated' | 'resolved' | 'closed';

export interface TriageReason {
  readonly feature: string;
  /** What a person reads: "3 high-severity rules on this host". */
  readonly text: string;
  /** The same as a translatable phrase (absent on triage stored by older versions). */
  readonly phrase?: Phrase;
  /** The feature's value. */
  readonly value?: number;
  /** Contribution to the score (log-odds); positive pushes towards malicious. */
  readonly contribution: number;
}

export interface Triage {
  readonly verdict: Verdict;
  /** 0–1: probability the incident is malicious, as the model sees it. */
  readonly confidence: number;
  readonly reasons: readonly TriageReason[];
  readonly modelVersion: string;
  readonly millis: number;
}

/** One factor of an incident's priority and the points it added (the "why this priority"). */
export interface PriorityExplanation {
  readonly factor: string;
  readonly text: string;
  /** The text as a translatable phrase. */
  readonly phrase?: Phrase;
  readonly points: number;
}

export interface Incident {
  readonly id: string;
  readonly unit: string;
  readonly title: string;
  /** The title as a translatable phrase (rule titles stay as written). */
  readonly titlePhrase?: Phrase;
  readonly status: IncidentStatus;
  readonly priority: number; // 0–100
  readonly needsAttention: boolean;
  /** Why the incident was held back (when it does not need attention), for the low-priority digest. */
  readonly heldBackReason?: string;
  /** heldBackReason as a translatable phrase. */
  readonly heldBackPhrase?: Phrase;
  readonly groupIds: readonly string[];
  readonly entities: readonly Entity[];
  readonly tactics: readonly AttackRef[]; // in kill-chain order
  readonly techniques: readonly AttackRef[];
  readonly alertCount: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly triage?: Triage;
  /** How the priority was reached, as of the last change (kept with the incident for after a restart). */
  readonly priorityParts?: readonly PriorityExplanation[];
  readonly assignee?: string;
  readonly analystVerdict?: Verdict;
}
