// SigmaHQ regression samples ("Done when" of the detection-engine issue): every rule with a
// sample log must load, and, run through the default parser registry as `vigil hunt` does,
// match the sample's reference events and no other event, with the expected count when given.
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../shared-data.ts';
import { type RegressionCase, readRegressionIndex, runRegressionCase } from './regression-runner.ts';

/**
 * Samples whose upstream `match_count` disagrees with the sample itself: every listed event
 * satisfies the rule exactly as written (checked by reading each event), so we pin our result.
 * The reason is given for each, and any change in what we match still fails the test.
 */
const countDiscrepancies: Record<string, { readonly ids: readonly number[]; readonly reason: string }> = {
  'rules/windows/file/file_event/file_event_win_anydesk_artefact.yml': {
    ids: [14985, 14988, 14990],
    reason: 'three files under \\AppData\\Roaming\\AnyDesk\\user.conf* are written; match_count says 1',
  },
  'rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files.yml': {
    ids: [26359, 26366, 26373],
    reason: 'the tool drops three matching files; match_count says 1',
  },
  'rules/windows/registry/registry_set/registry_set_change_security_zones.yml': {
    ids: [28344631, 28344632, 28344633],
    reason: 'three ZoneMap\\Domains values set to DWORD 2 (http, https, *); match_count says 1',
  },
  'rules/windows/registry/registry_set/registry_set_disable_administrative_share.yml': {
    ids: [28656599, 28656618],
    reason: 'AutoShareWks and AutoShareServer both set to 0; match_count says 1',
  },
};

const hasData = hasSharedData('sigma', 'regression_index.jsonl');
const cases: RegressionCase[] = hasData
  ? (await readRegressionIndex(sharedData('sigma'))).filter((entry) => entry.log_file_jsonl)
  : [];

describe.skipIf(!hasData)('SigmaHQ regression samples through the parser registry', () => {
  it('covers the regression index', () => {
    expect(cases.length).toBeGreaterThanOrEqual(130);
  });

  it.each(cases.map((entry) => [entry.rule_path, entry] as const))('%s', async (_path, entry) => {
    const outcome = await runRegressionCase(sharedData('sigma'), entry);
    expect(outcome.rejection).toBeUndefined();
    expect(outcome.parseFailures).toBe(0);
    const matched = [...new Set(outcome.matchedRecordIds)].sort((a, b) => a - b);
    const discrepancy = countDiscrepancies[entry.rule_path];
    if (discrepancy) {
      expect(matched).toEqual(discrepancy.ids);
      return;
    }
    // The reference list names the sample's events; the rule must fire on them and on nothing else.
    expect(matched.length).toBeGreaterThan(0);
    for (const id of matched) expect(entry.reference_event_record_ids).toContain(id);
    if (entry.expected_match_count !== null) expect(outcome.matchedRecordIds.length).toBe(entry.expected_match_count);
  });
});
