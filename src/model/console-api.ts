// Response shapes of the API routes the console's SOC screens read (overview, posture,
// incidents). Types only: the server's routes return them and the web console imports them,
// so the two cannot drift apart.
import type { Alert, AlertLevel, AttackRef } from './alert.ts';
import type { AlertGroup, Incident, IncidentStatus, Verdict } from './incident.ts';
import type { Phrase } from './message.ts';
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
  readonly priorityParts: readonly {
    readonly factor: string;
    readonly text: string;
    /** The text as a translatable phrase. */
    readonly phrase?: Phrase;
    readonly points: number;
  }[];
}

export interface IncidentUpdate {
  readonly status?: IncidentStatus;
  readonly assignee?: string | null;
  readonly analystVerdict?: Verdict;
  readonly comment?: string;
}

// ---------------------------------------------------------------- detection: rules, intel, ATT&CK, alerts, hunts

/** Where an alert came from: the live pipeline, or a retro-hunt / intel retro-match job. */
export type AlertOrigin = 'live' | 'hunt' | 'all';

export interface AlertListQuery {
  readonly ruleId?: string;
  readonly level?: AlertLevel;
  readonly kind?: Alert['kind'];
  readonly unit?: string;
  /** Event time range, epoch ms (from inclusive, to exclusive). */
  readonly from?: number;
  readonly to?: number;
  /** Only the alerts of this hunt job. */
  readonly hunt?: string;
  /** ATT&CK technique id; a parent (T1003) also matches its sub-techniques (T1003.001). */
  readonly technique?: string;
  /** Default 'all'. */
  readonly origin?: AlertOrigin;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface AlertListResponse {
  readonly alerts: readonly Alert[];
  readonly total: number;
  readonly nextCursor?: string;
}

/** A rule switched on or off for one unit, or everywhere (unit '*'). */
export interface RuleOverride {
  readonly ruleId: string;
  readonly unit: string;
  readonly enabled: boolean;
  readonly updatedAt: number;
  readonly actor: string;
}

export interface RuleSummary {
  readonly id: string;
  readonly name?: string;
  readonly kind: 'detection' | 'correlation';
  readonly title: string;
  readonly level: AlertLevel;
  readonly status?: string;
  /** Always shown wherever the rule is shown (Detection Rule License). */
  readonly author?: string;
  readonly description?: string;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly attack: { readonly tactics: readonly AttackRef[]; readonly techniques: readonly AttackRef[] };
  readonly logsource?: {
    readonly product?: string;
    readonly category?: string;
    readonly service?: string;
  };
  readonly path: string;
  readonly line: number;
  /** Enabled for the caller: the caller's unit override, else the global one, else true. */
  readonly enabled: boolean;
  /** Whether the global switch (unit '*') is on. */
  readonly enabledGlobally: boolean;
  /** Overrides visible to the caller (global ones and the caller's units). */
  readonly overrides: readonly RuleOverride[];
  readonly alerts: {
    readonly total: number;
    readonly last24h: number;
    /** Share of analyst-judged alerts of this rule judged benign; null when none were judged. */
    readonly falsePositiveShare: number | null;
    readonly judged: number;
  };
}

export interface RuleListQuery {
  readonly q?: string;
  readonly level?: AlertLevel;
  readonly status?: string;
  /** A tag (`attack.t1059.001`) or a technique/tactic id (`T1059`, `TA0002`). */
  readonly tag?: string;
  readonly enabled?: boolean;
  readonly sort?: 'title' | 'alerts' | 'level';
  readonly limit?: number;
  readonly cursor?: string;
}

export interface RuleListResponse {
  readonly rules: readonly RuleSummary[];
  readonly total: number;
  readonly nextCursor?: string;
}

export interface RuleDetailResponse {
  readonly rule: RuleSummary;
  /** The YAML of the rule's file (all documents of a multi-document file). */
  readonly source: string;
}

export interface RuleUpdate {
  /** 'inherit' removes the switch (the unit then follows the global one; global: enabled). */
  readonly enabled: boolean | 'inherit';
  /** A unit id, or '*' for everywhere (all-units administrators only). Default: '*' for all-units callers, else the caller's unit. */
  readonly unit?: string;
}

export interface RuleRejection {
  readonly path: string;
  readonly line: number;
  readonly reason: string;
  readonly ruleId?: string;
  readonly title?: string;
}

export interface RuleValidationResponse {
  readonly loaded: number;
  readonly correlations: number;
  readonly files: number;
  readonly rejected: readonly RuleRejection[];
  /** Rules loaded but held back, e.g. "needs placeholder values: %admins%". */
  readonly warnings: readonly RuleRejection[];
  readonly loadedAt: number;
}

export interface RuleImportRequest {
  /** YAML text of one rule file (possibly multi-document). */
  readonly yaml?: string;
  /** A file or folder on the server. */
  readonly path?: string;
  /** File name for YAML text (default: the rule id). */
  readonly name?: string;
}

export interface RuleImportResponse {
  /** Rules in the files that were imported. */
  readonly imported: number;
  readonly files: number;
  /** Files refused (one rejection or more); nothing of them was imported. */
  readonly rejected: readonly RuleRejection[];
  /** Rules loaded in the live set after the import. */
  readonly loaded: number;
}

export interface IntelSourceSummary {
  readonly source: string;
  readonly format: 'stix' | 'misp' | 'list';
  readonly indicators: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly skipped: number;
  readonly importedAt: number;
  /** 'startup' (configured feed), 'api', or 'data-dir' (imported with the CLI). */
  readonly origin: string;
}

export interface IntelSourcesResponse {
  readonly sources: readonly IntelSourceSummary[];
  readonly indicators: number;
}

export interface IndicatorView {
  readonly type: string;
  readonly value: string;
  readonly source: string;
  readonly confidence: number;
  readonly threatName?: string;
  readonly description?: string;
  readonly validUntil?: number;
  readonly tags?: readonly string[];
}

export interface IndicatorSearchResponse {
  readonly indicators: readonly IndicatorView[];
  readonly total: number;
  readonly nextCursor?: string;
}

export interface IntelImportRequest {
  /** STIX 2.1 bundle, MISP event/feed (JSON text), or a plain/CSV IOC list. */
  readonly content: string;
  /** Source name shown on alerts (default "api:<time>"). */
  readonly source: string;
  /** Retro-match the new indicators against the last N days of stored events (0 = no). Default 7. */
  readonly retroDays?: number;
}

export interface IntelImportResponse {
  readonly source: string;
  readonly format: 'stix' | 'misp' | 'list';
  readonly indicators: number;
  /** Indicators not already known from this source. */
  readonly added: number;
  /** Indicators of the source's previous version that are no longer in it (they stop matching). */
  readonly removed: number;
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
  /** The retro-match job, when one was started. */
  readonly retroMatch?: HuntJob;
}

export interface TaxiiFeedRequest {
  readonly apiRoot: string;
  readonly collectionId: string;
  /** "user:password" (stored in the SOC store; never shown again). */
  readonly basicAuth?: string;
  readonly bearerToken?: string;
  /** Minutes between polls, default 60; 0 = only on POST …/poll. */
  readonly intervalMinutes?: number;
  /** Retro-match new indicators against this many days of stored events (default 7; 0 = no). */
  readonly retroDays?: number;
}

export interface TaxiiFeedView {
  readonly source: string;
  readonly apiRoot: string;
  readonly collectionId: string;
  readonly intervalMinutes: number;
  readonly retroDays: number;
  /** The server's added-after cursor of the last poll that brought objects. */
  readonly cursor?: string;
  readonly lastPolledAt?: number;
  readonly lastError?: string;
  readonly objects: number;
  readonly authenticated: boolean;
}

export interface TaxiiFeedResponse {
  readonly feed: TaxiiFeedView;
  readonly poll: {
    readonly objects: number;
    readonly indicators: number;
    readonly added: number;
    readonly error?: string;
  };
}

export interface AttackTechniqueView {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
  readonly subtechniques: readonly { readonly id: string; readonly name: string }[];
}

export interface AttackTechniquesResponse {
  readonly version?: string;
  readonly tactics: readonly { readonly id: string; readonly shortname: string; readonly name: string }[];
  readonly techniques: readonly AttackTechniqueView[];
}

export interface AttackHeatmapResponse {
  readonly from: number;
  readonly to: number;
  readonly cells: readonly { readonly tactic: AttackRef; readonly technique: AttackRef; readonly count: number }[];
  /** Alerts per technique (all tactics together). */
  readonly techniques: readonly { readonly technique: AttackRef; readonly count: number }[];
}

export type HuntStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface HuntJob {
  readonly id: string;
  readonly kind: 'sigma' | 'intel-retro';
  readonly status: HuntStatus;
  readonly from: number;
  readonly to: number;
  /** Units the job searched ('*' = all). */
  readonly units: readonly string[] | '*';
  readonly rules: number;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** Events read so far and the number expected (capped estimate from the store). */
  readonly scanned: number;
  readonly total: number;
  /** 0–1. */
  readonly progress: number;
  readonly alerts: number;
  readonly error?: string;
  /** Rule documents of an uploaded YAML that were refused. */
  readonly rejected?: readonly RuleRejection[];
}

export interface HuntRequest {
  readonly yaml?: string;
  readonly ruleIds?: readonly string[];
  /** ISO 8601 or epoch ms. */
  readonly from: string | number;
  readonly to?: string | number;
  /** Narrow the hunt to these of the caller's units (default: all the caller's units). */
  readonly units?: readonly string[];
}
