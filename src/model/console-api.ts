// Response shapes of the API routes the console's SOC screens read (overview, posture,
// incidents). Types only: the server's routes return them and the web console imports them,
// so the two cannot drift apart.
import type { Alert, AttackRef } from './alert.ts';
import type { AlertGroup, Incident, IncidentStatus, Verdict } from './incident.ts';
import type { StoredEvent } from './query.ts';

/** The noise funnel over a period, computed from stored facts. */
export interface Funnel {
  readonly events: number;
  readonly alerts: number;
  readonly alertGroups: number;
  readonly incidents: number;
  readonly needingAttention: number;
  readonly escalated: number;
  /** 1 − needing attention / alerts (0 when there are no alerts). */
  readonly reduction: number;
}

export interface OverviewResponse {
  readonly from: number;
  readonly to: number;
  readonly funnel: Funnel;
  readonly kpis: {
    /** Mean minutes from the first event of an incident to its creation. */
    readonly mttdMinutes: number | null;
    /** Mean minutes from creation to resolution, over incidents resolved in the period. */
    readonly mttrMinutes: number | null;
    readonly openByPriority: {
      readonly critical: number;
      readonly high: number;
      readonly medium: number;
      readonly low: number;
    };
    readonly slaBreaches: number;
  };
  /** ATT&CK heatmap cells: alerts per technique and tactic. */
  readonly attack: readonly { readonly tactic: AttackRef; readonly technique: AttackRef; readonly count: number }[];
  readonly topEntities: readonly { readonly kind: string; readonly value: string; readonly incidents: number }[];
  readonly alertsOverTime: readonly { readonly start: number; readonly count: number }[];
  readonly perUnit: readonly {
    readonly unit: string;
    readonly name: string;
    readonly open: number;
    readonly needingAttention: number;
    readonly risk: number;
  }[];
}

export interface PostureResponse {
  readonly generatedAt: number;
  readonly units: readonly {
    readonly id: string;
    readonly name: string;
    readonly location?: { readonly lat: number; readonly lon: number; readonly name?: string };
    readonly open: number;
    readonly needingAttention: number;
    readonly critical: number;
    readonly risk: number;
  }[];
  /** Sources of alerts with a geolocated public address, towards the unit they hit. */
  readonly attacks: readonly {
    readonly source: string;
    readonly country?: string;
    readonly lat: number;
    readonly lon: number;
    readonly unit: string;
    readonly count: number;
  }[];
  readonly counters: {
    readonly eventsToday: number;
    readonly alertsToday: number;
    readonly incidentsOpen: number;
    readonly needingAttention: number;
  };
}

export interface IncidentListQuery {
  readonly status?: IncidentStatus | 'open';
  readonly needsAttention?: boolean;
  readonly verdict?: Verdict;
  readonly unit?: string;
  readonly q?: string; // title contains
  readonly sort?: 'priority' | 'lastSeen' | 'createdAt';
  readonly limit?: number;
  readonly cursor?: string;
}

export interface IncidentListResponse {
  readonly incidents: readonly Incident[];
  readonly total: number;
  readonly nextCursor?: string;
}

export interface IncidentDetailResponse {
  readonly incident: Incident;
  readonly groups: readonly AlertGroup[];
  readonly alerts: readonly Alert[];
  readonly events: readonly StoredEvent[];
  readonly priorityParts: readonly { readonly factor: string; readonly text: string; readonly points: number }[];
}

export interface IncidentUpdate {
  readonly status?: IncidentStatus;
  readonly assignee?: string | null;
  readonly analystVerdict?: Verdict;
  readonly comment?: string;
}
