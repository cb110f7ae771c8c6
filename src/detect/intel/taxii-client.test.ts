import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importStix } from './intel-import.ts';
import { pollTaxiiCollection, TaxiiError } from './taxii-client.ts';

// A tiny TAXII 2.1 server: three indicators added at t1, t2, t3; pages of two.
const added = [
  { at: '2026-01-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '203.0.113.1']" },
  { at: '2026-01-02T00:00:00.000Z', pattern: "[domain-name:value = 'evil.example']" },
  { at: '2026-01-03T00:00:00.000Z', pattern: "[ipv4-addr:value = '203.0.113.3']" },
];
const seen: IncomingMessage[] = [];
let server: Server;
let root: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request);
    const url = new URL(request.url!, 'http://x');
    if (request.headers.authorization !== `Basic ${Buffer.from('reader:secret').toString('base64')}`) {
      response.writeHead(401).end('{"title":"unauthorised"}');
      return;
    }
    if (url.pathname !== '/api1/collections/c-1/objects/') {
      response.writeHead(404).end('{"title":"no such collection"}');
      return;
    }
    const after = url.searchParams.get('added_after');
    const start = Number(url.searchParams.get('next') ?? 0);
    const fresh = added.filter((entry) => !after || entry.at > after);
    const page = fresh.slice(start, start + 2);
    const body = {
      more: start + 2 < fresh.length,
      next: start + 2 < fresh.length ? String(start + 2) : undefined,
      objects: page.map((entry, index) => ({
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${start + index}`,
        pattern_type: 'stix',
        pattern: entry.pattern,
      })),
    };
    const headers: Record<string, string> = { 'Content-Type': 'application/taxii+json;version=2.1' };
    if (page.length) headers['X-TAXII-Date-Added-Last'] = page[page.length - 1]!.at;
    response.writeHead(200, headers).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('pollTaxiiCollection', () => {
  const config = () => ({ apiRoot: root, collectionId: 'c-1', auth: { basic: 'reader:secret' } });

  it('fetches every page, then only what was added since the returned cursor', async () => {
    const first = await pollTaxiiCollection(config());
    expect(first.pages).toBe(2);
    expect(first.objects).toHaveLength(3);
    expect(first.cursor).toBe('2026-01-03T00:00:00.000Z');
    expect(seen.at(-1)!.headers.accept).toBe('application/taxii+json;version=2.1');
    expect(importStix(first.objects, 'taxii').indicators.map((found) => found.value)).toEqual([
      '203.0.113.1',
      'evil.example',
      '203.0.113.3',
    ]);

    const incremental = await pollTaxiiCollection(config(), '2026-01-01T00:00:00.000Z');
    expect(incremental.objects).toHaveLength(2);
    const nothing = await pollTaxiiCollection(config(), first.cursor);
    expect(nothing.objects).toEqual([]);
    expect(nothing.cursor).toBeUndefined();
  });

  it('reports HTTP errors and unreachable servers clearly', async () => {
    await expect(pollTaxiiCollection({ ...config(), auth: { basic: 'reader:wrong' } })).rejects.toMatchObject({
      name: 'TaxiiError',
      status: 401,
    });
    await expect(pollTaxiiCollection({ ...config(), collectionId: 'nope' })).rejects.toThrow(/TAXII 404/);
    await expect(
      pollTaxiiCollection({ apiRoot: 'http://127.0.0.1:1/api1', collectionId: 'c-1', timeoutMs: 2000 }),
    ).rejects.toBeInstanceOf(TaxiiError);
  });
});
