// The investigation report: verdict, storyline, entities, ATT&CK mapping, recommended actions
// (proposals only) and evidence, where every claim cites event and alert ids. After generation
// every citation is checked to exist in the incident's unit; invented ids are flagged.
import type { AttackRef } from '../model/alert.ts';
import type { Entity, Verdict } from '../model/incident.ts';
import type { Phrase } from '../model/message.ts';
import type { UnitScope } from '../model/unit.ts';
import type { InvestigationData } from './investigation-data.ts';

export interface StorylineStep {
  readonly time: string; // ISO
  readonly description: string;
  /** The description as a translatable phrase (deterministic reports). */
  readonly phrase?: Phrase;
  readonly eventIds: readonly string[];
  readonly alertIds: readonly string[];
  /** Set by the citation check: false when a cited id does not exist in the unit. */
  readonly valid?: boolean;
}

export interface EvidenceClaim {
  readonly claim: string;
  /** The claim as a translatable phrase (deterministic reports). */
  readonly phrase?: Phrase;
  readonly eventIds: readonly string[];
  readonly alertIds: readonly string[];
  /** Set by the citation check: false when a cited id does not exist in the unit, or nothing is cited. */
  readonly valid?: boolean;
}

export interface Recommendation {
  readonly action: string;
  readonly target?: string;
  readonly rationale: string;
  /** Action and rationale as translatable phrases (deterministic reports). */
  readonly actionPhrase?: Phrase;
  readonly rationalePhrase?: Phrase;
}

export interface ToolCallTrace {
  readonly tool: string;
  readonly input: unknown;
  readonly output: string; // as given to the model (bounded)
  readonly millis: number;
  readonly error?: string;
  /** Phrases in the tool output that read like instructions to the model (prompt injection). */
  readonly suspectedInjection?: readonly string[];
}

export interface InvestigationReport {
  readonly incidentId: string;
  readonly unit: string;
  readonly verdict: Verdict;
  readonly confidence: number; // 0–1
  readonly summary: string;
  /** Summary and open questions as translatable phrases (deterministic reports). */
  readonly summaryPhrase?: Phrase;
  readonly openQuestionPhrases?: readonly Phrase[];
  readonly storyline: readonly StorylineStep[];
  readonly affectedEntities: readonly Entity[];
  readonly attack: { readonly tactics: readonly AttackRef[]; readonly techniques: readonly AttackRef[] };
  readonly recommendations: readonly Recommendation[];
  readonly openQuestions: readonly string[];
  readonly evidence: readonly EvidenceClaim[];
  readonly citations: { readonly total: number; readonly valid: number; readonly invalidIds: readonly string[] };
  readonly generator: {
    readonly kind: 'deterministic' | 'llm';
    readonly model?: string;
    readonly promptVersion: string;
    readonly inputTokens?: number;
    readonly outputTokens?: number;
    readonly steps: number;
    readonly millis: number;
    readonly repaired: boolean;
    /** What each repair round was asked to fix (malformed report, invalid or missing citations). */
    readonly repairs?: readonly string[];
    /** Guardrails that changed the model's report, e.g. "injection-verdict-floor". */
    readonly guardrails?: readonly string[];
  };
  readonly toolTrace: readonly ToolCallTrace[];
  readonly createdAt: number;
  /**
   * The incident as the investigation found it when it started, so the automatic pass can tell,
   * also after a restart, whether the incident has grown materially since. Absent on reports
   * stored before Vigil recorded it (and on reports made outside the job queue).
   */
  readonly basis?: ReportBasis;
}

/** What a report was made from: the incident's priority, alert count and tactics at the time. */
export interface ReportBasis {
  readonly priority: number;
  readonly alertCount: number;
  /** ATT&CK tactic ids ("TA0002"). */
  readonly tacticIds: readonly string[];
  /** The incident's updatedAt at the time. */
  readonly incidentUpdatedAt: number;
}

/** The report body a generator produces, before citations are checked and metadata added. */
export type ReportDraft = Pick<
  InvestigationReport,
  | 'verdict'
  | 'confidence'
  | 'summary'
  | 'storyline'
  | 'affectedEntities'
  | 'attack'
  | 'recommendations'
  | 'openQuestions'
  | 'evidence'
  | 'summaryPhrase'
  | 'openQuestionPhrases'
>;

/**
 * Check every cited id against the store, in the incident's unit. Returns the claims marked
 * valid/invalid and the ids that do not exist (invented or from another unit).
 */
export async function checkCitations(
  draft: ReportDraft,
  data: InvestigationData,
  unit: string,
): Promise<{ evidence: EvidenceClaim[]; storyline: StorylineStep[]; citations: InvestigationReport['citations'] }> {
  const scope: UnitScope = { kind: 'units', units: [unit] };
  const eventIds = new Set<string>();
  const alertIds = new Set<string>();
  for (const item of [...draft.evidence, ...draft.storyline]) {
    for (const id of item.eventIds) eventIds.add(id);
    for (const id of item.alertIds) alertIds.add(id);
  }
  const foundEvents = new Set(
    (await data.getEvents(scope, [...eventIds]))
      .filter((stored) => stored.event.unit === unit)
      .map((stored) => stored.id),
  );
  const foundAlerts = new Set(
    (await data.getAlerts(scope, [...alertIds])).filter((alert) => alert.unit === unit).map((alert) => alert.id),
  );
  const invalid = new Set<string>();
  const check = (ids: readonly string[], found: Set<string>) => {
    let ok = true;
    for (const id of ids) {
      if (!found.has(id)) {
        invalid.add(id);
        ok = false;
      }
    }
    return ok;
  };
  const evidence = draft.evidence.map((claim) => {
    const eventsOk = check(claim.eventIds, foundEvents);
    const alertsOk = check(claim.alertIds, foundAlerts);
    return { ...claim, valid: eventsOk && alertsOk && claim.eventIds.length + claim.alertIds.length > 0 };
  });
  const storyline = draft.storyline.map((step) => {
    const eventsOk = check(step.eventIds, foundEvents);
    const alertsOk = check(step.alertIds, foundAlerts);
    return { ...step, valid: eventsOk && alertsOk };
  });
  const total = eventIds.size + alertIds.size;
  return { evidence, storyline, citations: { total, valid: total - invalid.size, invalidIds: [...invalid] } };
}

/** Check loose cited ids (a chat answer) against the store, in one unit. */
export async function verifyCitedIds(
  data: InvestigationData,
  unit: string,
  eventIds: readonly string[],
  alertIds: readonly string[],
): Promise<InvestigationReport['citations']> {
  const scope: UnitScope = { kind: 'units', units: [unit] };
  const events = [...new Set(eventIds)];
  const alerts = [...new Set(alertIds)];
  const found = new Set([
    ...(await data.getEvents(scope, events)).filter((stored) => stored.event.unit === unit).map((stored) => stored.id),
    ...(await data.getAlerts(scope, alerts)).filter((alert) => alert.unit === unit).map((alert) => alert.id),
  ]);
  const invalidIds = [...events, ...alerts].filter((id) => !found.has(id));
  const total = events.length + alerts.length;
  return { total, valid: total - invalidIds.length, invalidIds };
}

/** Phrases that try to steer a model from inside data ("ignore previous instructions" …). */
const injectionPatterns = [
  /ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?|messages?|rules)/i,
  /ignore the system (message|prompt)/i,
  /disregard (all |any |the )?(previous|prior|above|earlier)/i,
  /forget (all |your |the )?(previous )?(rules|instructions)/i,
  /override (the )?(previous|prior|system|above)/i,
  /you are now\b/i,
  /\bsystem prompt\b/i,
  /(mark|classify|report|close|treat)(s|ing)? (this|it|the|that)( incident| alert| activity| event| host)? as (a |an )?(benign|false[- ]positive|safe|expected|clean|harmless)/i,
  /\b(the )?(correct |final |real |true )?verdict (is|should be|must be) (benign|safe|clean)/i,
  /do not (report|alert|escalate)/i,
  /\bnew instructions?\b/i,
  /### ?instruction/i,
  /\[\/?INST\]/,
  /\b(as an ai|ai (assistant|model|analyst)|language model)\b/i,
  /"role"\s*:\s*"(system|assistant|developer)"/i,
  /<\/?(system|assistant|tool_output)>/i,
];

export function suspectedInjection(text: string): string[] {
  const found: string[] = [];
  for (const pattern of injectionPatterns) {
    const match = pattern.exec(text);
    if (match) found.push(match[0]);
  }
  return found;
}
