// Interprets value text against a field: times (ISO 8601, dates, epoch ms, `now-15m`), numbers,
// IP addresses and CIDR blocks. Shared by every SQL dialect and by validateQuery.

const relative = /^now(?:([+-])(\d+)([smhdwMy]))?(?:\/([smhdwMy]))?$/;
const unitMs: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoLike = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

export interface TimeValue {
  readonly ms: number;
  /** The value named a whole day (`2026-11-22`): an inclusive upper bound means the day's end. */
  readonly wholeDay: boolean;
}

export function parseTimeValue(text: string, now: number): TimeValue | undefined {
  const trimmed = text.trim();
  const rel = relative.exec(trimmed);
  if (rel) {
    let ms = now;
    if (rel[1]) {
      const amount = Number(rel[2]) * (rel[1] === '-' ? -1 : 1);
      ms = shift(ms, amount, rel[3]!);
    }
    if (rel[4]) ms = roundDown(ms, rel[4]);
    return { ms, wholeDay: false };
  }
  if (/^\d{10,16}$/.test(trimmed)) return { ms: Number(trimmed), wholeDay: false };
  const day = dateOnly.exec(trimmed);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    const date = new Date(ms);
    if (date.getUTCMonth() !== Number(day[2]) - 1 || date.getUTCDate() !== Number(day[3])) return undefined;
    return { ms, wholeDay: true };
  }
  if (!isoLike.test(trimmed)) return undefined;
  // A time without a zone is UTC, as everything Vigil stores.
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : { ms, wholeDay: false };
}

function shift(ms: number, amount: number, unit: string): number {
  if (unit === 'M' || unit === 'y') {
    const date = new Date(ms);
    if (unit === 'M') date.setUTCMonth(date.getUTCMonth() + amount);
    else date.setUTCFullYear(date.getUTCFullYear() + amount);
    return date.getTime();
  }
  return ms + amount * unitMs[unit]!;
}

function roundDown(ms: number, unit: string): number {
  const date = new Date(ms);
  if (unit === 'y') return Date.UTC(date.getUTCFullYear(), 0, 1);
  if (unit === 'M') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  if (unit === 'w') {
    const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    return dayStart - ((date.getUTCDay() + 6) % 7) * unitMs['d']!;
  }
  return ms - (ms % unitMs[unit]!);
}

export function parseNumberValue(text: string): number | undefined {
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** An IP address as a 128-bit number; IPv4 maps into ::ffff:0:0/96 so both kinds share one column. */
export function parseIpValue(text: string): bigint | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return 0xffff00000000n + BigInt(v4);
  return parseIpv6(text);
}

export interface CidrValue {
  readonly low: bigint;
  readonly high: bigint;
  /** Also as plain IPv4 numbers when the block is IPv4 (for fields stored as text). */
  readonly v4?: { readonly low: number; readonly high: number };
}

export function parseCidrValue(text: string): CidrValue | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(address);
  if (v4 !== undefined) {
    if (prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    const low = v4 - (v4 % size);
    const high = low + size - 1;
    return { low: 0xffff00000000n + BigInt(low), high: 0xffff00000000n + BigInt(high), v4: { low, high } };
  }
  const v6 = parseIpv6(address);
  if (v6 === undefined || prefix > 128) return undefined;
  const hostBits = BigInt(128 - prefix);
  const low = (v6 >> hostBits) << hostBits;
  return { low, high: low + (1n << hostBits) - 1n };
}

/** Dotted-quad IPv4 as a number; a character scan because it runs for every stored event. */
export function parseIpv4(text: string): number | undefined {
  const length = text.length;
  if (length < 7 || length > 15) return undefined;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      if (++digits > 3 || octet > 255) return undefined;
    } else if (code === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const result: number[] = [];
    const pieces = half.split(':');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index]!;
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        result.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        result.push(Number.parseInt(piece, 16));
      }
    }
    return result;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let value = 0n;
  for (const group of all) value = (value << 16n) | BigInt(group);
  return value;
}
