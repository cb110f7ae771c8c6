// What every route plugin is registered with: the app's explicit dependencies (no globals).
import type { FastifyRequest } from 'fastify';
import type { VigilConfig } from '../config/config.ts';
import type { ApiKey } from '../model/unit.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { Metrics } from '../pipeline/metrics.ts';
import type { RecordSink } from '../pipeline/record-sink.ts';
import type { SourceHealth } from '../pipeline/source-health.ts';
import type { Store } from '../store/store.ts';
import type { ApiKeyAuthenticator } from './auth.ts';

/** A record sink that may also say, cheaply, that it is full, and count health per source (the Pipeline does). */
export type IngestSink = RecordSink & {
  isCongested?(): boolean;
  readonly retryAfterSeconds?: number;
  readonly sourceHealth?: SourceHealth;
};

export interface RouteContext {
  readonly store: Store;
  readonly pipeline: IngestSink;
  readonly config: VigilConfig;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly auth: ApiKeyAuthenticator;
  /** Whether a format name (or alias) is known, so a typo in `?format=` is a 400, not dead letters. */
  readonly hasFormat: (format: string) => boolean;
  /**
   * Authenticates a request that has no Authorization header (a console session cookie), as a
   * caller shaped like an API key (unit and role); undefined = not signed in.
   */
  readonly authenticateSession: ((request: FastifyRequest) => Promise<ApiKey | undefined>) | undefined;
  /** Called after units or assets were written, so enrichment can pick them up. */
  readonly onInventoryChanged: () => void;
}

export interface RouteOptions {
  readonly context: RouteContext;
}
