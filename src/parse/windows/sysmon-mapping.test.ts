import { describe, expect, it } from 'vitest';
import { createEvtxJsonParser } from './evtx-json-parser.ts';
import { at, evtxEvent, parseOne } from './windows-test-support.ts';

const parser = createEvtxJsonParser();

describe('Sysmon mappings', () => {
  it('maps a network connection (3) to source, destination, network and related', () => {
    const event = parseOne(
      parser,
      evtxEvent(3, {
        UtcTime: '2026-02-01 07:59:59.999',
        ProcessGuid: '{a}',
        ProcessId: 4321,
        Image: 'C:\\Tools\\beacon.exe',
        User: 'CORP\\bob',
        Protocol: 'tcp',
        Initiated: true,
        SourceIsIpv6: false,
        SourceIp: '10.0.0.5',
        SourceHostname: '-',
        SourcePort: 50123,
        DestinationIsIpv6: false,
        DestinationIp: '203.0.113.9',
        DestinationHostname: 'evil.example',
        DestinationPort: 443,
        DestinationPortName: 'https',
      }),
    );
    expect(event['@timestamp']).toBe('2026-02-01T07:59:59.999Z');
    expect(event.source).toEqual({ ip: '10.0.0.5', port: 50123 });
    expect(event.destination).toEqual({ ip: '203.0.113.9', port: 443, domain: 'evil.example' });
    // Community ID v1 of tcp 10.0.0.5:50123 → 203.0.113.9:443, computed independently of our code.
    expect(event.network).toEqual({
      transport: 'tcp',
      protocol: 'https',
      direction: 'egress',
      type: 'ipv4',
      community_id: '1:u4r+PTmXNv87wAbVU70UKHIF9a8=',
    });
    expect(at(event, 'related.ip')).toEqual(['10.0.0.5', '203.0.113.9']);
    expect(at(event, 'related.user')).toEqual(['bob']);
    expect(at(event, 'event.category')).toEqual(['network']);
    expect(at(event, 'winlog.event_data.Initiated')).toBe('true');
    expect(at(event, 'winlog.event_data.DestinationPort')).toBe('443');
  });

  it('maps a DNS query (22) with CNAME and address answers', () => {
    const event = parseOne(
      parser,
      evtxEvent(22, {
        QueryName: 'www.example.org',
        QueryStatus: '0',
        QueryResults: 'type:  5 edge.example.net;::ffff:198.51.100.7;2001:db8::1;',
        Image: 'C:\\Windows\\System32\\svchost.exe',
      }),
    );
    expect(event.dns).toEqual({
      question: {
        name: 'www.example.org',
        registered_domain: 'example.org',
        top_level_domain: 'org',
        subdomain: 'www',
      },
      answers: [
        { type: 'CNAME', data: 'edge.example.net' },
        { type: 'A', data: '198.51.100.7' },
        { type: 'AAAA', data: '2001:db8::1' },
      ],
      resolved_ip: ['198.51.100.7', '2001:db8::1'],
    });
    expect(at(event, 'network.protocol')).toBe('dns');
    expect(at(event, 'related.hosts')).toEqual(['edge.example.net', 'www.example.org']);
  });

  it('maps registry value sets (13) to registry.*', () => {
    const event = parseOne(
      parser,
      evtxEvent(13, {
        EventType: 'SetValue',
        TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\updater',
        Details: 'DWORD (0x00000010)',
        Image: 'C:\\Users\\bob\\updater.exe',
      }),
    );
    expect(event.registry).toEqual({
      path: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\updater',
      hive: 'HKLM',
      key: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\updater',
      value: 'updater',
      data: { strings: ['16'], type: 'SZ_DWORD' },
    });
    expect(at(event, 'winlog.event_data.TargetObject')).toBe(
      'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\updater',
    );
  });

  it('maps file creation (11), process access (10), image load (7) and pipes (17)', () => {
    const file = parseOne(
      parser,
      evtxEvent(11, { Image: 'C:\\a\\w.exe', TargetFilename: 'C:\\Users\\bob\\AppData\\Local\\Temp\\x.ps1' }),
    );
    expect(file.file).toEqual({
      path: 'C:\\Users\\bob\\AppData\\Local\\Temp\\x.ps1',
      name: 'x.ps1',
      directory: 'C:\\Users\\bob\\AppData\\Local\\Temp',
      extension: 'ps1',
    });
    const access = parseOne(
      parser,
      evtxEvent(10, {
        SourceProcessGUID: '{s}',
        SourceProcessId: '640',
        SourceThreadId: '700',
        SourceImage: 'C:\\Tools\\dump.exe',
        TargetProcessGUID: '{t}',
        TargetProcessId: '612',
        TargetImage: 'C:\\Windows\\system32\\lsass.exe',
        GrantedAccess: '0x1010',
        SourceUser: 'CORP\\bob',
        TargetUser: 'NT AUTHORITY\\SYSTEM',
      }),
    );
    expect(access.user).toEqual({ id: 'S-1-5-18', domain: 'CORP', name: 'bob' });
    expect(access.process).toMatchObject({ entity_id: '{s}', pid: 640, thread: { id: 700 }, name: 'dump.exe' });
    expect(at(access, 'Target.process.name')).toBe('lsass.exe');
    expect(at(access, 'winlog.event_data.GrantedAccess')).toBe('0x1010');
    const load = parseOne(
      parser,
      evtxEvent(7, {
        Image: 'C:\\a\\app.exe',
        ImageLoaded: 'C:\\a\\evil.dll',
        Hashes: 'SHA256=ABCD',
        Signed: 'false',
        SignatureStatus: 'Unavailable',
      }),
    );
    expect(load.dll).toMatchObject({ name: 'evil.dll', path: 'C:\\a\\evil.dll', hash: { sha256: 'abcd' } });
    expect(at(load, 'file.code_signature')).toEqual({ status: 'Unavailable', signed: false, trusted: false });
    const pipe = parseOne(parser, evtxEvent(17, { PipeName: '\\msagent_12', Image: 'C:\\a\\b.exe' }));
    expect(at(pipe, 'file.name')).toBe('\\msagent_12');
  });

  it('maps WMI consumers (20), process tampering (25) and image-load actions (7)', () => {
    const consumer = parseOne(
      parser,
      evtxEvent(20, {
        EventType: 'WmiConsumerEvent',
        Operation: 'Created',
        User: 'CORP\\eve',
        Name: ' "Updater"',
        Type: 'Command Line',
        Destination: 'C:\\ProgramData\\upd.exe -q',
      }),
    );
    expect(consumer.process).toEqual({ executable: 'C:\\ProgramData\\upd.exe -q', name: 'upd.exe -q' });
    expect(at(consumer, 'winlog.event_data.Destination')).toBe('C:\\ProgramData\\upd.exe -q');
    expect(at(consumer, 'message')).toBeUndefined();
    const tampering = parseOne(
      parser,
      evtxEvent(25, { ProcessId: '812', Image: 'C:\\Tools\\hollow.exe', Type: 'Image is locked for access' }),
    );
    expect(tampering.message).toBe('Image is locked for access');
    expect(at(tampering, 'winlog.event_data.Type')).toBe('Image is locked for access');
    const load = parseOne(parser, evtxEvent(7, { Image: 'C:\\a\\app.exe', ImageLoaded: 'C:\\a\\lib.dll' }));
    expect(at(load, 'event.action')).toEqual(['Image loaded', 'load']);
    expect(at(load, 'event.category')).toEqual(['process', 'library']);
  });
});
