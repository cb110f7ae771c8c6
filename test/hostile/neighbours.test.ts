// Every registered parser gets every real sample record of the other formats (../shared/data/formats):
// a parser must turn its neighbours' records into a failure or a valid event, never a throw.
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/model/event.ts';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { listDataStreams, loadSamples } from '../conformance/score.ts';
import { hasSharedData, sharedData } from '../shared-data.ts';
import { checkStep, hostileUnit, resultProblems } from './hostile-check.ts';

describe.skipIf(!hasSharedData('formats'))("parsers on their neighbours' records", () => {
  const formatsDir = sharedData('formats');
  const records: { where: string; record: RawRecord }[] = [];
  for (const dataStream of listDataStreams(formatsDir)) {
    for (const sample of loadSamples(formatsDir, dataStream)) {
      for (const record of sample.records) {
        records.push({
          where: `${dataStream}/${sample.input}:${record.source.line}`,
          record: { ...record, unit: hostileUnit },
        });
      }
    }
  }

  for (const parser of createDefaultParserRegistry().formats) {
    it(`'${parser.format}' answers every sample record with an event or a failure`, () => {
      const problems: string[] = [];
      for (const { where, record } of records) {
        const found = [
          ...(parser.sniff ? checkStep('sniff', () => parser.sniff?.(record.text, record.json), 200) : []),
          ...checkStep('parse', () => parser.parse(record), 200, resultProblems),
        ];
        if (found.length > 0 && problems.length < 20) problems.push(`${where}: ${found.join('; ')}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
