// Cisco ASA message decoding beyond the basics in firewall-parsers.test.ts: prefixed interfaces,
// security group tags, AnyConnect session and IKEv2 messages, SIP channels, folded repeats, ICMP flow ids.
import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../model/event.ts';
import { at, parseText } from '../parse-test-support.ts';
import { ciscoAsaParser } from './cisco-asa.ts';
import { communityId } from './network-fields.ts';

const parse = (text: string): EcsEvent => parseText(ciscoAsaParser, text);
const header = '<166>Feb 03 2026 10:11:12 edge-fw : ';

describe('Cisco ASA message decoding', () => {
  it('keeps a context prefix in the interface name, and IPv6 addresses after a plain one', () => {
    const prefixed = parse(
      `${header}%ASA-4-106023: Deny tcp src ctx1:dmz:10.20.30.40/5000 dst ctx2:lan:10.50.60.70/22 by access-group "dmz_in" [0x0, 0x0]`,
    );
    expect(at(prefixed, 'observer.ingress.interface.name')).toBe('ctx1:dmz');
    expect(at(prefixed, 'observer.egress.interface.name')).toBe('ctx2:lan');
    expect(at(prefixed, 'source.ip')).toBe('10.20.30.40');
    expect(at(prefixed, 'destination.port')).toBe(22);
    const ipv6 = parse(
      `${header}%ASA-4-106023: Deny udp src wan:2001:db8:5::7/5353 dst lan:2001:db8:9::1/53 by access-group "wan_in" [0x0, 0x0]`,
    );
    expect(at(ipv6, 'observer.ingress.interface.name')).toBe('wan');
    expect(at(ipv6, 'source.ip')).toBe('2001:db8:5::7');
    expect(at(ipv6, 'destination.ip')).toBe('2001:db8:9::1');
  });

  it('drops security group tags from users and the $ of machine accounts', () => {
    const built = parse(
      `${header}%ASA-6-302013: Built inbound TCP connection 4711 for wan:10.1.1.1/40000 (10.1.1.1/40000)(CORP\\ws-17$, 42:printers) to lan:10.2.2.2/631 (10.2.2.2/631) (ws-17$)`,
    );
    expect(at(built, 'source.user.name')).toBe('ws-17');
    expect(at(built, 'source.user.domain')).toBe('CORP');
    expect(at(built, 'source.port')).toBe(40000);
    expect(at(built, 'destination.ip')).toBe('10.2.2.2');
    expect(at(built, 'event.outcome')).toBe('success');
    const tagOnly = parse(
      `${header}%ASA-6-302016: Teardown UDP connection 4712 for wan:10.1.1.1/40001(42:printers) to lan:10.2.2.2/53 duration 0:00:01 bytes 90`,
    );
    expect(at(tagOnly, 'source.user')).toBeUndefined();
    expect(at(tagOnly, 'network.bytes')).toBe(90);
  });

  it('takes an ICMP error’s source and destination from the packet it quotes', () => {
    const event = parse(
      `${header}%ASA-4-313005: No matching connection for ICMP error message: icmp src wan:10.9.9.9(LOCAL\\bob, 7:guests) dst lan:10.8.8.8 (type 3, code 3) on wan interface.  Original IP payload: udp src 10.8.8.8/53 dst 10.9.9.9/41000.`,
    );
    expect(at(event, 'source.ip')).toBe('10.8.8.8');
    expect(at(event, 'source.port')).toBe(53);
    expect(at(event, 'source.user.name')).toBe('bob');
    expect(at(event, 'destination.ip')).toBe('10.9.9.9');
    expect(at(event, 'destination.port')).toBe(41000);
    expect(at(event, 'observer.ingress.interface.name')).toBe('wan');
    // Elastic hashes ICMP flows with type and code 0.
    expect(at(event, 'network.community_id')).toBe(communityId(1, '10.8.8.8', '10.9.9.9', 0, 0));
  });

  it('reads AnyConnect session messages with spaced group names, reasons and protocols', () => {
    const closing = parse(
      `${header}%ASA-4-722037: Group <Staff Tunnel> User <eve@corp.example> IP <10.3.3.3> SVC closing connection: Idle timeout.`,
    );
    expect(at(closing, 'source.user.group.name')).toBe('Staff Tunnel');
    expect(at(closing, 'source.user.name')).toBe('eve');
    expect(at(closing, 'source.user.domain')).toBe('corp.example');
    expect(at(closing, 'source.user.email')).toBe('eve@corp.example');
    expect(at(closing, 'source.ip')).toBe('10.3.3.3');
    expect(at(closing, 'event.reason')).toBe('SVC closing connection: Idle timeout.');
    expect(at(closing, 'event.type')).toEqual(['connection', 'end']);
    expect(at(closing, 'event.action')).toBeUndefined();
    const parent = parse(
      `${header}%ASA-6-113039: Group <Remote Staff> User <o'brien@corp.example> IP <10.3.3.5> AnyConnect parent session started.`,
    );
    expect(at(parent, 'source.user.group.name')).toBe('Remote Staff');
    expect(at(parent, 'source.user.name')).toBe("o'brien");
    expect(at(parent, 'source.ip')).toBe('10.3.3.5');
    const first = parse(
      `${header}%ASA-5-722033: Group <Staff> User <frank> IP <10.3.3.4> First UDP SVC connection established for SVC session.`,
    );
    expect(at(first, 'network.transport')).toBe('udp');
    expect(at(first, 'event.type')).toEqual(['connection', 'start']);
    const assigned = parse(
      `${header}%ASA-4-722051: Group <Staff> User <frank> IP <10.3.3.4> IPv4 Address <172.20.0.9> IPv6 address <::> assigned to session`,
    );
    expect(at(assigned, 'event.action')).toBe('address-assigned');
    expect(at(assigned, 'event.reason')).toBe('IPv4 Address <172.20.0.9> IPv6 address <::> assigned to session');
  });

  it('reads IKEv2 session assignments with IPv6 and named peers', () => {
    const event = parse(
      `${header}%ASA-6-751025: Local:2001:db8::10:4500 Remote:2001:db8::20:61000 Username:gina@corp.example IKEv2 Group:Remote_Staff IPv4 Address=172.20.0.10 IPv6 address=invalid-addr-2-0.0.0.0 assigned to session`,
    );
    expect(at(event, 'source.ip')).toBe('2001:db8::10');
    expect(at(event, 'source.port')).toBe(4500);
    expect(at(event, 'destination.ip')).toBe('2001:db8::20');
    expect(at(event, 'destination.port')).toBe(61000);
    expect(at(event, 'source.user.email')).toBe('gina@corp.example');
    expect(at(event, 'event.action')).toBeUndefined();
    const named = parse(
      `${header}%ASA-6-751025: Local:vpn.corp.example:4500 Remote:laptop.home.example:61001 Username:hank Group:Remote_Staff IPv4 Address=172.20.0.11 IPv6 address=invalid-addr-2-0.0.0.0 assigned to session`,
    );
    expect(at(named, 'source.domain')).toBe('vpn.corp.example');
    expect(at(named, 'destination.domain')).toBe('laptop.home.example');
  });

  it('reads SIP secondary channels, AAA servers by name and folded repeats', () => {
    const sip = parse(
      `${header}%ASA-6-607001: Pre-allocate SIP Via UDP secondary channel for voice:10.4.4.4/5060 to pbx:10.5.5.5 from INVITE message`,
    );
    expect(at(sip, 'destination.ip')).toBe('10.4.4.4');
    expect(at(sip, 'destination.port')).toBe(5060);
    expect(at(sip, 'observer.egress.interface.name')).toBe('voice');
    expect(at(sip, 'source.ip')).toBe('10.5.5.5');
    expect(at(sip, 'network.transport')).toBe('udp');
    const aaa = parse(`${header}%ASA-6-113004: AAA user authentication Successful : server = radius-a : user = ivy`);
    expect(at(aaa, 'destination.domain')).toBe('radius-a');
    expect(at(aaa, 'source.user.name')).toBe('ivy');
    const repeated = parse(
      `${header}%ASA-2-106006: message repeated 3 times: [ Deny inbound UDP from 10.6.6.6/137 to 10.7.7.7/137 on interface lan]`,
    );
    expect(at(repeated, 'source.ip')).toBe('10.6.6.6');
    expect(at(repeated, 'observer.ingress.interface.name')).toBe('lan');
  });

  it('reads WebVPN, IPAA, SSH and TLS handshake messages', () => {
    const granted = parse(
      `${header}%ASA-6-716003: Group Staff User judy IP 10.11.0.5 WebVPN access GRANTED: "https://intranet.corp.example"`,
    );
    expect(at(granted, 'source.user.name')).toBe('judy');
    expect(at(granted, 'url.domain')).toBe('intranet.corp.example');
    expect(at(granted, 'url.path')).toBe('');
    expect(at(granted, 'event.category')).toEqual(['authentication', 'network']);
    const resumed = parse(
      `${header}%ASA-6-716059: Group <Staff> User <judy> IP <10.11.0.5> AnyConnect session resumed. Connection from 198.51.100.77.`,
    );
    expect(at(resumed, 'source.ip')).toBe('198.51.100.77');
    expect(at(resumed, 'destination.ip')).toBe('10.11.0.5');
    expect(at(resumed, 'event.action')).toBe('client-vpn-resumed');
    const ipaa = parse(`${header}%ASA-5-737034: IPAA: Session=0x0000aaaa, IPv6 address: pool exhausted.`);
    expect(at(ipaa, 'event.reason')).toBe('IPv6 address: pool exhausted.');
    expect(at(ipaa, 'event.outcome')).toBe('failure');
    const ssh = parse(
      `${header}%ASA-6-315011: SSH session from 10.12.0.9 on interface mgmt for user "kim" disconnected by SSH server, reason: Time-out activated`,
    );
    expect(at(ssh, 'event.reason')).toBe('Time-out activated');
    expect(at(ssh, 'source.user.name')).toBe('kim');
    expect(at(ssh, 'observer.ingress.interface.name')).toBe('mgmt');
    const handshake = parse(
      `${header}%ASA-6-725001: Starting SSL handshake with client mgmt:10.12.0.9/50123 for TLSv1.3 session.`,
    );
    expect(at(handshake, 'source.port')).toBe(50123);
    expect(at(handshake, 'tls.version')).toBe('1.3');
    expect(at(handshake, 'tls.version_protocol')).toBe('tls');
    expect(at(handshake, 'event.type')).toEqual(['connection', 'start']);
    const unknownProtocol = parse(
      `${header}%ASA-3-106010: Deny inbound protocol 112 src lan:10.13.0.1 dst lan:224.0.0.18`,
    );
    expect(at(unknownProtocol, 'network.iana_number')).toBe('112');
    expect(at(unknownProtocol, 'destination.ip')).toBe('224.0.0.18');
  });

  it('reads a program and device name written without a syslog header', () => {
    const event = parse("LOCAL4.NOTICE: branch-fw %ASA-5-111008: User 'ops' executed the 'write' command.");
    expect(at(event, 'process.name')).toBe('LOCAL4.NOTICE');
    expect(at(event, 'host.name')).toBe('branch-fw');
  });
});
