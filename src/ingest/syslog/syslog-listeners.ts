// The syslog source: UDP, TCP and TLS listeners that frame messages, bind them to a unit (per
// listener, optionally per sender network) and hand them to the pipeline in batches. TCP/TLS
// reads pause while the pipeline is congested; UDP cannot push back, so it drops and counts.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { BlockList, createServer, isIPv6, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { RawRecord, RecordSource } from '../../model/event.ts';
import type { RecordSink } from '../../pipeline/record-sink.ts';
import type { StageContext } from '../../pipeline/stage-context.ts';
import { RecordBatcher, type RecordBatcherOptions } from '../record-batcher.ts';
import { type FrameErrorReason, SyslogFrameDecoder } from './syslog-frame-decoder.ts';

export type SyslogProtocol = 'udp' | 'tcp' | 'tls';

export interface SyslogTlsConfig {
  /** PEM certificate (chain) file. */
  readonly certFile: string;
  /** PEM private key file. */
  readonly keyFile: string;
  /** PEM CA bundle used to verify client certificates (mutual TLS). */
  readonly caFile?: string;
  /** Require senders to present a certificate signed by caFile. */
  readonly requireClientCert?: boolean;
}

export interface SyslogListenerConfig {
  readonly protocol: SyslogProtocol;
  /** Listen address (default 127.0.0.1; "0.0.0.0" or "::" for all interfaces). */
  readonly host?: string;
  /** Port; 0 picks a free one (tests). */
  readonly port: number;
  /** Name in metrics and `source.name` (default "<protocol>://host:port"). */
  readonly name?: string;
  /** Unit of the records (default "default"). */
  readonly unit?: string;
  /** Sender networks bound to other units; the longest matching prefix wins. */
  readonly unitsByNetwork?: readonly { readonly cidr: string; readonly unit: string }[];
  /** Time zone for timestamps without one (IANA name or "+05:00"). */
  readonly timezone?: string;
  /** Parser format for this listener's messages (default: auto-detect). */
  readonly format?: string;
  /** Required for protocol 'tls'. */
  readonly tls?: SyslogTlsConfig;
}

export interface SyslogConfig {
  readonly listeners: readonly SyslogListenerConfig[];
  /** Longest message (default 64 KiB); longer frames are counted as errors and skipped. */
  readonly maxMessageBytes?: number;
  /** Most simultaneous TCP/TLS connections per listener (default 1024). */
  readonly maxConnections?: number;
  /** Batching and backpressure (records per submit, wait, byte budget). */
  readonly batch?: Pick<RecordBatcherOptions, 'maxRecords' | 'maxWaitMs' | 'maxInFlightBytes' | 'maxRetryDelayMs'>;
}

export interface SyslogListenerAddress {
  readonly name: string;
  readonly protocol: SyslogProtocol;
  readonly address: string;
  readonly port: number;
}

export interface SyslogListeners {
  readonly addresses: readonly SyslogListenerAddress[];
  /** Stop listening, end connections and resolve once everything received is submitted. */
  close(): Promise<void>;
}

export const syslogDefaults = {
  host: '127.0.0.1',
  unit: 'default',
  maxMessageBytes: 64 * 1024,
  maxConnections: 1024,
  udpPort: 5514,
  tcpPort: 5514,
  tlsPort: 6514,
} as const;

/** The settings of `vigil.yaml` (`syslog.*`) as listener configs; TLS only when a cert is given. */
export function syslogConfigFromSettings(settings: {
  readonly host: string;
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly unit: string;
  readonly timezone: string;
  readonly maxMessageBytes: number;
  readonly tlsPort?: number;
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  readonly tlsCaFile?: string;
}): SyslogConfig {
  const common = {
    host: settings.host,
    unit: settings.unit,
    ...(settings.timezone ? { timezone: settings.timezone } : {}),
  };
  const listeners: SyslogListenerConfig[] = [];
  if (settings.udpPort > 0) listeners.push({ ...common, protocol: 'udp', port: settings.udpPort });
  if (settings.tcpPort > 0) listeners.push({ ...common, protocol: 'tcp', port: settings.tcpPort });
  if (settings.tlsCertFile && settings.tlsKeyFile) {
    listeners.push({
      ...common,
      protocol: 'tls',
      port: settings.tlsPort ?? syslogDefaults.tlsPort,
      tls: {
        certFile: settings.tlsCertFile,
        keyFile: settings.tlsKeyFile,
        ...(settings.tlsCaFile ? { caFile: settings.tlsCaFile, requireClientCert: true } : {}),
      },
    });
  }
  return { listeners, maxMessageBytes: settings.maxMessageBytes };
}

const udpReceiveBufferBytes = 4 * 1024 * 1024;

/** Counters kept per listener on the hot path and copied into Metrics once a second. */
interface ListenerStats {
  messages: number;
  bytes: number;
  dropped: number;
  readonly errors: Map<FrameErrorReason, number>;
}

interface RunningListener {
  readonly address: SyslogListenerAddress;
  readonly stats: ListenerStats;
  close(): Promise<void>;
}

/**
 * Start the configured listeners. Throws (with the listener and file named) when a port cannot
 * be bound or a TLS file cannot be read; listeners already started are closed first.
 */
export async function startSyslogListeners(
  config: SyslogConfig,
  sink: RecordSink,
  context: StageContext,
): Promise<SyslogListeners> {
  const maxMessageBytes = config.maxMessageBytes ?? syslogDefaults.maxMessageBytes;
  const maxConnections = config.maxConnections ?? syslogDefaults.maxConnections;
  const sockets = new Set<Socket>();
  const batcher = new RecordBatcher({
    ...config.batch,
    name: 'syslog',
    sink,
    context,
    onCongestion(congested) {
      // TCP pushes back to the sender through its window once we stop reading.
      for (const socket of sockets) {
        if (congested) socket.pause();
        else socket.resume();
      }
      context.log.warn(congested ? 'syslog: pipeline congested, pausing TCP reads' : 'syslog: resuming TCP reads', {
        inFlightBytes: batcher.inFlightBytes,
      });
    },
  });

  const running: RunningListener[] = [];
  try {
    for (const listener of config.listeners) {
      const shared = { listener, batcher, context, maxMessageBytes, maxConnections, sockets };
      running.push(listener.protocol === 'udp' ? await startUdp(shared) : await startStream(shared));
    }
  } catch (error) {
    await Promise.all(running.map((entry) => entry.close()));
    throw error;
  }

  const publish = () => {
    for (const { address, stats } of running) publishStats(context, address.name, stats);
  };
  const interval = setInterval(publish, 1000);
  interval.unref();

  let closing: Promise<void> | undefined;
  return {
    addresses: running.map((entry) => entry.address),
    close() {
      closing ??= (async () => {
        clearInterval(interval);
        await Promise.all(running.map((entry) => entry.close()));
        await batcher.close();
        publish();
      })();
      return closing;
    },
  };
}

interface ListenerSetup {
  readonly listener: SyslogListenerConfig;
  readonly batcher: RecordBatcher;
  readonly context: StageContext;
  readonly maxMessageBytes: number;
  readonly maxConnections: number;
  readonly sockets: Set<Socket>;
}

function newStats(): ListenerStats {
  return { messages: 0, bytes: 0, dropped: 0, errors: new Map() };
}

function publishStats(context: StageContext, listener: string, stats: ListenerStats): void {
  const { metrics } = context;
  const labels = { listener };
  if (stats.messages > 0)
    metrics.inc('vigil_syslog_messages_total', labels, stats.messages, 'Syslog messages received');
  if (stats.bytes > 0) metrics.inc('vigil_syslog_bytes_total', labels, stats.bytes, 'Syslog message bytes received');
  if (stats.dropped > 0) {
    metrics.inc(
      'vigil_syslog_dropped_total',
      { listener, reason: 'overloaded' },
      stats.dropped,
      'Syslog UDP messages dropped while the pipeline was congested',
    );
  }
  for (const [reason, count] of stats.errors) {
    metrics.inc('vigil_syslog_frame_errors_total', { listener, reason }, count, 'Syslog frames rejected');
  }
  stats.messages = 0;
  stats.bytes = 0;
  stats.dropped = 0;
  stats.errors.clear();
}

function countError(stats: ListenerStats, reason: FrameErrorReason): void {
  stats.errors.set(reason, (stats.errors.get(reason) ?? 0) + 1);
}

/** Maps a sender address to its unit: longest matching prefix of unitsByNetwork, else the listener's unit. */
function unitResolver(listener: SyslogListenerConfig): (address: string) => string {
  const fallback = listener.unit ?? syslogDefaults.unit;
  const networks = listener.unitsByNetwork ?? [];
  if (networks.length === 0) return () => fallback;
  const rules = networks
    .map(({ cidr, unit }) => {
      const [network, prefixText] = cidr.split('/');
      const type = isIPv6(network ?? '') ? 'ipv6' : 'ipv4';
      const prefix = prefixText === undefined ? (type === 'ipv6' ? 128 : 32) : Number(prefixText);
      const list = new BlockList();
      try {
        list.addSubnet(network ?? '', prefix, type);
      } catch {
        throw new Error(
          `syslog listener ${listener.name ?? listener.port}: invalid network '${cidr}' for unit '${unit}'`,
        );
      }
      return { list, prefix, unit };
    })
    .sort((left, right) => right.prefix - left.prefix);
  const cache = new Map<string, string>();
  return (address) => {
    let unit = cache.get(address);
    if (unit !== undefined) return unit;
    unit = fallback;
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    const type = isIPv6(plain) ? 'ipv6' : 'ipv4';
    for (const rule of rules) {
      if (rule.list.check(plain, type)) {
        unit = rule.unit;
        break;
      }
    }
    if (cache.size >= 10_000) cache.clear();
    cache.set(address, unit);
    return unit;
  };
}

function makeRecord(listener: SyslogListenerConfig, text: string, source: RecordSource, unit: string): RawRecord {
  const record: { -readonly [K in keyof RawRecord]: RawRecord[K] } = { text, source, unit, receivedAt: Date.now() };
  if (listener.timezone) record.timezone = listener.timezone;
  if (listener.format) record.formatHint = listener.format;
  return record;
}

async function startUdp(setup: ListenerSetup): Promise<RunningListener> {
  const { listener, batcher, context, maxMessageBytes } = setup;
  const host = listener.host ?? syslogDefaults.host;
  const socket: UdpSocket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
  const stats = newStats();
  await bind(socket, listener.port, host, listener);
  try {
    // A bigger kernel queue absorbs bursts while the event loop is busy parsing (the kernel caps it at rmem_max).
    socket.setRecvBufferSize(udpReceiveBufferBytes);
  } catch (error) {
    context.log.debug('syslog udp: could not enlarge the receive buffer', { error: String(error) });
  }
  const bound = socket.address();
  const name = listener.name ?? `udp://${host}:${bound.port}`;
  const resolveUnit = unitResolver(listener);
  const sources = new Map<string, RecordSource>();
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    if (message.length > maxMessageBytes) {
      countError(stats, 'oversize');
      return;
    }
    if (batcher.congested) {
      stats.dropped++;
      return;
    }
    let end = message.length;
    while (end > 0 && (message[end - 1] === 10 || message[end - 1] === 13 || message[end - 1] === 0)) end--;
    if (end === 0) return;
    let source = sources.get(remote.address);
    if (!source) {
      if (sources.size >= 10_000) sources.clear();
      source = { kind: 'syslog-udp', name, peer: remote.address };
      sources.set(remote.address, source);
    }
    stats.messages++;
    stats.bytes += end;
    batcher.add(makeRecord(listener, message.toString('utf8', 0, end), source, resolveUnit(remote.address)));
  });
  socket.on('error', (error) => context.log.error('syslog udp socket error', { listener: name, error: String(error) }));
  return {
    address: { name, protocol: 'udp', address: bound.address, port: bound.port },
    stats,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function bind(socket: UdpSocket, port: number, host: string, listener: SyslogListenerConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.close();
      reject(
        new Error(
          `syslog udp listener on ${host}:${port}${listener.name ? ` (${listener.name})` : ''}: ${error.message}`,
        ),
      );
    };
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

async function startStream(setup: ListenerSetup): Promise<RunningListener> {
  const { listener, batcher, context, maxMessageBytes, sockets } = setup;
  const host = listener.host ?? syslogDefaults.host;
  const protocol = listener.protocol;
  const stats = newStats();
  const resolveUnit = unitResolver(listener);
  const mine = new Map<Socket, SyslogFrameDecoder>();
  let name = listener.name ?? '';

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    if (batcher.congested) socket.pause();
    const peer = socket.remoteAddress ?? 'unknown';
    const source: RecordSource = { kind: protocol === 'tls' ? 'syslog-tls' : 'syslog-tcp', name, peer };
    const unit = resolveUnit(peer);
    let warned = false;
    const decoder = new SyslogFrameDecoder(maxMessageBytes, {
      message(text) {
        stats.messages++;
        stats.bytes += text.length;
        batcher.add(makeRecord(listener, text, source, unit));
      },
      error(reason, detail) {
        countError(stats, reason);
        if (!warned) {
          // One warning per connection: a hostile sender must not flood the log.
          warned = true;
          context.log.warn('syslog frame rejected', { listener: name, peer, reason, detail });
        }
      },
    });
    mine.set(socket, decoder);
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    socket.on('end', () => {
      decoder.end();
      socket.end();
    });
    socket.on('error', (error) =>
      context.log.debug('syslog connection error', { listener: name, peer, error: String(error) }),
    );
    socket.on('close', () => {
      mine.delete(socket);
      sockets.delete(socket);
    });
  };

  let server: Server;
  if (protocol === 'tls') {
    const tls = listener.tls;
    if (!tls)
      throw new Error(`syslog tls listener on ${host}:${listener.port}: tls.certFile and tls.keyFile are required`);
    server = createTlsServer({
      cert: readPem(tls.certFile, 'certificate'),
      key: readPem(tls.keyFile, 'private key'),
      ...(tls.caFile ? { ca: readPem(tls.caFile, 'CA bundle') } : {}),
      requestCert: tls.requireClientCert === true,
      rejectUnauthorized: tls.requireClientCert === true,
    });
    server.on('secureConnection', onConnection);
    server.on('tlsClientError', (error) => {
      context.metrics.inc('vigil_syslog_tls_errors_total', { listener: name }, 1, 'Failed TLS handshakes');
      context.log.debug('syslog tls handshake failed', { listener: name, error: String(error) });
    });
  } else {
    server = createServer(onConnection);
  }
  server.maxConnections = setup.maxConnections;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new Error(
          `syslog ${protocol} listener on ${host}:${listener.port}${listener.name ? ` (${listener.name})` : ''}: ${error.message}`,
        ),
      );
    server.once('error', onError);
    server.listen(listener.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => context.log.error('syslog listener error', { listener: name, error: String(error) }));
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : listener.port;
  const address = typeof bound === 'object' && bound ? bound.address : host;
  name ||= `${protocol}://${host}:${port}`;

  return {
    address: { name, protocol, address, port },
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Data already read is framed; a partial last message is kept as the sender's last line.
        for (const [socket, decoder] of mine) {
          decoder.end();
          socket.destroy();
        }
      }),
  };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`syslog tls: cannot read ${what} file ${path}: ${(error as Error).message}`);
  }
}
