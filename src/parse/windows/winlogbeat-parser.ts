// Parser for Winlogbeat / Elastic Agent documents ({"winlog":{…},"event":{…},…}): the winlog.*
// metadata and event_data are re-read into a WindowsRecord so the same mappings apply as for raw
// EVTX; the document's other fields (agent, log.file, event.original, …) are kept.
import type { EcsEvent, JsonObject, JsonValue, ParseFailure, RawRecord } from '../../model/event.ts';
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
  windowsOs,
} from './windows-record.ts';

export const winlogbeatFormat = 'winlogbeat';

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Fill a WindowsRecord from a Winlogbeat document. */
export function winlogbeatRecord(document: Loose, winlog: Loose): WindowsRecord {
  const data: JsonObject = {};
  const record: WindowsRecord = { data };
  const eventId = parseInteger(scalarText(winlog.event_id));
  if (eventId !== undefined) record.eventId = String(eventId);
  const provider = nonEmpty(winlog.provider_name);
  if (provider !== undefined) record.provider = provider;
  const providerGuid = nonEmpty(winlog.provider_guid);
  if (providerGuid !== undefined) record.providerGuid = providerGuid;
  const channel = nonEmpty(winlog.channel);
  if (channel !== undefined) record.channel = channel;
  const computer = nonEmpty(winlog.computer_name);
  if (computer !== undefined) record.computer = computer;
  const recordId = scalarText(winlog.record_id);
  if (recordId !== undefined && recordId !== '') record.recordId = recordId;
  const timeCreated = timeText(winlog.time_created) ?? timeText(document['@timestamp']);
  if (timeCreated !== undefined) record.timeCreated = timeCreated;
  const process = winlog.process;
  if (isObject(process)) {
    const pid = parseInteger(scalarText(process.pid));
    if (pid !== undefined) record.processId = pid;
    const thread = process.thread;
    const threadId = isObject(thread) ? parseInteger(scalarText(thread.id)) : undefined;
    if (threadId !== undefined) record.threadId = threadId;
  }
  const user = winlog.user;
  if (isObject(user)) {
    const identifier = nonEmpty(user.identifier);
    if (identifier !== undefined) record.userId = identifier;
  }
  const level = levelName(winlog.level ?? (isObject(document.log) ? document.log.level : undefined));
  if (level !== undefined) record.level = level;
  const opcode = opcodeName(winlog.opcode);
  if (opcode !== undefined) record.opcode = opcode;
  const task = nonEmpty(winlog.task);
  if (task !== undefined) record.task = task;
  if (typeof winlog.version === 'number') record.version = winlog.version;
  const keywords = keywordInfo(winlog.keywords);
  if (keywords.names) record.keywords = keywords.names;
  const outcome = winlog.outcome;
  const shipperEvent = document.event;
  const shipperOutcome = isObject(shipperEvent) ? shipperEvent.outcome : undefined;
  if (outcome === 'success' || outcome === 'failure') record.outcome = outcome;
  else if (keywords.outcome) record.outcome = keywords.outcome;
  // Without audit keywords, the outcome the shipper already determined is the best evidence.
  else if (shipperOutcome === 'success' || shipperOutcome === 'failure') record.outcome = shipperOutcome;
  const activityId = nonEmpty(winlog.activity_id);
  if (activityId !== undefined) record.activityId = activityId;
  const relatedActivityId = nonEmpty(winlog.related_activity_id);
  if (relatedActivityId !== undefined) record.relatedActivityId = relatedActivityId;
  const message = nonEmpty(document.message);
  if (message !== undefined) record.message = message;

  const eventData = winlog.event_data;
  if (isObject(eventData)) {
    for (const key in eventData) {
      if (Object.hasOwn(eventData, key) && !isUnsafeKey(key)) putData(data, key, eventData[key]);
    }
  }
  const userData = winlog.user_data;
  if (isObject(userData)) {
    for (const key in userData) {
      if (!Object.hasOwn(userData, key) || isUnsafeKey(key) || key === 'xml_name' || Object.hasOwn(data, key)) continue;
      putData(data, key, userData[key]);
    }
  }
  return record;
}

/**
 * Keep what the shipper added (agent, ecs, log.file, event.original, tags, …): copy top-level keys we
 * did not produce, and one level down into objects we did produce. References are shared, not cloned.
 */
function keepShipperFields(output: EcsEvent, input: Loose): void {
  for (const key in input) {
    if (!Object.hasOwn(input, key) || isUnsafeKey(key) || key === 'unit') continue;
    const value = input[key] as JsonValue;
    if (value === undefined) continue;
    const existing = output[key];
    if (existing === undefined) {
      output[key] = value;
      continue;
    }
    if (!isObject(existing) || !isObject(value)) continue;
    const target = existing as JsonObject;
    for (const inner in value) {
      if (!Object.hasOwn(value, inner) || isUnsafeKey(inner) || Object.hasOwn(target, inner)) continue;
      target[inner] = value[inner] as JsonValue;
    }
  }
}

function hasWinlog(json: Record<string, unknown> | undefined): boolean {
  if (json === undefined) return false;
  const winlog = json.winlog;
  if (!isObject(winlog)) return false;
  return winlog.event_id !== undefined || winlog.channel !== undefined || winlog.provider_name !== undefined;
}

export function createWinlogbeatParser(): Parser {
  return {
    format: winlogbeatFormat,
    description:
      'Winlogbeat / Elastic Agent Windows event documents (winlog.* fields): Security, Sysmon, PowerShell, forwarded events',
    sniff(_text, json) {
      return hasWinlog(json);
    },
    parse(record: RawRecord): EcsEvent | ParseFailure {
      const json = record.json ?? decodeObject(record.text);
      if (json === undefined) return parseFailure(record, winlogbeatFormat, 'not a JSON object');
      const winlog = json.winlog;
      if (!isObject(winlog)) return parseFailure(record, winlogbeatFormat, 'no "winlog" object');
      const output = buildWindowsEvent(winlogbeatRecord(json, winlog), record.unit, record.time ?? record.receivedAt);
      keepShipperFields(output, json);
      // The shipper's host.name (often the short name) wins over the event's FQDN computer name, as in Elastic.
      const shipperHost = json.host;
      const hostName = isObject(shipperHost) ? nonEmpty(shipperHost.name) : undefined;
      if (hostName !== undefined && isObject(output.host)) (output.host as JsonObject).name = hostName;
      // The shipper's host.os (name, version, build) completes ours; its values win.
      const shipperOs = isObject(shipperHost) ? shipperHost.os : undefined;
      if (isObject(shipperOs) && isObject(output.host)) {
        (output.host as JsonObject).os = { ...windowsOs, ...(shipperOs as JsonObject) };
      }
      return output;
    },
  };
}
