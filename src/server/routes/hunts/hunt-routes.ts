// Retro-hunts: run Sigma rules (uploaded YAML, or loaded rules by id) over the stored events of
// a time range in the caller's units, as a background job with progress. Results are alerts
// tagged with the job id (GET /api/v1/alerts?hunt=ID); they do not open incidents.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AttackCatalog } from '../../../detect/attack/attack-catalog.ts';
import { type HuntJobs, sigmaHuntEvaluator } from '../../../detect/hunt-jobs.ts';
import { correlationKey, type RuleCatalog } from '../../../detect/rule-catalog.ts';
import { correlationRulesOf } from '../../../detect/rule-set.ts';
import { parseSigmaText } from '../../../detect/sigma/load-sigma-rules.ts';
import { SigmaEngine } from '../../../detect/sigma/sigma-engine.ts';
import type { HuntJob, HuntRequest } from '../../../model/console-api.ts';
import type { UnitScope } from '../../../model/unit.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { assertUnitAllowed, callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';
import { parseTime } from '../alerts/alert-routes.ts';

export interface HuntRouteDependencies {
  readonly hunts: HuntJobs;
  readonly catalog: RuleCatalog;
  readonly attack: () => AttackCatalog | undefined;
}

const AnyObject = Type.Object({}, { additionalProperties: true });
const Time = Type.Union([Type.String({ maxLength: 40 }), Type.Integer({ minimum: 0 })]);

export function huntRoutes(dependencies: HuntRouteDependencies) {
  const { hunts, catalog } = dependencies;
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    app.addHook('onRequest', requireKey(context, readRoles));

    app.post<{ Body: HuntRequest }>(
      '/api/v1/hunts',
      {
        schema: {
          tags: ['hunts'],
          summary: 'Start a retro-hunt over stored events (rule YAML or loaded rule ids, time range)',
          body: Type.Object(
            {
              yaml: Type.Optional(Type.String({ minLength: 1, maxLength: 2_000_000 })),
              ruleIds: Type.Optional(Type.Array(Type.String({ maxLength: 1000 }), { minItems: 1, maxItems: 5000 })),
              from: Time,
              to: Type.Optional(Time),
              units: Type.Optional(
                Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 500 }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 202: AnyObject, ...errorResponses(400, 401, 403) },
        },
      },
      async (request, reply): Promise<HuntJob> => {
        const { yaml, ruleIds } = request.body;
        if ((yaml === undefined) === (ruleIds === undefined))
          throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'Send exactly one of "yaml" and "ruleIds"');
        const from = parseTime(request.body.from, 'from');
        if (from === undefined) throw new VigilHttpError('VIGIL_ERR_VALIDATION', '"from" is required');
        const to = parseTime(request.body.to, 'to') ?? Date.now();
        if (from >= to) throw new VigilHttpError('VIGIL_ERR_VALIDATION', '"from" must be before "to"');
        const attack = dependencies.attack();
        let hunt: ReturnType<typeof sigmaHuntEvaluator>;
        let rules: number;
        let rejected: HuntJob['rejected'];
        if (yaml !== undefined) {
          const parsed = parseSigmaText(yaml, 'hunt.yml');
          const engine = SigmaEngine.build(parsed.rules);
          const rejections = [...parsed.rejections, ...engine.rejections];
          // Correlation rules in the YAML run over the matches of its detection rules.
          const correlations = correlationRulesOf(parsed.rules, rejections);
          rejected = rejections;
          if (engine.rules.length === 0)
            throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'No detection rule in the YAML could be compiled', {
              rejected,
            });
          hunt = sigmaHuntEvaluator(engine, attack, { correlations });
          rules = engine.rules.length + correlations.length;
        } else {
          const set = catalog.ruleSet;
          const unknown = (ruleIds ?? []).filter((id) => catalog.rule(id) === undefined);
          if (!set || unknown.length > 0)
            throw new VigilHttpError('VIGIL_ERR_VALIDATION', 'Unknown rule ids', { unknown });
          const chosen = new Set(ruleIds);
          // The live engine (filters included), keeping only the chosen rules' matches; chosen
          // correlation rules run on a fresh engine over the matches of the rules they refer to.
          const correlations = set.correlations.filter((rule) => chosen.has(correlationKey(rule)));
          hunt = sigmaHuntEvaluator(set.sigma, attack, { ruleIds: chosen, correlations });
          rules = chosen.size;
        }
        for (const unit of request.body.units ?? []) assertUnitAllowed(request, unit);
        const scope: UnitScope = request.body.units
          ? { kind: 'units', units: [...new Set(request.body.units)] }
          : callerScope(request);
        const job = hunts.start({
          kind: 'sigma',
          scope,
          from,
          to,
          rules,
          createdBy: callerKey(request).name,
          rejected,
          ...hunt,
        });
        reply.code(202);
        return job;
      },
    );

    app.get(
      '/api/v1/hunts',
      {
        schema: {
          tags: ['hunts'],
          summary: 'Recent hunt and retro-match jobs of the caller’s units, newest first',
          response: { 200: Type.Object({ hunts: Type.Array(AnyObject) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => ({ hunts: hunts.list(callerScope(request)) }),
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/hunts/:id',
      {
        schema: {
          tags: ['hunts'],
          summary: 'A hunt job with its progress',
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
          response: { 200: AnyObject, ...errorResponses(401, 403, 404) },
        },
      },
      async (request): Promise<HuntJob> => {
        const job = hunts.get(callerScope(request), request.params.id);
        if (!job) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No hunt ${request.params.id}`);
        return job;
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/hunts/:id',
      {
        schema: {
          tags: ['hunts'],
          summary: 'Cancel a queued or running hunt (alerts already raised stay)',
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
          response: { 200: AnyObject, ...errorResponses(401, 403, 404) },
        },
      },
      async (request): Promise<HuntJob> => {
        const job = hunts.cancel(callerScope(request), request.params.id);
        if (!job) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No hunt ${request.params.id}`);
        return job;
      },
    );
  };
}
