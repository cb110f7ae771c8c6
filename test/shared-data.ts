// Access to the third-party data in ../shared/data (never copied into the project).
// In CI (CI=true) missing data is an error; elsewhere tests may skip with a clear message.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Absolute path of ../shared/data (beside the repository). */
export function sharedDataDir(): string {
  return process.env.VIGIL_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
}

/**
 * Whether a path under ../shared/data exists. In CI a missing path throws (so the suite fails
 * instead of silently passing); elsewhere it returns false and the caller skips its tests.
 */
export function hasSharedData(...parts: string[]): boolean {
  const path = join(sharedDataDir(), ...parts);
  if (existsSync(path)) return true;
  if (process.env.CI === 'true') throw new Error(`shared data missing in CI: ${path}`);
  console.warn(`skipping: shared data not found at ${path} (tests that need it are skipped outside CI)`);
  return false;
}

/** Path of a file or folder under ../shared/data (use after hasSharedData). */
export function sharedData(...parts: string[]): string {
  return join(sharedDataDir(), ...parts);
}
