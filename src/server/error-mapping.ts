// Turns anything a handler or Fastify throws into a VigilHttpError from the one code table:
// validation, body limits, media types, corrupt gzip, overload (with Retry-After), query syntax.
import { OverloadedError } from '../pipeline/record-sink.ts';
import { StoreWriteError } from '../pipeline/store-write-error.ts';
import { isInflateError } from './body/content-encoding.ts';
import { errorCodes, VigilHttpError } from './errors.ts';

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  validation?: unknown;
  validationContext?: unknown;
  name?: unknown;
  position?: unknown;
  offset?: unknown;
}

/** Query language errors come from the store; recognised by name so any store can throw its own. */
export function isQuerySyntaxError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as FastifyLikeError).name === 'QuerySyntaxError';
}

export function toHttpError(error: unknown): VigilHttpError {
  if (error instanceof VigilHttpError) return error;
  if (error instanceof OverloadedError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds));
    return new VigilHttpError(
      'VIGIL_ERR_OVERLOADED',
      error.message,
      { retryAfterSeconds: seconds },
      { 'retry-after': String(seconds) },
    );
  }
  if (error instanceof StoreWriteError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds));
    return new VigilHttpError(
      'VIGIL_ERR_STORE_UNAVAILABLE',
      'The store could not commit the records; nothing was stored from this request. Retry later.',
      { retryAfterSeconds: seconds },
      { 'retry-after': String(seconds) },
    );
  }
  const value = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  const message = typeof value.message === 'string' ? value.message : String(error);
  // Domain errors (the analyst's AnalystError and the like) carry a code from the same table.
  if (typeof value.code === 'string' && value.code.startsWith('VIGIL_ERR_') && value.code in errorCodes)
    return new VigilHttpError(value.code as keyof typeof errorCodes, message);
  if (isQuerySyntaxError(error)) {
    const position = typeof value.position === 'number' ? value.position : value.offset;
    return new VigilHttpError('VIGIL_ERR_QUERY_SYNTAX', message, typeof position === 'number' ? { position } : {});
  }
  if (isInflateError(error)) return new VigilHttpError('VIGIL_ERR_BAD_ENCODING', `Invalid gzip body: ${message}`);
  if (value.validation !== undefined) {
    return new VigilHttpError('VIGIL_ERR_VALIDATION', message, {
      in: value.validationContext,
      errors: value.validation,
    });
  }
  switch (value.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new VigilHttpError('VIGIL_ERR_BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new VigilHttpError('VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE', message);
  }
  if (typeof value.statusCode === 'number' && value.statusCode >= 400 && value.statusCode < 500) {
    if (value.statusCode === 413) return new VigilHttpError('VIGIL_ERR_BODY_TOO_LARGE');
    if (value.statusCode === 404) return new VigilHttpError('VIGIL_ERR_NOT_FOUND', message);
    return new VigilHttpError('VIGIL_ERR_VALIDATION', message);
  }
  return new VigilHttpError('VIGIL_ERR_INTERNAL');
}
