// FortiGate traffic, UTM and event logs as users' devices write them: the ECS fields Elastic's
// integration fills, from lines written for these tests.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject } from '../../model/event.ts';
import { at, parseText } from '../parse-test-support.ts';
import { fortigateParser, isPrivateAddress, sniffFortigate } from './fortigate.ts';

const parse = (text: string): EcsEvent => parseText(fortigateParser, text);

describe('FortiGate traffic logs', () => {
  const closed =
    'date=2026-02-03 time=04:05:06 logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" eventtime=1770091506123456789 srcip=192.168.7.20 srcport=50100 srcintf="lan1" dstip=198.51.100.40 dstport=443 dstintf="wan1" poluuid="11111111-2222-3333-4444-555555555555" proto=6 action="close" policyid=4 policytype="policy" service="HTTPS" transip=203.0.113.2 transport=50100 app="HTTPS.BROWSER" appcat="Web.Client" duration=3 sentbyte=100 rcvdbyte=900 sentpkt=2 rcvdpkt=3 utmaction="allow" srcmac="0a:1b:2c:3d:4e:5f"';

  it('is recognised without the device header and maps the session', () => {
    expect(sniffFortigate(closed)).toBe(true);
    const event = parse(closed);
    expect(at(event, 'event.action')).toBe('close');
    expect(at(event, 'event.outcome')).toBe('success');
    expect(at(event, 'event.type')).toEqual(['connection', 'end', 'protocol']);
    expect(at(event, 'event.start')).toBe('2026-02-03T04:05:06.123Z');
    expect(at(event, 'rule.uuid')).toBe('11111111-2222-3333-4444-555555555555');
    expect(at(event, 'rule.ruleset')).toBe('policy');
    expect(at(event, 'rule.category')).toBe('Web-Client');
    expect(at(event, 'network.application')).toBe('HTTPS.BROWSER');
    expect(at(event, 'network.packets')).toBe(5);
    expect(at(event, 'network.bytes')).toBe(1000);
    expect(at(event, 'source.mac')).toBe('0A-1B-2C-3D-4E-5F');
    expect(at(event, 'source.nat.ip')).toBe('203.0.113.2');
    expect(at(event, 'related.ip')).toEqual(['192.168.7.20', '198.51.100.40', '203.0.113.2']);
  });

  it('derives the direction from private and public addresses when the device gives none', () => {
    expect(at(parse(closed), 'network.direction')).toBe('outbound');
    const inside = parse(closed.replace('dstip=198.51.100.40', 'dstip=10.9.8.7'));
    expect(at(inside, 'network.direction')).toBe('internal');
    const outside = parse(closed.replace('srcip=192.168.7.20', 'srcip=203.0.113.50'));
    expect(at(outside, 'network.direction')).toBe('external');
    expect(isPrivateAddress('172.20.1.1')).toBe(true);
    expect(isPrivateAddress('172.32.1.1')).toBe(false);
    expect(isPrivateAddress('fd12::1')).toBe(true);
  });

  it('marks a denied session denied, not allowed', () => {
    const event = parse(closed.replace('action="close"', 'action="deny"').replace(' utmaction="allow"', ''));
    expect(at(event, 'event.type')).toEqual(['connection', 'end', 'denied']);
  });
});

describe('FortiGate UTM logs', () => {
  it('maps DNS queries and answers', () => {
    const event = parse(
      '<189>date=2026-02-03 time=04:05:06 devname="edge1" devid="FGT0001" logid="1501054802" type="utm" subtype="dns" eventtype="dns-response" level="notice" vd="root" tz="+0100" policyid=9 srcip=192.168.7.20 srcport=5353 dstip=192.168.7.1 dstport=53 proto=17 profile="dnsprof" xid=77 qname="www.shop.example.co.uk" qtype="A" qclass="IN" ipaddr="198.51.100.7, 198.51.100.8" msg="Domain is monitored" action="pass" catdesc="Shopping"',
    );
    expect(event['@timestamp']).toBe('2026-02-03T03:05:06.000Z');
    expect(at(event, 'event.action')).toBe('dns-response');
    expect(at(event, 'event.type')).toEqual(['info', 'allowed']);
    expect(at(event, 'dns.id')).toBe('77');
    expect(at(event, 'dns.question.registered_domain')).toBe('example.co.uk');
    expect(at(event, 'dns.question.top_level_domain')).toBe('co.uk');
    expect(at(event, 'dns.question.subdomain')).toBe('www.shop');
    expect(at(event, 'dns.resolved_ip')).toEqual(['198.51.100.7', '198.51.100.8']);
    expect(at(event, 'related.ip')).toEqual(['192.168.7.20', '192.168.7.1', '198.51.100.7', '198.51.100.8']);
    expect(at(event, 'related.hosts')).toEqual(['www.shop.example.co.uk']);
    expect(at(event, 'rule.category')).toBe('Shopping');
    expect(at(event, 'rule.ruleset')).toBe('dnsprof');
    expect(at(event, 'log.syslog.priority')).toBe(189);
  });

  it('maps web filter blocks, users and TLS details', () => {
    const event = parse(
      'date=2026-02-03 time=04:05:06 devname="edge1" logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" user="carol" group="staff" srcip=192.168.7.20 dstip=198.51.100.9 dstport=443 proto=6 service="HTTPS" hostname="games.example.net" url="/play?level=2" action="blocked" tlsver="tls1.3" scertcname="games.example.net" msg="URL belongs to a denied category"',
    );
    expect(at(event, 'event.type')).toEqual(['denied']);
    expect(at(event, 'event.outcome')).toBe('success');
    expect(at(event, 'source.user.name')).toBe('carol');
    expect(at(event, 'source.user.group.name')).toBe('staff');
    expect(at(event, 'url.domain')).toBe('games.example.net');
    expect(at(event, 'url.path')).toBe('/play');
    expect(at(event, 'url.query')).toBe('level=2');
    expect(at(event, 'tls.version')).toBe('1.3');
    expect(at(event, 'tls.version_protocol')).toBe('tls');
    expect(at(event, 'tls.server.x509.subject.common_name')).toEqual(['games.example.net']);
    expect(at(event, 'related.user')).toEqual(['carol']);
  });
});

describe('FortiGate event logs', () => {
  it('takes the remote VPN peer as the source and the EAP user as its user', () => {
    const event = parse(
      'date=2026-02-03 time=04:05:06 devname="edge1" logid="0101037141" type="event" subtype="vpn" level="notice" logdesc="IPsec tunnel statistics" msg="IPsec tunnel statistics" action="tunnel-stats" remip=203.0.113.77 locip=198.51.100.1 remport=4500 locport=4500 user="203.0.113.77" group="N/A" eapuser="dave" assignip=10.20.0.5 duration=60 sentbyte=500 rcvdbyte=200',
    );
    expect(at(event, 'source.ip')).toBe('203.0.113.77');
    expect(at(event, 'source.port')).toBe(4500);
    expect(at(event, 'source.bytes')).toBe(200);
    expect(at(event, 'source.user.name')).toBe('dave');
    expect(at(event, 'source.user.group')).toBeUndefined();
    expect(at(event, 'destination.ip')).toBe('198.51.100.1');
    expect(at(event, 'destination.bytes')).toBe(500);
    expect(at(event, 'event.category')).toEqual(['network']);
    expect(at(event, 'event.type')).toEqual(['connection']);
    expect(at(event, 'rule.description')).toBe('IPsec tunnel statistics');
    expect(at(event, 'network.direction')).toBe('external');
    expect(at(event, 'related.ip')).toEqual(['203.0.113.77', '198.51.100.1', '10.20.0.5']);
  });

  it('reads the role, user and outcome of an admin login from its message', () => {
    const event = parse(
      'date=2026-02-03 time=04:05:06 devname="edge1" logid="0100032002" type="event" subtype="system" level="alert" logdesc="Admin login failed" user="erin" ui="ssh(192.168.7.30)" action="login" status="failed" reason="passwd_invalid" msg="Administrator erin login failed from ssh(192.168.7.30) because of invalid password"',
    );
    expect(at(event, 'event.action')).toBe('login');
    expect(at(event, 'event.category')).toEqual(['authentication']);
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'event.reason')).toBe('passwd_invalid');
    expect(at(event, 'user.name')).toBe('erin');
    expect(at(event, 'user.roles')).toEqual(['Administrator']);
    expect(at(event, 'source.user.roles')).toEqual(['Administrator']);
    expect(at(event, 'source.ip')).toBe('192.168.7.30');
  });

  it('reads failed SSH logins and stays fast on long login-like messages', () => {
    const ssh = parse(
      'date=2026-02-03 time=04:05:06 devname="edge1" logid="0100032003" type="event" subtype="system" level="alert" msg="Login from ssh: Failed for mallory from 203.0.113.5 port 40222"',
    );
    expect(at(ssh, 'event.outcome')).toBe('failure');
    expect(at(ssh, 'user.name')).toBe('mallory');
    expect(at(ssh, 'source.ip')).toBe('203.0.113.5');
    expect(at(ssh, 'source.port')).toBe(40222);
    const started = performance.now();
    parse(
      `date=2026-02-03 time=04:05:06 devid="FGT0001" logid="0100032001" type="event" msg="Administrator ${'x '.repeat(50_000)}login ${'y from '.repeat(20_000)}"`,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('starts and ends FSSO sessions and counts performance statistics as host events', () => {
    const logon = parse(
      'date=2026-02-03 time=04:05:06 devname="edge1" logid="0102043014" type="event" subtype="user" level="notice" srcip=192.168.7.21 user="frank" action="FSSO-logon" msg="FSSO-logon event: user frank logged on 192.168.7.21"',
    );
    expect(at(logon, 'event.type')).toEqual(['start']);
    expect(at(logon, 'event.outcome')).toBe('success');
    expect(at(logon, 'event.category')).toEqual(['authentication']);
    const stats = parse(
      'date=2026-02-03 time=04:05:06 devname="edge1" logid="0100040704" type="event" subtype="system" level="notice" action="perf-stats" cpu=3 msg="Performance statistics"',
    );
    expect(at(stats, 'event.category')).toEqual(['host']);
    expect(at(stats, 'event.type')).toEqual(['info']);
    expect(at(stats, 'event.action')).toBeUndefined();
  });

  it('takes the SD-WAN event type as the action and drops N/A values', () => {
    const event = parse(
      'date=2026-02-03 time=04:05:06 logid="0113022923" type="event" subtype="sdwan" level="notice" tz="-0700" logdesc="Virtual WAN Link status" eventtype="Health Check" healthcheck="probe1" user="N/A" msg="Number of pass member changed."',
    );
    expect(at(event, 'event.action')).toBe('Health Check');
    expect(at(event, 'event.timezone')).toBe('-0700');
    expect(at(event, 'source.user')).toBeUndefined();
    expect(at(event, 'fortinet.firewall.healthcheck')).toBe('probe1');
  });
});

describe('FortiGate lines damaged in transit', () => {
  it('keeps a value cut at the end of the line and text glued to a closing quote', () => {
    const cut = parse(
      'date=2026-02-03 time=04:05:06 devid="FGT0001" logid="0100020002" type="event" msg="cut in the mid',
    );
    expect(at(cut, 'message')).toBe('cut in the mid');
    expect(at(cut, 'observer.serial_number')).toBe('FGT0001');
    const glued = parse('date=2026-02-03 time=04:05:06 devid="FGT0001" logid="0100020002" type="event" msg="done"|');
    expect(at(glued, 'message')).toBe('done"|');
  });

  it('ignores control bytes and keys that are not words', () => {
    const event = parse(
      'date=2026-02-03 time=04:05:06 devid="FGT0001" logid="0000000013" type="traffic" srcip=10.0.0.1 dstip=10.0.0.2 action="accept" \u0004\u0000 a<b=c\u0001',
    );
    expect(at(event, 'source.ip')).toBe('10.0.0.1');
    expect(Object.keys(at(event, 'fortinet.firewall') as JsonObject)).not.toContain('a<b');
  });
});
