import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './test-app.ts';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

describe('administration API', () => {
  it('creates an API key whose secret is shown once and works at once; deleting it revokes it', async () => {
    current = await createTestApp();
    const { app, store, secrets } = current;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(secrets.admin),
      payload: { name: 'branch-12 forwarder', unit: 'branch-12', role: 'ingest' },
    });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json();
    expect(key).toMatchObject({ name: 'branch-12 forwarder', unit: 'branch-12', role: 'ingest' });
    expect(secret).toMatch(/^vgl_/);
    expect(JSON.stringify([...store.keys.values()])).not.toContain(secret);

    const listed = await app.inject({ url: '/api/v1/api-keys', headers: bearer(secrets.admin) });
    expect(JSON.stringify(listed.json())).not.toContain(secret);
    expect(listed.json().keys.map((entry: { id: string }) => entry.id)).toContain(key.id);

    const send = () =>
      app.inject({ method: 'POST', url: '/api/v1/ingest', headers: bearer(secret), payload: '{"a":1}' });
    expect((await send()).statusCode).toBe(200);
    expect(store.events[0]!.event.unit).toBe('branch-12');

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${key.id}`,
      headers: bearer(secrets.admin),
    });
    expect(deleted.statusCode).toBe(204);
    expect((await send()).statusCode).toBe(401);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${key.id}`,
      headers: bearer(secrets.admin),
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('VIGIL_ERR_NOT_FOUND');
  });

  it('keeps unit administrators inside their unit', async () => {
    current = await createTestApp();
    const { app, store, secrets } = current;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(secrets.admin),
      payload: { name: 'finance admin', unit: 'finance', role: 'admin' },
    });
    const financeAdmin = created.json().secret as string;
    const escalate = await app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(financeAdmin),
      payload: { name: 'sneaky', unit: '*', role: 'admin' },
    });
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json().code).toBe('VIGIL_ERR_UNIT_FORBIDDEN');
    const keys = await app.inject({ url: '/api/v1/api-keys', headers: bearer(financeAdmin) });
    expect(new Set(keys.json().keys.map((key: { unit: string }) => key.unit))).toEqual(new Set(['finance']));
    const hrKeyId = current.keys['hr-read']!.id;
    const deleteOther = await app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${hrKeyId}`,
      headers: bearer(financeAdmin),
    });
    expect(deleteOther.statusCode).toBe(404);
    expect(store.keys.has(hrKeyId)).toBe(true);
    const readKey = await app.inject({ url: '/api/v1/api-keys', headers: bearer(secrets.financeRead) });
    expect(readKey.statusCode).toBe(403);
  });

  it('puts and lists units and assets within scope', async () => {
    current = await createTestApp();
    const { app, secrets } = current;
    const unit = await app.inject({
      method: 'PUT',
      url: '/api/v1/units/finance',
      headers: bearer(secrets.admin),
      payload: { name: 'Finance', cidrs: ['10.1.0.0/16'], location: { lat: 52.5, lon: 13.4 } },
    });
    expect(unit.statusCode).toBe(200);
    await app.inject({
      method: 'PUT',
      url: '/api/v1/units/hr',
      headers: bearer(secrets.admin),
      payload: { name: 'HR' },
    });
    const financeUnits = await app.inject({ url: '/api/v1/units', headers: bearer(secrets.financeRead) });
    expect(financeUnits.json().units).toEqual([
      { id: 'finance', name: 'Finance', cidrs: ['10.1.0.0/16'], location: { lat: 52.5, lon: 13.4 } },
    ]);
    const invalid = await app.inject({
      method: 'PUT',
      url: '/api/v1/units/Bad Id',
      headers: bearer(secrets.admin),
      payload: { name: 'x' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe('VIGIL_ERR_VALIDATION');
    const misspelt = await app.inject({
      method: 'PUT',
      url: '/api/v1/units/hr',
      headers: bearer(secrets.admin),
      payload: { name: 'HR', cidr: ['10.2.0.0/16'] },
    });
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().code).toBe('VIGIL_ERR_VALIDATION');

    const asset = await app.inject({
      method: 'PUT',
      url: '/api/v1/assets/fin-db-01',
      headers: bearer(secrets.admin),
      payload: { unit: 'finance', hostname: 'fin-db-01', ip: ['10.1.2.3'], criticality: 'critical' },
    });
    expect(asset.statusCode).toBe(200);
    await app.inject({
      method: 'PUT',
      url: '/api/v1/assets/hr-ws-01',
      headers: bearer(secrets.admin),
      payload: { unit: 'hr', criticality: 'low' },
    });
    const hrAssets = await app.inject({ url: '/api/v1/assets', headers: bearer(secrets.hrRead) });
    expect(hrAssets.json().assets.map((entry: { id: string }) => entry.id)).toEqual(['hr-ws-01']);
    const readOnlyWrite = await app.inject({
      method: 'PUT',
      url: '/api/v1/assets/x',
      headers: bearer(secrets.hrRead),
      payload: { unit: 'hr', criticality: 'low' },
    });
    expect(readOnlyWrite.statusCode).toBe(403);
  });
});
