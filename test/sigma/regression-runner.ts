// Runs one SigmaHQ regression case the way a user's hunt would: the rule file through our
// loader and engine, the sample log through the file reader and the default parser registry.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadSigmaRules } from '../../src/detect/sigma/load-sigma-rules.ts';
import { SigmaEngine } from '../../src/detect/sigma/sigma-engine.ts';
import { readRecords } from '../../src/ingest/files/read-records.ts';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { isParseFailure } from '../../src/parse/parser.ts';

export interface RegressionCase {
  readonly rule_id: string;
  readonly rule_title: string;
  readonly rule_path: string;
  readonly log_file_jsonl: string;
  readonly expected_match_count: number | null;
  readonly reference_event_record_ids: readonly number[];
  readonly log_file_present?: boolean;
}

export interface RegressionOutcome {
  readonly matchedRecordIds: number[];
  readonly events: number;
  readonly parseFailures: number;
  readonly rejection?: string;
}

export async function readRegressionIndex(sigmaRoot: string): Promise<RegressionCase[]> {
  const text = await readFile(path.join(sigmaRoot, 'regression_index.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RegressionCase);
}

export async function runRegressionCase(sigmaRoot: string, entry: RegressionCase): Promise<RegressionOutcome> {
  const loaded = await loadSigmaRules([path.join(sigmaRoot, entry.rule_path)]);
  const engine = SigmaEngine.build(loaded.rules);
  const rejection = [...loaded.rejections, ...engine.rejections][0];
  const registry = createDefaultParserRegistry();
  const matchedRecordIds: number[] = [];
  let events = 0;
  let parseFailures = 0;
  for await (const batch of readRecords([path.join(sigmaRoot, entry.log_file_jsonl)])) {
    for (const record of batch) {
      const parsed = registry.parse(record);
      if (isParseFailure(parsed)) {
        parseFailures++;
        continue;
      }
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
        events++;
        engine.match(event, (compiled) => {
          if (compiled.rule.id !== entry.rule_id) return;
          const winlog = event.winlog as Record<string, unknown> | undefined;
          matchedRecordIds.push(Number(winlog?.record_id));
        });
      }
    }
  }
  return {
    matchedRecordIds,
    events,
    parseFailures,
    rejection: rejection ? `${rejection.path}:${rejection.line}: ${rejection.reason}` : undefined,
  };
}
