// Timestamp parsing shared by all parsers: the textual shapes logs use (ISO 8601, syslog BSD,
// Apache "10/Oct/2000:13:55:36 -0700", ctime, epoch numbers) to epoch milliseconds.
// Times without an offset are read in the given zone (IANA name or "+05:00"; default UTC).
import { localTimeToEpochMs, type TimeZone, utcMs } from './time-zone.ts';

const isoPattern =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const apachePattern =
  /^(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s*([+-]\d{2}:?\d{2}|Z))?$/;
const bsdPattern =
  /^([A-Za-z]{3})\s+(\d{1,2})\s+(?:(\d{4})\s+)?(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s+(\d{4}))?$/;
const ctimePattern =
  /^(?:[A-Za-z]{3},?\s+)([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s+(\d{4})$/;
const epochPattern = /^(\d{9,19})(?:\.(\d{1,9}))?$/;
const zonedFallbackPattern = /(?:GMT|UTC|Z|[+-]\d{2}:?\d{2})$/;

const monthIndex = new Map<string, number>();
for (const [index, name] of [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
].entries()) {
  monthIndex.set(name, index + 1);
  monthIndex.set(name[0]!.toUpperCase() + name.slice(1), index + 1);
  monthIndex.set(name.toUpperCase(), index + 1);
}

/** Month number (1–12) of a three-letter English month name, any case; 0 when unknown. */
export function monthNumber(name: string): number {
  if (name.length !== 3) return 0;
  return monthIndex.get(name) ?? monthIndex.get(name.toLowerCase()) ?? 0;
}

/** Milliseconds from a fraction-of-second digit string ("123456" → 123). */
export function fractionMs(digits: string | undefined): number {
  if (!digits) return 0;
  if (digits.length >= 3) return Number(digits.slice(0, 3));
  return Number(digits) * (digits.length === 1 ? 100 : 10);
}

/** Minutes east of UTC for "Z", "UTC", "+05:00", "-0200", "+05"; undefined when absent/unknown. */
export function offsetMinutes(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const first = text.charCodeAt(0);
  if (first !== 43 /* + */ && first !== 45 /* - */) {
    const upper = text.toUpperCase();
    return upper === 'Z' || upper === 'UTC' || upper === 'GMT' ? 0 : undefined;
  }
  const digits = text.length === 6 ? text.slice(1, 3) + text.slice(4) : text.slice(1);
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length >= 4 ? Number(digits.slice(2, 4)) : 0;
  if (Number.isNaN(hours) || Number.isNaN(minutes) || hours > 18 || minutes > 59) return undefined;
  return (first === 45 ? -1 : 1) * (hours * 60 + minutes);
}

const daysInMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (
    !(month >= 1 && month <= 12) ||
    !(day >= 1) ||
    day > daysInMonth[month]! ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  )
    return false;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return true;
}

/** Wall-clock fields + optional explicit offset → epoch ms; undefined for impossible dates. */
export function fieldsToEpochMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  offset: number | undefined,
  zone: string | TimeZone | undefined,
): number | undefined {
  if (!validDate(year, month, day, hour, minute, second)) return undefined;
  const clampedSecond = second === 60 ? 59 : second;
  if (offset !== undefined) return utcMs(year, month, day, hour, minute, clampedSecond, millisecond) - offset * 60_000;
  return localTimeToEpochMs(year, month, day, hour, minute, clampedSecond, millisecond, zone);
}

/**
 * The year for a date written without one (BSD syslog "Feb 21 21:54:44"): the most recent such
 * date that is not more than one day after the reference (receive) time. Returns epoch ms or
 * undefined for impossible dates (Feb 30; Feb 29 is placed in the latest leap year that fits).
 */
export function inferYear(
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
  referenceMs: number,
  zone: string | TimeZone | undefined,
): number | undefined {
  const limit = referenceMs + 86_400_000;
  const referenceDate = new Date(Number.isFinite(referenceMs) ? referenceMs : Date.now());
  const referenceYear = referenceDate.getUTCFullYear();
  // Next year's date can only be within a day for a January date received in late December.
  const firstYear = month === 1 && referenceDate.getUTCMonth() === 11 ? referenceYear + 1 : referenceYear;
  for (let year = firstYear; year >= referenceYear - 8; year--) {
    const value = fieldsToEpochMs(year, month, day, hour, minute, second, millisecond, undefined, zone);
    if (value !== undefined && value <= limit) return value;
    // Only Feb 29 needs to look further back than one year.
    if (value === undefined && !(month === 2 && day === 29)) return undefined;
  }
  return undefined;
}

export interface ParseTimestampOptions {
  /** Zone for times without an offset: IANA name or "+05:00"; default UTC. */
  readonly timezone?: string | TimeZone;
  /** Reference (receive) time for dates without a year; default now. */
  readonly referenceMs?: number;
}

/**
 * Parse a timestamp in any of the common log shapes to epoch ms; undefined when unrecognised.
 * Accepts ISO 8601 (T or space, fractions to ns, Z / ±hh:mm / ±hhmm / none), "yyyy/mm/dd hh:mm:ss",
 * Apache "dd/Mon/yyyy:hh:mm:ss ±zzzz", BSD "Mon dd [yyyy] hh:mm:ss", ctime "Www Mon dd hh:mm:ss[.f] yyyy",
 * and epoch seconds / ms / µs / ns as digits. Never throws.
 */
export function parseTimestamp(text: string, options: ParseTimestampOptions = {}): number | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  const value = text.trim();
  const first = value.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const separator = value.charCodeAt(4);
    if (value.length >= 8 && (separator === 45 /* - */ || separator === 47) /* / */) {
      const iso = isoPattern.exec(value);
      if (iso) {
        return fieldsToEpochMs(
          Number(iso[1]),
          Number(iso[2]),
          Number(iso[3]),
          iso[4] ? Number(iso[4]) : 0,
          iso[5] ? Number(iso[5]) : 0,
          iso[6] ? Number(iso[6]) : 0,
          fractionMs(iso[7]),
          offsetMinutes(iso[8]),
          options.timezone,
        );
      }
    }
    const epoch = epochPattern.exec(value);
    if (epoch) return epochDigitsToMs(epoch[1]!, epoch[2]);
    const apache = apachePattern.exec(value);
    if (apache) {
      const month = monthNumber(apache[2]!);
      if (month === 0) return undefined;
      return fieldsToEpochMs(
        Number(apache[3]),
        month,
        Number(apache[1]),
        Number(apache[4]),
        Number(apache[5]),
        Number(apache[6]),
        fractionMs(apache[7]),
        offsetMinutes(apache[8]),
        options.timezone,
      );
    }
    return undefined;
  }
  const bsd = bsdPattern.exec(value);
  if (bsd) {
    const month = monthNumber(bsd[1]!);
    if (month === 0) return undefined;
    const yearText = bsd[3] ?? bsd[8];
    const day = Number(bsd[2]);
    const hour = Number(bsd[4]);
    const minute = Number(bsd[5]);
    const second = Number(bsd[6]);
    const millisecond = fractionMs(bsd[7]);
    if (yearText)
      return fieldsToEpochMs(
        Number(yearText),
        month,
        day,
        hour,
        minute,
        second,
        millisecond,
        undefined,
        options.timezone,
      );
    return inferYear(
      month,
      day,
      hour,
      minute,
      second,
      millisecond,
      options.referenceMs ?? Date.now(),
      options.timezone,
    );
  }
  const ctime = ctimePattern.exec(value);
  if (ctime) {
    const month = monthNumber(ctime[1]!);
    if (month === 0) return undefined;
    return fieldsToEpochMs(
      Number(ctime[7]),
      month,
      Number(ctime[2]),
      Number(ctime[3]),
      Number(ctime[4]),
      Number(ctime[5]),
      fractionMs(ctime[6]),
      undefined,
      options.timezone,
    );
  }
  // RFC 2822 / HTTP dates carry their own zone; Date.parse would read zone-less text in the
  // process's local zone, so it is only trusted when an explicit zone is present.
  if (zonedFallbackPattern.test(value)) {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** Epoch seconds (≤ 11 digits), ms (12–14), µs (15–17) or ns (18–19), with an optional fraction. */
export function epochDigitsToMs(integer: string, fraction?: string): number | undefined {
  const length = integer.length;
  if (length <= 11) return Number(integer) * 1000 + fractionMs(fraction);
  if (length <= 14) return Number(integer) + (fraction ? Number(`0.${fraction}`) : 0);
  if (length <= 17) return Math.floor(Number(integer) / 1000);
  return Number(BigInt(integer) / 1_000_000n);
}
