// The hostile records every parser must survive: empty and binary text, invalid UTF-8, huge lines,
// deeply nested JSON, prototype-polluting keys, broken CEF/LEEF/syslog, type-confused JSON shaped
// like a neighbouring format, and timestamps outside the range a Date can print.
import type { JsonObject } from '../../src/model/event.ts';

export interface HostileInput {
  readonly name: string;
  /** Built lazily: some inputs are 16 MB. */
  readonly text: () => string;
  /** When set, the record also carries the decoded object (as HEC or NDJSON transports deliver it). */
  readonly withJson?: boolean;
  /** Wall-clock budget for one parse, in milliseconds. */
  readonly budgetMs: number;
}

const megabyte = 1024 * 1024;
const smallBudget = 500;
const largeBudget = 1000;
const hugeBudget = 2000;

function cached(build: () => string): () => string {
  let value: string | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

function small(name: string, text: string, withJson = false): HostileInput {
  return { name, text: () => text, withJson, budgetMs: smallBudget };
}

const deepObject = cached(() => `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
const deepArray = cached(() => `{"events":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
const deepValue = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/**
 * Records valid enough for a parser to accept, carrying a hostile payload where parsers copy vendor
 * fields: a copy that keeps 100k levels makes the event impossible to serialise (RangeError in the store).
 */
const validWithPayload: Record<string, () => string> = {
  'suricata eve with 100k-level alert.metadata': () =>
    `{"timestamp":"2026-01-01T00:00:00.000000+0000","event_type":"alert","src_ip":"10.0.0.1","src_port":1,"dest_ip":"10.0.0.2","dest_port":2,"proto":"TCP","alert":{"signature_id":1,"signature":"x","severity":1,"metadata":${deepValue(100_000)}}}`,
  'zeek notice with 100k-level field': () =>
    `{"ts":1320435875.879278,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":1,"id.resp_h":"10.0.0.2","id.resp_p":2,"note":"Scan::Port_Scan","msg":"x","extra":${deepValue(100_000)}}`,
  'winlogbeat with 100k-level event_data': () =>
    `{"@timestamp":"2026-01-01T00:00:00.000Z","winlog":{"channel":"Security","event_id":4688,"provider_name":"Microsoft-Windows-Security-Auditing","computer_name":"h","event_data":{"CommandLine":${deepValue(100_000)}}},"event":{"code":"4688"}}`,
  'suricata eve with a 200k-element array': () =>
    `{"timestamp":"2026-01-01T00:00:00.000000+0000","event_type":"alert","src_ip":"10.0.0.1","dest_ip":"10.0.0.2","proto":"TCP","alert":{"signature_id":1,"signature":"x","severity":1,"metadata":{"tag":[${'"t",'.repeat(200_000)}"t"]}}}`,
  'zeek with 100k distinct addresses in one field': () =>
    `{"ts":1320435875.879278,"uid":"C1","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","note":"x","msg":"x","dst":"10.0.0.3","peer_descr":"${Array.from({ length: 100_000 }, (_, index) => `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`).join(' ')}"}`,
};

/** JSON objects shaped like the formats we parse, with the types an attacker (or a broken shipper) chooses. */
const neighbourShapes: Record<string, JsonObject> = {
  'suricata eve, wrong types': { timestamp: 12, event_type: 'alert', src_ip: {}, dest_port: 'x', alert: 'string' },
  'suricata eve, timestamp past year 275760': {
    timestamp: '999999-01-01T00:00:00.000000+0000',
    event_type: 'alert',
    src_ip: '10.0.0.1',
    dest_ip: '10.0.0.2',
    proto: 'TCP',
    alert: { signature_id: 'x', severity: 'high', signature: null },
  },
  'suricata eve, flow with nulls': { timestamp: null, event_type: 'flow', flow: null, src_ip: null },
  'zeek, ts not a number': { ts: 'yesterday', uid: 5, 'id.orig_h': [], 'id.orig_p': {}, note: 7 },
  'zeek, ts beyond Date range': { ts: 1e20, uid: 'C1', 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2' },
  'zeek, negative ts': { ts: -1e16, uid: 'C1', note: 'Scan::Port_Scan', msg: 'x' },
  'cloudtrail, wrong types': {
    eventVersion: '1.08',
    eventTime: 'not a time',
    eventSource: null,
    eventName: 5,
    userIdentity: 'root',
    sourceIPAddress: ['1.2.3.4'],
    requestParameters: 'x',
  },
  'cloudtrail, Records wrapper of garbage': { Records: [1, 'two', null, { eventTime: {} }] },
  'winlogbeat, wrong types': { '@timestamp': 'nope', winlog: { event_id: 'abc', event_data: 'str', channel: 5 } },
  'winlogbeat, null winlog': { '@timestamp': '2026-01-01T00:00:00Z', winlog: null, event: { code: [] } },
  'winlog xml-ish keys': { Event: { System: { EventID: {}, TimeCreated: { SystemTime: 'x' } }, EventData: [] } },
  'ecs, impossible timestamp': { '@timestamp': '2026-13-45T99:99:99Z', event: 'string', source: 'x', message: {} },
  'ecs, tenant in the data': { '@timestamp': '2026-01-01T00:00:00.000Z', unit: 'victim-unit', message: 'x' },
  'ecs, numeric timestamp out of range': { '@timestamp': 8.64e15 + 1, message: 'x' },
  'hec envelope with nested garbage': { time: 'x', host: [], sourcetype: {}, event: { event: { event: null } } },
};

export function hostileInputs(): HostileInput[] {
  const inputs: HostileInput[] = [
    small('empty line', ''),
    small('whitespace only', ' \t  \t '),
    small('CR and LF only', '\r\n\r\n'),
    small('binary bytes', Array.from({ length: 256 }, (_, code) => String.fromCharCode(code)).join('')),
    small('NUL bytes', '\u0000'.repeat(64)),
    small(
      'invalid UTF-8 decoded by Node',
      Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x28, 0x8c, 0xbc]).toString(
        'utf8',
      ),
    ),
    small('lone surrogates and line separators', '\ud800 a=\udfff \u2028\u2029 |\ufeff'),
    {
      name: '16 MB line of letters',
      text: cached(() => 'A'.repeat(16 * megabyte)),
      budgetMs: hugeBudget,
    },
    {
      name: '16 MB syslog message',
      text: cached(() => `<13>Jan  5 20:17:05 host app[1]: ${'x '.repeat(8 * megabyte)}`),
      budgetMs: hugeBudget,
    },
    {
      name: '16 MB JSON string value',
      text: cached(() => `{"message":"${'y'.repeat(16 * megabyte)}","event_type":"alert"}`),
      withJson: true,
      budgetMs: hugeBudget,
    },
    { name: '1 MB of =', text: cached(() => '='.repeat(megabyte)), budgetMs: largeBudget },
    { name: '1 MB of |', text: cached(() => '|'.repeat(megabyte)), budgetMs: largeBudget },
    { name: '1 MB of spaces', text: cached(() => ' '.repeat(megabyte)), budgetMs: largeBudget },
    {
      name: '1 MB of commas (CSV)',
      text: cached(() => `1,2026/01/01 00:00:00,0,THREAT${','.repeat(megabyte)}`),
      budgetMs: largeBudget,
    },
    { name: '1 MB of backslash-quotes', text: cached(() => `"${'\\"'.repeat(megabyte / 2)}`), budgetMs: largeBudget },
    {
      name: 'access log with 200 KB of request tokens',
      text: cached(() => `1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] "${'a '.repeat(100_000)}`),
      budgetMs: largeBudget,
    },
    {
      name: 'key=value flood',
      text: cached(() => `date=2026-01-01 time=00:00:00 ${'k= '.repeat(200_000)}`),
      budgetMs: largeBudget,
    },
    { name: 'deeply nested JSON object (100k levels)', text: deepObject, withJson: true, budgetMs: largeBudget },
    { name: 'deeply nested JSON array (100k levels)', text: deepArray, withJson: true, budgetMs: largeBudget },
    { name: 'deeply nested JSON object, text only', text: deepObject, budgetMs: largeBudget },
    small('__proto__ key', '{"__proto__":{"polluted":1}}', true),
    small(
      'constructor.prototype keys',
      '{"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}}',
      true,
    ),
    small(
      '__proto__ inside a format-shaped object',
      '{"timestamp":"2026-01-01T00:00:00.000000+0000","event_type":"alert","src_ip":"10.0.0.1","__proto__":{"polluted":1},"alert":{"__proto__":{"polluted":1},"signature":"x"},"winlog":{"event_data":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}}',
      true,
    ),
    small('__proto__ as key=value', 'date=2026-01-01 time=00:00:00 __proto__=1 constructor=2 prototype=3 polluted=4'),
    small(
      'CEF with unescaped = and |',
      'CEF:0|Ven|dor|Prod|1.0|100|name|with|pipes|5|src=1.2.3.4 msg=a=b=c cs1=x|y =bare',
    ),
    small('CEF truncated header', 'CEF:0|Vendor|Prod'),
    small('CEF prototype keys', 'CEF:0|V|P|1|1|n|5|__proto__=1 constructor=2 prototype=3'),
    small('LEEF 1.0 with unescaped =', 'LEEF:1.0|V|P|1.0|id|src=1.2.3.4\tmsg=a=b=c\t=x\tk=|'),
    small('LEEF 2.0 with odd delimiter', 'LEEF:2.0|V|P|1.0|id|xZZ|srcZZ=1.2.3.4\u0000'),
    small('LEEF truncated', 'LEEF:2.0|'),
    small('syslog priority only', '<13>'),
    small('syslog truncated priority', '<13'),
    small('syslog huge priority', '<99999999999999999999>Jan  5 20:17:05 host app: x'),
    small('syslog truncated timestamp', '<134>Jan'),
    small(
      'syslog impossible date',
      '<13>Feb 31 99:99:99 host sshd[1]: Accepted password for root from 1.2.3.4 port 22 ssh2',
    ),
    small('RFC 5424 truncated', '<134>1 2026-'),
    small('RFC 5424 impossible timestamp', '<134>1 99999-99-99T99:99:99Z host app - - - msg'),
    small('RFC 5424 unterminated structured data', '<134>1 2026-01-01T00:00:00Z h a - - [id k="v'),
    small('syslog header then nothing', 'Jan  5 20:17:05 MainFirewall kernel:'),
    small('iptables keys without values', 'Jan  5 20:17:05 fw kernel: IN= OUT= MAC= SRC= DST= LEN= PROTO= SPT= DPT='),
    small('ASA tag truncated', 'Apr 17 2020 14:08:08 asa : %ASA-6-302016:'),
    small('ASA message cut mid-address', '%ASA-6-302016: Teardown UDP connection 1 for outside:10.0.0.1/'),
    small('PAN-OS CSV with few fields', '1,2026/01/01 00:00:00,0,THREAT'),
    small('fortigate impossible time', 'date=2026-99-99 time=99:99:99 devname="fw" type="traffic" tz="+9999"'),
    small('access log truncated', '1.2.3.4 - - ['),
    small('access log impossible date', '1.2.3.4 - - [99/Foo/9999:99:99:99 +9999] "GET / HTTP/1.1" 200 - "-" "-"'),
    small('apache error truncated', '[Mon Dec 26 16:22:08'),
    small('JSON number', '12345', true),
    small('JSON array', '[1,2,3]'),
    small('JSON string', '"just a string"'),
    small('JSON null', 'null'),
    small('JSON with trailing garbage', '{"event_type":"alert"} trailing'),
  ];
  for (const [name, build] of Object.entries(validWithPayload)) {
    inputs.push({ name, text: cached(build), withJson: true, budgetMs: largeBudget });
  }
  for (const [name, shape] of Object.entries(neighbourShapes)) {
    inputs.push(small(`JSON: ${name}`, JSON.stringify(shape), true));
  }
  return inputs;
}
