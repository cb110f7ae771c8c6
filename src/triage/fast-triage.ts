// Fast, explainable triage of an incident: a logistic model over a few features a person can
// read (severity, breadth of tactics, intel, correlation, prevalence, volume). The verdict comes
// with the features' contributions as reasons. Shipped weights are sensible untrained; analysts'
// verdicts train a per-unit copy online (one gradient step per verdict), so the queue improves.
import { message, renderMessage } from '../i18n/render.ts';
import type { Incident, Triage, TriageReason, Verdict } from '../model/incident.ts';
import type { Message } from '../model/message.ts';

export const triageModelVersion = 'fast-triage-1';

export interface TriageFeatures {
  /** Highest alert level: 0 informational … 4 critical. */
  readonly maxLevel: number;
  readonly distinctRules: number;
  readonly distinctTactics: number;
  /** 1 when a late kill-chain tactic (credential access, lateral movement, C2, exfiltration, impact, privilege escalation) is present. */
  readonly lateStage: number;
  /** Highest threat-intel confidence, 0–1. */
  readonly intel: number;
  /** 1 when a correlation rule matched. */
  readonly correlation: number;
  /** Share of the incident's rules that fire on many hosts of the unit (0–1). */
  readonly commonRules: number;
  /** log2(1 + alerts). */
  readonly volume: number;
  /** Asset criticality: 0 low … 3 critical (1 when unknown). */
  readonly criticality: number;
}

type Weights = Record<keyof TriageFeatures | 'bias', number>;

/** Hand-set defaults: a high-severity rule alone is "suspicious", several tactics or intel tip it to malicious. */
export const defaultWeights: Readonly<Weights> = {
  bias: -4.2,
  maxLevel: 0.95,
  distinctRules: 0.35,
  distinctTactics: 0.55,
  lateStage: 0.9,
  intel: 2.2,
  correlation: 1.2,
  commonRules: -2.5,
  volume: 0.1,
  criticality: 0.3,
};

const levels = ['informational', 'low', 'medium', 'high', 'critical'];
const criticalities = ['low', 'medium', 'high', 'critical'];

/** What each feature's value says, as a message of the catalogue. */
const describe: Record<keyof TriageFeatures, (value: number) => Message> = {
  maxLevel: (value) => message('triage.maxLevel', { level: levels[value] ?? value }),
  distinctRules: (value) => message('triage.distinctRules', { count: value }),
  distinctTactics: (value) => message('triage.distinctTactics', { count: value }),
  lateStage: (value) => message(value ? 'triage.lateStage' : 'triage.noLateStage'),
  intel: (value) =>
    value ? message('triage.intel', { confidence: Math.round(value * 100) }) : message('triage.noIntel'),
  correlation: (value) => message(value ? 'triage.correlation' : 'triage.noCorrelation'),
  commonRules: (value) => message('triage.commonRules', { percent: Math.round(value * 100) }),
  volume: (value) => message('triage.volume', { count: Math.round(2 ** value - 1) }),
  criticality: (value) => message('triage.criticality', { criticality: criticalities[value] ?? value }),
};

const lateTactics = new Set(['TA0004', 'TA0006', 'TA0008', 'TA0010', 'TA0011', 'TA0040']);

export interface IncidentFacts {
  readonly incident: Incident;
  readonly maxLevel: number;
  readonly distinctRules: number;
  readonly intelConfidence: number; // 0–100
  readonly correlated: boolean;
  readonly commonRuleShare: number;
  readonly criticality?: 'low' | 'medium' | 'high' | 'critical';
}

export function triageFeatures(facts: IncidentFacts): TriageFeatures {
  return {
    maxLevel: facts.maxLevel,
    distinctRules: Math.min(facts.distinctRules, 10),
    distinctTactics: Math.min(facts.incident.tactics.length, 8),
    lateStage: facts.incident.tactics.some((tactic) => lateTactics.has(tactic.id)) ? 1 : 0,
    intel: facts.intelConfidence / 100,
    correlation: facts.correlated ? 1 : 0,
    commonRules: facts.commonRuleShare,
    volume: Math.log2(1 + facts.incident.alertCount),
    criticality: facts.criticality ? ['low', 'medium', 'high', 'critical'].indexOf(facts.criticality) : 1,
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Fast triage model with per-unit online learning. */
export class FastTriage {
  readonly #weights = new Map<string, Weights>();
  readonly #learningRate: number;

  constructor(options: { learningRate?: number; trained?: Record<string, Weights> } = {}) {
    this.#learningRate = options.learningRate ?? 0.15;
    for (const [unit, weights] of Object.entries(options.trained ?? {}))
      this.#weights.set(unit, { ...defaultWeights, ...weights });
  }

  weights(unit: string): Readonly<Weights> {
    return this.#weights.get(unit) ?? defaultWeights;
  }

  /** Verdict, confidence (probability of malicious) and the reasons, strongest first. */
  triage(unit: string, features: TriageFeatures): Triage {
    const started = performance.now();
    const weights = this.weights(unit);
    let z = weights.bias;
    const reasons: TriageReason[] = [];
    for (const name of Object.keys(describe) as (keyof TriageFeatures)[]) {
      const contribution = weights[name] * features[name];
      z += contribution;
      if (contribution !== 0) {
        const said = describe[name](features[name]);
        reasons.push({
          feature: name,
          text: renderMessage(said),
          phrase: [said],
          value: round(features[name]),
          contribution: round(contribution),
        });
      }
    }
    const probability = sigmoid(z);
    const verdict: Verdict = probability >= 0.7 ? 'malicious' : probability >= 0.3 ? 'suspicious' : 'benign';
    reasons.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return {
      verdict,
      confidence: round(verdict === 'benign' ? 1 - probability : probability),
      reasons: reasons.slice(0, 5),
      modelVersion: triageModelVersion,
      millis: round(performance.now() - started),
    };
  }

  /** Learn from an analyst's verdict (malicious and suspicious count as positive). */
  learn(unit: string, features: TriageFeatures, verdict: Verdict): void {
    const weights = { ...this.weights(unit) };
    let z = weights.bias;
    for (const name of Object.keys(describe) as (keyof TriageFeatures)[]) z += weights[name] * features[name];
    const error = (verdict === 'benign' ? 0 : 1) - sigmoid(z);
    weights.bias += this.#learningRate * error;
    for (const name of Object.keys(describe) as (keyof TriageFeatures)[])
      weights[name] += this.#learningRate * error * features[name];
    this.#weights.set(unit, weights);
  }

  /** Trained weights per unit (persist them; pass back as `trained`). */
  export(): Record<string, Weights> {
    return Object.fromEntries(this.#weights);
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
