// A hook that sees every batch of parsed, enriched events before it is stored: the seam where
// detection (Sigma, intel, correlation) plugs into the in-process pipeline.
import type { EventToStore } from '../store/store.ts';

export interface EventHook {
  readonly name: string;
  /** May inspect events (and add fields in place). A throw or rejection is counted, never fatal. */
  onEvents(events: readonly EventToStore[]): Promise<void> | void;
}
