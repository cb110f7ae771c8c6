// MITRE ATT&CK for the console: the Enterprise matrix (tactics in order, techniques with their
// sub-techniques, names from the imported bundle) and alerts per technique for the heatmap,
// counted from stored alerts in the caller's units.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AttackCatalog } from '../../../detect/attack/attack-catalog.ts';
import type { AttackRef } from '../../../model/alert.ts';
import type { AttackHeatmapResponse, AttackTechniquesResponse } from '../../../model/console-api.ts';
import type { SocStore } from '../../../store/soc-store.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';
import { parseTime } from '../alerts/alert-routes.ts';

export interface AttackRouteDependencies {
  readonly soc: SocStore;
  /** The catalogue, once loaded (undefined without an ATT&CK bundle). */
  readonly attack: () => AttackCatalog | undefined;
}

const AnyObject = Type.Object({}, { additionalProperties: true });
const day = 86_400_000;

export function techniquesOf(catalog: AttackCatalog | undefined): AttackTechniquesResponse {
  if (!catalog) return { tactics: [], techniques: [] };
  const children = new Map<string, { id: string; name: string }[]>();
  for (const technique of catalog.techniques) {
    if (!technique.parent) continue;
    const list = children.get(technique.parent) ?? [];
    list.push({ id: technique.id, name: technique.name });
    children.set(technique.parent, list);
  }
  return {
    ...(catalog.data.version ? { version: catalog.data.version } : {}),
    tactics: [...catalog.tactics]
      .sort((a, b) => a.order - b.order)
      .map((tactic) => ({ id: tactic.id, shortname: tactic.shortname, name: tactic.name })),
    techniques: catalog.techniques
      .filter((technique) => !technique.parent)
      .map((technique) => ({
        id: technique.id,
        name: technique.name,
        tactics: technique.tactics,
        subtechniques: (children.get(technique.id) ?? []).sort((a, b) => a.id.localeCompare(b.id)),
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export function attackRoutes(dependencies: AttackRouteDependencies) {
  const { soc } = dependencies;
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    app.addHook('onRequest', requireKey(context, readRoles));

    app.get(
      '/api/v1/attack/techniques',
      {
        schema: {
          tags: ['attack'],
          summary: 'ATT&CK Enterprise tactics, techniques and sub-techniques with names (empty without a bundle)',
          response: { 200: AnyObject, ...errorResponses(401, 403) },
        },
      },
      async (): Promise<AttackTechniquesResponse> => techniquesOf(dependencies.attack()),
    );

    app.get<{ Querystring: { from?: string; to?: string } }>(
      '/api/v1/attack/heatmap',
      {
        schema: {
          tags: ['attack'],
          summary: 'Alerts per technique and tactic in a period (default the last 30 days)',
          querystring: Type.Object({
            from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 or epoch ms' })),
            to: Type.Optional(Type.String({ maxLength: 40 })),
          }),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403) },
        },
      },
      async (request): Promise<AttackHeatmapResponse> => {
        const to = parseTime(request.query.to, 'to') ?? Date.now();
        const from = parseTime(request.query.from, 'from') ?? to - 30 * day;
        if (from >= to) throw new VigilHttpError('VIGIL_ERR_VALIDATION', '"from" must be before "to"');
        const cells = await soc.attackCounts(callerScope(request), from, to);
        const catalog = dependencies.attack();
        const named = (ref: AttackRef): AttackRef =>
          ref.name || !catalog
            ? ref
            : { id: ref.id, name: catalog.technique(ref.id)?.name ?? catalog.tactic(ref.id)?.name };
        const perTechnique = new Map<string, { technique: AttackRef; count: number }>();
        for (const cell of cells) {
          const entry = perTechnique.get(cell.technique.id) ?? { technique: named(cell.technique), count: 0 };
          entry.count += cell.count;
          perTechnique.set(cell.technique.id, entry);
        }
        return {
          from,
          to,
          cells: cells.map((cell) => ({
            tactic: named(cell.tactic),
            technique: named(cell.technique),
            count: cell.count,
          })),
          techniques: [...perTechnique.values()].sort((a, b) => b.count - a.count),
        };
      },
    );
  };
}
