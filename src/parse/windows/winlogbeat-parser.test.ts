import { describe, expect, it } from 'vitest';
import { loadSamples, scoreDataStream } from '../../../test/conformance/score.ts';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import { createDefaultParserRegistry } from '../default-parsers.ts';
import { isParseFailure } from '../parser.ts';
import { at, parseOne, rawRecord } from './windows-test-support.ts';
import { createWinlogbeatParser } from './winlogbeat-parser.ts';

const parser = createWinlogbeatParser();

describe('winlogbeat parser', () => {
  it('re-maps winlog.* and keeps the shipper fields it does not produce', () => {
    const event = parseOne(parser, {
      '@timestamp': '2026-02-01T09:00:00.000Z',
      agent: { type: 'winlogbeat', version: '8.17.0' },
      log: { file: { path: 'C:\\ProgramData\\x.evtx' } },
      event: { original: '<Event/>', code: 4740 },
      winlog: {
        channel: 'Security',
        event_id: 4740,
        provider_name: 'Microsoft-Windows-Security-Auditing',
        computer_name: 'dc-01',
        record_id: 12,
        time_created: '2026-02-01T08:59:59.5Z',
        keywords: ['Audit Success'],
        api: 'wineventlog',
        event_data: {
          TargetUserName: 'dave',
          TargetDomainName: 'CORP',
          SubjectUserName: 'DC-01$',
          SubjectDomainName: 'CORP',
        },
      },
    });
    expect(event['@timestamp']).toBe('2026-02-01T08:59:59.500Z');
    expect(event.agent).toEqual({ type: 'winlogbeat', version: '8.17.0' });
    expect(event.log).toEqual({ file: { path: 'C:\\ProgramData\\x.evtx' } });
    expect(event.event).toMatchObject({
      original: '<Event/>',
      code: '4740',
      action: 'locked-out-user-account',
      outcome: 'success',
    });
    expect(at(event, 'winlog.api')).toBe('wineventlog');
    expect(at(event, 'winlog.record_id')).toBe('12');
    expect(at(event, 'user.target')).toEqual({ name: 'dave', domain: 'CORP' });
  });

  it('fails cleanly without a winlog object', () => {
    expect(isParseFailure(parser.parse(rawRecord({ winlog: 'x' })))).toBe(true);
    expect(isParseFailure(parser.parse(rawRecord({})))).toBe(true);
  });
});

describe.skipIf(!hasSharedData('formats', 'windows'))('Elastic expected documents (../shared/data/formats)', () => {
  for (const dataStream of ['windows/sysmon_operational', 'system/security']) {
    it(`${dataStream}: reproduces at least 90% of the expected standard ECS leaves`, () => {
      const samples = loadSamples(sharedData('formats'), dataStream);
      const score = scoreDataStream(dataStream, samples, createDefaultParserRegistry);
      expect(score.failures).toBe(0);
      expect(score.records).toBeGreaterThan(0);
      expect(score.score, `${score.matched}/${score.expectedLeaves}`).toBeGreaterThanOrEqual(0.9);
    });
  }
});
