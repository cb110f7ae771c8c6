// Rule management: the loaded rules with their health (alerts, share judged benign), one rule
// with its YAML, switching a rule on or off for a unit or everywhere (live, no restart), the
// validation report of the last load, and importing rule files (administrators of all units).
import { readFile, stat } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type CatalogRule, everyUnit, type RuleCatalog } from '../../../detect/rule-catalog.ts';
import { importRuleFiles, importRuleText } from '../../../detect/rule-import.ts';
import type { AlertLevel } from '../../../model/alert.ts';
import type {
  RuleDetailResponse,
  RuleImportRequest,
  RuleImportResponse,
  RuleListResponse,
  RuleOverride,
  RuleSummary,
  RuleUpdate,
  RuleValidationResponse,
} from '../../../model/console-api.ts';
import type { UnitScope } from '../../../model/unit.ts';
import type { SocStore } from '../../../store/soc-store.ts';
import { allUnits } from '../../auth.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { adminRoles, assertUnitAllowed, callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

export interface RuleRouteDependencies {
  readonly soc: SocStore;
  readonly catalog: RuleCatalog;
  /** Where imported rule files are written (DATA/rules); the catalog loads it. */
  readonly importDir: string;
}

const Level = Type.Union(['informational', 'low', 'medium', 'high', 'critical'].map((value) => Type.Literal(value)));
const AnyObject = Type.Object({}, { additionalProperties: true });
const levelRank: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
const day = 86_400_000;

type Stats = Map<string, { total: number; recent: number; judged: number; benign: number }>;

/** The unit whose switch decides for this caller: its own unit, or '*' for all-units callers. */
function callerUnit(request: FastifyRequest): string {
  const key = callerKey(request);
  return key.unit === allUnits ? everyUnit : key.unit;
}

/** The view asked for: `?unit=` (one of the caller's units) narrows switches and counts to it. */
function viewOf(request: FastifyRequest, unit: string | undefined): { unit: string; scope: UnitScope } {
  if (unit === undefined || unit === everyUnit) return { unit: callerUnit(request), scope: callerScope(request) };
  assertUnitAllowed(request, unit);
  return { unit, scope: { kind: 'units', units: [unit] } };
}

function overridesByRule(overrides: readonly RuleOverride[]): Map<string, RuleOverride[]> {
  const byRule = new Map<string, RuleOverride[]>();
  for (const override of overrides) {
    const list = byRule.get(override.ruleId) ?? [];
    list.push(override);
    byRule.set(override.ruleId, list);
  }
  return byRule;
}

function summarise(rule: CatalogRule, unit: string, overrides: readonly RuleOverride[], stats: Stats): RuleSummary {
  const global = overrides.find((override) => override.unit === everyUnit);
  const own = unit === everyUnit ? undefined : overrides.find((override) => override.unit === unit);
  const counts = stats.get(rule.id);
  return {
    id: rule.id,
    ...(rule.name ? { name: rule.name } : {}),
    kind: rule.kind,
    title: rule.title,
    level: rule.level,
    ...(rule.status ? { status: rule.status } : {}),
    ...(rule.author ? { author: rule.author } : {}),
    ...(rule.description ? { description: rule.description } : {}),
    references: rule.references,
    tags: rule.tags,
    attack: rule.attack,
    ...(rule.logsource ? { logsource: rule.logsource } : {}),
    path: rule.path,
    line: rule.line,
    enabled: own?.enabled ?? global?.enabled ?? true,
    enabledGlobally: global?.enabled ?? true,
    overrides,
    alerts: {
      total: counts?.total ?? 0,
      last24h: counts?.recent ?? 0,
      judged: counts?.judged ?? 0,
      falsePositiveShare: counts && counts.judged > 0 ? counts.benign / counts.judged : null,
    },
  };
}

/** A tag filter: `attack.t1059.001`, or an ATT&CK id (`T1059` also matches its sub-techniques). */
export function matchesTag(rule: CatalogRule, tag: string): boolean {
  const wanted = tag.toLowerCase();
  if (rule.tags.some((candidate) => candidate.toLowerCase() === wanted)) return true;
  const id = wanted.startsWith('attack.') ? wanted.slice(7) : wanted;
  // Resolved ids, and the tags themselves (no ATT&CK catalogue loaded: tags are all there is).
  const refs = [
    ...[...rule.attack.techniques, ...rule.attack.tactics].map((ref) => ref.id.toLowerCase()),
    ...rule.tags
      .filter((candidate) => candidate.startsWith('attack.'))
      .map((candidate) => candidate.slice(7).toLowerCase()),
  ];
  return refs.some((ref) => ref === id || ref.startsWith(`${id}.`));
}

async function loadContext(soc: SocStore, scope: UnitScope, now: number) {
  const [overrides, stats] = await Promise.all([soc.listRuleOverrides(scope), soc.ruleAlertStats(scope, now - day)]);
  return {
    overrides: overridesByRule(overrides),
    stats: new Map(stats.map((row) => [row.ruleId, row])) as Stats,
  };
}

export function ruleRoutes(dependencies: RuleRouteDependencies) {
  const { soc, catalog, importDir } = dependencies;
  const validation = (): RuleValidationResponse => ({
    loaded: catalog.ruleSet?.sigma.rules.length ?? 0,
    correlations: catalog.ruleSet?.correlations.length ?? 0,
    files: catalog.ruleSet?.files ?? 0,
    rejected: catalog.rejections,
    warnings: catalog.warnings,
    loadedAt: catalog.loadedAt,
  });

  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    const readers = requireKey(context, readRoles);
    const admins = requireKey(context, adminRoles);

    app.get<{ Querystring: Record<string, string | undefined> }>(
      '/api/v1/rules',
      {
        onRequest: readers,
        schema: {
          tags: ['rules'],
          summary: 'Loaded rules with their switches and alert counts (search, filter, page)',
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 200, description: 'In id, title, description, author' })),
            level: Type.Optional(Level),
            status: Type.Optional(Type.String({ maxLength: 40 })),
            tag: Type.Optional(Type.String({ maxLength: 100, description: 'attack.t1059.001, T1059 or TA0002' })),
            enabled: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
            kind: Type.Optional(Type.Union([Type.Literal('detection'), Type.Literal('correlation')])),
            unit: Type.Optional(
              Type.String({
                maxLength: 128,
                description: "See switches and counts as this unit (one of the caller's)",
              }),
            ),
            sort: Type.Optional(Type.Union([Type.Literal('title'), Type.Literal('alerts'), Type.Literal('level')])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: {
            200: Type.Object({
              rules: Type.Array(AnyObject),
              total: Type.Integer(),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request): Promise<RuleListResponse> => {
        const query = request.query;
        const view = viewOf(request, query.unit);
        const unit = view.unit;
        const { overrides, stats } = await loadContext(soc, view.scope, Date.now());
        const text = query.q?.toLowerCase();
        const summaries = catalog.rules
          .filter((rule) => {
            if (query.level && rule.level !== (query.level as AlertLevel)) return false;
            if (query.status && rule.status !== query.status) return false;
            if (query.kind && rule.kind !== query.kind) return false;
            if (query.tag && !matchesTag(rule, query.tag)) return false;
            if (text) {
              const haystack =
                `${rule.id}\n${rule.title}\n${rule.description ?? ''}\n${rule.author ?? ''}`.toLowerCase();
              if (!haystack.includes(text)) return false;
            }
            return true;
          })
          .map((rule) => summarise(rule, unit, overrides.get(rule.id) ?? [], stats))
          .filter((summary) => query.enabled === undefined || summary.enabled === (query.enabled === 'true'));
        if (query.sort === 'alerts')
          summaries.sort((a, b) => b.alerts.total - a.alerts.total || a.id.localeCompare(b.id));
        else if (query.sort === 'level')
          summaries.sort(
            (a, b) => (levelRank[b.level] ?? 0) - (levelRank[a.level] ?? 0) || a.title.localeCompare(b.title),
          );
        else if (query.sort === 'title') summaries.sort((a, b) => a.title.localeCompare(b.title));
        const limit = query.limit === undefined ? 50 : Number(query.limit);
        const offset = query.cursor ? Number.parseInt(Buffer.from(query.cursor, 'base64url').toString('utf8'), 10) : 0;
        if (!Number.isInteger(offset) || offset < 0) throw new VigilHttpError('VIGIL_ERR_INVALID_CURSOR');
        const page = summaries.slice(offset, offset + limit);
        const next = offset + page.length;
        return {
          rules: page,
          total: summaries.length,
          ...(next < summaries.length ? { nextCursor: Buffer.from(String(next)).toString('base64url') } : {}),
        };
      },
    );

    app.get(
      '/api/v1/rules/validation',
      {
        onRequest: readers,
        schema: {
          tags: ['rules'],
          summary:
            'The last load: rules loaded, and every file or document refused with path:line and reason, and the rules loaded but held back (warnings)',
          response: { 200: AnyObject, ...errorResponses(401, 403) },
        },
      },
      async (): Promise<RuleValidationResponse> => validation(),
    );

    app.get<{ Params: { id: string }; Querystring: { unit?: string } }>(
      '/api/v1/rules/:id',
      {
        onRequest: readers,
        schema: {
          tags: ['rules'],
          summary: 'One rule with its YAML source',
          params: Type.Object({ id: Type.String({ maxLength: 1000 }) }),
          querystring: Type.Object({ unit: Type.Optional(Type.String({ maxLength: 128 })) }),
          response: { 200: AnyObject, ...errorResponses(401, 403, 404) },
        },
      },
      async (request): Promise<RuleDetailResponse> => {
        const rule = catalog.rule(request.params.id);
        if (!rule) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No rule ${request.params.id}`);
        const view = viewOf(request, request.query.unit);
        const { overrides, stats } = await loadContext(soc, view.scope, Date.now());
        const source = await readFile(rule.path, 'utf8').catch(() => '');
        return { rule: summarise(rule, view.unit, overrides.get(rule.id) ?? [], stats), source };
      },
    );

    app.patch<{ Params: { id: string }; Body: RuleUpdate }>(
      '/api/v1/rules/:id',
      {
        onRequest: admins,
        schema: {
          tags: ['rules'],
          summary:
            "Switch a rule (detection or correlation) on or off for one unit or everywhere ('*'); 'inherit' removes the switch. Takes effect on the next batch.",
          params: Type.Object({ id: Type.String({ maxLength: 1000 }) }),
          body: Type.Object(
            {
              // Not null: Fastify's type coercion would turn null into false.
              enabled: Type.Union([Type.Boolean(), Type.Literal('inherit')]),
              unit: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request): Promise<RuleSummary> => {
        const rule = catalog.rule(request.params.id);
        if (!rule) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No rule ${request.params.id}`);
        const scope = callerScope(request);
        const unit = request.body.unit ?? callerUnit(request);
        if (unit === everyUnit) {
          if (scope.kind !== 'all')
            throw new VigilHttpError(
              'VIGIL_ERR_UNIT_FORBIDDEN',
              'Only an administrator of all units may switch a rule everywhere',
              {
                unit,
              },
            );
        } else assertUnitAllowed(request, unit);
        const now = Date.now();
        const actor = callerKey(request).name;
        const enabled = request.body.enabled === 'inherit' ? null : request.body.enabled;
        await soc.setRuleOverride({ ruleId: rule.id, unit, enabled, updatedAt: now, actor });
        catalog.applyOverride(
          rule.id,
          unit,
          enabled === null ? undefined : { ruleId: rule.id, unit, enabled, updatedAt: now, actor },
        );
        await soc.appendAudit({
          at: now,
          actor,
          action: enabled === null ? 'rule-override-removed' : enabled ? 'rule-enabled' : 'rule-disabled',
          target: rule.id,
          ...(unit === everyUnit ? {} : { unit }),
          details: { unit, title: rule.title },
        });
        const { overrides, stats } = await loadContext(soc, scope, now);
        return summarise(rule, unit === everyUnit ? callerUnit(request) : unit, overrides.get(rule.id) ?? [], stats);
      },
    );

    app.post<{ Body: RuleImportRequest }>(
      '/api/v1/rules/import',
      {
        onRequest: admins,
        schema: {
          tags: ['rules'],
          summary:
            'Import Sigma rules (YAML text, or a file or folder on the server); valid files are added to the live set, refused ones listed',
          body: Type.Object(
            {
              yaml: Type.Optional(Type.String({ minLength: 1, maxLength: 5_000_000 })),
              path: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403) },
        },
      },
      async (request): Promise<RuleImportResponse> => {
        if (callerScope(request).kind !== 'all')
          throw new VigilHttpError(
            'VIGIL_ERR_FORBIDDEN',
            'Rules apply to every unit: only an administrator of all units may import them',
          );
        const { yaml, path, name } = request.body;
        if ((yaml === undefined) === (path === undefined))
          throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'Send exactly one of "yaml" and "path"');
        const loaded = new Map(catalog.rules.map((rule) => [rule.id, rule.path]));
        let result: Awaited<ReturnType<typeof importRuleFiles>>;
        if (yaml !== undefined) {
          const id = /^\s*id:\s*['"]?([\w-]+)/m.exec(yaml)?.[1];
          result = await importRuleText(yaml, name ?? id ?? `rule-${Date.now()}`, importDir, { loaded });
        } else {
          const exists = await stat(path as string).then(
            () => true,
            () => false,
          );
          if (!exists) throw new VigilHttpError('VIGIL_ERR_VALIDATION', `No file or folder ${path} on the server`);
          result = await importRuleFiles([path as string], importDir, { loaded });
        }
        if (result.files === 0) {
          throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'No rule could be imported', {
            rejected: result.rejected,
          });
        }
        await catalog.reload();
        await soc.appendAudit({
          at: Date.now(),
          actor: callerKey(request).name,
          action: 'rules-imported',
          target: path ?? name ?? 'yaml',
          details: { imported: result.imported, files: result.files, rejected: result.rejected.length },
        });
        return {
          imported: result.imported,
          files: result.files,
          rejected: result.rejected,
          loaded: catalog.ruleSet?.sigma.rules.length ?? 0,
        };
      },
    );
  };
}
