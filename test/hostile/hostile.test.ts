// Every registered parser gets the same hostile records, directly and through ParserRegistry 'auto':
// it must not throw, must answer within a time budget, must not pollute Object.prototype, and must
// return events (with the record's unit and a valid @timestamp) or a failure with a reason.
import { describe, expect, it } from 'vitest';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { checkStep, hostileRecord, resultProblems } from './hostile-check.ts';
import { hostileInputs } from './hostile-inputs.ts';

const registry = createDefaultParserRegistry();
const inputs = hostileInputs();

describe('hostile input', () => {
  for (const parser of registry.formats) {
    describe(`parser '${parser.format}'`, () => {
      for (const input of inputs) {
        it(`survives: ${input.name}`, () => {
          const record = hostileRecord(input);
          const problems = parser.sniff
            ? checkStep('sniff', () => parser.sniff?.(record.text, record.json), input.budgetMs)
            : [];
          problems.push(...checkStep('parse', () => parser.parse(record), input.budgetMs, resultProblems));
          expect(problems).toEqual([]);
        });
      }
    });
  }

  describe("ParserRegistry.parse(record, 'auto')", () => {
    for (const input of inputs) {
      it(`survives: ${input.name}`, () => {
        // A fresh registry per input: detection stickiness must not hide what a first record meets.
        const fresh = createDefaultParserRegistry();
        const record = hostileRecord(input);
        // Detection (every sniffer, which must stay cheap) and then one parse.
        expect(checkStep('auto', () => fresh.parse(record, 'auto'), input.budgetMs * 2, resultProblems)).toEqual([]);
      });
    }
  });
});
