import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './test-app.ts';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

describe('health, metrics and API docs', () => {
  it('reports health from the store: 200, then 503 with a code when it is unreachable', async () => {
    current = await createTestApp();
    const ok = await current.app.inject({ url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok' });
    current.store.reachable = false;
    const down = await current.app.inject({ url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unavailable', code: 'VIGIL_ERR_STORE_UNAVAILABLE' });
  });

  it('exposes Prometheus metrics counting ingested and failed records', async () => {
    current = await createTestApp();
    const { app, secrets } = current;
    await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: bearer(secrets.financeIngest),
      payload: '{"a":1}\n{"b":2}\nnot json\n',
    });
    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toContain('# TYPE vigil_events_in_total counter');
    expect(text).toContain('vigil_events_in_total{source="http",unit="finance"} 3');
    expect(text).toContain('vigil_events_out_total 2');
    expect(text).toContain('vigil_events_failed_total{source="http",format="auto"} 1');
    expect(text).toMatch(/vigil_http_requests_total\{route="\/api\/v1\/ingest",method="POST",status="200"\} 1/);
    expect(text).toContain('# TYPE vigil_pipeline_inflight_bytes gauge');
    expect(text).toMatch(/\nprocess_resident_memory_bytes \d+\n/);
  });

  it('serves the OpenAPI document and UI under /api/docs, and 404s unknown routes with a code', async () => {
    current = await createTestApp();
    const spec = await current.app.inject({ url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    const document = spec.json();
    expect(document.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/ingest', '/api/v1/events', '/services/collector/event', '/api/v1/api-keys/{id}']) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    const ui = await current.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
    const missing = await current.app.inject({ url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('VIGIL_ERR_NOT_FOUND');
  });
});
