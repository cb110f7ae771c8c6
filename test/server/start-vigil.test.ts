import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig, type VigilConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { startVigil } from '../../src/server/start-vigil.ts';
import { MemoryStore } from './memory-store.ts';

function testConfig(overrides: Partial<VigilConfig['syslog']> = {}): VigilConfig {
  const config = loadConfig({ env: {}, cwd: '/tmp' });
  return {
    ...config,
    http: { ...config.http, port: 0 },
    syslog: { ...config.syslog, enabled: false, ...overrides },
  };
}

describe('startVigil (vigil serve)', () => {
  it('creates and prints the first admin key once, serves HTTP, and flushes on close', async () => {
    const store = new MemoryStore();
    const printed: string[] = [];
    const options = {
      log: silentLogger,
      print: (line: string) => printed.push(line),
      openStore: async () => store,
      geoip: false,
    };
    const running = await startVigil(testConfig(), options);
    expect(running.initialAdminSecret).toMatch(/^vgl_/);
    expect(printed.join('\n')).toContain(running.initialAdminSecret);
    expect([...store.keys.values()][0]!.secretHash).not.toContain(running.initialAdminSecret!);

    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
    const ingest = await fetch(`${running.url}/api/v1/ingest?unit=finance&format=auto`, {
      method: 'POST',
      headers: { authorization: `Bearer ${running.initialAdminSecret}` },
      body: 'this line is for no parser in particular\n',
    });
    expect(ingest.status).toBe(200);
    const result = (await ingest.json()) as { stored: number; failed: number };
    expect(result.stored + result.failed).toBe(1);
    expect(store.events.length + store.deadLetters.length).toBe(1);
    await running.close();
    expect(store.closed).toBe(true);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();

    store.closed = false;
    const again = await startVigil(testConfig(), options);
    expect(again.initialAdminSecret).toBeUndefined();
    expect(store.keys.size).toBe(1);
    await again.close();
  });

  it('starts the syslog listeners through the hook and stops them on close', async () => {
    const store = new MemoryStore();
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const running = await startVigil(testConfig({ enabled: true, udpPort: 0, tcpPort: port, unit: 'dmz' }), {
      geoip: false,
      log: silentLogger,
      print: () => {},
      openStore: async () => store,
    });
    expect(running.syslogAddresses.map((entry) => entry.port)).toEqual([port]);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end('<34>Oct 11 22:14:15 fw-1 sshd[42]: Failed password for root from 10.0.0.9 port 22 ssh2\n', () =>
          resolve(),
        );
      });
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await running.close();
    const units = [
      ...store.events.map((stored) => stored.event.unit),
      ...store.deadLetters.map((letter) => letter.unit),
    ];
    expect(units).toEqual(['dmz']);
  });

  it('enriches with units written through the API, without a restart', async () => {
    const store = new MemoryStore();
    const running = await startVigil(testConfig(), {
      log: silentLogger,
      print: () => {},
      openStore: async () => store,
      geoip: false,
    });
    const headers = { authorization: `Bearer ${running.initialAdminSecret}` };
    const unit = await fetch(`${running.url}/api/v1/units/branch-9`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Branch 9', cidrs: ['10.9.0.0/16'] }),
    });
    expect(unit.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const line = JSON.stringify({
      timestamp: '2026-11-22T07:00:00.000000+0000',
      event_type: 'alert',
      src_ip: '10.9.1.2',
      src_port: 5555,
      dest_ip: '8.8.8.8',
      dest_port: 53,
      proto: 'UDP',
      alert: { signature: 'test', severity: 2 },
    });
    const ingest = await fetch(`${running.url}/api/v1/ingest`, { method: 'POST', headers, body: `${line}\n` });
    expect(await ingest.json()).toMatchObject({ stored: 1, failed: 0 });
    await running.close();
    // The admin key ingests into the unbound unit "default"; the inventory places the event.
    expect(store.events[0]!.event.unit).toBe('branch-9');
  });

  it('adds a module’s hooks and routes once the store is open, and closes it before the store', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    const seen: string[] = [];
    const running = await startVigil(testConfig(), {
      log: silentLogger,
      print: () => {},
      geoip: false,
      openStore: async () => store,
      extend: async ({ store: opened }) => {
        expect(opened).toBe(store);
        return {
          hooks: [
            { name: 'probe', onEvents: (events) => void seen.push(...events.map((stored) => stored.event.unit)) },
          ],
          app: {
            plugins: [
              async (app) => {
                app.get('/api/v1/probe', async () => ({ seen: seen.length }));
              },
            ],
          },
          close: async () => {
            order.push(`module closed, store closed: ${store.closed}`);
          },
        };
      },
    });
    const headers = { authorization: `Bearer ${running.initialAdminSecret}` };
    await fetch(`${running.url}/api/v1/ingest?unit=hr`, {
      method: 'POST',
      headers,
      body: '<34>Nov 22 07:01:00 fw-1 sshd[42]: Failed password for root from 203.0.113.9 port 22 ssh2\n',
    });
    const probe = await fetch(`${running.url}/api/v1/probe`);
    await running.close();
    expect(order).toEqual(['module closed, store closed: false']);
    expect(store.closed).toBe(true);
    expect(await probe.json()).toEqual({ seen: 1 });
    expect(seen).toEqual(['hr']);
  });

  it('explains a port that is in use', async () => {
    const store = new MemoryStore();
    const first = await startVigil(testConfig(), {
      log: silentLogger,
      print: () => {},
      openStore: async () => store,
      geoip: false,
    });
    const port = Number(new URL(first.url).port);
    const config = testConfig();
    await expect(
      startVigil(
        { ...config, http: { ...config.http, port } },
        { log: silentLogger, print: () => {}, openStore: async () => new MemoryStore(), geoip: false },
      ),
    ).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    await first.close();
  });
});
