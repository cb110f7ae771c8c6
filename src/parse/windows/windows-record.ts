// The shape-independent view of one Windows event, and the builder that turns it into ECS. The three
// input shapes (evtx JSON, Winlogbeat, flat OTRF/NXLog) each fill a WindowsRecord; everything after
// that is shared, so the same event yields the same document whatever shape it arrived in.
import type { EcsEvent, JsonObject } from '../../model/event.ts';
import { isPowerShellChannel, mapPowerShell } from './powershell-mapping.ts';
import { mapSecurity } from './security-mapping.ts';
import { mapSysmon } from './sysmon-mapping.ts';
import { mapServiceControlManager, serviceControlManager } from './system-mapping.ts';
import { isoFromEpoch, isoMillis, scalarText } from './windows-fields.ts';

export interface WindowsRecord {
  /** Decimal event id as text ("4688"). */
  eventId?: string;
  channel?: string;
  provider?: string;
  providerGuid?: string;
  computer?: string;
  recordId?: string;
  /** System TimeCreated, ISO 8601 UTC with milliseconds. */
  timeCreated?: string;
  /** Execution ProcessID / ThreadID (the logging process, not the subject of the event). */
  processId?: number;
  threadId?: number;
  /** Security UserID (a SID). */
  userId?: string;
  /** Level name as Winlogbeat renders it: "information", "warning", … */
  level?: string;
  opcode?: string;
  task?: string;
  version?: number;
  keywords?: string[];
  outcome?: 'success' | 'failure';
  activityId?: string;
  relatedActivityId?: string;
  message?: string;
  /** The event data: original field names, string values. Built by the parsers with unsafe keys skipped. */
  data: JsonObject;
}

export const sysmonProvider = 'Microsoft-Windows-Sysmon';

/** Elastic's Windows integration marks every host as Windows; rules filter on host.os.type == "windows". */
export const windowsOs: Readonly<JsonObject> = { family: 'windows', type: 'windows' };
export const securityProvider = 'Microsoft-Windows-Security-Auditing';

const canonicalChannels = new Map([
  ['security', 'Security'],
  ['system', 'System'],
  ['application', 'Application'],
  ['SECURITY', 'Security'],
  ['SYSTEM', 'System'],
  ['APPLICATION', 'Application'],
]);

const levelNames = ['information', 'critical', 'error', 'warning', 'information', 'verbose'];

/** Level number (0–5, as number or text) or name → Winlogbeat's level name. */
export function levelName(value: unknown): string | undefined {
  if (typeof value === 'number') return levelNames[value];
  if (typeof value !== 'string' || value === '') return undefined;
  const code = value.charCodeAt(0);
  if (code >= 48 && code <= 57) return levelNames[Number(value)];
  switch (value) {
    case 'INFO':
    case 'AUDIT_SUCCESS':
    case 'AUDIT_FAILURE':
      return 'information';
    case 'WARNING':
      return 'warning';
    case 'ERROR':
      return 'error';
    case 'CRITICAL':
      return 'critical';
    case 'VERBOSE':
    case 'DEBUG':
      return 'verbose';
  }
  return value.toLowerCase();
}

const opcodeNames: Record<string, string> = {
  '0': 'Info',
  '1': 'Start',
  '2': 'Stop',
  '3': 'DCStart',
  '4': 'DCStop',
  '5': 'Extension',
  '6': 'Reply',
  '7': 'Resume',
  '8': 'Suspend',
  '9': 'Send',
  '240': 'Receive',
};

/** Opcode number → name ("0" → "Info"); names pass through. */
export function opcodeName(value: unknown): string | undefined {
  const text = scalarText(value);
  if (text === undefined || text === '') return undefined;
  return Object.hasOwn(opcodeNames, text) ? opcodeNames[text] : text;
}

const auditSuccess = 0x20;
const auditFailure = 0x10;

/**
 * Keyword bits (hex text, a signed 64-bit number as NXLog writes it, or Winlogbeat's name list) →
 * the audit keyword names and the outcome they imply.
 */
export function keywordInfo(value: unknown): { names?: string[]; outcome?: 'success' | 'failure' } {
  let byte = -1;
  if (typeof value === 'string') {
    if (
      value.length === 18 &&
      value.charCodeAt(0) === 48 &&
      (value.charCodeAt(1) === 120 || value.charCodeAt(1) === 88)
    ) {
      // 0xHHHH…: bits 48–55 are the third and fourth hex digits after the prefix.
      byte = Number.parseInt(value.slice(4, 6), 16);
    } else if (value === 'Audit Success' || value === 'Audit Failure') {
      return keywordInfo([value]);
    }
  } else if (typeof value === 'number' && Number.isInteger(value)) {
    byte = Number((BigInt.asUintN(64, BigInt(value)) >> 48n) & 0xffn);
  } else if (Array.isArray(value)) {
    const names: string[] = [];
    let outcome: 'success' | 'failure' | undefined;
    for (const item of value) {
      if (typeof item !== 'string') continue;
      names.push(item);
      if (item === 'Audit Success') outcome = 'success';
      else if (item === 'Audit Failure') outcome = 'failure';
    }
    return names.length > 0 ? { names, outcome } : {};
  }
  if (Number.isNaN(byte) || byte < 0) return {};
  if (byte & auditFailure) return { names: ['Audit Failure'], outcome: 'failure' };
  if (byte & auditSuccess) return { names: ['Audit Success'], outcome: 'success' };
  return {};
}

/** Build the ECS event for one Windows record. `fallbackTime` (epoch ms) is used when the event has no time. */
export function buildWindowsEvent(record: WindowsRecord, unit: string, fallbackTime: number): EcsEvent {
  const event: JsonObject = { kind: 'event' };
  const winlog: JsonObject = {};
  const document: EcsEvent = { '@timestamp': '', unit, event };
  if (record.eventId !== undefined) {
    event.code = record.eventId;
    winlog.event_id = record.eventId;
  }
  if (record.provider !== undefined) {
    event.provider = record.provider;
    winlog.provider_name = record.provider;
  }
  if (record.channel !== undefined) {
    // Some exporters lower-case the classic log names; Sigma log sources expect Windows' spelling.
    record.channel = canonicalChannels.get(record.channel) ?? record.channel;
    winlog.channel = record.channel;
  }
  if (record.computer !== undefined) {
    winlog.computer_name = record.computer;
    document.host = { name: record.computer, os: { ...windowsOs } };
  } else {
    document.host = { os: { ...windowsOs } };
  }
  if (record.recordId !== undefined) winlog.record_id = record.recordId;
  if (record.providerGuid !== undefined) winlog.provider_guid = record.providerGuid;
  if (record.processId !== undefined || record.threadId !== undefined) {
    const process: JsonObject = {};
    if (record.processId !== undefined) process.pid = record.processId;
    if (record.threadId !== undefined) process.thread = { id: record.threadId };
    winlog.process = process;
  }
  if (record.userId !== undefined) winlog.user = { identifier: record.userId };
  if (record.level !== undefined) {
    winlog.level = record.level;
    document.log = { level: record.level };
  }
  if (record.opcode !== undefined) winlog.opcode = record.opcode;
  if (record.task !== undefined) winlog.task = record.task;
  if (record.version !== undefined) winlog.version = record.version;
  if (record.keywords !== undefined) winlog.keywords = record.keywords;
  if (record.activityId !== undefined) winlog.activity_id = record.activityId;
  if (record.relatedActivityId !== undefined) winlog.related_activity_id = record.relatedActivityId;
  if (record.timeCreated !== undefined) winlog.time_created = record.timeCreated;
  if (record.outcome !== undefined) {
    winlog.outcome = record.outcome;
    event.outcome = record.outcome;
  }
  addUnnamedData(record.data);
  winlog.event_data = record.data;
  document.winlog = winlog;
  if (record.message !== undefined) document.message = record.message;

  let timestamp: string | undefined;
  if (record.provider === sysmonProvider || record.channel === 'Microsoft-Windows-Sysmon/Operational') {
    timestamp = mapSysmon(record, document, event);
    if (record.timeCreated !== undefined) event.created = record.timeCreated;
  } else if (
    record.provider === securityProvider ||
    record.channel === 'Security' ||
    record.provider === 'Microsoft-Windows-Eventlog'
  ) {
    mapSecurity(record, document, event);
  } else if (record.provider === serviceControlManager) {
    mapServiceControlManager(record, document, event);
  } else if (isPowerShellChannel(record.channel)) {
    mapPowerShell(record, document, event);
  }
  document['@timestamp'] = timestamp ?? record.timeCreated ?? isoFromEpoch(fallbackTime) ?? new Date().toISOString();
  return document;
}

/**
 * Unnamed <Data> elements arrive as param1, param2, … (Winlogbeat's names, and ours for evtx JSON).
 * Sigma rules address them as one field `Data` (e.g. `Data|contains: 'HostName=ConsoleHost'`), so the
 * values are also listed, in order, under `Data` unless the event has a field of that name.
 */
function addUnnamedData(data: JsonObject): void {
  if (data.param1 === undefined || data.Data !== undefined) return;
  const values: string[] = [];
  for (let position = 1; ; position++) {
    const value = data[`param${position}`];
    if (typeof value !== 'string') break;
    values.push(value);
  }
  data.Data = values;
}

/** Copy a scalar event-data value as text into `data` (skipping nulls and nested values). */
export function putData(data: JsonObject, key: string, value: unknown): void {
  const text = scalarText(value);
  if (text !== undefined) data[key] = text;
}

/** Normalise a time value from any of the shapes; undefined when unparseable. */
export function timeText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? isoMillis(value) : undefined;
}

/** The nested object under `key` of an untyped value, or undefined. */
export function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as Record<string, unknown>)[key];
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : undefined;
}
