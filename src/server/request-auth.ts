// Route-level authentication: an `onRequest` hook (so no body is read for a bad key) that puts the
// caller's API key on the request, plus helpers deriving the caller's unit scope from it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey, UnitScope } from '../model/unit.ts';
import { OverloadedError } from '../pipeline/record-sink.ts';
import { type ApiKeyRole, allUnits, scopeIncludes, scopeOf } from './auth.ts';
import { VigilHttpError } from './errors.ts';
import type { RouteContext } from './route-context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKey | undefined;
  }
}

export const readRoles: readonly ApiKeyRole[] = ['read', 'admin'];
export const adminRoles: readonly ApiKeyRole[] = ['admin'];
export const ingestRoles: readonly ApiKeyRole[] = ['ingest', 'admin'];

export function requireKey(context: RouteContext, roles: readonly ApiKeyRole[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    // Without an Authorization header, a console session may stand in for a key.
    if (!request.headers.authorization && context.authenticateSession) {
      const caller = await context.authenticateSession(request);
      if (caller) {
        if (!roles.includes(caller.role)) {
          throw new VigilHttpError('VIGIL_ERR_FORBIDDEN', `This operation needs role ${roles.join(' or ')}`, {
            role: caller.role,
          });
        }
        request.apiKey = caller;
        return;
      }
    }
    request.apiKey = await context.auth.authenticate(request.headers.authorization, roles);
  };
}

/**
 * Refuse an ingest request before its body is read when the pipeline is already full, so many
 * concurrent large bodies cannot pile up in memory (the pipeline's own check comes after reading).
 */
export function assertNotCongested(context: RouteContext): void {
  if (context.pipeline.isCongested?.()) {
    throw new OverloadedError('the ingest pipeline is full', context.pipeline.retryAfterSeconds ?? 1);
  }
}

/** The authenticated key (the route's onRequest hook guarantees one). */
export function callerKey(request: FastifyRequest): ApiKey {
  if (!request.apiKey) throw new VigilHttpError('VIGIL_ERR_AUTH_REQUIRED');
  return request.apiKey;
}

export function callerScope(request: FastifyRequest): UnitScope {
  return scopeOf(callerKey(request));
}

/** Throw 403 unless the caller may act on `unit`. */
export function assertUnitAllowed(request: FastifyRequest, unit: string): void {
  if (!scopeIncludes(callerScope(request), unit)) {
    throw new VigilHttpError('VIGIL_ERR_UNIT_FORBIDDEN', `The API key may not act on unit '${unit}'`, { unit });
  }
}

/**
 * The unit records sent with this key are bound to. A key of one unit always ingests into it;
 * an all-units key names the unit with `?unit=` (default "default").
 */
export function ingestUnit(key: ApiKey, requested: string | undefined): string {
  if (key.unit === allUnits) return requested ?? 'default';
  if (requested !== undefined && requested !== key.unit) {
    throw new VigilHttpError('VIGIL_ERR_UNIT_FORBIDDEN', `This key ingests into unit '${key.unit}' only`, {
      unit: requested,
    });
  }
  return key.unit;
}
