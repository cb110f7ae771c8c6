// `vigil keys`: create, list and delete API keys directly in the data directory's store (for
// bootstrapping and recovery; while `vigil serve` runs, use the API, since the database is locked).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/config.ts';
import type { ApiKey } from '../../model/unit.ts';
import { allUnits, createApiKey } from '../../server/auth.ts';
import { openStore, StoreInUseError, StoreUnavailableError } from '../../server/open-store.ts';
import type { Store } from '../../store/store.ts';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';

const usage = `Usage:
  vigil keys create --unit UNIT --role ingest|read|admin --name NAME [--data DIR] [--json]
  vigil keys list [--data DIR] [--json]
  vigil keys delete ID [--data DIR]

API keys authenticate HTTP ingest (Authorization: Bearer <key>, or "Splunk <key>" for HEC) and
API calls. A key belongs to one unit ('*' = all units). The secret is printed once at creation;
only its SHA-256 hash is stored.
`;

const roles: readonly ApiKey['role'][] = ['ingest', 'read', 'admin'];
const unitPattern = /^(\*|[a-z0-9][a-z0-9._-]{0,127})$/;

function table(keys: readonly ApiKey[]): string {
  const rows = [['ID', 'NAME', 'UNIT', 'ROLE', 'CREATED']];
  for (const key of keys) rows.push([key.id, key.name, key.unit, key.role, new Date(key.createdAt).toISOString()]);
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

async function withStore<T>(data: string | undefined, io: CliIo, action: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig({
    env: io.env,
    cwd: io.cwd,
    flags: { dataDir: data !== undefined ? { value: data, flag: '--data' } : undefined },
  });
  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    if (error instanceof StoreInUseError) {
      throw new StoreInUseError(`${error.message} — while it runs, use the API: POST/GET/DELETE /api/v1/api-keys`);
    }
    throw error;
  }
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}

export const command: CliCommand = {
  name: 'keys',
  summary: 'Create, list and delete API keys',
  usage,
  async run(argv, io) {
    let parsed: ReturnType<
      typeof parseArgs<{
        options: {
          unit: { type: 'string' };
          role: { type: 'string' };
          name: { type: 'string' };
          data: { type: 'string' };
          json: { type: 'boolean' };
        };
        allowPositionals: true;
      }>
    >;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: {
          unit: { type: 'string' },
          role: { type: 'string' },
          name: { type: 'string' },
          data: { type: 'string' },
          json: { type: 'boolean' },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const [action, ...rest] = positionals;
    try {
      switch (action) {
        case 'create': {
          if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
          const { unit, role, name } = values;
          if (!unit || !role || !name) throw new UsageError('create needs --unit, --role and --name');
          if (!unitPattern.test(unit)) throw new UsageError(`--unit '${unit}' is not a unit id (or '*' for all units)`);
          if (!roles.includes(role as ApiKey['role']))
            throw new UsageError(`--role must be one of ${roles.join(', ')}`);
          const created = createApiKey({ name, unit, role: role as ApiKey['role'] });
          await withStore(values.data, io, (store) => store.putApiKey(created.key, created.secretHash));
          if (values.json) io.stdout.write(`${JSON.stringify({ key: created.key, secret: created.secret })}\n`);
          else {
            io.stdout.write(
              `Created key ${created.key.id} (${name}, unit ${unit === allUnits ? '* (all units)' : unit}, role ${role}).\n` +
                `Secret (shown only now):\n\n  ${created.secret}\n\n`,
            );
          }
          return 0;
        }
        case 'list': {
          if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
          const keys = await withStore(values.data, io, (store) => store.listApiKeys({ kind: 'all' }));
          if (values.json) for (const key of keys) io.stdout.write(`${JSON.stringify(key)}\n`);
          else io.stdout.write(keys.length > 0 ? table(keys) : 'No API keys.\n');
          return 0;
        }
        case 'delete': {
          if (rest.length !== 1) throw new UsageError('delete needs exactly one key id');
          const deleted = await withStore(values.data, io, (store) => store.deleteApiKey(rest[0]!));
          if (!deleted) {
            io.stderr.write(`vigil keys: no API key '${rest[0]}'\n`);
            return 1;
          }
          io.stdout.write(`Deleted key ${rest[0]}.\n`);
          return 0;
        }
        default:
          throw new UsageError(action ? `unknown action '${action}'` : 'an action is required: create, list or delete');
      }
    } catch (error) {
      if (error instanceof ConfigError || error instanceof StoreUnavailableError) {
        io.stderr.write(`vigil keys: ${error.message}\n`);
        return error instanceof StoreInUseError ? 1 : 2;
      }
      throw error;
    }
  },
};
