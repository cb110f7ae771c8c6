// The incident chat without an LLM: the question picks the tools an analyst would run (process
// tree, connections, an entity's timeline, intel, similar incidents, ATT&CK, the overview), the
// tools run in the incident's unit, and the answer is templated from their results, citing the
// event and alert ids it rests on. Answers what it can; says plainly what it cannot.
import { message, renderPhrase } from '../i18n/render.ts';
import type { Message, Phrase } from '../model/message.ts';
import type { UnitScope } from '../model/unit.ts';
import { AnalystError, type ChatAnswer, type ChatTurn } from './analyst.ts';
import { runTool, type ToolContext } from './analyst-tools.ts';
import type { InvestigationData } from './investigation-data.ts';
import { suspectedInjection, type ToolCallTrace, verifyCitedIds } from './investigation-report.ts';

export const deterministicChatVersion = 'chat-plan-2';

/** Questions asking for the overview (no hint about what else can be asked is added). */
const overviewQuestion = /what happened|summar|overview|explain|发生了什么|总结|概述|概况|解释/;

interface Section {
  /** What the section says; rendered into the answer's English text, translated by the console. */
  readonly phrase: Phrase;
  readonly eventIds: string[];
  readonly alertIds: string[];
}

const fullStop = message('punctuation.fullStop');
const separator = message('punctuation.listSeparator');

/** Items joined with the list separator. */
function list(items: readonly Phrase[]): (Message | string)[] {
  return items.flatMap((item, index) => (index === 0 ? [...item] : [separator, ...item]));
}

type Parsed = Record<string, unknown> | unknown[] | undefined;

export async function deterministicChat(
  data: InvestigationData,
  scope: UnitScope,
  incidentId: string,
  turns: readonly ChatTurn[],
): Promise<ChatAnswer> {
  const started = performance.now();
  const bundle = await data.incident(scope, incidentId);
  if (!bundle) throw new AnalystError('VIGIL_ERR_NOT_FOUND', `incident ${incidentId} not found in your units`);
  const { incident } = bundle;
  const context: ToolContext = { data, scope: { kind: 'units', units: [incident.unit] }, bundle, now: Date.now() };
  const trace: ToolCallTrace[] = [];
  const call = async (tool: string, input: unknown): Promise<Parsed> => {
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
      return JSON.parse(result.output) as Parsed;
    } catch {
      return undefined;
    }
  };

  const question = [...turns].reverse().find((turn) => turn.role === 'user')?.content ?? '';
  const lower = question.toLowerCase();
  const entities = incident.entities;
  const hosts = entities.filter((entity) => entity.kind === 'host').map((entity) => entity.value);
  const users = entities.filter((entity) => entity.kind === 'user').map((entity) => entity.value);
  const named = entities.filter((entity) => lower.includes(entity.value.toLowerCase()));
  const namedHosts = named.filter((entity) => entity.kind === 'host').map((entity) => entity.value);
  const targetHosts = (namedHosts.length ? namedHosts : hosts).slice(0, 2);
  const sections: Section[] = [];

  const wants = (pattern: RegExp) => pattern.test(lower);
  if (wants(/process|tree|ran|run|execut|spawn|command|parent|child|进程|执行|运行|命令|父进程|子进程/)) {
    for (const host of targetHosts) {
      const result = (await call('process_tree', { host })) as { processes?: number; tree?: string[] } | undefined;
      const ids = (result?.tree ?? []).flatMap((line) => [...line.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]!));
      sections.push({
        phrase: result?.processes
          ? [
              message('chat.processTree', { host, count: result.processes }),
              `\n${(result.tree ?? []).slice(0, 15).join('\n')}`,
            ]
          : [message('chat.noProcesses', { host })],
        eventIds: ids.slice(0, 15),
        alertIds: [],
      });
    }
  }
  if (wants(/network|connect|c2|beacon|traffic|destination|exfil|outbound|网络|连接|外联|回连|流量|目的|外传/)) {
    for (const host of targetHosts) {
      const result = (await call('network_connections', { host })) as
        | {
            connections?: number;
            destinations?: { destination: string; count: number; eventId: string; process?: string }[];
          }
        | undefined;
      const destinations = result?.destinations ?? [];
      sections.push({
        phrase: destinations.length
          ? [
              message('chat.connections', { host }),
              destinations
                .slice(0, 8)
                .map((item) => `${item.destination} ×${item.count}${item.process ? ` (${item.process})` : ''}`)
                .join(', '),
              fullStop,
            ]
          : [message('chat.noConnections', { host })],
        eventIds: destinations.slice(0, 8).map((item) => item.eventId),
        alertIds: [],
      });
    }
  }
  const namedUsers = named.filter((entity) => entity.kind === 'user').map((entity) => entity.value);
  if (namedUsers.length || wants(/\buser|who\b|account|logon|login|用户|账户|账号|登录|谁/)) {
    for (const user of (namedUsers.length ? namedUsers : users).slice(0, 2)) {
      const result = (await call('entity_timeline', { kind: 'user', value: user, limit: 10 })) as
        | { total?: number; events?: Record<string, unknown>[] }
        | undefined;
      const events = result?.events ?? [];
      sections.push({
        phrase: events.length
          ? [
              message('chat.userActivity', { user, count: result?.total ?? events.length }),
              ...list(
                events.slice(0, 6).map((event) => {
                  const item: (Message | string)[] = [
                    `${event.time} ${event['event.action'] ?? event['event.code'] ?? 'event'}`,
                  ];
                  if (event['host.name']) item.push(message('chat.onHost', { host: String(event['host.name']) }));
                  if (event['process.executable']) item.push(` ${event['process.executable']}`);
                  return item;
                }),
              ),
              fullStop,
            ]
          : [message('chat.noUserEvents', { user })],
        eventIds: events.slice(0, 6).map((event) => String(event.id)),
        alertIds: [],
      });
    }
  }
  const isObservable = (entity: (typeof entities)[number]) =>
    entity.kind === 'ip' || entity.kind === 'domain' || entity.kind === 'file';
  const namedObservables = named.filter(isObservable);
  const observables = namedObservables.length
    ? namedObservables
    : wants(/intel|threat|malicious|reputation|known|ioc|indicator|c2|情报|威胁|恶意|信誉|指标/)
      ? entities.filter(isObservable)
      : [];
  for (const entity of observables.slice(0, 5)) {
    const result = (await call('intel_lookup', { value: entity.value })) as
      | { matches?: { source: string; confidence: number; threatName?: string }[] }
      | undefined;
    const matches = result?.matches ?? [];
    const intelAlerts = bundle.alerts.filter((alert) => alert.intel?.indicator.includes(entity.value));
    sections.push({
      phrase: matches.length
        ? [
            message('report.intelListed', { kind: entity.kind, value: entity.value }),
            ...list(
              matches.map((match) => [
                match.threatName
                  ? message('report.intelSourceThreat', {
                      source: match.source,
                      confidence: match.confidence,
                      threat: match.threatName,
                    })
                  : message('report.intelSource', { source: match.source, confidence: match.confidence }),
              ]),
            ),
            fullStop,
          ]
        : [message('chat.notListed', { kind: entity.kind, value: entity.value })],
      eventIds: intelAlerts.flatMap((alert) => alert.eventIds).slice(0, 5),
      alertIds: intelAlerts.map((alert) => alert.id).slice(0, 5),
    });
  }
  if (wants(/similar|before|past|previous|history|again|seen|相似|类似|以前|之前|历史|再次/)) {
    const result = ((await call('similar_incidents', {})) ?? []) as {
      id: string;
      title: string;
      analystVerdict?: string;
      status?: string;
    }[];
    sections.push({
      phrase: result.length
        ? [
            message('chat.similar'),
            ...list(
              result.map((item) => [
                item.analystVerdict
                  ? message('chat.similarItemJudged', {
                      title: item.title,
                      status: item.status ?? '',
                      verdict: item.analystVerdict,
                    })
                  : message('chat.similarItem', { title: item.title, status: item.status ?? '' }),
              ]),
            ),
            fullStop,
          ]
        : [message('chat.noSimilar')],
      eventIds: [],
      alertIds: [],
    });
  }
  const techniqueIds = [...new Set((question.match(/\bT\d{4}(?:\.\d{3})?\b/gi) ?? []).map((id) => id.toUpperCase()))];
  if (techniqueIds.length || wants(/att&ck|attack technique|technique|tactic|mitre|战术|技术/)) {
    const ids = techniqueIds.length ? techniqueIds : incident.techniques.map((technique) => technique.id);
    const lines: Phrase[] = [];
    for (const id of ids.slice(0, 6)) {
      const result = (await call('attack_technique', { id })) as { name?: string; error?: string } | undefined;
      lines.push([result?.name ? `${id} ${result.name}` : message('chat.unknownTechnique', { id })]);
    }
    const related = bundle.groups.filter((group) => group.techniques.some((technique) => ids.includes(technique.id)));
    sections.push({
      phrase: [message('chat.attack'), ...(lines.length ? list(lines) : [message('chat.noTechniques')]), fullStop],
      eventIds: related.flatMap((group) => group.eventIds.slice(0, 2)),
      alertIds: related.flatMap((group) => group.alertIds.slice(0, 2)),
    });
  }
  if (sections.length === 0) {
    // Overview: what happened, from the incident's detections.
    await call('get_incident', {});
    const groups = [...bundle.groups].sort((a, b) => a.firstSeen - b.firstSeen);
    sections.push({
      phrase: [
        ...(incident.titlePhrase ?? [incident.title]),
        incident.triage
          ? message('chat.overviewTriage', { priority: incident.priority, verdict: incident.triage.verdict })
          : message('chat.overview', { priority: incident.priority }),
        message('punctuation.sentenceBreak'),
        ...list(
          groups.map((group) => [
            `${new Date(group.firstSeen).toISOString()} ${group.ruleTitle}`,
            group.count > 1
              ? message('report.stepLevelTimes', { level: group.level, count: group.count })
              : message('report.stepLevel', { level: group.level }),
          ]),
        ),
        fullStop,
        ...(/[?？]$/.test(question.trim()) && !overviewQuestion.test(lower) ? [message('chat.help')] : []),
      ],
      eventIds: groups.flatMap((group) => group.eventIds.slice(0, 2)),
      alertIds: groups.flatMap((group) => group.alertIds.slice(0, 2)),
    });
  }
  if (trace.some((entry) => entry.suspectedInjection))
    sections.push({
      phrase: [message('chat.injection')],
      eventIds: [],
      alertIds: [],
    });

  const eventIds = [...new Set(sections.flatMap((section) => section.eventIds).filter(Boolean))];
  const alertIds = [...new Set(sections.flatMap((section) => section.alertIds).filter(Boolean))];
  const citations = await verifyCitedIds(data, incident.unit, eventIds, alertIds);
  return {
    incidentId: incident.id,
    unit: incident.unit,
    answer: sections.map((section) => renderPhrase(section.phrase)).join('\n\n'),
    answerPhrases: sections.map((section) => section.phrase),
    eventIds,
    alertIds,
    citations,
    toolTrace: trace,
    generator: {
      kind: 'deterministic',
      promptVersion: deterministicChatVersion,
      millis: Math.round(performance.now() - started),
    },
  };
}
