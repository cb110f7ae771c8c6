// Our own detection content (content/rules) proves itself on its samples (content/samples):
// `<rule file name>.fires.*` must raise the rule's alert (for a file with a correlation, the
// correlation's), `<rule file name>.quiet.*` must not — through the real parsers, as a user's data would.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { correlationAlert } from '../../src/detect/correlation/correlation-engine.ts';
import { sigmaDetector } from '../../src/detect/detectors.ts';
import { loadRuleSet } from '../../src/detect/rule-set.ts';
import type { EcsEvent } from '../../src/model/event.ts';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { isParseFailure } from '../../src/parse/parser.ts';
import { repoRoot } from '../shared-data.ts';

const rulesDir = join(repoRoot, 'content', 'rules');
const samplesDir = join(repoRoot, 'content', 'samples');

function ruleFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? ruleFiles(join(directory, entry.name))
      : entry.name.endsWith('.yml')
        ? [join(directory, entry.name)]
        : [],
  );
}

/** Titles of the alerts a rule file raises on a sample file (Sigma matches, then correlations). */
async function alertTitles(ruleFile: string, sampleFile: string): Promise<{ titles: string[]; outer: string }> {
  const ruleSet = await loadRuleSet([ruleFile]);
  expect(ruleSet.rejections).toEqual([]);
  const registry = createDefaultParserRegistry();
  const detector = sigmaDetector({ engine: ruleSet.sigma });
  const titles: string[] = [];
  const lines = readFileSync(sampleFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim());
  lines.forEach((line, index) => {
    const parsed = registry.parse({
      text: line,
      unit: 'content-test',
      receivedAt: 0,
      source: { kind: 'file', name: sampleFile, line: index + 1 },
    });
    expect(isParseFailure(parsed), `${sampleFile}:${index + 1} parses`).toBe(false);
    for (const event of (Array.isArray(parsed) ? parsed : [parsed]) as EcsEvent[]) {
      const result = detector.detect([{ id: `S${index}`, event }], 0);
      titles.push(...result.alerts.map((alert) => alert.rule.title));
      for (const match of result.matches ?? [])
        for (const hit of ruleSet.correlation.onMatch(match)) titles.push(correlationAlert(hit).rule.title);
    }
  });
  // The alert that matters for a file: its correlation when it has one, else its detection rule(s).
  const outer = ruleSet.correlations[0]?.title ?? ruleSet.sigma.rules[0]!.rule.title;
  return { titles, outer };
}

describe('content rules prove themselves on their samples', () => {
  const files = ruleFiles(rulesDir);

  it('every rule file has a firing and a quiet sample', () => {
    const samples = readdirSync(samplesDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const name = basename(file, '.yml');
      expect(
        samples.some((sample) => sample.startsWith(`${name}.fires.`)),
        `${name}.fires.*`,
      ).toBe(true);
      expect(
        samples.some((sample) => sample.startsWith(`${name}.quiet.`)),
        `${name}.quiet.*`,
      ).toBe(true);
    }
  });

  for (const file of files) {
    const name = basename(file, '.yml');
    it(`${name} fires on its sample and stays quiet on the other`, async () => {
      const samples = readdirSync(samplesDir);
      const fires = await alertTitles(
        file,
        join(samplesDir, samples.find((sample) => sample.startsWith(`${name}.fires.`))!),
      );
      expect(fires.titles).toContain(fires.outer);
      const quiet = await alertTitles(
        file,
        join(samplesDir, samples.find((sample) => sample.startsWith(`${name}.quiet.`))!),
      );
      expect(quiet.titles).not.toContain(quiet.outer);
    });
  }
});
