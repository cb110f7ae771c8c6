// Parser for flat Windows events, where System fields and event data share one object: the OTRF
// Security-Datasets (Mordor) shape, NXLog im_msvistalog JSON and similar exports (EventID, Channel,
// SourceName, Hostname, … beside Image, CommandLine, …). Known System/shipper keys become winlog
// metadata; every other scalar key is event data under its original name.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { isUnsafeKey, parseInteger, scalarText } from './windows-fields.ts';
import {
  buildWindowsEvent,
  keywordInfo,
  levelName,
  opcodeName,
  putData,
  timeText,
  type WindowsRecord,
} from './windows-record.ts';

export const windowsFlatFormat = 'windows-flat';

/** NXLog's own EventType values; any other EventType (Sysmon's "SetValue", …) is event data. */
const shipperEventTypes = new Set([
  'INFO',
  'AUDIT_SUCCESS',
  'AUDIT_FAILURE',
  'ERROR',
  'WARNING',
  'VERBOSE',
  'CRITICAL',
  'DEBUG',
]);

/** Keys added by shippers (NXLog, Logstash) that are neither System fields nor event data. */
const shipperKeys = new Set([
  '@version',
  'tags',
  'host',
  'port',
  'SourceModuleName',
  'SourceModuleType',
  'EventReceivedTime',
  'EventTime',
  'EventTypeOrignal',
  'EventTypeOriginal',
  'Severity',
  'SeverityValue',
  'OpcodeValue',
]);

/** Keys NXLog derives from System/Security UserID: metadata only when the record came through NXLog. */
const nxlogAccountKeys = new Set(['AccountName', 'AccountType', 'Domain']);

/** Set an optional field only when there is a value, so no key holds undefined. */
function assign<K extends keyof WindowsRecord>(
  record: WindowsRecord,
  key: K,
  value: WindowsRecord[K] | undefined,
): void {
  if (value !== undefined) record[key] = value as WindowsRecord[K];
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Fill a WindowsRecord from a flat event object. */
export function flatRecord(json: Record<string, unknown>): WindowsRecord {
  const data: JsonObject = {};
  const record: WindowsRecord = { data };
  const fromNxlog = json.SourceModuleType !== undefined || json.EventReceivedTime !== undefined;
  let timeCreated: string | undefined;
  let timestamp: string | undefined;
  let severity: unknown;
  for (const key in json) {
    if (!Object.hasOwn(json, key) || isUnsafeKey(key)) continue;
    const value = json[key];
    switch (key) {
      case 'EventID': {
        const eventId = parseInteger(scalarText(value));
        if (eventId !== undefined) record.eventId = String(eventId);
        continue;
      }
      case 'Channel':
        record.channel = nonEmpty(value) ?? record.channel;
        continue;
      case 'SourceName':
      case 'ProviderName':
      case 'Provider_Name':
        record.provider = nonEmpty(value) ?? record.provider;
        continue;
      case 'Provider':
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          record.provider = nonEmpty((value as Record<string, unknown>).Name) ?? record.provider;
        } else {
          record.provider = nonEmpty(value) ?? record.provider;
        }
        continue;
      case 'ProviderGuid':
        assign(record, 'providerGuid', nonEmpty(value));
        continue;
      case 'Hostname':
      case 'Computer':
      case 'ComputerName':
        record.computer = nonEmpty(value) ?? record.computer;
        continue;
      case 'EventRecordID':
      case 'RecordNumber': {
        const recordId = scalarText(value);
        if (recordId !== undefined && recordId !== '') record.recordId = recordId;
        continue;
      }
      case 'TimeCreated':
        timeCreated = timeText(value);
        continue;
      case '@timestamp':
        timestamp = timeText(value);
        continue;
      case 'ExecutionProcessID':
        assign(record, 'processId', parseInteger(scalarText(value)));
        continue;
      case 'ThreadID':
        assign(record, 'threadId', parseInteger(scalarText(value)));
        continue;
      case 'Level':
        assign(record, 'level', levelName(value));
        continue;
      case 'Keywords': {
        const keywords = keywordInfo(value);
        if (keywords.names) record.keywords = keywords.names;
        if (keywords.outcome) record.outcome = keywords.outcome;
        continue;
      }
      case 'Opcode':
        assign(record, 'opcode', opcodeName(value));
        continue;
      case 'Task':
        assign(record, 'task', scalarText(value));
        continue;
      case 'Category':
        if (fromNxlog) {
          record.task = nonEmpty(value) ?? record.task;
          continue;
        }
        break;
      case 'Version': {
        const version = parseInteger(scalarText(value));
        if (version !== undefined) record.version = version;
        continue;
      }
      case 'UserID':
        assign(record, 'userId', nonEmpty(value));
        continue;
      case 'Message':
        assign(record, 'message', nonEmpty(value));
        continue;
      case 'ActivityID':
        assign(record, 'activityId', nonEmpty(value));
        continue;
      case 'RelatedActivityID':
        assign(record, 'relatedActivityId', nonEmpty(value));
        continue;
      case 'EventType':
        if (typeof value === 'string' && shipperEventTypes.has(value)) {
          severity ??= value;
          if (value === 'AUDIT_SUCCESS') record.outcome ??= 'success';
          else if (value === 'AUDIT_FAILURE') record.outcome ??= 'failure';
          continue;
        }
        break;
      case 'Severity':
        severity = value;
        continue;
    }
    if (shipperKeys.has(key) || (fromNxlog && nxlogAccountKeys.has(key))) continue;
    putData(data, key, value);
  }
  assign(record, 'timeCreated', timeCreated ?? timestamp);
  if (record.level === undefined && severity !== undefined) assign(record, 'level', levelName(severity));
  if (record.outcome === 'success' && record.keywords === undefined) record.keywords = ['Audit Success'];
  else if (record.outcome === 'failure' && record.keywords === undefined) record.keywords = ['Audit Failure'];
  return record;
}

function isFlatWindows(json: Record<string, unknown> | undefined): boolean {
  if (json === undefined) return false;
  const eventId = json.EventID;
  if (typeof eventId !== 'number' && typeof eventId !== 'string') return false;
  if (json.Event !== undefined || json.winlog !== undefined) return false;
  return (
    typeof json.Channel === 'string' ||
    typeof json.SourceName === 'string' ||
    typeof json.ProviderName === 'string' ||
    typeof json.Provider_Name === 'string'
  );
}

export function createWindowsFlatParser(): Parser {
  return {
    format: windowsFlatFormat,
    description:
      'Flat Windows events (OTRF Security-Datasets / Mordor, NXLog JSON): System and event data in one object',
    sniff(_text, json) {
      return isFlatWindows(json);
    },
    parse(record: RawRecord): EcsEvent | ParseFailure {
      const json = record.json ?? decodeObject(record.text);
      if (json === undefined) return parseFailure(record, windowsFlatFormat, 'not a JSON object');
      if (json.EventID === undefined) return parseFailure(record, windowsFlatFormat, 'no "EventID" field');
      return buildWindowsEvent(flatRecord(json), record.unit, record.time ?? record.receivedAt);
    },
  };
}
