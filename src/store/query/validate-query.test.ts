import { describe, expect, it } from 'vitest';
import { validateQuery } from './validate-query.ts';

describe('validateQuery', () => {
  it('accepts good queries without running them', () => {
    expect(validateQuery('host.name:fin-* AND source.ip:10.0.0.0/8 AND @timestamp>now-1h')).toEqual({ ok: true });
    expect(validateQuery('')).toEqual({ ok: true });
  });

  it('reports syntax and value errors with their positions', () => {
    expect(validateQuery('user.name:(a OR')).toMatchObject({ ok: false, position: 15 });
    expect(validateQuery('a AND source.port:abc')).toMatchObject({
      ok: false,
      position: 18,
      message: expect.stringMatching(/number/),
    });
    expect(validateQuery('@timestamp>=soon')).toMatchObject({ ok: false, position: 12 });
  });
});
