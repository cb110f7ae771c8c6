// The digital analyst's routes beside the incident ones: investigation jobs (status and live
// progress over Server-Sent Events), the chat of an incident (kept per incident, every answer
// citing checked ids), "ask" (a question → a validated query, returned for confirmation and
// never run here), and the analyst's own status. Every route acts in the caller's unit scope.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Analyst, ChatAnswer, ChatTurn, StoredChatTurn } from '../../../analyst/analyst.ts';
import type { InvestigationJobs, JobEvent } from '../../../analyst/investigation-jobs.ts';
import type { SocStore } from '../../../store/soc-store.ts';
import { errorResponses, VigilHttpError } from '../../errors.ts';
import { callerKey, callerScope, readRoles, requireKey } from '../../request-auth.ts';
import type { RouteOptions } from '../../route-context.ts';

export interface AnalystRouteDependencies {
  readonly soc: SocStore;
  readonly analyst: Analyst;
  readonly jobs: InvestigationJobs;
  /** Model name shown in the status (LLM analyst only); read per request, as an admin may change it. */
  readonly model?: () => string | undefined;
}

const AnyObject = Type.Object({}, { additionalProperties: true });
const maxStoredTurns = 60;
const heartbeatMs = 15_000;

const chatKey = (incidentId: string) => `analyst-chat:${incidentId}`;

export function analystRoutes(dependencies: AnalystRouteDependencies) {
  const { soc, analyst, jobs } = dependencies;
  return async function plugin(app: FastifyInstance, { context }: RouteOptions): Promise<void> {
    app.addHook('onRequest', requireKey(context, readRoles));

    app.get(
      '/api/v1/analyst',
      {
        schema: {
          tags: ['analyst'],
          summary: 'The digital analyst: kind (llm or deterministic), model, queue and limits',
          response: { 200: AnyObject, ...errorResponses(401, 403) },
        },
      },
      async () => {
        const model = analyst.kind === 'llm' ? dependencies.model?.() : undefined;
        return {
          kind: analyst.kind,
          ...(model ? { model } : {}),
          queue: jobs.stats(),
        };
      },
    );

    app.get<{ Querystring: { incidentId: string } }>(
      '/api/v1/investigations',
      {
        schema: {
          tags: ['analyst'],
          summary: 'Recent investigation jobs of an incident, newest first',
          querystring: Type.Object({ incidentId: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Object({ jobs: Type.Array(AnyObject) }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => ({ jobs: jobs.forIncident(callerScope(request), request.query.incidentId) }),
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/investigations/:id',
      {
        schema: {
          tags: ['analyst'],
          summary: 'One investigation job: status, result headline or error',
          params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
          response: { 200: Type.Object({ job: AnyObject }), ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const job = jobs.get(callerScope(request), request.params.id);
        if (!job) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No investigation job ${request.params.id}`);
        return { job };
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/investigations/:id',
      {
        schema: {
          tags: ['analyst'],
          summary: 'Cancel an investigation job (queued: removed; running: aborted); a finished job is returned as is',
          params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
          response: { 200: Type.Object({ job: AnyObject }), ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const scope = callerScope(request);
        const before = jobs.get(scope, request.params.id)?.status;
        const job = jobs.cancel(scope, request.params.id);
        if (!job) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No investigation job ${request.params.id}`);
        if (before !== 'queued' && before !== 'running') return { job };
        await jobs.wait(job.id);
        await soc.appendAudit({
          at: Date.now(),
          actor: callerKey(request).name,
          action: 'investigation-cancelled',
          target: job.incidentId,
          unit: job.unit,
          details: { job: job.id, was: before },
        });
        return { job };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/investigations/:id/events',
      {
        schema: {
          tags: ['analyst'],
          summary:
            'Progress of an investigation job as Server-Sent Events (event: status | progress, data: JSON; resumable with Last-Event-ID); the stream ends when the job does',
          params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
          response: { 200: { description: 'text/event-stream' }, ...errorResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        const scope = callerScope(request);
        const job = jobs.get(scope, request.params.id);
        if (!job) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No investigation job ${request.params.id}`);
        const lastEventId = Number(request.headers['last-event-id'] ?? 0);
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        raw.write('retry: 3000\n\n');
        let ended = false;
        const send = (event: JobEvent) => {
          if (ended) return;
          const view = jobs.get(scope, job.id);
          raw.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event, job: view })}\n\n`);
        };
        const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), heartbeatMs);
        heartbeat.unref();
        let unsubscribe: (() => void) | undefined;
        const end = () => {
          if (ended) return;
          ended = true;
          clearInterval(heartbeat);
          unsubscribe?.();
          raw.write('event: end\ndata: {}\n\n');
          raw.end();
        };
        unsubscribe = jobs.subscribe(scope, job.id, Number.isFinite(lastEventId) ? lastEventId : 0, send, end);
        // The response's close: the client went away (or the stream ended).
        raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe?.();
          ended = true;
        });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/incidents/:id/chat',
      {
        schema: {
          tags: ['analyst'],
          summary: "The incident's chat with the digital analyst",
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Object({ turns: Type.Array(AnyObject) }), ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const incident = await soc.getIncident(callerScope(request), request.params.id);
        if (!incident) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No incident ${request.params.id}`);
        return { turns: (await soc.getState<StoredChatTurn[]>(chatKey(incident.id))) ?? [] };
      },
    );

    app.post<{ Params: { id: string }; Body: { question: string } }>(
      '/api/v1/incidents/:id/chat',
      {
        schema: {
          tags: ['analyst'],
          summary:
            'Ask the digital analyst about an incident; the answer is grounded in tool results and cites checked event/alert ids',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: Type.Object({ question: Type.String({ minLength: 1, maxLength: 4000 }) }),
          response: {
            200: Type.Object({ answer: AnyObject, turns: Type.Array(AnyObject) }),
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const scope = callerScope(request);
        const incident = await soc.getIncident(scope, request.params.id);
        if (!incident) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No incident ${request.params.id}`);
        const actor = callerKey(request).name;
        const stored = (await soc.getState<StoredChatTurn[]>(chatKey(incident.id))) ?? [];
        const question: StoredChatTurn = { role: 'user', content: request.body.question, at: Date.now(), actor };
        const turns: ChatTurn[] = [...stored, question].map((turn) => ({ role: turn.role, content: turn.content }));
        let answer: ChatAnswer;
        try {
          answer = await analyst.chat({ kind: 'units', units: [incident.unit] }, incident.id, turns);
        } catch (error) {
          if ((error as { code?: string }).code === 'VIGIL_ERR_NOT_FOUND')
            throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', (error as Error).message);
          throw error;
        }
        const { answer: text, toolTrace, ...rest } = answer;
        const reply: StoredChatTurn = {
          role: 'assistant',
          content: text,
          at: Date.now(),
          answer: { ...rest, tools: toolTrace.map((entry) => entry.tool) },
        };
        const kept = [...stored, question, reply].slice(-maxStoredTurns);
        await soc.putState(chatKey(incident.id), kept);
        await soc.appendAudit({
          at: Date.now(),
          actor,
          action: 'incident-chat-answered',
          target: incident.id,
          unit: incident.unit,
          details: {
            question: request.body.question.slice(0, 500),
            generator: answer.generator,
            citations: answer.citations,
            tools: toolTrace.map((entry) => entry.tool),
          },
        });
        return { answer, turns: kept };
      },
    );

    app.post<{ Body: { question: string } }>(
      '/api/v1/ask',
      {
        schema: {
          tags: ['analyst'],
          summary:
            'Turn a plain-language question into a query of the query language, validated and returned for confirmation (not run); run it with GET /api/v1/events',
          body: Type.Object({ question: Type.String({ minLength: 1, maxLength: 2000 }) }),
          response: { 200: AnyObject, ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const suggestion = await analyst.ask(callerScope(request), request.body.question);
        return {
          ...suggestion,
          // Ready-made parameters of GET /api/v1/events (and /histogram) once the user confirms.
          search: {
            q: suggestion.query,
            ...(suggestion.from !== undefined ? { from: new Date(suggestion.from).toISOString() } : {}),
            ...(suggestion.to !== undefined ? { to: new Date(suggestion.to).toISOString() } : {}),
          },
        };
      },
    );
  };
}
