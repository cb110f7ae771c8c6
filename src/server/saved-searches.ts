// Saved searches on the server: each caller keeps named queries with a time range and may share
// one with the colleagues of a unit. Checks input (limits, the query language validator), owner
// rights and name uniqueness, and audits every change; the SOC store keeps them across restarts.
import { randomBytes } from 'node:crypto';
import type {
  SavedSearch,
  SavedSearchChange,
  SavedSearchCreate,
  SavedSearchLimits,
  SavedSearchListItem,
  SavedSearchTimeRange,
} from '../model/saved-search.ts';
import type { ApiKey } from '../model/unit.ts';
import { validateQuery } from '../store/query/validate-query.ts';
import type { SavedSearchViewer, SocStore } from '../store/soc-store.ts';
import { allUnits, scopeIncludes, scopeOf } from './auth.ts';
import { VigilHttpError } from './errors.ts';

export const savedSearchLimits: SavedSearchLimits = { maxPerOwner: 200, maxNameLength: 120, maxQueryBytes: 8192 };

/** A relative range: a positive whole number of minutes, hours or days ("15m", "24h", "7d"), or "all". */
const relativeRange = /^(?:all|[1-9]\d{0,4}[mhd])$/;
// Names are shown in lists and menus: no control characters (newlines, escapes).
const controlCharacter = /[\u0000-\u001f\u007f]/;

/** Whose searches these are: console users by username, API keys by their id. */
function viewerOf(caller: ApiKey): SavedSearchViewer {
  return { owner: caller.id, scope: scopeOf(caller) };
}

function invalid(field: string, message: string): VigilHttpError {
  return new VigilHttpError('VIGIL_ERR_VALIDATION', message, { field });
}

export function checkName(name: string, limits: SavedSearchLimits = savedSearchLimits): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid('name', 'name must not be empty');
  if ([...trimmed].length > limits.maxNameLength)
    throw invalid('name', `name may be at most ${limits.maxNameLength} characters`);
  if (controlCharacter.test(trimmed)) throw invalid('name', 'name must not contain control characters');
  return trimmed;
}

/** The query as given, if the query language accepts it; 400 VIGIL_ERR_QUERY_SYNTAX with the position otherwise. */
export function checkQuery(query: string, limits: SavedSearchLimits = savedSearchLimits, now = Date.now()): string {
  if (Buffer.byteLength(query, 'utf8') > limits.maxQueryBytes)
    throw invalid('query', `query may be at most ${limits.maxQueryBytes} bytes`);
  const validation = validateQuery(query, { now });
  if (!validation.ok)
    throw new VigilHttpError('VIGIL_ERR_QUERY_SYNTAX', validation.message, { position: validation.position });
  return query;
}

export function checkTimeRange(range: SavedSearchTimeRange): SavedSearchTimeRange {
  if ('relative' in range) {
    if (!relativeRange.test(range.relative))
      throw invalid('timeRange', 'timeRange.relative is "all" or a duration such as "15m", "24h" or "7d"');
    return { relative: range.relative };
  }
  const { from, to } = range;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from >= to)
    throw invalid('timeRange', 'timeRange.from and timeRange.to are epoch milliseconds with from before to');
  return { from, to };
}

export interface SavedSearchesOptions {
  readonly soc: SocStore;
  readonly now?: () => number;
  readonly limits?: SavedSearchLimits;
}

export class SavedSearches {
  readonly #soc: SocStore;
  readonly #now: () => number;
  readonly limits: SavedSearchLimits;

  constructor(options: SavedSearchesOptions) {
    this.#soc = options.soc;
    this.#now = options.now ?? Date.now;
    this.limits = options.limits ?? savedSearchLimits;
  }

  /** The caller's own searches first, then those shared by others, each by name. */
  async list(caller: ApiKey): Promise<SavedSearchListItem[]> {
    const searches = await this.#soc.listSavedSearches(viewerOf(caller));
    const items = searches.map((search) => this.#item(caller, search));
    return [...items.filter((item) => item.mine), ...items.filter((item) => !item.mine)];
  }

  async create(caller: ApiKey, input: SavedSearchCreate): Promise<SavedSearchListItem> {
    const now = this.#now();
    const search: SavedSearch = {
      id: `ss_${randomBytes(8).toString('hex')}`,
      name: checkName(input.name, this.limits),
      query: checkQuery(input.query, this.limits, now),
      timeRange: checkTimeRange(input.timeRange),
      shared: input.shared ?? false,
      unit: this.#unit(caller, input.unit ?? caller.unit),
      owner: caller.id,
      ownerName: caller.name,
      createdAt: now,
      updatedAt: now,
    };
    await this.#store(search);
    await this.#soc.appendAudit({
      at: now,
      actor: caller.name,
      action: 'saved-search-created',
      target: search.id,
      unit: search.unit,
      details: { name: search.name, query: search.query, shared: search.shared },
    });
    return this.#item(caller, search);
  }

  async update(caller: ApiKey, id: string, change: SavedSearchChange): Promise<SavedSearchListItem> {
    const current = await this.#editable(caller, id);
    const now = this.#now();
    const next: SavedSearch = {
      ...current,
      ...(change.name !== undefined ? { name: checkName(change.name, this.limits) } : {}),
      ...(change.query !== undefined ? { query: checkQuery(change.query, this.limits, now) } : {}),
      ...(change.timeRange !== undefined ? { timeRange: checkTimeRange(change.timeRange) } : {}),
      ...(change.shared !== undefined ? { shared: change.shared } : {}),
      ...(change.unit !== undefined ? { unit: this.#unit(caller, change.unit) } : {}),
      updatedAt: now,
    };
    await this.#store(next);
    const changed = (['name', 'query', 'timeRange', 'shared', 'unit'] as const).filter(
      (field) => JSON.stringify(current[field]) !== JSON.stringify(next[field]),
    );
    await this.#soc.appendAudit({
      at: now,
      actor: caller.name,
      action: 'saved-search-updated',
      target: id,
      unit: next.unit,
      details: { name: next.name, changed, ...(changed.includes('shared') ? { shared: next.shared } : {}) },
    });
    return this.#item(caller, next);
  }

  async remove(caller: ApiKey, id: string): Promise<void> {
    const current = await this.#editable(caller, id);
    if (!(await this.#soc.deleteSavedSearch(id)))
      throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No saved search ${id}`);
    await this.#soc.appendAudit({
      at: this.#now(),
      actor: caller.name,
      action: 'saved-search-deleted',
      target: id,
      unit: current.unit,
      details: { name: current.name, owner: current.ownerName },
    });
  }

  #item(caller: ApiKey, search: SavedSearch): SavedSearchListItem {
    const mine = search.owner === caller.id;
    return { ...search, mine, editable: mine || caller.role === 'admin' };
  }

  /** A search the caller sees and may change (owner or admin); 404 when not visible, 403 otherwise. */
  async #editable(caller: ApiKey, id: string): Promise<SavedSearch> {
    // Another unit's or another user's private search answers like a missing one.
    const search = await this.#soc.getSavedSearch(viewerOf(caller), id);
    if (!search) throw new VigilHttpError('VIGIL_ERR_NOT_FOUND', `No saved search ${id}`);
    if (search.owner !== caller.id && caller.role !== 'admin') {
      throw new VigilHttpError('VIGIL_ERR_FORBIDDEN', 'Only its owner or an administrator may change a saved search', {
        owner: search.ownerName,
      });
    }
    return search;
  }

  #unit(caller: ApiKey, unit: string): string {
    // '*' (all units) is only for callers of all units: shared, it is listed for them only.
    if (unit === allUnits ? caller.unit !== allUnits : !scopeIncludes(scopeOf(caller), unit)) {
      throw new VigilHttpError('VIGIL_ERR_UNIT_FORBIDDEN', `The caller may not act on unit '${unit}'`, { unit });
    }
    return unit;
  }

  async #store(search: SavedSearch): Promise<void> {
    const result = await this.#soc.putSavedSearch(search, { maxPerOwner: this.limits.maxPerOwner });
    if (result === 'duplicate-name') {
      throw new VigilHttpError('VIGIL_ERR_CONFLICT', `You already have a saved search named '${search.name}'`, {
        field: 'name',
        name: search.name,
      });
    }
    if (result === 'limit-reached') {
      throw new VigilHttpError(
        'VIGIL_ERR_LIMIT_REACHED',
        `At most ${this.limits.maxPerOwner} saved searches per user; delete some first`,
        { limit: this.limits.maxPerOwner },
      );
    }
  }
}
