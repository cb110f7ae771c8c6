// Request bodies sent with `Content-Encoding: gzip` are inflated as a stream before Fastify reads
// them, so the configured body limit applies to the inflated size (a small gzip bomb gets a 413).

import { createGunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { VigilHttpError } from '../errors.ts';

type Payload = NodeJS.ReadableStream & { receivedEncodedLength?: number };

/** A `preParsing` hook: returns the payload, inflated when it is gzip-encoded. */
export async function inflateRequestBody(request: FastifyRequest, _reply: unknown, payload: Payload): Promise<Payload> {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return payload;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new VigilHttpError('VIGIL_ERR_UNSUPPORTED_ENCODING', `Unsupported Content-Encoding '${encoding}' (use gzip)`);
  }
  const gunzip = createGunzip() as unknown as Payload;
  // Fastify compares Content-Length with the bytes received on the wire, not the inflated ones.
  gunzip.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    gunzip.receivedEncodedLength! += chunk.length;
  });
  payload.on('error', (error: Error) => (gunzip as unknown as NodeJS.EventEmitter).emit('error', error));
  payload.pipe(gunzip as unknown as NodeJS.WritableStream);
  return gunzip;
}

/** True for zlib's errors on corrupt input. */
export function isInflateError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
