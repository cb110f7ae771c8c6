import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.ts';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

async function setup(...args: Parameters<typeof createTestApp>) {
  current = await createTestApp(...args);
  return current;
}

function splunk(secret: string) {
  return { authorization: `Splunk ${secret}` };
}

describe('Splunk HEC compatibility', () => {
  it('accepts concatenated and newline-separated event envelopes like Splunk', async () => {
    const { app, store, secrets } = await setup();
    const payload =
      '{"time":1700000000.25,"host":"web-1","sourcetype":"_json","source":"/var/log/app.log","fields":{"env":"prod","n":3},"event":{"message":"one"}}' +
      '{"event":"two as text","sourcetype":"syslog"}\n' +
      '  {"event":{"message":"three","timestamp":"2026-01-01T00:00:00.000Z"},"time":"1700000001","host":"web-2"}';
    const response = await app.inject({
      method: 'POST',
      url: '/services/collector/event',
      headers: splunk(secrets.financeIngest),
      payload,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ text: 'Success', code: 0 });
    const events = store.events.map((stored) => stored.event);
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      unit: 'finance',
      message: 'one',
      '@timestamp': '2023-11-14T22:13:20.250Z',
      host: { name: 'web-1' },
      labels: { env: 'prod', n: '3', hec_source: '/var/log/app.log' },
    });
    // sourcetype "syslog" is an alias of the test text parser: the string event becomes a message.
    expect(events[1]).toMatchObject({ message: 'two as text', unit: 'finance' });
    // The parser's own timestamp wins over the envelope's time.
    expect(events[2]).toMatchObject({ '@timestamp': '2026-01-01T00:00:00.000Z', host: { name: 'web-2' } });
  });

  it('hands out ackIds to channel clients and acknowledges them as committed', async () => {
    const { app, secrets } = await setup();
    const headers = {
      ...splunk(secrets.financeIngest),
      'x-splunk-request-channel': 'FE0ECFAD-13D5-401B-847D-77833BD77131',
    };
    const first = await app.inject({
      method: 'POST',
      url: '/services/collector/event',
      headers,
      payload: '{"event":{"a":1}}',
    });
    const second = await app.inject({ method: 'POST', url: '/services/collector/raw', headers, payload: 'line' });
    expect(first.json()).toEqual({ text: 'Success', code: 0, ackId: 0 });
    expect(second.json()).toEqual({ text: 'Success', code: 0, ackId: 1 });
    const acks = await app.inject({
      method: 'POST',
      url: '/services/collector/ack',
      headers,
      payload: { acks: [0, 1, 7] },
    });
    expect(acks.json()).toEqual({ acks: { '0': true, '1': true, '7': false } });
    const plain = await app.inject({
      method: 'POST',
      url: '/services/collector/event',
      headers: splunk(secrets.financeIngest),
      payload: '{"event":{"a":2}}',
    });
    expect(plain.json()).toEqual({ text: 'Success', code: 0 });
  });

  it('answers the Splunk auth codes 2, 3 and 4', async () => {
    const { app, secrets } = await setup();
    const post = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/services/collector/event', headers, payload: '{"event":"x"}' });
    const missing = await post({});
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({ text: 'Token is required', code: 2 });
    const malformed = await post({ authorization: 'Splunk' });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json()).toEqual({ text: 'Invalid authorization', code: 3 });
    const unknown = await post(splunk('00000000-0000-0000-0000-000000000000'));
    expect(unknown.statusCode).toBe(403);
    expect(unknown.json()).toEqual({ text: 'Invalid token', code: 4 });
    const readKey = await post(splunk(secrets.financeRead));
    expect(readKey.statusCode).toBe(403);
    expect(readKey.json()).toEqual({ text: 'Invalid token', code: 4 });
    const basic = await post({
      authorization: `Basic ${Buffer.from(`x:${secrets.financeIngest}`).toString('base64')}`,
    });
    expect(basic.json()).toEqual({ text: 'Success', code: 0 });
  });

  it('answers No data (5), Invalid data format (6) and event field errors (12, 13) with the event number', async () => {
    const { app, store, secrets } = await setup();
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: '/services/collector/event', headers: splunk(secrets.financeIngest), payload });
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ text: 'No data', code: 5 });
    const invalid = await post('{"event":{"m":1}}{"event": nope}');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toEqual({ text: 'Invalid data format', code: 6, 'invalid-event-number': 1 });
    const missingEvent = await post('{"event":{"m":2}}{"event":{"m":3}}{"host":"h"}');
    expect(missingEvent.statusCode).toBe(400);
    expect(missingEvent.json()).toEqual({ text: 'Event field is required', code: 12, 'invalid-event-number': 2 });
    const blank = await post('{"event":""}');
    expect(blank.json()).toEqual({ text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 0 });
    // As with Splunk, the envelopes before the bad one were accepted.
    expect(store.events).toHaveLength(3);
  });

  it('takes gzip bodies and raw lines with ?sourcetype=, ?host= and ?time=', async () => {
    const { app, store, secrets } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/services/collector/raw?sourcetype=syslog&host=fw-1&time=1700000000',
      headers: { ...splunk(secrets.hrIngest), 'content-encoding': 'gzip' },
      payload: gzipSync('<34>Oct 11 22:14:15 fw-1 su: denied\n\n<34>Oct 11 22:14:16 fw-1 su: ok\n'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ text: 'Success', code: 0 });
    expect(store.events.map((stored) => stored.event)).toEqual([
      expect.objectContaining({ unit: 'hr', message: '<34>Oct 11 22:14:15 fw-1 su: denied', host: { name: 'fw-1' } }),
      expect.objectContaining({ unit: 'hr', '@timestamp': '2023-11-14T22:13:20.000Z' }),
    ]);
    const noData = await app.inject({
      method: 'POST',
      url: '/services/collector/raw',
      headers: splunk(secrets.hrIngest),
      payload: '\n\n',
    });
    expect(noData.json()).toEqual({ text: 'No data', code: 5 });
  });

  it('answers health on GET and POST, and Server is busy (9) with Retry-After when overloaded', async () => {
    const { app, store, secrets } = await setup({ pipeline: { maxInFlightBytes: 50, retryAfterSeconds: 2 } });
    for (const method of ['GET', 'POST'] as const) {
      const health = await app.inject({ method, url: '/services/collector/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ text: 'HEC is healthy', code: 17 });
    }
    let release = () => {};
    store.writeGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const payload = `{"event":"${'y'.repeat(80)}"}`;
    const headers = splunk(secrets.financeIngest);
    const first = app.inject({ method: 'POST', url: '/services/collector', headers, payload });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const busy = await app.inject({ method: 'POST', url: '/services/collector/event/1.0', headers, payload });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('2');
    expect(busy.json()).toEqual({ text: 'Server is busy', code: 9 });
    const wrongPath = await app.inject({ method: 'GET', url: '/services/collector/event' });
    expect(wrongPath.statusCode).toBe(404);
    expect(wrongPath.json()).toEqual({ text: 'The requested URL was not found on this server.', code: 404 });
    const unhealthy = await app.inject({ method: 'GET', url: '/services/collector/health' });
    expect(unhealthy.statusCode).toBe(503);
    expect(unhealthy.json()).toEqual({ text: 'HEC is unhealthy, queues are full', code: 18 });
    release();
    expect((await first).json()).toEqual({ text: 'Success', code: 0 });
    store.failWrites = new Error('disk full');
    const failed = await app.inject({ method: 'POST', url: '/services/collector', headers, payload: '{"event":"z"}' });
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toEqual({ text: 'Server is busy', code: 9 });
  });
});
