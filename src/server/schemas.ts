// Schemas and small helpers shared by the read routes: time ranges, event documents, pagination.
import { Type } from '@sinclair/typebox';
import type { EcsEvent } from '../model/event.ts';
import { VigilHttpError } from './errors.ts';

export const TimeRangeQuery = {
  q: Type.Optional(Type.String({ maxLength: 10_000, description: 'Query (field:value, wildcards, AND/OR/NOT)' })),
  from: Type.Optional(Type.String({ description: 'Start (inclusive): ISO 8601 or epoch milliseconds' })),
  to: Type.Optional(Type.String({ description: 'End (exclusive): ISO 8601 or epoch milliseconds' })),
};

export interface TimeRangeValues {
  q?: string;
  from?: string;
  to?: string;
}

/** An ECS event document, passed through as stored. */
export const EventDocument = Type.Unsafe<EcsEvent>(
  Type.Object({}, { additionalProperties: true, description: 'ECS event' }),
);

/** Epoch ms from an ISO 8601 date or an epoch-ms number; 400 naming the parameter otherwise. */
export function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const time = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(time)) {
    throw new VigilHttpError('VIGIL_ERR_VALIDATION', `'${name}' must be an ISO 8601 date or epoch milliseconds`, {
      parameter: name,
      value,
    });
  }
  return time;
}

export function searchOf(query: TimeRangeValues): { query: string; from?: number; to?: number } {
  const from = parseTime(query.from, 'from');
  const to = parseTime(query.to, 'to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new VigilHttpError('VIGIL_ERR_VALIDATION', "'from' must not be after 'to'", { from, to });
  }
  return { query: query.q ?? '', ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
