// Incidents for analysts and the console: the queue (filters, sort, paging), one incident with
// its alert groups, alerts and events, analysts' changes (status, assignee, verdict — audited,
// and a verdict teaches the unit's triage model), and investigations by the digital analyst.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Analyst } from '../../../analyst/analyst.ts';
import { type InvestigationJobs, QueueFullError } from '../../../analyst/investigation-jobs.ts';
import type { IncidentEngine } from '../../../correlate/incident-engine.ts';
import type { IncidentDetailResponse, IncidentListQuery, IncidentUpdate } from '../../../model/console-api.ts';
import type { SocStore } from '../../../store/soc-store.ts';
import { type FastTriage, triageFeatures } from '../../../triage/fast-triage.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

export interface IncidentRouteDependencies {
  readonly soc: SocStore;
  readonly analyst: Analyst;
  readonly triage: FastTriage;
  readonly incidents?: IncidentEngine;
  /** Investigation jobs (queue, SSE progress); without them investigations run in the request. */
  readonly jobs?: InvestigationJobs;
}

const Status = Type.Union(
  ['new', 'in_progress', 'escalated', 'resolved', 'closed'].map((value) => Type.Literal(value)),
);
const VerdictSchema = Type.Union(['malicious', 'suspicious', 'benign'].map((value) => Type.Literal(value)));
const AnyObject = Type.Object({}, { additionalProperties: true });

export function incidentRoutes(dependencies: IncidentRouteDependencies) {
  const { soc, analyst, triage } = dependencies;
  const investigateNow = async (id: string, scope: ReturnType<typeof callerScope>, actor: string) => {
    try {
      const report = await analyst.investigate(scope, id);
      await soc.putInvestigation(report);
      await soc.appendAudit({
        at: Date.now(),
        actor,
        action: 'investigation-completed',
        target: id,
        unit: report.unit,
        details: { verdict: report.verdict, generator: report.generator.kind, model: report.generator.model },
      });
      return report;
    } catch (error) {
      if ((error as { code?: string }).code === 'VIGIL_ERR_NOT_FOUND')
        throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', (error as Error).message);
      throw error;
    }
  };
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    app.addHook('onRequest', requireKey(context, readRoles));

    app.get<{ Querystring: Record<string, string | undefined> }>(
      '/api/v1/incidents',
      {
        schema: {
          tags: ['incidents'],
          summary: 'The incident queue',
          querystring: Type.Object({
            status: Type.Optional(Type.Union([Status, Type.Literal('open')])),
            needsAttention: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
            verdict: Type.Optional(VerdictSchema),
            unit: Type.Optional(Type.String()),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            sort: Type.Optional(
              Type.Union([Type.Literal('priority'), Type.Literal('lastSeen'), Type.Literal('createdAt')]),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: {
            200: Type.Object({
              incidents: Type.Array(AnyObject),
              total: Type.Integer(),
              nextCursor: Type.Optional(Type.String()),
            }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const query = request.query;
        const list: IncidentListQuery = {
          status: query.status as IncidentListQuery['status'],
          needsAttention: query.needsAttention === undefined ? undefined : query.needsAttention === 'true',
          verdict: query.verdict as IncidentListQuery['verdict'],
          unit: query.unit,
          q: query.q,
          sort: query.sort as IncidentListQuery['sort'],
          limit: query.limit === undefined ? undefined : Number(query.limit),
          cursor: query.cursor,
        };
        return soc.listIncidents(callerScope(request), list);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/incidents/:id',
      {
        schema: {
          tags: ['incidents'],
          summary: 'One incident with its alert groups, alerts and events',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: AnyObject, ...errorResponses(401, 403, 404) },
        },
      },
      async (request): Promise<IncidentDetailResponse> => {
        const scope = callerScope(request);
        const incident = await soc.getIncident(scope, request.params.id);
        if (!incident) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No incident ${request.params.id}`);
        const groups = await soc.getGroups(scope, incident.groupIds);
        const alerts = await soc.getAlerts(
          scope,
          groups.flatMap((group) => group.alertIds),
        );
        const events = await context.store.getEvents(
          scope,
          [...new Set(groups.flatMap((group) => group.eventIds))].slice(0, 200),
        );
        // The engine's live breakdown; for an incident it no longer holds, the one stored with it.
        const live = dependencies.incidents?.priorityParts(incident.id) ?? [];
        return {
          incident,
          groups,
          alerts,
          events,
          priorityParts: live.length ? live : (incident.priorityParts ?? []),
        };
      },
    );

    app.patch<{ Params: { id: string }; Body: IncidentUpdate }>(
      '/api/v1/incidents/:id',
      {
        schema: {
          tags: ['incidents'],
          summary:
            "Change status, assignee or the analyst's verdict (audited; a verdict trains the unit's triage model)",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object({
            status: Type.Optional(Status),
            assignee: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })])),
            analystVerdict: Type.Optional(VerdictSchema),
            comment: Type.Optional(Type.String({ maxLength: 5000 })),
          }),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const scope = callerScope(request);
        const before = await soc.getIncident(scope, request.params.id);
        if (!before) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No incident ${request.params.id}`);
        const now = Date.now();
        const updated = await soc.updateIncident(scope, request.params.id, request.body, now);
        await soc.appendAudit({
          at: now,
          actor: callerKey(request).name,
          action: 'incident-updated',
          target: before.id,
          unit: before.unit,
          details: { ...request.body },
        });
        if (request.body.analystVerdict && before.triage) {
          const facts = dependencies.incidents?.triageFacts(before.id);
          if (facts)
            triage.learn(before.unit, triageFeatures({ incident: before, ...facts }), request.body.analystVerdict);
          await soc.putState('triage-weights', triage.export());
        }
        return updated;
      },
    );

    app.post<{ Params: { id: string }; Querystring: { wait?: 'true' | 'false' } }>(
      '/api/v1/incidents/:id/investigations',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'Start an investigation (202 with a job; progress at /api/v1/investigations/{job}/events). ?wait=true waits and answers 200 with the stored report',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object({ wait: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }),
          response: {
            200: Type.Object({ report: AnyObject, job: Type.Optional(AnyObject) }),
            202: Type.Object({ job: AnyObject, events: Type.String(), status: Type.String() }),
            ...errorResponses(401, 403, 404, 500, 503),
          },
        },
      },
      async (request, reply) => {
        const scope = callerScope(request);
        const incident = await soc.getIncident(scope, request.params.id);
        if (!incident) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No incident ${request.params.id}`);
        const jobs = dependencies.jobs;
        if (!jobs) return { report: await investigateNow(request.params.id, scope, callerKey(request).name) };
        let job: ReturnType<InvestigationJobs['submit']>;
        try {
          job = jobs.submit({
            incidentId: incident.id,
            unit: incident.unit,
            trigger: 'manual',
            requestedBy: callerKey(request).name,
          });
        } catch (error) {
          if (error instanceof QueueFullError)
            throw new VigilHttpError(
              'VIGIL_ERR_OVERLOADED',
              error.message,
              { retryAfterSeconds: error.retryAfterSeconds },
              { 'retry-after': String(error.retryAfterSeconds) },
            );
          throw error;
        }
        if (request.query.wait === 'true') {
          const { report } = await jobs.wait(job.id);
          if (!report)
            throw new VigilHttpError('VIGIL_ERR_INTERNAL', `The investigation failed: ${job.error?.message ?? ''}`, {
              job: job.id,
              cause: job.error?.code,
            });
          return { report, job };
        }
        return reply
          .code(202)
          .header('location', `/api/v1/investigations/${job.id}`)
          .send({ job, status: `/api/v1/investigations/${job.id}`, events: `/api/v1/investigations/${job.id}/events` });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/incidents/:id/investigations/latest',
      {
        schema: {
          tags: ['incidents'],
          summary: 'The latest investigation report of an incident',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Object({ report: Type.Optional(AnyObject) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const report = await soc.latestInvestigation(callerScope(request), request.params.id);
        return report ? { report } : {};
      },
    );
  };
}
