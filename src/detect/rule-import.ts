// Validating and importing Sigma rule files: every file is loaded and compiled as the live set
// would be; files with no rejection are copied into the node's rule folder (DATA/rules), files
// with one are refused whole (a multi-document file is one unit) and listed with file:line.
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { correlationKey, ruleKey } from './rule-catalog.ts';
import { loadRuleSet } from './rule-set.ts';
import { listRuleFiles } from './sigma/load-sigma-rules.ts';
import type { SigmaRejection, SigmaWarning } from './sigma/sigma-rule.ts';

export interface RuleFileReport {
  readonly path: string;
  readonly rules: number;
  /** Ids alerts of the file's rules carry. */
  readonly ids: readonly string[];
  readonly rejections: readonly SigmaRejection[];
}

export interface RuleValidation {
  readonly files: readonly RuleFileReport[];
  readonly loaded: number;
  readonly correlations: number;
  readonly rejected: readonly SigmaRejection[];
  /** Rules loaded but held back (e.g. placeholders without values): not a reason to refuse a file. */
  readonly warnings: readonly SigmaWarning[];
}

/** Load and compile the rules under the paths; per-file counts and every rejection. */
export async function validateRules(paths: readonly string[]): Promise<RuleValidation> {
  const absolute = paths.map((target) => path.resolve(target));
  const [set, files] = await Promise.all([loadRuleSet(absolute), listRuleFiles(absolute)]);
  const ids = new Map<string, string[]>();
  const count = (file: string | undefined, id: string) => {
    if (!file) return;
    const list = ids.get(file) ?? [];
    list.push(id);
    ids.set(file, list);
  };
  for (const compiled of set.sigma.rules) count(compiled.rule.path, ruleKey(compiled.rule));
  for (const correlation of set.correlations) count(correlation.path, correlationKey(correlation));
  const rejectionsOf = new Map<string, SigmaRejection[]>();
  for (const rejection of set.rejections) {
    const list = rejectionsOf.get(rejection.path) ?? [];
    list.push(rejection);
    rejectionsOf.set(rejection.path, list);
  }
  return {
    files: files.map((file) => ({
      path: file,
      rules: ids.get(file)?.length ?? 0,
      ids: ids.get(file) ?? [],
      rejections: rejectionsOf.get(file) ?? [],
    })),
    loaded: set.sigma.rules.length,
    correlations: set.correlations.length,
    rejected: set.rejections,
    warnings: set.warnings,
  };
}

export interface RuleImportResult {
  readonly imported: number;
  readonly files: number;
  readonly rejected: readonly SigmaRejection[];
  /** Where the accepted files were written. */
  readonly written: readonly string[];
}

/** A safe file or folder name from any text. */
export function safeName(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 120);
  return cleaned || 'rules';
}

/**
 * Copy the valid rule files under `sources` into `destination`: a folder lands in
 * destination/<its name>/… (same relative layout), a file in destination/<its name>.
 */
export async function importRuleFiles(
  sources: readonly string[],
  destination: string,
  options: { loaded?: ReadonlyMap<string, string> } = {},
): Promise<RuleImportResult> {
  const validation = await validateRules(sources);
  const written: string[] = [];
  const rejected: SigmaRejection[] = [];
  let imported = 0;
  const roots = await Promise.all(
    sources.map(async (source) => {
      const absolute = path.resolve(source);
      return { absolute, directory: (await stat(absolute)).isDirectory() };
    }),
  );
  for (const file of validation.files) {
    if (file.rejections.length > 0 || file.rules === 0) {
      rejected.push(
        ...(file.rejections.length > 0
          ? file.rejections
          : [{ path: file.path, line: 1, reason: 'the file holds no detection or correlation rule' }]),
      );
      continue;
    }
    const root = roots.find((candidate) =>
      candidate.directory ? file.path.startsWith(`${candidate.absolute}${path.sep}`) : candidate.absolute === file.path,
    );
    const relative = root?.directory
      ? path.join(safeName(path.basename(root.absolute)), path.relative(root.absolute, file.path))
      : path.basename(file.path);
    const target = path.join(destination, relative);
    // A second copy of a loaded rule would alert twice; re-importing the same file replaces it.
    const clash = file.ids.find((id) => {
      const loadedFrom = options.loaded?.get(id);
      return loadedFrom !== undefined && loadedFrom !== target;
    });
    if (clash) {
      rejected.push({
        path: file.path,
        line: 1,
        reason: `rule ${clash} is already loaded from ${options.loaded?.get(clash)}`,
        ruleId: clash,
      });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await readFile(file.path));
    written.push(target);
    imported += file.rules;
  }
  // Rejections not tied to one of the files (e.g. a correlation naming an unknown rule).
  const filePaths = new Set(validation.files.map((file) => file.path));
  for (const rejection of validation.rejected) if (!filePaths.has(rejection.path)) rejected.push(rejection);
  return { imported, files: written.length, rejected, written };
}

/** Import the YAML text of one rule file as destination/api/<name>.yml. */
export async function importRuleText(
  text: string,
  name: string,
  destination: string,
  options: { loaded?: ReadonlyMap<string, string> } = {},
): Promise<RuleImportResult> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'vigil-rule-'));
  const fileName = `${safeName(name).replace(/\.ya?ml$/i, '')}.yml`;
  const file = path.join(scratch, fileName);
  try {
    await writeFile(file, text);
    const result = await importRuleFiles([file], path.join(destination, 'api'), options);
    // Name the rejection after what the caller sent, not the scratch file.
    return {
      ...result,
      rejected: result.rejected.map((rejection) =>
        rejection.path === file ? { ...rejection, path: fileName } : rejection,
      ),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
