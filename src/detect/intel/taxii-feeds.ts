// TAXII 2.1 collections a node subscribes to: each is polled on its interval, incrementally (the
// server's added-after cursor is kept in the SOC store's state), its new STIX objects join the
// live indicators at once, are appended to DATA/intel/<source>.intel so a restart loads them, and
// the new indicators are handed on for a retro-match. A failing server is recorded, not fatal.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TaxiiFeedView } from '../../model/console-api.ts';
import type { Logger } from '../../pipeline/logger.ts';
import type { SecretBox } from '../../store/secret-box.ts';
import type { SocStore } from '../../store/soc-store.ts';
import type { Indicator } from './indicator.ts';
import { type IntelCatalog, intelFileSuffix } from './intel-catalog.ts';
import { importStix } from './intel-import.ts';
import { pollTaxiiCollection, type TaxiiCollectionConfig } from './taxii-client.ts';

export interface TaxiiFeed {
  readonly source: string;
  readonly apiRoot: string;
  readonly collectionId: string;
  readonly auth?: TaxiiCollectionConfig['auth'];
  /** Minutes between polls; 0 = only when asked. */
  readonly intervalMinutes: number;
  /** Days of stored events new indicators are retro-matched against (0 = none). */
  readonly retroDays: number;
  readonly cursor?: string;
  readonly lastPolledAt?: number;
  readonly lastError?: string;
  /** STIX objects received so far. */
  readonly objects: number;
}

export interface TaxiiPollResult {
  readonly objects: number;
  readonly indicators: number;
  readonly added: readonly Indicator[];
  readonly error?: string;
}

const stateKey = 'taxii-feeds';

/** What the API shows: everything but the credentials. */
export function taxiiFeedView(feed: TaxiiFeed): TaxiiFeedView {
  const { auth, ...rest } = feed;
  return { ...rest, authenticated: Boolean(auth?.basic || auth?.bearer) };
}

export interface TaxiiFeedsOptions {
  readonly soc: SocStore;
  readonly intel: IntelCatalog;
  /** DATA/intel: where each feed's objects are kept as a bundle. */
  readonly importDir: string;
  readonly log: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** New indicators of a poll, for a retro-match over `days`. */
  readonly onNewIndicators?: (indicators: readonly Indicator[], days: number) => void;
  /** Seals the feeds' credentials in the SOC store (without one they are stored as given). */
  readonly secrets?: SecretBox;
}

export class TaxiiFeeds {
  readonly #options: TaxiiFeedsOptions;
  readonly #feeds = new Map<string, TaxiiFeed>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** Polls of one feed run one after the other (the cursor moves with each). */
  readonly #polling = new Map<string, Promise<TaxiiPollResult>>();

  constructor(options: TaxiiFeedsOptions) {
    this.#options = options;
  }

  /** Load the subscriptions of the previous run and start their timers (no poll now). */
  async restore(): Promise<void> {
    const saved = await this.#options.soc.getState<TaxiiFeed[]>(stateKey);
    for (const stored of Array.isArray(saved) ? saved : []) {
      let feed = stored;
      try {
        feed = { ...stored, ...(stored.auth ? { auth: this.#sealAuth(stored.auth, 'open') } : {}) };
      } catch (error) {
        this.#options.log.warn('TAXII feed credentials cannot be opened; polls go unauthenticated', {
          source: stored.source,
          error: String(error),
        });
        const { auth: _auth, ...rest } = stored;
        feed = rest;
      }
      this.#feeds.set(feed.source, feed);
      this.#schedule(feed);
    }
  }

  list(): TaxiiFeedView[] {
    return [...this.#feeds.values()].map(taxiiFeedView).sort((a, b) => a.source.localeCompare(b.source));
  }

  get(source: string): TaxiiFeed | undefined {
    return this.#feeds.get(source);
  }

  /** Subscribe (or change a subscription) and poll at once. A changed collection starts from scratch. */
  async put(
    config: Pick<TaxiiFeed, 'source' | 'apiRoot' | 'collectionId' | 'auth' | 'intervalMinutes' | 'retroDays'>,
  ): Promise<{ feed: TaxiiFeed; poll: TaxiiPollResult }> {
    const previous = this.#feeds.get(config.source);
    const same = previous && previous.apiRoot === config.apiRoot && previous.collectionId === config.collectionId;
    const feed: TaxiiFeed = {
      ...config,
      objects: same ? previous.objects : 0,
      ...(same && previous.cursor ? { cursor: previous.cursor } : {}),
    };
    this.#feeds.set(feed.source, feed);
    await this.#save();
    this.#schedule(feed);
    const poll = await this.poll(feed.source);
    return { feed: this.#feeds.get(feed.source) ?? feed, poll };
  }

  async delete(source: string): Promise<boolean> {
    if (!this.#feeds.delete(source)) return false;
    clearInterval(this.#timers.get(source));
    this.#timers.delete(source);
    await this.#save();
    return true;
  }

  /** Poll one feed now (waits for a poll already running). */
  poll(source: string): Promise<TaxiiPollResult> {
    const before = this.#polling.get(source) ?? Promise.resolve(undefined);
    const run = before.then(() => this.#poll(source));
    this.#polling.set(
      source,
      run.catch(() => ({ objects: 0, indicators: 0, added: [] })),
    );
    return run;
  }

  close(): void {
    for (const timer of this.#timers.values()) clearInterval(timer);
    this.#timers.clear();
  }

  #schedule(feed: TaxiiFeed): void {
    clearInterval(this.#timers.get(feed.source));
    this.#timers.delete(feed.source);
    if (feed.intervalMinutes <= 0) return;
    const timer = setInterval(() => {
      this.poll(feed.source).catch((error: unknown) =>
        this.#options.log.warn('TAXII poll failed', { source: feed.source, error: String(error) }),
      );
    }, feed.intervalMinutes * 60_000);
    timer.unref();
    this.#timers.set(feed.source, timer);
  }

  async #poll(source: string): Promise<TaxiiPollResult> {
    const feed = this.#feeds.get(source);
    if (!feed) return { objects: 0, indicators: 0, added: [], error: `no TAXII feed ${source}` };
    const now = this.#options.now?.() ?? Date.now();
    let result: TaxiiPollResult;
    try {
      const polled = await pollTaxiiCollection(
        { apiRoot: feed.apiRoot, collectionId: feed.collectionId, auth: feed.auth },
        feed.cursor,
        this.#options.fetch,
      );
      let added: readonly Indicator[] = [];
      let indicators = 0;
      if (polled.objects.length > 0) {
        await this.#append(source, polled.objects);
        const imported = this.#options.intel.add(importStix(polled.objects, source), source, 'taxii', now);
        added = imported.added;
        indicators = imported.indicators;
      }
      this.#update(source, {
        cursor: polled.cursor ?? feed.cursor,
        lastPolledAt: now,
        lastError: undefined,
        objects: feed.objects + polled.objects.length,
      });
      if (added.length > 0 && feed.retroDays > 0) this.#options.onNewIndicators?.(added, feed.retroDays);
      result = { objects: polled.objects.length, indicators, added };
    } catch (error) {
      const message = (error as Error).message;
      this.#options.log.warn('TAXII poll failed', { source, error: message });
      this.#update(source, { lastPolledAt: now, lastError: message });
      result = { objects: 0, indicators: 0, added: [], error: message };
    }
    await this.#save();
    return result;
  }

  #update(source: string, change: Partial<TaxiiFeed>): void {
    const feed = this.#feeds.get(source);
    if (!feed) return;
    const next: Record<string, unknown> = { ...feed, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    this.#feeds.set(source, next as unknown as TaxiiFeed);
  }

  /** Keep every object received in one STIX bundle per feed; a newer version of an id replaces it. */
  async #append(source: string, objects: readonly unknown[]): Promise<void> {
    const file = path.join(this.#options.importDir, `${source}${intelFileSuffix}`);
    const kept = new Map<string, unknown>();
    try {
      const bundle = JSON.parse(await readFile(file, 'utf8')) as { objects?: unknown[] };
      for (const object of bundle.objects ?? []) kept.set(String((object as { id?: unknown }).id), object);
    } catch {
      // First poll, or an unreadable file: start the bundle again.
    }
    for (const object of objects) kept.set(String((object as { id?: unknown }).id), object);
    await mkdir(this.#options.importDir, { recursive: true });
    await writeFile(
      file,
      JSON.stringify({ type: 'bundle', id: `bundle--vigil-${source}`, objects: [...kept.values()] }),
    );
  }

  /** The credentials sealed for the store, or opened from it. */
  #sealAuth(auth: NonNullable<TaxiiFeed['auth']>, how: 'seal' | 'open'): NonNullable<TaxiiFeed['auth']> {
    const box = this.#options.secrets;
    if (!box) return auth;
    const change = (value: string | undefined) => (how === 'seal' ? box.sealOptional(value) : box.openOptional(value));
    const basic = change(auth.basic);
    const bearer = change(auth.bearer);
    return { ...(basic !== undefined ? { basic } : {}), ...(bearer !== undefined ? { bearer } : {}) };
  }

  #save(): Promise<void> {
    const feeds = [...this.#feeds.values()].map((feed) =>
      feed.auth ? { ...feed, auth: this.#sealAuth(feed.auth, 'seal') } : feed,
    );
    return this.#options.soc.putState(stateKey, feeds).catch((error: unknown) => {
      this.#options.log.warn('TAXII feeds not saved', { error: String(error) });
    });
  }
}
