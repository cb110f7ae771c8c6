import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OverloadedError } from '../pipeline/record-sink.ts';
import { HttpIngestError, HttpRecordSink } from './http-record-sink.ts';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const records = [
  { text: '{"a":1}', source: { kind: 'file', name: 'x' }, unit: 'u', receivedAt: 0 },
  { text: 'two\nlines', source: { kind: 'file', name: 'x' }, unit: 'u', receivedAt: 0 },
];

describe('HttpRecordSink', () => {
  it('posts one line per record with the key, format and unit, and maps errors to 0-based indexes', async () => {
    let seen: { url?: string; auth?: string; body?: string } = {};
    const url = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen = { url: request.url, auth: request.headers.authorization, body };
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ stored: 1, failed: 1, errors: [{ line: 2, reason: 'no parser' }] }));
      });
    });
    const sink = new HttpRecordSink({ url, key: 'vgl_secret', unit: 'finance' });
    const result = await sink.submit(records, { format: 'syslog' });
    sink.close();
    expect(seen).toEqual({
      url: '/api/v1/ingest?format=syslog&unit=finance',
      auth: 'Bearer vgl_secret',
      body: '{"a":1}\ntwo lines\n',
    });
    expect(result).toEqual({ stored: 1, failed: 1, errors: [{ index: 1, reason: 'no parser' }] });
  });

  it('turns 503 with Retry-After into OverloadedError and 401 into HttpIngestError with the message', async () => {
    let status = 503;
    const url = await serve((_request, response) => {
      response.statusCode = status;
      if (status === 503) response.setHeader('retry-after', '3');
      response.end(JSON.stringify({ code: 'VIGIL_ERR_UNAUTHORIZED', message: 'bad key' }));
    });
    const sink = new HttpRecordSink({ url, key: 'k' });
    const busy = await sink.submit(records).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(OverloadedError);
    expect((busy as OverloadedError).retryAfterSeconds).toBe(3);
    status = 401;
    const denied = await sink.submit(records).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(HttpIngestError);
    expect((denied as Error).message).toMatch(/HTTP 401 .*VIGIL_ERR_UNAUTHORIZED: bad key/);
    sink.close();
  });

  it('splits a batch whose body would exceed the limit and merges the answers with the right indexes', async () => {
    const bodies: string[] = [];
    const url = await serve((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        const lines = body.split('\n').filter(Boolean);
        const errors = lines.flatMap((line, index) =>
          line.startsWith('bad') ? [{ line: index + 1, reason: 'bad' }] : [],
        );
        response.end(JSON.stringify({ stored: lines.length - errors.length, failed: errors.length, errors }));
      });
    });
    const texts = ['a'.repeat(40), 'b'.repeat(40), 'bad'.padEnd(40, 'x'), 'c'.repeat(40)];
    const sink = new HttpRecordSink({ url, key: 'k', maxBodyBytes: 100 });
    const result = await sink.submit(texts.map((text) => ({ ...records[0]!, text })));
    sink.close();
    expect(bodies).toHaveLength(2);
    expect(result).toEqual({ stored: 3, failed: 1, errors: [{ index: 2, reason: 'bad' }] });
  });
});
