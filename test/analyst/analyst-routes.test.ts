// The analyst over HTTP: investigations as background jobs (202, status, SSE progress, the
// stored report), the synchronous ?wait=true variant, automatic investigation above a priority
// with its hourly limit, the incident chat and "ask" — and units kept apart on every route.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIncidentFixture, type IncidentFixture } from '../../src/analyst/__fixtures__/incident-fixture.ts';
import type { Analyst } from '../../src/analyst/analyst.ts';
import { DeterministicAnalyst } from '../../src/analyst/deterministic-analyst.ts';
import type { InvestigationData } from '../../src/analyst/investigation-data.ts';
import { InvestigationJobs } from '../../src/analyst/investigation-jobs.ts';
import type { InvestigationReport } from '../../src/analyst/investigation-report.ts';
import { LlmAnalyst } from '../../src/analyst/llm-analyst.ts';
import { storeInvestigationData } from '../../src/analyst/store-investigation-data.ts';
import { IndicatorIndex } from '../../src/detect/intel/indicator-index.ts';
import { importIntel } from '../../src/detect/intel/intel-import.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { analystRoutes } from '../../src/server/routes/analyst/analyst-routes.ts';
import { incidentRoutes } from '../../src/server/routes/incidents/incident-routes.ts';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { DuckDbSocStore } from '../../src/store/soc/duckdb-soc-store.ts';
import { FastTriage } from '../../src/triage/fast-triage.ts';
import { bearer, createTestApp, type TestApp } from '../server/test-app.ts';
import { type ScriptedServer, startScriptedServer } from './scripted-openai-server.ts';

let test: TestApp;
let app: FastifyInstance;
let soc: DuckDbSocStore;
let events: DuckDbStore;
let jobs: InvestigationJobs;
let fixture: IncidentFixture;

async function setUp(
  options: {
    autoPriority?: number;
    maxAutoPerHour?: number;
    concurrency?: number;
    analyst?: (data: InvestigationData) => Analyst;
  } = {},
) {
  fixture = buildIncidentFixture();
  soc = await DuckDbSocStore.open(':memory:');
  events = await DuckDbStore.open(':memory:');
  await events.appendEvents([...fixture.events.values()]);
  await soc.appendAlerts([...fixture.alerts.values()]);
  await soc.putGroups(fixture.bundle.groups);
  await soc.putIncidents([fixture.bundle.incident]);
  const intel = new IndicatorIndex();
  intel.add(importIntel('# APT Example C2\n203.0.113.66\n', 'stix:apt-feed').indicators);
  const data = storeInvestigationData({ store: events, soc, intel });
  const { analyst: makeAnalyst, ...limits } = options;
  const analyst = makeAnalyst?.(data) ?? new DeterministicAnalyst(data);
  jobs = new InvestigationJobs({ analyst, soc, log: silentLogger, ...limits });
  test = await createTestApp({
    app: {
      plugins: [
        incidentRoutes({ soc, analyst, triage: new FastTriage(), jobs }),
        analystRoutes({ soc, analyst, jobs }),
      ],
    },
  });
  app = test.app;
}

afterEach(async () => {
  await jobs?.close();
  await app?.close();
  await soc?.close();
  await events?.close();
});

const finance = () => bearer(test.secrets.financeRead);
const hr = () => bearer(test.secrets.hrRead);

/** Parse an SSE body into its events. */
function sse(body: string): { id?: string; event?: string; data?: unknown }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
      }
      return { id: fields.id, event: fields.event, data: fields.data ? JSON.parse(fields.data) : undefined };
    })
    .filter((event) => event.event);
}

describe('investigation jobs over HTTP', () => {
  beforeEach(() => setUp());

  it('answers 202 with a job, streams its progress over SSE and stores the report', async () => {
    const started = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${fixture.incidentId}/investigations`,
      headers: finance(),
    });
    expect(started.statusCode).toBe(202);
    const { job, events: eventsUrl } = started.json() as { job: { id: string; status: string }; events: string };
    expect(job.id).toMatch(/^inv_/);
    expect(started.headers.location).toBe(`/api/v1/investigations/${job.id}`);

    const stream = await app.inject({ method: 'GET', url: eventsUrl, headers: finance() });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const received = sse(stream.body);
    const stages = received
      .filter((event) => event.event === 'progress')
      .map((event) => (event.data as { progress: { stage: string } }).progress.stage);
    expect(stages[0]).toBe('started');
    expect(stages).toContain('tool');
    expect(stages.at(-1)).toBe('done');
    const statuses = received
      .filter((event) => event.event === 'status')
      .map((event) => (event.data as { status: string }).status);
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
    expect(received.at(-1)!.event).toBe('end');
    // Ids increase, so a client resumes with Last-Event-ID and gets only what it missed.
    const ids = received.filter((event) => event.id).map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const resumed = await app.inject({
      method: 'GET',
      url: eventsUrl,
      headers: { ...finance(), 'last-event-id': String(ids.at(-2)) },
    });
    expect(sse(resumed.body).filter((event) => event.id)).toHaveLength(1);

    const status = await app.inject({ method: 'GET', url: `/api/v1/investigations/${job.id}`, headers: finance() });
    expect(status.json().job).toMatchObject({ status: 'succeeded', result: { verdict: 'malicious' } });
    const latest = await app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${fixture.incidentId}/investigations/latest`,
      headers: finance(),
    });
    const report = latest.json().report as InvestigationReport;
    expect(report.citations.invalidIds).toEqual([]);
    expect(report.toolTrace.length).toBeGreaterThan(3);
    const audit = await soc.listAudit({ kind: 'all' }, 10);
    expect(audit.find((entry) => entry.action === 'investigation-completed')?.details).toMatchObject({
      job: job.id,
      trigger: 'manual',
      generator: 'deterministic',
    });
  });

  it('keeps the synchronous answer with ?wait=true, within 5 seconds', async () => {
    const started = performance.now();
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${fixture.incidentId}/investigations?wait=true`,
      headers: finance(),
    });
    const millis = performance.now() - started;
    expect(response.statusCode).toBe(200);
    const body = response.json() as { report: InvestigationReport; job: { status: string } };
    expect(body.report.verdict).toBe('malicious');
    expect(body.job.status).toBe('succeeded');
    expect(millis).toBeLessThan(5000);
  });

  it('does not start a second job while one is queued or running for the incident', async () => {
    const url = `/api/v1/incidents/${fixture.incidentId}/investigations`;
    const [first, second] = await Promise.all([
      app.inject({ method: 'POST', url, headers: finance() }),
      app.inject({ method: 'POST', url, headers: finance() }),
    ]);
    expect(first.json().job.id).toBe(second.json().job.id);
  });

  it("keeps units apart: another unit can neither investigate, follow, nor chat about this unit's incident", async () => {
    const id = fixture.incidentId;
    const investigate = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/investigations`,
      headers: hr(),
    });
    expect(investigate.statusCode).toBe(404);
    const waited = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/investigations?wait=true`,
      headers: hr(),
    });
    expect(waited.statusCode).toBe(404);
    const chat = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/chat`,
      headers: hr(),
      payload: { question: 'what happened?' },
    });
    expect(chat.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/chat`, headers: hr() })).statusCode).toBe(
      404,
    );
    // A job of finance is invisible to hr, by id and by stream.
    const job = (
      await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/investigations`, headers: finance() })
    ).json().job as { id: string };
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/investigations/${job.id}`, headers: hr() })).statusCode,
    ).toBe(404);
    const stream = await app.inject({ method: 'GET', url: `/api/v1/investigations/${job.id}/events`, headers: hr() });
    expect(stream.statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/investigations?incidentId=${id}`, headers: hr() })).json().jobs,
    ).toEqual([]);
    await jobs.wait(job.id);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/investigations/latest`, headers: hr() })).json(),
    ).toEqual({});
  });

  it('answers in the incident chat from tool results, with citations that resolve, and keeps the chat', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${fixture.incidentId}/chat`,
      headers: finance(),
      payload: { question: 'What processes ran on fin-ws007?' },
    });
    expect(response.statusCode).toBe(200);
    const { answer, turns } = response.json() as {
      answer: { answer: string; eventIds: string[]; citations: { invalidIds: string[]; total: number } };
      turns: { role: string }[];
    };
    expect(answer.answer).toContain('procdump.exe');
    expect(answer.eventIds).toEqual(expect.arrayContaining(['E1', 'E2']));
    expect(answer.citations.invalidIds).toEqual([]);
    expect(turns.map((turn) => turn.role)).toEqual(['user', 'assistant']);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${fixture.incidentId}/chat`,
      headers: finance(),
      payload: { question: 'Is 203.0.113.66 known to threat intel?' },
    });
    expect(again.json().answer.answer).toMatch(/^ip 203\.0\.113\.66 is listed by stix:apt-feed/);
    expect(again.json().answer.alertIds).toContain('A3');
    const kept = await app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${fixture.incidentId}/chat`,
      headers: finance(),
    });
    expect(kept.json().turns).toHaveLength(4);
  });

  it('turns a question into a validated query for confirmation, without running it', async () => {
    const before = Date.now();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/ask',
      headers: finance(),
      payload: { question: 'failed logons for alice in the last 24 hours' },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.query).toBe('event.category:authentication AND event.outcome:failure AND user.name:alice');
    expect(body.validation).toEqual({ ok: true });
    expect(body.to - body.from).toBe(24 * 3_600_000);
    expect(body.to).toBeGreaterThanOrEqual(before);
    expect(body.search.q).toBe(body.query);
  });

  it('reports the analyst and its queue', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/analyst', headers: finance() });
    expect(response.json()).toMatchObject({ kind: 'deterministic', queue: { concurrency: 1, queued: 0 } });
  });
});

describe('automatic investigation', () => {
  it('investigates open incidents at or above the priority, once, within the hourly limit', async () => {
    await setUp({ autoPriority: 1, maxAutoPerHour: 1 });
    const second = { ...fixture.bundle.incident, id: `${fixture.incidentId}-b` };
    await soc.putIncidents([second]);
    expect(await jobs.scan()).toBe(1);
    expect(await jobs.scan()).toBe(0); // the hourly limit of 1 is used up
    expect(jobs.stats()).toMatchObject({ autoStartedLastHour: 1 });
    const all = { kind: 'all' } as const;
    await Promise.all(
      [fixture.incidentId, second.id].flatMap((id) => jobs.forIncident(all, id).map((job) => jobs.wait(job.id))),
    );
    const reports = [
      await soc.latestInvestigation(all, fixture.incidentId),
      await soc.latestInvestigation(all, second.id),
    ].filter(Boolean);
    expect(reports).toHaveLength(1);
    const audit = await soc.listAudit(all, 10);
    expect(
      audit.filter((entry) => entry.action === 'investigation-completed').map((entry) => entry.details?.trigger),
    ).toEqual(['auto']);
  });

  it('leaves incidents below the priority alone, and does nothing when off', async () => {
    await setUp({ autoPriority: 100 });
    expect(fixture.bundle.incident.priority).toBeLessThan(100);
    expect(await jobs.scan()).toBe(0);
    await jobs.close();
    await setUp({ autoPriority: 0 });
    expect(await jobs.scan()).toBe(0);
  });

  it('skips incidents that already have a report (after a restart)', async () => {
    await setUp({ autoPriority: 1, maxAutoPerHour: 10 });
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${fixture.incidentId}/investigations?wait=true`,
      headers: finance(),
    });
    expect(response.statusCode).toBe(200);
    expect(await jobs.scan()).toBe(0);
  });
});

describe('cancelling an investigation', () => {
  let slow: ScriptedServer | undefined;
  afterEach(async () => {
    await slow?.close();
    slow = undefined;
  });

  it('aborts a running LLM investigation without a fallback report, and drops a queued one', async () => {
    slow = await startScriptedServer(() => ({ delayMs: 10_000, next: { text: 'too late' } }));
    const endpoint = slow.baseUrl;
    await setUp({ analyst: (data) => new LlmAnalyst(data, { baseUrl: endpoint, model: 'slow' }) });
    const second = { ...fixture.bundle.incident, id: `${fixture.incidentId}-b` };
    await soc.putIncidents([second]);
    const start = (id: string) =>
      app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/investigations`, headers: finance() });
    const running = (await start(fixture.incidentId)).json().job as { id: string };
    const queued = (await start(second.id)).json().job as { id: string };
    expect(jobs.stats()).toMatchObject({ running: 1, queued: 1 });

    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/investigations/${running.id}`, headers: hr() })).statusCode,
    ).toBe(404);
    const began = Date.now();
    const cancelled = await app.inject({
      method: 'DELETE',
      url: `/api/v1/investigations/${running.id}`,
      headers: finance(),
    });
    expect(cancelled.json().job).toMatchObject({ status: 'failed', error: { code: 'VIGIL_ERR_CANCELLED' } });
    expect(Date.now() - began).toBeLessThan(3000);
    // The queued job started when the running one ended; cancel it too.
    const next = await app.inject({ method: 'DELETE', url: `/api/v1/investigations/${queued.id}`, headers: finance() });
    expect(next.json().job).toMatchObject({ status: 'failed', error: { code: 'VIGIL_ERR_CANCELLED' } });
    const all = { kind: 'all' } as const;
    expect(await soc.latestInvestigation(all, fixture.incidentId)).toBeUndefined();
    expect(await soc.latestInvestigation(all, second.id)).toBeUndefined();
    const audit = await soc.listAudit(all, 20);
    expect(audit.filter((entry) => entry.action === 'investigation-cancelled')).toHaveLength(2);
  });
});
