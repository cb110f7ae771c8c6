import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './test-app.ts';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

async function setup(...args: Parameters<typeof createTestApp>) {
  current = await createTestApp(...args);
  return current;
}

const ndjson = [
  '{"message":"login ok","user":{"name":"alice"},"timestamp":"2026-11-22T07:00:00.000Z"}',
  '',
  '   ',
  '{"message":"login failed","user":{"name":"bob"},"timestamp":"2026-11-22T07:00:01.000Z"}',
  '{"message": broken json',
  '{"message":"third","timestamp":"2026-11-22T07:00:02.000Z"}',
].join('\n');

describe('POST /api/v1/ingest', () => {
  it('stores NDJSON lines bound to the key’s unit and reports bad lines by 1-based number', async () => {
    const { app, store } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { ...bearer(current!.secrets.financeIngest), 'content-type': 'application/x-ndjson' },
      payload: ndjson,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.stored).toBe(3);
    expect(body.failed).toBe(1);
    expect(body.errors).toEqual([{ line: 5, reason: 'no parser recognised this record' }]);
    expect(store.events.map((stored) => stored.event.unit)).toEqual(['finance', 'finance', 'finance']);
    expect(store.events.map((stored) => stored.event.message)).toEqual(['login ok', 'login failed', 'third']);
    expect(store.deadLetters).toHaveLength(1);
    expect(store.deadLetters[0]).toMatchObject({
      unit: 'finance',
      sourceKind: 'http',
      sourceName: 'finance-ingest',
      original: '{"message": broken json',
    });
  });

  it('coalesces concurrent requests into fewer store writes, each answered after its commit', async () => {
    const { app, store } = await setup({ pipeline: { batchMaxWaitMs: 50 } });
    const responses = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((request) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: bearer(current!.secrets.financeIngest),
          payload: `{"message":"request ${request} a"}\n{"message":"request ${request} b"}\n`,
        }),
      ),
    );
    expect(responses.map((response) => response.json().stored)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(store.events).toHaveLength(12);
    expect(store.eventWrites.length).toBeLessThan(6);
  });

  it('also takes a JSON array body, numbering errors by element', async () => {
    const { app, store } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { ...bearer(current!.secrets.financeIngest), 'content-type': 'application/json' },
      payload: '[{"message":"first"}, "loose text", {"message":"third"}]',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      stored: 2,
      failed: 1,
      errors: [{ line: 2, reason: 'no parser recognised this record' }],
    });
    expect(store.events.map((stored) => stored.event.message)).toEqual(['first', 'third']);
  });

  it('acknowledges only after the store committed', async () => {
    const { app, store } = await setup();
    let release = () => {};
    store.writeGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answered = false;
    const pending = app
      .inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: bearer(current!.secrets.financeIngest),
        payload: '{"message":"x"}\n',
      })
      .then((response) => {
        answered = true;
        return response;
      });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(answered).toBe(false);
    release();
    const response = await pending;
    expect(response.statusCode).toBe(200);
    expect(store.events).toHaveLength(1);
  });

  it('accepts gzip bodies and a plain-text format for non-JSON lines', async () => {
    const { app, store } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest?format=test-text',
      headers: { ...bearer(current!.secrets.financeIngest), 'content-encoding': 'gzip', 'content-type': 'text/plain' },
      payload: gzipSync('first plain line\r\nsecond {not json\n'),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ stored: 2, failed: 0, errors: [] });
    expect(store.events.map((stored) => stored.event.message)).toEqual(['first plain line', 'second {not json']);
  });

  it('rejects a corrupt gzip body and an unknown format with 400 codes', async () => {
    const { app, store } = await setup();
    const corrupt = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { ...bearer(current!.secrets.financeIngest), 'content-encoding': 'gzip' },
      payload: Buffer.from('definitely not gzip'),
    });
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json().code).toBe('VIGIL_ERR_BAD_ENCODING');
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest?format=nope',
      headers: bearer(current!.secrets.financeIngest),
      payload: '{"a":1}\n',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('VIGIL_ERR_UNKNOWN_FORMAT');
    const encoding = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { ...bearer(current!.secrets.financeIngest), 'content-encoding': 'br' },
      payload: '{"a":1}\n',
    });
    expect(encoding.statusCode).toBe(415);
    expect(encoding.json().code).toBe('VIGIL_ERR_UNSUPPORTED_ENCODING');
    expect(store.events).toHaveLength(0);
  });

  it('answers 401/403 with codes for missing, wrong and under-privileged keys', async () => {
    const { app, store } = await setup();
    const send = (headers: Record<string, string>, url = '/api/v1/ingest') =>
      app.inject({ method: 'POST', url, headers, payload: '{"a":1}\n' });
    const missing = await send({});
    expect(missing.statusCode).toBe(401);
    expect(missing.json().code).toBe('VIGIL_ERR_AUTH_REQUIRED');
    const wrong = await send(bearer('vgl_not-a-real-key'));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('VIGIL_ERR_AUTH_INVALID');
    const malformed = await send({ authorization: 'Token abc' });
    expect(malformed.statusCode).toBe(401);
    expect(malformed.json().code).toBe('VIGIL_ERR_AUTH_INVALID');
    const readOnly = await send(bearer(current!.secrets.financeRead));
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json().code).toBe('VIGIL_ERR_FORBIDDEN');
    const otherUnit = await send(bearer(current!.secrets.financeIngest), '/api/v1/ingest?unit=hr');
    expect(otherUnit.statusCode).toBe(403);
    expect(otherUnit.json().code).toBe('VIGIL_ERR_UNIT_FORBIDDEN');
    expect(store.events).toHaveLength(0);
  });

  it('lets an all-units admin key choose the unit', async () => {
    const { app, store } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest?unit=hr',
      headers: bearer(current!.secrets.admin),
      payload: '{"a":1}\n',
    });
    expect(response.statusCode).toBe(200);
    expect(store.events[0]!.event.unit).toBe('hr');
  });

  it('answers 413 with a code when the body is over the limit, also after gunzip', async () => {
    const { app, store } = await setup({
      config: (config) => ({ ...config, http: { ...config.http, bodyLimit: 2048 } }),
    });
    const big = `${'{"message":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}\n'.repeat(100)}`;
    const plain = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: bearer(current!.secrets.financeIngest),
      payload: big,
    });
    expect(plain.statusCode).toBe(413);
    expect(plain.json().code).toBe('VIGIL_ERR_BODY_TOO_LARGE');
    const compressed = gzipSync(big);
    expect(compressed.length).toBeLessThan(2048);
    const zipped = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { ...bearer(current!.secrets.financeIngest), 'content-encoding': 'gzip' },
      payload: compressed,
    });
    expect(zipped.statusCode).toBe(413);
    expect(zipped.json().code).toBe('VIGIL_ERR_BODY_TOO_LARGE');
    expect(store.events).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the pipeline is overloaded', async () => {
    const { app, store } = await setup({ pipeline: { maxInFlightBytes: 100, retryAfterSeconds: 3 } });
    let release = () => {};
    store.writeGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const headers = bearer(current!.secrets.financeIngest);
    const line = `{"message":"${'x'.repeat(120)}"}\n`;
    const first = app.inject({ method: 'POST', url: '/api/v1/ingest', headers, payload: line });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await app.inject({ method: 'POST', url: '/api/v1/ingest', headers, payload: line });
    expect(second.statusCode).toBe(503);
    expect(second.headers['retry-after']).toBe('3');
    expect(second.json().code).toBe('VIGIL_ERR_OVERLOADED');
    release();
    expect((await first).statusCode).toBe(200);
    expect(store.events).toHaveLength(1);
  });

  it('answers 503 with Retry-After when the store cannot commit, so the sender retries', async () => {
    const { app, store } = await setup();
    store.failWrites = new Error('disk full');
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: bearer(current!.secrets.financeIngest),
      payload: '{"a":1}\n',
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().code).toBe('VIGIL_ERR_STORE_UNAVAILABLE');
    expect(response.body).not.toContain('disk full');
  });

  it('treats an empty body as nothing to store', async () => {
    const { app } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: bearer(current!.secrets.financeIngest),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ stored: 0, failed: 0, errors: [] });
  });
});
