// Vigil's runtime configuration: defaults < file (`vigil.yaml` in the data dir, or --config) <
// environment (VIGIL_*) < command-line flags. Every key is validated once, at start-up, and an
// error names the key and where the bad value came from (file and line, variable or flag).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface VigilConfig {
  /** Directory holding the database and vigil.yaml (absolute). */
  readonly dataDir: string;
  /** The configuration file that was read, if any (absolute). */
  readonly configFile?: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** Largest accepted request body in bytes (after gzip decoding). */
    readonly bodyLimit: number;
  };
  readonly syslog: {
    readonly enabled: boolean;
    readonly host: string;
    /** 0 disables the listener. */
    readonly udpPort: number;
    readonly tcpPort: number;
    /** Unit the events of the syslog listeners are bound to. */
    readonly unit: string;
    /** Time zone for timestamps without one (IANA name or "+05:00"); empty = UTC. */
    readonly timezone: string;
    readonly maxMessageBytes: number;
    /** TLS listener (RFC 5425), started only when a certificate and key are given. */
    readonly tlsPort: number;
    readonly tlsCertFile: string;
    readonly tlsKeyFile: string;
    /** CA bundle: when set, senders must present a client certificate signed by it. */
    readonly tlsCaFile: string;
  };
  readonly retention: { readonly days: number };
  readonly pipeline: {
    readonly batchMaxEvents: number;
    readonly batchMaxWaitMs: number;
    readonly maxInFlight: number;
    readonly deadLetterMaxBytes: number;
  };
  readonly log: { readonly level: LogLevel };
  /** Sigma rule files/folders loaded in addition to Vigil's own content/rules. */
  readonly detection: { readonly rules: readonly string[] };
  /** Threat-intel files (STIX 2.1 bundles, MISP events, IOC lists). */
  readonly intel: { readonly feeds: readonly string[] };
  /** The MITRE ATT&CK Enterprise STIX bundle (enterprise-attack.json); empty = tags without names. */
  readonly attack: { readonly bundle: string };
  /** OpenAI-compatible endpoint of the digital analyst; empty base URL = the deterministic analyst. */
  readonly llm: {
    readonly baseUrl: string;
    readonly model: string;
    readonly apiKey: string;
    /** Budgets per investigation: model steps, input+output tokens, wall time. */
    readonly maxSteps: number;
    readonly maxTokens: number;
    readonly timeoutMs: number;
  };
  /**
   * Investigation jobs: automatic investigation threshold, concurrency and hourly limit, and when
   * an incident has grown enough since its last report to be investigated again automatically.
   */
  readonly analyst: {
    readonly autoPriority: number;
    readonly concurrency: number;
    readonly maxAutoPerHour: number;
    /** Priority points gained since the last report (0 = not on this ground). */
    readonly reinvestigatePriorityRise: number;
    /** A new ATT&CK tactic since the last report. */
    readonly reinvestigateOnNewTactic: boolean;
    /** Alert count at least this multiple of the last report's (0 = not on this ground)… */
    readonly reinvestigateAlertFactor: number;
    /** …and at least this many more alerts. */
    readonly reinvestigateMinNewAlerts: number;
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Kind =
  | { readonly type: 'string' }
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'bytes'; readonly min: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] };

interface Setting {
  readonly key: string;
  readonly kind: Kind;
  readonly default: string | number | boolean;
  readonly help: string;
}

const port = { type: 'integer', min: 0, max: 65_535 } as const;
const mib = 1024 * 1024;

/** Every configuration key, its type and default. Environment names derive from the key. */
export const settings: readonly Setting[] = [
  { key: 'dataDir', kind: { type: 'string' }, default: '.vigil', help: 'Data directory (database, vigil.yaml)' },
  { key: 'http.host', kind: { type: 'string' }, default: '127.0.0.1', help: 'HTTP listen address' },
  { key: 'http.port', kind: port, default: 8080, help: 'HTTP port (0 = any free port)' },
  { key: 'http.bodyLimit', kind: { type: 'bytes', min: 1024 }, default: 10 * mib, help: 'Largest request body' },
  { key: 'syslog.enabled', kind: { type: 'boolean' }, default: true, help: 'Start the syslog listeners' },
  { key: 'syslog.host', kind: { type: 'string' }, default: '127.0.0.1', help: 'Syslog listen address' },
  { key: 'syslog.udpPort', kind: port, default: 5514, help: 'Syslog UDP port (0 = off)' },
  { key: 'syslog.tcpPort', kind: port, default: 5514, help: 'Syslog TCP port (0 = off)' },
  { key: 'syslog.unit', kind: { type: 'string' }, default: 'default', help: 'Unit of syslog events' },
  { key: 'syslog.timezone', kind: { type: 'string' }, default: '', help: 'Time zone for zone-less timestamps' },
  {
    key: 'syslog.maxMessageBytes',
    kind: { type: 'bytes', min: 480 },
    default: 64 * 1024,
    help: 'Longest syslog message',
  },
  { key: 'syslog.tlsPort', kind: port, default: 6514, help: 'Syslog TLS port' },
  { key: 'syslog.tlsCertFile', kind: { type: 'string' }, default: '', help: 'PEM certificate for syslog TLS' },
  { key: 'syslog.tlsKeyFile', kind: { type: 'string' }, default: '', help: 'PEM key for syslog TLS' },
  { key: 'syslog.tlsCaFile', kind: { type: 'string' }, default: '', help: 'CA bundle for client certificates' },
  {
    key: 'retention.days',
    kind: { type: 'integer', min: 0, max: 36_500 },
    default: 30,
    help: 'Days to keep events (0 = forever)',
  },
  {
    key: 'pipeline.batchMaxEvents',
    kind: { type: 'integer', min: 1, max: 1_000_000 },
    default: 2000,
    help: 'Events per store write',
  },
  {
    key: 'pipeline.batchMaxWaitMs',
    kind: { type: 'integer', min: 0, max: 60_000 },
    default: 10,
    help: 'Longest wait to fill a store write',
  },
  {
    key: 'pipeline.maxInFlight',
    kind: { type: 'bytes', min: 64 * 1024 },
    default: 64 * mib,
    help: 'Record bytes held before pushing back',
  },
  {
    key: 'pipeline.deadLetterMaxBytes',
    kind: { type: 'bytes', min: 256 },
    default: 64 * 1024,
    help: 'Original text kept per dead letter',
  },
  {
    key: 'log.level',
    kind: { type: 'enum', values: ['debug', 'info', 'warn', 'error'] },
    default: 'info',
    help: 'Log level',
  },
  { key: 'detection.rules', kind: { type: 'string' }, default: '', help: 'Extra Sigma rule paths, comma-separated' },
  { key: 'intel.feeds', kind: { type: 'string' }, default: '', help: 'Threat-intel files, comma-separated' },
  { key: 'attack.bundle', kind: { type: 'string' }, default: '', help: 'ATT&CK enterprise-attack.json' },
  { key: 'llm.baseUrl', kind: { type: 'string' }, default: '', help: 'OpenAI-compatible API base URL' },
  { key: 'llm.model', kind: { type: 'string' }, default: '', help: 'Model name for the digital analyst' },
  { key: 'llm.apiKey', kind: { type: 'string' }, default: '', help: 'API key of the LLM endpoint' },
  {
    key: 'llm.maxSteps',
    kind: { type: 'integer', min: 1, max: 100 },
    default: 12,
    help: 'Model steps (tool rounds) per investigation',
  },
  {
    key: 'llm.maxTokens',
    kind: { type: 'integer', min: 1000, max: 100_000_000 },
    default: 200_000,
    help: 'Input+output tokens per investigation',
  },
  {
    key: 'llm.timeoutMs',
    kind: { type: 'integer', min: 1000, max: 3_600_000 },
    default: 120_000,
    help: 'Wall time per investigation (ms)',
  },
  {
    key: 'analyst.autoPriority',
    kind: { type: 'integer', min: 0, max: 100 },
    default: 70,
    help: 'Investigate open incidents at or above this priority automatically (0 = off)',
  },
  {
    key: 'analyst.concurrency',
    kind: { type: 'integer', min: 1, max: 32 },
    default: 1,
    help: 'Investigations running at once',
  },
  {
    key: 'analyst.maxAutoPerHour',
    kind: { type: 'integer', min: 0, max: 100_000 },
    default: 30,
    help: 'Automatic investigations started per rolling hour',
  },
  {
    key: 'analyst.reinvestigatePriorityRise',
    kind: { type: 'integer', min: 0, max: 100 },
    default: 10,
    help: 'Investigate again when the priority rose this much since the last report (0 = off)',
  },
  {
    key: 'analyst.reinvestigateOnNewTactic',
    kind: { type: 'boolean' },
    default: true,
    help: 'Investigate again when an ATT&CK tactic was added since the last report',
  },
  {
    key: 'analyst.reinvestigateAlertFactor',
    kind: { type: 'integer', min: 0, max: 1000 },
    default: 2,
    help: "Investigate again when the alert count reached this multiple of the last report's (0 = off)",
  },
  {
    key: 'analyst.reinvestigateMinNewAlerts',
    kind: { type: 'integer', min: 1, max: 1_000_000 },
    default: 5,
    help: '…and grew by at least this many alerts',
  },
];

/** "a, b,,c" → ["a", "b", "c"]. */
function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `http.bodyLimit` → `VIGIL_HTTP_BODY_LIMIT`. */
export function environmentName(key: string): string {
  return `VIGIL_${key
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

const byteUnits: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: mib,
  mb: mib,
  mib,
  g: 1024 * mib,
  gb: 1024 * mib,
  gib: 1024 * mib,
};

/** Parse a size such as 10485760, "10MB", "512 KiB" (binary multiples). Undefined if malformed. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = byteUnits[match[2]!.toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

function coerce(setting: Setting, value: unknown, origin: string): string | number | boolean {
  const { kind, key } = setting;
  const fail = (expected: string): never => {
    throw new ConfigError(`${origin}: ${key} must be ${expected} (got ${JSON.stringify(value)})`);
  };
  switch (kind.type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      return fail('a string');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|yes|on|1)$/i.test(value)) return true;
      if (typeof value === 'string' && /^(false|no|off|0)$/i.test(value)) return false;
      return fail('true or false');
    case 'integer': {
      const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < kind.min || number > kind.max) {
        return fail(`an integer from ${kind.min} to ${kind.max}`);
      }
      return number;
    }
    case 'bytes': {
      const bytes = parseBytes(value);
      if (bytes === undefined || bytes < kind.min) return fail(`a size of at least ${kind.min} bytes, e.g. 10MB`);
      return bytes;
    }
    case 'enum':
      if (typeof value === 'string' && kind.values.includes(value)) return value;
      return fail(`one of ${kind.values.join(', ')}`);
  }
}

export interface LoadConfigOptions {
  /** Values from command-line flags, by key (`http.port`), with the flag name for messages. */
  readonly flags?: Readonly<Record<string, { readonly value: unknown; readonly flag: string } | undefined>>;
  /** A configuration file named on the command line (--config). */
  readonly configFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

interface FileValues {
  readonly file: string;
  readonly values: Map<string, { value: unknown; line: number }>;
}

function readConfigFile(file: string): FileValues {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read configuration file (${(error as Error).message})`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = document.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw new ConfigError(`${file}:${line}: invalid YAML: ${syntax.message.split('\n')[0]}`);
  }
  const root: unknown = document.toJS();
  const values = new Map<string, { value: unknown; line: number }>();
  if (root === null || root === undefined) return { file, values };
  if (typeof root !== 'object' || Array.isArray(root)) {
    throw new ConfigError(`${file}:1: the configuration must be a mapping of keys`);
  }
  const known = new Set(settings.map((setting) => setting.key));
  const sections = new Set(settings.map((setting) => setting.key.split('.')[0]!));
  const lineOf = (keyPath: string[]) => {
    const node = document.getIn(keyPath, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  };
  const visit = (object: Record<string, unknown>, prefix: string[]) => {
    for (const [name, value] of Object.entries(object)) {
      const keyPath = [...prefix, name];
      const key = keyPath.join('.');
      if (known.has(key)) {
        values.set(key, { value, line: lineOf(keyPath) });
      } else if (
        prefix.length === 0 &&
        sections.has(name) &&
        value &&
        typeof value === 'object' &&
        !Array.isArray(value)
      ) {
        visit(value as Record<string, unknown>, keyPath);
      } else {
        throw new ConfigError(`${file}:${lineOf(keyPath)}: unknown configuration key '${key}'`);
      }
    }
  };
  visit(root as Record<string, unknown>, []);
  return { file, values };
}

/** Resolve the configuration. Throws ConfigError naming the key and the origin of a bad value. */
export function loadConfig(options: LoadConfigOptions = {}): VigilConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const flags = options.flags ?? {};
  const resolved = new Map<string, string | number | boolean>();
  for (const setting of settings) resolved.set(setting.key, setting.default);

  // The data dir decides where the default vigil.yaml lives, so it is looked at first.
  const dataDirSetting = settings[0]!;
  const earlyDataDir =
    flags['dataDir']?.value ?? env[environmentName('dataDir')] ?? env['VIGIL_DATA'] ?? dataDirSetting.default;
  const explicitFile = options.configFile ?? env['VIGIL_CONFIG'];
  const defaultFile = path.resolve(cwd, String(earlyDataDir), 'vigil.yaml');
  const file = explicitFile ? path.resolve(cwd, explicitFile) : existsSync(defaultFile) ? defaultFile : undefined;

  let fileDataDirBase = cwd;
  if (file) {
    const fileValues = readConfigFile(file);
    for (const setting of settings) {
      const entry = fileValues.values.get(setting.key);
      if (entry) resolved.set(setting.key, coerce(setting, entry.value, `${file}:${entry.line}`));
    }
    if (fileValues.values.has('dataDir')) fileDataDirBase = path.dirname(file);
  }
  let dataDirBase = fileDataDirBase;
  for (const setting of settings) {
    const name = environmentName(setting.key);
    const value = env[name] ?? (setting.key === 'dataDir' ? env['VIGIL_DATA'] : undefined);
    if (value !== undefined && value !== '') {
      resolved.set(setting.key, coerce(setting, value, `environment variable ${name}`));
      if (setting.key === 'dataDir') dataDirBase = cwd;
    }
  }
  for (const setting of settings) {
    const flag = flags[setting.key];
    if (flag && flag.value !== undefined) {
      resolved.set(setting.key, coerce(setting, flag.value, `command-line flag ${flag.flag}`));
      if (setting.key === 'dataDir') dataDirBase = cwd;
    }
  }

  const get = <T extends string | number | boolean>(key: string) => resolved.get(key) as T;
  return {
    dataDir: path.resolve(dataDirBase, get<string>('dataDir')),
    ...(file ? { configFile: file } : {}),
    http: { host: get('http.host'), port: get('http.port'), bodyLimit: get('http.bodyLimit') },
    syslog: {
      enabled: get('syslog.enabled'),
      host: get('syslog.host'),
      udpPort: get('syslog.udpPort'),
      tcpPort: get('syslog.tcpPort'),
      unit: get('syslog.unit'),
      timezone: get('syslog.timezone'),
      maxMessageBytes: get('syslog.maxMessageBytes'),
      tlsPort: get('syslog.tlsPort'),
      tlsCertFile: get('syslog.tlsCertFile'),
      tlsKeyFile: get('syslog.tlsKeyFile'),
      tlsCaFile: get('syslog.tlsCaFile'),
    },
    retention: { days: get('retention.days') },
    pipeline: {
      batchMaxEvents: get('pipeline.batchMaxEvents'),
      batchMaxWaitMs: get('pipeline.batchMaxWaitMs'),
      maxInFlight: get('pipeline.maxInFlight'),
      deadLetterMaxBytes: get('pipeline.deadLetterMaxBytes'),
    },
    log: { level: get<LogLevel>('log.level') },
    detection: { rules: list(get<string>('detection.rules')).map((item) => path.resolve(cwd, item)) },
    intel: { feeds: list(get<string>('intel.feeds')).map((item) => path.resolve(cwd, item)) },
    attack: { bundle: get<string>('attack.bundle') ? path.resolve(cwd, get<string>('attack.bundle')) : '' },
    llm: {
      baseUrl: get<string>('llm.baseUrl'),
      model: get<string>('llm.model'),
      apiKey: get<string>('llm.apiKey'),
      maxSteps: get('llm.maxSteps'),
      maxTokens: get('llm.maxTokens'),
      timeoutMs: get('llm.timeoutMs'),
    },
    analyst: {
      autoPriority: get('analyst.autoPriority'),
      concurrency: get('analyst.concurrency'),
      maxAutoPerHour: get('analyst.maxAutoPerHour'),
      reinvestigatePriorityRise: get('analyst.reinvestigatePriorityRise'),
      reinvestigateOnNewTactic: get('analyst.reinvestigateOnNewTactic'),
      reinvestigateAlertFactor: get('analyst.reinvestigateAlertFactor'),
      reinvestigateMinNewAlerts: get('analyst.reinvestigateMinNewAlerts'),
    },
  };
}

/** The database file inside the data directory. */
export function databasePath(config: Pick<VigilConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'vigil.duckdb');
}
