// Time zone arithmetic for timestamps that carry no offset (classic syslog, web logs, firewalls).
// A zone is an IANA name ("Europe/Berlin") or a fixed offset ("+05:00", "-0200", "GMT-0200", "UTC");
// resolved zones are cached because Intl formatters are expensive to build.

/** A resolved time zone: the UTC offset (minutes east of UTC) in force at a UTC instant. */
export interface TimeZone {
  readonly name: string;
  offsetMinutesAt(utcMs: number): number;
}

const fixedOffsetPattern = /^(?:UTC|GMT|Z)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const maxCachedZones = 256;
const zoneCache = new Map<string, TimeZone | null>();

class FixedZone implements TimeZone {
  readonly name: string;
  readonly #offset: number;
  constructor(name: string, offset: number) {
    this.name = name;
    this.#offset = offset;
  }
  offsetMinutesAt(): number {
    return this.#offset;
  }
}

/** An IANA zone: offsets come from Intl, memoised per UTC hour (offsets change on hour boundaries). */
class IanaZone implements TimeZone {
  readonly name: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #byHour = new Map<number, number>();
  constructor(name: string, format: Intl.DateTimeFormat) {
    this.name = name;
    this.#format = format;
  }
  offsetMinutesAt(utcMs: number): number {
    // Quarter-hour buckets: a few historic zones change offset on non-hour boundaries.
    const bucket = Math.floor(utcMs / 900_000);
    const cached = this.#byHour.get(bucket);
    if (cached !== undefined) return cached;
    const offset = this.#compute(bucket * 900_000);
    if (this.#byHour.size >= 4096) this.#byHour.clear();
    this.#byHour.set(bucket, offset);
    return offset;
  }
  #compute(utcMs: number): number {
    let year = 1970;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.#format.formatToParts(utcMs)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value) % 24;
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          // BC years: Intl reports the era separately; negate to keep arithmetic right.
          if (part.value.startsWith('B')) year = 1 - year;
          break;
      }
    }
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
    const truncated = Math.floor(utcMs / 1000) * 1000;
    return Math.round((asUtc - truncated) / 60_000);
  }
}

const utcZone: TimeZone = new FixedZone('UTC', 0);

/**
 * Resolve a zone name or offset. Returns undefined for an unknown zone (the caller decides:
 * usually fall back to UTC). Never throws. Empty/undefined means UTC.
 */
export function resolveTimeZone(zone: string | undefined): TimeZone | undefined {
  if (zone === undefined || zone === '') return utcZone;
  const cached = zoneCache.get(zone);
  if (cached !== undefined) return cached ?? undefined;
  const resolved = buildZone(zone.trim());
  if (zoneCache.size >= maxCachedZones) zoneCache.clear();
  zoneCache.set(zone, resolved ?? null);
  return resolved;
}

function buildZone(zone: string): TimeZone | undefined {
  if (zone.length > 64) return undefined;
  const upper = zone.toUpperCase();
  if (upper === 'UTC' || upper === 'GMT' || upper === 'Z' || upper === 'ETC/UTC' || upper === 'UCT') return utcZone;
  const fixed = fixedOffsetPattern.exec(zone);
  if (fixed) {
    const hours = Number(fixed[2]);
    const minutes = fixed[3] ? Number(fixed[3]) : 0;
    if (hours > 18 || minutes > 59) return undefined;
    const sign = fixed[1] === '-' ? -1 : 1;
    return new FixedZone(zone, sign * (hours * 60 + minutes));
  }
  try {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    return new IanaZone(zone, format);
  } catch {
    return undefined;
  }
}

/**
 * Epoch ms of a wall-clock time in a zone (month 1–12). Unknown zones count as UTC. For a time
 * that occurs twice (DST fall-back) the earlier instant wins; for one skipped by DST the result
 * is shifted forward, as most log pipelines do.
 */
export function localTimeToEpochMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  zone: string | TimeZone | undefined,
): number {
  const asUtc = utcMs(year, month, day, hour, minute, second, millisecond);
  const resolved = typeof zone === 'object' ? zone : resolveTimeZone(zone);
  if (resolved === undefined || resolved === utcZone) return asUtc;
  const firstGuess = asUtc - resolved.offsetMinutesAt(asUtc) * 60_000;
  const secondOffset = resolved.offsetMinutesAt(firstGuess);
  const secondGuess = asUtc - secondOffset * 60_000;
  if (resolved.offsetMinutesAt(secondGuess) === secondOffset) {
    // Prefer the earlier instant of an ambiguous local time.
    const earlier = secondGuess - 3_600_000;
    if (earlier !== secondGuess && asUtc - resolved.offsetMinutesAt(earlier) * 60_000 === earlier) return earlier;
    return secondGuess;
  }
  return firstGuess;
}

/** Date.UTC that also handles years 0–99 literally (Date.UTC maps them to 1900–1999). */
export function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): number {
  const value = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  if (year >= 0 && year < 100) return new Date(value).setUTCFullYear(year);
  return value;
}

/** ISO 8601 with milliseconds in UTC ("2026-11-22T07:38:05.123Z"), or undefined if out of range. */
export function toIsoUtc(epochMs: number): string | undefined {
  if (!Number.isFinite(epochMs) || Math.abs(epochMs) > 8.64e15) return undefined;
  return new Date(epochMs).toISOString();
}
