// netfilter LOG lines beyond the plain TCP case: ICMP errors quoting another packet, protocols
// named by number, LOG-prefix actions, Ubiquiti labels and journald entries shipped as JSON.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject } from '../../model/event.ts';
import { at, parseText } from '../parse-test-support.ts';
import { iptablesParser, sniffIptables } from './iptables.ts';
import { communityId } from './network-fields.ts';

const parse = (text: string, json?: JsonObject): EcsEvent => parseText(iptablesParser, text, { json });

describe('iptables ICMP and protocol numbers', () => {
  it('keeps the outer packet of an ICMP error and hashes its type and code', () => {
    const event = parse(
      'Feb  3 04:05:06 gw2 kernel: IN=eth1 OUT= SRC=198.51.100.3 DST=10.1.1.9 LEN=88 TOS=0x00 PREC=0x00 TTL=60 ID=7 PROTO=ICMP TYPE=3 CODE=1 [SRC=10.1.1.9 DST=198.51.100.77 LEN=60 TTL=50 ID=0 PROTO=TCP SPT=40000 DPT=8443 ]',
    );
    expect(at(event, 'source.ip')).toBe('198.51.100.3');
    expect(at(event, 'destination.ip')).toBe('10.1.1.9');
    expect(at(event, 'destination.port')).toBeUndefined();
    expect(at(event, 'network.transport')).toBe('icmp');
    expect(at(event, 'network.community_id')).toMatch(/^1:/);
    expect(at(event, 'network.community_id')).toBe(communityId(1, '198.51.100.3', '10.1.1.9', 3, 1));
    expect(at(event, 'iptables.id')).toBe(7);
  });

  it('reads echo id and sequence apart from the IP id, and ICMPv6 as ipv6-icmp', () => {
    const echo = parse(
      'Feb  3 04:05:06 gw2 kernel: IN=eth1 OUT= SRC=10.1.1.2 DST=10.1.1.3 LEN=84 TTL=64 ID=11 PROTO=ICMP TYPE=8 CODE=0 ID=4242 SEQ=5',
    );
    expect(at(echo, 'iptables.id')).toBe(11);
    expect(at(echo, 'iptables.icmp.id')).toBe(4242);
    expect(at(echo, 'iptables.icmp.seq')).toBe(5);
    const six = parse(
      'Feb  3 04:05:06 gw2 kernel: IN= OUT=eth0 SRC=fd00::1 DST=fd00::2 LEN=104 TC=0 HOPLIMIT=64 FLOWLBL=12 PROTO=ICMPv6 TYPE=128 CODE=0 ID=9 SEQ=1',
    );
    expect(at(six, 'network.transport')).toBe('ipv6-icmp');
    expect(at(six, 'iptables.flow_label')).toBe(12);
    expect(at(six, 'iptables.ttl')).toBe(64);
  });

  it('puts a numeric PROTO in network.iana_number, not network.transport', () => {
    const event = parse(
      '<4>Feb  3 04:05:06 edge kernel: [wan-local-default-D]IN=eth0 OUT= SRC=203.0.113.4 DST=198.51.100.1 LEN=77 TTL=235 ID=1 PROTO=47',
    );
    expect(at(event, 'network.iana_number')).toBe('47');
    expect(at(event, 'network.community_id')).toMatch(/^1:/);
    expect(at(event, 'network.transport')).toBeUndefined();
    expect(at(event, 'network.community_id')).toBe(
      communityId(47, '203.0.113.4', '198.51.100.1', undefined, undefined),
    );
    expect(at(event, 'event.type')).toEqual(['denied', 'connection']);
  });
});

describe('iptables LOG prefixes', () => {
  it('takes the action from "iptables ACTION:" after the kernel tag', () => {
    const event = parse(
      'Feb  3 04:05:06 web3 kernel: iptables DROP_INPUT: IN=eth0 OUT= SRC=203.0.113.8 DST=10.1.1.4 LEN=40 TTL=240 ID=1 PROTO=TCP SPT=5555 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0',
    );
    expect(at(event, 'event.action')).toBe('drop_input');
    expect(at(event, 'event.type')).toEqual(['denied', 'connection']);
    expect(at(event, 'observer.name')).toBe('web3');
  });

  it('reads a bare "DENY:" after the time as the action, not as the host', () => {
    const event = parse(
      'Feb  3 04:05:06 DENY: IN=eth0 OUT= SRC=10.1.1.5 DST=10.1.1.6 LEN=88 TTL=118 ID=3 PROTO=UDP SPT=1000 DPT=2000 LEN=68',
    );
    expect(at(event, 'event.action')).toBe('deny');
    expect(at(event, 'event.type')).toEqual(['denied', 'connection']);
    expect(at(event, 'observer.name')).toBeUndefined();
  });

  it('takes a bracketed label for a Ubiquiti rule only when it is glued to IN=', () => {
    const glued = parse(
      'Feb  3 04:05:06 usg kernel: [LAN_IN-3000-A]IN=eth1 OUT=eth0 SRC=10.1.1.7 DST=203.0.113.9 LEN=60 TTL=64 ID=2 PROTO=UDP SPT=3000 DPT=53 LEN=40',
    );
    expect(at(glued, 'rule.id')).toBe('3000');
    expect(at(glued, 'event.action')).toBe('accept');
    const spaced = parse(
      'Feb  3 04:05:06 udm1 [CUSTOM-42-A] IN=br0 OUT=br0 SRC=10.1.1.7 DST=10.1.1.8 LEN=32 TTL=63 ID=5 PROTO=UDP SPT=9 DPT=9 LEN=12',
    );
    expect(at(spaced, 'rule.id')).toBeUndefined();
    expect(at(spaced, 'event.action')).toBeUndefined();
    expect(at(spaced, 'event.type')).toEqual(['connection']);
  });
});

describe('iptables lines from the journald input', () => {
  const entry: JsonObject = {
    '@timestamp': '2026-02-03T04:05:06.789Z',
    message:
      'iptables DROP_INPUT: IN=eth0 OUT= SRC=10.2.2.2 DST=10.2.2.3 LEN=40 TTL=63 ID=9 DF PROTO=TCP SPT=443 DPT=40000 WINDOW=0 RES=0x00 RST URGP=0 ',
    host: { name: 'node7', hostname: 'node7', ip: ['10.2.2.3'] },
    log: { syslog: { priority: 7, facility: { code: 0 } } },
    syslog: { identifier: 'kernel', priority: 7, facility: 0 },
    systemd: { transport: 'kernel' },
    input: { type: 'journald' },
  };

  it('is claimed only when shaped like a journald entry', () => {
    const text = JSON.stringify(entry);
    expect(sniffIptables(text, entry)).toBe(true);
    const plain = { message: entry.message, level: 'info' };
    expect(sniffIptables(JSON.stringify(plain), plain)).toBe(false);
  });

  it('parses the message and keeps the entry host and syslog identity', () => {
    const event = parse(JSON.stringify(entry), entry);
    expect(at(event, 'source.ip')).toBe('10.2.2.2');
    expect(at(event, 'destination.port')).toBe(40000);
    expect(at(event, 'iptables.tcp.flags')).toEqual(['RST']);
    expect(at(event, 'host.name')).toBe('node7');
    expect(at(event, 'log.syslog.appname')).toBe('kernel');
    expect(at(event, 'log.syslog.priority')).toBe(7);
    expect(at(event, 'event.original')).toBe(entry.message);
    expect(event['@timestamp']).toBe('2026-02-03T04:05:06.789Z');
  });
});
