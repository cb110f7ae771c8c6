// The one table of API error codes: each VIGIL_ERR_* has its HTTP status and default message.
// Clients branch on `code`, never on message text. Every error body has the same shape.
import { type Static, Type } from '@sinclair/typebox';

export const errorCodes = {
  VIGIL_ERR_AUTH_REQUIRED: { status: 401, message: 'An API key is required: send "Authorization: Bearer <key>"' },
  VIGIL_ERR_AUTH_INVALID: { status: 401, message: 'The API key is not valid' },
  VIGIL_ERR_FORBIDDEN: { status: 403, message: "The API key's role does not allow this operation" },
  VIGIL_ERR_UNIT_FORBIDDEN: { status: 403, message: 'The API key may not act on this unit' },
  VIGIL_ERR_VALIDATION: { status: 400, message: 'The request is not valid' },
  VIGIL_ERR_QUERY_SYNTAX: { status: 400, message: 'The query is not valid' },
  VIGIL_ERR_UNKNOWN_FORMAT: { status: 400, message: 'No parser has this format name' },
  VIGIL_ERR_INVALID_CURSOR: { status: 400, message: 'The cursor is not valid' },
  VIGIL_ERR_BAD_ENCODING: { status: 400, message: 'The request body could not be decoded' },
  VIGIL_ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  VIGIL_ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than the configured limit' },
  VIGIL_ERR_UNSUPPORTED_ENCODING: { status: 415, message: 'Unsupported Content-Encoding (use gzip or none)' },
  VIGIL_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Content-Type' },
  VIGIL_ERR_INTERNAL: { status: 500, message: 'Internal error' },
  VIGIL_ERR_OVERLOADED: { status: 503, message: 'Vigil is busy; retry after the given delay' },
  VIGIL_ERR_STORE_UNAVAILABLE: { status: 503, message: 'The store is not reachable' },
  VIGIL_ERR_LLM_UNAVAILABLE: { status: 502, message: 'The LLM endpoint is not reachable or answered with an error' },
  VIGIL_ERR_LLM_TIMEOUT: { status: 504, message: 'The LLM endpoint did not answer in time' },
  VIGIL_ERR_LLM_MALFORMED: { status: 502, message: 'The LLM endpoint answered with something that is not usable' },
  VIGIL_ERR_LLM_BUDGET: { status: 422, message: 'The investigation ran out of its step, token or time budget' },
  VIGIL_ERR_CANCELLED: { status: 409, message: 'The work was cancelled' },
  VIGIL_ERR_CONFLICT: { status: 409, message: 'The request conflicts with what is stored (a name in use)' },
  VIGIL_ERR_LIMIT_REACHED: { status: 422, message: 'A limit on stored items was reached' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCodes;

export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, VIGIL_ERR_*' }),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'Every API error' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** An API error: thrown inside handlers, rendered by the app's error handler. */
export class VigilHttpError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, headers?: Record<string, string>) {
    super(message ?? errorCodes[code].message);
    this.name = 'VigilHttpError';
    this.code = code;
    this.statusCode = errorCodes[code].status;
    this.details = details;
    this.headers = headers;
  }

  toResponse(): ErrorResponse {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/** Response schemas for the error statuses a route may answer with (for OpenAPI). */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  const responses: Record<number, typeof ErrorResponse> = {};
  for (const status of statuses) responses[status] = ErrorResponse;
  return responses;
}
