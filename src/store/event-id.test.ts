import { describe, expect, it } from 'vitest';
import { newEventId } from './event-id.ts';

describe('newEventId', () => {
  it('is 26 characters of Crockford base32 and sorts by time', () => {
    const early = newEventId(Date.UTC(2026, 0, 1));
    const late = newEventId(Date.UTC(2026, 0, 2));
    expect(early).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(early < late).toBe(true);
  });

  it('does not repeat within a millisecond', () => {
    const ids = new Set(Array.from({ length: 50_000 }, () => newEventId(1_000)));
    expect(ids.size).toBe(50_000);
  });
});
