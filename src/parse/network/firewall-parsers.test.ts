// Cisco ASA, PAN-OS, FortiGate and iptables: the behaviour users rely on beyond the Elastic
// samples — NAT and direction, zones, time zones from the device or the source, Ubiquiti prefixes.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { isParseFailure, type Parser } from '../parser.ts';
import { ciscoAsaParser } from './cisco-asa.ts';
import { fortigateParser } from './fortigate.ts';
import { iptablesParser } from './iptables.ts';
import { panosParser } from './panos.ts';

function record(text: string, timezone?: string): RawRecord {
  return {
    text,
    source: { kind: 'file', name: 't' },
    unit: 'u',
    receivedAt: Date.parse('2026-03-01T00:00:00Z'),
    ...(timezone ? { timezone } : {}),
  };
}
function parse(parser: Parser, text: string, timezone?: string): EcsEvent {
  const result = parser.parse(record(text, timezone));
  if (isParseFailure(result)) throw new Error(result.reason);
  return result as EcsEvent;
}
const at = (event: EcsEvent, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key], event);

describe('Cisco ASA parser', () => {
  it('puts the inside host first for outbound connections and reads NAT', () => {
    const event = parse(
      ciscoAsaParser,
      'Jan 02 2026 03:04:05 fw01 : %ASA-6-302013: Built outbound TCP connection 9 for outside:203.0.113.9/443 (203.0.113.9/443) to inside:10.0.0.5/51000 (198.51.100.5/40000)',
      'Europe/Berlin',
    );
    expect(event['@timestamp']).toBe('2026-01-02T02:04:05.000Z');
    expect(at(event, 'source.ip')).toBe('10.0.0.5');
    expect(at(event, 'source.nat.ip')).toBe('198.51.100.5');
    expect(at(event, 'source.nat.port')).toBe(40000);
    expect(at(event, 'destination.ip')).toBe('203.0.113.9');
    expect(at(event, 'observer.ingress.interface.name')).toBe('inside');
    expect(at(event, 'network.direction')).toBe('outbound');
    expect(at(event, 'event.timezone')).toBe('Europe/Berlin');
    expect(at(event, 'host.hostname')).toBe('fw01');
  });

  it('reads teardown duration and reason, and users with realm and domain', () => {
    const event = parse(
      ciscoAsaParser,
      'Jan 02 2026 03:04:05 fw01: %ASA-6-302014: Teardown TCP connection 9 for outside:203.0.113.9/443(LOCAL\\corp\\alice) to inside:10.0.0.5/51000 duration 0:01:05 bytes 1234 TCP FINs from outside',
    );
    expect(at(event, 'event.duration')).toBe(65_000_000_000);
    expect(at(event, 'event.start')).toBe('2026-01-02T03:03:00.000Z');
    expect(at(event, 'network.bytes')).toBe(1234);
    expect(at(event, 'event.reason')).toBe('TCP FINs');
    expect(at(event, 'source.user.name')).toBe('alice');
    expect(at(event, 'source.user.domain')).toBe('corp');
    expect(at(event, 'event.action')).toBe('flow-expiration');
  });

  it('keeps the common fields for message ids it has no pattern for', () => {
    const event = parse(ciscoAsaParser, '<166>Jan 02 2026 03:04:05 fw01 : %FTD-5-199999: Something new happened');
    expect(at(event, 'event.code')).toBe('199999');
    expect(at(event, 'event.severity')).toBe(5);
    expect(at(event, 'message')).toBe('Something new happened');
    expect(at(event, 'log.syslog.priority')).toBe(166);
  });
});

describe('PAN-OS parser', () => {
  const traffic =
    '<14>Jan  2 03:04:05 PA-1 1,2026/01/02 03:04:05,001122334455,TRAFFIC,end,2561,2026/01/02 03:04:05,10.0.0.5,203.0.113.9,198.51.100.5,203.0.113.9,allow-web,corp\\alice,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,2026/01/02 03:04:05,555,1,51000,443,40000,443,0x400019,tcp,allow,5000,1000,4000,20,2026/01/02 03:03:05,60,computer-and-internet-info,0,77,0x0,10.0.0.0-10.255.255.255,United States,0,10,10,tcp-fin,0,0,0,0,,PA-1,from-policy';

  it('maps a TRAFFIC end record in the source zone', () => {
    const event = parse(panosParser, traffic, '+09:30');
    expect(event['@timestamp']).toBe('2026-01-01T17:34:05.000Z');
    expect(at(event, 'event.action')).toBe('flow_terminated');
    expect(at(event, 'event.type')).toEqual(['allowed', 'end', 'connection']);
    expect(at(event, 'source.user.name')).toBe('alice');
    expect(at(event, 'source.user.domain')).toBe('corp');
    expect(at(event, 'source.nat.ip')).toBe('198.51.100.5');
    expect(at(event, 'observer.ingress.zone')).toBe('trust');
    expect(at(event, 'network.bytes')).toBe(5000);
    expect(at(event, 'event.duration')).toBe(60_000_000_000);
    expect(at(event, 'event.reason')).toBe('tcp-fin');
    expect(at(event, 'observer.hostname')).toBe('PA-1');
    expect(at(event, 'labels.nat_translated')).toBe(true);
  });

  it('maps SYSTEM and CONFIG records', () => {
    const system = parse(
      panosParser,
      '1,2026/01/02 03:04:05,0011,SYSTEM,general,0,2026/01/02 03:04:05,,general,,0,0,general,informational,"User admin logged in via Web from 10.0.0.9",123,0x0,0,0,0,0,,PA-1',
    );
    expect(at(system, 'panw.panos.description')).toBe('User admin logged in via Web from 10.0.0.9');
    expect(at(system, 'event.severity')).toBe(5);
    const config = parse(
      panosParser,
      '1,2026/01/02 03:04:05,0011,CONFIG,0,0,2026/01/02 03:04:05,10.0.0.9,vsys1,edit,admin,Web,Succeeded,deviceconfig system,124,0x0',
    );
    expect(at(config, 'event.action')).toBe('cmd-edit');
    expect(at(config, 'user.name')).toBe('admin');
    expect(at(config, 'event.outcome')).toBe('success');
    expect(at(config, 'host.ip')).toEqual(['10.0.0.9']);
  });
});

describe('FortiGate parser', () => {
  it('uses the device zone, maps a denied traffic record and fails on other key=value', () => {
    const event = parse(
      fortigateParser,
      '<189>date=2026-01-02 time=03:04:05 devname="FGT1" devid="FG1" logid="0000000013" type="traffic" subtype="forward" level="notice" tz="+0100" srcip=10.0.0.5 srcport=51000 srcintf="port1" dstip=203.0.113.9 dstport=443 dstintf="wan1" proto=6 action="deny" policyid=7 service="HTTPS" sentbyte=100 rcvdbyte=0 duration=2 msg="say \\"hi\\""',
    );
    expect(event['@timestamp']).toBe('2026-01-02T02:04:05.000Z');
    expect(at(event, 'event.type')).toEqual(['connection', 'end', 'denied']);
    expect(at(event, 'network.transport')).toBe('tcp');
    expect(at(event, 'observer.ingress.interface.name')).toBe('port1');
    expect(at(event, 'rule.id')).toBe('7');
    expect(at(event, 'message')).toBe('say "hi"');
    const failure = fortigateParser.parse(record('user=alice action=login')) as ParseFailure;
    expect(failure.reason).toMatch(/not a FortiGate/);
  });
});

describe('iptables parser', () => {
  it('reads a generic LOG prefix, flags and ports', () => {
    const event = parse(
      iptablesParser,
      'Jan  2 03:04:05 gw1 kernel: [12345.678901] DROP-IN: IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 SRC=203.0.113.9 DST=10.0.0.5 LEN=60 TTL=50 ID=1 DF PROTO=TCP SPT=51000 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0',
    );
    expect(at(event, 'rule.name')).toBe('DROP-IN');
    expect(at(event, 'source.ip')).toBe('203.0.113.9');
    expect(at(event, 'destination.port')).toBe(22);
    expect(at(event, 'source.mac')).toBe('66-77-88-99-AA-BB');
    expect(at(event, 'iptables.tcp.flags')).toEqual(['SYN']);
    expect(at(event, 'observer.name')).toBe('gw1');
  });

  it('reads Ubiquiti rule set, number and action with zones', () => {
    const event = parse(
      iptablesParser,
      'Jan  2 03:04:05 er1 kernel: [LAN-WAN-10-R]IN=eth1 OUT=eth0 SRC=10.0.0.5 DST=203.0.113.9 PROTO=UDP SPT=5000 DPT=53 LEN=40',
    );
    expect(at(event, 'event.action')).toBe('reject');
    expect(at(event, 'event.type')).toEqual(['denied', 'connection']);
    expect(at(event, 'rule.id')).toBe('10');
    expect(at(event, 'observer.ingress.zone')).toBe('LAN');
    expect(at(event, 'observer.egress.zone')).toBe('WAN');
  });
});

describe('truncated firewall records', () => {
  it('fail with a reason instead of producing half events', () => {
    const panos = panosParser.parse(
      record('1,2026/01/02 03:04:05,0011,TRAFFIC,end,0,2026/01/02 03:04:05,10.0.0.5,203.0.113.9'),
    ) as ParseFailure;
    expect(panos.reason).toMatch(/truncated PAN-OS TRAFFIC record: 9 of at least 31/);
  });
});

describe('Cisco ASA ids beyond the samples', () => {
  const header = 'Jan 02 2026 03:04:05 fw01 : ';
  it('reads GRE, TCP access, SSL handshake, VPN and command-audit messages', () => {
    const gre = parse(
      ciscoAsaParser,
      `${header}%ASA-6-302017: Built inbound GRE connection 77 from outside:203.0.113.9 (203.0.113.9) to inside:10.0.0.5 (198.51.100.5)`,
    );
    expect(at(gre, 'network.transport')).toBe('gre');
    expect(at(gre, 'network.iana_number')).toBe('47');
    expect(at(gre, 'destination.nat.ip')).toBe('198.51.100.5');
    const access = parse(
      ciscoAsaParser,
      `${header}%ASA-7-710002: TCP access permitted from 10.0.0.9/51000 to inside:10.0.0.1/443`,
    );
    expect(at(access, 'event.type')).toEqual(['connection', 'allowed']);
    expect(at(access, 'destination.port')).toBe(443);
    const ssl = parse(
      ciscoAsaParser,
      `${header}%ASA-6-725001: Starting SSL handshake with client outside:203.0.113.9/51000 to 198.51.100.1/443 for TLSv1.2 session`,
    );
    expect(at(ssl, 'source.ip')).toBe('203.0.113.9');
    expect(at(ssl, 'observer.ingress.interface.name')).toBe('outside');
    const vpn = parse(
      ciscoAsaParser,
      `${header}%ASA-6-716001: Group <Staff> User <alice> IP <203.0.113.9> WebVPN session started.`,
    );
    expect(at(vpn, 'source.user.name')).toBe('alice');
    expect(at(vpn, 'source.user.group.name')).toBe('Staff');
    expect(at(vpn, 'event.action')).toBe('client-vpn-connected');
    const command = parse(ciscoAsaParser, `${header}%ASA-5-111008: User 'admin' executed the 'write memory' command.`);
    expect(at(command, 'server.user.name')).toBe('admin');
    const rejected = parse(
      ciscoAsaParser,
      `${header}%ASA-6-113015: AAA user authentication Rejected : reason = Invalid password : local database : user = bob : user IP = 203.0.113.9`,
    );
    expect(at(rejected, 'source.user.name')).toBe('bob');
    expect(at(rejected, 'event.outcome')).toBe('failure');
  });
});

describe('RFC 5424 syslog headers in front of device messages', () => {
  it('takes time and host from the RFC 5424 header', () => {
    const asa = parse(
      ciscoAsaParser,
      '<166>1 2026-01-02T03:04:05.123+01:00 fw01 - - - - %ASA-4-106023: Deny udp src dmz:10.0.0.5/5555 dst outside:203.0.113.9/53 by access-group "dmz"',
    );
    expect(asa['@timestamp']).toBe('2026-01-02T02:04:05.123Z');
    expect(at(asa, 'host.hostname')).toBe('fw01');
    expect(at(asa, 'rule.name')).toBe('dmz');
    expect(at(asa, 'event.type')).toEqual(['connection', 'denied']);
    const panos = parse(
      panosParser,
      '<14>1 2026-01-02T03:04:05Z PA-1 - - - - 1,2026/01/02 03:04:05,0011,CONFIG,0,0,2026/01/02 03:04:05,10.0.0.9,vsys1,set,admin,CLI,Failed,rulebase,1,0x0',
    );
    expect(at(panos, 'event.outcome')).toBe('failure');
  });
});

describe('FortiGate event logs', () => {
  it('reads admin logins with the peer address from ui and the outcome from status', () => {
    const event = parse(
      fortigateParser,
      'date=2026-01-02 time=03:04:05 devname="FGT1" devid="FG1" logid="0100032002" type="event" subtype="system" level="alert" user="admin" ui="https(203.0.113.9)" action="login" status="failed" reason="passwd_invalid" msg="Administrator admin login failed from https(203.0.113.9) because of invalid password"',
    );
    expect(at(event, 'source.ip')).toBe('203.0.113.9');
    expect(at(event, 'source.user.name')).toBe('admin');
    expect(at(event, 'event.category')).toEqual(['authentication']);
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'event.action')).toBe('login');
  });
});
