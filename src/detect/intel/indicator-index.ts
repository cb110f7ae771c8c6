// Constant-time lookup of observed values against loaded indicators: hash maps for exact values,
// parent-domain walk for subdomains (O(labels)), and one map per CIDR prefix length (≤ 33 / 129
// probes at worst, usually a handful) for network ranges.

import { type Indicator, type IndicatorType, normaliseDomain, normaliseUrl } from './indicator.ts';
import { canonicalIp, networkKey, parseCidr, parseIp } from './ip-address.ts';

export class IndicatorIndex {
  readonly #exact = new Map<string, Indicator[]>(); // `${type}\u0000${value}`
  readonly #networks = new Map<string, Indicator[]>(); // networkKey
  readonly #v4Prefixes = new Set<number>();
  readonly #v6Prefixes = new Set<number>();
  #sortedV4: number[] = [];
  #sortedV6: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Add indicators (already normalised by an importer). Same value from two sources keeps both. */
  add(indicators: Iterable<Indicator>): number {
    let added = 0;
    for (const indicator of indicators) {
      if (indicator.type === 'cidr') {
        const network = parseCidr(indicator.value);
        if (!network) continue;
        push(this.#networks, networkKey(network.bytes, network.prefix), indicator);
        (network.bytes.length === 4 ? this.#v4Prefixes : this.#v6Prefixes).add(network.prefix);
      } else {
        const type = hashTypes.has(indicator.type) ? 'hash' : indicator.type;
        const list = this.#exact.get(`${type}\u0000${indicator.value}`);
        if (list?.some((known) => known.source === indicator.source)) continue;
        push(this.#exact, `${type}\u0000${indicator.value}`, indicator);
      }
      added++;
    }
    this.#size += added;
    this.#sortedV4 = [...this.#v4Prefixes].sort((a, b) => b - a);
    this.#sortedV6 = [...this.#v6Prefixes].sort((a, b) => b - a);
    return added;
  }

  /** Indicators matching an IP address: the exact host, then the most specific networks first. */
  matchIp(address: string, now = Date.now()): Indicator[] {
    const bytes = parseIp(address);
    if (!bytes) return none;
    let hits = this.#exact.get(`ip\u0000${canonicalIp(bytes)}`);
    const prefixes = bytes.length === 4 ? this.#sortedV4 : this.#sortedV6;
    for (const prefix of prefixes) {
      const network = this.#networks.get(networkKey(bytes, prefix));
      if (network) hits = hits ? [...hits, ...network] : network;
    }
    return live(hits, now);
  }

  /** Indicators matching a domain or any of its parent domains (evil.com matches a.b.evil.com). */
  matchDomain(domain: string, now = Date.now()): Indicator[] {
    let name = normaliseDomain(domain);
    let hits: Indicator[] | undefined;
    for (;;) {
      const found = this.#exact.get(`domain\u0000${name}`);
      if (found) hits = hits ? [...hits, ...found] : found;
      const dot = name.indexOf('.');
      // Stop before the top-level label: "com" alone is never an indicator worth matching.
      if (dot < 0 || name.indexOf('.', dot + 1) < 0) break;
      name = name.slice(dot + 1);
    }
    return live(hits, now);
  }

  matchUrl(url: string, now = Date.now()): Indicator[] {
    const normalised = normaliseUrl(url);
    return normalised ? live(this.#exact.get(`url\u0000${normalised}`), now) : none;
  }

  matchHash(hash: string, now = Date.now()): Indicator[] {
    return live(this.#exact.get(`hash\u0000${hash.toLowerCase()}`), now);
  }

  match(type: Exclude<IndicatorType, 'cidr'>, value: string, now = Date.now()): Indicator[] {
    switch (type) {
      case 'ip':
        return this.matchIp(value, now);
      case 'domain':
        return this.matchDomain(value, now);
      case 'url':
        return this.matchUrl(value, now);
      case 'md5':
      case 'sha1':
      case 'sha256':
      case 'sha512':
        return this.matchHash(value, now);
      case 'email':
      case 'filename':
        return live(this.#exact.get(`${type}\u0000${value.toLowerCase()}`), now);
    }
  }
}

const none: Indicator[] = [];
const hashTypes = new Set<IndicatorType>(['md5', 'sha1', 'sha256', 'sha512']);

function push<K>(map: Map<K, Indicator[]>, key: K, indicator: Indicator): void {
  const list = map.get(key);
  if (list) list.push(indicator);
  else map.set(key, [indicator]);
}

function live(hits: Indicator[] | undefined, now: number): Indicator[] {
  if (!hits) return none;
  return hits.every((hit) => hit.validUntil === undefined || hit.validUntil > now)
    ? hits
    : hits.filter((hit) => hit.validUntil === undefined || hit.validUntil > now);
}
