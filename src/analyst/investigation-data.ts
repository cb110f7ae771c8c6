// What the digital analyst may read, always within the caller's unit scope: the narrow,
// read-only view of the store and the intel/ATT&CK catalogues that its tools are built on.
import type { Alert, AttackRef } from '../model/alert.ts';
import type { AlertGroup, Incident } from '../model/incident.ts';
import type { EventPage, EventSearch, StoredEvent } from '../model/query.ts';
import type { Asset, Unit, UnitScope } from '../model/unit.ts';

export interface IncidentBundle {
  readonly incident: Incident;
  readonly groups: readonly AlertGroup[];
  readonly alerts: readonly Alert[];
}

export interface IntelLookup {
  readonly indicator: string;
  readonly type: string;
  readonly source: string;
  readonly confidence: number;
  readonly threatName?: string;
}

export interface TechniqueInfo {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
}

export interface InvestigationData {
  incident(scope: UnitScope, id: string): Promise<IncidentBundle | undefined>;
  searchEvents(scope: UnitScope, search: EventSearch): Promise<EventPage>;
  getEvents(scope: UnitScope, ids: readonly string[]): Promise<readonly StoredEvent[]>;
  getAlerts(scope: UnitScope, ids: readonly string[]): Promise<readonly Alert[]>;
  similarIncidents(scope: UnitScope, incident: Incident, limit: number): Promise<readonly Incident[]>;
  assets(scope: UnitScope, match: { host?: string; ip?: string }): Promise<readonly Asset[]>;
  unit(id: string): Promise<Unit | undefined>;
  intel(value: string): Promise<readonly IntelLookup[]>;
  technique(id: string): TechniqueInfo | undefined;
  /** Run a Sigma rule over stored events of some hosts (optional: not every deployment has it). */
  retroHunt?(
    scope: UnitScope,
    ruleYaml: string,
    hosts: readonly string[],
    from: number,
    to: number,
  ): Promise<{ matches: number; eventIds: string[]; error?: string }>;
}

export type { AttackRef };
