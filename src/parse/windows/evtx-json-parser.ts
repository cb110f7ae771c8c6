// Parser for EVTX records rendered as JSON: {"Event":{"System":{…},"EventData":{…}}}, as written by
// evtx dumpers (plain keys, "#attributes"/"#text" or "@Name" attribute encodings) and used by the
// EVTX-ATTACK-SAMPLES and SigmaHQ regression data.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { isUnsafeKey, parseInteger, scalarText } from './windows-fields.ts';
import {
  buildWindowsEvent,
  keywordInfo,
  levelName,
  objectAt,
  opcodeName,
  putData,
  timeText,
  type WindowsRecord,
} from './windows-record.ts';

export const evtxJsonFormat = 'windows-evtx-json';

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text content of an element: a scalar, or an object's "#text" / "$" / "value". */
function elementText(value: unknown): string | undefined {
  const direct = scalarText(value);
  if (direct !== undefined) return direct;
  if (isObject(value)) return scalarText(value['#text'] ?? value['$'] ?? value['value']);
  return undefined;
}

/** An XML attribute in any of the common JSON encodings. */
function attribute(element: unknown, name: string): string | undefined {
  if (!isObject(element)) return undefined;
  const plain = scalarText(element[name]);
  if (plain !== undefined) return plain;
  const attributes = element['#attributes'] ?? element['_attributes'] ?? element['$'];
  if (isObject(attributes)) {
    const value = scalarText(attributes[name]);
    if (value !== undefined) return value;
  }
  return scalarText(element[`@${name}`]);
}

/**
 * An attribute of a System child element; evtx_dump's --separate-json-attributes puts attributes in
 * a sibling object (`TimeCreated_attributes.SystemTime`) instead of inside the element.
 */
function systemAttribute(system: Loose, element: string, name: string): string | undefined {
  return attribute(system[element], name) ?? attribute(system[separateAttributeKeys[element] ?? ''], name);
}

/** Precomputed sibling keys, so a missing attribute costs no string concatenation. */
const separateAttributeKeys: Readonly<Record<string, string>> = {
  Provider: 'Provider_attributes',
  TimeCreated: 'TimeCreated_attributes',
  Execution: 'Execution_attributes',
  Security: 'Security_attributes',
  Correlation: 'Correlation_attributes',
};

/** One <Data> element: a scalar (unnamed) or an object with a Name attribute and text. */
function addDataElement(data: JsonObject, element: unknown, position: number): void {
  if (isObject(element)) {
    const texts = element['#text'];
    if (Array.isArray(texts) && attribute(element, 'Name') === undefined) {
      // evtx_dump renders several unnamed <Data> elements as one object with a "#text" list.
      for (let index = 0; index < texts.length; index++) addDataElement(data, texts[index], position + index);
      return;
    }
    const name = attribute(element, 'Name');
    const value = elementText(element);
    if (name !== undefined && name !== '' && !isUnsafeKey(name)) {
      if (value !== undefined) data[name] = value;
      return;
    }
    if (value !== undefined) data[`param${position}`] = value;
    return;
  }
  const value = scalarText(element);
  if (value !== undefined) data[`param${position}`] = value;
}

/** Flatten EventData (object, array of Data elements, or null) into original-name → text. */
export function collectEventData(eventData: unknown, data: JsonObject): void {
  if (Array.isArray(eventData)) {
    for (let index = 0; index < eventData.length; index++) addDataElement(data, eventData[index], index + 1);
    return;
  }
  if (!isObject(eventData)) return;
  for (const key in eventData) {
    if (!Object.hasOwn(eventData, key) || isUnsafeKey(key) || key === '#attributes' || key === '@xmlns') continue;
    const value = eventData[key];
    if (key === 'Data') {
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) addDataElement(data, value[index], index + 1);
      } else {
        addDataElement(data, value, 1);
      }
      continue;
    }
    const text = elementText(value);
    if (text !== undefined) data[key] = text;
  }
}

/** Merge UserData's inner fields (one wrapper element deep) without overriding EventData. */
export function collectUserData(userData: unknown, data: JsonObject): void {
  if (!isObject(userData)) return;
  for (const wrapper in userData) {
    if (!Object.hasOwn(userData, wrapper) || isUnsafeKey(wrapper)) continue;
    const inner = userData[wrapper];
    if (!isObject(inner)) continue;
    for (const key in inner) {
      if (!Object.hasOwn(inner, key) || isUnsafeKey(key) || key === '#attributes' || Object.hasOwn(data, key)) continue;
      putData(data, key, elementText(inner[key]));
    }
  }
}

/** Fill a WindowsRecord from an evtx-JSON Event object. */
export function evtxRecord(eventElement: Loose): WindowsRecord {
  const data: JsonObject = {};
  const record: WindowsRecord = { data };
  const system = eventElement.System;
  if (isObject(system)) {
    const eventId = parseInteger(elementText(system.EventID));
    if (eventId !== undefined) record.eventId = String(eventId);
    const provider = system.Provider;
    const providerName =
      typeof provider === 'string' && provider !== '' ? provider : systemAttribute(system, 'Provider', 'Name');
    if (providerName !== undefined && providerName !== '') record.provider = providerName;
    const providerGuid = systemAttribute(system, 'Provider', 'Guid');
    if (providerGuid !== undefined) record.providerGuid = providerGuid;
    const channel = elementText(system.Channel);
    if (channel !== undefined && channel !== '') record.channel = channel;
    const computer = elementText(system.Computer);
    if (computer !== undefined && computer !== '') record.computer = computer;
    const recordId = elementText(system.EventRecordID);
    if (recordId !== undefined) record.recordId = recordId;
    const timeCreated = timeText(
      systemAttribute(system, 'TimeCreated', 'SystemTime') ?? elementText(system.TimeCreated),
    );
    if (timeCreated !== undefined) record.timeCreated = timeCreated;
    const processId = parseInteger(systemAttribute(system, 'Execution', 'ProcessID'));
    if (processId !== undefined) record.processId = processId;
    const threadId = parseInteger(systemAttribute(system, 'Execution', 'ThreadID'));
    if (threadId !== undefined) record.threadId = threadId;
    const userId = systemAttribute(system, 'Security', 'UserID');
    if (userId !== undefined && userId !== '') record.userId = userId;
    const level = levelName(parseInteger(elementText(system.Level)));
    if (level !== undefined) record.level = level;
    const opcode = opcodeName(elementText(system.Opcode));
    if (opcode !== undefined) record.opcode = opcode;
    const task = elementText(system.Task);
    if (task !== undefined) record.task = task;
    const version = parseInteger(elementText(system.Version));
    if (version !== undefined) record.version = version;
    const keywords = keywordInfo(elementText(system.Keywords));
    if (keywords.names) record.keywords = keywords.names;
    if (keywords.outcome) record.outcome = keywords.outcome;
    const activityId = systemAttribute(system, 'Correlation', 'ActivityID');
    if (activityId !== undefined && activityId !== '') record.activityId = activityId;
    const relatedActivityId = systemAttribute(system, 'Correlation', 'RelatedActivityID');
    if (relatedActivityId !== undefined && relatedActivityId !== '') record.relatedActivityId = relatedActivityId;
  }
  collectEventData(eventElement.EventData, data);
  if (eventElement.UserData !== undefined) collectUserData(eventElement.UserData, data);
  const message = objectAt(eventElement, 'RenderingInfo')?.Message;
  if (typeof message === 'string' && message !== '') record.message = message;
  return record;
}

function hasEvent(json: Record<string, unknown> | undefined): json is { Event: Loose } {
  if (json === undefined) return false;
  const event = json.Event;
  return isObject(event) && isObject(event.System);
}

export function createEvtxJsonParser(): Parser {
  return {
    format: evtxJsonFormat,
    description: 'Windows EVTX records as JSON ({"Event":{"System":…,"EventData":…}}), e.g. evtx_dump output',
    sniff(_text, json) {
      return hasEvent(json);
    },
    parse(record: RawRecord): EcsEvent | ParseFailure {
      const json = record.json ?? decodeObject(record.text);
      if (json === undefined) return parseFailure(record, evtxJsonFormat, 'not a JSON object');
      const eventElement = json.Event;
      if (!isObject(eventElement)) return parseFailure(record, evtxJsonFormat, 'no "Event" object');
      if (!isObject(eventElement.System)) return parseFailure(record, evtxJsonFormat, 'no "Event.System" object');
      return buildWindowsEvent(evtxRecord(eventElement), record.unit, record.time ?? record.receivedAt);
    },
  };
}
