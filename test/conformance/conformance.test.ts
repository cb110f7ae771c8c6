// Every data stream one of our parsers claims must reproduce ≥ 90% of Elastic's expected ECS leaves,
// and auto-detection must pick that parser for every sample record. A missing parser fails (it does not skip).
import { describe, expect, it } from 'vitest';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { hasSharedData, sharedData } from '../shared-data.ts';
import { renderDetails } from './report.ts';
import {
  coverageOf,
  coveredDataStreams,
  type DataStreamScore,
  listDataStreams,
  loadSamples,
  scoreDataStream,
  uncoveredDataStreams,
} from './score.ts';

const minimumScore = 0.9;

describe.skipIf(!hasSharedData('formats'))('format conformance (../shared/data/formats)', () => {
  const formatsDir = sharedData('formats');
  const dataStreams = listDataStreams(formatsDir);
  const registered = new Set(createDefaultParserRegistry().formats.map((parser) => parser.format));
  const scores = new Map<string, DataStreamScore>();
  const scoreOf = (dataStream: string): DataStreamScore => {
    let score = scores.get(dataStream);
    if (!score) {
      score = scoreDataStream(dataStream, loadSamples(formatsDir, dataStream), createDefaultParserRegistry);
      scores.set(dataStream, score);
    }
    return score;
  };

  it('knows every sample data stream: claimed by a format or listed as not covered', () => {
    const unknown = dataStreams.filter((dataStream) => !coverageOf(dataStream) && !uncoveredDataStreams[dataStream]);
    expect(unknown, 'add these to coveredDataStreams or uncoveredDataStreams in test/conformance/score.ts').toEqual([]);
    expect(Object.keys(coveredDataStreams).length).toBeGreaterThan(0);
  });

  for (const dataStream of dataStreams) {
    const coverage = coverageOf(dataStream);
    if (!coverage) continue;
    // An optional format is scored once someone registers its parser.
    const skip = coverage.optional === true && !registered.has(coverage.format);
    describe.skipIf(skip)(`${dataStream} → ${coverage.format}`, () => {
      it(`reproduces ≥ ${minimumScore * 100}% of the expected ECS leaves`, () => {
        const score = scoreOf(dataStream);
        if (!score.parserRegistered) {
          expect.fail(`parser '${coverage.format}' is missing: it is not registered in createDefaultParserRegistry()`);
        }
        const percent = (score.score * 100).toFixed(1);
        expect(
          score.score,
          `${dataStream}: ${score.matched}/${score.expectedLeaves} leaves (${percent}%)\n${renderDetails([score], 10)}`,
        ).toBeGreaterThanOrEqual(minimumScore);
      });

      it(`is auto-detected as '${coverage.format}' for every record`, () => {
        const score = scoreOf(dataStream);
        if (!score.parserRegistered) {
          expect.fail(`parser '${coverage.format}' is missing: it is not registered in createDefaultParserRegistry()`);
        }
        expect(
          Object.fromEntries(score.misdetections),
          `mis-detected records, e.g. ${score.misdetectionExamples.join('; ')}`,
        ).toEqual({});
      });
    });
  }
});
