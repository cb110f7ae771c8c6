// `vigil intel`: import threat-intel feeds (STIX 2.1 bundles, MISP events and feeds, plain/CSV
// IOC lists) into a data directory, where `vigil serve` loads them, and look values up in what a
// data directory (and any extra feed files) holds.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/config.ts';
import {
  IntelCatalog,
  indicatorView,
  intelFileSuffix,
  intelSourcePattern,
  lookupValue,
} from '../../detect/intel/intel-catalog.ts';
import { importIntel } from '../../detect/intel/intel-import.ts';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';

const usage = `Usage:
  vigil intel import FILE… [--data DIR] [--source NAME] [--json]
  vigil intel lookup VALUE… [--data DIR] [--feed FILE]… [--json]
  vigil intel sources [--data DIR] [--json]

import   Read each feed (format detected: STIX 2.1 bundle, MISP event or feed, plain or CSV IOC
         list), report its indicators and skipped entries, and keep it in DATA/intel (default
         ./.vigil) as source NAME (default: the file name), loaded by 'vigil serve' at start.
         A file with no usable indicator is refused (exit code 1). While a node runs,
         POST /api/v1/intel/import adds a feed live and retro-matches stored events.
lookup   Match values (IP incl. CIDR ranges, domain incl. parent domains, URL, hash, e-mail)
         against the data directory's feeds and any --feed files; exit code 1 when none matched.
sources  The data directory's feeds with indicator counts.
`;

const sourcePattern = new RegExp(intelSourcePattern);

function dataDirOf(data: string | undefined, io: CliIo): string {
  return loadConfig({
    env: io.env,
    cwd: io.cwd,
    flags: { dataDir: data !== undefined ? { value: data, flag: '--data' } : undefined },
  }).dataDir;
}

/** Feed files under the arguments: folders walked (.json, .txt, .csv, .tsv, .list), files as given. */
async function feedFiles(targets: readonly string[], io: CliIo): Promise<string[]> {
  const files: string[] = [];
  const walk = async (target: string): Promise<void> => {
    const entries = await readdir(target, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const child = path.join(target, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (/\.(json|txt|csv|tsv|list)$/i.test(entry.name)) files.push(child);
    }
  };
  for (const target of targets) {
    const absolute = path.resolve(io.cwd, target);
    if (!existsSync(absolute)) throw new UsageError(`no such file or folder: ${target}`);
    if ((await stat(absolute)).isDirectory()) await walk(absolute);
    else files.push(absolute);
  }
  return files;
}

async function loadCatalog(dataDir: string, feeds: readonly string[], io: CliIo): Promise<IntelCatalog> {
  const catalog = new IntelCatalog();
  const directory = path.join(dataDir, 'intel');
  const names = existsSync(directory) ? (await readdir(directory)).sort() : [];
  for (const name of names.filter((file) => file.endsWith(intelFileSuffix)))
    catalog.addText(
      await readFile(path.join(directory, name), 'utf8'),
      name.slice(0, -intelFileSuffix.length),
      'data-dir',
    );
  for (const feed of feeds) {
    const file = path.resolve(io.cwd, feed);
    if (!existsSync(file)) throw new UsageError(`no such feed file: ${feed}`);
    catalog.addText(await readFile(file, 'utf8'), path.basename(file), 'file');
  }
  return catalog;
}

export const command: CliCommand = {
  name: 'intel',
  summary: 'Import threat intelligence (STIX, MISP, IOC lists)',
  usage,
  async run(argv, io) {
    let parsed: {
      values: { data?: string; json?: boolean; source?: string; feed?: string[] };
      positionals: string[];
    };
    try {
      parsed = parseArgs({
        args: [...argv],
        options: {
          data: { type: 'string' },
          json: { type: 'boolean' },
          source: { type: 'string' },
          feed: { type: 'string', multiple: true },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const [action, ...rest] = positionals;
    let dataDir: string;
    try {
      dataDir = dataDirOf(values.data, io);
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`vigil intel: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    switch (action) {
      case 'import': {
        if (rest.length === 0) throw new UsageError('give at least one feed file');
        const files = await feedFiles(rest, io);
        if (values.source !== undefined && files.length > 1) throw new UsageError('--source names one file only');
        let failed = false;
        const directory = path.join(dataDir, 'intel');
        const used = new Set<string>();
        for (const file of files) {
          const relative = path.relative(io.cwd, file);
          const feed = relative && !relative.startsWith('..') ? relative : file;
          // Two feeds of the same name in different folders stay apart.
          let source = values.source ?? path.basename(file);
          if (used.has(source)) source = `${path.basename(path.dirname(file))}-${source}`;
          used.add(source);
          if (!sourcePattern.test(source))
            throw new UsageError(`source name '${source}' must match ${intelSourcePattern} (use --source)`);
          const imported = importIntel(await readFile(file, 'utf8'), source);
          const byType: Record<string, number> = {};
          for (const indicator of imported.indicators) byType[indicator.type] = (byType[indicator.type] ?? 0) + 1;
          const kept = imported.indicators.length > 0;
          if (kept) {
            await mkdir(directory, { recursive: true });
            await copyFile(file, path.join(directory, `${source}${intelFileSuffix}`));
          } else failed = true;
          if (values.json) {
            io.stdout.write(
              `${JSON.stringify({
                file,
                source,
                format: imported.format,
                indicators: imported.indicators.length,
                byType,
                skipped: imported.skipped,
                imported: kept,
              })}\n`,
            );
          } else {
            const types = Object.entries(byType)
              .map(([type, count]) => `${count} ${type}`)
              .join(', ');
            io.stdout.write(
              kept
                ? `${feed}: ${imported.indicators.length} indicators (${types}) as source '${source}' (${imported.format}); ${imported.skipped.length} skipped\n`
                : `${feed}: refused, no usable indicator (${imported.skipped.length} skipped)\n`,
            );
            for (const skipped of imported.skipped.slice(0, 5))
              io.stdout.write(`  skipped ${skipped.id}: ${skipped.reason}\n`);
            if (imported.skipped.length > 5) io.stdout.write(`  … ${imported.skipped.length - 5} more skipped\n`);
          }
        }
        if (!values.json) io.stdout.write(`Feeds are kept in ${directory}; 'vigil serve' loads them at start.\n`);
        return failed ? 1 : 0;
      }
      case 'lookup': {
        if (rest.length === 0) throw new UsageError('give at least one value to look up');
        const catalog = await loadCatalog(dataDir, values.feed ?? [], io);
        let found = false;
        for (const value of rest) {
          const result = lookupValue(catalog.index, value);
          found ||= result.indicators.length > 0;
          if (values.json) {
            io.stdout.write(
              `${JSON.stringify({ value, type: result.type ?? null, indicators: result.indicators.map(indicatorView) })}\n`,
            );
          } else if (result.indicators.length === 0) io.stdout.write(`${value}: no match\n`);
          else {
            for (const indicator of result.indicators) {
              const threat = indicator.threatName ? ` ${indicator.threatName}` : '';
              io.stdout.write(
                `${value}: ${indicator.type} ${indicator.value} from ${indicator.source} (confidence ${indicator.confidence})${threat}\n`,
              );
            }
          }
        }
        return found ? 0 : 1;
      }
      case 'sources': {
        if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
        const catalog = await loadCatalog(dataDir, values.feed ?? [], io);
        const sources = catalog.sources();
        if (values.json) for (const source of sources) io.stdout.write(`${JSON.stringify(source)}\n`);
        else if (sources.length === 0) io.stdout.write(`No feeds in ${path.join(dataDir, 'intel')}.\n`);
        else
          for (const source of sources)
            io.stdout.write(`${source.source}  ${source.format}  ${source.indicators} indicators\n`);
        return 0;
      }
      default:
        throw new UsageError(
          action ? `unknown action '${action}'` : 'an action is required: import, lookup or sources',
        );
    }
  },
};
