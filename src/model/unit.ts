// Organisational units (tenants) and the assets that belong to them.
// Types only.

export interface Unit {
  readonly id: string; // stable slug, e.g. "finance", "district-07"
  readonly name: string;
  readonly parent?: string; // parent unit id, for hierarchies such as government departments
  /** Network ranges owned by this unit (CIDR, v4 or v6). */
  readonly cidrs?: readonly string[];
  /** Hostname patterns with `*` wildcards, e.g. "fin-*", "*.branch12.bank.local". */
  readonly hostPatterns?: readonly string[];
  /** Location for maps: latitude/longitude and a display name. */
  readonly location?: { readonly lat: number; readonly lon: number; readonly name?: string };
  /** Priority threshold above which incidents of this unit need attention (0–100). */
  readonly attentionThreshold?: number;
}

export type AssetCriticality = 'low' | 'medium' | 'high' | 'critical';

export interface Asset {
  readonly id: string;
  readonly unit: string;
  readonly hostname?: string;
  readonly ip?: readonly string[];
  readonly criticality: AssetCriticality;
  readonly owner?: string;
  readonly os?: string;
  readonly tags?: readonly string[];
}

/** What a caller may see: one unit, several, or all (administrators). Every store call takes one. */
export type UnitScope = { readonly kind: 'all' } | { readonly kind: 'units'; readonly units: readonly string[] };

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  /** Unit the key's events are bound to. */
  readonly unit: string;
  /** 'ingest' keys may only send data; 'read' and 'admin' may call the rest of the API. */
  readonly role: 'ingest' | 'read' | 'admin';
  readonly createdAt: number;
}
