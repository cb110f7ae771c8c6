// TAXII 2.1 client: polls one collection's objects incrementally. The caller keeps the
// returned cursor (the server's X-TAXII-Date-Added-Last) and passes it back as addedAfter,
// so each poll fetches only what was added since. Pages follow the envelope's `more`/`next`.

export interface TaxiiCollectionConfig {
  /** API root URL, e.g. https://taxii.example/api1/ (trailing slash optional). */
  readonly apiRoot: string;
  readonly collectionId: string;
  /** Basic auth "user:password" or a bearer token. */
  readonly auth?: { readonly basic?: string; readonly bearer?: string };
  /** Page size requested from the server. */
  readonly pageSize?: number;
  /** Per-request timeout, ms. */
  readonly timeoutMs?: number;
  /** Safety bound on pages fetched in one poll. */
  readonly maxPages?: number;
}

export interface TaxiiPoll {
  readonly objects: unknown[];
  /** Pass as addedAfter next time (undefined when nothing new arrived: keep the old cursor). */
  readonly cursor?: string;
  readonly pages: number;
}

export class TaxiiError extends Error {
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'TaxiiError';
    this.status = status;
  }
}

const mediaType = 'application/taxii+json;version=2.1';

export async function pollTaxiiCollection(
  config: TaxiiCollectionConfig,
  addedAfter?: string,
  fetchImpl: typeof fetch = fetch,
): Promise<TaxiiPoll> {
  const root = config.apiRoot.endsWith('/') ? config.apiRoot : `${config.apiRoot}/`;
  const base = new URL(`collections/${encodeURIComponent(config.collectionId)}/objects/`, root);
  const headers: Record<string, string> = { Accept: mediaType };
  if (config.auth?.basic) headers.Authorization = `Basic ${Buffer.from(config.auth.basic).toString('base64')}`;
  else if (config.auth?.bearer) headers.Authorization = `Bearer ${config.auth.bearer}`;

  const objects: unknown[] = [];
  let cursor: string | undefined;
  let next: string | undefined;
  let pages = 0;
  const maxPages = config.maxPages ?? 1000;
  do {
    const url = new URL(base);
    if (addedAfter) url.searchParams.set('added_after', addedAfter);
    if (config.pageSize) url.searchParams.set('limit', String(config.pageSize));
    if (next) url.searchParams.set('next', next);
    let response: Response;
    try {
      response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(config.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new TaxiiError(`TAXII server unreachable at ${url.origin}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new TaxiiError(`TAXII ${response.status} from ${url.pathname}: ${body.slice(0, 200)}`, response.status);
    }
    let envelope: { objects?: unknown; more?: unknown; next?: unknown };
    try {
      envelope = (await response.json()) as typeof envelope;
    } catch {
      throw new TaxiiError(`TAXII server sent a body that is not JSON (${url.pathname})`);
    }
    if (Array.isArray(envelope.objects)) objects.push(...envelope.objects);
    const last = response.headers.get('X-TAXII-Date-Added-Last');
    if (last) cursor = last;
    next = envelope.more === true && typeof envelope.next === 'string' ? envelope.next : undefined;
    pages++;
  } while (next && pages < maxPages);
  return { objects, cursor, pages };
}
