// Enrichment contract: a stage that adds context to an event in place (unit and asset from the
// inventory, GeoIP). In place because it runs on the per-event hot path.
import type { EcsEvent } from '../model/event.ts';

export interface Enricher {
  readonly name: string;
  enrich(event: EcsEvent): void;
}
