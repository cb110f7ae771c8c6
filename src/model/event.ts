// The normalised event: an Elastic Common Schema (ECS) document with nested objects.
// Every event carries `unit` (the tenant) from the moment it is parsed; nothing downstream guesses it.
// Types only: this folder imports nothing.

/** A JSON value as stored in an event document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * An ECS event. The commonly used namespaces are typed loosely (all optional) so parsers can
 * fill what they know; anything else (vendor namespaces such as `suricata.eve.*`,
 * `winlog.event_data.*`) is allowed through the index signature.
 */
export interface EcsEvent {
  '@timestamp': string; // ISO 8601 with milliseconds, UTC ("2026-11-22T07:38:05.123Z")
  /** Organisational unit (tenant) id. Set at parse time from the source's binding; enrichment may refine it. */
  unit: string;
  message?: string;
  tags?: string[];
  labels?: Record<string, string>;
  event?: EcsEventFields;
  [namespace: string]: JsonValue | undefined;
}

export interface EcsEventFields extends JsonObject {}

/** Where a raw record came from: used for metrics, dead letters and `log.file.path`. */
export interface RecordSource {
  /** Source kind: 'http', 'hec', 'syslog-udp', 'syslog-tcp', 'file', 'nats', 'cli', 'bench'. */
  readonly kind: string;
  /** Instance name, e.g. the API key name, the listener address or the file path. */
  readonly name: string;
  /** For file sources: the path and 1-based line number. */
  readonly path?: string;
  readonly line?: number;
  /** Address of the sending peer for network sources. */
  readonly peer?: string;
}

/** One record as received, before parsing. */
export interface RawRecord {
  /** The raw text of the record (one line, one HEC event, one syslog message). */
  readonly text: string;
  /** Already-decoded JSON when the transport delivered an object (HEC `event`, NDJSON line). */
  readonly json?: JsonObject;
  readonly source: RecordSource;
  /** Unit the sender is bound to (API key, HEC token, listener config). */
  readonly unit: string;
  /** Receive time in epoch milliseconds. */
  readonly receivedAt: number;
  /** A format named by the sender (HEC sourcetype, `?format=`), if any. */
  readonly formatHint?: string;
  /**
   * Time zone for timestamps that carry none (classic syslog, many firewall logs): an IANA name
   * ("Europe/Berlin") or a fixed offset ("+05:00"). From the source's configuration; default UTC.
   */
  readonly timezone?: string;
  /**
   * Event time given by the transport (HEC `time`), epoch ms. The pipeline uses it when the parser
   * found no timestamp of its own (the event's time is missing or equals `receivedAt`).
   */
  readonly time?: number;
  /** Host name given by the transport (HEC `host`): becomes `host.name` when the event has none. */
  readonly host?: string;
  /** Extra labels given by the transport (HEC `fields`), added to the event's `labels`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A record that could not be parsed: kept as a value (dead-letter entry), never thrown. */
export interface ParseFailure {
  readonly failed: true;
  readonly reason: string;
  /** Parser format that rejected it, or 'auto' when no parser recognised it. */
  readonly format: string;
  readonly record: RawRecord;
}

/** A parse failure as stored in the dead-letter table. */
export interface DeadLetter {
  readonly id?: string;
  readonly unit: string;
  readonly receivedAt: number;
  readonly sourceKind: string;
  readonly sourceName: string;
  readonly format: string;
  readonly reason: string;
  /** The original record text, truncated to a bounded size by the pipeline. */
  readonly original: string;
}
