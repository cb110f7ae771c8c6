import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../model/event.ts';
import type { SigmaPlaceholders } from './compile-sigma-rule.ts';
import { parseSigmaText } from './load-sigma-rules.ts';
import { SigmaEngine } from './sigma-engine.ts';

/** A one-rule engine over a generic logsource (fields are plain ECS paths). */
function engineFor(
  detection: string,
  options: { placeholders?: SigmaPlaceholders; logsource?: string } = {},
): SigmaEngine {
  const text = `title: test rule\nid: 00000000-0000-0000-0000-000000000001\nlogsource:\n${options.logsource ?? '  product: test'}\ndetection:\n${detection}\nlevel: high\n`;
  const parsed = parseSigmaText(text, 'inline.yml');
  expect(parsed.rejections).toEqual([]);
  const engine = SigmaEngine.build(parsed.rules, { placeholders: options.placeholders });
  expect(engine.rejections).toEqual([]);
  return engine;
}

/** An event of the test rules' product (`product: test`: the event carries a `test` namespace). */
function event(fields: Record<string, unknown>): EcsEvent {
  return { '@timestamp': '2026-01-01T00:00:00.000Z', unit: 'default', test: {}, ...fields } as EcsEvent;
}

/** Matches with and without the literal prefilter must agree. */
function both(
  detection: string,
  fields: Record<string, unknown>,
  options: { placeholders?: SigmaPlaceholders } = {},
): boolean {
  const text = `title: t\nlogsource:\n  product: test\ndetection:\n${detection}\n`;
  const rules = parseSigmaText(text, 'inline.yml').rules;
  const fast = SigmaEngine.build(rules, { ...options, prefilter: true }).match(event(fields), () => {}) > 0;
  const slow = SigmaEngine.build(rules, { ...options, prefilter: false }).match(event(fields), () => {}) > 0;
  expect(fast).toBe(slow);
  return fast;
}

describe('detection maps and lists', () => {
  it('ANDs the fields of a map and ORs the values of a list', () => {
    const detection = '  selection:\n    a: x\n    b:\n      - y\n      - z\n  condition: selection';
    expect(both(detection, { a: 'x', b: 'z' })).toBe(true);
    expect(both(detection, { a: 'x', b: 'w' })).toBe(false);
    expect(both(detection, { b: 'y' })).toBe(false);
  });

  it('ORs a list of maps', () => {
    const detection = '  selection:\n    - a: x\n    - b: y\n  condition: selection';
    expect(both(detection, { b: 'y' })).toBe(true);
    expect(both(detection, { a: 'y' })).toBe(false);
  });

  it('is case-insensitive by default and reads nested ECS paths', () => {
    expect(both("  sel:\n    process.name: 'CMD.exe'\n  condition: sel", { process: { name: 'cmd.EXE' } })).toBe(true);
  });

  it('matches numbers and booleans by their text', () => {
    expect(both('  sel:\n    code: 4688\n  condition: sel', { code: '4688' })).toBe(true);
    expect(both('  sel:\n    code: 4688\n  condition: sel', { code: 4688 })).toBe(true);
    expect(both('  sel:\n    flag: true\n  condition: sel', { flag: true })).toBe(true);
    expect(both('  sel:\n    flag: true\n  condition: sel', { flag: false })).toBe(false);
  });

  it('null matches an absent or null field; empty string only an empty value', () => {
    expect(both('  sel:\n    a: null\n  condition: sel', {})).toBe(true);
    expect(both('  sel:\n    a: null\n  condition: sel', { a: null })).toBe(true);
    expect(both('  sel:\n    a: null\n  condition: sel', { a: '' })).toBe(false);
    expect(both("  sel:\n    a: ''\n  condition: sel", { a: '' })).toBe(true);
    expect(both("  sel:\n    a: ''\n  condition: sel", {})).toBe(false);
  });

  it('matches any element of an array field', () => {
    expect(both('  sel:\n    tags|contains: evil\n  condition: sel', { tags: ['good', 'very-evil'] })).toBe(true);
  });
});

describe('wildcards and escapes', () => {
  const cases: [string, string, boolean][] = [
    ['ab*', 'ABCD', true],
    ['*cd', 'abcd', true],
    ['a*d', 'abcd', true],
    ['a*c*e', 'abXcYe', true],
    ['a*c*e', 'aXeYc', false],
    ['a?c', 'abc', true],
    ['a?c', 'abbc', false],
    ['a\\*c', 'a*c', true],
    ['a\\*c', 'abc', false],
    ['a\\?c', 'a?c', true],
    ['a\\?c', 'abc', false],
    ['a\\\\*', 'a\\anything', true],
    ['a\\\\*', 'aXanything', false],
    ['C:\\Windows\\cmd.exe', 'c:\\windows\\cmd.exe', true],
    ['*', 'anything', true],
  ];
  it.each(cases)('%s against %s → %s', (pattern, value, expected) => {
    const yamlValue = `'${pattern}'`;
    expect(both(`  sel:\n    f: ${yamlValue}\n  condition: sel`, { f: value })).toBe(expected);
  });
});

describe('modifiers', () => {
  const check = (key: string, values: string, fields: Record<string, unknown>): boolean =>
    both(`  sel:\n    ${key}: ${values}\n  condition: sel`, fields);

  it('contains, startswith, endswith', () => {
    expect(check('f|contains', 'mimi', { f: 'run MIMIkatz' })).toBe(true);
    expect(check('f|startswith', 'run', { f: 'run x' })).toBe(true);
    expect(check('f|startswith', 'run', { f: 'do run' })).toBe(false);
    expect(check('f|endswith', '.exe', { f: 'a.EXE' })).toBe(true);
    expect(check('f|endswith', '.exe', { f: 'a.exe.txt' })).toBe(false);
  });

  it('all ANDs the values of a list', () => {
    expect(check('f|contains|all', '[a1, b2]', { f: 'b2 a1' })).toBe(true);
    expect(check('f|contains|all', '[a1, b2]', { f: 'a1 only' })).toBe(false);
  });

  it('all on a single value is refused (spec: single values must not use all)', () => {
    const parsed = parseSigmaText(
      'title: t\nlogsource:\n  product: test\ndetection:\n  sel:\n    f|all: x\n  condition: sel\n',
      'r.yml',
    );
    const engine = SigmaEngine.build(parsed.rules);
    expect(engine.rejections[0]?.reason).toContain("'all' needs a list");
    expect(engine.rejections[0]?.line).toBe(6);
  });

  it('exists', () => {
    expect(check('f|exists', 'true', { f: '' })).toBe(true);
    expect(check('f|exists', 'true', {})).toBe(false);
    expect(check('f|exists', 'false', {})).toBe(true);
  });

  it('cased', () => {
    expect(check('f|cased', 'Abc', { f: 'Abc' })).toBe(true);
    expect(check('f|cased', 'Abc', { f: 'abc' })).toBe(false);
    expect(check('f|contains|cased', 'Bc', { f: 'aBcd' })).toBe(true);
    expect(check('f|contains|cased', 'Bc', { f: 'abcd' })).toBe(false);
  });

  it('neq: present and different from every value', () => {
    expect(check('f|neq', '[a, b]', { f: 'c' })).toBe(true);
    expect(check('f|neq', '[a, b]', { f: 'B' })).toBe(false);
    expect(check('f|neq', '5', { f: 5 })).toBe(false);
    expect(check('f|neq', '5', { f: 6 })).toBe(true);
  });

  it('windash: -, /, en dash, em dash, horizontal bar', () => {
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(check('f|windash|contains', "' -enc '", { f: `powershell ${dash}enc abc` })).toBe(true);
    }
    expect(check('f|windash|contains', "' -enc '", { f: 'powershell +enc abc' })).toBe(false);
  });

  it('re with i, m and s sub-modifiers, and a leading (?i) group', () => {
    expect(check('f|re', "'^a.c$'", { f: 'abc' })).toBe(true);
    expect(check('f|re', "'^a.c$'", { f: 'ABC' })).toBe(false);
    expect(check('f|re|i', "'^a.c$'", { f: 'ABC' })).toBe(true);
    expect(check('f|re', "'^b$'", { f: 'a\nb' })).toBe(false);
    expect(check('f|re|m', "'^b$'", { f: 'a\nb' })).toBe(true);
    expect(check('f|re', "'a.b'", { f: 'a\nb' })).toBe(false);
    expect(check('f|re|s', "'a.b'", { f: 'a\nb' })).toBe(true);
    expect(check('f|re', "'(?i)^abc'", { f: 'ABCD' })).toBe(true);
  });

  it('base64 and base64offset', () => {
    expect(check('f|base64', 'secret', { f: Buffer.from('secret').toString('base64') })).toBe(true);
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      const encoded = Buffer.from(`${prefix}Invoke-Mimikatz tail`).toString('base64');
      expect(check('f|base64offset|contains', 'Invoke-Mimikatz', { f: encoded })).toBe(true);
    }
    expect(
      check('f|base64offset|contains', 'Invoke-Mimikatz', { f: Buffer.from('harmless text').toString('base64') }),
    ).toBe(false);
  });

  it('wide/utf16le, utf16be, utf16 combined with base64', () => {
    const le = Buffer.from('cmd', 'utf16le');
    expect(check('f|wide|base64', 'cmd', { f: le.toString('base64') })).toBe(true);
    expect(check('f|utf16le|base64', 'cmd', { f: le.toString('base64') })).toBe(true);
    expect(check('f|utf16be|base64', 'cmd', { f: Buffer.from([0, 0x63, 0, 0x6d, 0, 0x64]).toString('base64') })).toBe(
      true,
    );
    expect(
      check('f|utf16|base64', 'cmd', { f: Buffer.concat([Buffer.from([0xff, 0xfe]), le]).toString('base64') }),
    ).toBe(true);
    const script = Buffer.from('IEX (New-Object Net.WebClient)', 'utf16le').toString('base64');
    expect(check('f|wide|base64offset|contains', "'New-Object'", { f: `powershell -enc ${script}` })).toBe(true);
  });

  it('lt, lte, gt, gte on numbers and numeric text', () => {
    expect(check('n|lt', '10', { n: 9 })).toBe(true);
    expect(check('n|lt', '10', { n: 10 })).toBe(false);
    expect(check('n|lte', '10', { n: '10' })).toBe(true);
    expect(check('n|gt', '10', { n: 11 })).toBe(true);
    expect(check('n|gte', '10', { n: 9 })).toBe(false);
    expect(check('n|gt', '10', { n: 'abc' })).toBe(false);
  });

  it('time modifiers take parts of a date', () => {
    const fields = { t: '2026-03-05T22:41:00Z' };
    expect(check('t|minute', '41', fields)).toBe(true);
    expect(check('t|hour', '22', fields)).toBe(true);
    expect(check('t|day', '5', fields)).toBe(true);
    expect(check('t|week', '10', fields)).toBe(true);
    expect(check('t|month', '3', fields)).toBe(true);
    expect(check('t|year', '2026', fields)).toBe(true);
    expect(check('t|hour|gte', '20', fields)).toBe(true);
    expect(check('t|hour', '21', fields)).toBe(false);
  });

  it('cidr for IPv4 and IPv6', () => {
    expect(check('ip|cidr', '10.0.0.0/8', { ip: '10.20.30.40' })).toBe(true);
    expect(check('ip|cidr', '10.0.0.0/8', { ip: '11.0.0.1' })).toBe(false);
    expect(check('ip|cidr', "'2001:db8::/32'", { ip: '2001:db8:1::5' })).toBe(true);
    expect(check('ip|cidr', "'2001:db8::/32'", { ip: '2001:db9::5' })).toBe(false);
    expect(check('ip|cidr', '[10.0.0.0/8, 192.168.0.0/16]', { ip: '192.168.1.1' })).toBe(true);
    expect(check('ip|cidr', '10.0.0.0/8', { ip: 'not-an-ip' })).toBe(false);
  });

  it('expand resolves placeholders per unit', () => {
    const placeholders: SigmaPlaceholders = {
      defaults: { admins: ['alice'] },
      units: { branch: { admins: ['bob', 'carol'] } },
    };
    const engine = engineFor("  sel:\n    user|expand: '%admins%'\n  condition: sel", { placeholders });
    const run = (unit: string, user: string): boolean => engine.match({ ...event({ user }), unit }, () => {}) > 0;
    expect(run('default', 'alice')).toBe(true);
    expect(run('default', 'bob')).toBe(false);
    expect(run('branch', 'carol')).toBe(true);
    expect(run('branch', 'alice')).toBe(false);
  });

  it('an unresolved placeholder loads the rule with a warning and holds the whole rule back', () => {
    // The placeholder sits in a filter: an empty filter would let every selection match through.
    const text =
      "title: t\nlogsource:\n  product: test\ndetection:\n  sel:\n    action: logon\n  filter:\n    user|expand: '%admins%'\n  other:\n    host|expand: '\\%plain%hosts%'\n  condition: sel and not filter and not other\n";
    const parsed = parseSigmaText(text, 'r.yml');
    expect(parsed.rejections).toEqual([]);
    for (const prefilter of [true, false]) {
      const engine = SigmaEngine.build(parsed.rules, { prefilter });
      expect(engine.rejections).toEqual([]);
      expect(engine.rules).toHaveLength(1);
      expect(engine.warnings).toEqual([
        expect.objectContaining({ path: 'r.yml', line: 1, reason: 'needs placeholder values: %admins%, %hosts%' }),
      ]);
      expect(engine.match(event({ action: 'logon', user: 'mallory', host: 'x' }), () => {})).toBe(0);
    }
    // Once configured, the same rule expands and fires.
    const configured = SigmaEngine.build(parsed.rules, {
      placeholders: { defaults: { admins: ['alice'], hosts: ['srv*'] } },
    });
    expect(configured.warnings).toEqual([]);
    expect(configured.match(event({ action: 'logon', user: 'mallory', host: 'ws1' }), () => {})).toBe(1);
    expect(configured.match(event({ action: 'logon', user: 'alice', host: 'ws1' }), () => {})).toBe(0);
    expect(configured.match(event({ action: 'logon', user: 'mallory', host: '%plainsrv1' }), () => {})).toBe(0);
  });

  it('a placeholder configured for some units only holds the rule back in the others', () => {
    const placeholders: SigmaPlaceholders = { units: { branch: { admins: ['bob'] } } };
    const engine = engineFor(
      "  sel:\n    action: logon\n  filter:\n    user|expand: '%admins%'\n  condition: sel and not filter",
      {
        placeholders,
      },
    );
    expect(engine.warnings).toEqual([]);
    const run = (unit: string, user: string): boolean =>
      engine.match({ ...event({ action: 'logon', user }), unit }, () => {}) > 0;
    expect(run('branch', 'mallory')).toBe(true);
    expect(run('branch', 'bob')).toBe(false);
    expect(run('default', 'mallory')).toBe(false);
  });

  it('fieldref compares two fields of the event', () => {
    expect(check('a|fieldref', 'b', { a: 'X', b: 'x' })).toBe(true);
    expect(check('a|fieldref', 'b', { a: 'x', b: 'y' })).toBe(false);
    expect(check('a|fieldref|endswith', 'b', { a: 'c:\\x\\tool.exe', b: 'tool.exe' })).toBe(true);
    expect(both('  sel:\n    a|fieldref|neq: b\n  condition: sel', { a: 'x', b: 'y' })).toBe(true);
    expect(both('  sel:\n    a|fieldref|neq: b\n  condition: sel', { a: 'x', b: 'x' })).toBe(false);
  });

  it('unknown modifiers are rejected with file and line', () => {
    const parsed = parseSigmaText(
      'title: t\nlogsource:\n  product: test\ndetection:\n  sel:\n    f|bogus: x\n  condition: sel\n',
      'r.yml',
    );
    expect(parsed.rejections).toEqual([
      expect.objectContaining({ path: 'r.yml', line: 6, reason: "unknown modifier 'bogus' in 'f|bogus'" }),
    ]);
  });
});

describe('keywords', () => {
  it('searches the string values of the event (OR, or AND with |all)', () => {
    expect(
      both("  keywords:\n    - 'event::clear'\n    - 'event::drop'\n  condition: keywords", {
        message: 'ran EVENT::drop now',
      }),
    ).toBe(true);
    expect(both("  keywords:\n    - 'event::clear'\n  condition: keywords", { message: 'nothing' })).toBe(false);
    const all =
      "  keywords:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '\n  condition: keywords";
    expect(both(all, { message: 'Set-OabVirtualDirectory -ExternalUrl http://x' })).toBe(true);
    expect(both(all, { a: 'Set-OabVirtualDirectory', b: 'x -ExternalUrl y' })).toBe(true);
    expect(both(all, { message: 'Set-OabVirtualDirectory only' })).toBe(false);
  });
});

describe('condition grammar', () => {
  const base = '  sel1:\n    a: 1\n  sel2:\n    b: 2\n  filter:\n    c: 3\n  _hidden:\n    d: 4\n';
  const run = (condition: string, fields: Record<string, unknown>): boolean =>
    both(`${base}  condition: ${condition}`, fields);

  it('and, or, not with precedence not > and > or', () => {
    expect(run('sel1 or sel2 and filter', { a: 1 })).toBe(true);
    expect(run('(sel1 or sel2) and filter', { a: 1 })).toBe(false);
    expect(run('not sel1 and sel2', { b: 2 })).toBe(true);
    expect(run('not sel1 and sel2', { a: 1, b: 2 })).toBe(false);
    expect(run('not (sel1 and sel2)', { a: 1 })).toBe(true);
    expect(run('sel1 and not filter', { a: 1, c: 3 })).toBe(false);
    expect(run('not not sel1', { a: 1 })).toBe(true);
  });

  it('1 of / any of / all of a pattern', () => {
    expect(run('1 of sel*', { b: 2 })).toBe(true);
    expect(run('any of sel*', { b: 2 })).toBe(true);
    expect(run('all of sel*', { b: 2 })).toBe(false);
    expect(run('all of sel*', { a: 1, b: 2 })).toBe(true);
    expect(run('1 of sel* and not 1 of filter*', { a: 1, c: 3 })).toBe(false);
  });

  it('them excludes identifiers starting with an underscore', () => {
    expect(run('1 of them', { d: 4 })).toBe(false);
    expect(run('all of them', { a: 1, b: 2, c: 3 })).toBe(true);
    expect(run('1 of _*', { d: 4 })).toBe(true);
  });

  it('a list of conditions is OR-linked', () => {
    expect(both(`${base}  condition:\n    - sel1\n    - sel2`, { b: 2 })).toBe(true);
  });

  it('rejects unknown identifiers, bad syntax and v1 aggregations with the line', () => {
    for (const condition of ['sel1 and nope', 'sel1 and', '(sel1', 'sel1 | count() > 5', 'sel1 sel2']) {
      const parsed = parseSigmaText(
        `title: t\nlogsource:\n  product: test\ndetection:\n${base}  condition: ${condition}\n`,
        'r.yml',
      );
      const engine = SigmaEngine.build(parsed.rules);
      expect(engine.rejections).toHaveLength(1);
      expect(engine.rejections[0]?.line).toBe(13);
    }
  });
});

describe('rule documents', () => {
  it('applies action: global to the documents that follow', () => {
    const text = `action: global\ntitle: shared\nlogsource:\n  product: test\ndetection:\n  base:\n    a: 1\n  condition: base and extra\n---\ndetection:\n  extra:\n    b: 2\n---\ndetection:\n  extra:\n    b: 3\n`;
    const parsed = parseSigmaText(text, 'multi.yml');
    expect(parsed.rejections).toEqual([]);
    const engine = SigmaEngine.build(parsed.rules);
    expect(engine.rules).toHaveLength(2);
    expect(engine.match(event({ a: 1, b: 3 }), () => {})).toBe(1);
  });

  it('names missing attributes and bad levels', () => {
    expect(
      parseSigmaText('logsource:\n  product: x\ndetection:\n  s:\n    a: 1\n  condition: s\n', 'r.yml').rejections[0]
        ?.reason,
    ).toBe("missing required attribute 'title'");
    const bad = parseSigmaText(
      'title: t\nlevel: severe\nlogsource:\n  product: x\ndetection:\n  s:\n    a: 1\n  condition: s\n',
      'r.yml',
    );
    expect(bad.rejections[0]).toMatchObject({ line: 2 });
  });

  it('a filter rule removes matches of the rules it names', () => {
    const rule =
      'title: r\nid: 11111111-1111-1111-1111-111111111111\nlogsource:\n  product: test\ndetection:\n  sel:\n    a: 1\n  condition: sel\n';
    const filter =
      'title: f\nlogsource:\n  product: test\nfilter:\n  rules:\n    - 11111111-1111-1111-1111-111111111111\n  selection:\n    host: dc1\n  condition: not selection\n';
    const rules = [...parseSigmaText(rule, 'r.yml').rules, ...parseSigmaText(filter, 'f.yml').rules];
    const engine = SigmaEngine.build(rules);
    expect(engine.match(event({ a: 1, host: 'ws1' }), () => {})).toBe(1);
    expect(engine.match(event({ a: 1, host: 'DC1' }), () => {})).toBe(0);
  });
});

describe('Windows logsources', () => {
  const windowsEvent = (channel: string, eventId: string, data: Record<string, unknown>): EcsEvent =>
    event({ winlog: { channel, event_id: eventId, event_data: data } });

  it('process_creation covers Sysmon 1 and Security 4688 with renamed fields', () => {
    const engine = engineFor("  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel", {
      logsource: '  product: windows\n  category: process_creation',
    });
    const hit = (e: EcsEvent): boolean => engine.match(e, () => {}) > 0;
    expect(hit(windowsEvent('Microsoft-Windows-Sysmon/Operational', '1', { Image: 'C:\\Windows\\whoami.exe' }))).toBe(
      true,
    );
    expect(hit(windowsEvent('Security', '4688', { NewProcessName: 'C:\\Windows\\whoami.exe' }))).toBe(true);
    expect(hit(windowsEvent('Microsoft-Windows-Sysmon/Operational', '3', { Image: 'C:\\Windows\\whoami.exe' }))).toBe(
      false,
    );
  });

  it('service security reads the Security channel and EventID from winlog', () => {
    const engine = engineFor('  sel:\n    EventID: 4625\n  condition: sel', {
      logsource: '  product: windows\n  service: security',
    });
    expect(engine.match(windowsEvent('Security', '4625', {}), () => {})).toBe(1);
    expect(engine.match(windowsEvent('System', '4625', {}), () => {})).toBe(0);
  });
});

describe('logsources without a mapping', () => {
  const ciscoKeywords = engineFor("  keywords:\n    - 'aaa'\n  condition: keywords", {
    logsource: '  product: cisco\n  service: aaa',
  });
  const hit = (engine: SigmaEngine, fields: Record<string, unknown>): boolean =>
    engine.match({ '@timestamp': '2026-01-01T00:00:00.000Z', unit: 'default', ...fields } as EcsEvent, () => {}) > 0;

  it('a cisco keyword rule does not fire on Zeek or Linux syslog events containing the keyword', () => {
    expect(
      hit(ciscoKeywords, { event: { id: 'CaaaB2x1' }, zeek: { session_id: 'CaaaB2x1', conn: { uid: 'CaaaB2x1' } } }),
    ).toBe(false);
    expect(hit(ciscoKeywords, { message: 'aaa authentication login default', process: { name: 'sshd' } })).toBe(false);
  });

  it('fires on events that name the product (Cisco ASA as our parser writes it)', () => {
    const asa = {
      message: 'AAA user authentication Rejected : reason = aaa server down',
      observer: { vendor: 'Cisco', product: 'asa', type: 'firewall' },
      cisco: { asa: { message_id: '113005' } },
    };
    expect(hit(ciscoKeywords, asa)).toBe(true);
    expect(hit(ciscoKeywords, { message: 'aaa', observer: { vendor: 'CISCO' } })).toBe(true);
    expect(hit(ciscoKeywords, { message: 'aaa', event: { dataset: 'cisco.ios' } })).toBe(true);
    expect(hit(ciscoKeywords, { message: 'aaa', observer: { vendor: 'Fortinet' } })).toBe(false);
  });

  it("keywords search the log's content, not the labels the parser adds (log.level: informational)", () => {
    const deletion = engineFor("  keywords:\n    - 'erase'\n    - 'delete'\n    - 'format'\n  condition: keywords", {
      logsource: '  product: cisco\n  service: aaa',
    });
    const asa = (message: string): Record<string, unknown> => ({
      message,
      event: { original: `%ASA-6-302013: ${message}`, kind: 'event', action: 'firewall-rule', type: ['info'] },
      log: { level: 'informational', file: { path: '/data/formats/asa.log' } },
      observer: { vendor: 'Cisco', product: 'asa' },
    });
    expect(hit(deletion, asa('Built inbound TCP connection 1 for net:10.0.0.1/53500'))).toBe(false);
    expect(hit(deletion, asa('User admin executed the format flash: command'))).toBe(true);
    expect(hit(deletion, { ...asa('Built inbound TCP connection'), event: { reason: 'delete requested' } })).toBe(true);
  });

  it('a Linux keyword rule runs on host logs, not on Zeek or firewall events', () => {
    const linux = engineFor("  keywords:\n    - 'wget '\n  condition: keywords", { logsource: '  product: linux' });
    expect(hit(linux, { message: 'root ran wget http://x', process: { name: 'bash' } })).toBe(true);
    expect(
      hit(linux, { message: 'GET / wget http://x', event: { original: 'wget http://x' }, zeek: { http: {} } }),
    ).toBe(false);
    expect(hit(linux, { message: 'wget http://x', observer: { vendor: 'Cisco' } })).toBe(false);
  });

  it('uses the aliases of a product (paloalto → Palo Alto Networks)', () => {
    const engine = engineFor("  keywords:\n    - 'globalprotect'\n  condition: keywords", {
      logsource: '  product: paloalto\n  service: globalprotect',
    });
    expect(hit(engine, { message: 'GlobalProtect login', observer: { vendor: 'Palo Alto Networks' } })).toBe(true);
    expect(hit(engine, { message: 'GlobalProtect login' })).toBe(false);
  });

  it('an unknown Windows service does not fire on Security events, only on the channel of that name', () => {
    const engine = engineFor('  sel:\n    EventID: 4624\n  condition: sel', {
      logsource: '  product: windows\n  service: made-up-service',
    });
    const windowsEvent = (channel: string): Record<string, unknown> => ({
      winlog: { channel, event_id: '4624', event_data: {} },
    });
    expect(hit(engine, windowsEvent('Security'))).toBe(false);
    expect(hit(engine, windowsEvent('System'))).toBe(false);
    expect(hit(engine, windowsEvent('Made-Up-Service'))).toBe(true);
  });

  it('ldap and smbserver-connectivity read their own channels', () => {
    for (const [service, channel] of [
      ['ldap', 'Microsoft-Windows-LDAP-Client/Debug'],
      ['smbserver-connectivity', 'Microsoft-Windows-SMBServer/Connectivity'],
    ] as const) {
      const engine = engineFor('  sel:\n    EventID: 30\n  condition: sel', {
        logsource: `  product: windows\n  service: ${service}`,
      });
      expect(hit(engine, { winlog: { channel, event_id: '30' } })).toBe(true);
      expect(hit(engine, { winlog: { channel: 'Security', event_id: '30' } })).toBe(false);
    }
  });

  it('an unknown Windows category matches no event and says so', () => {
    const text =
      'title: t\nlogsource:\n  product: windows\n  category: file_access\ndetection:\n  sel:\n    EventID: 1\n  condition: sel\n';
    const engine = SigmaEngine.build(parseSigmaText(text, 'w.yml').rules);
    expect(engine.rejections).toEqual([]);
    expect(engine.warnings.map((w) => w.reason)).toEqual([
      "logsource category 'file_access' is not mapped for Windows: the rule matches no event",
    ]);
    expect(hit(engine, { winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1' } })).toBe(false);
    expect(hit(engine, { winlog: { channel: 'Security', event_id: '1' } })).toBe(false);
  });
});

describe('Zeek logsources', () => {
  // The SigmaHQ rule "Suspicious DNS Z Flag Bit Set", reduced to its Z and query parts.
  const zFlag = engineFor(
    "  z_flag_unset:\n    Z: 0\n  most_probable_valid_domain:\n    query|contains: '.'\n  condition: not z_flag_unset and most_probable_valid_domain",
    { logsource: '  product: zeek\n  service: dns' },
  );
  const zeekDns = (dns: Record<string, unknown>): EcsEvent =>
    event({
      dns: { question: { name: 'example.com' } },
      zeek: { session_id: 'C1', dns: { query: 'example.com', ...dns } },
    });
  const fires = (e: EcsEvent): boolean => zFlag.match(e, () => {}) > 0;

  it('reads Zeek dns fields under zeek.dns (Z as the parser keeps it)', () => {
    expect(fires(zeekDns({ Z: 0 }))).toBe(false);
    expect(fires(zeekDns({ Z: 1 }))).toBe(true);
    expect(fires(zeekDns({ Z: '1' }))).toBe(true);
  });

  it('null semantics: a missing Z makes `Z: 0` false, so `not Z: 0` is true (plain negation, as the spec defines it)', () => {
    const plain = engineFor('  sel:\n    Z: 0\n  condition: sel', { logsource: '  product: zeek\n  service: dns' });
    expect(plain.match(zeekDns({}), () => {})).toBe(0);
    expect(plain.match(zeekDns({ Z: 0 }), () => {})).toBe(1);
    const absent = engineFor('  sel:\n    Z: null\n  condition: sel', { logsource: '  product: zeek\n  service: dns' });
    expect(absent.match(zeekDns({}), () => {})).toBe(1);
    expect(absent.match(zeekDns({ Z: 0 }), () => {})).toBe(0);
    expect(fires(zeekDns({}))).toBe(true);
  });

  it('a zeek dns rule runs only on Zeek dns events', () => {
    expect(fires(event({ zeek: { session_id: 'C1', conn: { query: 'a.b', Z: 1 } } }))).toBe(false);
    expect(fires(event({ dns: { question: { name: 'a.b' } }, Z: 1 }))).toBe(false);
  });

  it('maps the web-log names of Zeek http rules', () => {
    const engine = engineFor("  sel:\n    c-uri|contains: '/evil'\n    c-useragent: 'curl/8'\n  condition: sel", {
      logsource: '  product: zeek\n  service: http',
    });
    const http = { zeek: { http: { uri: '/evil?x', user_agent: 'curl/8' } } };
    expect(engine.match(event(http), () => {})).toBe(1);
    expect(engine.match(event({ ...http, url: { original: '/good' } }), () => {})).toBe(0);
  });
});

describe('building while a node runs', () => {
  const ruleText = (index: number, product = 'test'): string =>
    `title: rule ${index}\nid: 00000000-0000-0000-0000-${String(index).padStart(12, '0')}\nlogsource:\n  product: ${product}\ndetection:\n  sel:\n    a|contains: "<needle${index}>"\n  condition: sel\nlevel: low\n`;
  const rules = parseSigmaText(
    Array.from({ length: 40 }, (_, index) => ruleText(index)).join('---\n'),
    'many.yml',
  ).rules;

  it('buildInSlices compiles the same rules as build and lets other work run in between', async () => {
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    // A zero-length slice yields after every rule.
    const sliced = await SigmaEngine.buildInSlices(rules, {}, 0);
    ticking = false;
    const whole = SigmaEngine.build(rules);
    expect(ticks).toBeGreaterThanOrEqual(rules.length - 1);
    expect(sliced.rules.map((rule) => rule.rule.id)).toEqual(whole.rules.map((rule) => rule.rule.id));
    const hits = (engine: SigmaEngine): string[] => {
      const ids: string[] = [];
      engine.match(event({ a: 'xx <needle7> <needle12>' }), (rule) => ids.push(rule.rule.id!));
      return ids;
    };
    expect(hits(sliced)).toEqual(hits(whole));
    expect(hits(sliced)).toHaveLength(2);
  });

  it('warm builds the buckets another engine has seen, so the first event finds them ready', async () => {
    const windowsRule = parseSigmaText(
      'title: w\nlogsource:\n  product: windows\n  service: security\ndetection:\n  sel:\n    EventID: 4688\n  condition: sel\n',
      'w.yml',
    ).rules;
    const old = SigmaEngine.build([...rules, ...windowsRule]);
    old.match(event({ a: 'x' }), () => {});
    old.match(event({ winlog: { channel: 'Security', event_id: '4688', event_data: {} } }), () => {});
    const keys = old.bucketKeys();
    expect(keys).toEqual([{ eventId: '' }, { channel: 'Security', eventId: '4688' }]);
    const fresh = SigmaEngine.build([...rules, ...windowsRule]);
    expect(fresh.bucketKeys()).toEqual([]);
    await fresh.warm(keys, 0);
    expect(fresh.bucketKeys()).toEqual(keys);
    let matched = 0;
    fresh.match(event({ winlog: { channel: 'Security', event_id: '4688', event_data: {} } }), () => matched++);
    expect(matched).toBe(1);
  });
});
