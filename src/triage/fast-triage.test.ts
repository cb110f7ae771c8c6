import { describe, expect, it } from 'vitest';
import { FastTriage, type TriageFeatures } from './fast-triage.ts';

const base: TriageFeatures = {
  maxLevel: 2,
  distinctRules: 1,
  distinctTactics: 1,
  lateStage: 0,
  intel: 0,
  correlation: 0,
  commonRules: 0,
  volume: 1,
  criticality: 1,
};

describe('FastTriage', () => {
  const model = new FastTriage();

  it('calls a multi-tactic, late-stage, high-severity incident malicious and explains why', () => {
    const result = model.triage('hq', { ...base, maxLevel: 3, distinctRules: 4, distinctTactics: 3, lateStage: 1 });
    expect(result.verdict).toBe('malicious');
    expect(result.confidence).toBeGreaterThan(0.7);
    expect(result.reasons[0]!.contribution).toBeGreaterThan(0);
    expect(result.reasons.map((reason) => reason.text)).toContain('highest alert level is high');
  });

  it('calls a lone low-severity alert of a common rule benign', () => {
    const result = model.triage('hq', { ...base, maxLevel: 1, commonRules: 1 });
    expect(result.verdict).toBe('benign');
    expect(result.reasons.some((reason) => reason.feature === 'commonRules' && reason.contribution < 0)).toBe(true);
  });

  it('a single high-severity rule alone is suspicious; with a threat-intel hit it is malicious', () => {
    expect(model.triage('hq', { ...base, maxLevel: 3 }).verdict).toBe('suspicious');
    expect(model.triage('hq', { ...base, maxLevel: 3, intel: 0.9 }).verdict).toBe('malicious');
  });

  it('learns per unit from analyst verdicts without touching other units', () => {
    const learner = new FastTriage();
    const noisy = { ...base, maxLevel: 3, distinctRules: 2 };
    const before = learner.triage('branch-12', noisy);
    for (let n = 0; n < 30; n++) learner.learn('branch-12', noisy, 'benign');
    const after = learner.triage('branch-12', noisy);
    expect(after.verdict).toBe('benign');
    expect(before.verdict).not.toBe('benign');
    expect(learner.triage('hq', noisy).verdict).toBe(before.verdict);
    const restored = new FastTriage({ trained: learner.export() });
    expect(restored.triage('branch-12', noisy).verdict).toBe('benign');
  });

  it('costs far less than 50 ms per incident', () => {
    const started = performance.now();
    for (let n = 0; n < 10_000; n++) model.triage('hq', { ...base, volume: n % 7 });
    expect((performance.now() - started) / 10_000).toBeLessThan(1);
  });
});
