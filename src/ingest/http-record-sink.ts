// A RecordSink that sends batches to a running Vigil over HTTP (POST /api/v1/ingest, NDJSON),
// so `vigil ingest --url` and `vigil bench ingest` share the file and batching code with the
// in-process path. 429/503 answers become OverloadedError with the server's Retry-After.
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RawRecord } from '../model/event.ts';
import {
  OverloadedError,
  type RecordError,
  type RecordSink,
  type SubmitOptions,
  type SubmitResult,
} from '../pipeline/record-sink.ts';

export interface HttpRecordSinkOptions {
  /** Base URL of the server, e.g. "http://127.0.0.1:8080". */
  readonly url: string;
  /** API key with the ingest (or admin) role. */
  readonly key: string;
  /** Target unit, for keys of all units. */
  readonly unit?: string;
  /** Simultaneous keep-alive connections (default 8). */
  readonly maxSockets?: number;
  /** Largest request body (default 8 MiB, under the server's default 10 MB limit); bigger batches are split. */
  readonly maxBodyBytes?: number;
}

/** A non-retryable answer from the server (bad key, unknown format, body too large). */
export class HttpIngestError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.name = 'HttpIngestError';
    this.status = status;
  }
}

export class HttpRecordSink implements RecordSink {
  readonly #base: URL;
  readonly #key: string;
  readonly #unit: string | undefined;
  readonly #agent: Agent;
  readonly #request: typeof httpRequest;
  readonly #maxBodyBytes: number;

  constructor(options: HttpRecordSinkOptions) {
    this.#base = new URL('/api/v1/ingest', options.url);
    this.#key = options.key;
    this.#unit = options.unit;
    const secure = this.#base.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
    this.#agent = secure ? new HttpsAgent(agentOptions) : new Agent(agentOptions);
    this.#request = (secure ? httpsRequest : httpRequest) as typeof httpRequest;
    this.#maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  }

  async submit(records: readonly RawRecord[], options: SubmitOptions = {}): Promise<SubmitResult> {
    if (records.length === 0) return { stored: 0, failed: 0, errors: [] };
    // One record per line: a record's own newlines would split it, so they become spaces.
    let body = '';
    for (let index = 0; index < records.length; index++) {
      const text = records[index]!.text;
      body += text.includes('\n') ? text.replace(/\r?\n/g, ' ') : text;
      body += '\n';
    }
    if (records.length > 1 && Buffer.byteLength(body) > this.#maxBodyBytes) {
      // Too big for one request: send the halves in turn and merge the answers.
      const middle = records.length >> 1;
      const first = await this.submit(records.slice(0, middle), options);
      const second = await this.submit(records.slice(middle), options);
      return {
        stored: first.stored + second.stored,
        failed: first.failed + second.failed,
        errors: [
          ...first.errors,
          ...second.errors.map((error) => ({ index: error.index + middle, reason: error.reason })),
        ],
      };
    }
    const url = new URL(this.#base);
    if (options.format && options.format !== 'auto') url.searchParams.set('format', options.format);
    if (this.#unit) url.searchParams.set('unit', this.#unit);
    return this.post(url, body);
  }

  /** POST an NDJSON body; resolves with the server's result (errors' `index` is 0-based). */
  post(url: URL, body: string): Promise<SubmitResult> {
    const payload = Buffer.from(body, 'utf8');
    return new Promise((resolve, reject) => {
      const request = this.#request(
        url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: {
            authorization: `Bearer ${this.#key}`,
            'content-type': 'application/x-ndjson',
            'content-length': payload.length,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = response.statusCode ?? 0;
            if (status === 200) {
              try {
                const answer = JSON.parse(text) as {
                  stored: number;
                  failed: number;
                  errors: { line: number; reason: string }[];
                };
                const errors: RecordError[] = answer.errors.map((error) => ({
                  index: error.line - 1,
                  reason: error.reason,
                }));
                resolve({ stored: answer.stored, failed: answer.failed, errors });
              } catch {
                reject(new HttpIngestError(`unexpected answer from ${url.origin}: ${text.slice(0, 200)}`, status));
              }
              return;
            }
            if (status === 429 || status === 503) {
              const retryAfter = Number(response.headers['retry-after'] ?? 1);
              reject(new OverloadedError(`server busy (${status})`, Number.isFinite(retryAfter) ? retryAfter : 1));
              return;
            }
            let message = text.slice(0, 300);
            try {
              const parsed = JSON.parse(text) as { message?: string; code?: string };
              if (parsed.message) message = parsed.code ? `${parsed.code}: ${parsed.message}` : parsed.message;
            } catch {}
            reject(new HttpIngestError(`HTTP ${status} from ${url.origin}: ${message}`, status));
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
