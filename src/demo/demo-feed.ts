// The demo feed behind `vigil serve --demo`: a simulated organisation's telemetry sent through
// the real pipeline — a backfill of the last hours, then live, paced to the wall clock — with
// recorded attacks (from ../shared/data when present) replayed onto random victims, so a
// newcomer sees a living SOC: events, alerts and incidents appearing as they would.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RawRecord } from '../model/event.ts';
import type { Logger } from '../pipeline/logger.ts';
import { OverloadedError, type RecordSink } from '../pipeline/record-sink.ts';
import type { SimRecord } from '../simulate/benign-activity.ts';
import type { Organisation } from '../simulate/organisation.ts';
import { Random } from '../simulate/random.ts';
import { recordTime, relocateRecord } from '../simulate/replay.ts';
import { simulate } from '../simulate/simulator.ts';

export interface DemoFeedOptions {
  readonly sink: RecordSink;
  readonly log: Logger;
  readonly hosts?: number; // default 60
  readonly backfillHours?: number; // default 24
  readonly seed?: number;
  /** Folder of recorded attacks (JSON lines), e.g. ../shared/data/evtx-attack-samples. */
  readonly attackDir?: string;
  readonly attacks?: number; // replays in the backfill, default 6
  /** One new replay every this many minutes while live (0 = none); default 20. */
  readonly liveAttackMinutes?: number;
  readonly signal: AbortSignal;
  readonly now?: () => number;
}

export interface DemoFeed {
  readonly organisation: Organisation;
  /** Resolves when the backfill is stored. */
  readonly backfilled: Promise<number>;
  /** Resolves when the feed stops (signal aborted). */
  readonly done: Promise<void>;
}

/** Recorded attacks (JSON lines, under 2 MB each) below a folder, sorted. */
export function attackFiles(directory: string | undefined): string[] {
  if (!directory || !existsSync(directory)) return [];
  const files: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      if (statSync(child).isDirectory()) walk(child);
      else if (name.endsWith('.jsonl') && statSync(child).size < 2_000_000) files.push(child);
    }
  };
  walk(directory);
  return files.sort();
}

/** A recorded attack moved onto a victim host, starting at `at`. */
export function replay(file: string, host: { fqdn: string; unit: string; name: string }, at: number): SimRecord[] {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim());
  const times = lines.map((line) => {
    try {
      return recordTime(JSON.parse(line));
    } catch {
      return undefined;
    }
  });
  const known = times.filter((time): time is number => time !== undefined);
  if (known.length === 0) return [];
  const offset = at - Math.min(...known);
  return lines.flatMap((line, index) => {
    const text = relocateRecord(line, { offsetMs: offset, host: host.fqdn });
    return text ? [{ time: (times[index] ?? known[0]!) + offset, text, host: host.name, unit: host.unit }] : [];
  });
}

export function startDemoFeed(options: DemoFeedOptions): DemoFeed {
  const now = options.now ?? Date.now;
  const backfillHours = options.backfillHours ?? 24;
  const seed = options.seed ?? 1;
  const simulation = simulate({
    hosts: options.hosts ?? 60,
    hours: backfillHours + 24 * 365,
    seed,
    start: now() - backfillHours * 3_600_000,
  });
  const random = new Random(seed + 17);
  const files = attackFiles(options.attackDir);
  const victims = simulation.organisation.hosts.filter((host) => host.role !== 'linux-server');
  const pendingAttacks: SimRecord[] = [];
  if (files.length) {
    for (let index = 0; index < (options.attacks ?? 6); index++) {
      const at = simulation.start + random.next() * (now() - simulation.start) * 0.95;
      pendingAttacks.push(...replay(random.pick(files), random.pick(victims), at));
    }
  }
  pendingAttacks.sort((a, b) => a.time - b.time);

  const toRaw = (record: SimRecord): RawRecord => ({
    text: record.text,
    unit: record.unit,
    receivedAt: now(),
    source: { kind: 'demo', name: 'simulator' },
  });
  const submit = async (batch: SimRecord[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await options.sink.submit(batch.map(toRaw));
        return;
      } catch (error) {
        if (!(error instanceof OverloadedError) || attempt > 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, error.retryAfterSeconds * 1000));
      }
    }
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      options.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });

  let resolveBackfill: (count: number) => void = () => {};
  const backfilled = new Promise<number>((resolve) => {
    resolveBackfill = resolve;
  });
  const done = (async () => {
    let batch: SimRecord[] = [];
    let sent = 0;
    let live = false;
    let nextLiveAttack = now() + (options.liveAttackMinutes ?? 20) * 60_000;
    const records = simulation.records();
    for (const record of records) {
      if (options.signal.aborted) break;
      while (pendingAttacks.length && pendingAttacks[0]!.time <= record.time) batch.push(pendingAttacks.shift()!);
      batch.push(record);
      if (!live && record.time > now()) {
        // Backfill complete: store it, then pace records to the wall clock.
        await submit(batch.slice(0, -1));
        sent += batch.length - 1;
        batch = batch.slice(-1);
        live = true;
        resolveBackfill(sent);
        options.log.info('demo backfill stored', {
          records: sent,
          hosts: simulation.organisation.hosts.length,
          attacks: files.length ? (options.attacks ?? 6) : 0,
        });
      }
      if (!live && batch.length >= 2000) {
        await submit(batch);
        sent += batch.length;
        batch = [];
      }
      if (live) {
        const wait = record.time - now();
        if (wait > 0) {
          if (batch.length > 1) {
            await submit(batch.slice(0, -1));
            batch = batch.slice(-1);
          }
          await sleep(Math.min(wait, 60_000));
          if (options.signal.aborted) break;
        }
        if (files.length && (options.liveAttackMinutes ?? 20) > 0 && now() >= nextLiveAttack) {
          nextLiveAttack = now() + (options.liveAttackMinutes ?? 20) * 60_000;
          const attack = replay(random.pick(files), random.pick(victims), now());
          await submit(attack);
          options.log.info('demo attack replayed', { records: attack.length });
        }
        if (batch.length >= 50 || record.time <= now()) {
          await submit(batch);
          batch = [];
        }
      }
    }
    if (batch.length && !options.signal.aborted) await submit(batch);
    resolveBackfill(sent);
  })();
  return { organisation: simulation.organisation, backfilled, done };
}
