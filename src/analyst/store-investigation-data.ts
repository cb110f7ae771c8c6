// The analyst's read-only view over the real stores: events from the Store, alerts, groups and
// incidents from the SOC store, intel from the indicator index, techniques from ATT&CK.
import type { AttackCatalog } from '../detect/attack/attack-catalog.ts';
import { classifyValue } from '../detect/intel/indicator.ts';
import type { IndicatorIndex } from '../detect/intel/indicator-index.ts';
import { parseSigmaText } from '../detect/sigma/load-sigma-rules.ts';
import { SigmaEngine } from '../detect/sigma/sigma-engine.ts';
import type { UnitScope } from '../model/unit.ts';
import type { SocStore } from '../store/soc-store.ts';
import type { Store } from '../store/store.ts';
import { hostQuery } from './analyst-tools.ts';
import type { IncidentBundle, InvestigationData } from './investigation-data.ts';

/** Events a retro-hunt reads at most: a model's rule cannot turn into an unbounded scan. */
const retroHuntMaxEvents = 50_000;

export function storeInvestigationData(options: {
  store: Store;
  soc: SocStore;
  intel?: IndicatorIndex;
  /** The catalogue, or a getter for one that loads in the background (it may not be ready yet). */
  attack?: AttackCatalog | (() => AttackCatalog | undefined);
}): InvestigationData {
  const { store, soc } = options;
  const attack = () => (typeof options.attack === 'function' ? options.attack() : options.attack);
  return {
    async incident(scope: UnitScope, id: string): Promise<IncidentBundle | undefined> {
      const incident = await soc.getIncident(scope, id);
      if (!incident) return undefined;
      const groups = await soc.getGroups(scope, incident.groupIds);
      const alerts = await soc.getAlerts(
        scope,
        groups.flatMap((group) => group.alertIds),
      );
      return { incident, groups, alerts };
    },
    searchEvents: (scope, search) => store.searchEvents(scope, search),
    getEvents: (scope, ids) => store.getEvents(scope, ids),
    getAlerts: (scope, ids) => soc.getAlerts(scope, ids),
    async similarIncidents(scope, incident, limit) {
      const groups = await soc.getGroups(scope, incident.groupIds);
      return soc.incidentsWithRules(
        scope,
        groups.map((group) => group.ruleId),
        incident.id,
        limit,
      );
    },
    async assets(scope, match) {
      const assets = await store.listAssets(scope);
      return assets.filter(
        (asset) =>
          (match.host && asset.hostname?.toLowerCase().split('.')[0] === match.host.toLowerCase().split('.')[0]) ||
          (match.ip && asset.ip?.includes(match.ip)),
      );
    },
    async unit(id) {
      return (await store.listUnits()).find((unit) => unit.id === id);
    },
    async intel(value) {
      const index = options.intel;
      const classified = classifyValue(value);
      if (!index || !classified || classified.type === 'cidr') return [];
      return index.match(classified.type, classified.value).map((indicator) => ({
        indicator: indicator.value,
        type: indicator.type,
        source: indicator.source,
        confidence: indicator.confidence,
        threatName: indicator.threatName,
      }));
    },
    async retroHunt(scope, ruleYaml, hosts, from, to) {
      const parsed = parseSigmaText(ruleYaml, 'analyst-rule.yml');
      const engine = SigmaEngine.build(parsed.rules);
      const problem = [...parsed.rejections, ...engine.rejections][0];
      if (engine.rules.length === 0)
        return {
          matches: 0,
          eventIds: [],
          error: `the rule was not accepted: ${problem?.reason ?? 'no detection rule in it'}`,
        };
      const query = hosts.length ? hosts.map((host) => hostQuery(host)).join(' OR ') : '';
      const eventIds: string[] = [];
      let matches = 0;
      let scanned = 0;
      let cursor: string | undefined;
      do {
        const page = await store.searchEvents(scope, {
          query,
          from,
          to,
          limit: 1000,
          order: 'asc',
          ...(cursor ? { cursor } : {}),
        });
        for (const stored of page.events) {
          if (engine.match(stored.event, () => {}) > 0) {
            matches++;
            if (eventIds.length < 50) eventIds.push(stored.id);
          }
        }
        scanned += page.events.length;
        cursor = page.nextCursor;
      } while (cursor && scanned < retroHuntMaxEvents);
      return {
        matches,
        eventIds,
        ...(cursor ? { error: `stopped after ${scanned} events; narrow the hours` } : {}),
      };
    },
    technique(id) {
      const technique = attack()?.technique(id);
      return technique ? { id: technique.id, name: technique.name, tactics: technique.tactics } : undefined;
    },
  };
}
