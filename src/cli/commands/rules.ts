// `vigil rules`: validate Sigma rule files as the live set would load them (loaded / refused
// with file:line and reason), list what they hold, and import the valid ones into a data
// directory, where `vigil serve` loads them (a running node: POST /api/v1/rules/import).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { correlationKey, ruleKey } from '../../detect/rule-catalog.ts';
import { importRuleFiles, validateRules } from '../../detect/rule-import.ts';
import { loadRuleSet } from '../../detect/rule-set.ts';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';

const usage = `Usage:
  vigil rules validate DIR|FILE… [--json]
  vigil rules list DIR|FILE… [--json]
  vigil rules import DIR|FILE… [--data DIR] [--json]

validate  Load and compile every rule (.yml/.yaml, folders walked) as the live pipeline does; print
          how many loaded and every refused file or document with path:line and the reason.
          Exit code 1 when anything was refused.
list      One line per loaded rule: id, level, status, title, author (--json: NDJSON, with tags,
          references and logsource).
import    Validate, then copy the files without a rejection into DATA/rules (default ./.vigil),
          which 'vigil serve' loads at start. A file with a rejection is refused whole. While a
          node runs, POST /api/v1/rules/import adds rules without a restart.
`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

function checkPaths(paths: readonly string[], io: CliIo): string[] {
  if (paths.length === 0) throw new UsageError('give at least one rule file or folder');
  const absolute = paths.map((target) => path.resolve(io.cwd, target));
  const missing = absolute.filter((target) => !existsSync(target));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);
  return absolute;
}

export const command: CliCommand = {
  name: 'rules',
  summary: 'Import, validate and list Sigma rules',
  usage,
  async run(argv, io) {
    let parsed: { values: { data?: string; json?: boolean }; positionals: string[] };
    try {
      parsed = parseArgs({
        args: [...argv],
        options: { data: { type: 'string' }, json: { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const [action, ...rest] = positionals;
    switch (action) {
      case 'validate': {
        const validation = await validateRules(checkPaths(rest, io));
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({
              loaded: validation.loaded,
              correlations: validation.correlations,
              files: validation.files.length,
              rejected: validation.rejected,
              warnings: validation.warnings,
            })}\n`,
          );
        } else {
          for (const rejection of validation.rejected) {
            const rule = rejection.ruleId ?? rejection.title;
            io.stdout.write(`${rejection.path}:${rejection.line}: ${rejection.reason}${rule ? ` (${rule})` : ''}\n`);
          }
          for (const warning of validation.warnings) {
            const rule = warning.ruleId ?? warning.title;
            io.stdout.write(`${warning.path}:${warning.line}: warning: ${warning.reason}${rule ? ` (${rule})` : ''}\n`);
          }
          io.stdout.write(
            `${validation.loaded} rules and ${validation.correlations} correlations loaded from ${validation.files.length} files; ${validation.rejected.length} rejected${validation.warnings.length > 0 ? `; ${validation.warnings.length} warnings` : ''}\n`,
          );
        }
        return validation.rejected.length > 0 ? 1 : 0;
      }
      case 'list': {
        const set = await loadRuleSet(checkPaths(rest, io));
        const rules = [
          ...set.sigma.rules.map(({ rule }) => ({
            id: ruleKey(rule),
            kind: 'detection',
            title: rule.title,
            level: rule.level ?? 'medium',
            status: rule.status,
            author: rule.author,
            tags: rule.tags,
            references: rule.references ?? [],
            logsource: rule.logsource,
            path: rule.path,
          })),
          ...set.correlations.map((rule) => ({
            id: correlationKey(rule),
            kind: 'correlation',
            title: rule.title,
            level: rule.level,
            status: rule.status,
            author: rule.author,
            tags: rule.tags ?? [],
            references: rule.references ?? [],
            logsource: undefined,
            path: rule.path,
          })),
        ];
        if (values.json) for (const rule of rules) io.stdout.write(`${JSON.stringify(rule)}\n`);
        else {
          const rows = [['ID', 'LEVEL', 'STATUS', 'TITLE', 'AUTHOR']];
          for (const rule of rules) rows.push([rule.id, rule.level, rule.status ?? '', rule.title, rule.author ?? '']);
          io.stdout.write(table(rows));
          if (set.rejections.length > 0)
            io.stderr.write(`${set.rejections.length} rejected (see 'vigil rules validate')\n`);
        }
        return 0;
      }
      case 'import': {
        const sources = checkPaths(rest, io);
        let dataDir: string;
        try {
          dataDir = loadConfig({
            env: io.env,
            cwd: io.cwd,
            flags: { dataDir: values.data !== undefined ? { value: values.data, flag: '--data' } : undefined },
          }).dataDir;
        } catch (error) {
          if (error instanceof ConfigError) {
            io.stderr.write(`vigil rules: ${error.message}\n`);
            return 2;
          }
          throw error;
        }
        const destination = path.join(dataDir, 'rules');
        const result = await importRuleFiles(sources, destination);
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({ imported: result.imported, files: result.files, rejected: result.rejected, destination })}\n`,
          );
        } else {
          for (const rejection of result.rejected)
            io.stdout.write(`refused ${rejection.path}:${rejection.line}: ${rejection.reason}\n`);
          io.stdout.write(
            `Imported ${result.imported} rules from ${result.files} files into ${destination}; ${result.rejected.length} rejected.\n` +
              (result.files > 0 ? "A running 'vigil serve' loads them at its next start.\n" : ''),
          );
        }
        return result.files === 0 ? 1 : 0;
      }
      default:
        throw new UsageError(action ? `unknown action '${action}'` : 'an action is required: validate, list or import');
    }
  },
};
