// Folds the alert stream into a short incident queue. Alerts of one rule on the same key
// entities within a window become one alert group (deduplication); alert groups sharing an
// entity (host, user, IP, process, file hash, domain) within the link window become one incident,
// merging incidents when a later alert links them. Entities seen on many hosts ("hubs": a DNS
// server, a shared admin account) never link, so busy but unrelated activity stays apart.
import type { Alert, AttackRef } from '../model/alert.ts';
import type { AlertGroup, Entity, Incident } from '../model/incident.ts';
import type { AssetCriticality } from '../model/unit.ts';
import { newEventId } from '../store/event-id.ts';
import { alertEntities, entityKey, eventHost } from './entities.ts';
import { computePriority, levelRank, type PriorityPart } from './priority.ts';

/** Entities many unrelated things share (accounts, addresses, domains): they link only with care. */
const weakKinds = new Set<Entity['kind']>(['user', 'ip', 'domain']);

/** Enterprise ATT&CK tactics in kill-chain order. */
const tacticOrder = [
  'TA0043',
  'TA0042',
  'TA0001',
  'TA0002',
  'TA0003',
  'TA0004',
  'TA0005',
  'TA0006',
  'TA0007',
  'TA0008',
  'TA0009',
  'TA0011',
  'TA0010',
  'TA0040',
];

export interface IncidentEngineOptions {
  /** Alerts of one rule on the same entities further apart than this start a new group. */
  readonly dedupWindowMs?: number;
  /** Alert groups link into an incident while it saw activity within this window. */
  readonly linkWindowMs?: number;
  /** A non-host entity seen on more hosts than this is a hub and does not link. */
  readonly maxHostsPerLinkEntity?: number;
  /** Weak entities (users, addresses, domains) link only when seen on at most this many hosts… */
  readonly maxHostsPerWeakEntity?: number;
  /** …and only alerts this close in time. */
  readonly weakLinkWindowMs?: number;
  /** An incident does not grow beyond this many hosts through weak links alone. */
  readonly maxHostsPerIncident?: number;
  /** Priority from which an incident needs attention, per unit (default 40). */
  readonly attentionThreshold?: (unit: string) => number;
  readonly assetCriticality?: (unit: string, host: string) => AssetCriticality | undefined;
  /** Active hosts in a unit (all that sent events), for rule prevalence; default: hosts seen in alerts. */
  readonly activeHosts?: (unit: string) => number;
  /** Owner host of an address (from the asset inventory), to link network alerts to endpoint ones. */
  readonly ipOwner?: (unit: string, ip: string) => string | undefined;
  /** Minimum level of a group for the incident to need attention at all (default medium). */
  readonly minimumAttentionLevel?: Alert['rule']['level'];
  readonly maxSamples?: number;
}

interface MutableGroup {
  id: string;
  unit: string;
  ruleId: string;
  ruleTitle: string;
  ruleAuthor?: string;
  level: Alert['rule']['level'];
  kind: string;
  key: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  alertIds: string[];
  eventIds: string[];
  entities: Map<string, Entity>;
  tactics: Map<string, AttackRef>;
  techniques: Map<string, AttackRef>;
  intelConfidence?: number;
  incidentId?: string;
}

interface MutableIncident {
  id: string;
  unit: string;
  groupIds: Set<string>;
  createdAt: number;
  updatedAt: number;
  /** Set by #refresh right after creation. */
  snapshot?: Incident;
  priorityParts: readonly PriorityPart[];
}

export interface AlertOutcome {
  readonly group: AlertGroup;
  readonly incident: Incident;
  readonly groupCreated: boolean;
  readonly incidentCreated: boolean;
  /** Incidents folded into this one by the alert (domain event incident-merged). */
  readonly mergedIncidentIds: readonly string[];
}

function eventTime(alert: Alert): number {
  const time = Date.parse(alert['@timestamp']);
  return Number.isNaN(time) ? alert.createdAt : time;
}

export class IncidentEngine {
  readonly #options: Required<Omit<IncidentEngineOptions, 'assetCriticality' | 'activeHosts' | 'ipOwner'>> &
    Pick<IncidentEngineOptions, 'assetCriticality' | 'activeHosts' | 'ipOwner'>;
  readonly #groupsByKey = new Map<string, MutableGroup>();
  readonly #groups = new Map<string, MutableGroup>();
  readonly #incidents = new Map<string, MutableIncident>();
  readonly #entityIncident = new Map<string, string>(); // unit|entity → incident id
  readonly #entityHosts = new Map<string, Set<string>>(); // unit|entity → hosts it was seen with
  readonly #ruleHosts = new Map<string, Set<string>>(); // unit|rule → hosts
  readonly #unitHosts = new Map<string, Set<string>>();
  readonly #learnedOwners = new Map<string, string>(); // unit|ip → host

  constructor(options: IncidentEngineOptions = {}) {
    this.#options = {
      dedupWindowMs: options.dedupWindowMs ?? 24 * 3_600_000,
      linkWindowMs: options.linkWindowMs ?? 24 * 3_600_000,
      maxHostsPerLinkEntity: options.maxHostsPerLinkEntity ?? 3,
      maxHostsPerWeakEntity: options.maxHostsPerWeakEntity ?? 2,
      weakLinkWindowMs: options.weakLinkWindowMs ?? 2 * 3_600_000,
      maxHostsPerIncident: options.maxHostsPerIncident ?? 5,
      attentionThreshold: options.attentionThreshold ?? (() => 40),
      minimumAttentionLevel: options.minimumAttentionLevel ?? 'medium',
      maxSamples: options.maxSamples ?? 20,
      assetCriticality: options.assetCriticality,
      activeHosts: options.activeHosts,
      ipOwner: options.ipOwner,
    };
  }

  get groups(): AlertGroup[] {
    return [...this.#groups.values()].map((group) => this.#groupSnapshot(group));
  }

  get incidents(): Incident[] {
    return [...this.#incidents.values()].map((incident) => incident.snapshot!);
  }

  incident(id: string): Incident | undefined {
    return this.#incidents.get(id)?.snapshot;
  }

  group(id: string): AlertGroup | undefined {
    const group = this.#groups.get(id);
    return group ? this.#groupSnapshot(group) : undefined;
  }

  /** The facts fast triage reads about an incident, from its groups and the unit's rule prevalence. */
  triageFacts(
    id: string,
  ):
    | { maxLevel: number; distinctRules: number; intelConfidence: number; correlated: boolean; commonRuleShare: number }
    | undefined {
    const incident = this.#incidents.get(id);
    if (!incident) return undefined;
    const groups = [...incident.groupIds].map((groupId) => this.#groups.get(groupId)!);
    const rules = new Set(groups.map((group) => group.ruleId));
    const common = [...rules].filter((ruleId) => this.#prevalence(incident.unit, ruleId) > 0.05).length;
    return {
      maxLevel: Math.max(0, ...groups.map((group) => levelRank[group.level])),
      distinctRules: rules.size,
      intelConfidence: Math.max(0, ...groups.map((group) => group.intelConfidence ?? 0)),
      correlated: groups.some((group) => group.kind === 'sigma-correlation'),
      commonRuleShare: rules.size ? common / rules.size : 0,
    };
  }

  /** The priority breakdown of an incident (for explanations). */
  priorityParts(id: string): readonly PriorityPart[] {
    return this.#incidents.get(id)?.priorityParts ?? [];
  }

  addAlert(alert: Alert): AlertOutcome {
    const time = eventTime(alert);
    const unit = alert.unit;
    const entities = this.#entitiesOf(alert);
    const host = entities.find((entity) => entity.kind === 'host')?.value;

    // 1. Deduplicate into an alert group.
    const key = this.#dedupKey(alert, entities);
    let group = this.#groupsByKey.get(key);
    let groupCreated = false;
    if (!group || time - group.lastSeen > this.#options.dedupWindowMs) {
      group = {
        id: newEventId(time),
        unit,
        ruleId: alert.rule.id,
        ruleTitle: alert.rule.title,
        ruleAuthor: alert.rule.author,
        level: alert.rule.level,
        kind: alert.kind,
        key,
        count: 0,
        firstSeen: time,
        lastSeen: time,
        alertIds: [],
        eventIds: [],
        entities: new Map(),
        tactics: new Map(),
        techniques: new Map(),
      };
      this.#groupsByKey.set(key, group);
      this.#groups.set(group.id, group);
      groupCreated = true;
    }
    group.count++;
    group.firstSeen = Math.min(group.firstSeen, time);
    group.lastSeen = Math.max(group.lastSeen, time);
    if (levelRank[alert.rule.level] > levelRank[group.level]) group.level = alert.rule.level;
    if (group.alertIds.length < this.#options.maxSamples) group.alertIds.push(alert.id);
    for (const id of alert.eventIds) if (group.eventIds.length < this.#options.maxSamples) group.eventIds.push(id);
    for (const entity of entities) group.entities.set(entityKey(entity), entity);
    for (const tactic of alert.attack?.tactics ?? []) group.tactics.set(tactic.id, tactic);
    for (const technique of alert.attack?.techniques ?? []) group.techniques.set(technique.id, technique);
    if (alert.intel?.confidence !== undefined)
      group.intelConfidence = Math.max(group.intelConfidence ?? 0, alert.intel.confidence);

    // 2. Prevalence and hub statistics.
    if (host) {
      this.#addTo(this.#unitHosts, unit, host);
      this.#addTo(this.#ruleHosts, `${unit}|${alert.rule.id}`, host);
      for (const entity of entities)
        if (entity.kind !== 'host') this.#addTo(this.#entityHosts, `${unit}|${entityKey(entity)}`, host, 64);
    }

    // 3. Link to incidents through shared, non-hub entities. Strong entities (host, process, file)
    // link within the link window; weak ones (user, address, domain) only when rare and close in
    // time, and never to grow an incident beyond a handful of hosts.
    const candidates = new Set<string>();
    if (group.incidentId) candidates.add(group.incidentId);
    const groupHosts = new Set(
      [...group.entities.values()].filter((entity) => entity.kind === 'host').map((entity) => entity.value),
    );
    for (const entity of group.entities.values()) {
      if (!this.#linkable(unit, entity)) continue;
      const incidentId = this.#entityIncident.get(`${unit}|${entityKey(entity)}`);
      const incident = incidentId ? this.#incidents.get(incidentId) : undefined;
      if (!incident?.snapshot) continue;
      const { firstSeen, lastSeen } = incident.snapshot;
      if (time - lastSeen > this.#options.linkWindowMs || firstSeen - time > this.#options.linkWindowMs) continue;
      if (weakKinds.has(entity.kind)) {
        if (time - lastSeen > this.#options.weakLinkWindowMs || firstSeen - time > this.#options.weakLinkWindowMs)
          continue;
        const incidentHosts = incident.snapshot.entities
          .filter((known) => known.kind === 'host')
          .map((known) => known.value);
        if (new Set([...incidentHosts, ...groupHosts]).size > this.#options.maxHostsPerIncident) continue;
      }
      candidates.add(incident.id);
    }
    let target: MutableIncident;
    let incidentCreated = false;
    const merged: string[] = [];
    const found = [...candidates].map((id) => this.#incidents.get(id)!).filter(Boolean);
    if (found.length === 0) {
      target = {
        id: newEventId(time),
        unit,
        groupIds: new Set(),
        createdAt: alert.createdAt,
        updatedAt: alert.createdAt,
        snapshot: undefined as unknown as Incident,
        priorityParts: [],
      };
      this.#incidents.set(target.id, target);
      incidentCreated = true;
    } else {
      found.sort((a, b) => a.createdAt - b.createdAt);
      target = found[0]!;
      for (const other of found.slice(1)) {
        for (const groupId of other.groupIds) {
          target.groupIds.add(groupId);
          this.#groups.get(groupId)!.incidentId = target.id;
        }
        this.#incidents.delete(other.id);
        merged.push(other.id);
      }
    }
    target.groupIds.add(group.id);
    group.incidentId = target.id;
    target.updatedAt = alert.createdAt;
    this.#refresh(target);
    for (const groupId of target.groupIds) {
      for (const entity of this.#groups.get(groupId)!.entities.values()) {
        if (this.#linkable(unit, entity)) this.#entityIncident.set(`${unit}|${entityKey(entity)}`, target.id);
      }
    }
    return {
      group: this.#groupSnapshot(group),
      incident: target.snapshot!,
      groupCreated,
      incidentCreated,
      mergedIncidentIds: merged,
    };
  }

  /** Recompute every incident's priority (prevalence changes as more hosts report). */
  refreshAll(): void {
    for (const incident of this.#incidents.values()) this.#refresh(incident);
  }

  #entitiesOf(alert: Alert): Entity[] {
    const entities = alertEntities(alert);
    const unit = alert.unit;
    const host = alert.event ? eventHost(alert.event) : undefined;
    if (host && alert.event) {
      const hostIps = (alert.event.host as { ip?: unknown } | undefined)?.ip;
      for (const ip of Array.isArray(hostIps) ? hostIps : [hostIps]) {
        if (typeof ip === 'string') this.#learnedOwners.set(`${unit}|${ip.toLowerCase()}`, host);
      }
    }
    // A network alert on an address some host owns is about that host too.
    for (const entity of [...entities]) {
      if (entity.kind !== 'ip') continue;
      const owner = this.#options.ipOwner?.(unit, entity.value) ?? this.#learnedOwners.get(`${unit}|${entity.value}`);
      if (owner && !entities.some((known) => known.kind === 'host' && known.value === owner))
        entities.push({ kind: 'host', value: owner });
    }
    return entities;
  }

  #dedupKey(alert: Alert, entities: readonly Entity[]): string {
    const first = (kind: Entity['kind']) => entities.find((entity) => entity.kind === kind)?.value ?? '';
    const event = alert.event as { source?: { ip?: string }; destination?: { ip?: string } } | undefined;
    const parts = [alert.unit, alert.rule.id, first('host'), first('user')];
    if (!first('host')) parts.push(String(event?.source?.ip ?? ''), String(event?.destination?.ip ?? ''));
    if (alert.intel) parts.push(alert.intel.indicator);
    return parts.join('|');
  }

  #addTo(map: Map<string, Set<string>>, key: string, value: string, cap = Number.POSITIVE_INFINITY): void {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    if (set.size < cap) set.add(value);
  }

  #linkable(unit: string, entity: Entity): boolean {
    if (entity.kind === 'host') return true;
    const hosts = this.#entityHosts.get(`${unit}|${entityKey(entity)}`);
    const limit = weakKinds.has(entity.kind)
      ? this.#options.maxHostsPerWeakEntity
      : this.#options.maxHostsPerLinkEntity;
    return !hosts || hosts.size <= limit;
  }

  #prevalence(unit: string, ruleId: string): number {
    const hosts = this.#ruleHosts.get(`${unit}|${ruleId}`)?.size ?? 0;
    const total = Math.max(this.#options.activeHosts?.(unit) ?? 0, this.#unitHosts.get(unit)?.size ?? 0, 1);
    // With few hosts known, prevalence says little: require at least 5 hosts before weighting down.
    return hosts < 5 ? 0 : hosts / total;
  }

  #refresh(incident: MutableIncident): void {
    const groups = [...incident.groupIds].map((id) => this.#groupSnapshot(this.#groups.get(id)!));
    const entities = new Map<string, Entity>();
    const tactics = new Map<string, AttackRef>();
    const techniques = new Map<string, AttackRef>();
    let alertCount = 0;
    let firstSeen = Number.POSITIVE_INFINITY;
    let lastSeen = 0;
    for (const group of groups) {
      for (const entity of group.entities) entities.set(entityKey(entity), entity);
      for (const tactic of group.tactics) tactics.set(tactic.id, tactic);
      for (const technique of group.techniques) techniques.set(technique.id, technique);
      alertCount += group.count;
      firstSeen = Math.min(firstSeen, group.firstSeen);
      lastSeen = Math.max(lastSeen, group.lastSeen);
    }
    const hosts = [...entities.values()].filter((entity) => entity.kind === 'host').map((entity) => entity.value);
    const criticality = hosts
      .map((host) => this.#options.assetCriticality?.(incident.unit, host))
      .reduce<AssetCriticality | undefined>(
        (best, level) => (rankCriticality(level) > rankCriticality(best) ? level : best),
        undefined,
      );
    const { priority, parts } = computePriority(groups, {
      rulePrevalence: (ruleId) => this.#prevalence(incident.unit, ruleId),
      criticality,
    });
    const maxLevel = groups.reduce((best, group) => Math.max(best, levelRank[group.level]), 0);
    const threshold = this.#options.attentionThreshold(incident.unit);
    const levelOk = maxLevel >= levelRank[this.#options.minimumAttentionLevel];
    const needsAttention = priority >= threshold && levelOk;
    const heldBackReason = needsAttention
      ? undefined
      : !levelOk
        ? `only ${Object.keys(levelRank).find((level) => levelRank[level as keyof typeof levelRank] === maxLevel)}-level alerts`
        : `priority ${priority} below the unit's threshold ${threshold}`;
    const orderedTactics = [...tactics.values()].sort((a, b) => tacticIndex(a.id) - tacticIndex(b.id));
    const top = [...groups].sort((a, b) => levelRank[b.level] - levelRank[a.level] || b.count - a.count)[0]!;
    const users = [...entities.values()].filter((entity) => entity.kind === 'user').map((entity) => entity.value);
    const where = hosts.length ? ` on ${hosts[0]}${hosts.length > 1 ? ` +${hosts.length - 1} hosts` : ''}` : '';
    const who = users.length ? ` (${users[0]})` : '';
    const more = groups.length > 1 ? ` and ${groups.length - 1} more detection${groups.length > 2 ? 's' : ''}` : '';
    const previous = incident.snapshot;
    incident.snapshot = {
      id: incident.id,
      unit: incident.unit,
      title: `${top.ruleTitle}${more}${where}${who}`,
      status: previous?.status ?? 'new',
      priority,
      needsAttention,
      heldBackReason,
      groupIds: groups.map((group) => group.id),
      entities: [...entities.values()],
      tactics: orderedTactics,
      techniques: [...techniques.values()],
      alertCount,
      firstSeen,
      lastSeen,
      createdAt: incident.createdAt,
      updatedAt: incident.updatedAt,
      triage: previous?.triage,
      assignee: previous?.assignee,
      analystVerdict: previous?.analystVerdict,
    };
    incident.priorityParts = parts;
  }

  #groupSnapshot(group: MutableGroup): AlertGroup {
    return {
      id: group.id,
      unit: group.unit,
      ruleId: group.ruleId,
      ruleTitle: group.ruleTitle,
      ruleAuthor: group.ruleAuthor,
      level: group.level,
      kind: group.kind,
      key: group.key,
      count: group.count,
      firstSeen: group.firstSeen,
      lastSeen: group.lastSeen,
      alertIds: [...group.alertIds],
      eventIds: [...group.eventIds],
      entities: [...group.entities.values()],
      tactics: [...group.tactics.values()],
      techniques: [...group.techniques.values()],
      intelConfidence: group.intelConfidence,
    };
  }
}

function tacticIndex(id: string): number {
  const index = tacticOrder.indexOf(id);
  return index < 0 ? tacticOrder.length : index;
}

function rankCriticality(level: AssetCriticality | undefined): number {
  return level === undefined ? -1 : ['low', 'medium', 'high', 'critical'].indexOf(level);
}
