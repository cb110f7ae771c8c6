import { describe, expect, it } from 'vitest';
import { AnalystError } from '../analyst/analyst.ts';
import { toHttpError } from './error-mapping.ts';

describe('toHttpError', () => {
  it('keeps the code and message of a domain error whose code is in the table', () => {
    const timeout = toHttpError(new AnalystError('VIGIL_ERR_LLM_TIMEOUT', 'no answer from http://llm:11434 in 60 s'));
    expect(timeout.toResponse()).toEqual({
      code: 'VIGIL_ERR_LLM_TIMEOUT',
      message: 'no answer from http://llm:11434 in 60 s',
    });
    expect(timeout.statusCode).toBe(504);
    expect(toHttpError(new AnalystError('VIGIL_ERR_LLM_UNAVAILABLE', 'refused')).statusCode).toBe(502);
    expect(toHttpError(new AnalystError('VIGIL_ERR_NOT_FOUND', 'no incident x')).statusCode).toBe(404);
  });

  it('does not trust codes that are not in the table', () => {
    const error = Object.assign(new Error('boom'), { code: 'VIGIL_ERR_MADE_UP' });
    expect(toHttpError(error).code).toBe('VIGIL_ERR_INTERNAL');
  });
});
