#!/usr/bin/env node
// Launcher for the `vigil` command: runs the TypeScript CLI with the project's pinned Node
// (type stripping needs Node >= 22.12; `npm exec vigil` puts node_modules/.bin first on PATH).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const result = spawnSync(process.execPath, [join(root, 'src/cli/main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
