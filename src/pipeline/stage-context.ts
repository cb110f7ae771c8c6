// What every stage is built with: shutdown signal, logger and metrics (no globals).
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export interface StageContext {
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly metrics: Metrics;
}
