// Folds the alert stream into a short incident queue. Alerts of one rule on the same key
// entities within a window become one alert group (deduplication); alert groups sharing an
// entity (host, user, IP, process, file hash, domain) within the link window become one incident,
// merging incidents when a later alert links them. Entities seen on many hosts ("hubs": a DNS
// server, a shared admin account) never link, so busy but unrelated activity stays apart; what
// exists only on one host (a process, a local account, an OS binary) never links two hosts.
// The engine also learns what is routine (behaviour recurring on a host, habitual in the unit, one
// account's sweep, or everywhere) and re-scores earlier incidents when that changes.
import { tacticRank } from '../detect/attack/tactic-order.ts';
import { message, renderPhrase } from '../i18n/render.ts';
import type { Alert, AttackRef } from '../model/alert.ts';
import type { AlertGroup, Entity, Incident } from '../model/incident.ts';
import type { Message, Phrase } from '../model/message.ts';
import type { AssetCriticality } from '../model/unit.ts';
import { newEventId } from '../store/event-id.ts';
import { alertEntities, behaviourOf, entityKey, eventHost, hostBoundKeys } from './entities.ts';
import { computePriority, levelRank, type PriorityGroup, type PriorityPart, type RoutineReason } from './priority.ts';

/** Entities many unrelated things share (accounts, addresses, domains): they link only with care. */
const weakKinds = new Set<Entity['kind']>(['user', 'ip', 'domain']);

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
  /** A host on which more accounts than this act is a meeting place: accounts seen there do not link (default 5). */
  readonly maxUsersPerHost?: number;
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
  /** A behaviour seen on a host in this many distinct hours is routine there (default 4). */
  readonly routineHours?: number;
  /** …and routine everywhere once it is routine on this many hosts (default 2). */
  readonly routineHabitHosts?: number;
  /** A rule one account triggers on this many hosts is that account's routine (default 4). */
  readonly routineUserHosts?: number;
  /** A behaviour on at least this share of the hosts raising alerts (and 10 hosts) is routine (default 0.1). */
  readonly routineShare?: number;
  /**
   * Keys each learnt statistic keeps (behaviour per host, entity → hosts, …; default 200,000):
   * beyond, the least recently used are forgotten when closed groups are (a process or file seen
   * once must not stay in memory for ever).
   */
  readonly maxLearnedKeys?: number;
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
  /** The host the group's alerts happened on (not one derived from an address). */
  host?: string;
  /** Entity keys that exist only on the group's host (processes, local accounts): they never link two hosts. */
  hostBound: Set<string>;
  /** Host entity key → the address it was derived from (owner of an IP the alert names). */
  derivedHosts: Map<string, string>;
  /** The host statistics count the group under: its host, or the owner of an address it names. */
  anchor?: string;
  /** Behaviours (rule + program + parent program) of the group's alerts, bounded. */
  behaviours: Set<string>;
  /** The account the alerts ran as, when it can span hosts. */
  user?: string;
  /** Routine status as of a statistics epoch (it only changes when a statistic crosses a threshold). */
  routine?: { epoch: number; reason: RoutineReason | undefined };
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
  /** Other incidents whose priority or attention changed because the alert showed a behaviour to be routine. */
  readonly rescored: readonly Incident[];
}

/** A group as kept in the engine's saved state (maps and sets as arrays). */
interface SavedGroup
  extends Omit<
    MutableGroup,
    'entities' | 'tactics' | 'techniques' | 'hostBound' | 'derivedHosts' | 'behaviours' | 'routine'
  > {
  entities: Entity[];
  tactics: AttackRef[];
  techniques: AttackRef[];
  hostBound: string[];
  derivedHosts: [string, string][];
  behaviours: string[];
}

/**
 * What the engine knows, as JSON: the open groups and incidents (those still within the dedup and
 * link windows) and everything learnt about what is routine, so a restart neither splits ongoing
 * attacks into new incidents nor forgets the organisation's routine.
 */
export interface IncidentEngineState {
  readonly version: 1;
  readonly latest: number;
  readonly routineEpoch: number;
  readonly groups: readonly SavedGroup[];
  readonly incidents: readonly {
    id: string;
    unit: string;
    groupIds: string[];
    createdAt: number;
    updatedAt: number;
    snapshot: Incident;
    priorityParts: PriorityPart[];
  }[];
  readonly entityIncident: readonly [string, string][];
  readonly derivedIncident: readonly [string, { incidentId: string; ip: string }][];
  readonly learnedOwners: readonly [string, string | null][];
  readonly prevalent: readonly [string, boolean][];
  readonly allHosts: readonly string[];
  readonly sets: Readonly<Record<SetMapName, readonly [string, (string | number)[]][]>>;
}

type SetMapName =
  | 'entityHosts'
  | 'ruleHosts'
  | 'unitHosts'
  | 'behaviourHours'
  | 'behaviourHabitHosts'
  | 'behaviourHosts'
  | 'ruleUserHosts'
  | 'groupsByStatistic'
  | 'hostUsers';

function setEntries<T extends string | number>(map: Map<string, Set<T>>): [string, T[]][] {
  return [...map].map(([key, values]) => [key, [...values]]);
}

function fillSets<T extends string | number>(map: Map<string, Set<T>>, entries: readonly [string, T[]][] = []): void {
  map.clear();
  for (const [key, values] of entries) map.set(key, new Set(values));
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
  /** unit|ip → the host that reported it as its own address; null once two hosts did (NAT, DHCP, lab images). */
  readonly #learnedOwners = new Map<string, string | null>();
  /** unit|host → incident that named the host only through an address it owns (a weak link). */
  readonly #derivedIncident = new Map<string, { incidentId: string; ip: string }>();
  // What is routine is learnt across all units: an administrator's sweep or a software updater
  // looks the same in every department, and per-unit counts are too thin to learn from quickly.
  // The figures only weigh alerts down; no unit's data is shown to another.
  /** behaviour|host → distinct hours it was seen in (bounded by routineHours). */
  readonly #behaviourHours = new Map<string, Set<number>>();
  /** behaviour → hosts where it is routine. */
  readonly #behaviourHabitHosts = new Map<string, Set<string>>();
  /** behaviour → hosts it was seen on. */
  readonly #behaviourHosts = new Map<string, Set<string>>();
  /** rule|user → hosts. */
  readonly #ruleUserHosts = new Map<string, Set<string>>();
  /** behaviour and rule|user → groups, to re-score their incidents when the behaviour turns routine. */
  readonly #groupsByStatistic = new Map<string, Set<string>>();
  /** behaviour → whether it was prevalent when last looked at. */
  readonly #prevalent = new Map<string, boolean>();
  /** Hosts of all units that raised alerts (unit|host). */
  readonly #allHosts = new Set<string>();
  /** unit|host → accounts seen acting on it (bounded): a host where many act is a meeting place, not a link. */
  readonly #hostUsers = new Map<string, Set<string>>();
  readonly #dirty = new Set<string>();
  /** Bumped whenever a routine statistic crosses a threshold, invalidating cached routine status. */
  #routineEpoch = 0;
  /** The latest event time seen: the engine's clock for forgetting closed groups and incidents. */
  #latest = 0;

  constructor(options: IncidentEngineOptions = {}) {
    this.#options = {
      dedupWindowMs: options.dedupWindowMs ?? 24 * 3_600_000,
      linkWindowMs: options.linkWindowMs ?? 24 * 3_600_000,
      maxHostsPerLinkEntity: options.maxHostsPerLinkEntity ?? 3,
      maxHostsPerWeakEntity: options.maxHostsPerWeakEntity ?? 2,
      weakLinkWindowMs: options.weakLinkWindowMs ?? 2 * 3_600_000,
      maxHostsPerIncident: options.maxHostsPerIncident ?? 5,
      maxUsersPerHost: options.maxUsersPerHost ?? 5,
      attentionThreshold: options.attentionThreshold ?? (() => 40),
      minimumAttentionLevel: options.minimumAttentionLevel ?? 'medium',
      maxSamples: options.maxSamples ?? 20,
      routineHours: options.routineHours ?? 4,
      routineHabitHosts: options.routineHabitHosts ?? 2,
      routineUserHosts: options.routineUserHosts ?? 4,
      routineShare: options.routineShare ?? 0.1,
      maxLearnedKeys: options.maxLearnedKeys ?? 200_000,
      assetCriticality: options.assetCriticality,
      activeHosts: options.activeHosts,
      ipOwner: options.ipOwner,
    };
  }

  /** Everything the engine knows, as JSON (see IncidentEngineState). */
  saveState(): IncidentEngineState {
    const sets: Record<SetMapName, Map<string, Set<string | number>>> = this.#setMaps();
    return {
      version: 1,
      latest: this.#latest,
      routineEpoch: this.#routineEpoch,
      groups: [...this.#groups.values()].map((group) => {
        const {
          entities,
          tactics,
          techniques,
          hostBound,
          derivedHosts,
          behaviours,
          routine: _routine,
          ...rest
        } = group;
        return {
          ...rest,
          alertIds: [...group.alertIds],
          eventIds: [...group.eventIds],
          entities: [...entities.values()],
          tactics: [...tactics.values()],
          techniques: [...techniques.values()],
          hostBound: [...hostBound],
          derivedHosts: [...derivedHosts],
          behaviours: [...behaviours],
        };
      }),
      incidents: [...this.#incidents.values()]
        .filter((incident) => incident.snapshot)
        .map((incident) => ({
          id: incident.id,
          unit: incident.unit,
          groupIds: [...incident.groupIds],
          createdAt: incident.createdAt,
          updatedAt: incident.updatedAt,
          snapshot: incident.snapshot!,
          priorityParts: [...incident.priorityParts],
        })),
      entityIncident: [...this.#entityIncident],
      derivedIncident: [...this.#derivedIncident],
      learnedOwners: [...this.#learnedOwners],
      prevalent: [...this.#prevalent],
      allHosts: [...this.#allHosts],
      sets: Object.fromEntries(
        Object.entries(sets).map(([name, map]) => [name, setEntries(map)]),
      ) as unknown as IncidentEngineState['sets'],
    };
  }

  /** Replace what the engine knows with a saved state (an unknown version is ignored: it starts empty). */
  restoreState(state: IncidentEngineState): boolean {
    if (state?.version !== 1) return false;
    this.#groups.clear();
    this.#groupsByKey.clear();
    this.#incidents.clear();
    this.#dirty.clear();
    for (const saved of state.groups) {
      const group: MutableGroup = {
        ...saved,
        alertIds: [...saved.alertIds],
        eventIds: [...saved.eventIds],
        entities: new Map(saved.entities.map((entity) => [entityKey(entity), entity])),
        tactics: new Map(saved.tactics.map((tactic) => [tactic.id, tactic])),
        techniques: new Map(saved.techniques.map((technique) => [technique.id, technique])),
        hostBound: new Set(saved.hostBound),
        derivedHosts: new Map(saved.derivedHosts),
        behaviours: new Set(saved.behaviours),
      };
      this.#groups.set(group.id, group);
      const known = this.#groupsByKey.get(group.key);
      if (!known || known.lastSeen <= group.lastSeen) this.#groupsByKey.set(group.key, group);
    }
    for (const saved of state.incidents)
      this.#incidents.set(saved.id, {
        ...saved,
        groupIds: new Set(saved.groupIds),
        priorityParts: saved.priorityParts,
      });
    const replace = <K, V>(map: Map<K, V>, entries: readonly [K, V][]) => {
      map.clear();
      for (const [key, value] of entries) map.set(key, value);
    };
    replace(this.#entityIncident, state.entityIncident);
    replace(this.#derivedIncident, state.derivedIncident);
    replace(this.#learnedOwners, state.learnedOwners);
    replace(this.#prevalent, state.prevalent);
    this.#allHosts.clear();
    for (const host of state.allHosts) this.#allHosts.add(host);
    const sets = this.#setMaps();
    for (const name of Object.keys(sets) as SetMapName[]) fillSets(sets[name], state.sets[name]);
    this.#latest = state.latest;
    // Cached routine status of the restored groups is recomputed on first use.
    this.#routineEpoch = state.routineEpoch + 1;
    return true;
  }

  /**
   * Forget groups and incidents that can no longer grow: last seen (event time) before `horizon`,
   * by default twice the longer of the dedup and link windows before the latest event seen. They
   * stay in the SOC store; only the engine's memory of them goes. Learnt routine is kept.
   * Returns how many incidents were forgotten.
   */
  forgetClosed(horizon = this.#latest - 2 * Math.max(this.#options.dedupWindowMs, this.#options.linkWindowMs)): number {
    this.#trimLearnt();
    const forgotten = new Set<string>();
    for (const [id, incident] of this.#incidents) {
      if ((incident.snapshot?.lastSeen ?? Number.POSITIVE_INFINITY) >= horizon) continue;
      this.#incidents.delete(id);
      this.#dirty.delete(id);
      forgotten.add(id);
    }
    for (const [id, group] of this.#groups) {
      const open = group.incidentId !== undefined && !forgotten.has(group.incidentId);
      if (open || group.lastSeen >= horizon) continue;
      this.#groups.delete(id);
      if (this.#groupsByKey.get(group.key) === group) this.#groupsByKey.delete(group.key);
    }
    if (forgotten.size === 0) return 0;
    for (const [key, incidentId] of this.#entityIncident)
      if (forgotten.has(incidentId)) this.#entityIncident.delete(key);
    for (const [key, link] of this.#derivedIncident)
      if (forgotten.has(link.incidentId)) this.#derivedIncident.delete(key);
    for (const [key, groupIds] of this.#groupsByStatistic) {
      for (const groupId of groupIds) if (!this.#groups.has(groupId)) groupIds.delete(groupId);
      if (groupIds.size === 0) this.#groupsByStatistic.delete(key);
    }
    return forgotten.size;
  }

  /** How many groups and incidents the engine holds in memory, and the keys of its largest learnt statistic. */
  get size(): { groups: number; incidents: number; learnedKeys: number } {
    // groupsByStatistic follows the groups held, not what was learnt.
    const { groupsByStatistic: _groups, ...learnt } = this.#setMaps();
    const maps = [...Object.values(learnt), this.#learnedOwners, this.#prevalent];
    return {
      groups: this.#groups.size,
      incidents: this.#incidents.size,
      learnedKeys: Math.max(...maps.map((map) => map.size)),
    };
  }

  /** Drop the least recently used keys of each learnt statistic beyond maxLearnedKeys. */
  #trimLearnt(): void {
    const max = this.#options.maxLearnedKeys;
    const { groupsByStatistic: _groups, ...learnt } = this.#setMaps();
    for (const map of [...Object.values(learnt), this.#learnedOwners, this.#prevalent] as Map<string, unknown>[]) {
      if (map.size <= max) continue;
      let excess = map.size - max;
      for (const key of map.keys()) {
        if (excess-- <= 0) break;
        map.delete(key);
      }
    }
  }

  #setMaps(): Record<SetMapName, Map<string, Set<string | number>>> {
    return {
      entityHosts: this.#entityHosts,
      ruleHosts: this.#ruleHosts,
      unitHosts: this.#unitHosts,
      behaviourHours: this.#behaviourHours as Map<string, Set<string | number>>,
      behaviourHabitHosts: this.#behaviourHabitHosts,
      behaviourHosts: this.#behaviourHosts,
      ruleUserHosts: this.#ruleUserHosts,
      groupsByStatistic: this.#groupsByStatistic,
      hostUsers: this.#hostUsers,
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
    // A rule is common here when every group of it is routine, or it fires on many of the unit's hosts.
    const significant = groups.filter((group) => !this.#routine(group));
    const notRoutine = new Set(significant.map((group) => group.ruleId));
    const common = [...rules].filter(
      (ruleId) => !notRoutine.has(ruleId) || this.#prevalence(incident.unit, ruleId) > 0.05,
    ).length;
    return {
      // The level that counts is that of behaviour which is not routine (routine alone reads as low).
      maxLevel: Math.max(
        0,
        ...significant.map((group) => levelRank[group.level]),
        ...groups.map((group) => Math.min(levelRank[group.level], levelRank.low)),
      ),
      distinctRules: rules.size,
      intelConfidence: Math.max(0, ...groups.map((group) => group.intelConfidence ?? 0)),
      correlated: groups.some((group) => group.kind === 'sigma-correlation'),
      commonRuleShare: rules.size ? common / rules.size : 0,
    };
  }

  /** Why an alert group's behaviour counts as routine (weighted down), or undefined when it does not. */
  routineReason(groupId: string): RoutineReason | undefined {
    const group = this.#groups.get(groupId);
    return group ? this.#routine(group) : undefined;
  }

  /** The priority breakdown of an incident (for explanations). */
  priorityParts(id: string): readonly PriorityPart[] {
    return this.#incidents.get(id)?.priorityParts ?? [];
  }

  addAlert(alert: Alert): AlertOutcome {
    const time = eventTime(alert);
    // An event stamped in the future (a skewed clock, a misparsed year) must not move the clock
    // that decides what is closed: it is only believed up to an hour ahead of this machine's.
    if (time > this.#latest) this.#latest = Math.min(time, Date.now() + 3_600_000);
    const unit = alert.unit;
    const derived = new Map<string, string>();
    const entities = this.#entitiesOf(alert, derived);
    const host = entities.find((entity) => entity.kind === 'host' && !derived.has(entityKey(entity)))?.value;

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
        host,
        hostBound: new Set(),
        derivedHosts: new Map(),
        behaviours: new Set(),
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
    if (alert.event) for (const key of hostBoundKeys(alert.event)) group.hostBound.add(key);
    for (const [key, ip] of derived) if (!group.host || key !== `host:${group.host}`) group.derivedHosts.set(key, ip);
    const behaviour = `${alert.rule.id}|${alert.event ? behaviourOf(alert.event) : ''}`;
    if (group.behaviours.size < 8) group.behaviours.add(behaviour);
    group.routine = undefined;
    group.user ??= entities.find((entity) => entity.kind === 'user' && !group.hostBound.has(entityKey(entity)))?.value;
    for (const tactic of alert.attack?.tactics ?? []) group.tactics.set(tactic.id, tactic);
    for (const technique of alert.attack?.techniques ?? []) group.techniques.set(technique.id, technique);
    if (alert.intel?.confidence !== undefined)
      group.intelConfidence = Math.max(group.intelConfidence ?? 0, alert.intel.confidence);

    // 2. Prevalence and hub statistics, on the host the alert happened on or, for network alerts
    // without one, on the hosts owning its addresses (so a server everyone talks to becomes a hub).
    const statHosts = host ? [host] : [...derived.keys()].map((key) => key.slice('host:'.length));
    group.anchor ??= statHosts[0];
    for (const statHost of statHosts) {
      for (const entity of entities)
        if (entity.kind === 'user' && !group.hostBound.has(entityKey(entity)))
          this.#addTo(this.#hostUsers, `${unit}|${statHost}`, entity.value, this.#options.maxUsersPerHost + 1);
      this.#addTo(this.#unitHosts, unit, statHost);
      this.#addTo(this.#ruleHosts, `${unit}|${alert.rule.id}`, statHost);
      for (const entity of entities)
        if (entity.kind !== 'host') this.#addTo(this.#entityHosts, `${unit}|${entityKey(entity)}`, statHost, 64);
    }
    if (group.anchor) this.#learnRoutine(group, behaviour, time);

    // 3. Link to incidents through shared, non-hub entities. Strong entities (host, process, file)
    // link within the link window; weak ones (user, address, domain) only when rare and close in
    // time, and never to grow an incident beyond a handful of hosts.
    // Strong links always join; weak ones join one by one while the hosts of everything joined stay few.
    const candidates = new Set<string>();
    const weakCandidates = new Set<string>();
    if (group.incidentId) candidates.add(group.incidentId);
    const groupHosts = new Set(
      [...group.entities.values()].filter((entity) => entity.kind === 'host').map((entity) => entity.value),
    );
    const consider = (incidentId: string | undefined, weak: boolean) => {
      const incident = incidentId ? this.#incidents.get(incidentId) : undefined;
      if (!incident?.snapshot) return;
      const { firstSeen, lastSeen } = incident.snapshot;
      if (time - lastSeen > this.#options.linkWindowMs || firstSeen - time > this.#options.linkWindowMs) return;
      if (weak) {
        if (time - lastSeen > this.#options.weakLinkWindowMs || firstSeen - time > this.#options.weakLinkWindowMs)
          return;
        const incidentHosts = incident.snapshot.entities
          .filter((known) => known.kind === 'host')
          .map((known) => known.value);
        if (new Set([...incidentHosts, ...groupHosts]).size > this.#options.maxHostsPerIncident) return;
        weakCandidates.add(incident.id);
        return;
      }
      candidates.add(incident.id);
    };
    for (const entity of group.entities.values()) {
      const key = entityKey(entity);
      const derivedIp = group.derivedHosts.get(key);
      if (derivedIp !== undefined) {
        // A host named only through an address it owns links as weakly as the address does.
        if (this.#linkable(unit, { kind: 'ip', value: derivedIp }))
          consider(this.#entityIncident.get(`${unit}|${key}`), true);
        continue;
      }
      if (entity.kind === 'host') {
        const derivedLink = this.#derivedIncident.get(`${unit}|${entity.value}`);
        if (derivedLink && this.#linkable(unit, { kind: 'ip', value: derivedLink.ip }))
          consider(derivedLink.incidentId, true);
      }
      const linkKey = this.#linkKey(group, entity);
      if (!linkKey || !this.#linkable(unit, entity)) continue;
      consider(this.#entityIncident.get(linkKey), weakKinds.has(entity.kind));
    }
    let target: MutableIncident;
    let incidentCreated = false;
    const merged: string[] = [];
    const joinedHosts = new Set(groupHosts);
    const hostsOf = (id: string) =>
      (this.#incidents.get(id)?.snapshot?.entities ?? [])
        .filter((known) => known.kind === 'host')
        .map((known) => known.value);
    for (const id of candidates) for (const host of hostsOf(id)) joinedHosts.add(host);
    const weakOrdered = [...weakCandidates]
      .filter((id) => !candidates.has(id))
      .sort((a, b) => this.#incidents.get(a)!.createdAt - this.#incidents.get(b)!.createdAt);
    for (const id of weakOrdered) {
      const union = new Set([...joinedHosts, ...hostsOf(id)]);
      if (union.size > this.#options.maxHostsPerIncident) continue;
      candidates.add(id);
      for (const host of union) joinedHosts.add(host);
    }
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
    const movedGroups = merged.length ? [...target.groupIds] : [];
    target.groupIds.add(group.id);
    group.incidentId = target.id;
    target.updatedAt = alert.createdAt;
    this.#refresh(target);
    this.#dirty.delete(target.id);
    // Register what links to the incident: this group's entities, and after a merge those of the
    // groups that moved (linkability only ever narrows, so older registrations stay valid).
    for (const groupId of [group.id, ...movedGroups]) {
      const member = this.#groups.get(groupId)!;
      for (const entity of member.entities.values()) {
        const derivedIp = member.derivedHosts.get(entityKey(entity));
        if (derivedIp !== undefined) {
          if (this.#linkable(unit, { kind: 'ip', value: derivedIp }))
            this.#derivedIncident.set(`${unit}|${entity.value}`, { incidentId: target.id, ip: derivedIp });
          continue;
        }
        const linkKey = this.#linkKey(member, entity);
        if (linkKey && this.#linkable(unit, entity)) this.#entityIncident.set(linkKey, target.id);
      }
    }
    return {
      group: this.#groupSnapshot(group),
      incident: target.snapshot!,
      groupCreated,
      incidentCreated,
      mergedIncidentIds: merged,
      rescored: this.#rescoreDirty(),
    };
  }

  /** Learn from one alert what is routine; incidents whose groups just turned routine are marked for re-scoring. */
  #learnRoutine(group: MutableGroup, behaviour: string, time: number): void {
    const host = `${group.unit}|${group.anchor!}`;
    this.#allHosts.add(host);
    const behaviourKey = behaviour;
    this.#addTo(this.#groupsByStatistic, behaviourKey, group.id);
    const hoursKey = `${behaviourKey}|${host}`;
    const hours = this.#behaviourHours.get(hoursKey) ?? new Set<number>();
    this.#behaviourHours.delete(hoursKey);
    this.#behaviourHours.set(hoursKey, hours);
    const hour = Math.floor(time / 3_600_000);
    if (hours.size < this.#options.routineHours && !hours.has(hour)) {
      hours.add(hour);
      if (hours.size === this.#options.routineHours) {
        const habit = this.#behaviourHabitHosts.get(behaviourKey) ?? new Set<string>();
        this.#behaviourHabitHosts.set(behaviourKey, habit);
        habit.add(host);
        this.#routineEpoch++;
        // Routine on this host (this group's incident is refreshed anyway); at the habit threshold, everywhere.
        if (habit.size === this.#options.routineHabitHosts) this.#markDirty(behaviourKey);
      }
    }
    const seenOn = this.#behaviourHosts.get(behaviourKey) ?? new Set<string>();
    this.#behaviourHosts.delete(behaviourKey);
    this.#behaviourHosts.set(behaviourKey, seenOn);
    if (seenOn.size < 100_000) seenOn.add(host);
    const prevalent = this.#isPrevalent(behaviourKey);
    if (prevalent !== (this.#prevalent.get(behaviourKey) ?? false)) {
      this.#prevalent.set(behaviourKey, prevalent);
      this.#markDirty(behaviourKey);
    }
    if (group.user) {
      const userKey = `${group.ruleId}|${group.user}`;
      this.#addTo(this.#groupsByStatistic, userKey, group.id);
      const hosts = this.#ruleUserHosts.get(userKey) ?? new Set<string>();
      this.#ruleUserHosts.delete(userKey);
      this.#ruleUserHosts.set(userKey, hosts);
      if (hosts.size < this.#options.routineUserHosts && !hosts.has(host)) {
        hosts.add(host);
        if (hosts.size === this.#options.routineUserHosts) this.#markDirty(userKey);
      }
    }
  }

  /** Share of all alerting hosts that showed the group's least common behaviour (0 until 10 hosts did). */
  #behaviourPrevalence(group: MutableGroup): number {
    let least = Number.POSITIVE_INFINITY;
    for (const behaviour of group.behaviours) least = Math.min(least, this.#behaviourHosts.get(behaviour)?.size ?? 0);
    if (!Number.isFinite(least) || least < 10) return 0;
    return least / Math.max(this.#allHosts.size, 1);
  }

  #isPrevalent(behaviourKey: string): boolean {
    const hosts = this.#behaviourHosts.get(behaviourKey)?.size ?? 0;
    return hosts >= 10 && hosts >= this.#options.routineShare * this.#allHosts.size;
  }

  #markDirty(statisticKey: string): void {
    this.#routineEpoch++;
    for (const groupId of this.#groupsByStatistic.get(statisticKey) ?? []) {
      const incidentId = this.#groups.get(groupId)?.incidentId;
      if (incidentId) this.#dirty.add(incidentId);
    }
  }

  /** Re-score the incidents marked dirty; those whose priority or attention changed are returned. */
  #rescoreDirty(): Incident[] {
    if (this.#dirty.size === 0) return [];
    const changed: Incident[] = [];
    for (const id of this.#dirty) {
      const incident = this.#incidents.get(id);
      if (!incident?.snapshot) continue;
      const before = incident.snapshot;
      this.#refresh(incident);
      const after = incident.snapshot!;
      if (after.priority !== before.priority || after.needsAttention !== before.needsAttention) changed.push(after);
    }
    this.#dirty.clear();
    return changed;
  }

  /** Why a group's behaviour is routine, or undefined when it is not. */
  #routine(group: MutableGroup): RoutineReason | undefined {
    if (group.routine?.epoch !== this.#routineEpoch)
      group.routine = { epoch: this.#routineEpoch, reason: this.#computeRoutine(group) };
    return group.routine.reason;
  }

  #computeRoutine(group: MutableGroup): RoutineReason | undefined {
    if (!group.anchor) return undefined;
    const host = `${group.unit}|${group.anchor}`;
    let reason: RoutineReason | undefined;
    for (const behaviour of group.behaviours) {
      const key = behaviour;
      const found: RoutineReason | undefined =
        (this.#behaviourHours.get(`${key}|${host}`)?.size ?? 0) >= this.#options.routineHours
          ? 'recurs-on-host'
          : (this.#behaviourHabitHosts.get(key)?.size ?? 0) >= this.#options.routineHabitHosts
            ? 'habitual'
            : this.#prevalent.get(key)
              ? 'prevalent'
              : undefined;
      if (!found) {
        reason = undefined;
        break;
      }
      reason ??= found;
    }
    if (reason) return reason;
    if (group.user) {
      const hosts = this.#ruleUserHosts.get(`${group.ruleId}|${group.user}`)?.size ?? 0;
      if (hosts >= this.#options.routineUserHosts) return 'user-sweep';
    }
    return undefined;
  }

  /** Recompute every incident's priority (prevalence changes as more hosts report). */
  refreshAll(): void {
    for (const incident of this.#incidents.values()) this.#refresh(incident);
  }

  #entitiesOf(alert: Alert, derived: Map<string, string>): Entity[] {
    const entities = alertEntities(alert);
    const unit = alert.unit;
    const host = alert.event ? eventHost(alert.event) : undefined;
    if (host && alert.event) {
      const hostIps = (alert.event.host as { ip?: unknown } | undefined)?.ip;
      for (const ip of Array.isArray(hostIps) ? hostIps : [hostIps]) {
        if (typeof ip !== 'string') continue;
        const key = `${unit}|${ip.toLowerCase()}`;
        const known = this.#learnedOwners.get(key);
        if (known === undefined) this.#learnedOwners.set(key, host);
        else if (known !== null && known !== host) this.#learnedOwners.set(key, null);
      }
    }
    // A network alert on an address some host owns is about that host too.
    for (const entity of [...entities]) {
      if (entity.kind !== 'ip') continue;
      const owner =
        this.#options.ipOwner?.(unit, entity.value) ?? this.#learnedOwners.get(`${unit}|${entity.value}`) ?? undefined;
      if (owner && !entities.some((known) => known.kind === 'host' && known.value === owner)) {
        entities.push({ kind: 'host', value: owner });
        derived.set(`host:${owner}`, entity.value);
      }
    }
    return entities;
  }

  /** The key an entity links under: processes and host-bound accounts only within their own host. */
  #linkKey(group: MutableGroup, entity: Entity): string | undefined {
    const key = entityKey(entity);
    if (entity.kind === 'process' || group.hostBound.has(key))
      return group.host ? `${group.unit}|${key}@${group.host}` : undefined;
    return `${group.unit}|${key}`;
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
    if (set) map.delete(key);
    else set = new Set();
    // Re-inserted on every use, so the map's order is least recently used first (see forgetClosed).
    map.set(key, set);
    if (set.size < cap) set.add(value);
  }

  #linkable(unit: string, entity: Entity): boolean {
    if (entity.kind === 'host') return true;
    const hosts = this.#entityHosts.get(`${unit}|${entityKey(entity)}`);
    const limit = weakKinds.has(entity.kind)
      ? this.#options.maxHostsPerWeakEntity
      : this.#options.maxHostsPerLinkEntity;
    if (hosts && hosts.size > limit) return false;
    // An account seen on a server where many accounts act (a domain controller, a terminal server)
    // links nothing: every user of the domain meets there.
    if (entity.kind === 'user' && hosts)
      for (const host of hosts)
        if ((this.#hostUsers.get(`${unit}|${host}`)?.size ?? 0) > this.#options.maxUsersPerHost) return false;
    return true;
  }

  #prevalence(unit: string, ruleId: string): number {
    const hosts = this.#ruleHosts.get(`${unit}|${ruleId}`)?.size ?? 0;
    const total = Math.max(this.#options.activeHosts?.(unit) ?? 0, this.#unitHosts.get(unit)?.size ?? 0, 1);
    // With few hosts known, prevalence says little: require at least 10 hosts before weighting down.
    return hosts < 10 ? 0 : hosts / total;
  }

  #refresh(incident: MutableIncident): void {
    const groups = [...incident.groupIds].map((id) => this.#groups.get(id)!);
    const entities = new Map<string, Entity>();
    const tactics = new Map<string, AttackRef>();
    const techniques = new Map<string, AttackRef>();
    let alertCount = 0;
    let firstSeen = Number.POSITIVE_INFINITY;
    let lastSeen = 0;
    const views: (PriorityGroup & { readonly group: MutableGroup })[] = [];
    for (const group of groups) {
      for (const [key, entity] of group.entities) entities.set(key, entity);
      for (const tactic of group.tactics.values()) tactics.set(tactic.id, tactic);
      for (const technique of group.techniques.values()) techniques.set(technique.id, technique);
      alertCount += group.count;
      firstSeen = Math.min(firstSeen, group.firstSeen);
      lastSeen = Math.max(lastSeen, group.lastSeen);
      views.push({
        id: group.id,
        ruleId: group.ruleId,
        level: group.level,
        count: group.count,
        kind: group.kind,
        intelConfidence: group.intelConfidence,
        tactics: [...group.tactics.values()],
        group,
      });
    }
    const hosts = [...entities.values()].filter((entity) => entity.kind === 'host').map((entity) => entity.value);
    const criticality = hosts
      .map((host) => this.#options.assetCriticality?.(incident.unit, host))
      .reduce<AssetCriticality | undefined>(
        (best, level) => (rankCriticality(level) > rankCriticality(best) ? level : best),
        undefined,
      );
    const routine = new Map<string, RoutineReason | undefined>();
    for (const view of views) routine.set(view.id, this.#routine(view.group));
    const { priority, parts } = computePriority(views, {
      prevalence: (view) => this.#behaviourPrevalence(this.#groups.get(view.id)!),
      routine: (view) => routine.get(view.id),
      criticality,
    });
    const maxLevel = groups.reduce((best, group) => Math.max(best, levelRank[group.level]), 0);
    const minimum = levelRank[this.#options.minimumAttentionLevel];
    // Only behaviour that is not routine, at the minimum level or above, can make an incident need attention.
    const significant = views.some((view) => !routine.get(view.id) && levelRank[view.level] >= minimum);
    const threshold = this.#options.attentionThreshold(incident.unit);
    const levelOk = maxLevel >= minimum;
    const needsAttention = priority >= threshold && significant;
    const routineReason = [...routine.values()].find((reason) => reason !== undefined);
    const maxLevelName = Object.keys(levelRank).find(
      (level) => levelRank[level as keyof typeof levelRank] === maxLevel,
    ) as keyof typeof levelRank;
    const heldBackPhrase: Phrase | undefined = needsAttention
      ? undefined
      : !levelOk
        ? [message('heldBack.level', { level: maxLevelName })]
        : !significant && routineReason
          ? [message('heldBack.routine', { routine: routineReason })]
          : [message('heldBack.threshold', { priority, threshold })];
    const heldBackReason = heldBackPhrase && renderPhrase(heldBackPhrase);
    const orderedTactics = [...tactics.values()].sort((a, b) => tacticRank(a.id) - tacticRank(b.id));
    const top = [...groups].sort((a, b) => levelRank[b.level] - levelRank[a.level] || b.count - a.count)[0]!;
    const users = [...entities.values()].filter((entity) => entity.kind === 'user').map((entity) => entity.value);
    const titlePhrase: (Message | string)[] = [top.ruleTitle];
    if (groups.length === 2) titlePhrase.push(message('title.moreOne'));
    else if (groups.length > 2) titlePhrase.push(message('title.more', { count: groups.length - 1 }));
    if (hosts.length) {
      titlePhrase.push(message('title.onHost', { host: hosts[0]! }));
      if (hosts.length > 1) titlePhrase.push(message('title.moreHosts', { count: hosts.length - 1 }));
    }
    if (users.length) titlePhrase.push(message('title.user', { user: users[0]! }));
    const previous = incident.snapshot;
    incident.snapshot = {
      id: incident.id,
      unit: incident.unit,
      title: renderPhrase(titlePhrase),
      titlePhrase,
      status: previous?.status ?? 'new',
      priority,
      needsAttention,
      heldBackReason,
      heldBackPhrase,
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
      priorityParts: parts,
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

function rankCriticality(level: AssetCriticality | undefined): number {
  return level === undefined ? -1 : ['low', 'medium', 'high', 'critical'].indexOf(level);
}
