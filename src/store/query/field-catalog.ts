// The ECS fields every store keeps in typed "hot" columns, and how the query language treats
// each kind. Fields not listed here are read from the stored JSON document instead.

export type FieldKind = 'keyword' | 'keyword-list' | 'text' | 'ip' | 'number' | 'time';

export interface HotField {
  readonly field: string;
  readonly column: string;
  readonly kind: FieldKind;
  /** The field's path in the event document. */
  readonly path: readonly string[];
}

const definitions: [field: string, column: string, kind: FieldKind][] = [
  ['@timestamp', 'ts', 'time'],
  ['unit', 'unit', 'keyword'],
  ['message', 'message', 'text'],
  ['event.original', 'event_original', 'text'],
  ['event.kind', 'event_kind', 'keyword'],
  ['event.category', 'event_category', 'keyword-list'],
  ['event.type', 'event_type', 'keyword-list'],
  ['event.code', 'event_code', 'keyword'],
  ['event.action', 'event_action', 'keyword'],
  ['event.outcome', 'event_outcome', 'keyword'],
  ['event.dataset', 'event_dataset', 'keyword'],
  ['event.module', 'event_module', 'keyword'],
  ['event.severity', 'event_severity', 'number'],
  ['host.name', 'host_name', 'keyword'],
  ['user.name', 'user_name', 'keyword'],
  ['source.ip', 'source_ip', 'ip'],
  ['source.port', 'source_port', 'number'],
  ['destination.ip', 'destination_ip', 'ip'],
  ['destination.port', 'destination_port', 'number'],
  ['network.transport', 'network_transport', 'keyword'],
  ['network.protocol', 'network_protocol', 'keyword'],
  ['process.name', 'process_name', 'keyword'],
  ['process.pid', 'process_pid', 'number'],
  ['process.executable', 'process_executable', 'keyword'],
  ['process.command_line', 'process_command_line', 'keyword'],
  ['process.parent.name', 'process_parent_name', 'keyword'],
  ['file.path', 'file_path', 'keyword'],
  ['url.full', 'url_full', 'keyword'],
  ['dns.question.name', 'dns_question_name', 'keyword'],
  ['rule.name', 'rule_name', 'keyword'],
  ['observer.name', 'observer_name', 'keyword'],
  ['tags', 'tags', 'keyword-list'],
];

export const hotFields: readonly HotField[] = definitions.map(([field, column, kind]) => ({
  field,
  column,
  kind,
  path: field === '@timestamp' ? ['@timestamp'] : field.split('.'),
}));

const byField = new Map(hotFields.map((hot) => [hot.field, hot]));

export function hotField(field: string): HotField | undefined {
  return byField.get(field);
}

/** Bare terms and phrases search these fields (case-insensitive substring). */
export const fullTextFields: readonly HotField[] = [byField.get('message')!, byField.get('event.original')!];

/** Fields without a hot column whose values are IP addresses (CIDR values apply). */
export function looksLikeIpField(field: string): boolean {
  return /(?:^|\.)ip$|_ip$|(?:^|\.)(?:address|addr)$/i.test(field);
}
