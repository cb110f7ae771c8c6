// The body of a network device's syslog record: the shared header parser reads any syslog
// header in front (RFC 3164/5424, bare `<PRI>`), and records without one are taken whole, as
// devices and collectors that write to files often drop the header.
import type { JsonObject, RawRecord } from '../../model/event.ts';
import { parseSyslogHeader, type SyslogHeader } from '../syslog/syslog-header.ts';
import { put } from './network-fields.ts';

export interface SyslogBody {
  readonly header: SyslogHeader | undefined;
  /** The message after the header (the whole text when there is none). */
  readonly body: string;
}

export function syslogBody(record: RawRecord): SyslogBody {
  const header = parseSyslogHeader(record.text, { receivedAt: record.receivedAt, timezone: record.timezone });
  return { header, body: header ? header.message : record.text };
}

/** The body only, for sniffers: cheap, and the whole text when there is no header. */
export function bodyOf(text: string): string {
  const first = text.charCodeAt(0);
  // Only a `<PRI>`, a month name or a digit can start a header.
  if (first !== 60 && !(first >= 65 && first <= 90) && !(first >= 48 && first <= 57)) return text;
  return parseSyslogHeader(text)?.message ?? text;
}

/** log.syslog.priority / facility.code / severity.code from the header's PRI. */
export function putSyslogPriority(doc: JsonObject, header: SyslogHeader | undefined): void {
  if (header?.priority === undefined) return;
  put(doc, 'log.syslog.priority', header.priority);
  put(doc, 'log.syslog.facility.code', header.facility);
  put(doc, 'log.syslog.severity.code', header.severity);
}
