// The SOC manager's numbers and the wall display: the funnel (events → alerts → groups →
// incidents → needing attention → escalated), MTTD/MTTR, SLA, ATT&CK heatmap, per-unit risk, and
// the posture map's attack sources — all computed from stored facts, within the caller's scope.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { OverviewResponse, PostureResponse } from '../../../model/console-api.ts';
import type { UnitScope } from '../../../model/unit.ts';
import type { SocStore } from '../../../store/soc-store.ts';
import type { Store } from '../../../store/store.ts';
import { errorResponses } from '../../errors.ts';
import { callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

const day = 86_400_000;
const AnyObject = Type.Object({}, { additionalProperties: true });

/** Exact event count of a period (the sum of histogram buckets; search totals are capped). */
async function countEvents(store: Store, scope: UnitScope, from: number, to: number): Promise<number> {
  const interval = Math.max(60_000, Math.ceil((to - from) / 200));
  const buckets = await store.histogram(scope, { query: '', from, to }, interval);
  return buckets.reduce((sum, bucket) => sum + bucket.count, 0);
}

/** Unit risk 0–100 from its open incidents needing attention: the worst one, raised by how many there are. */
function unitRisk(priorities: readonly number[]): number {
  if (priorities.length === 0) return 0;
  return Math.min(100, Math.round(Math.max(...priorities) + 4 * (priorities.length - 1)));
}

export function overviewRoutes(dependencies: { soc: SocStore }) {
  const { soc } = dependencies;
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    app.addHook('onRequest', requireKey(context, readRoles));

    const perUnit = async (scope: UnitScope) => {
      const units = await context.store.listUnits();
      const open = await soc.listIncidents(scope, { status: 'open', limit: 500 });
      const rows = new Map<
        string,
        { open: number; needingAttention: number; critical: number; priorities: number[] }
      >();
      for (const incident of open.incidents) {
        const row = rows.get(incident.unit) ?? { open: 0, needingAttention: 0, critical: 0, priorities: [] };
        row.open++;
        if (incident.needsAttention) {
          row.needingAttention++;
          row.priorities.push(incident.priority);
        }
        if (incident.priority >= 80) row.critical++;
        rows.set(incident.unit, row);
      }
      const names = new Map(units.map((unit) => [unit.id, unit]));
      const ids = new Set([
        ...rows.keys(),
        ...units.filter((unit) => scope.kind === 'all' || scope.units.includes(unit.id)).map((unit) => unit.id),
      ]);
      return [...ids].map((id) => {
        const row = rows.get(id) ?? { open: 0, needingAttention: 0, critical: 0, priorities: [] };
        return { id, unit: names.get(id), ...row, risk: unitRisk(row.priorities) };
      });
    };

    app.get<{ Querystring: { from?: string; to?: string } }>(
      '/api/v1/overview',
      {
        schema: {
          tags: ['overview'],
          summary: 'Funnel, KPIs, ATT&CK heatmap, top entities and per-unit risk for a period (default: 7 days)',
          querystring: Type.Object({ from: Type.Optional(Type.String()), to: Type.Optional(Type.String()) }),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403) },
        },
      },
      async (request): Promise<OverviewResponse> => {
        const scope = callerScope(request);
        const now = Date.now();
        const to = request.query.to ? Number(request.query.to) || Date.parse(request.query.to) : now;
        const from = request.query.from ? Number(request.query.from) || Date.parse(request.query.from) : to - 7 * day;
        const [events, alerts, alertGroups, stats, attack, alertsOverTime, units, open] = await Promise.all([
          countEvents(context.store, scope, from, to),
          soc.countAlerts(scope, from, to),
          soc.countGroups(scope, from, to),
          soc.incidentStats(scope, from, to, now),
          soc.attackCounts(scope, from, to),
          soc.alertsOverTime(scope, from, to, Math.max(60_000, Math.ceil((to - from) / 96 / 60_000) * 60_000)),
          perUnit(scope),
          soc.listIncidents(scope, { status: 'open', needsAttention: true, limit: 500 }),
        ]);
        const entityCounts = new Map<string, { kind: string; value: string; incidents: number }>();
        for (const incident of open.incidents) {
          for (const entity of incident.entities) {
            const key = `${entity.kind}:${entity.value}`;
            const row = entityCounts.get(key) ?? { kind: entity.kind, value: entity.value, incidents: 0 };
            row.incidents++;
            entityCounts.set(key, row);
          }
        }
        return {
          from,
          to,
          funnel: {
            events,
            alerts,
            alertGroups,
            incidents: stats.incidents,
            needingAttention: stats.needingAttention,
            escalated: stats.escalated,
            reduction: alerts === 0 ? 0 : 1 - stats.needingAttention / alerts,
          },
          kpis: {
            mttdMinutes: stats.mttdMinutes,
            mttrMinutes: stats.mttrMinutes,
            openByPriority: stats.openByPriority,
            slaBreaches: stats.slaBreaches,
          },
          attack,
          topEntities: [...entityCounts.values()].sort((a, b) => b.incidents - a.incidents).slice(0, 10),
          alertsOverTime,
          perUnit: units.map((row) => ({
            unit: row.id,
            name: row.unit?.name ?? row.id,
            open: row.open,
            needingAttention: row.needingAttention,
            risk: row.risk,
          })),
        };
      },
    );

    app.get(
      '/api/v1/posture',
      {
        schema: {
          tags: ['overview'],
          summary: 'The wall display: unit status, attack sources, live counters',
          response: { 200: AnyObject, ...errorResponses(401, 403) },
        },
      },
      async (request): Promise<PostureResponse> => {
        const scope = callerScope(request);
        const now = Date.now();
        const since = now - day;
        const [units, recent, eventsToday, alertsToday, open] = await Promise.all([
          perUnit(scope),
          soc.recentAlerts(scope, since, 5000),
          countEvents(context.store, scope, since, now),
          soc.countAlerts(scope, since, now),
          soc.listIncidents(scope, { status: 'open', limit: 1 }),
        ]);
        const attacks = new Map<string, PostureResponse['attacks'][number] & { count: number }>();
        for (const alert of recent) {
          const source = alert.event?.source as
            | { ip?: string; geo?: { location?: { lat?: number; lon?: number }; country_iso_code?: string } }
            | undefined;
          const location = source?.geo?.location;
          if (!source?.ip || typeof location?.lat !== 'number' || typeof location.lon !== 'number') continue;
          const key = `${source.ip}|${alert.unit}`;
          const row = attacks.get(key) ?? {
            source: source.ip,
            country: source.geo?.country_iso_code,
            lat: location.lat,
            lon: location.lon,
            unit: alert.unit,
            count: 0,
          };
          row.count++;
          attacks.set(key, row);
        }
        return {
          generatedAt: now,
          units: units.map((row) => ({
            id: row.id,
            name: row.unit?.name ?? row.id,
            location: row.unit?.location,
            open: row.open,
            needingAttention: row.needingAttention,
            critical: row.critical,
            risk: row.risk,
          })),
          attacks: [...attacks.values()].sort((a, b) => b.count - a.count).slice(0, 200),
          counters: {
            eventsToday,
            alertsToday,
            incidentsOpen: open.total,
            needingAttention: units.reduce((sum, row) => sum + row.needingAttention, 0),
          },
        };
      },
    );
  };
}
