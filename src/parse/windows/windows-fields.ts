// Small value helpers shared by the Windows parsers: text coercion, timestamps, paths, command lines,
// hashes and user names. They run per event, so they avoid regexes and intermediate allocations.
import type { JsonObject, JsonValue } from '../../model/event.ts';

/** Keys that must never be assigned onto a plain object from user data (prototype pollution). */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** A scalar as the string Windows would render; undefined for null, objects and arrays. */
export function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    default:
      return undefined;
  }
}

/** The object under `key`, created when missing. Keys are our own constants, never user data. */
export function child(parent: JsonObject, key: string): JsonObject {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

/** Whether an object has at least one own key, without allocating a key list. */
export function hasKeys(value: JsonObject): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

/** A value that carries information: not empty and not Windows' "-" placeholder. */
export function meaningful(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== '-';
}

/** Append to a string array without duplicates. */
export function addUnique(target: JsonObject, key: string, value: string): void {
  const existing = target[key];
  if (Array.isArray(existing)) {
    if (!existing.includes(value)) existing.push(value);
  } else {
    target[key] = [value];
  }
}

function digit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Normalise a Windows timestamp to ISO 8601 UTC with milliseconds. Handles the common shapes without
 * a Date round trip: "2020-09-23T16:57:41.372630Z", "2019-11-14T17:10:15.151Z", "2020-10-28 02:39:26.374"
 * (Sysmon UtcTime, always UTC) and "2020-10-19 12:28:44.333"; anything else goes through Date.parse.
 */
export function isoMillis(text: string): string | undefined {
  const length = text.length;
  if (
    length >= 19 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    (text.charCodeAt(10) === 84 || text.charCodeAt(10) === 32) &&
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    validDateTime(text)
  ) {
    let end = 19;
    let millis = '000';
    if (length > 19 && text.charCodeAt(19) === 46) {
      end = 20;
      while (end < length && digit(text.charCodeAt(end))) end++;
      millis = (text.slice(20, Math.min(end, 23)) + '000').slice(0, 3);
    }
    const rest = end === length ? '' : text.slice(end);
    if (rest === '' || rest === 'Z' || rest === 'z' || rest === '+00:00') {
      return `${text.slice(0, 10)}T${text.slice(11, 19)}.${millis}Z`;
    }
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : isoFromEpoch(parsed);
}

function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

/** Digits and ranges of "YYYY-MM-DD?hh:mm:ss" (the separators are checked by the caller). */
function validDateTime(text: string): boolean {
  if (twoDigits(text, 0) < 0 || twoDigits(text, 2) < 0) return false;
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 31 &&
    hour >= 0 &&
    hour < 24 &&
    minute >= 0 &&
    minute < 60 &&
    second >= 0 &&
    second < 61
  );
}

/** ISO 8601 for an epoch-milliseconds value; undefined when out of Date's range (never throws). */
export function isoFromEpoch(milliseconds: number): string | undefined {
  const date = new Date(milliseconds);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Parse a decimal or 0x-prefixed hexadecimal integer (Security events log pids in hex). */
export function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  let value: number;
  if (text.length > 2 && text.charCodeAt(0) === 48 && (text.charCodeAt(1) === 120 || text.charCodeAt(1) === 88)) {
    value = Number.parseInt(text.slice(2), 16);
  } else {
    if (!digit(text.charCodeAt(0))) return undefined;
    value = Number(text);
  }
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The last component of a Windows (or POSIX) path; undefined when there is none. */
export function baseName(path: string): string | undefined {
  let index = path.length - 1;
  while (index >= 0) {
    const code = path.charCodeAt(index);
    if (code === 92 || code === 47) break;
    index--;
  }
  if (index < 0) return undefined;
  const name = path.slice(index + 1);
  return name === '' ? undefined : name;
}

/** Fill name, directory and extension of a file-like object from its path. */
export function setPathParts(target: JsonObject, path: string): void {
  let index = path.length - 1;
  while (index >= 0 && path.charCodeAt(index) !== 92) index--;
  if (index < 0) return;
  const name = path.slice(index + 1);
  if (name !== '') target.name = name;
  target.directory = path.slice(0, index);
  const dot = name.lastIndexOf('.');
  if (dot >= 0 && dot < name.length - 1) target.extension = name.slice(dot + 1);
}

/**
 * Split a command line into arguments the way Windows' CommandLineToArgvW does (backslashes before a
 * quote escape it, a doubled quote inside quotes is a literal quote).
 */
export function commandLineArgs(commandLine: string): string[] {
  const args: string[] = [];
  const length = commandLine.length;
  let index = 0;
  while (index < length) {
    let code = commandLine.charCodeAt(index);
    if (code === 32 || code === 9) {
      index++;
      continue;
    }
    // An argument is built from slices of the command line, not character by character: a string
    // grown one character at a time stays a tree of one-character pieces until read, and
    // PowerShell host command lines of tens of kilobytes kept megabytes per event alive.
    const parts: string[] = [];
    let runStart = index;
    let inQuotes = false;
    let slashes = 0;
    for (; index < length; index++) {
      code = commandLine.charCodeAt(index);
      if ((code === 32 || code === 9) && !inQuotes) break;
      if (code === 92) {
        slashes++;
        continue;
      }
      if (code === 34) {
        // Backslashes before a quote: each pair is one backslash; an odd one makes the quote literal.
        parts.push(commandLine.slice(runStart, index - slashes), '\\'.repeat(slashes >> 1));
        if (slashes % 2 === 0) {
          if (inQuotes && index + 1 < length && commandLine.charCodeAt(index + 1) === 34) {
            parts.push('"');
            index++;
          }
          inQuotes = !inQuotes;
        } else {
          parts.push('"');
        }
        runStart = index + 1;
      }
      slashes = 0;
    }
    parts.push(commandLine.slice(runStart, index));
    args.push(parts.length === 1 ? parts[0]! : parts.join(''));
  }
  return args;
}

/**
 * Split a command line on unquoted blanks, keeping the quotes (how Elastic's Security pipeline fills
 * process.args for event 4688).
 */
export function commandLineWords(commandLine: string): string[] {
  const words: string[] = [];
  let start = -1;
  let inQuotes = false;
  for (let index = 0; index < commandLine.length; index++) {
    const code = commandLine.charCodeAt(index);
    if (code === 34) inQuotes = !inQuotes;
    if ((code === 32 || code === 9) && !inQuotes) {
      if (start >= 0) words.push(commandLine.slice(start, index));
      start = -1;
    } else if (start < 0) {
      start = index;
    }
  }
  if (start >= 0) words.push(commandLine.slice(start));
  return words;
}

export interface ParsedHashes {
  readonly md5?: string;
  readonly sha1?: string;
  readonly sha256?: string;
  readonly sha384?: string;
  readonly sha512?: string;
  readonly imphash?: string;
  /** All non-empty hash values in input order (for related.hash). */
  readonly values: string[];
}

function allZeros(value: string): boolean {
  for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) !== 48) return false;
  return true;
}

/** Parse Sysmon's "SHA1=…,MD5=…,IMPHASH=…" (a lone hash without algorithm is ignored). */
export function parseHashes(text: string): ParsedHashes {
  const result: {
    md5?: string;
    sha1?: string;
    sha256?: string;
    sha384?: string;
    sha512?: string;
    imphash?: string;
    values: string[];
  } = { values: [] };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    const equals = text.indexOf('=', start);
    if (equals > start && equals < end) {
      const algorithm = text.slice(start, equals).trim().toLowerCase();
      const value = text
        .slice(equals + 1, end)
        .trim()
        .toLowerCase();
      if (value !== '' && !allZeros(value)) {
        switch (algorithm) {
          case 'md5':
          case 'sha1':
          case 'sha256':
          case 'sha384':
          case 'sha512':
          case 'imphash':
            result[algorithm] = value;
            result.values.push(value);
            break;
        }
      }
    }
    start = end + 1;
  }
  return result;
}

/** Write parsed hashes onto `<target>.hash.*` and `<target>.pe.imphash`. */
export function setHashes(target: JsonObject, hashes: ParsedHashes): void {
  if (hashes.md5 || hashes.sha1 || hashes.sha256 || hashes.sha384 || hashes.sha512) {
    const hash = child(target, 'hash');
    if (hashes.md5) hash.md5 = hashes.md5;
    if (hashes.sha1) hash.sha1 = hashes.sha1;
    if (hashes.sha256) hash.sha256 = hashes.sha256;
    if (hashes.sha384) hash.sha384 = hashes.sha384;
    if (hashes.sha512) hash.sha512 = hashes.sha512;
  }
  if (hashes.imphash) child(target, 'pe').imphash = hashes.imphash;
}

/** Split "DOMAIN\\user" into its parts; a name without a backslash has no domain. */
export function splitUser(text: string): { domain?: string; name: string } {
  const slash = text.indexOf('\\');
  if (slash < 0) return { name: text };
  return { domain: text.slice(0, slash), name: text.slice(slash + 1) };
}

/** Strip IPv4-mapped IPv6 prefixes and brackets: "::ffff:10.0.0.1" → "10.0.0.1". */
export function cleanIp(text: string): string | undefined {
  if (!meaningful(text)) return undefined;
  let value = text;
  if (value.charCodeAt(0) === 91 /* [ */ && value.endsWith(']')) value = value.slice(1, -1);
  if (value.length > 7 && value.slice(0, 7).toLowerCase() === '::ffff:' && value.indexOf('.') > 0)
    value = value.slice(7);
  return looksLikeIp(value) ? value : undefined;
}

function looksLikeIp(value: string): boolean {
  if (value.indexOf(':') >= 0) {
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      const hex = digit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
      if (!hex && code !== 58 && code !== 46 && code !== 37) {
        // A zone id after % may contain letters.
        if (value.lastIndexOf('%', index) < 0) return false;
      }
    }
    return true;
  }
  let parts = 0;
  let current = -1;
  for (let index = 0; index <= value.length; index++) {
    const code = index < value.length ? value.charCodeAt(index) : 46;
    if (code === 46) {
      if (current < 0 || current > 255) return false;
      parts++;
      current = -1;
    } else if (digit(code)) {
      current = current < 0 ? code - 48 : current * 10 + (code - 48);
    } else {
      return false;
    }
  }
  return parts === 4;
}

/** A port number, or undefined for 0, "-" and garbage. */
export function parsePort(text: string | undefined): number | undefined {
  const value = parseInteger(text);
  return value !== undefined && value > 0 && value < 65536 ? value : undefined;
}

/** A JSON value kept only when it is a string (used when copying vendor fields). */
export function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
