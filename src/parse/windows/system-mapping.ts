// Service Control Manager events of the System channel → ECS service fields. Service installation
// (7045) is one of the most used Windows detections; the rest of the System channel keeps its
// event data under winlog.event_data only.
import type { EcsEvent, JsonObject } from '../../model/event.ts';
import type { WindowsRecord } from './windows-record.ts';

export const serviceControlManager = 'Service Control Manager';

function text(data: JsonObject, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' && value !== '-' ? value : undefined;
}

/** Map a Service Control Manager record onto `document`. */
export function mapServiceControlManager(record: WindowsRecord, document: EcsEvent, event: JsonObject): void {
  const data = record.data;
  const service: JsonObject = {};
  switch (record.eventId) {
    case '7045': {
      event.category = ['configuration'];
      event.type = ['creation'];
      event.action = 'service-installed';
      const name = text(data, 'ServiceName');
      if (name !== undefined) service.name = name;
      const type = text(data, 'ServiceType');
      if (type !== undefined) service.type = type;
      const account = text(data, 'AccountName');
      if (account !== undefined) document.user = { name: account };
      break;
    }
    case '7040': {
      event.category = ['configuration'];
      event.type = ['change'];
      event.action = 'service-start-type-changed';
      const name = text(data, 'param1');
      if (name !== undefined) service.name = name;
      break;
    }
    case '7036': {
      event.category = ['process'];
      event.type = ['change'];
      event.action = 'service-state-changed';
      const name = text(data, 'param1');
      if (name !== undefined) service.name = name;
      const state = text(data, 'param2');
      if (state !== undefined) service.state = state;
      break;
    }
    default:
      return;
  }
  if (service.name !== undefined) document.service = service;
}
