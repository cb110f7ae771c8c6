// Matches every event's observables (IPs, domains, URLs, hashes, e-mail addresses, file names)
// against the indicator index and turns hits into alerts. Constant time per value; one alert
// per (event, indicator value) so a busy address in many fields of one event alerts once.
import type { Alert, AlertLevel } from '../../model/alert.ts';
import type { EcsEvent } from '../../model/event.ts';
import { newEventId } from '../../store/event-id.ts';
import type { Indicator, IndicatorType } from './indicator.ts';
import type { IndicatorIndex } from './indicator-index.ts';

type MatchType = Exclude<IndicatorType, 'cidr'>;

/** ECS fields checked per indicator type (arrays are walked). */
export const intelFields: ReadonlyArray<readonly [string, MatchType]> = [
  ['source.ip', 'ip'],
  ['destination.ip', 'ip'],
  ['client.ip', 'ip'],
  ['server.ip', 'ip'],
  ['related.ip', 'ip'],
  ['dns.question.name', 'domain'],
  ['url.domain', 'domain'],
  ['destination.domain', 'domain'],
  ['source.domain', 'domain'],
  ['server.domain', 'domain'],
  ['client.domain', 'domain'],
  ['tls.client.server_name', 'domain'],
  ['related.hosts', 'domain'],
  ['url.full', 'url'],
  ['url.original', 'url'],
  ['file.hash.md5', 'md5'],
  ['file.hash.sha1', 'sha1'],
  ['file.hash.sha256', 'sha256'],
  ['process.hash.md5', 'md5'],
  ['process.hash.sha1', 'sha1'],
  ['process.hash.sha256', 'sha256'],
  ['dll.hash.sha256', 'sha256'],
  ['related.hash', 'sha256'],
  ['email.from.address', 'email'],
  ['email.sender.address', 'email'],
  ['file.name', 'filename'],
];

const paths = intelFields.map(([field, type]) => ({ field, type, parts: field.split('.') }));

function valuesAt(event: EcsEvent, parts: readonly string[]): unknown {
  let value: unknown = event;
  for (const part of parts) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function levelForConfidence(confidence: number): AlertLevel {
  return confidence >= 80 ? 'high' : confidence >= 50 ? 'medium' : 'low';
}

export interface IntelMatch {
  readonly field: string;
  readonly observed: string;
  readonly indicator: Indicator;
}

/** All indicator hits in one event, strongest indicator per observed value. */
export function matchEvent(index: IndicatorIndex, event: EcsEvent, now = Date.now()): IntelMatch[] {
  if (index.size === 0) return [];
  let matches: IntelMatch[] | undefined;
  let seen: Set<string> | undefined;
  for (const { field, type, parts } of paths) {
    const value = valuesAt(event, parts);
    if (value === undefined || value === null) continue;
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      if (typeof item !== 'string' || item.length === 0) continue;
      // related.hash holds hashes of any kind: match whichever the length says.
      const hits = field === 'related.hash' ? index.matchHash(item, now) : index.match(type, item, now);
      if (hits.length === 0) continue;
      const key = `${type}\u0000${item.toLowerCase()}`;
      seen ??= new Set();
      if (seen.has(key)) continue;
      seen.add(key);
      let best = hits[0]!;
      for (const hit of hits) if (hit.confidence > best.confidence) best = hit;
      matches ??= [];
      matches.push({ field, observed: item, indicator: best });
    }
  }
  return matches ?? [];
}

/** Alerts for the intel hits of one stored event. */
export function intelAlerts(
  index: IndicatorIndex,
  stored: { readonly id: string; readonly event: EcsEvent },
  now = Date.now(),
): Alert[] {
  const matches = matchEvent(index, stored.event, now);
  return matches.map(({ field, observed, indicator }) => ({
    id: newEventId(now),
    unit: stored.event.unit,
    kind: 'intel',
    '@timestamp': stored.event['@timestamp'],
    createdAt: now,
    rule: {
      id: `intel:${indicator.source}`,
      title: `Threat intelligence match: ${indicator.threatName ?? indicator.value} (${indicator.type})`,
      level: levelForConfidence(indicator.confidence),
      author: indicator.source,
      description: indicator.description,
      tags: indicator.tags,
    },
    eventIds: [stored.id],
    event: stored.event,
    intel: {
      indicator: indicator.value,
      type: indicator.type,
      field,
      source: indicator.source,
      confidence: indicator.confidence,
      threatName: indicator.threatName,
    },
    groupBy: { [field]: observed },
  }));
}
