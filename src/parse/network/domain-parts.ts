// A host name's registered domain, public suffix and subdomain, as Elastic's registered_domain
// processor splits them (dns.question.*, url.*, destination.*). Elastic uses the whole Public
// Suffix List; this keeps a subset: every one-label suffix, the two-label ones under country codes
// (co.uk, com.br, …), reverse-lookup zones and common hosting suffixes. One module for every parser.
import type { JsonObject } from '../../model/event.ts';
import { ipOf, put } from './network-fields.ts';

// Public suffixes of more than one label (a subset of the Public Suffix List, ICANN and private
// sections, chosen for what DNS queries commonly end in); every other suffix is the last label.
const multiLabelSuffixes = new Set([
  ...['co', 'org', 'me', 'ltd', 'plc', 'net', 'ac', 'gov', 'sch', 'nhs', 'police'].map((label) => `${label}.uk`),
  ...['com', 'net', 'org', 'edu', 'gov', 'asn', 'id'].map((label) => `${label}.au`),
  ...['co', 'net', 'org', 'ac', 'govt', 'school', 'gen'].map((label) => `${label}.nz`),
  ...['co', 'ne', 'or', 'ac', 'ad', 'ed', 'go', 'gr', 'lg'].map((label) => `${label}.jp`),
  ...['co', 'ne', 'or', 're', 'pe', 'go', 'ac'].map((label) => `${label}.kr`),
  ...['co', 'net', 'org', 'firm', 'gen', 'ind', 'ac', 'edu', 'res', 'gov'].map((label) => `${label}.in`),
  ...['co', 'org', 'net', 'gov', 'ac', 'edu', 'web'].map((label) => `${label}.za`),
  ...['co', 'org', 'net', 'ac', 'gov', 'muni'].map((label) => `${label}.il`),
  ...['co', 'or', 'ac', 'go', 'net', 'web', 'sch'].map((label) => `${label}.id`),
  ...['co', 'or', 'ac', 'go', 'in', 'net'].map((label) => `${label}.th`),
  ...['com', 'net', 'org', 'edu', 'gov'].flatMap((label) =>
    ['br', 'cn', 'tw', 'hk', 'mx', 'ar', 'tr', 'sg', 'my', 'ph', 'vn', 'ua', 'eg', 'sa', 'pk', 'ng'].map(
      (country) => `${label}.${country}`,
    ),
  ),
  ...['co', 'or', 'ac', 'gv'].map((label) => `${label}.at`),
  ...['com', 'net', 'org'].flatMap((label) =>
    ['pl', 'es', 'co', 'pe', 've', 'ec', 'uy'].map((country) => `${label}.${country}`),
  ),
  // Reverse lookups (PTR queries) are common in Sysmon's DNS events.
  'in-addr.arpa',
  'ip6.arpa',
  'e164.arpa',
  'uri.arpa',
  'urn.arpa',
  'iris.arpa',
  'blogspot.com',
  'appspot.com',
  'herokuapp.com',
  'elasticbeanstalk.com',
  'firebaseapp.com',
  'github.io',
  'githubusercontent.com',
  'cloudfront.net',
  'azurewebsites.net',
  'cloudapp.net',
  'trafficmanager.net',
  'blob.core.windows.net',
  'freetls.fastly.net',
  'map.fastly.net',
  'a.ssl.fastly.net',
  'b.ssl.fastly.net',
  'global.ssl.fastly.net',
  'a.prod.fastly.net',
  'global.prod.fastly.net',
  's3.amazonaws.com',
  'netlify.app',
  'vercel.app',
  'web.app',
  'pages.dev',
  'workers.dev',
  'ngrok.io',
  'duckdns.org',
]);

/** Second-level labels that are public suffixes under any two-letter country code (bbc.co.uk, x.com.ru). */
const countrySecondLevels = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'gob',
  'gov',
  'go',
  'ltd',
  'mil',
  'ne',
  'net',
  'or',
  'org',
  'plc',
  'sch',
]);

// Names under these are local (mDNS, AD, home routers): no public registered domain, as with Elastic.
const localSuffixes = new Set([
  'local',
  'lan',
  'localdomain',
  'localhost',
  'internal',
  'intranet',
  'corp',
  'home',
  'workgroup',
  'domain',
  'private',
  'invalid',
  'test',
  'example',
]);

/** How many trailing labels form the public suffix. */
function suffixLength(labels: readonly string[]): number {
  for (let count = Math.min(labels.length, 4); count >= 2; count--) {
    if (multiLabelSuffixes.has(labels.slice(-count).join('.'))) return count;
  }
  const last = labels[labels.length - 1] as string;
  if (labels.length > 2 && last.length === 2 && countrySecondLevels.has(labels[labels.length - 2] as string)) return 2;
  return 1;
}

/**
 * registered_domain, top_level_domain and subdomain of a name (a trailing dot is ignored; the
 * subdomain keeps the name's case); undefined for single labels, IP addresses, local-only names
 * and names that are a public suffix themselves.
 */
export function domainParts(name: string): JsonObject | undefined {
  const fqdn = name.endsWith('.') ? name.slice(0, -1) : name;
  if (fqdn.length > 253 || ipOf(fqdn) !== undefined) return undefined;
  const lower = fqdn.toLowerCase();
  const labels = lower.split('.');
  if (labels.length < 2 || labels.some((label) => label === '' || label.length > 63)) return undefined;
  const last = labels[labels.length - 1] as string;
  if (localSuffixes.has(last) || !/^[a-z][a-z0-9-]*$/.test(last)) return undefined;
  const suffixLabels = suffixLength(labels);
  if (labels.length <= suffixLabels) return undefined;
  const registered = labels.slice(-(suffixLabels + 1)).join('.');
  const parts: JsonObject = {
    registered_domain: registered,
    top_level_domain: labels.slice(-suffixLabels).join('.'),
  };
  if (fqdn.length > registered.length + 1) parts.subdomain = fqdn.slice(0, fqdn.length - registered.length - 1);
  return parts;
}

/** `<prefix>.registered_domain`, `.top_level_domain` and `.subdomain` of a name, when it has them. */
export function putDomainParts(doc: JsonObject, prefix: string, name: string | undefined): void {
  if (name === undefined) return;
  const parts = domainParts(name);
  if (!parts) return;
  for (const [key, value] of Object.entries(parts)) put(doc, `${prefix}.${key}`, value);
}
