// The SOC state store contract: alerts, alert groups, incidents (with the analysts' changes kept
// apart from what correlation computes), investigation reports, console users and sessions, and
// the audit log. Events live in the Store; this holds the much smaller, much more often updated
// state of the work. Implementations: soc/duckdb-soc-store.ts (embedded); PostgreSQL next.
import type { InvestigationReport } from '../analyst/investigation-report.ts';
import type { Alert, AttackRef } from '../model/alert.ts';
import type {
  AlertListQuery,
  AlertListResponse,
  IncidentListQuery,
  IncidentListResponse,
  RuleOverride,
} from '../model/console-api.ts';
import type { AlertGroup, Incident, IncidentStatus, Verdict } from '../model/incident.ts';
import type { SavedSearch } from '../model/saved-search.ts';
import type { Suppression } from '../model/suppression.ts';
import type { UnitScope } from '../model/unit.ts';

export interface ConsoleUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: 'admin' | 'analyst' | 'responder' | 'viewer';
  /** Units the user may see; '*' = all. */
  readonly units: readonly string[] | '*';
  readonly createdAt: number;
}

export interface ConsoleSession {
  readonly tokenHash: string;
  readonly username: string;
  readonly expiresAt: number;
  readonly createdAt: number;
}

export interface AuditEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: string; // domain event: incident-updated, suppression-created, session-created …
  readonly target: string;
  readonly unit?: string;
  readonly details?: Record<string, unknown>;
}

/** What an analyst may change on a suppression; absent fields are kept. */
export interface SuppressionChange {
  readonly reason?: string;
  readonly expiresAt?: number;
  readonly match?: Readonly<Record<string, string>>;
}

export interface AnalystChange {
  readonly status?: IncidentStatus;
  readonly assignee?: string | null;
  readonly analystVerdict?: Verdict;
}

/** Who is looking at saved searches: their own (by owner id) and those shared with their units. */
export interface SavedSearchViewer {
  readonly owner: string;
  readonly scope: UnitScope;
}

export interface IncidentStats {
  readonly incidents: number;
  readonly needingAttention: number;
  readonly escalated: number;
  readonly mttdMinutes: number | null;
  readonly mttrMinutes: number | null;
  readonly openByPriority: {
    readonly critical: number;
    readonly high: number;
    readonly medium: number;
    readonly low: number;
  };
  readonly slaBreaches: number;
}

export interface SocStore {
  appendAlerts(alerts: readonly Alert[]): Promise<void>;
  getAlerts(scope: UnitScope, ids: readonly string[]): Promise<Alert[]>;
  countAlerts(scope: UnitScope, from: number, to: number): Promise<number>;
  alertsOverTime(
    scope: UnitScope,
    from: number,
    to: number,
    bucketMs: number,
  ): Promise<{ start: number; count: number }[]>;
  attackCounts(
    scope: UnitScope,
    from: number,
    to: number,
  ): Promise<{ tactic: AttackRef; technique: AttackRef; count: number }[]>;
  /** Alerts per rule in a period (rule noise statistics). */
  ruleAlertCounts(
    scope: UnitScope,
    from: number,
    to: number,
  ): Promise<{ ruleId: string; ruleTitle: string; count: number }[]>;
  /** Recent alerts, newest first (live stream, posture map). */
  recentAlerts(scope: UnitScope, since: number, limit: number): Promise<Alert[]>;
  /** Alerts by rule, level, kind, unit, event time and hunt; newest event first. */
  listAlerts(scope: UnitScope, query: AlertListQuery): Promise<AlertListResponse>;
  /**
   * Per rule, live alerts only (not hunts): all, since `recentSince`, and those in incidents an
   * analyst gave a verdict (judged) and the benign ones among them (false positives).
   */
  ruleAlertStats(
    scope: UnitScope,
    recentSince: number,
  ): Promise<{ ruleId: string; total: number; recent: number; judged: number; benign: number }[]>;

  /** Rule switches per unit ('*' = everywhere); `enabled: null` removes the override. */
  setRuleOverride(override: Omit<RuleOverride, 'enabled'> & { enabled: boolean | null }): Promise<void>;
  /** Global overrides (unit '*') and those of the units in scope. */
  listRuleOverrides(scope: UnitScope): Promise<RuleOverride[]>;

  /** Add or replace a suppression (by id). */
  putSuppression(suppression: Suppression): Promise<void>;
  /** Suppressions of the units in scope; expired ones (expiresAt <= now) only with `includeExpired`. */
  listSuppressions(scope: UnitScope, options: { now: number; includeExpired?: boolean }): Promise<Suppression[]>;
  /**
   * Change one within scope, atomically (a concurrent change is not lost); the stored suppression
   * afterwards, or undefined when no such suppression is visible to the caller.
   */
  updateSuppression(scope: UnitScope, id: string, change: SuppressionChange): Promise<Suppression | undefined>;
  /** Remove one within scope; false when no such suppression is visible to the caller. */
  deleteSuppression(scope: UnitScope, id: string): Promise<boolean>;
  /** Stored alerts marked with each of these suppressions. */
  suppressionHits(scope: UnitScope, ids: readonly string[]): Promise<Map<string, number>>;

  /**
   * Add a saved search or replace one (by id). Names are unique per owner, ignoring case: nothing
   * is stored when another search of the owner has the name ('duplicate-name'), nor when a new
   * one would give the owner more than `maxPerOwner` ('limit-reached'). Checked atomically.
   */
  putSavedSearch(
    search: SavedSearch,
    options: { maxPerOwner: number },
  ): Promise<'stored' | 'duplicate-name' | 'limit-reached'>;
  /** The owner's own saved searches plus those shared with the units in scope, by name. */
  listSavedSearches(viewer: SavedSearchViewer): Promise<SavedSearch[]>;
  /** One saved search if the viewer may see it (own, or shared with a unit in scope). */
  getSavedSearch(viewer: SavedSearchViewer, id: string): Promise<SavedSearch | undefined>;
  /** Remove one; false when there is no such search. Callers check visibility and rights first. */
  deleteSavedSearch(id: string): Promise<boolean>;

  putGroups(groups: readonly AlertGroup[]): Promise<void>;
  getGroups(scope: UnitScope, ids: readonly string[]): Promise<AlertGroup[]>;
  countGroups(scope: UnitScope, from: number, to: number): Promise<number>;

  /** Store what correlation computed; the analysts' fields (status, assignee, verdict) are kept. */
  putIncidents(incidents: readonly Incident[]): Promise<void>;
  /** Incidents folded into others by a merge. */
  deleteIncidents(ids: readonly string[]): Promise<void>;
  getIncident(scope: UnitScope, id: string): Promise<Incident | undefined>;
  listIncidents(scope: UnitScope, query: IncidentListQuery): Promise<IncidentListResponse>;
  updateIncident(scope: UnitScope, id: string, change: AnalystChange, now: number): Promise<Incident | undefined>;
  incidentStats(scope: UnitScope, from: number, to: number, now: number): Promise<IncidentStats>;
  /** Incidents of a unit that share a rule with the given rule ids (for "similar incidents"). */
  incidentsWithRules(
    scope: UnitScope,
    ruleIds: readonly string[],
    excludeId: string,
    limit: number,
  ): Promise<Incident[]>;

  putInvestigation(report: InvestigationReport): Promise<void>;
  latestInvestigation(scope: UnitScope, incidentId: string): Promise<InvestigationReport | undefined>;

  putUser(user: ConsoleUser): Promise<void>;
  getUser(username: string): Promise<ConsoleUser | undefined>;
  countUsers(): Promise<number>;
  putSession(session: ConsoleSession): Promise<void>;
  getSession(tokenHash: string): Promise<ConsoleSession | undefined>;
  deleteSession(tokenHash: string): Promise<void>;

  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(scope: UnitScope, limit: number): Promise<AuditEntry[]>;

  /** Small named state documents (engine snapshots, trained triage weights). */
  putState(key: string, value: unknown): Promise<void>;
  getState<T>(key: string): Promise<T | undefined>;

  close(): Promise<void>;
}
