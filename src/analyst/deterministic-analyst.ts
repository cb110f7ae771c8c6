// The investigation without an LLM: a fixed plan runs the same tools an analyst would (incident,
// process trees and connections of its hosts, user timelines, intel on its external entities,
// similar past incidents) and writes the report from templates over the real results, each
// claim citing the alert and event ids it rests on. Fast (well under 5 s) and always available.
import type { MessageCode } from '../i18n/messages-en.ts';
import { message, renderPhrase } from '../i18n/render.ts';
import type { AttackRef } from '../model/alert.ts';
import type { Entity, Verdict } from '../model/incident.ts';
import type { Message, Phrase } from '../model/message.ts';
import type { UnitScope } from '../model/unit.ts';
import { validateQuery } from '../store/query/validate-query.ts';
import {
  type Analyst,
  AnalystError,
  type AskOptions,
  type ChatAnswer,
  type ChatTurn,
  type InvestigateOptions,
  type QuerySuggestion,
} from './analyst.ts';
import { runTool, type ToolContext } from './analyst-tools.ts';
import { deterministicChat } from './deterministic-chat.ts';
import type { IntelLookup, InvestigationData } from './investigation-data.ts';
import {
  checkCitations,
  type EvidenceClaim,
  type InvestigationReport,
  type Recommendation,
  type ReportDraft,
  type StorylineStep,
  suspectedInjection,
  type ToolCallTrace,
} from './investigation-report.ts';
import { questionToQuery } from './question-to-query.ts';

export const deterministicPromptVersion = 'plan-1';
export const deterministicAskVersion = 'ask-rules-1';

/** "Ask" without an LLM (also the LLM analyst's fallback). */
export function deterministicAsk(question: string, options: AskOptions = {}): QuerySuggestion {
  const started = performance.now();
  const now = options.now ?? Date.now();
  const translated = questionToQuery(question, now);
  return {
    question,
    query: translated.query,
    from: translated.from,
    to: translated.to,
    explanation: translated.understood
      ? `Searches ${translated.explanation}.`
      : `Not understood as a known question; searches ${translated.explanation}.`,
    validation: validateQuery(translated.query, { now }),
    generator: {
      kind: 'deterministic',
      promptVersion: deterministicAskVersion,
      millis: Math.round(performance.now() - started),
    },
  };
}

/** A recommendation whose action and rationale are catalogue messages. */
function recommend(action: MessageCode, rationale: MessageCode, target: string | undefined): Recommendation {
  const actionPhrase = [message(action)];
  const rationalePhrase = [message(rationale)];
  return {
    action: renderPhrase(actionPhrase),
    target,
    rationale: renderPhrase(rationalePhrase),
    actionPhrase,
    rationalePhrase,
  };
}

const tacticActions: Record<string, (entity: { host?: string; user?: string }) => Recommendation[]> = {
  TA0006: ({ user, host }) => [recommend('report.resetCredentials', 'report.resetCredentialsWhy', user ?? host)],
  TA0008: ({ host }) => [recommend('report.isolateHost', 'report.isolateHostWhy', host)],
  TA0011: ({ host }) => [recommend('report.blockC2', 'report.blockC2Why', host)],
  TA0003: ({ host }) => [recommend('report.removePersistence', 'report.removePersistenceWhy', host)],
  TA0040: ({ host }) => [recommend('report.checkBackups', 'report.checkBackupsWhy', host)],
  TA0010: ({ host }) => [recommend('report.blockExfiltration', 'report.blockExfiltrationWhy', host)],
};

function publicIp(value: string): boolean {
  return !/^(10\.|127\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|::1|f[cd]|fe80)/i.test(value);
}

export class DeterministicAnalyst implements Analyst {
  readonly kind = 'deterministic' as const;
  readonly #data: InvestigationData;

  constructor(data: InvestigationData) {
    this.#data = data;
  }

  chat(scope: UnitScope, incidentId: string, turns: readonly ChatTurn[]): Promise<ChatAnswer> {
    return deterministicChat(this.#data, scope, incidentId, turns);
  }

  async ask(_scope: UnitScope, question: string, options: AskOptions = {}): Promise<QuerySuggestion> {
    return deterministicAsk(question, options);
  }

  async investigate(
    scope: UnitScope,
    incidentId: string,
    options: InvestigateOptions = {},
  ): Promise<InvestigationReport> {
    const started = performance.now();
    const bundle = await this.#data.incident(scope, incidentId);
    if (!bundle) throw new AnalystError('VIGIL_ERR_NOT_FOUND', `incident ${incidentId} not found in your units`);
    options.onProgress?.({ stage: 'started', message: `investigating ${bundle.incident.title}` });
    const context: ToolContext = {
      data: this.#data,
      scope: { kind: 'units', units: [bundle.incident.unit] },
      bundle,
      now: Date.now(),
    };
    const trace: ToolCallTrace[] = [];
    const call = async (tool: string, input: unknown): Promise<unknown> => {
      options.signal?.throwIfAborted();
      options.onProgress?.({ stage: 'tool', message: `running ${tool}`, tool, step: trace.length + 1 });
      const toolStarted = performance.now();
      const result = await runTool(tool, input, context);
      const injection = suspectedInjection(result.output);
      trace.push({
        tool,
        input,
        output: result.output,
        millis: Math.round(performance.now() - toolStarted),
        error: result.error,
        suspectedInjection: injection.length ? injection : undefined,
      });
      try {
        return JSON.parse(result.output.replace(/… \[truncated:.*$/, ''));
      } catch {
        return undefined;
      }
    };

    const { incident, groups, alerts } = bundle;
    await call('get_incident', {});
    const hosts = incident.entities
      .filter((entity) => entity.kind === 'host')
      .map((entity) => entity.value)
      .slice(0, 3);
    const users = incident.entities
      .filter((entity) => entity.kind === 'user')
      .map((entity) => entity.value)
      .slice(0, 2);
    const connections: Record<string, unknown> = {};
    for (const host of hosts) {
      await call('process_tree', { host });
      connections[host] = await call('network_connections', { host });
    }
    for (const user of users) await call('entity_timeline', { kind: 'user', value: user, limit: 20 });
    const observables = incident.entities
      .filter(
        (entity) =>
          (entity.kind === 'ip' && publicIp(entity.value)) || entity.kind === 'domain' || entity.kind === 'file',
      )
      .slice(0, 10);
    const intel: { entity: Entity; matches: IntelLookup[] }[] = [];
    for (const entity of observables) {
      const result = (await call('intel_lookup', { value: entity.value })) as { matches?: IntelLookup[] } | undefined;
      if (result?.matches?.length) intel.push({ entity, matches: result.matches });
    }
    const unitInfo = (await call('unit_lookup', {})) as { name?: string } | undefined;
    const similar = ((await call('similar_incidents', {})) ?? []) as {
      id: string;
      analystVerdict?: Verdict;
      title: string;
    }[];
    const techniques: AttackRef[] = incident.techniques.map((technique) => ({
      id: technique.id,
      name: technique.name ?? this.#data.technique(technique.id)?.name,
    }));

    options.onProgress?.({ stage: 'drafting', message: 'writing the report' });
    // Verdict: the fast triage, raised by strong intel, tempered by analysts' past verdicts.
    let verdict: Verdict =
      incident.triage?.verdict ??
      (incident.priority >= 70 ? 'malicious' : incident.priority >= 40 ? 'suspicious' : 'benign');
    let confidence = incident.triage?.confidence ?? incident.priority / 100;
    const strongIntel = intel.some(({ matches }) => matches.some((match) => match.confidence >= 70));
    if (strongIntel && verdict !== 'malicious') {
      verdict = 'malicious';
      confidence = Math.max(confidence, 0.75);
    }
    const judged = similar.filter((past) => past.analystVerdict);
    const pastBenign = judged.filter((past) => past.analystVerdict === 'benign').length;
    if (judged.length >= 3 && pastBenign === judged.length && verdict === 'suspicious' && !strongIntel) {
      verdict = 'benign';
      confidence = 0.6;
    }

    const sortedGroups = [...groups].sort((a, b) => a.firstSeen - b.firstSeen);
    const storyline: StorylineStep[] = sortedGroups.map((group) => {
      const host = group.entities.find((entity) => entity.kind === 'host')?.value;
      const user = group.entities.find((entity) => entity.kind === 'user')?.value;
      const mapped = group.techniques
        .map((technique) => `${technique.id}${technique.name ? ` ${technique.name}` : ''}`)
        .join(', ');
      const phrase: (Message | string)[] = [
        group.ruleTitle,
        group.count > 1
          ? message('report.stepLevelTimes', { level: group.level, count: group.count })
          : message('report.stepLevel', { level: group.level }),
      ];
      if (host) phrase.push(message('report.stepHost', { host }));
      if (user) phrase.push(message('report.stepUser', { user }));
      if (mapped) phrase.push(` — ${mapped}`);
      return {
        time: new Date(group.firstSeen).toISOString(),
        description: renderPhrase(phrase),
        phrase,
        alertIds: group.alertIds.slice(0, 3),
        eventIds: group.eventIds.slice(0, 3),
      };
    });
    const evidence: EvidenceClaim[] = sortedGroups.map((group) => {
      const times = {
        rule: group.ruleTitle,
        level: group.level,
        count: group.count,
        from: new Date(group.firstSeen).toISOString(),
        to: new Date(group.lastSeen).toISOString(),
      };
      const phrase = [
        group.ruleAuthor
          ? message('report.ruleByMatched', { ...times, author: group.ruleAuthor })
          : message('report.ruleMatched', times),
      ];
      return {
        claim: renderPhrase(phrase),
        phrase,
        alertIds: group.alertIds.slice(0, 5),
        eventIds: group.eventIds.slice(0, 5),
      };
    });
    for (const { entity, matches } of intel) {
      const intelAlerts = alerts.filter((alert) => alert.intel?.indicator.includes(entity.value));
      const phrase: (Message | string)[] = [message('report.intelListed', { kind: entity.kind, value: entity.value })];
      matches.forEach((match, index) => {
        if (index > 0) phrase.push(message('punctuation.listSeparator'));
        phrase.push(
          match.threatName
            ? message('report.intelSourceThreat', {
                source: match.source,
                confidence: match.confidence,
                threat: match.threatName,
              })
            : message('report.intelSource', { source: match.source, confidence: match.confidence }),
        );
      });
      evidence.push({
        claim: renderPhrase(phrase),
        phrase,
        alertIds: intelAlerts.map((alert) => alert.id).slice(0, 5),
        eventIds: intelAlerts.flatMap((alert) => alert.eventIds).slice(0, 5),
      });
    }

    const recommendations: Recommendation[] = [];
    for (const tactic of incident.tactics) {
      for (const recommendation of tacticActions[tactic.id]?.({ host: hosts[0], user: users[0] }) ?? []) {
        if (
          !recommendations.some(
            (known) => known.action === recommendation.action && known.target === recommendation.target,
          )
        )
          recommendations.push(recommendation);
      }
    }
    for (const { entity } of intel) {
      const actionPhrase = [message('report.blockIndicator', { kind: entity.kind })];
      const rationalePhrase = [message('report.blockIndicatorWhy')];
      recommendations.push({
        action: renderPhrase(actionPhrase),
        target: entity.value,
        rationale: renderPhrase(rationalePhrase),
        actionPhrase,
        rationalePhrase,
      });
    }
    if (hosts[0] && verdict !== 'benign')
      recommendations.push(recommend('report.collectTriage', 'report.collectTriageWhy', hosts[0]));
    recommendations.push(recommend('report.confirmOwner', 'report.confirmOwnerWhy', users[0] ?? hosts[0]));

    const openQuestionPhrases: Phrase[] = [];
    if (users[0]) openQuestionPhrases.push([message('report.askUserExpected', { user: users[0] })]);
    for (const host of hosts) {
      const result = connections[host] as { connections?: number } | undefined;
      if (!result?.connections) openQuestionPhrases.push([message('report.askNoConnections', { host })]);
    }
    if (similar.length && !judged.length)
      openQuestionPhrases.push([message('report.askSimilar', { count: similar.length })]);
    if (trace.some((entry) => entry.suspectedInjection)) openQuestionPhrases.push([message('report.askInjection')]);
    const openQuestions = openQuestionPhrases.map(renderPhrase);

    const tacticNames = incident.tactics.map((tactic) => tactic.name ?? tactic.id).join(' → ');
    const window = {
      from: new Date(incident.firstSeen).toISOString(),
      to: new Date(incident.lastSeen).toISOString(),
    };
    const space = message('punctuation.space');
    const separator = message('punctuation.listSeparator');
    const summaryPhrase: (Message | string)[] = [...(incident.titlePhrase ?? [incident.title])];
    if (unitInfo?.name) summaryPhrase.push(message('report.summaryUnit', { unit: unitInfo.name }));
    summaryPhrase.push(
      message('punctuation.sentenceBreak'),
      message('report.summaryAlerts', { alerts: incident.alertCount, detections: groups.length }),
    );
    if (hosts.length) summaryPhrase.push(message('report.summaryHosts', { hosts: hosts.join(', ') }));
    summaryPhrase.push(message('report.summaryWindow', window));
    if (tacticNames) summaryPhrase.push(space, message('report.summaryTactics', { tactics: tacticNames }));
    if (intel.length)
      summaryPhrase.push(
        space,
        intel.length === 1
          ? message('report.summaryIntelOne')
          : message('report.summaryIntelMany', { count: intel.length }),
      );
    summaryPhrase.push(
      space,
      message('report.summaryAssessment', { verdict, confidence: Math.round(confidence * 100) }),
    );
    const reasons = incident.triage?.reasons.slice(0, 3) ?? [];
    reasons.forEach((reason, index) => {
      summaryPhrase.push(index === 0 ? message('punctuation.dash') : separator, ...(reason.phrase ?? [reason.text]));
    });
    summaryPhrase.push(message('punctuation.fullStop'));
    if (judged.length)
      summaryPhrase.push(space, message('report.summaryJudged', { count: judged.length, benign: pastBenign }));
    const summary = renderPhrase(summaryPhrase);

    const draft: ReportDraft = {
      verdict,
      confidence: Math.round(confidence * 100) / 100,
      summary,
      storyline,
      affectedEntities: incident.entities,
      attack: { tactics: incident.tactics, techniques },
      recommendations,
      openQuestions,
      openQuestionPhrases,
      evidence,
      summaryPhrase,
    };
    options.onProgress?.({ stage: 'checking', message: 'checking citations' });
    const checked = await checkCitations(draft, this.#data, incident.unit);
    const report: InvestigationReport = {
      ...draft,
      ...checked,
      incidentId: incident.id,
      unit: incident.unit,
      generator: {
        kind: 'deterministic',
        promptVersion: deterministicPromptVersion,
        steps: trace.length,
        millis: Math.round(performance.now() - started),
        repaired: false,
      },
      toolTrace: trace,
      createdAt: Date.now(),
    };
    options.onProgress?.({ stage: 'done', message: `report ready: ${verdict}` });
    return report;
  }
}
