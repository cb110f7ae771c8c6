// Replays recorded attack telemetry onto a simulated host and time: every timestamp moves by
// the same offset (keeping the attack's own rhythm) and the recorded computer name becomes the
// victim's. Works on the raw record text, before parsing, for the evtx-as-JSON and flat shapes.

const timeFields = [
  'SystemTime',
  'UtcTime',
  '@timestamp',
  'TimeCreated',
  'EventTime',
  'timestamp',
  'CreationUtcTime',
  'ts',
];
const hostFields = ['Computer', 'Hostname', 'computer_name', 'ComputerName', 'host'];

type Json = Record<string, unknown>;

/** Parse a timestamp as evtx exporters write them (ISO with up to 7 decimals, or "YYYY-MM-DD hh:mm:ss.fff" UTC). */
export function parseRecordTime(value: string): number | undefined {
  let text = value.trim();
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(text)) text = `${text.replace(' ', 'T')}Z`;
  text = text.replace(/(\.\d{3})\d+/, '$1');
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

function formatLike(original: string, time: number): string {
  const iso = new Date(time).toISOString();
  if (/^\d{4}-\d{2}-\d{2} /.test(original)) return iso.replace('T', ' ').replace('Z', '');
  const decimals = /\.(\d+)/.exec(original)?.[1]?.length ?? 0;
  const base = iso.slice(0, 19);
  const fraction = decimals ? `.${iso.slice(20, 23).padEnd(decimals, '0').slice(0, decimals)}` : '';
  return original.endsWith('Z') || !/[+-]\d{2}:?\d{2}$/.test(original)
    ? `${base}${fraction}Z`
    : `${base}${fraction}${original.slice(-6)}`;
}

/** The earliest time in a record (for computing the offset of a whole scenario). */
export function recordTime(record: Json): number | undefined {
  let earliest: number | undefined;
  const visit = (value: unknown, depth: number) => {
    if (depth > 4 || typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value as Json)) {
      if (timeFields.includes(key)) {
        const text =
          typeof child === 'string'
            ? child
            : typeof child === 'object' && child
              ? (child as Json).SystemTime
              : undefined;
        const time =
          typeof text === 'string'
            ? parseRecordTime(text)
            : typeof child === 'number' && key === 'ts'
              ? child * 1000
              : undefined;
        if (time !== undefined && (earliest === undefined || time < earliest)) earliest = time;
      } else visit(child, depth + 1);
    }
  };
  visit(record, 0);
  return earliest;
}

/**
 * Move one record: shift its timestamps by `offsetMs` and rename the computer to `host`.
 * Returns the new record text, or undefined when the text is not a JSON object.
 */
export function relocateRecord(
  text: string,
  options: { offsetMs: number; host?: string; originalHosts?: ReadonlySet<string> },
): string | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
  const originals = new Set<string>();
  const visit = (value: Json, depth: number) => {
    if (depth > 4) return;
    for (const [key, child] of Object.entries(value)) {
      if (timeFields.includes(key)) {
        if (typeof child === 'string') {
          const time = parseRecordTime(child);
          if (time !== undefined) value[key] = formatLike(child, time + options.offsetMs);
        } else if (typeof child === 'number' && key === 'ts') {
          value[key] = child + options.offsetMs / 1000;
        } else if (typeof child === 'object' && child !== null) visit(child as Json, depth + 1);
      } else if (options.host && hostFields.includes(key) && typeof child === 'string') {
        originals.add(child);
        value[key] = options.host;
      } else if (typeof child === 'object' && child !== null && !Array.isArray(child)) visit(child as Json, depth + 1);
    }
  };
  visit(record as Json, 0);
  let relocated = JSON.stringify(record);
  // Names of the recorded computer inside other fields (User "PC01\\admin", SourceHostname) follow too.
  const host = options.host;
  if (host) {
    const victimShort = host.split('.')[0]!;
    for (const original of new Set([...originals, ...(options.originalHosts ?? [])])) {
      const short = original.split('.')[0]!;
      if (short.length < 3) continue;
      const escaped = short.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      relocated = relocated.replace(
        new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?:\\.[A-Za-z0-9-]+)*(?![A-Za-z0-9_-])`, 'gi'),
        // A fully qualified name becomes the victim's full name, a short one its short name.
        (found) => (found.includes('.') ? host : victimShort),
      );
    }
  }
  return relocated;
}
