// The parser contract: one small module per log format turns a RawRecord into an ECS event.
// Failure is a value (ParseFailure), never a throw: bad data must not kill a batch.
import type { EcsEvent, ParseFailure, RawRecord } from '../model/event.ts';

export interface Parser {
  /** Format name used by `--format`, HEC sourcetype mapping and metrics: "suricata-eve", "cef", … */
  readonly format: string;
  /** One-line description for `vigil parse --help` and docs. */
  readonly description: string;
  /**
   * Cheap check used by format auto-detection. Gets the record text and, when the text is a
   * JSON object, the decoded object (decoded once, shared by all sniffers). Must not throw.
   */
  sniff?(text: string, json: Record<string, unknown> | undefined): boolean;
  /** Parse one record. May return several events (rare: a batch document) or a failure. */
  parse(record: RawRecord): EcsEvent | EcsEvent[] | ParseFailure;
}

export function parseFailure(record: RawRecord, format: string, reason: string): ParseFailure {
  return { failed: true, format, reason, record };
}

export function isParseFailure(value: unknown): value is ParseFailure {
  return typeof value === 'object' && value !== null && (value as { failed?: unknown }).failed === true;
}
