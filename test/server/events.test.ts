import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './test-app.ts';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

async function ingest(app: TestApp['app'], secret: string, lines: object[]) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/ingest',
    headers: bearer(secret),
    payload: lines.map((line) => JSON.stringify(line)).join('\n'),
  });
  expect(response.statusCode).toBe(200);
}

async function seeded() {
  current = await createTestApp();
  const { app, secrets } = current;
  await ingest(app, secrets.financeIngest, [
    { message: 'finance login', user: { name: 'alice' }, timestamp: '2026-11-22T07:00:00.000Z' },
    { message: 'finance logout', user: { name: 'alice' }, timestamp: '2026-11-22T07:05:00.000Z' },
    { message: 'finance login', user: { name: 'bob' }, timestamp: '2026-11-22T07:10:00.000Z' },
  ]);
  await ingest(app, secrets.hrIngest, [
    { message: 'hr secret payroll', user: { name: 'carol' }, timestamp: '2026-11-22T07:01:00.000Z' },
  ]);
  return current;
}

describe('event search API', () => {
  it('finds ingested events, newest first, with paging', async () => {
    const { app, secrets } = await seeded();
    const first = await app.inject({
      url: '/api/v1/events?q=user.name:alice&limit=1',
      headers: bearer(secrets.financeRead),
    });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.total).toBe(2);
    expect(page.events).toHaveLength(1);
    expect(page.events[0].event.message).toBe('finance logout');
    expect(typeof page.events[0].id).toBe('string');
    const second = await app.inject({
      url: `/api/v1/events?q=user.name:alice&limit=1&cursor=${page.nextCursor}`,
      headers: bearer(secrets.financeRead),
    });
    expect(second.json().events[0].event.message).toBe('finance login');
    const ranged = await app.inject({
      url: '/api/v1/events?from=2026-11-22T07:04:00Z&to=1795331400000&order=asc',
      headers: bearer(secrets.financeRead),
    });
    expect(ranged.json().events.map((stored: { event: { message: string } }) => stored.event.message)).toEqual([
      'finance logout',
    ]);
  });

  it('never shows one unit’s events to a key of another unit', async () => {
    const { app, secrets } = await seeded();
    const hr = await app.inject({ url: '/api/v1/events?limit=100', headers: bearer(secrets.hrRead) });
    expect(hr.json().events.map((stored: { event: { unit: string } }) => stored.event.unit)).toEqual(['hr']);
    const probe = await app.inject({ url: '/api/v1/events?q=unit:finance', headers: bearer(secrets.hrRead) });
    expect(probe.json().total).toBe(0);
    const top = await app.inject({ url: '/api/v1/events/fields/user.name/top', headers: bearer(secrets.hrRead) });
    expect(top.json()).toEqual({ field: 'user.name', values: [{ value: 'carol', count: 1 }] });
    const admin = await app.inject({ url: '/api/v1/events', headers: bearer(secrets.admin) });
    expect(admin.json().total).toBe(4);
    const financeId = (await app.inject({ url: '/api/v1/events?limit=1', headers: bearer(secrets.financeRead) })).json()
      .events[0].id as string;
    const own = await app.inject({ url: `/api/v1/events/${financeId}`, headers: bearer(secrets.financeRead) });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: financeId, event: { unit: 'finance' } });
    const foreign = await app.inject({ url: `/api/v1/events/${financeId}`, headers: bearer(secrets.hrRead) });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('VIGIL_ERR_NOT_FOUND');
    const ingestOnly = await app.inject({ url: '/api/v1/events', headers: bearer(secrets.hrIngest) });
    expect(ingestOnly.statusCode).toBe(403);
    expect(ingestOnly.json().code).toBe('VIGIL_ERR_FORBIDDEN');
    const anonymous = await app.inject({ url: '/api/v1/events' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('returns top values and a histogram', async () => {
    const { app, secrets } = await seeded();
    const top = await app.inject({
      url: '/api/v1/events/fields/user.name/top?q=message:finance*',
      headers: bearer(secrets.financeRead),
    });
    expect(top.json().values).toEqual([
      { value: 'alice', count: 2 },
      { value: 'bob', count: 1 },
    ]);
    const histogram = await app.inject({
      url: '/api/v1/events/histogram?from=2026-11-22T07:00:00Z&to=2026-11-22T07:15:00Z',
      headers: bearer(secrets.financeRead),
    });
    const body = histogram.json();
    expect(body.interval).toBe(30_000);
    expect(body.buckets).toHaveLength(30);
    expect(body.buckets[0]).toEqual({ start: Date.parse('2026-11-22T07:00:00Z'), count: 1 });
    expect(body.buckets[1]).toEqual({ start: Date.parse('2026-11-22T07:00:30Z'), count: 0 });
    expect(body.buckets.reduce((sum: number, bucket: { count: number }) => sum + bucket.count, 0)).toBe(3);
  });

  it('answers a bad query with VIGIL_ERR_QUERY_SYNTAX and its position, and bad times with validation errors', async () => {
    const { app, secrets } = await seeded();
    const bad = await app.inject({ url: '/api/v1/events?q=message:"open', headers: bearer(secrets.financeRead) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VIGIL_ERR_QUERY_SYNTAX', details: { position: 8 } });
    const badTime = await app.inject({ url: '/api/v1/events?from=yesterday', headers: bearer(secrets.financeRead) });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json()).toMatchObject({ code: 'VIGIL_ERR_VALIDATION', details: { parameter: 'from' } });
    const badLimit = await app.inject({ url: '/api/v1/events?limit=0', headers: bearer(secrets.financeRead) });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().code).toBe('VIGIL_ERR_VALIDATION');
  });

  it('lists dead letters within the caller’s unit', async () => {
    current = await createTestApp();
    const { app, secrets } = current;
    await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: bearer(secrets.financeIngest),
      payload: 'garbage one\ngarbage two\n',
    });
    await app.inject({ method: 'POST', url: '/api/v1/ingest', headers: bearer(secrets.hrIngest), payload: 'hr junk' });
    const page = await app.inject({ url: '/api/v1/dead-letters?limit=1', headers: bearer(secrets.financeRead) });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.total).toBe(2);
    expect(body.letters).toHaveLength(1);
    expect(body.letters[0]).toMatchObject({ unit: 'finance', original: 'garbage one', reason: expect.any(String) });
    expect(body.nextCursor).toBeDefined();
  });
});
