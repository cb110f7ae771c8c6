// API keys: secrets are random, shown once, and only their SHA-256 is stored. Lookups are cached
// briefly so ingest does not hit the store per request; deleting a key through the API drops it at once.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, UnitScope } from '../model/unit.ts';
import type { Store } from '../store/store.ts';
import { VigilHttpError } from './errors.ts';

/** The unit id of keys that may see every unit. */
export const allUnits = '*';

export type ApiKeyRole = ApiKey['role'];

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateSecret(): string {
  return `vgl_${randomBytes(32).toString('base64url')}`;
}

export function newApiKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

/** Create a key and its secret; the caller stores it with putApiKey and shows the secret once. */
export function createApiKey(input: { name: string; unit: string; role: ApiKeyRole }, now = Date.now()) {
  const secret = generateSecret();
  const key: ApiKey = { id: newApiKeyId(), name: input.name, unit: input.unit, role: input.role, createdAt: now };
  return { key, secret, secretHash: hashSecret(secret) };
}

export function scopeOf(key: ApiKey): UnitScope {
  return key.unit === allUnits ? { kind: 'all' } : { kind: 'units', units: [key.unit] };
}

export function scopeIncludes(scope: UnitScope, unit: string): boolean {
  return scope.kind === 'all' || scope.units.includes(unit);
}

interface CacheEntry {
  readonly key: ApiKey | undefined;
  readonly expires: number;
}

const maxCacheEntries = 10_000;

export class ApiKeyAuthenticator {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(store: Store, options: { ttlMs?: number } = {}) {
    this.#store = store;
    this.#ttlMs = options.ttlMs ?? 30_000;
  }

  /** The key for a secret, or undefined when unknown. */
  async lookup(secret: string): Promise<ApiKey | undefined> {
    const hash = hashSecret(secret);
    const now = Date.now();
    const cached = this.#cache.get(hash);
    if (cached && cached.expires > now) return cached.key;
    const key = await this.#store.findApiKeyBySecretHash(hash);
    if (this.#cache.size >= maxCacheEntries) this.#cache.clear();
    this.#cache.set(hash, { key, expires: now + this.#ttlMs });
    return key;
  }

  /** Drop a deleted key from the cache. */
  forget(id: string): void {
    for (const [hash, entry] of this.#cache) if (entry.key?.id === id) this.#cache.delete(hash);
  }

  /**
   * Authenticate a request from its Authorization header ("Bearer <key>"; "Splunk <key>" is
   * accepted too) and check the role. Throws VigilHttpError with 401/403 codes.
   */
  async authenticate(authorization: string | undefined, roles: readonly ApiKeyRole[]): Promise<ApiKey> {
    const secret = bearerSecret(authorization);
    if (secret === undefined) throw new VigilHttpError('VIGIL_ERR_AUTH_REQUIRED');
    if (secret === '') throw new VigilHttpError('VIGIL_ERR_AUTH_INVALID', 'The Authorization header is malformed');
    const key = await this.lookup(secret);
    if (!key) throw new VigilHttpError('VIGIL_ERR_AUTH_INVALID');
    if (!roles.includes(key.role)) {
      throw new VigilHttpError('VIGIL_ERR_FORBIDDEN', `This operation needs a key with role ${roles.join(' or ')}`, {
        role: key.role,
      });
    }
    return key;
  }
}

/** The secret of "Bearer x" / "Splunk x"; undefined when there is no header, '' when malformed. */
export function bearerSecret(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization === '') return undefined;
  const space = authorization.indexOf(' ');
  if (space < 0) return '';
  const scheme = authorization.slice(0, space).toLowerCase();
  const secret = authorization.slice(space + 1).trim();
  return scheme === 'bearer' || scheme === 'splunk' ? secret : '';
}
