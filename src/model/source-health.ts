// Ingest health per source, as GET /api/v1/sources answers it: what this node received from each
// source (kind + name) for each unit since it started, how fast, and whether it is failing.
// Types only: the server's route returns them and the web console imports them.

/**
 * `ok`: records arrived recently and most of them were stored.
 * `idle`: nothing arrived for `thresholds.idleAfterMs`.
 * `failing`: in the last `thresholds.windowMs` some records failed, and at least
 * `thresholds.failingShare` of the records received did (checked before `idle`).
 */
export type SourceStatus = 'ok' | 'idle' | 'failing';

export interface SourceHealthRow {
  /** Source kind: 'http', 'hec', 'syslog-udp', 'syslog-tcp', 'syslog-tls', 'file', 'demo', … */
  readonly kind: string;
  /** Instance name: the API key or HEC token name, the syslog listener, the file path. */
  readonly name: string;
  /** Unit the source's records were bound to when they arrived (API key, token or listener). */
  readonly unit: string;
  /** Records received since this node started. */
  readonly eventsIn: number;
  /** Events committed to the store (a record may yield more than one event). */
  readonly eventsStored: number;
  /** Records that were not stored: parse failures (dead letters) plus records whose store write failed. */
  readonly failures: number;
  /** Of the failures, the records that no parser could read, kept as dead letters. */
  readonly deadLetters: number;
  /** Records received per second over the last `thresholds.windowMs`. */
  readonly rate: number;
  /** Records received and failed within the last `thresholds.windowMs` (what the status is judged on). */
  readonly window: { readonly eventsIn: number; readonly failures: number };
  /** When the source's last record arrived (epoch ms), or null when none did. */
  readonly lastEventAt: number | null;
  /** When the source's last failure happened (epoch ms), or null when none did. */
  readonly lastFailureAt: number | null;
  /** Why the last failure happened (parser reason or store error), or null. */
  readonly lastFailureReason: string | null;
  readonly status: SourceStatus;
}

export interface SourceHealthThresholds {
  /** Length of the rate and failure window (60 000: the last minute). */
  readonly windowMs: number;
  /** A source with no record for this long is `idle`. */
  readonly idleAfterMs: number;
  /** Failure share within the window at or above which a source is `failing` (0–1). */
  readonly failingShare: number;
}

export interface SourceHealthResponse {
  /** Sources in the caller's units, most recently active first. */
  readonly sources: readonly SourceHealthRow[];
  readonly thresholds: SourceHealthThresholds;
  /** Counting started (epoch ms): the node's start; counts are kept in memory, per node. */
  readonly since: number;
  /** When the answer was computed (epoch ms), for relative times. */
  readonly now: number;
}
