// The tools an investigator (the deterministic plan or an LLM) may call: typed, read-only,
// scoped to the incident's unit, with results summarised and bounded in size so a model sees
// the facts that matter and never a flood. Event content is data: outputs are wrapped as such.
import { z } from 'zod';
import type { EcsEvent } from '../model/event.ts';
import type { StoredEvent } from '../model/query.ts';
import type { UnitScope } from '../model/unit.ts';
import type { IncidentBundle, InvestigationData } from './investigation-data.ts';

export interface ToolContext {
  readonly data: InvestigationData;
  readonly scope: UnitScope;
  readonly bundle: IncidentBundle;
  readonly now: number;
}

export interface AnalystTool<Input = unknown> {
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodType<Input>;
  run(input: Input, context: ToolContext): Promise<unknown>;
}

/** Largest tool output handed to a model, in characters. */
export const maxToolOutput = 6000;

function get(event: EcsEvent, path: string): unknown {
  let value: unknown = event;
  for (const part of path.split('.'))
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

const summaryFields = [
  'event.code',
  'event.action',
  'host.name',
  'user.name',
  'process.executable',
  'process.command_line',
  'process.parent.executable',
  'process.entity_id',
  'process.parent.entity_id',
  'source.ip',
  'destination.ip',
  'destination.port',
  'dns.question.name',
  'url.full',
  'file.path',
  'registry.path',
];

/** The facts of an event an investigator needs, without the bulk. */
export function summariseEvent(stored: StoredEvent): Record<string, unknown> {
  const summary: Record<string, unknown> = { id: stored.id, time: stored.event['@timestamp'] };
  for (const field of summaryFields) {
    const value = get(stored.event, field);
    if (value !== undefined && value !== null && value !== '')
      summary[field] = typeof value === 'string' ? value.slice(0, 300) : value;
  }
  if (stored.event.message) summary.message = String(stored.event.message).slice(0, 300);
  return summary;
}

/** JSON of a tool result, cut to the size bound with an explicit note. */
export function boundOutput(result: unknown): string {
  const text = JSON.stringify(result);
  if (text.length <= maxToolOutput) return text;
  return `${text.slice(0, maxToolOutput)}… [truncated: ${text.length - maxToolOutput} more characters; narrow the query]`;
}

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/** A value as a bare query term (so a wildcard may follow): special characters escaped. */
function escapeTerm(value: string): string {
  return value.replace(/([\\*?:()"\s!&|{}[\]<>=^~])/g, '\\$1').replace(/^-/, '\\-');
}

/**
 * Events of a host: incidents name hosts by their short name (fin-ws007) while events often carry
 * the fully qualified one (fin-ws007.corp.example), so both forms match.
 */
export function hostQuery(host: string): string {
  const short = host.split('.')[0]!;
  return `(host.name:${quote(host)} OR host.name:${escapeTerm(short)}.*)`;
}

function hostsOf(bundle: IncidentBundle): string[] {
  return bundle.incident.entities.filter((entity) => entity.kind === 'host').map((entity) => entity.value);
}

const hours = (value: number | undefined, fallback: number) =>
  Math.min(Math.max(value ?? fallback, 0.1), 24 * 7) * 3_600_000;

const searchEvents: AnalystTool<{ query: string; hoursBefore?: number; hoursAfter?: number; limit?: number }> = {
  name: 'search_events',
  description:
    "Search the unit's stored events with Vigil's query language (field:value, wildcards, AND/OR/NOT, ranges), in a window around the incident. Returns event summaries with ids to cite.",
  schema: z.object({
    query: z.string().max(2000).describe('e.g. host.name:ws-042 AND process.name:powershell.exe'),
    hoursBefore: z.number().optional().describe('hours before the incident start (default 2)'),
    hoursAfter: z.number().optional().describe('hours after the incident end (default 2)'),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  async run(input, context) {
    const { incident } = context.bundle;
    const page = await context.data.searchEvents(context.scope, {
      query: input.query,
      from: incident.firstSeen - hours(input.hoursBefore, 2),
      to: incident.lastSeen + hours(input.hoursAfter, 2),
      limit: input.limit ?? 20,
      order: 'asc',
    });
    return { total: page.total, events: page.events.map(summariseEvent) };
  },
};

const getIncident: AnalystTool<Record<string, never>> = {
  name: 'get_incident',
  description:
    'The incident under investigation: title, priority, triage, entities, ATT&CK tactics, and its alert groups with rule names, levels, authors and alert ids.',
  schema: z.object({}),
  async run(_input, context) {
    const { incident, groups } = context.bundle;
    return {
      id: incident.id,
      title: incident.title,
      priority: incident.priority,
      firstSeen: new Date(incident.firstSeen).toISOString(),
      lastSeen: new Date(incident.lastSeen).toISOString(),
      triage: incident.triage && {
        verdict: incident.triage.verdict,
        confidence: incident.triage.confidence,
        reasons: incident.triage.reasons.map((reason) => reason.text),
      },
      entities: incident.entities,
      tactics: incident.tactics,
      groups: groups.map((group) => ({
        rule: group.ruleTitle,
        level: group.level,
        author: group.ruleAuthor,
        count: group.count,
        first: new Date(group.firstSeen).toISOString(),
        last: new Date(group.lastSeen).toISOString(),
        alertIds: group.alertIds.slice(0, 5),
        eventIds: group.eventIds.slice(0, 5),
      })),
    };
  },
};

const getAlerts: AnalystTool<{ ids: string[] }> = {
  name: 'get_alerts',
  description: 'Details of alerts by id: rule, level, ATT&CK mapping, matched event summary.',
  schema: z.object({ ids: z.array(z.string()).min(1).max(20) }),
  async run(input, context) {
    const alerts = await context.data.getAlerts(context.scope, input.ids);
    return alerts.map((alert) => ({
      id: alert.id,
      time: alert['@timestamp'],
      rule: alert.rule.title,
      level: alert.rule.level,
      author: alert.rule.author,
      techniques: alert.attack?.techniques.map((technique) => `${technique.id} ${technique.name ?? ''}`.trim()),
      intel: alert.intel,
      event: alert.event ? summariseEvent({ id: alert.eventIds[0] ?? '', event: alert.event }) : undefined,
    }));
  },
};

const entityTimeline: AnalystTool<{
  kind: 'host' | 'user' | 'ip' | 'process' | 'file' | 'domain';
  value: string;
  limit?: number;
}> = {
  name: 'entity_timeline',
  description:
    'Events involving one entity (host, user, ip, process, file hash, domain) around the incident, oldest first.',
  schema: z.object({
    kind: z.enum(['host', 'user', 'ip', 'process', 'file', 'domain']),
    value: z.string().min(1).max(300),
    limit: z.number().int().min(1).max(50).optional(),
  }),
  async run(input, context) {
    const value = quote(input.value);
    const queries: Record<typeof input.kind, string> = {
      host: hostQuery(input.value),
      user: `user.name:${value}`,
      ip: `source.ip:${value} OR destination.ip:${value}`,
      process: `process.entity_id:${value} OR process.parent.entity_id:${value}`,
      file: `file.hash.sha256:${value} OR process.hash.sha256:${value} OR file.path:${value}`,
      domain: `dns.question.name:${value} OR url.domain:${value} OR destination.domain:${value}`,
    };
    return searchEvents.run(
      { query: queries[input.kind], limit: input.limit ?? 30, hoursBefore: 4, hoursAfter: 4 },
      context,
    );
  },
};

const processTree: AnalystTool<{ host: string }> = {
  name: 'process_tree',
  description: 'Process creations on a host around the incident as a parent → child tree (Sysmon 1 / Security 4688).',
  schema: z.object({ host: z.string().min(1).max(255) }),
  async run(input, context) {
    const page = await context.data.searchEvents(context.scope, {
      query: `${hostQuery(input.host)} AND (event.code:1 OR event.code:4688)`,
      from: context.bundle.incident.firstSeen - 2 * 3_600_000,
      to: context.bundle.incident.lastSeen + 3_600_000,
      limit: 200,
      order: 'asc',
    });
    const nodes = page.events.map((stored) => ({
      id: stored.id,
      time: stored.event['@timestamp'],
      entity: String(get(stored.event, 'process.entity_id') ?? ''),
      parent: String(get(stored.event, 'process.parent.entity_id') ?? ''),
      executable: get(stored.event, 'process.executable'),
      commandLine: String(get(stored.event, 'process.command_line') ?? '').slice(0, 200),
      parentExecutable: get(stored.event, 'process.parent.executable'),
      user: get(stored.event, 'user.name'),
    }));
    const byEntity = new Set(nodes.map((node) => node.entity));
    const render = (node: (typeof nodes)[number], depth: number): string[] => {
      const line = `${'  '.repeat(depth)}${node.executable ?? '?'} [${node.id}] ${node.commandLine}`;
      const children = nodes.filter((child) => child.parent && child.parent === node.entity && child !== node);
      return depth > 8 ? [line] : [line, ...children.flatMap((child) => render(child, depth + 1))];
    };
    const roots = nodes.filter((node) => !node.parent || !byEntity.has(node.parent));
    return { processes: nodes.length, tree: roots.flatMap((root) => render(root, 0)).slice(0, 80) };
  },
};

const networkConnections: AnalystTool<{ host: string }> = {
  name: 'network_connections',
  description: 'Outbound and inbound network connections of a host around the incident, with destination counts.',
  schema: z.object({ host: z.string().min(1).max(255) }),
  async run(input, context) {
    const page = await context.data.searchEvents(context.scope, {
      query: `${hostQuery(input.host)} AND destination.ip:*`,
      from: context.bundle.incident.firstSeen - 2 * 3_600_000,
      to: context.bundle.incident.lastSeen + 2 * 3_600_000,
      limit: 200,
      order: 'asc',
    });
    const destinations = new Map<string, { count: number; first: string; eventId: string; process?: unknown }>();
    for (const stored of page.events) {
      const key = `${get(stored.event, 'destination.ip')}:${get(stored.event, 'destination.port') ?? ''}`;
      const known = destinations.get(key);
      if (known) known.count++;
      else
        destinations.set(key, {
          count: 1,
          first: stored.event['@timestamp'],
          eventId: stored.id,
          process: get(stored.event, 'process.executable'),
        });
    }
    return {
      connections: page.total,
      destinations: [...destinations].map(([destination, info]) => ({ destination, ...info })).slice(0, 40),
    };
  },
};

const assetLookup: AnalystTool<{ host?: string; ip?: string }> = {
  name: 'asset_lookup',
  description: 'Inventory facts for a host name or IP address: owner, criticality, OS, unit.',
  schema: z.object({ host: z.string().max(255).optional(), ip: z.string().max(64).optional() }),
  async run(input, context) {
    const assets = await context.data.assets(context.scope, input);
    return assets.slice(0, 5);
  },
};

const unitLookup: AnalystTool<Record<string, never>> = {
  name: 'unit_lookup',
  description:
    'The organisational unit the incident belongs to: name, parent unit, its networks and host name patterns, attention threshold.',
  schema: z.object({}),
  async run(_input, context) {
    // Only the incident's own unit: the tool cannot be pointed at another tenant.
    const unit = await context.data.unit(context.bundle.incident.unit);
    return unit ?? { id: context.bundle.incident.unit, error: 'no unit record (events were bound to the id only)' };
  },
};

const intelLookup: AnalystTool<{ value: string }> = {
  name: 'intel_lookup',
  description: 'Threat-intelligence matches for an IP, domain, URL or file hash: source, confidence, threat name.',
  schema: z.object({ value: z.string().min(1).max(2048) }),
  async run(input, context) {
    return { value: input.value, matches: await context.data.intel(input.value) };
  },
};

const attackTechnique: AnalystTool<{ id: string }> = {
  name: 'attack_technique',
  description: 'MITRE ATT&CK technique by id (T1059.001): name and tactics.',
  schema: z.object({ id: z.string().regex(/^T\d{4}(\.\d{3})?$/i) }),
  async run(input, context) {
    return context.data.technique(input.id) ?? { id: input.id, error: 'unknown technique id' };
  },
};

const similarIncidents: AnalystTool<Record<string, never>> = {
  name: 'similar_incidents',
  description: 'Past incidents of this unit with the same rules or entities, and the verdicts analysts gave them.',
  schema: z.object({}),
  async run(_input, context) {
    const similar = await context.data.similarIncidents(context.scope, context.bundle.incident, 5);
    return similar.map((incident) => ({
      id: incident.id,
      title: incident.title,
      status: incident.status,
      analystVerdict: incident.analystVerdict,
      triage: incident.triage?.verdict,
    }));
  },
};

const retroHunt: AnalystTool<{ rule: string; hours?: number }> = {
  name: 'retro_hunt_sigma',
  description:
    "Run a Sigma rule (YAML) over the stored events of the incident's hosts for the last hours; returns match count and event ids.",
  schema: z.object({ rule: z.string().min(10).max(20_000), hours: z.number().min(1).max(720).optional() }),
  async run(input, context) {
    if (!context.data.retroHunt) return { error: 'retro-hunting is not available in this deployment' };
    const to = context.bundle.incident.lastSeen + 3_600_000;
    return context.data.retroHunt(
      context.scope,
      input.rule,
      hostsOf(context.bundle),
      to - (input.hours ?? 24) * 3_600_000,
      to,
    );
  },
};

/** Every tool; inputs are validated against each tool's schema before it runs. */
export const analystTools: readonly AnalystTool<unknown>[] = [
  getIncident,
  getAlerts,
  searchEvents,
  entityTimeline,
  processTree,
  networkConnections,
  assetLookup,
  unitLookup,
  intelLookup,
  attackTechnique,
  similarIncidents,
  retroHunt,
] as unknown as readonly AnalystTool<unknown>[];

export const toolsByName = new Map(analystTools.map((tool) => [tool.name, tool]));

/** Run a tool by name with untrusted input: schema-checked, errors as values. */
export async function runTool(
  name: string,
  input: unknown,
  context: ToolContext,
): Promise<{ output: string; error?: string }> {
  const tool = toolsByName.get(name);
  if (!tool) return { output: JSON.stringify({ error: `unknown tool ${name}` }), error: `unknown tool ${name}` };
  const parsed = tool.schema.safeParse(input ?? {});
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`)
      .join('; ');
    return { output: JSON.stringify({ error: `invalid input: ${message}` }), error: message };
  }
  try {
    return { output: boundOutput(await tool.run(parsed.data, context)) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { output: JSON.stringify({ error: message }), error: message };
  }
}
