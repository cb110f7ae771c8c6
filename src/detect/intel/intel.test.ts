import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import type { EcsEvent } from '../../model/event.ts';
import { classifyValue, type Indicator } from './indicator.ts';
import { IndicatorIndex } from './indicator-index.ts';
import { importIntel, importIocList, importMisp, importStix } from './intel-import.ts';
import { intelAlerts, matchEvent } from './intel-matcher.ts';
import { canonicalIp, parseCidr, parseIp } from './ip-address.ts';
import { extractPatternValues } from './stix-pattern.ts';

const indicator = (type: Indicator['type'], value: string, extra: Partial<Indicator> = {}): Indicator => ({
  type,
  value,
  source: 'test',
  confidence: 80,
  ...extra,
});

describe('IP addresses', () => {
  it('parses v4, v6, compressed and mapped forms and rejects junk', () => {
    expect(canonicalIp(parseIp('10.1.2.3')!)).toBe('10.1.2.3');
    expect(canonicalIp(parseIp('2001:db8::1')!)).toBe('2001:db8:0:0:0:0:0:1');
    expect(canonicalIp(parseIp('::ffff:192.0.2.7')!)).toBe('192.0.2.7');
    expect(canonicalIp(parseIp('fe80::1%eth0')!)).toBe('fe80:0:0:0:0:0:0:1');
    for (const bad of ['', '1.2.3', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1::2::3', '12345::', 'x'.repeat(100)]) {
      expect(parseIp(bad), bad).toBeUndefined();
    }
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('2001:db8::/32')?.prefix).toBe(32);
  });

  it('classifies plain list values', () => {
    expect(classifyValue('8.8.8.8')).toEqual({ type: 'ip', value: '8.8.8.8' });
    expect(classifyValue('10.0.0.0/8')).toEqual({ type: 'cidr', value: '10.0.0.0/8' });
    expect(classifyValue('10.0.0.1/32')).toEqual({ type: 'ip', value: '10.0.0.1' });
    expect(classifyValue('Evil.Example.COM.')).toEqual({ type: 'domain', value: 'evil.example.com' });
    expect(classifyValue('bad.cafe')).toEqual({ type: 'domain', value: 'bad.cafe' });
    expect(classifyValue('http://Evil.example.com/a#x')).toEqual({ type: 'url', value: 'http://evil.example.com/a' });
    expect(classifyValue('D41D8CD98F00B204E9800998ECF8427E')?.type).toBe('md5');
    expect(classifyValue('a'.repeat(64))?.type).toBe('sha256');
    expect(classifyValue('Boss@Corp.example')).toEqual({ type: 'email', value: 'boss@corp.example' });
    expect(classifyValue('not a value')).toBeUndefined();
  });
});

describe('STIX patterns', () => {
  it('extracts OR-ed equality comparisons, IN lists, hashes and networks', () => {
    expect(extractPatternValues("[domain-name:value = 'a.example' OR ipv4-addr:value = '60.10.1.120']")).toEqual({
      ok: true,
      values: [
        { type: 'domain', value: 'a.example' },
        { type: 'ip', value: '60.10.1.120' },
      ],
    });
    expect(
      extractPatternValues(
        "[file:hashes.'SHA-256' = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C']",
      ),
    ).toEqual({
      ok: true,
      values: [{ type: 'sha256', value: 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c' }],
    });
    expect(extractPatternValues("[ipv4-addr:value = '112.64.0.0/15']")).toEqual({
      ok: true,
      values: [{ type: 'cidr', value: '112.64.0.0/15' }],
    });
    expect(extractPatternValues("[ipv4-addr:value ISSUBSET '10.0.0.0/8']")).toEqual({
      ok: true,
      values: [{ type: 'cidr', value: '10.0.0.0/8' }],
    });
    expect(
      extractPatternValues("[url:value IN ('http://a.example/x', 'http://b.example/y')] WITHIN 10 SECONDS").ok,
    ).toBe(true);
    expect(
      extractPatternValues("[file:name = 'x.exe' AND file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"),
    ).toEqual({
      ok: true,
      values: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' }],
    });
  });

  it('refuses patterns that only hold as a whole, with a reason, and never throws', () => {
    const refused = [
      "[email-message:subject MATCHES '^Invoice']",
      "[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'a.example']",
      "[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [domain-name:value = 'a.example']",
      "[ipv4-addr:value NOT = '1.2.3.4']",
      "[file:name = 'a' AND file:size = 3]",
      "[ipv4-addr:value = 'not-an-ip']",
      "[ipv4-addr:value = '1.2.3.4'",
      "[domain-name:value = 'unterminated]",
      '',
      ']['.repeat(10_000),
    ];
    for (const pattern of refused) {
      const result = extractPatternValues(pattern);
      expect(result.ok, pattern.slice(0, 60)).toBe(false);
      expect(result.ok === false && result.reason.length > 0).toBe(true);
    }
  });
});

describe('IndicatorIndex', () => {
  const index = new IndicatorIndex();
  index.add([
    indicator('ip', '203.0.113.9'),
    indicator('cidr', '198.51.100.0/24', { confidence: 40 }),
    indicator('cidr', '2001:db8:bad::/48'),
    indicator('domain', 'evil.example'),
    indicator('url', 'http://evil.example/payload.exe'),
    indicator('sha256', 'a'.repeat(64)),
    indicator('ip', '203.0.113.50', { validUntil: Date.UTC(2020, 0, 1) }),
  ]);

  it('matches hosts, networks (v4 and v6), subdomains, URLs and hashes', () => {
    expect(index.matchIp('203.0.113.9')).toHaveLength(1);
    expect(index.matchIp('198.51.100.77')).toHaveLength(1);
    expect(index.matchIp('198.51.101.1')).toHaveLength(0);
    expect(index.matchIp('2001:db8:bad:1::5')).toHaveLength(1);
    expect(index.matchIp('2001:db8:bae::5')).toHaveLength(0);
    expect(index.matchDomain('cdn.a.EVIL.example')).toHaveLength(1);
    expect(index.matchDomain('notevil.example')).toHaveLength(0);
    expect(index.matchDomain('example')).toHaveLength(0);
    expect(index.matchUrl('HTTP://evil.example/payload.exe')).toHaveLength(1);
    expect(index.matchHash('A'.repeat(64))).toHaveLength(1);
    expect(index.matchIp('not an ip')).toHaveLength(0);
  });

  it('ignores expired indicators', () => {
    expect(index.matchIp('203.0.113.50')).toHaveLength(0);
    expect(index.matchIp('203.0.113.50', Date.UTC(2019, 0, 1))).toHaveLength(1);
  });

  it('raises one alert per observed value with the indicator, source and confidence', () => {
    const event: EcsEvent = {
      '@timestamp': '2026-11-22T08:00:00.000Z',
      unit: 'finance',
      source: { ip: '10.1.1.1' },
      destination: { ip: '198.51.100.77', domain: 'www.evil.example' },
      related: { ip: ['10.1.1.1', '198.51.100.77'] },
    };
    const alerts = intelAlerts(index, { id: 'E1', event });
    expect(alerts).toHaveLength(2);
    const network = alerts.find((alert) => alert.intel?.type === 'cidr')!;
    expect(network).toMatchObject({ unit: 'finance', kind: 'intel', eventIds: ['E1'], rule: { level: 'low' } });
    expect(network.intel).toMatchObject({
      field: 'destination.ip',
      indicator: '198.51.100.0/24',
      source: 'test',
      confidence: 40,
    });
    expect(alerts.find((alert) => alert.intel?.type === 'domain')?.rule.level).toBe('high');
    expect(
      matchEvent(index, { '@timestamp': '2026-01-01T00:00:00.000Z', unit: 'x', source: { ip: '10.0.0.1' } }),
    ).toEqual([]);
  });

  it('looks up in constant time per value: 200k indicators, 100k lookups well under a second', () => {
    const big = new IndicatorIndex();
    const many: Indicator[] = [];
    for (let n = 0; n < 200_000; n++) many.push(indicator('ip', `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`));
    for (let n = 0; n < 1000; n++) many.push(indicator('cidr', `172.${16 + (n % 16)}.${n % 256}.0/24`));
    big.add(many);
    const started = performance.now();
    let hits = 0;
    for (let n = 0; n < 100_000; n++) hits += big.matchIp(`10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`).length;
    expect(hits).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('importers on hand-made feeds', () => {
  it('reads a MISP event with objects and composite attributes, skipping context-only ones', () => {
    const result = importMisp(
      {
        Event: {
          info: 'Campaign X',
          threat_level_id: '1',
          Tag: [{ name: 'tlp:amber' }],
          Attribute: [
            { uuid: 'a1', type: 'ip-dst|port', value: '203.0.113.5|443', to_ids: true },
            { uuid: 'a2', type: 'link', value: 'https://blog.example/post', to_ids: false },
            { uuid: 'a3', type: 'vulnerability', value: 'CVE-2024-1', to_ids: true },
          ],
          Object: [
            { Attribute: [{ uuid: 'o1', type: 'filename|sha256', value: `evil.exe|${'b'.repeat(64)}`, to_ids: true }] },
          ],
        },
      },
      'misp:test',
    );
    expect(result.indicators.map((found) => [found.type, found.value])).toEqual([
      ['ip', '203.0.113.5'],
      ['filename', 'evil.exe'],
      ['sha256', 'b'.repeat(64)],
    ]);
    expect(result.indicators[0]).toMatchObject({ confidence: 90, threatName: 'Campaign X', tags: ['tlp:amber'] });
    expect(result.skipped.map((entry) => entry.id)).toEqual(['a2', 'a3']);
  });

  it('reads ipsum-style and description lists, remembering the comment as threat name', () => {
    const list = importIocList(
      '# header\n# Operation Snowman\nsuroot.com\n58.64.143.244\t5\nnot_valid value\n' +
        `${'c'.repeat(32)};Trojan dropper\n`,
      'list',
    );
    expect(list.indicators).toEqual([
      {
        type: 'domain',
        value: 'suroot.com',
        source: 'list',
        confidence: 60,
        threatName: 'Operation Snowman',
        description: undefined,
      },
      {
        type: 'ip',
        value: '58.64.143.244',
        source: 'list',
        confidence: 90,
        threatName: 'Operation Snowman',
        description: undefined,
      },
      {
        type: 'md5',
        value: 'c'.repeat(32),
        source: 'list',
        confidence: 60,
        threatName: 'Trojan dropper',
        description: 'Trojan dropper',
      },
    ]);
    expect(list.skipped).toHaveLength(1);
    expect(list.skipped[0]!.id).toBe('list:5');
  });

  it('names the threat an indicator indicates in a STIX bundle and skips revoked ones', () => {
    const result = importStix(
      {
        type: 'bundle',
        objects: [
          {
            type: 'indicator',
            id: 'indicator--1',
            pattern_type: 'stix',
            pattern: "[ipv4-addr:value = '203.0.113.1']",
            confidence: 85,
          },
          {
            type: 'indicator',
            id: 'indicator--2',
            pattern_type: 'stix',
            pattern: "[ipv4-addr:value = '203.0.113.2']",
            revoked: true,
          },
          { type: 'indicator', id: 'indicator--3', pattern_type: 'sigma', pattern: 'title: x' },
          { type: 'malware', id: 'malware--1', name: 'Poison Ivy' },
          {
            type: 'relationship',
            relationship_type: 'indicates',
            source_ref: 'indicator--1',
            target_ref: 'malware--1',
          },
        ],
      },
      'stix:test',
    );
    expect(result.indicators).toEqual([
      expect.objectContaining({
        value: '203.0.113.1',
        threatName: 'Poison Ivy',
        confidence: 85,
        sourceId: 'indicator--1',
      }),
    ]);
    expect(result.skipped.map((entry) => entry.reason)).toEqual(['revoked', 'pattern_type sigma is not supported']);
  });

  it('picks the importer from the content and reports invalid JSON', () => {
    expect(importIntel('{"type":"bundle","objects":[]}', 's').format).toBe('stix');
    expect(importIntel('{"Event":{"Attribute":[]}}', 's').format).toBe('misp');
    expect(importIntel('1.2.3.4\n', 's').format).toBe('list');
    expect(importIntel('{"broken', 's').skipped[0]!.reason).toMatch(/invalid JSON/);
  });
});

describe.skipIf(!hasSharedData('intel'))('importers on the shared feeds', () => {
  const files = (dir: string) =>
    readdirSync(sharedData('intel', dir))
      .filter((name) => name.endsWith('.json'))
      .map((name) => join(sharedData('intel', dir), name));

  it('imports every STIX example: the C2 bundle yields its address, APT1 its domains and networks', () => {
    let total = 0;
    for (const file of files('stix/cti-stix2-json-schemas').concat(files('stix/cti-documentation'))) {
      const result = importIntel(readFileSync(file, 'utf8'), file);
      total += result.indicators.length;
    }
    const apt1 = importIntel(readFileSync(sharedData('intel/stix/cti-stix2-json-schemas/apt1.json'), 'utf8'), 'apt1');
    expect(apt1.indicators.some((found) => found.type === 'domain')).toBe(true);
    const index = new IndicatorIndex();
    index.add(
      importIntel(
        readFileSync(sharedData('intel/stix/cti-stix2-json-schemas/indicator-for-c2-ip-address.json'), 'utf8'),
        'c2',
      ).indicators,
    );
    expect(index.matchIp('10.0.0.0')).toHaveLength(1);
    expect(total).toBeGreaterThan(50);
  });

  it('imports the MISP events with indicators from attributes and objects', () => {
    let total = 0;
    for (const file of files('misp/pymisp')) total += importIntel(readFileSync(file, 'utf8'), file).indicators.length;
    expect(total).toBeGreaterThan(100);
  });

  it('imports the ipsum list (≈120k addresses) and the signature-base C2 and hash lists', () => {
    const ipsum = importIocList(readFileSync(sharedData('intel/ioc/ipsum/ipsum.txt'), 'utf8'), 'ipsum');
    expect(ipsum.indicators.length).toBeGreaterThan(100_000);
    expect(ipsum.skipped).toEqual([]);
    const c2 = importIocList(
      readFileSync(sharedData('intel/ioc/signature-base/c2-iocs.txt'), 'utf8'),
      'signature-base',
    );
    expect(c2.indicators.length).toBeGreaterThan(100);
    const hashes = importIocList(
      readFileSync(sharedData('intel/ioc/signature-base/hash-iocs.txt'), 'utf8'),
      'signature-base',
    );
    expect(hashes.indicators.every((found) => ['md5', 'sha1', 'sha256'].includes(found.type))).toBe(true);
    expect(hashes.indicators.length).toBeGreaterThan(1000);
  });
});
