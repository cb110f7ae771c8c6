// The incident chat without an LLM: the question picks the tools an analyst would run (process
// tree, connections, an entity's timeline, intel, similar incidents, ATT&CK, the overview), the
// tools run in the incident's unit, and the answer is templated from their results, citing the
// event and alert ids it rests on. Answers what it can; says plainly what it cannot.
import type { UnitScope } from '../model/unit.ts';
import { AnalystError, type ChatAnswer, type ChatTurn } from './analyst.ts';
import { runTool, type ToolContext } from './analyst-tools.ts';
import type { InvestigationData } from './investigation-data.ts';
import { suspectedInjection, type ToolCallTrace, verifyCitedIds } from './investigation-report.ts';

export const deterministicChatVersion = 'chat-plan-1';

interface Section {
  readonly text: string;
  readonly eventIds: string[];
  readonly alertIds: string[];
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
  if (wants(/process|tree|ran|run|execut|spawn|command|parent|child/)) {
    for (const host of targetHosts) {
      const result = (await call('process_tree', { host })) as { processes?: number; tree?: string[] } | undefined;
      const ids = (result?.tree ?? []).flatMap((line) => [...line.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]!));
      sections.push({
        text: result?.processes
          ? `Process tree on ${host} (${result.processes} process creation(s)):\n${(result.tree ?? []).slice(0, 15).join('\n')}`
          : `No process creations were recorded on ${host} around the incident.`,
        eventIds: ids.slice(0, 15),
        alertIds: [],
      });
    }
  }
  if (wants(/network|connect|c2|beacon|traffic|destination|exfil|outbound/)) {
    for (const host of targetHosts) {
      const result = (await call('network_connections', { host })) as
        | {
            connections?: number;
            destinations?: { destination: string; count: number; eventId: string; process?: string }[];
          }
        | undefined;
      const destinations = result?.destinations ?? [];
      sections.push({
        text: destinations.length
          ? `Network connections of ${host}: ${destinations
              .slice(0, 8)
              .map((item) => `${item.destination} ×${item.count}${item.process ? ` (${item.process})` : ''}`)
              .join(', ')}.`
          : `No network connections were recorded for ${host} around the incident.`,
        eventIds: destinations.slice(0, 8).map((item) => item.eventId),
        alertIds: [],
      });
    }
  }
  const namedUsers = named.filter((entity) => entity.kind === 'user').map((entity) => entity.value);
  if (namedUsers.length || wants(/\buser|who\b|account|logon|login/)) {
    for (const user of (namedUsers.length ? namedUsers : users).slice(0, 2)) {
      const result = (await call('entity_timeline', { kind: 'user', value: user, limit: 10 })) as
        | { total?: number; events?: Record<string, unknown>[] }
        | undefined;
      const events = result?.events ?? [];
      sections.push({
        text: events.length
          ? `Activity of ${user} (${result?.total ?? events.length} event(s)): ${events
              .slice(0, 6)
              .map(
                (event) =>
                  `${event.time} ${event['event.action'] ?? event['event.code'] ?? 'event'}${event['host.name'] ? ` on ${event['host.name']}` : ''}${event['process.executable'] ? ` ${event['process.executable']}` : ''}`,
              )
              .join('; ')}.`
          : `No events of ${user} were found around the incident.`,
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
    : wants(/intel|threat|malicious|reputation|known|ioc|indicator|c2/)
      ? entities.filter(isObservable)
      : [];
  for (const entity of observables.slice(0, 5)) {
    const result = (await call('intel_lookup', { value: entity.value })) as
      | { matches?: { source: string; confidence: number; threatName?: string }[] }
      | undefined;
    const matches = result?.matches ?? [];
    const intelAlerts = bundle.alerts.filter((alert) => alert.intel?.indicator.includes(entity.value));
    sections.push({
      text: matches.length
        ? `${entity.kind} ${entity.value} is listed by ${matches.map((match) => `${match.source} (confidence ${match.confidence}${match.threatName ? `, ${match.threatName}` : ''})`).join('; ')}.`
        : `${entity.kind} ${entity.value} is not on any loaded threat-intelligence feed.`,
      eventIds: intelAlerts.flatMap((alert) => alert.eventIds).slice(0, 5),
      alertIds: intelAlerts.map((alert) => alert.id).slice(0, 5),
    });
  }
  if (wants(/similar|before|past|previous|history|again|seen/)) {
    const result = ((await call('similar_incidents', {})) ?? []) as {
      id: string;
      title: string;
      analystVerdict?: string;
      status?: string;
    }[];
    sections.push({
      text: result.length
        ? `Similar past incidents: ${result.map((item) => `${item.title} (${item.status}${item.analystVerdict ? `, judged ${item.analystVerdict}` : ''})`).join('; ')}.`
        : 'No similar past incidents were found in this unit.',
      eventIds: [],
      alertIds: [],
    });
  }
  const techniqueIds = [...new Set((question.match(/\bT\d{4}(?:\.\d{3})?\b/gi) ?? []).map((id) => id.toUpperCase()))];
  if (techniqueIds.length || wants(/att&ck|attack technique|technique|tactic|mitre/)) {
    const ids = techniqueIds.length ? techniqueIds : incident.techniques.map((technique) => technique.id);
    const lines: string[] = [];
    for (const id of ids.slice(0, 6)) {
      const result = (await call('attack_technique', { id })) as { name?: string; error?: string } | undefined;
      lines.push(`${id} ${result?.name ?? '(unknown technique id)'}`);
    }
    const related = bundle.groups.filter((group) => group.techniques.some((technique) => ids.includes(technique.id)));
    sections.push({
      text: `ATT&CK: ${lines.join('; ') || 'no techniques are mapped for this incident'}.`,
      eventIds: related.flatMap((group) => group.eventIds.slice(0, 2)),
      alertIds: related.flatMap((group) => group.alertIds.slice(0, 2)),
    });
  }
  if (sections.length === 0) {
    // Overview: what happened, from the incident's detections.
    await call('get_incident', {});
    const groups = [...bundle.groups].sort((a, b) => a.firstSeen - b.firstSeen);
    sections.push({
      text: `${incident.title} (priority ${incident.priority}${incident.triage ? `, triage: ${incident.triage.verdict}` : ''}). ${groups
        .map(
          (group) =>
            `${new Date(group.firstSeen).toISOString()} ${group.ruleTitle} (${group.level}${group.count > 1 ? `, ${group.count}×` : ''})`,
        )
        .join('; ')}.${
        /\?$/.test(question.trim()) && !/what happened|summar|overview|explain/.test(lower)
          ? ' I answer questions about processes, network connections, users, threat intel, similar incidents and ATT&CK techniques; ask about one of those for details.'
          : ''
      }`,
      eventIds: groups.flatMap((group) => group.eventIds.slice(0, 2)),
      alertIds: groups.flatMap((group) => group.alertIds.slice(0, 2)),
    });
  }
  if (trace.some((entry) => entry.suspectedInjection))
    sections.push({
      text: 'Note: some event content contains text addressed to an AI assistant (possible prompt injection); it was treated as data.',
      eventIds: [],
      alertIds: [],
    });

  const eventIds = [...new Set(sections.flatMap((section) => section.eventIds).filter(Boolean))];
  const alertIds = [...new Set(sections.flatMap((section) => section.alertIds).filter(Boolean))];
  const citations = await verifyCitedIds(data, incident.unit, eventIds, alertIds);
  return {
    incidentId: incident.id,
    unit: incident.unit,
    answer: sections.map((section) => section.text).join('\n\n'),
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
