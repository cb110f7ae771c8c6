// Threat-intelligence indicators: one observable value (address, network, domain, URL, hash,
// e-mail address, file name) with where it came from. Importers produce these; the index matches them.
import { canonicalIp, parseCidr, parseIp } from './ip-address.ts';

export type IndicatorType =
  | 'ip'
  | 'cidr'
  | 'domain'
  | 'url'
  | 'md5'
  | 'sha1'
  | 'sha256'
  | 'sha512'
  | 'email'
  | 'filename';

export interface Indicator {
  readonly type: IndicatorType;
  /** Normalised value (see normaliseIndicator): lower-case domains/hashes/e-mails, canonical IPs. */
  readonly value: string;
  /** Feed or bundle name, e.g. "stix:apt1.json", "misp:Ransomware - Xorist", "ipsum". */
  readonly source: string;
  /** 0–100. */
  readonly confidence: number;
  readonly threatName?: string;
  /** Id in the source (STIX indicator id, MISP attribute uuid). */
  readonly sourceId?: string;
  readonly description?: string;
  /** Epoch ms; the indicator is ignored after this time. */
  readonly validUntil?: number;
  readonly tags?: readonly string[];
}

const hashLengths: Record<number, IndicatorType> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
const hexPattern = /^[0-9a-f]+$/;
const domainPattern = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const emailPattern = /^[^\s@]{1,64}@[^\s@]{1,255}$/;
const ipPattern = /^[0-9a-f:./[\]%]+$/i;

/** Lower-case a domain and drop a trailing dot and a leading "*." wildcard. */
export function normaliseDomain(domain: string): string {
  let value = domain.trim().toLowerCase();
  if (value.endsWith('.')) value = value.slice(0, -1);
  if (value.startsWith('*.')) value = value.slice(2);
  return value;
}

/** Normalise a URL for exact matching: lower-case scheme and host, no default port, no fragment. */
export function normaliseUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}

/** Normalise a value of a known type; undefined when it is not a valid value of that type. */
export function normaliseIndicator(type: IndicatorType, raw: string): string | undefined {
  const value = raw.trim();
  switch (type) {
    case 'ip': {
      const bytes = parseIp(value);
      return bytes ? canonicalIp(bytes) : undefined;
    }
    case 'cidr': {
      const network = parseCidr(value);
      return network ? `${canonicalIp(network.bytes)}/${network.prefix}` : undefined;
    }
    case 'domain': {
      const domain = normaliseDomain(value);
      return domainPattern.test(domain) ? domain : undefined;
    }
    case 'url':
      return normaliseUrl(value);
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512': {
      const hash = value.toLowerCase();
      return hexPattern.test(hash) && hashLengths[hash.length] === type ? hash : undefined;
    }
    case 'email':
      return emailPattern.test(value) ? value.toLowerCase() : undefined;
    case 'filename':
      return value.length > 0 && value.length <= 255 ? value.toLowerCase() : undefined;
  }
}

/** Guess the type of a bare value from a plain IOC list. */
export function classifyValue(raw: string): { type: IndicatorType; value: string } | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (ipPattern.test(value) && (value.includes('.') || value.includes(':'))) {
    const type: IndicatorType = value.includes('/') ? 'cidr' : 'ip';
    const normalised = normaliseIndicator(type, value);
    if (normalised) {
      // A /32 or /128 network is one host.
      const slash = normalised.lastIndexOf('/');
      if (type === 'cidr' && Number(normalised.slice(slash + 1)) === (normalised.includes(':') ? 128 : 32)) {
        return { type: 'ip', value: normalised.slice(0, slash) };
      }
      return { type, value: normalised };
    }
  }
  if (/^[a-z]+\d*:\/\//i.test(value)) {
    const url = normaliseUrl(value);
    return url ? { type: 'url', value: url } : undefined;
  }
  const lower = value.toLowerCase();
  if (hexPattern.test(lower) && hashLengths[lower.length]) return { type: hashLengths[lower.length]!, value: lower };
  if (value.includes('@')) {
    const email = normaliseIndicator('email', value);
    return email ? { type: 'email', value: email } : undefined;
  }
  const domain = normaliseIndicator('domain', value);
  return domain ? { type: 'domain', value: domain } : undefined;
}
