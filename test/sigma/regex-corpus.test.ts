// Every SigmaHQ rule that uses `|re` loads on the linear-time regex engine (none is refused), and
// a rule's regex runs in bounded time on a hostile value: the corpus patterns on 64 KiB inputs.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { listRuleFiles, loadSigmaRules } from '../../src/detect/sigma/load-sigma-rules.ts';
import { compileRuleRegex, maxRegexInput } from '../../src/detect/sigma/regex-safety.ts';
import { SigmaEngine } from '../../src/detect/sigma/sigma-engine.ts';
import type { SigmaFieldItem } from '../../src/detect/sigma/sigma-rule.ts';
import { hasSharedData, sharedData } from '../shared-data.ts';

const hasData = hasSharedData('sigma', 'rules');

async function regexRuleFiles(): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const folders = (await readdir(sharedData('sigma')))
    .filter((name) => name.startsWith('rules'))
    .map((name) => sharedData('sigma', name));
  const files = await listRuleFiles(folders);
  const withRegex: string[] = [];
  for (const file of files) if (/\|re\b/.test(await readFile(file, 'utf8'))) withRegex.push(file);
  return withRegex;
}

describe.skipIf(!hasData)('SigmaHQ rules with |re', async () => {
  const files = hasData ? await regexRuleFiles() : [];
  const loaded = await loadSigmaRules(files);
  const engine = SigmaEngine.build(loaded.rules);

  it('all load on the linear-time engine', () => {
    expect(files.length).toBeGreaterThanOrEqual(128);
    expect(loaded.rejections).toEqual([]);
    expect(engine.rejections).toEqual([]);
    expect(engine.rules.length).toBe(loaded.rules.filter((rule) => rule.kind === 'detection').length);
  });

  it('run every corpus pattern over hostile 64 KiB values in bounded time', () => {
    const patterns: { pattern: string; flags: string }[] = [];
    for (const rule of loaded.rules) {
      if (rule.kind === 'correlation') continue;
      for (const search of rule.detection.searches.values()) {
        for (const part of search.parts) {
          const items: readonly SigmaFieldItem[] = part.kind === 'keywords' ? [part.item] : part.alternatives.flat();
          for (const item of items) {
            if (!item.modifiers.includes('re')) continue;
            const flags = item.modifiers.filter((modifier) => 'ims'.includes(modifier)).join('');
            for (const value of item.values) if (typeof value === 'string') patterns.push({ pattern: value, flags });
          }
        }
      }
    }
    expect(patterns.length).toBeGreaterThanOrEqual(200);
    const values = ['a', ' ', '\\', '{', '+', '`a'].map((unit) => unit.repeat(maxRegexInput / unit.length + 1));
    let slowest = 0;
    for (const { pattern, flags } of patterns) {
      const regex = compileRuleRegex(pattern, flags);
      for (const value of values) {
        const start = performance.now();
        regex.test(value);
        slowest = Math.max(slowest, performance.now() - start);
      }
    }
    // Linear time: each test is milliseconds at most on 64 KiB, never the minutes of backtracking.
    expect(slowest).toBeLessThan(2_000);
  });
});
