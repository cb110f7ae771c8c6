// "Ask" without an LLM: common hunting questions ("failed logons for alice in the last 24
// hours", "powershell on fin-ws01 yesterday", "connections to 203.0.113.66") become a query of
// our query language plus a time range, by patterns over the question. Anything unrecognised
// becomes a full-text search of the question's significant words, so there is always a query.
import { validateQuery } from '../store/query/validate-query.ts';

export interface TranslatedQuery {
  readonly query: string;
  readonly from?: number;
  readonly to?: number;
  readonly explanation: string;
  /** How many parts of the question were understood (0 = only the full-text fallback). */
  readonly understood: number;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const unitMs: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: minute,
  min: minute,
  minute,
  h: hour,
  hr: hour,
  hour,
  d: day,
  day,
  w: 7 * day,
  week: 7 * day,
  month: 30 * day,
};

function quoteValue(value: string): string {
  return /^[\w.@-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

function timeRange(question: string, now: number): { from?: number; to?: number; text?: string } {
  const text = question.toLowerCase();
  const last =
    /\b(?:in the |during the |over the |for the )?(?:last|past|previous)\s+(\d+)?\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?)\b/.exec(
      text,
    );
  if (last) {
    const amount = Number(last[1] ?? 1);
    const name = last[2]!.replace(/s$/, '').replace(/^(sec|min|hr)s?$/, '$1');
    const size = unitMs[name] ?? unitMs[name.replace(/s$/, '')] ?? hour;
    return { from: now - amount * size, to: now, text: `the last ${amount} ${last[2]}` };
  }
  const shorthand = /\b(\d+)\s*(m|h|d|w)\b/.exec(text);
  if (shorthand && /\b(last|past|within)\b/.test(text)) {
    const amount = Number(shorthand[1]);
    return { from: now - amount * unitMs[shorthand[2]!]!, to: now, text: `the last ${shorthand[0]}` };
  }
  const midnight = Math.floor(now / day) * day;
  if (/\btoday\b/.test(text)) return { from: midnight, to: now, text: 'today (UTC)' };
  if (/\byesterday\b/.test(text)) return { from: midnight - day, to: midnight, text: 'yesterday (UTC)' };
  if (/\bthis week\b/.test(text)) return { from: now - 7 * day, to: now, text: 'the last 7 days' };
  return {};
}

interface Rule {
  readonly pattern: RegExp;
  readonly query: string;
  readonly says: string;
}

/** What is being looked for: the activity words of the question. */
const activities: readonly Rule[] = [
  {
    pattern:
      /\b(failed|failing|unsuccessful|bad)\s+(log\s?ons?|log\s?ins?|sign[- ]?ins?|authentications?|passwords?)\b|\b(log\s?on|log\s?in|authentication|sign[- ]?in)\s+failures?\b|\bbrute[- ]?force\b/,
    query: 'event.category:authentication AND event.outcome:failure',
    says: 'failed authentications',
  },
  {
    pattern: /\b(successful|succeeded)\s+(log\s?ons?|log\s?ins?|sign[- ]?ins?|authentications?)\b/,
    query: 'event.category:authentication AND event.outcome:success',
    says: 'successful authentications',
  },
  {
    pattern: /\b(log\s?ons?|log\s?ins?|sign[- ]?ins?|authentications?)\b/,
    query: 'event.category:authentication',
    says: 'authentications',
  },
  { pattern: /\bpowershell\b/, query: '(process.name:powershell.exe OR process.name:pwsh.exe)', says: 'PowerShell' },
  {
    pattern: /\b(processes|process creations?|processes started|programs? (run|started))\b/,
    query: '(event.code:1 OR event.code:4688)',
    says: 'process creations',
  },
  { pattern: /\bdns\b/, query: 'dns.question.name:*', says: 'DNS queries' },
  {
    pattern: /\b(services? (installed|created)|new services?)\b/,
    query: '(event.code:7045 OR event.code:4697)',
    says: 'service installations',
  },
  {
    pattern: /\b(accounts?|users?) (created|added)\b|\bnew (user|account)s?\b/,
    query: 'event.code:4720',
    says: 'user accounts created',
  },
  {
    pattern: /\b(log|logs|audit log) (was |were )?(cleared|wiped|deleted)\b/,
    query: '(event.code:1102 OR event.code:104)',
    says: 'event logs cleared',
  },
  {
    pattern: /\bscheduled tasks?\b/,
    query: '(event.code:4698 OR process.name:schtasks.exe)',
    says: 'scheduled tasks',
  },
  { pattern: /\bsudo\b/, query: 'process.name:sudo', says: 'sudo' },
  { pattern: /\bssh\b/, query: 'process.name:sshd', says: 'SSH' },
  {
    pattern: /\b(network )?connections?\b|\btraffic\b/,
    query: 'destination.ip:*',
    says: 'network connections',
  },
];

const ipPattern = /\b(\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?)\b/g;

/** Words that carry no search meaning in a question. */
const stopWords = new Set(
  'a an the of in on for by to from with and or not any all show me list find give what which who when where how many were was is are did do does there any events event logs log last past previous hours hour days day minutes minute weeks week today yesterday this that these those please search look get hunt query anything something everything about happened'.split(
    ' ',
  ),
);

export function questionToQuery(question: string, now: number = Date.now()): TranslatedQuery {
  const text = question.trim();
  const lower = text.toLowerCase();
  const parts: string[] = [];
  const explained: string[] = [];
  let understood = 0;

  const activity = activities.find((rule) => rule.pattern.test(lower));
  if (activity) {
    parts.push(activity.query);
    explained.push(activity.says);
    understood++;
  }

  // Entities named in the question. Users: "for alice", "by alice", "user alice", "account alice".
  const user =
    /\b(?:user(?:name)?|account)\s+["']?([\w.$@\\-]+)["']?/i.exec(text) ??
    /\b(?:for|by|of)\s+(?!the\b|host\b|ip\b|user\b|last\b|past\b)["']?([A-Za-z][\w.$-]*(?:@[\w.-]+)?)["']?(?=\s|$|[,.?])/i.exec(
      text,
    );
  const host =
    /\b(?:host|computer|machine|server|workstation)\s+["']?([\w.-]+)["']?/i.exec(text) ??
    /\bon\s+["']?([A-Za-z][\w-]*(?:-[\w-]+|\d[\w-]*)(?:\.[\w-]+)*)["']?/i.exec(text);
  if (user && !/^\d/.test(user[1]!) && !stopWords.has(user[1]!.toLowerCase())) {
    parts.push(`user.name:${quoteValue(user[1]!)}`);
    explained.push(`by user ${user[1]}`);
    understood++;
  }
  if (host && host[1] !== user?.[1] && !stopWords.has(host[1]!.toLowerCase())) {
    parts.push(`host.name:${quoteValue(host[1]!)}`);
    explained.push(`on host ${host[1]}`);
    understood++;
  }
  for (const match of text.matchAll(ipPattern)) {
    const before = lower.slice(Math.max(0, (match.index ?? 0) - 12), match.index);
    const field = /\bfrom\s*$|\bsource\s*$/.test(before)
      ? 'source.ip'
      : /\bto\s*$|\bdestination\s*$|\bcontact(ed|ing)?\s*$/.test(before)
        ? 'destination.ip'
        : undefined;
    parts.push(
      field
        ? `${field}:${match[1]}`
        : `(source.ip:${match[1]} OR destination.ip:${match[1]} OR related.ip:${match[1]})`,
    );
    explained.push(field ? `${field === 'source.ip' ? 'from' : 'to'} ${match[1]}` : `involving ${match[1]}`);
    understood++;
  }
  const port = /\bport\s+(\d{1,5})\b/i.exec(text);
  if (port) {
    parts.push(`destination.port:${port[1]}`);
    explained.push(`to port ${port[1]}`);
    understood++;
  }
  const domain =
    /\b((?:[a-z0-9-]+\.)+(?:com|net|org|io|ru|cn|info|biz|xyz|top|online|site|local|corp|example))\b/i.exec(text);
  if (domain && domain[1] !== host?.[1] && domain[1] !== user?.[1]) {
    parts.push(`(dns.question.name:${quoteValue(domain[1]!)} OR url.domain:${quoteValue(domain[1]!)})`);
    explained.push(`for domain ${domain[1]}`);
    understood++;
  }

  // "connections to 1.2.3.4" needs no separate "has a destination" term.
  if (activity?.query === 'destination.ip:*' && parts.length > 1) parts.shift();

  if (understood === 0) {
    // Nothing recognised: a full-text search of the significant words.
    const words = (lower.match(/[\p{L}\p{N}_.\\-]{3,}/gu) ?? []).filter((word) => !stopWords.has(word)).slice(0, 5);
    parts.push(...words.map((word) => quoteValue(word)));
    explained.push(words.length ? `events mentioning ${words.join(', ')}` : 'all events');
  }

  const range = timeRange(text, now);
  // A question without a time frame looks at the last 24 hours, as the console's default does.
  const from = range.from ?? now - day;
  const to = range.to ?? now;
  const query = parts.join(' AND ');
  const check = validateQuery(query, { now });
  return {
    query: check.ok ? query : '',
    from,
    to,
    explanation: `${explained.join(', ')} in ${range.text ?? 'the last 24 hours'}`,
    understood,
  };
}
