// Expands the paths given to `vigil parse|ingest|hunt` into the list of files to read: folders
// are walked recursively (sorted, symlink loops guarded, dot-entries ignored) and each file is
// classified by its name (how to decompress it, whether it may be a JSON document).
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** How the bytes of a file are laid out. */
export type InputContainer = 'plain' | 'gzip' | 'zip';
/** `json`: may be a JSON document (array, `{"events":[…]}`) or NDJSON; `lines`: one record per line. */
export type InputLayout = 'json' | 'lines';

export interface InputFile {
  readonly path: string;
  readonly size: number;
  readonly container: InputContainer;
  readonly layout: InputLayout;
}

export interface SkippedFile {
  readonly path: string;
  /** Why, for grouping: not a log file we know, cannot be read, corrupt archive, over the size cap. */
  readonly code: 'unknown-extension' | 'unreadable' | 'invalid' | 'too-large';
  readonly reason: string;
}

const lineExtensions = new Set(['.jsonl', '.ndjson', '.log', '.txt']);

/**
 * Classify a file name. Undefined means "not a log file we know" (skipped when found in a
 * folder). Rotated logs (`auth.log.1`, `syslog.2.gz`) count as lines.
 */
export function classifyName(name: string): Pick<InputFile, 'container' | 'layout'> | undefined {
  let lower = name.toLowerCase();
  let container: InputContainer = 'plain';
  if (lower.endsWith('.zip')) return { container: 'zip', layout: 'lines' };
  if (lower.endsWith('.gz')) {
    container = 'gzip';
    lower = lower.slice(0, -3);
  }
  lower = lower.replace(/\.\d+$/, '');
  const dot = lower.lastIndexOf('.');
  const extension = dot >= 0 ? lower.slice(dot) : '';
  if (extension === '.json') return { container, layout: 'json' };
  if (lineExtensions.has(extension)) return { container, layout: 'lines' };
  // A bare `.gz` (e.g. `messages.gz`) is assumed to hold lines.
  if (container === 'gzip') return { container, layout: 'lines' };
  return undefined;
}

/**
 * Expand paths into input files. A file named explicitly is always read (as lines when its
 * extension is unknown); inside folders only known extensions are read and the others are
 * reported through `onSkip`. Missing paths are reported, not thrown.
 */
export async function listInputFiles(
  paths: readonly string[],
  onSkip: (skipped: SkippedFile) => void = () => {},
): Promise<InputFile[]> {
  const files: InputFile[] = [];
  const seenDirectories = new Set<string>();

  const walk = async (directory: string): Promise<void> => {
    let real: string;
    try {
      real = await realpath(directory);
    } catch (error) {
      onSkip({ path: directory, code: 'unreadable', reason: errorText(error) });
      return;
    }
    if (seenDirectories.has(real)) return;
    seenDirectories.add(real);
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      onSkip({ path: directory, code: 'unreadable', reason: errorText(error) });
      return;
    }
    names.sort();
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(directory, name);
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(path);
      } catch (error) {
        onSkip({ path, code: 'unreadable', reason: errorText(error) });
        continue;
      }
      if (info.isDirectory()) {
        await walk(path);
      } else if (info.isFile()) {
        const kind = classifyName(name);
        if (kind) files.push({ path, size: info.size, ...kind });
        else
          onSkip({
            path,
            code: 'unknown-extension',
            reason: 'unknown file extension (expected .jsonl, .ndjson, .json, .log, .txt, .gz, .zip)',
          });
      }
    }
  };

  for (const path of paths) {
    if (path === '-') {
      files.push({ path, size: 0, container: 'plain', layout: 'lines' });
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      onSkip({ path, code: 'unreadable', reason: errorText(error) });
      continue;
    }
    if (info.isDirectory()) await walk(path);
    else
      files.push({
        path,
        size: info.size,
        ...(classifyName(basename(path)) ?? { container: 'plain', layout: 'lines' }),
      });
  }
  return files;
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
