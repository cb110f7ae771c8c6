// Importers for threat-intelligence feeds: STIX 2.1 bundles, MISP events (API and feed form),
// and plain or CSV IOC lists. Each returns indicators plus the entries it skipped and why,
// so an operator sees what a feed really contributed.
import { classifyValue, type Indicator, type IndicatorType, normaliseIndicator } from './indicator.ts';
import { extractPatternValues } from './stix-pattern.ts';

export interface SkippedEntry {
  readonly id: string;
  readonly reason: string;
}

export interface IntelImport {
  readonly format: 'stix' | 'misp' | 'list';
  readonly indicators: Indicator[];
  readonly skipped: SkippedEntry[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function epoch(value: unknown): number | undefined {
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Import a STIX 2.1 bundle (or a single object / an array of objects). */
export function importStix(document: unknown, source: string): IntelImport {
  const objects: unknown[] = Array.isArray(document)
    ? document
    : isObject(document) && Array.isArray(document.objects)
      ? document.objects
      : [document];
  const indicators: Indicator[] = [];
  const skipped: SkippedEntry[] = [];
  // Names of what an indicator "indicates" (malware, threat actor), via relationships.
  const names = new Map<string, string>();
  const indicates = new Map<string, string>();
  for (const object of objects) {
    if (!isObject(object)) continue;
    const id = text(object.id) ?? '';
    if (
      ['malware', 'threat-actor', 'intrusion-set', 'campaign', 'tool'].includes(String(object.type)) &&
      text(object.name)
    ) {
      names.set(id, text(object.name)!);
    }
    if (object.type === 'relationship' && object.relationship_type === 'indicates') {
      indicates.set(String(object.source_ref), String(object.target_ref));
    }
  }
  for (const object of objects) {
    if (!isObject(object) || object.type !== 'indicator') continue;
    const id = text(object.id) ?? '(no id)';
    if (object.revoked === true) {
      skipped.push({ id, reason: 'revoked' });
      continue;
    }
    if (object.pattern_type !== undefined && object.pattern_type !== 'stix') {
      skipped.push({ id, reason: `pattern_type ${String(object.pattern_type)} is not supported` });
      continue;
    }
    const pattern = text(object.pattern);
    if (!pattern) {
      skipped.push({ id, reason: 'no pattern' });
      continue;
    }
    const extraction = extractPatternValues(pattern);
    if (!extraction.ok) {
      skipped.push({ id, reason: extraction.reason });
      continue;
    }
    const target = indicates.get(id);
    const threatName = (target && names.get(target)) ?? text(object.name);
    const confidence = typeof object.confidence === 'number' ? object.confidence : 75;
    const labels = Array.isArray(object.indicator_types) ? object.indicator_types.map(String) : undefined;
    for (const value of extraction.values) {
      indicators.push({
        type: value.type,
        value: value.value,
        source,
        sourceId: id,
        confidence,
        threatName,
        description: text(object.description),
        validUntil: epoch(object.valid_until),
        tags: labels,
      });
    }
  }
  return { format: 'stix', indicators, skipped };
}

const mispTypes: Record<string, IndicatorType> = {
  'ip-src': 'ip',
  'ip-dst': 'ip',
  domain: 'domain',
  hostname: 'domain',
  url: 'url',
  uri: 'url',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha512: 'sha512',
  'email-src': 'email',
  'email-dst': 'email',
  email: 'email',
  filename: 'filename',
};

/** MISP threat levels (1 high … 4 undefined) → a default confidence. */
const threatLevelConfidence: Record<string, number> = { '1': 90, '2': 75, '3': 60, '4': 50 };

/** Import a MISP event (`{"Event":{…}}`, a bare event, or an array of them, as the API or a feed gives). */
export function importMisp(document: unknown, source: string): IntelImport {
  const events: Json[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) events.push(isObject(value.Event) ? value.Event : value);
  };
  visit(isObject(document) && Array.isArray(document.response) ? document.response : document);
  const indicators: Indicator[] = [];
  const skipped: SkippedEntry[] = [];
  for (const event of events) {
    const eventName = text(event.info) ?? 'MISP event';
    const confidence = threatLevelConfidence[String(event.threat_level_id)] ?? 60;
    const eventTags = Array.isArray(event.Tag) ? event.Tag.filter(isObject).map((tag) => String(tag.name)) : [];
    const attributes: Json[] = Array.isArray(event.Attribute) ? event.Attribute.filter(isObject) : [];
    for (const object of Array.isArray(event.Object) ? event.Object.filter(isObject) : []) {
      if (Array.isArray(object.Attribute)) attributes.push(...object.Attribute.filter(isObject));
    }
    for (const attribute of attributes) {
      const id = text(attribute.uuid) ?? '(no uuid)';
      if (attribute.to_ids === false || attribute.to_ids === '0') {
        skipped.push({ id, reason: 'to_ids is false (context, not for detection)' });
        continue;
      }
      const rawType = String(attribute.type ?? '');
      const rawValue = String(attribute.value ?? '');
      // Composite types ("ip-dst|port", "filename|sha256", "domain|ip") carry two values.
      const typeParts = rawType.split('|');
      const valueParts = rawValue.split('|');
      let took = false;
      for (let index = 0; index < typeParts.length; index++) {
        const type = mispTypes[typeParts[index]!];
        const part = valueParts[index];
        if (!type || part === undefined) continue;
        const value = normaliseIndicator(type === 'ip' && part.includes('/') ? 'cidr' : type, part);
        if (value === undefined) continue;
        took = true;
        indicators.push({
          type: type === 'ip' && part.includes('/') ? 'cidr' : type,
          value,
          source,
          sourceId: id,
          confidence,
          threatName: eventName,
          description: text(attribute.comment) || undefined,
          tags: eventTags,
        });
      }
      if (!took) skipped.push({ id, reason: `attribute type ${rawType} is not an observable Vigil matches` });
    }
  }
  return { format: 'misp', indicators, skipped };
}

/**
 * Import a plain IOC list: one value per line, `#` comments (the latest comment names the
 * threat), optional second column after TAB, `;` or `,` (a count of blocklists → confidence,
 * or a description). Values are classified (IP, CIDR, domain, URL, hash, e-mail).
 */
export function importIocList(content: string, source: string, options: { confidence?: number } = {}): IntelImport {
  const indicators: Indicator[] = [];
  const skipped: SkippedEntry[] = [];
  let comment: string | undefined;
  const lines = content.split(/\r?\n/);
  for (let number = 1; number <= lines.length; number++) {
    const line = lines[number - 1]!.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      const note = line.replace(/^#+\s*/, '');
      if (note && !/^[-=]+$/.test(note) && !/^[A-Z ]+-{3,}/.test(note)) comment = note;
      continue;
    }
    const [first, second] = line.split(/[\t;,]/, 2).map((part) => part.trim());
    const classified = classifyValue(first ?? '');
    if (!classified) {
      skipped.push({
        id: `${source}:${number}`,
        reason: `'${(first ?? '').slice(0, 80)}' is not an IP, network, domain, URL, hash or e-mail`,
      });
      continue;
    }
    const count = second !== undefined && /^\d+$/.test(second) ? Number(second) : undefined;
    const confidence = count !== undefined ? Math.min(100, 40 + count * 10) : (options.confidence ?? 60);
    const description = count === undefined && second ? second : undefined;
    indicators.push({ ...classified, source, confidence, threatName: description ?? comment, description });
  }
  return { format: 'list', indicators, skipped };
}

/** Pick the importer from the content: STIX bundle, MISP event, or a list. */
export function importIntel(content: string, source: string): IntelImport {
  const trimmed = content.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let document: unknown;
    try {
      document = JSON.parse(content);
    } catch (error) {
      return {
        format: 'list',
        indicators: [],
        skipped: [{ id: source, reason: `invalid JSON: ${(error as Error).message}` }],
      };
    }
    const first = Array.isArray(document) ? document[0] : document;
    if (
      isObject(first) &&
      (first.type === 'bundle' ||
        typeof first.spec_version === 'string' ||
        (typeof first.type === 'string' && String(first.id ?? '').includes('--')))
    ) {
      return importStix(document, source);
    }
    return importMisp(document, source);
  }
  return importIocList(content, source);
}
