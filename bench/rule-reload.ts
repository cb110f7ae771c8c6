// How long a running node stops serving while the rule set reloads: the longest gap between the
// ticks of a 5 ms timer during RuleCatalog.reload() of the whole Sigma corpus, and during the
// first three 1,000-event detection batches after the swap (the new set's rule buckets), with
// each batch's own duration and that of the same batches once more (detection work alone).
//
// Run: npx node bench/rule-reload.ts [rules folder, default ../shared/data/sigma] [rounds, default 3]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AttackCatalog } from '../src/detect/attack/attack-catalog.ts';
import { RuleCatalog } from '../src/detect/rule-catalog.ts';
import type { EcsEvent } from '../src/model/event.ts';
import { createDefaultParserRegistry } from '../src/parse/default-parsers.ts';
import { isParseFailure } from '../src/parse/parser.ts';
import { repoRoot, sharedData } from '../test/shared-data.ts';
import { generateEventMix } from './event-mix.ts';

const rulesDir = process.argv[2] ?? sharedData('sigma');
const rounds = Number(process.argv[3] ?? 3);
const attack = AttackCatalog.fromStixBundle(
  JSON.parse(await readFile(sharedData('attack', 'enterprise-attack.json'), 'utf8')),
);
const catalog = new RuleCatalog({ paths: () => [rulesDir, join(repoRoot, 'content', 'rules')], attack: () => attack });
const registry = createDefaultParserRegistry();
const events: { id: string; event: EcsEvent }[] = [];
for (const text of generateEventMix(3000, 7)) {
  const json = text.startsWith('{') ? (JSON.parse(text) as Record<string, never>) : undefined;
  const parsed = registry.parse({
    text,
    json,
    source: { kind: 'bench', name: 'reload' },
    unit: 'default',
    receivedAt: Date.now(),
  });
  if (!isParseFailure(parsed) && !Array.isArray(parsed)) events.push({ id: `e${events.length}`, event: parsed });
}

await catalog.reload();
catalog.detector.detect(events, Date.now());
const results = [];
for (let round = 0; round < rounds; round++) {
  let longestGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  await catalog.reload();
  const reloadMs = performance.now() - started;
  const duringReload = longestGap;
  const batchMs: number[] = [];
  for (let from = 0; from < events.length; from += 1000) {
    const batchStarted = performance.now();
    catalog.detector.detect(events.slice(from, from + 1000), Date.now());
    batchMs.push(Math.round(performance.now() - batchStarted));
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The same batches again: what detection costs once everything is built.
  const steadyMs: number[] = [];
  for (let from = 0; from < events.length; from += 1000) {
    const batchStarted = performance.now();
    catalog.detector.detect(events.slice(from, from + 1000), Date.now());
    steadyMs.push(Math.round(performance.now() - batchStarted));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  clearInterval(timer);
  results.push({
    reloadMs: Math.round(reloadMs),
    longestGapDuringReloadMs: Math.round(duringReload),
    longestGapWithFirstBatchesMs: Math.round(longestGap),
    firstBatchesMs: batchMs,
    sameBatchesAgainMs: steadyMs,
  });
}
console.log(
  JSON.stringify({ benchmark: 'rule-reload', rules: catalog.rules.length, node: process.version, results }, null, 2),
);
