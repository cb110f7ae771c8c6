// A saved search: a named query and time range kept on the server for its owner, and optionally
// shared with the colleagues of one unit. Used by the saved-search API and the Hunt page. Types only.

/**
 * The time range a saved search runs over: relative to when it runs (a duration such as "15m",
 * "24h", "7d", or "all" for no limit), or a fixed window in epoch milliseconds (`to` exclusive).
 */
export type SavedSearchTimeRange = { readonly relative: string } | { readonly from: number; readonly to: number };

export interface SavedSearch {
  readonly id: string;
  readonly name: string;
  /** Query language text ('' matches every event). */
  readonly query: string;
  readonly timeRange: SavedSearchTimeRange;
  /** Shared searches are listed for every caller who can see `unit`. */
  readonly shared: boolean;
  /** The unit it belongs to ('*' for callers of all units: shared only with them). */
  readonly unit: string;
  /** Stable id of the owner: `user:<username>` for console users, the key id for API keys. */
  readonly owner: string;
  /** The owner's display name (username or API key name). */
  readonly ownerName: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** POST /api/v1/saved-searches. */
export interface SavedSearchCreate {
  readonly name: string;
  readonly query: string;
  readonly timeRange: SavedSearchTimeRange;
  /** Default false. */
  readonly shared?: boolean;
  /** Default: the caller's unit. */
  readonly unit?: string;
}

/** PATCH /api/v1/saved-searches/:id: only the fields given change. */
export type SavedSearchChange = Partial<SavedSearchCreate>;

/** A saved search as listed: whether it is the caller's own, and whether the caller may change it. */
export interface SavedSearchListItem extends SavedSearch {
  readonly mine: boolean;
  readonly editable: boolean;
}

export interface SavedSearchLimits {
  readonly maxPerOwner: number;
  readonly maxNameLength: number;
  /** UTF-8 bytes. */
  readonly maxQueryBytes: number;
}

/** GET /api/v1/saved-searches: the caller's own, then those others shared; each by name. */
export interface SavedSearchListResponse {
  readonly searches: readonly SavedSearchListItem[];
  readonly limits: SavedSearchLimits;
}
