// The investigation without an LLM: a fixed plan runs the same tools an analyst would (incident,
// process trees and connections of its hosts, user timelines, intel on its external entities,
// similar past incidents) and writes the report from templates over the real results, each
// claim citing the alert and event ids it rests on. Fast (well under 5 s) and always available.
import type { AttackRef } from '../model/alert.ts';
import type { Entity, Verdict } from '../model/incident.ts';
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

const tacticActions: Record<string, (entity: { host?: string; user?: string }) => Recommendation[]> = {
  TA0006: ({ user, host }) => [
    {
      action: 'Reset credentials and revoke sessions',
      target: user ?? host,
      rationale: 'credential access was observed; assume the credentials are known to the attacker',
    },
  ],
  TA0008: ({ host }) => [
    {
      action: 'Isolate the host from the network',
      target: host,
      rationale: 'lateral movement was observed from or to this host',
    },
  ],
  TA0011: ({ host }) => [
    {
      action: 'Isolate the host and block its command-and-control destinations',
      target: host,
      rationale: 'command-and-control activity was observed',
    },
  ],
  TA0003: ({ host }) => [
    {
      action: 'Review and remove persistence (services, Run keys, scheduled tasks)',
      target: host,
      rationale: 'persistence was established',
    },
  ],
  TA0040: ({ host }) => [
    {
      action: 'Isolate the host and check backups of affected data',
      target: host,
      rationale: 'impact techniques (destruction, encryption) were observed',
    },
  ],
  TA0010: ({ host }) => [
    {
      action: 'Block the exfiltration destination and assess what data left',
      target: host,
      rationale: 'exfiltration was observed',
    },
  ],
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
      return {
        time: new Date(group.firstSeen).toISOString(),
        description: `${group.ruleTitle} (${group.level}${group.count > 1 ? `, ${group.count} times` : ''})${host ? ` on ${host}` : ''}${user ? ` as ${user}` : ''}${mapped ? ` — ${mapped}` : ''}`,
        alertIds: group.alertIds.slice(0, 3),
        eventIds: group.eventIds.slice(0, 3),
      };
    });
    const evidence: EvidenceClaim[] = sortedGroups.map((group) => ({
      claim: `Rule "${group.ruleTitle}" (${group.level}${group.ruleAuthor ? `, by ${group.ruleAuthor}` : ''}) matched ${group.count} time(s) between ${new Date(group.firstSeen).toISOString()} and ${new Date(group.lastSeen).toISOString()}`,
      alertIds: group.alertIds.slice(0, 5),
      eventIds: group.eventIds.slice(0, 5),
    }));
    for (const { entity, matches } of intel) {
      const intelAlerts = alerts.filter((alert) => alert.intel?.indicator.includes(entity.value));
      evidence.push({
        claim: `${entity.kind} ${entity.value} is listed by ${matches.map((match) => `${match.source} (confidence ${match.confidence}${match.threatName ? `, ${match.threatName}` : ''})`).join('; ')}`,
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
    for (const { entity } of intel)
      recommendations.push({
        action: `Block ${entity.kind} at the perimeter and search for other contacts`,
        target: entity.value,
        rationale: 'listed by threat intelligence',
      });
    if (hosts[0] && verdict !== 'benign')
      recommendations.push({
        action: 'Collect a triage package (memory, autoruns, event logs)',
        target: hosts[0],
        rationale: 'preserve evidence before remediation',
      });
    recommendations.push({
      action: 'Confirm with the owner or the unit whether the activity was expected',
      target: users[0] ?? hosts[0],
      rationale: 'administrative activity often looks like an attack',
    });

    const openQuestions: string[] = [];
    if (users[0]) openQuestions.push(`Was the activity of ${users[0]} expected (a change ticket or an admin task)?`);
    for (const host of hosts) {
      const result = connections[host] as { connections?: number } | undefined;
      if (!result?.connections)
        openQuestions.push(
          `No network connections were recorded for ${host} in the window: is network telemetry (Sysmon 3, firewall, Zeek) collected for it?`,
        );
    }
    if (similar.length && !judged.length)
      openQuestions.push(
        `${similar.length} similar incident(s) exist without an analyst verdict: are they the same activity?`,
      );
    if (trace.some((entry) => entry.suspectedInjection))
      openQuestions.push(
        'Some event content contains text addressed to an AI assistant (possible prompt injection): review the raw events.',
      );

    const tacticNames = incident.tactics.map((tactic) => tactic.name ?? tactic.id).join(' → ');
    const reasons = incident.triage?.reasons
      .slice(0, 3)
      .map((reason) => reason.text)
      .join('; ');
    const summary = [
      `${incident.title}${unitInfo?.name ? ` (unit ${unitInfo.name})` : ''}.`,
      `${incident.alertCount} alert(s) from ${groups.length} detection(s)${hosts.length ? ` on ${hosts.join(', ')}` : ''} between ${new Date(incident.firstSeen).toISOString()} and ${new Date(incident.lastSeen).toISOString()}.`,
      tacticNames ? `ATT&CK tactics observed: ${tacticNames}.` : '',
      intel.length
        ? `${intel.length} entit${intel.length === 1 ? 'y is' : 'ies are'} listed by threat intelligence.`
        : '',
      `Assessment: ${verdict} (confidence ${Math.round(confidence * 100)}%)${reasons ? ` — ${reasons}` : ''}.`,
      judged.length ? `Analysts judged ${judged.length} similar past incident(s): ${pastBenign} benign.` : '',
    ]
      .filter(Boolean)
      .join(' ');

    const draft: ReportDraft = {
      verdict,
      confidence: Math.round(confidence * 100) / 100,
      summary,
      storyline,
      affectedEntities: incident.entities,
      attack: { tactics: incident.tactics, techniques },
      recommendations,
      openQuestions,
      evidence,
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
