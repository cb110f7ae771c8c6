// Syslog listeners on real sockets (127.0.0.1, ephemeral ports): UDP, TCP with both framings,
// TLS, unit binding by sender network, backpressure (paused reads, counted UDP drops) and
// hostile frames that must neither crash the listener nor stop later messages.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type SyslogConfig,
  type SyslogListeners,
  startSyslogListeners,
  syslogConfigFromSettings,
} from '../../src/ingest/syslog/syslog-listeners.ts';
import { FakeSink, testContext, waitFor } from './fake-sink.ts';

const fixtures = join(import.meta.dirname, '__fixtures__');
const certFile = join(fixtures, 'syslog-test-cert.pem');
const keyFile = join(fixtures, 'syslog-test-key.pem');

let running: SyslogListeners | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(config: SyslogConfig, sink = new FakeSink(), context = testContext()) {
  running = await startSyslogListeners(config, sink, context);
  return { listeners: running, sink, context };
}

function tcpClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

function write(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())));
}

function framed(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

function texts(sink: FakeSink): string[] {
  return sink.records.map((record) => record.text);
}

describe('syslog listeners', () => {
  it('receives UDP datagrams, one message each, bound to the listener unit, time zone and format', async () => {
    const { listeners, sink, context } = await start({
      listeners: [{ protocol: 'udp', port: 0, unit: 'branch-12', timezone: 'Europe/Berlin', format: 'syslog' }],
      batch: { maxWaitMs: 5 },
    });
    const port = listeners.addresses[0]!.port;
    const client = createSocket('udp4');
    for (const message of ['<34>Oct 11 22:14:15 mymachine su: fail\n', '<13>second']) {
      await new Promise<void>((resolve) => client.send(message, port, '127.0.0.1', () => resolve()));
    }
    client.close();
    await waitFor(() => sink.records.length === 2, 5000, 'two UDP messages');
    expect(texts(sink)).toEqual(['<34>Oct 11 22:14:15 mymachine su: fail', '<13>second']);
    expect(sink.records[0]).toMatchObject({
      unit: 'branch-12',
      timezone: 'Europe/Berlin',
      formatHint: 'syslog',
      source: { kind: 'syslog-udp', peer: '127.0.0.1', name: `udp://127.0.0.1:${port}` },
    });
    await listeners.close();
    running = undefined;
    expect(context.metrics.get('vigil_syslog_messages_total', { listener: `udp://127.0.0.1:${port}` })).toBe(2);
  });

  it('receives TCP newline-framed and octet-counted messages on the same port', async () => {
    const { listeners, sink } = await start({ listeners: [{ protocol: 'tcp', port: 0 }], batch: { maxWaitMs: 5 } });
    const port = listeners.addresses[0]!.port;
    const newline = await tcpClient(port);
    await write(newline, '<13>line one\n<13>line two\r\n<13>no newline at end');
    newline.end();
    const counted = await tcpClient(port);
    await write(counted, framed('<165>1 2026-11-22T07:00:00Z host app - - - multi\nline') + framed('<13>second'));
    counted.end();
    await waitFor(() => sink.records.length === 5, 5000, 'five TCP messages');
    expect(texts(sink).sort()).toEqual(
      [
        '<13>line one',
        '<13>line two',
        '<13>no newline at end',
        '<165>1 2026-11-22T07:00:00Z host app - - - multi\nline',
        '<13>second',
      ].sort(),
    );
    expect(sink.records[0]!.source.kind).toBe('syslog-tcp');
  });

  it('receives octet-counted messages over TLS (RFC 5425)', async () => {
    const { listeners, sink } = await start({
      listeners: [{ protocol: 'tls', port: 0, unit: 'dmz', tls: { certFile, keyFile } }],
      batch: { maxWaitMs: 5 },
    });
    const port = listeners.addresses[0]!.port;
    const socket = await new Promise<ReturnType<typeof connectTls>>((resolve, reject) => {
      const client = connectTls({ port, host: '127.0.0.1', servername: 'localhost', ca: readFileSync(certFile) }, () =>
        resolve(client),
      );
      client.on('error', reject);
    });
    expect(socket.authorized).toBe(true);
    socket.write(framed('<13>over tls one') + framed('<13>over tls two'));
    socket.end();
    await waitFor(() => sink.records.length === 2, 5000, 'two TLS messages');
    expect(texts(sink)).toEqual(['<13>over tls one', '<13>over tls two']);
    expect(sink.records[0]).toMatchObject({ unit: 'dmz', source: { kind: 'syslog-tls' } });
  });

  it('refuses to start TLS without readable cert files, naming the file', async () => {
    await expect(
      startSyslogListeners(
        { listeners: [{ protocol: 'tls', port: 0, tls: { certFile: '/nonexistent/cert.pem', keyFile } }] },
        new FakeSink(),
        testContext(),
      ),
    ).rejects.toThrow(/\/nonexistent\/cert\.pem/);
  });

  it('binds senders to units by network, longest prefix first', async () => {
    const { listeners, sink } = await start({
      listeners: [
        {
          protocol: 'tcp',
          port: 0,
          unit: 'fallback',
          unitsByNetwork: [
            { cidr: '127.0.0.0/8', unit: 'loopback' },
            { cidr: '127.0.0.1/32', unit: 'exact-host' },
            { cidr: '10.0.0.0/8', unit: 'other' },
          ],
        },
      ],
      batch: { maxWaitMs: 5 },
    });
    const socket = await tcpClient(listeners.addresses[0]!.port);
    await write(socket, '<13>hello\n');
    socket.end();
    await waitFor(() => sink.records.length === 1);
    expect(sink.records[0]!.unit).toBe('exact-host');
  });

  it('pauses TCP reads while the sink holds its submits, and delivers everything once released', async () => {
    const sink = new FakeSink();
    sink.hold();
    const { listeners, context } = await start(
      {
        listeners: [{ protocol: 'tcp', port: 0 }],
        batch: { maxWaitMs: 5, maxRecords: 100, maxInFlightBytes: 64 * 1024 },
      },
      sink,
    );
    const socket = await tcpClient(listeners.addresses[0]!.port);
    const total = 40_000;
    const line = `<13>${'x'.repeat(500)}\n`;
    const payload = Buffer.from(line.repeat(1000));
    // Write without waiting for the drain: the kernel buffers fill once the server stops reading.
    let written = 0;
    const writing = (async () => {
      for (let index = 0; index < total / 1000; index++) {
        if (!socket.write(payload)) await new Promise((resolve) => socket.once('drain', resolve));
        written += 1000;
      }
    })();
    await waitFor(() => context.metrics.get('vigil_ingest_congested', { source: 'syslog' }) === 1, 5000, 'congestion');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Reads are paused: the writer cannot finish and only about one budget of records was read.
    expect(written).toBeLessThan(total);
    expect(sink.records.length).toBe(0);
    expect(sink.pendingSubmits).toBeGreaterThan(0);
    sink.release();
    await writing;
    socket.end();
    await waitFor(() => sink.records.length === total, 20_000, 'all TCP messages after release');
    expect(context.metrics.get('vigil_ingest_congested', { source: 'syslog' })).toBe(0);
  });

  it('retries batches the sink rejects as overloaded, and counts the rejections', async () => {
    const sink = new FakeSink();
    sink.overloadNext = 2;
    const { listeners, context } = await start(
      { listeners: [{ protocol: 'tcp', port: 0 }], batch: { maxWaitMs: 5 } },
      sink,
    );
    const socket = await tcpClient(listeners.addresses[0]!.port);
    await write(socket, '<13>a\n<13>b\n');
    socket.end();
    await waitFor(() => sink.records.length === 2, 5000, 'records after retries');
    expect(context.metrics.get('vigil_ingest_overloaded_total', { source: 'syslog' })).toBe(2);
  });

  it('drops UDP datagrams while congested and counts every drop', async () => {
    const sink = new FakeSink();
    sink.hold();
    const { listeners, context } = await start(
      { listeners: [{ protocol: 'udp', port: 0, name: 'udp-test' }], batch: { maxWaitMs: 1, maxInFlightBytes: 4096 } },
      sink,
    );
    const client = createSocket('udp4');
    const sent = 200;
    for (let index = 0; index < sent; index++) {
      await new Promise<void>((resolve) =>
        client.send(`<13>${index} ${'y'.repeat(100)}`, listeners.addresses[0]!.port, '127.0.0.1', () => resolve()),
      );
    }
    client.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    sink.release();
    await listeners.close();
    running = undefined;
    const dropped = context.metrics.get('vigil_syslog_dropped_total', { listener: 'udp-test', reason: 'overloaded' });
    const received = context.metrics.get('vigil_syslog_messages_total', { listener: 'udp-test' });
    expect(dropped).toBeGreaterThan(0);
    expect(received).toBe(sink.records.length);
    expect(received + dropped).toBeLessThanOrEqual(sent);
    expect(received).toBeLessThan(sent);
  });

  it('survives hostile frames (binary, 16 MB without newline, bad octet counts) and keeps serving', async () => {
    const { listeners, sink, context } = await start({
      listeners: [{ protocol: 'tcp', port: 0, name: 'hostile' }],
      maxMessageBytes: 64 * 1024,
      batch: { maxWaitMs: 5 },
    });
    const port = listeners.addresses[0]!.port;
    const socket = await tcpClient(port);
    await write(socket, '<13>before\n');
    await write(socket, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]));
    const block = Buffer.alloc(1024 * 1024, 0x41);
    for (let index = 0; index < 16; index++) await write(socket, block);
    await write(socket, '\n<13>after huge\n0 <13>zero count\n99999999999 junk\n999999 <13>truncated');
    socket.end();
    await waitFor(() => texts(sink).includes('<13>zero count'), 10_000, 'messages after the hostile frames');
    expect(texts(sink)).toContain('<13>before');
    expect(texts(sink)).toContain('<13>after huge');
    // A new connection is still served.
    const again = await tcpClient(port);
    await write(again, '<13>still alive\n');
    again.end();
    await waitFor(() => texts(sink).includes('<13>still alive'));
    await listeners.close();
    running = undefined;
    expect(
      context.metrics.get('vigil_syslog_frame_errors_total', { listener: 'hostile', reason: 'oversize' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      context.metrics.get('vigil_syslog_frame_errors_total', { listener: 'hostile', reason: 'bad_octet_count' }),
    ).toBe(2);
    expect(texts(sink).every((text) => text.length <= 64 * 1024)).toBe(true);
  });

  it('builds UDP and TCP listeners from settings, and TLS only when a certificate is configured', () => {
    const settings = { host: '0.0.0.0', udpPort: 5514, tcpPort: 5514, unit: 'u', timezone: '', maxMessageBytes: 1000 };
    expect(syslogConfigFromSettings(settings).listeners.map((listener) => listener.protocol)).toEqual(['udp', 'tcp']);
    const withTls = syslogConfigFromSettings({ ...settings, udpPort: 0, tlsCertFile: certFile, tlsKeyFile: keyFile });
    expect(withTls.listeners.map((listener) => [listener.protocol, listener.port])).toEqual([
      ['tcp', 5514],
      ['tls', 6514],
    ]);
  });
});
