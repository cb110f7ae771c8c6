// Risk-based priority (0–100) of an incident from its alert groups. Each distinct rule adds the
// risk of its level once (the strongest rule counts fully, further rules less and less, so a busy
// host does not add up to an attack), weighted down when the behaviour is routine — it recurs on
// the host all day, is habitual on other hosts, is one account's sweep over many hosts, or is seen
// on a large share of all hosts. Breadth of ATT&CK tactics, a late kill-chain stage,
// threat-intel confidence, correlation rules and asset criticality add to it.
import { message, renderMessage } from '../i18n/render.ts';
import type { AlertLevel } from '../model/alert.ts';
import type { AlertGroup } from '../model/incident.ts';
import type { Message, Phrase } from '../model/message.ts';
import type { AssetCriticality } from '../model/unit.ts';

/**
 * Risk points of one rule by level. A lone medium rule that is not routine reaches the default
 * attention threshold (40 on the 0–100 scale, i.e. about 20.4 points); a lone low rule never does.
 */
export const levelWeight: Record<AlertLevel, number> = {
  informational: 0.5,
  low: 4,
  medium: 21,
  high: 30,
  critical: 40,
};
export const levelRank: Record<AlertLevel, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };
const criticalityFactor: Record<AssetCriticality, number> = { low: 0.8, medium: 1, high: 1.2, critical: 1.4 };

/** What routine behaviour keeps of its risk. */
export const routineWeight = 0.1;
/** Weights of the 1st, 2nd, … strongest rule of an incident (the rest count as the last). */
const rankWeights = [1, 0.5, 0.25];

/** Tactics whose presence means the attack got somewhere (TA ids). */
const lateTactics = new Set(['TA0006', 'TA0008', 'TA0009', 'TA0010', 'TA0011', 'TA0040', 'TA0004']);

/** Why a group's behaviour counts as routine (undefined: it does not). */
export type RoutineReason = 'recurs-on-host' | 'habitual' | 'user-sweep' | 'prevalent';

/** What priority reads of an alert group (an AlertGroup, or the engine's working copy). */
export type PriorityGroup = Pick<AlertGroup, 'id' | 'ruleId' | 'level' | 'count' | 'kind' | 'intelConfidence'> & {
  readonly tactics: readonly { readonly id: string }[];
};

export interface PriorityContext {
  /**
   * Share (0–1) of hosts on which the group's behaviour (its rule, tripped by the same programs)
   * was seen: the same rule tripped by other programs is other behaviour and keeps its weight.
   */
  readonly prevalence: (group: PriorityGroup) => number;
  /** Whether (and why) a group's behaviour is routine. */
  readonly routine?: (group: PriorityGroup) => RoutineReason | undefined;
  readonly criticality?: AssetCriticality;
}

export interface PriorityPart {
  readonly factor: string;
  readonly text: string;
  /** The text as a translatable phrase. */
  readonly phrase: Phrase;
  readonly points: number;
}

/** A part whose text is one message. */
function part(factor: string, said: Message, points: number): PriorityPart {
  return { factor, text: renderMessage(said), phrase: [said], points };
}

export interface PriorityResult {
  readonly priority: number;
  readonly parts: readonly PriorityPart[];
  /** Groups whose behaviour is not routine, at medium level or above: what can make an incident need attention. */
  readonly significantGroups: number;
}

/** Weight of a rule from its prevalence: full below 5% of hosts, down to 0.2 when everywhere. */
export function rarityWeight(prevalence: number): number {
  if (prevalence <= 0.05) return 1;
  return Math.max(0.2, 1 - (prevalence - 0.05) * 1.6);
}

export function computePriority(groups: readonly PriorityGroup[], context: PriorityContext): PriorityResult {
  const parts: PriorityPart[] = [];
  // The strongest group of each rule stands for the rule (the same rule on several hosts or users is one behaviour).
  const ruleRisk = new Map<string, number>();
  const routineCount = new Map<RoutineReason, number>();
  const tactics = new Set<string>();
  let significantGroups = 0;
  for (const group of groups) {
    const reason = context.routine?.(group);
    if (reason) routineCount.set(reason, (routineCount.get(reason) ?? 0) + 1);
    else {
      for (const tactic of group.tactics) tactics.add(tactic.id);
      if (levelRank[group.level] >= levelRank.medium) significantGroups++;
    }
    const rarity = rarityWeight(context.prevalence(group));
    const volume = 1 + Math.min(Math.log2(group.count), 6) * 0.05;
    const risk = levelWeight[group.level] * volume * rarity * (reason ? routineWeight : 1);
    ruleRisk.set(group.ruleId, Math.max(ruleRisk.get(group.ruleId) ?? 0, risk));
  }
  const ranked = [...ruleRisk.values()].sort((a, b) => b - a);
  const severity = ranked.reduce(
    (sum, risk, index) => sum + risk * (rankWeights[index] ?? rankWeights[rankWeights.length - 1]!),
    0,
  );
  parts.push(part('severity', message('priority.severity', { count: ruleRisk.size }), severity));
  for (const [reason, count] of routineCount)
    parts.push(part('routine', message('priority.routine', { count, routine: reason }), 0));

  if (tactics.size > 1) {
    const points = (Math.min(tactics.size, 6) - 1) * 4;
    parts.push(part('tactics', message('priority.tactics', { count: tactics.size }), points));
    const late = [...tactics].filter((tactic) => lateTactics.has(tactic));
    if (late.length > 0) parts.push(part('kill-chain', message('priority.killChain', { tactics: late.join(', ') }), 4));
  }
  const intel = Math.max(0, ...groups.map((group) => group.intelConfidence ?? 0));
  if (intel > 0) parts.push(part('intel', message('priority.intel', { confidence: intel }), (intel / 100) * 20));
  const correlated = groups.filter((group) => group.kind === 'sigma-correlation' && !context.routine?.(group)).length;
  if (correlated > 0)
    parts.push(
      part('correlation', message('priority.correlation', { count: correlated }), 10 * Math.min(correlated, 3)),
    );

  let total = parts.reduce((sum, part) => sum + part.points, 0);
  if (context.criticality && context.criticality !== 'medium') {
    const factor = criticalityFactor[context.criticality];
    parts.push(
      part('asset', message('priority.asset', { criticality: context.criticality, factor }), total * (factor - 1)),
    );
    total *= factor;
  }
  // Saturating scale: 20 points ≈ 39, 30 ≈ 53, 50 ≈ 71, 100 ≈ 92.
  const priority = Math.round(100 * (1 - Math.exp(-total / 40)));
  return { priority: Math.min(100, Math.max(0, priority)), parts, significantGroups };
}
