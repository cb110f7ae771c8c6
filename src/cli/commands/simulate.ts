// `vigil simulate`: generate an organisation's ordinary telemetry (and optionally replay attack
// recordings onto chosen hosts), as raw records one per line — ready for `vigil ingest`, or
// for any sender — plus the organisation's inventory for enrichment.
import { createWriteStream, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { organisationAssets } from '../../simulate/organisation.ts';
import { recordTime, relocateRecord } from '../../simulate/replay.ts';
import { simulate } from '../../simulate/simulator.ts';
import { type CliCommand, UsageError } from '../command.ts';

const usage = `Usage: vigil simulate [options]

Generate realistic benign telemetry of an organisation (Windows Sysmon and Security events,
Linux auth syslog, Zeek DNS/connection logs), one raw record per line, in time order.

Options:
  --hosts N            hosts in the organisation (default 50)
  --hours H            hours to simulate (default 24)
  --seed S             random seed; the same seed gives the same data (default 1)
  --start ISO          first simulated hour (default: HOURS before now)
  --units N            number of units (default: from the host count)
  --output FILE        write records to FILE instead of standard output
  --inventory FILE     also write the organisation's units and assets (YAML)
  --replay FILE@HOST@MINUTES
                       replay a recorded attack (JSON lines) onto HOST, starting MINUTES
                       after the start; repeatable. HOST is a simulated host name.
`;

interface Replay {
  file: string;
  host: string;
  minutes: number;
}

function parseReplay(value: string): Replay {
  const match = /^(.+)@([^@]+)@(\d+(?:\.\d+)?)$/.exec(value);
  if (!match) throw new UsageError(`--replay takes FILE@HOST@MINUTES, got '${value}'`);
  return { file: match[1]!, host: match[2]!, minutes: Number(match[3]) };
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`--${name} must be a positive number, got '${value}'`);
  return number;
}

export const command: CliCommand = {
  name: 'simulate',
  summary: 'Generate realistic benign telemetry (with attack replays)',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        hosts: { type: 'string' },
        hours: { type: 'string' },
        seed: { type: 'string' },
        start: { type: 'string' },
        units: { type: 'string' },
        output: { type: 'string' },
        inventory: { type: 'string' },
        replay: { type: 'string', multiple: true },
      },
      strict: true,
    });
    const start = values.start === undefined ? undefined : Date.parse(values.start);
    if (start !== undefined && Number.isNaN(start))
      throw new UsageError(`--start must be an ISO date, got '${values.start}'`);
    const hostCount = Math.round(positive('hosts', values.hosts, 50));
    if (hostCount < 3) throw new UsageError('--hosts must be at least 3 (two domain controllers and one more host)');
    const simulation = simulate({
      hosts: hostCount,
      hours: positive('hours', values.hours, 24),
      seed: Math.round(positive('seed', values.seed, 1)),
      start,
      units: values.units === undefined ? undefined : Math.round(positive('units', values.units, 1)),
    });
    const hosts = new Map(simulation.organisation.hosts.map((host) => [host.name.toLowerCase(), host]));
    const replays = (values.replay ?? []).map(parseReplay);
    const replayed: { time: number; text: string }[] = [];
    for (const replay of replays) {
      const host = hosts.get(replay.host.toLowerCase());
      if (!host)
        throw new UsageError(
          `--replay: no simulated host '${replay.host}' (e.g. ${simulation.organisation.hosts[2]?.name})`,
        );
      let lines: string[];
      try {
        lines = readFileSync(replay.file, 'utf8')
          .split('\n')
          .filter((line) => line.trim());
      } catch (error) {
        throw new UsageError(`--replay: cannot read ${replay.file}: ${(error as Error).message}`);
      }
      const times = lines.map((line) => {
        try {
          return recordTime(JSON.parse(line));
        } catch {
          return undefined;
        }
      });
      const first = Math.min(...times.filter((time): time is number => time !== undefined));
      if (!Number.isFinite(first)) throw new UsageError(`--replay: no timestamps found in ${replay.file}`);
      const offset = simulation.start + replay.minutes * 60_000 - first;
      lines.forEach((line, index) => {
        const text = relocateRecord(line, { offsetMs: offset, host: host.fqdn });
        if (text) replayed.push({ time: (times[index] ?? first) + offset, text });
      });
    }
    replayed.sort((a, b) => a.time - b.time);

    const output: NodeJS.WritableStream = values.output ? createWriteStream(values.output) : io.stdout;
    let written = 0;
    let next = 0;
    const write = (text: string) => {
      written++;
      return output.write(`${text}\n`);
    };
    const drain = () => new Promise<void>((resolve) => output.once('drain', () => resolve()));
    for (const record of simulation.records()) {
      while (next < replayed.length && replayed[next]!.time <= record.time)
        if (!write(replayed[next++]!.text)) await drain();
      if (!write(record.text)) await drain();
    }
    while (next < replayed.length) if (!write(replayed[next++]!.text)) await drain();
    if (values.output) {
      const finished = new Promise<void>((resolve, reject) => {
        output.once('finish', () => resolve());
        output.once('error', reject);
      });
      output.end();
      await finished;
    }
    if (values.inventory) {
      await writeFile(
        values.inventory,
        stringify({ units: simulation.organisation.units, assets: organisationAssets(simulation.organisation) }),
      );
    }
    io.stderr.write(
      `simulated ${simulation.organisation.hosts.length} hosts in ${simulation.organisation.units.length} units, ${new Date(simulation.start).toISOString()} – ${new Date(simulation.end).toISOString()}: ${written} records (${replayed.length} replayed)\n`,
    );
    return 0;
  },
};
