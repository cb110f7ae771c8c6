// Fast syslog header parser shared by every parser whose records arrive over syslog (Linux syslog,
// CEF, LEEF, FortiGate, PAN-OS, Cisco ASA, iptables): RFC 5424 and RFC 3164/BSD with the variants
// real devices and rsyslog write. It reads only the header; the body is left to the caller.
import { fieldsToEpochMs, fractionMs, inferYear, monthNumber, offsetMinutes } from '../time/parse-timestamp.ts';
import { resolveTimeZone, type TimeZone } from '../time/time-zone.ts';

export interface SyslogHeader {
  /** 'rfc5424' for `<PRI>1 …` records, 'rfc3164' for BSD-style ones (with or without PRI). */
  readonly format: 'rfc5424' | 'rfc3164';
  /** PRI value (facility × 8 + severity) when the record starts with `<PRI>`. */
  readonly priority?: number;
  readonly facility?: number;
  readonly severity?: number;
  /** Event time in epoch ms; undefined when the header has no timestamp (`<PRI>` then body, or `-`). */
  readonly timestamp?: number;
  /** The timestamp exactly as written. */
  readonly timestampText?: string;
  readonly hostname?: string;
  /** APP-NAME (5424) or the TAG before `[pid]:` / `:` (3164), e.g. "sshd", "CRON", "postfix/smtpd". */
  readonly appName?: string;
  /** PROCID (5424) or the text inside `tag[…]` (3164). */
  readonly procId?: string;
  /** PROCID as a number when it is one. */
  readonly pid?: number;
  readonly msgId?: string;
  /** RFC 5424 STRUCTURED-DATA: SD-ID → param name → value (unescaped). Null-prototype objects. */
  readonly structuredData?: Record<string, Record<string, string>>;
  /** Offset of the message body in the line (after the header and its separating space). */
  readonly messageOffset: number;
  /** The message body from `messageOffset`, without a trailing CR/LF; BOM removed for RFC 5424. */
  readonly message: string;
}

export interface SyslogHeaderOptions {
  /** Receive time (epoch ms) used to infer the year of BSD dates; default `Date.now()`. */
  readonly receivedAt?: number;
  /** Zone for timestamps without an offset: IANA name, "+05:00", "GMT-0200" or a resolved zone; default UTC. */
  readonly timezone?: string | TimeZone;
  /** Only recognise the timestamp, do not compute it (`timestamp` stays undefined): for sniffers. */
  readonly skipTimestamp?: boolean;
}

const priPattern = /<(\d{1,3})>/y;
const versionPattern = /([1-9]\d?) /y;
const isoPattern = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?/y;
const bsdPattern = /([A-Z][a-z]{2}) {1,2}(\d{1,2}) (?:(\d{4}) )?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?/y;
/** Longest 3164 TAG (with `[pid]`) we accept; real ones are short but macOS writes names with spaces. */
const maxTagLength = 96;
const maxTokenLength = 255;

/** Characters that cannot occur in a 3164 tag: finding one first means the line has no tag. */
function endsTagScan(code: number): boolean {
  return (
    code === 61 /* = */ ||
    code === 44 /* , */ ||
    code === 34 /* " */ ||
    code === 124 /* | */ ||
    code === 123 /* { */ ||
    code === 60 /* < */ ||
    code === 10 ||
    code === 13 ||
    code === 9
  );
}

/**
 * Parse the syslog header at the start of `line`. Returns undefined when the line is not syslog:
 * it has neither a `<PRI>` nor a recognised timestamp at its start. Never throws; linear time.
 *
 * Accepted shapes:
 * - RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD…] MSG` (any field may be `-`).
 * - RFC 3164: `[<PRI>]TIMESTAMP [HOST] [TAG[PID]:] MSG`, TIMESTAMP being `Mmm dd hh:mm:ss[.fff]`,
 *   `Mmm dd yyyy hh:mm:ss` (Cisco) or ISO 8601 with or without offset (rsyslog); an optional `:`
 *   after the timestamp (Cisco ASA). A first token ending in `:` is a tag (no host).
 * - `<PRI>` followed directly by a body without timestamp (FortiGate `<185>date=…`): only the
 *   priority is set and the rest is the message.
 *
 * BSD dates without a year get the most recent year that puts them at most a day after
 * `receivedAt`; times without offset are read in `options.timezone` (default UTC).
 */
export function parseSyslogHeader(line: string, options: SyslogHeaderOptions = {}): SyslogHeader | undefined {
  let position = 0;
  let priority: number | undefined;
  if (line.charCodeAt(0) === 60 /* < */) {
    priPattern.lastIndex = 0;
    const pri = priPattern.exec(line);
    if (!pri) return undefined;
    priority = Number(pri[1]);
    if (priority > 191) return undefined;
    position = priPattern.lastIndex;
    versionPattern.lastIndex = position;
    const version = versionPattern.exec(line);
    if (version) return parse5424(line, versionPattern.lastIndex, priority, options);
  }
  return parse3164(line, position, priority, options);
}

function zoneOf(options: SyslogHeaderOptions): string | TimeZone | undefined {
  return typeof options.timezone === 'string' ? (resolveTimeZone(options.timezone) ?? undefined) : options.timezone;
}

function isoToEpoch(match: RegExpExecArray, zone: string | TimeZone | undefined): number | undefined {
  return fieldsToEpochMs(
    Number(match[1]),
    Number(match[2]),
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6]),
    fractionMs(match[7]),
    offsetMinutes(match[8]),
    zone,
  );
}

/** End index of the token starting at `start`: the next space, or the end of the line. */
function tokenEndAt(line: string, start: number): number {
  const end = line.indexOf(' ', start);
  return end === -1 ? line.length : end;
}

function parse5424(
  line: string,
  start: number,
  priority: number,
  options: SyslogHeaderOptions,
): SyslogHeader | undefined {
  let position = start;
  let timestamp: number | undefined;
  let timestampText: string | undefined;
  if (line.charCodeAt(position) === 45 /* - */) {
    position += 1;
  } else {
    isoPattern.lastIndex = position;
    const iso = isoPattern.exec(line);
    if (!iso) return undefined;
    timestampText = iso[0];
    if (options.skipTimestamp !== true) timestamp = isoToEpoch(iso, zoneOf(options));
    position = isoPattern.lastIndex;
  }
  const fields: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  const limits = [maxTokenLength, 48, 128, 32];
  for (let index = 0; index < 4; index++) {
    if (line.charCodeAt(position) !== 32)
      return truncated5424(line, position, priority, timestamp, timestampText, fields);
    position += 1;
    const end = tokenEndAt(line, position);
    // A missing field ends a truncated header; an oversized one means this is not RFC 5424.
    if (end === position) return truncated5424(line, position, priority, timestamp, timestampText, fields);
    if (end - position > limits[index]!) return undefined;
    const token = line.slice(position, end);
    fields[index] = token === '-' ? undefined : token;
    position = end;
  }
  let structuredData: Record<string, Record<string, string>> | undefined;
  if (line.charCodeAt(position) === 32) {
    position += 1;
    if (line.charCodeAt(position) === 45 /* - */) {
      position += 1;
    } else if (line.charCodeAt(position) === 91 /* [ */) {
      const parsed = parseStructuredData(line, position);
      if (parsed === undefined) return undefined;
      structuredData = parsed.data;
      position = parsed.end;
    } else {
      return undefined;
    }
  }
  if (line.charCodeAt(position) === 32) position += 1;
  // RFC 5424 allows a UTF-8 BOM before MSG; it is not part of the text.
  if (line.charCodeAt(position) === 0xfeff) position += 1;
  const procId = fields[2];
  return {
    format: 'rfc5424',
    priority,
    facility: priority >> 3,
    severity: priority & 7,
    timestamp,
    timestampText,
    hostname: fields[0],
    appName: fields[1],
    procId,
    pid: toPid(procId),
    msgId: fields[3],
    structuredData,
    messageOffset: position,
    message: bodyFrom(line, position),
  };
}

function truncated5424(
  line: string,
  position: number,
  priority: number,
  timestamp: number | undefined,
  timestampText: string | undefined,
  fields: (string | undefined)[],
): SyslogHeader | undefined {
  // Only a line that simply ends early counts as a truncated header; anything else is not 5424.
  if (position < line.length) return undefined;
  return {
    format: 'rfc5424',
    priority,
    facility: priority >> 3,
    severity: priority & 7,
    timestamp,
    timestampText,
    hostname: fields[0],
    appName: fields[1],
    procId: fields[2],
    pid: toPid(fields[2]),
    msgId: fields[3],
    messageOffset: line.length,
    message: '',
  };
}

/** Parse `[id k="v" …][id2 …]` starting at `start`; undefined when malformed. */
export function parseStructuredData(
  line: string,
  start: number,
): { data: Record<string, Record<string, string>>; end: number } | undefined {
  const data: Record<string, Record<string, string>> = Object.create(null);
  let position = start;
  while (line.charCodeAt(position) === 91 /* [ */) {
    position += 1;
    let idEnd = position;
    while (idEnd < line.length) {
      const code = line.charCodeAt(idEnd);
      if (code === 32 || code === 93 /* ] */) break;
      idEnd++;
    }
    if (idEnd === position || idEnd >= line.length) return undefined;
    const params: Record<string, string> = Object.create(null);
    data[line.slice(position, idEnd)] = params;
    position = idEnd;
    while (line.charCodeAt(position) === 32) {
      position += 1;
      const equals = line.indexOf('=', position);
      if (equals === -1 || line.charCodeAt(equals + 1) !== 34 /* " */) return undefined;
      const name = line.slice(position, equals);
      // PARAM-NAME is 1–32 printable characters without space, `]` or `"`.
      if (name.length === 0 || name.length > 32 || /[\s\]"]/.test(name)) return undefined;
      position = equals + 2;
      let value = '';
      let segmentStart = position;
      for (;;) {
        if (position >= line.length) return undefined;
        const code = line.charCodeAt(position);
        if (code === 92 /* \ */) {
          const next = line.charCodeAt(position + 1);
          if (next === 34 || next === 92 || next === 93) {
            value += line.slice(segmentStart, position);
            segmentStart = position + 1;
            position += 2;
            continue;
          }
        } else if (code === 34) {
          break;
        }
        position++;
      }
      value += line.slice(segmentStart, position);
      params[name] = value;
      position += 1;
    }
    if (line.charCodeAt(position) !== 93) return undefined;
    position += 1;
  }
  return { data, end: position };
}

function parse3164(
  line: string,
  start: number,
  priority: number | undefined,
  options: SyslogHeaderOptions,
): SyslogHeader | undefined {
  let position = start;
  let timestamp: number | undefined;
  let timestampText: string | undefined;
  const first = line.charCodeAt(position);
  if (first >= 48 && first <= 57) {
    isoPattern.lastIndex = position;
    const iso = isoPattern.exec(line);
    if (iso) {
      timestampText = iso[0];
      if (options.skipTimestamp !== true) timestamp = isoToEpoch(iso, zoneOf(options));
      position = isoPattern.lastIndex;
    }
  } else if (first >= 65 && first <= 90) {
    bsdPattern.lastIndex = position;
    const bsd = bsdPattern.exec(line);
    if (bsd) {
      const month = monthNumber(bsd[1]!);
      if (month !== 0 && options.skipTimestamp === true) {
        timestampText = bsd[0];
        position = bsdPattern.lastIndex;
      } else if (month !== 0) {
        timestampText = bsd[0];
        const day = Number(bsd[2]);
        const hour = Number(bsd[4]);
        const minute = Number(bsd[5]);
        const second = Number(bsd[6]);
        const millisecond = fractionMs(bsd[7]);
        const zone = zoneOf(options);
        timestamp = bsd[3]
          ? fieldsToEpochMs(Number(bsd[3]), month, day, hour, minute, second, millisecond, undefined, zone)
          : inferYear(month, day, hour, minute, second, millisecond, options.receivedAt ?? Date.now(), zone);
        position = bsdPattern.lastIndex;
      }
    }
  }
  if (timestampText === undefined) {
    // Without a timestamp only a PRI makes this syslog: the body follows the PRI directly.
    if (priority === undefined) return undefined;
    return {
      format: 'rfc3164',
      priority,
      facility: priority >> 3,
      severity: priority & 7,
      messageOffset: position,
      message: bodyFrom(line, position),
    };
  }
  // A timestamp must end at a separator, otherwise this was just text starting like a date.
  let code = line.charCodeAt(position);
  if (code === 58 /* : */) {
    position += 1;
    code = line.charCodeAt(position);
  }
  if (position < line.length && code !== 32) return undefined;
  while (line.charCodeAt(position) === 32) position++;
  let hostname: string | undefined;
  const tokenEnd = tokenEndAt(line, position);
  if (tokenEnd > position && tokenEnd - position <= maxTokenLength) {
    const token = line.slice(position, tokenEnd);
    if (!looksLikeTag(token)) {
      hostname = token;
      position = tokenEnd;
      while (line.charCodeAt(position) === 32) position++;
    }
  }
  let appName: string | undefined;
  let procId: string | undefined;
  // Cisco message ids (`%ASA-6-302013:`) look like tags but are the start of the body.
  const tagEnd = line.charCodeAt(position) === 37 /* % */ ? -1 : findTagEnd(line, position);
  if (tagEnd !== -1) {
    let nameEnd = tagEnd;
    if (line.charCodeAt(tagEnd - 1) === 93 /* ] */) {
      const open = line.lastIndexOf('[', tagEnd - 1);
      if (open > position) {
        procId = line.slice(open + 1, tagEnd - 1);
        nameEnd = open;
      }
    }
    if (nameEnd > position) appName = line.slice(position, nameEnd);
    position = tagEnd + 1;
    if (line.charCodeAt(position) === 32) position++;
  }
  return {
    format: 'rfc3164',
    priority,
    facility: priority === undefined ? undefined : priority >> 3,
    severity: priority === undefined ? undefined : priority & 7,
    timestamp,
    timestampText,
    hostname,
    appName,
    procId,
    pid: toPid(procId),
    messageOffset: position,
    message: bodyFrom(line, position),
  };
}

/** `sshd[123]:`, `CRON:` or `%ASA-6-302013:` in the host position means the sender left out its host name. */
function looksLikeTag(token: string): boolean {
  return token.charCodeAt(token.length - 1) === 58 /* : */ || token.charCodeAt(0) === 37 /* % */;
}

/**
 * Index of the colon that ends the TAG starting at `start` (`tag:` / `tag[pid]:` followed by a space
 * or the end of line), or -1 when the body has no tag: a character that cannot be in a tag comes
 * first, or no such colon is found within `maxTagLength`.
 */
function findTagEnd(line: string, start: number): number {
  const limit = Math.min(line.length, start + maxTagLength);
  for (let index = start; index < limit; index++) {
    const code = line.charCodeAt(index);
    if (code === 58 /* : */) {
      const next = line.charCodeAt(index + 1);
      if (next === 32 || index + 1 === line.length) return index;
    } else if (endsTagScan(code)) {
      return -1;
    }
  }
  return -1;
}

/** The body from `start`, without the line terminator a file or TCP framing may have left on it. */
function bodyFrom(line: string, start: number): string {
  let end = line.length;
  while (end > start) {
    const code = line.charCodeAt(end - 1);
    if (code !== 10 && code !== 13) break;
    end--;
  }
  return end === line.length ? line.slice(start) : line.slice(start, end);
}

function toPid(procId: string | undefined): number | undefined {
  if (procId === undefined || procId.length === 0 || procId.length > 10) return undefined;
  for (let index = 0; index < procId.length; index++) {
    const code = procId.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
  }
  return Number(procId);
}

const facilityNames = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const severityNames = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];

/** Syslog facility keyword (`log.syslog.facility.name`): "kern", "auth", "local7", … */
export function facilityName(facility: number): string | undefined {
  return facilityNames[facility];
}

/** Syslog severity name as ECS writes it (`log.syslog.severity.name`): "Error", "Informational", … */
export function severityName(severity: number): string | undefined {
  return severityNames[severity];
}
