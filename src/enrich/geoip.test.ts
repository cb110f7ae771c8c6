import { beforeAll, describe, expect, it } from 'vitest';
import type { EcsEvent } from '../model/event.ts';
import { GeoIpDatabase, GeoIpEnricher, mayBeSpecialIpv4 } from './geoip.ts';
import { isPublicIpv4 } from './ip-address-text.ts';

let database: GeoIpDatabase;

beforeAll(async () => {
  database = await GeoIpDatabase.open({ cacheSize: 100 });
});

function event(fields: Partial<EcsEvent>): EcsEvent {
  return { '@timestamp': '2026-01-01T00:00:00.000Z', unit: 'default', ...fields } as EcsEvent;
}

describe('GeoIpDatabase', () => {
  it('locates public IPv4 and IPv6 addresses', () => {
    expect(database.lookup('8.8.8.8')).toMatchObject({ country_iso_code: 'US', country_name: 'United States' });
    expect(database.lookup('2001:4860:4860::8888')?.country_iso_code).toBe('US');
    expect(database.lookup('::ffff:8.8.8.8')?.country_iso_code).toBe('US');
    const sweden = database.lookup('89.160.20.156');
    expect(sweden?.country_iso_code).toBe('SE');
    expect(typeof sweden?.location.lat).toBe('number');
    expect(typeof sweden?.location.lon).toBe('number');
  });

  it('does not locate private, special or malformed addresses', () => {
    for (const ip of [
      '10.0.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '100.64.1.1',
      '169.254.1.1',
      '224.0.0.1',
      'fd00::1',
      'fe80::1',
      '::1',
      'nope',
      '',
    ]) {
      expect(database.lookup(ip), ip).toBeUndefined();
    }
  });
});

describe('the IPv4 fast path', () => {
  it('skips the special-range check only under first octets where every address is public', () => {
    for (let octet = 0; octet < 256; octet++) {
      if (mayBeSpecialIpv4[octet]) continue;
      // A special range of /16 or wider contains a /16 boundary (narrower ones: see the table's comment).
      for (let second = 0; second < 256; second++) {
        const address = (octet * 256 + second) * 65536;
        if (!isPublicIpv4(address) || !isPublicIpv4(address + 65535))
          expect.fail(`${octet}.${second}.0.0/16 is not public`);
      }
    }
  });

  it('answers the same for an address whether or not its record is cached', async () => {
    const fresh = await GeoIpDatabase.open({ cacheSize: 1 });
    for (const ip of ['8.8.8.8', '89.160.20.156', '8.8.4.4', '1.1.1.1', '89.160.20.156', '8.8.8.8']) {
      expect(fresh.lookup(ip), ip).toEqual(database.lookup(ip));
    }
  });
});

describe('GeoIpEnricher', () => {
  it('adds ECS geo objects beside public source, destination, client and server addresses', () => {
    const enricher = new GeoIpEnricher(database);
    const record = event({
      source: { ip: '10.1.2.3', port: 5000 },
      destination: { ip: '8.8.8.8' },
      client: { ip: '89.160.20.156' },
      server: { ip: '192.168.0.1' },
    });
    enricher.enrich(record);
    expect(record.source).toEqual({ ip: '10.1.2.3', port: 5000 });
    expect(record.server).toEqual({ ip: '192.168.0.1' });
    expect(record.destination).toMatchObject({
      ip: '8.8.8.8',
      geo: { country_iso_code: 'US', country_name: 'United States' },
    });
    expect(record.client).toMatchObject({ geo: { country_iso_code: 'SE', city_name: expect.any(String) } });
  });

  it('keeps a location the event already has, and gives each event its own copy', () => {
    const enricher = new GeoIpEnricher(database);
    const given = event({ source: { ip: '8.8.8.8', geo: { country_iso_code: 'XX' } } });
    enricher.enrich(given);
    expect(given.source).toEqual({ ip: '8.8.8.8', geo: { country_iso_code: 'XX' } });
    const first = event({ source: { ip: '8.8.8.8' } });
    const second = event({ source: { ip: '8.8.8.8' } });
    enricher.enrich(first);
    enricher.enrich(second);
    const firstGeo = (first.source as { geo: { country_iso_code: string } }).geo;
    firstGeo.country_iso_code = 'changed';
    expect((second.source as { geo: { country_iso_code: string } }).geo.country_iso_code).toBe('US');
  });
});
