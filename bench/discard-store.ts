// A Store that keeps units and assets (so enrichment works) but only counts events: used by
// `vigil bench pipeline --store discard` to measure parse + enrich + pipeline without the database.
import type { DeadLetter } from '../src/model/event.ts';
import type { EventPage } from '../src/model/query.ts';
import type { ApiKey, Asset, Unit } from '../src/model/unit.ts';
import type { DeadLetterPage, EventToStore, RetentionResult, Store } from '../src/store/store.ts';

export class DiscardStore implements Store {
  events = 0;
  deadLetters = 0;
  readonly #units = new Map<string, Unit>();
  readonly #assets = new Map<string, Asset>();

  async appendEvents(events: readonly EventToStore[]): Promise<void> {
    this.events += events.length;
  }
  async appendDeadLetters(letters: readonly DeadLetter[]): Promise<void> {
    this.deadLetters += letters.length;
  }
  async searchEvents(): Promise<EventPage> {
    return { events: [], total: 0, totalIsExact: true } as unknown as EventPage;
  }
  async topValues() {
    return [];
  }
  async histogram() {
    return [];
  }
  async getEvents() {
    return [];
  }
  async listDeadLetters(): Promise<DeadLetterPage> {
    return { letters: [] };
  }
  async countDeadLetters(): Promise<number> {
    return this.deadLetters;
  }
  async deleteOlderThan(): Promise<RetentionResult> {
    return { events: 0, deadLetters: 0 };
  }
  async putUnit(unit: Unit): Promise<void> {
    this.#units.set(unit.id, unit);
  }
  async listUnits(): Promise<Unit[]> {
    return [...this.#units.values()];
  }
  async putAsset(asset: Asset): Promise<void> {
    this.#assets.set(asset.id, asset);
  }
  async listAssets(): Promise<Asset[]> {
    return [...this.#assets.values()];
  }
  async putApiKey(): Promise<void> {}
  async findApiKeyBySecretHash(): Promise<ApiKey | undefined> {
    return undefined;
  }
  async listApiKeys(): Promise<ApiKey[]> {
    return [];
  }
  async deleteApiKey(): Promise<boolean> {
    return false;
  }
  async close(): Promise<void> {}
}
