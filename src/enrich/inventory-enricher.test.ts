import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EcsEvent } from '../model/event.ts';
import { InventoryEnricher } from './inventory-enricher.ts';
import { loadInventoryFiles } from './inventory-file.ts';
import { InventoryIndex } from './inventory-index.ts';

let enricher: InventoryEnricher;

beforeAll(async () => {
  const inventory = await loadInventoryFiles([join(import.meta.dirname, '__fixtures__', 'inventory.yaml')]);
  enricher = new InventoryEnricher(new InventoryIndex(inventory), { unboundUnits: ['default'] });
});

function enriched(event: Omit<EcsEvent, '@timestamp'> & { '@timestamp'?: string }): EcsEvent {
  const full = { '@timestamp': '2026-01-01T00:00:00.000Z', ...event } as EcsEvent;
  enricher.enrich(full);
  return full;
}

describe('InventoryEnricher: unit', () => {
  it('puts an unbound event into the unit of its host, by asset, hostname pattern or address', () => {
    expect(enriched({ unit: 'default', host: { name: 'FIN-DB-01' } }).unit).toBe('finance');
    expect(enriched({ unit: 'default', host: { hostname: 'fin-ws-99' } })).toMatchObject({
      unit: 'finance',
      vigil: { unit_from: 'host.hostname' },
    });
    expect(enriched({ unit: 'default', host: { hostname: 'atm-3.branch12.bank.local' } }).unit).toBe('branch12');
    expect(enriched({ unit: 'default', host: { ip: ['192.0.2.1', '10.12.4.4'] } }).unit).toBe('branch12');
    expect(enriched({ unit: 'default', host: { ip: '2001:db8:1::77' } }).unit).toBe('finance');
  });

  it('prefers the host over the source, and the source over the destination', () => {
    const firewall = {
      unit: 'default',
      host: { hostname: 'teller-07.branch12.bank.local' },
      source: { ip: '10.1.0.5' },
    };
    expect(enriched(firewall).unit).toBe('branch12');
    expect(enriched({ unit: 'default', source: { ip: '10.1.0.5' }, destination: { ip: '172.20.0.9' } }).unit).toBe(
      'finance',
    );
    expect(enriched({ unit: 'default', source: { ip: '8.8.8.8' }, destination: { ip: '172.20.0.9' } })).toMatchObject({
      unit: 'partner',
      vigil: { unit_from: 'destination.ip' },
    });
    // client/server stand in for source/destination.
    expect(enriched({ unit: 'default', client: { ip: '10.12.0.1' } }).unit).toBe('branch12');
  });

  it('uses the most specific network: a finance address inside the headquarters range is finance', () => {
    expect(enriched({ unit: 'default', source: { ip: '10.1.200.1' } }).unit).toBe('finance');
    expect(enriched({ unit: 'default', source: { ip: '10.99.0.1' } }).unit).toBe('hq');
  });

  it('never moves an event bound to a unit into another branch of the hierarchy', () => {
    const event = enriched({ unit: 'partner', source: { ip: '10.1.0.5' } });
    expect(event.unit).toBe('partner');
    expect(event.vigil).toBeUndefined();
    // The first unit found decides: the host is in hq's other branch, so a finance source does not win.
    expect(enriched({ unit: 'hq', host: { hostname: 'x.branch12.bank.local' }, source: { ip: '10.1.0.5' } }).unit).toBe(
      'branch12',
    );
    expect(enriched({ unit: 'branch12', host: { hostname: 'fin-ws-1' }, source: { ip: '10.12.0.5' } }).unit).toBe(
      'branch12',
    );
  });

  it('refines a parent unit to its descendant', () => {
    expect(enriched({ unit: 'hq', source: { ip: '10.1.0.5' } }).unit).toBe('finance');
  });

  it('leaves events it knows nothing about untouched', () => {
    const event = {
      '@timestamp': '2026-01-01T00:00:00.000Z',
      unit: 'default',
      source: { ip: '8.8.8.8' },
      host: { name: 'laptop' },
    };
    const before = structuredClone(event);
    enricher.enrich(event);
    expect(event).toEqual(before);
    const bare = {
      '@timestamp': '2026-01-01T00:00:00.000Z',
      unit: 'default',
      source: 'weird',
      host: ['x'],
    } as unknown as EcsEvent;
    enricher.enrich(bare);
    expect(bare.unit).toBe('default');
  });
});

describe('InventoryEnricher: assets', () => {
  it('adds vigil.asset (the most critical) and vigil.assets (all, with their role)', () => {
    // The headquarters firewall reports a branch teller talking to the finance database.
    const event = enriched({
      unit: 'hq',
      host: { name: 'hq-fw-01' },
      source: { ip: '10.12.0.7' },
      destination: { ip: '10.1.2.3' },
    });
    expect(event.unit).toBe('hq');
    const database = {
      id: 'fin-db-01',
      criticality: 'critical',
      unit: 'finance',
      role: 'destination',
      owner: 'alice@bank.example',
    };
    expect(event.vigil).toEqual({
      asset: database,
      assets: [
        { id: 'hq-fw-01', criticality: 'high', unit: 'hq', role: 'host' },
        { id: 'teller-07', criticality: 'low', unit: 'branch12', role: 'source' },
        database,
      ],
    });
  });

  it("never shows another unit's assets on an event", () => {
    const teller = { id: 'teller-07', criticality: 'low', unit: 'branch12', role: 'source' };
    const event = enriched({ unit: 'default', source: { ip: '10.12.0.7' }, destination: { ip: '10.1.2.3' } });
    expect(event.unit).toBe('branch12');
    expect(event.vigil).toEqual({ unit_from: 'source.asset', asset: teller, assets: [teller] });
    const partner = enriched({ unit: 'partner', host: { ip: '10.1.2.3' } });
    expect(partner.vigil).toBeUndefined();
    expect(partner.host).toEqual({ ip: '10.1.2.3' });
  });

  it('fills missing host fields from the asset, never overwriting what the event says', () => {
    const event = enriched({ unit: 'default', host: { ip: ['10.1.2.3'], name: 'fin-db-01' } });
    expect(event.host).toEqual({
      ip: ['10.1.2.3'],
      name: 'fin-db-01',
      hostname: 'fin-db-01.bank.local',
      os: { type: 'linux' },
    });
    const byV6 = enriched({ unit: 'default', host: { ip: '2001:DB8:1::3' } });
    expect(byV6.vigil).toMatchObject({ asset: { id: 'fin-db-01', role: 'host' } });
  });

  it('keeps its per-event cost small (twice the 50,000 events/s pipeline target)', () => {
    const events: EcsEvent[] = [];
    for (let index = 0; index < 100_000; index++) {
      events.push({
        '@timestamp': '2026-01-01T00:00:00.000Z',
        unit: 'default',
        host: { name: index % 3 === 0 ? `fin-ws-${index % 50}` : `laptop-${index % 50}` },
        source: { ip: `10.${index % 20}.${index % 250}.${index % 200}` },
        destination: { ip: `93.184.${index % 250}.34` },
      });
    }
    const start = performance.now();
    for (const event of events) enricher.enrich(event);
    const perSecond = events.length / ((performance.now() - start) / 1000);
    // Measured around 600,000/s here; twice the target leaves room for a busy machine.
    expect(perSecond).toBeGreaterThan(100_000);
  });
});
