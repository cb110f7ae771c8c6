import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../../src/model/unit.ts';
import type { RouteOptions } from '../../src/server/route-context.ts';
import { createTestApp, type TestApp } from './test-app.ts';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

const consoleRoot = path.join(import.meta.dirname, '__fixtures__', 'console');

describe('app extension points', () => {
  it('serves the built console with client-side routing, without hiding API 404s', async () => {
    current = await createTestApp({ app: { consoleRoot } });
    const { app } = current;
    const home = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Vigil console');
    const deepLink = await app.inject({ url: '/hunt?q=user.name:alice', headers: { accept: 'text/html,*/*' } });
    expect(deepLink.statusCode).toBe(200);
    expect(deepLink.body).toContain('Vigil console');
    const asset = await app.inject({ url: '/assets/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    const missingAsset = await app.inject({ url: '/assets/nope.js', headers: { accept: 'text/html' } });
    expect(missingAsset.statusCode).toBe(404);
    const api = await app.inject({ url: '/api/v1/nothing', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.json().code).toBe('VIGIL_ERR_NOT_FOUND');
  });

  it('accepts a session authenticator for requests without a key, scoped like a key', async () => {
    const caller: ApiKey = { id: 'session:dana', name: 'dana', unit: 'hr', role: 'read', createdAt: 0 };
    current = await createTestApp({
      app: {
        authenticateSession: async (request) => (request.headers.cookie === 'vigil_session=good' ? caller : undefined),
      },
    });
    const { app, secrets } = current;
    await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${secrets.financeIngest}` },
      payload: '{"message":"finance only"}',
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { authorization: `Bearer ${secrets.hrIngest}` },
      payload: '{"message":"hr event"}',
    });
    const signedIn = await app.inject({ url: '/api/v1/events', headers: { cookie: 'vigil_session=good' } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().events.map((stored: { event: { message: string } }) => stored.event.message)).toEqual([
      'hr event',
    ]);
    const forbidden = await app.inject({ url: '/api/v1/api-keys', headers: { cookie: 'vigil_session=good' } });
    expect(forbidden.statusCode).toBe(403);
    const anonymous = await app.inject({ url: '/api/v1/events', headers: { cookie: 'vigil_session=bad' } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('registers route plugins of other modules with the same context', async () => {
    const plugin = async (app: FastifyInstance, { context }: RouteOptions) => {
      app.get('/api/v1/unit-count', async () => ({ units: (await context.store.listUnits()).length }));
    };
    current = await createTestApp({ app: { plugins: [plugin] } });
    await current.store.putUnit({ id: 'finance', name: 'Finance' });
    const response = await current.app.inject({ url: '/api/v1/unit-count' });
    expect(response.json()).toEqual({ units: 1 });
  });
});
