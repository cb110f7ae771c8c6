import { describe, expect, it } from 'vitest';
import type { Alert, AlertLevel } from '../model/alert.ts';
import type { EcsEvent } from '../model/event.ts';
import { eventEntities, normaliseHost, normaliseUser } from './entities.ts';
import { IncidentEngine } from './incident-engine.ts';
import { computePriority, rarityWeight } from './priority.ts';

const t0 = Date.UTC(2026, 10, 22, 9, 0, 0);
let sequence = 0;

function alert(
  rule: string,
  level: AlertLevel,
  event: Partial<EcsEvent>,
  options: { minutes?: number; unit?: string; tactics?: string[]; kind?: Alert['kind']; intel?: number } = {},
): Alert {
  const time = t0 + (options.minutes ?? 0) * 60_000;
  const id = `A${++sequence}`;
  return {
    id,
    unit: options.unit ?? 'hq',
    kind: options.kind ?? 'sigma',
    '@timestamp': new Date(time).toISOString(),
    createdAt: time,
    rule: { id: rule, title: `Rule ${rule}`, level, author: 'Test Author' },
    attack: { tactics: (options.tactics ?? []).map((tactic) => ({ id: tactic })), techniques: [] },
    eventIds: [`E${sequence}`],
    event: { '@timestamp': new Date(time).toISOString(), unit: options.unit ?? 'hq', ...event } as EcsEvent,
    intel:
      options.intel !== undefined
        ? { indicator: '203.0.113.9', type: 'ip', field: 'source.ip', source: 'feed', confidence: options.intel }
        : undefined,
  };
}

const onHost = (host: string, user?: string, extra: Record<string, unknown> = {}) => ({
  host: { name: host },
  ...(user ? { user: { name: user } } : {}),
  ...extra,
});

describe('entities', () => {
  it('normalises host and user names and drops system accounts and local addresses', () => {
    expect(normaliseHost('WS-042.corp.example')).toBe('ws-042');
    expect(normaliseHost('10.1.2.3')).toBe('10.1.2.3');
    expect(normaliseUser('CORP\\Alice')).toBe('alice');
    expect(normaliseUser('alice@corp.example')).toBe('alice');
    for (const system of ['SYSTEM', 'NT AUTHORITY\\SYSTEM', 'WS-042$', '-', ''])
      expect(normaliseUser(system)).toBeUndefined();
    const entities = eventEntities({
      '@timestamp': '',
      unit: 'hq',
      host: { name: 'WS1' },
      source: { ip: '127.0.0.1' },
      destination: { ip: '203.0.113.9' },
      process: { entity_id: '{ABC-1}', parent: { entity_id: '{ABC-0}' } },
    });
    expect(entities).toEqual([
      { kind: 'host', value: 'ws1' },
      { kind: 'ip', value: '203.0.113.9' },
      { kind: 'process', value: 'abc-1' },
      { kind: 'process', value: 'abc-0' },
    ]);
  });
});

describe('IncidentEngine', () => {
  it('folds repeated alerts of one rule on the same host and user into one group', () => {
    const engine = new IncidentEngine();
    for (let n = 0; n < 50; n++) engine.addAlert(alert('r1', 'medium', onHost('ws1', 'alice'), { minutes: n }));
    engine.addAlert(alert('r1', 'medium', onHost('ws1', 'bob'), { minutes: 51 }));
    const groups = engine.groups.sort((a, b) => b.count - a.count);
    expect(groups.map((group) => group.count)).toEqual([50, 1]);
    expect(groups[0]).toMatchObject({ firstSeen: t0, lastSeen: t0 + 49 * 60_000, ruleAuthor: 'Test Author' });
    expect(groups[0]!.alertIds).toHaveLength(20);
    // Both groups are on ws1: one incident.
    expect(engine.incidents).toHaveLength(1);
    expect(engine.incidents[0]!.alertCount).toBe(51);
  });

  it('links a network alert on an address to the endpoint alerts of the host that owns it', () => {
    const engine = new IncidentEngine();
    engine.addAlert(
      alert('sysmon-lsass', 'high', onHost('ws7', 'carol', { host: { name: 'ws7', ip: ['10.0.0.7'] } }), {
        tactics: ['TA0006'],
      }),
    );
    const outcome = engine.addAlert(
      alert(
        'suricata-c2',
        'high',
        { source: { ip: '10.0.0.7' }, destination: { ip: '198.51.100.20' }, observer: { hostname: 'ids1' } },
        { minutes: 5, tactics: ['TA0011'] },
      ),
    );
    expect(outcome.incidentCreated).toBe(false);
    expect(engine.incidents).toHaveLength(1);
    expect(engine.incidents[0]!.tactics.map((tactic) => tactic.id)).toEqual(['TA0006', 'TA0011']);
  });

  it('never merges busy, unrelated hosts through a hub entity such as a shared DNS server', () => {
    const engine = new IncidentEngine();
    for (let n = 0; n < 6; n++) {
      engine.addAlert(
        alert('dns-odd', 'medium', onHost(`ws${n}`, undefined, { destination: { ip: '10.0.0.53' } }), { minutes: n }),
      );
    }
    // The first hosts linked through the resolver before it was known to be a hub; the later ones did not.
    const sizes = engine.incidents.map((incident) => incident.groupIds.length).sort();
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
  });

  it('does not let a shared admin account or a popular domain chain many hosts into one incident', () => {
    const engine = new IncidentEngine();
    for (let n = 0; n < 12; n++) {
      engine.addAlert(
        alert(
          'admin-tool',
          'medium',
          onHost(`srv${n}`, 'adm.silva', { dns: { question: { name: 'update.vendor.example' } } }),
          { minutes: n },
        ),
      );
    }
    const hosts = engine.incidents.map(
      (incident) => incident.entities.filter((entity) => entity.kind === 'host').length,
    );
    expect(Math.max(...hosts)).toBeLessThanOrEqual(2);
    expect(engine.incidents.length).toBeGreaterThanOrEqual(6);
  });

  it('merges two incidents when a later alert links them, and reports the merge', () => {
    const engine = new IncidentEngine();
    engine.addAlert(alert('r1', 'high', onHost('ws1', 'dave')));
    engine.addAlert(alert('r2', 'high', onHost('srv9', 'erin'), { minutes: 1 }));
    expect(engine.incidents).toHaveLength(2);
    const outcome = engine.addAlert(
      alert('r3', 'high', { host: { name: 'ws1' }, user: { name: 'erin' } }, { minutes: 2 }),
    );
    expect(outcome.mergedIncidentIds).toHaveLength(1);
    expect(engine.incidents).toHaveLength(1);
    expect(engine.incidents[0]!.groupIds).toHaveLength(3);
  });

  it('keeps units apart even for identical host names', () => {
    const engine = new IncidentEngine();
    engine.addAlert(alert('r1', 'high', onHost('ws1'), { unit: 'bank-a' }));
    engine.addAlert(alert('r1', 'high', onHost('ws1'), { unit: 'bank-b' }));
    expect(engine.incidents.map((incident) => incident.unit).sort()).toEqual(['bank-a', 'bank-b']);
  });

  it('starts a new incident for the same host after the link window', () => {
    const engine = new IncidentEngine({ linkWindowMs: 3_600_000, dedupWindowMs: 3_600_000 });
    engine.addAlert(alert('r1', 'high', onHost('ws1')));
    engine.addAlert(alert('r1', 'high', onHost('ws1'), { minutes: 180 }));
    expect(engine.incidents).toHaveLength(2);
  });

  it('puts a multi-tactic attack above the threshold and holds back a lone low alert with the reason', () => {
    const engine = new IncidentEngine();
    engine.addAlert(alert('exec', 'high', onHost('victim', 'alice'), { tactics: ['TA0002'] }));
    engine.addAlert(alert('cred', 'high', onHost('victim', 'alice'), { minutes: 3, tactics: ['TA0006'] }));
    engine.addAlert(alert('lateral', 'medium', onHost('victim', 'alice'), { minutes: 9, tactics: ['TA0008'] }));
    engine.addAlert(alert('noise', 'low', onHost('printer-3')));
    const [attack, noise] = engine.incidents.sort((a, b) => b.priority - a.priority);
    expect(attack).toMatchObject({ needsAttention: true });
    expect(attack!.priority).toBeGreaterThan(70);
    expect(attack!.title).toBe('Rule exec and 2 more detections on victim (alice)');
    expect(noise).toMatchObject({ needsAttention: false, heldBackReason: 'only low-level alerts' });
  });

  it('weights down rules that fire on many hosts of the unit', () => {
    const engine = new IncidentEngine({ activeHosts: () => 20 });
    for (let n = 0; n < 15; n++) engine.addAlert(alert('admin-script', 'medium', onHost(`ws${n}`)));
    engine.addAlert(alert('rare', 'medium', onHost('ws99')));
    engine.refreshAll();
    const rare = engine.incidents.find((incident) => incident.title.includes('Rule rare'))!;
    const common = engine.incidents.find((incident) => incident.title.includes('admin-script'))!;
    expect(rare.priority).toBeGreaterThan(common.priority);
  });
});

describe('IncidentEngine: what never links two hosts', () => {
  it('keeps local accounts, process ids and installed programs on their own host', () => {
    const engine = new IncidentEngine();
    const sysmon = (host: string, minutes: number) =>
      alert(
        `r-${host}`,
        'high',
        {
          host: { name: host },
          user: { name: 'IEUser', domain: host.toUpperCase() },
          process: {
            entity_id: '{747F3D96-5A29-5D45-0000-0010DEB99000}',
            executable: 'C:\\Windows\\System32\\rundll32.exe',
            hash: { sha256: 'AA11' },
          },
        },
        { minutes },
      );
    engine.addAlert(sysmon('lab1', 0));
    engine.addAlert(sysmon('lab2', 5));
    expect(engine.incidents).toHaveLength(2);
  });

  it('links two hosts running the same dropped tool, and two alerts of one domain account', () => {
    const engine = new IncidentEngine();
    const tool = (host: string, minutes: number) =>
      alert(
        `t-${host}`,
        'high',
        { host: { name: host }, process: { executable: 'C:\\Users\\Public\\x.exe', hash: { sha256: 'BB22' } } },
        { minutes },
      );
    engine.addAlert(tool('ws1', 0));
    engine.addAlert(tool('ws2', 5));
    expect(engine.incidents).toHaveLength(1);
    const accounts = new IncidentEngine();
    accounts.addAlert(alert('a1', 'high', { host: { name: 'ws1' }, user: { name: 'carol', domain: 'CORP' } }));
    accounts.addAlert(
      alert('a2', 'high', { host: { name: 'srv1' }, user: { name: 'carol', domain: 'CORP' } }, { minutes: 4 }),
    );
    expect(accounts.incidents).toHaveLength(1);
  });

  it('does not chain hosts through a server everyone talks to, nor through an address two hosts claim', () => {
    const engine = new IncidentEngine({ ipOwner: (_unit, ip) => (ip === '10.0.0.53' ? 'dns1' : undefined) });
    for (let n = 0; n < 8; n++)
      engine.addAlert(
        alert('dns-odd', 'medium', { source: { ip: `10.0.1.${n}` }, destination: { ip: '10.0.0.53' } }, { minutes: n }),
      );
    // Each client query names the resolver's owner; once the resolver is a hub nothing more joins.
    expect(Math.max(...engine.incidents.map((incident) => incident.groupIds.length))).toBeLessThanOrEqual(3);

    const nat = new IncidentEngine();
    nat.addAlert(alert('x', 'high', { host: { name: 'vm1', ip: ['10.0.2.15'] } }));
    nat.addAlert(alert('y', 'high', { host: { name: 'vm2', ip: ['10.0.2.15'] } }, { minutes: 300 }));
    nat.addAlert(alert('z', 'high', { destination: { ip: '10.0.2.15' } }, { minutes: 301 }));
    expect(nat.incidents).toHaveLength(3);
  });
});

describe('IncidentEngine: routine behaviour', () => {
  const process = (host: string, image: string, parent: string, user?: string) => ({
    host: { name: host },
    process: { executable: image, parent: { executable: parent } },
    ...(user ? { user: { name: user, domain: 'CORP' } } : {}),
  });

  it('holds back a behaviour that recurs on its host through the day, and still raises a rare one', () => {
    const engine = new IncidentEngine();
    for (let hour = 0; hour < 6; hour++)
      engine.addAlert(
        alert('policy-bypass', 'medium', process('srv1', 'C:\\w\\powershell.exe', 'C:\\w\\ccmexec.exe'), {
          minutes: hour * 60,
        }),
      );
    const routine = engine.incidents[0]!;
    expect(routine).toMatchObject({ needsAttention: false });
    expect(routine.heldBackReason).toMatch(/^only routine activity: the behaviour recurs on its host/);
    engine.addAlert(
      alert('pcalua', 'medium', process('srv1', 'C:\\w\\pcalua.exe', 'C:\\w\\cmd.exe'), { minutes: 400 }),
    );
    expect(engine.incidents[0]).toMatchObject({ needsAttention: true });
    // A lone medium rule that is not routine is enough.
    const lone = new IncidentEngine();
    lone.addAlert(alert('msxsl', 'medium', process('ws9', 'C:\\u\\msxsl.exe', 'C:\\w\\cmd.exe')));
    expect(lone.incidents[0]).toMatchObject({ needsAttention: true });
  });

  it("re-scores earlier incidents once a rule turns out to be one account's sweep", () => {
    const engine = new IncidentEngine();
    const outcomes = [0, 1, 2, 3].map((n) =>
      engine.addAlert(
        alert('whoami-all', 'medium', process(`srv${n}`, 'C:\\w\\whoami.exe', 'C:\\w\\cmd.exe', 'adm.silva'), {
          minutes: n * 200,
        }),
      ),
    );
    expect(outcomes[0]!.incident.needsAttention).toBe(true);
    // The fourth host shows the sweep: the first three are re-scored and held back, and reported.
    expect(outcomes[3]!.rescored.map((incident) => incident.needsAttention)).toEqual([false, false, false]);
    expect(engine.incidents.every((incident) => !incident.needsAttention)).toBe(true);
    // Another account running the same command is not the administrator's routine.
    const other = engine.addAlert(
      alert('whoami-all', 'medium', process('srv9', 'C:\\w\\whoami.exe', 'C:\\w\\cmd.exe', 'mallory'), {
        minutes: 900,
      }),
    );
    expect(other.incident.needsAttention).toBe(true);
  });
});

describe('priority', () => {
  const group = (level: AlertLevel, extra: Record<string, unknown> = {}) => ({
    id: 'g',
    unit: 'hq',
    ruleId: 'r',
    ruleTitle: 'r',
    level,
    kind: 'sigma',
    key: 'k',
    count: 1,
    firstSeen: 0,
    lastSeen: 0,
    alertIds: [],
    eventIds: [],
    entities: [],
    tactics: [],
    techniques: [],
    ...extra,
  });

  it('rises with severity, intel and asset criticality, and stays within 0–100', () => {
    const none = { prevalence: () => 0 };
    const low = computePriority([group('low')], none).priority;
    const high = computePriority([group('high')], none).priority;
    const intel = computePriority([group('high', { intelConfidence: 90 })], none).priority;
    const critical = computePriority([group('high')], { ...none, criticality: 'critical' }).priority;
    expect(low).toBeLessThan(high);
    expect(high).toBeLessThan(intel);
    expect(high).toBeLessThan(critical);
    const many = computePriority(
      Array.from({ length: 50 }, () => group('critical', { count: 1000 })),
      none,
    ).priority;
    expect(many).toBeLessThanOrEqual(100);
    expect(rarityWeight(0.01)).toBe(1);
    expect(rarityWeight(1)).toBe(0.2);
  });
});

describe('IncidentEngine: meeting places', () => {
  it('does not chain workstations into one incident through the domain controller their users log on to', () => {
    const engine = new IncidentEngine();
    for (let n = 0; n < 8; n++) {
      engine.addAlert(
        alert(
          'ws-rule',
          'medium',
          { host: { name: `ws${n}` }, user: { name: `user${n}`, domain: 'CORP' } },
          { minutes: n },
        ),
      );
      engine.addAlert(
        alert(
          'dc-logon',
          'medium',
          { host: { name: 'dc1' }, user: { name: `user${n}`, domain: 'CORP' } },
          { minutes: n },
        ),
      );
    }
    const hosts = engine.incidents.map(
      (incident) => incident.entities.filter((entity) => entity.kind === 'host').length,
    );
    expect(Math.max(...hosts)).toBeLessThanOrEqual(5);
    expect(engine.incidents.length).toBeGreaterThanOrEqual(3);
  });
});

describe('IncidentEngine state across restarts', () => {
  it('a restored engine keeps folding an ongoing attack into the same group and incident', () => {
    const before = new IncidentEngine();
    const first = before.addAlert(alert('r1', 'high', onHost('ws-7', 'eve'), { minutes: 0, tactics: ['TA0002'] }));
    before.addAlert(alert('r2', 'high', onHost('ws-7', 'eve'), { minutes: 5, tactics: ['TA0006'] }));
    // Through JSON, as the SOC store keeps it.
    const state = JSON.parse(JSON.stringify(before.saveState()));
    const after = new IncidentEngine();
    expect(after.restoreState(state)).toBe(true);
    expect(after.size).toEqual(before.size);
    expect(after.priorityParts(first.incident.id)).toEqual(before.priorityParts(first.incident.id));
    const again = after.addAlert(alert('r1', 'high', onHost('ws-7', 'eve'), { minutes: 30 }));
    expect(again.groupCreated).toBe(false);
    expect(again.group.id).toBe(first.group.id);
    expect(again.group.count).toBe(2);
    expect(again.incident.id).toBe(first.incident.id);
    expect(again.incident.alertCount).toBe(3);
    // A fresh engine (the old behaviour after a restart) would have opened a new incident.
    const fresh = new IncidentEngine().addAlert(alert('r1', 'high', onHost('ws-7', 'eve'), { minutes: 30 }));
    expect(fresh.incident.id).not.toBe(first.incident.id);
  });

  it('keeps what it learnt is routine', () => {
    const before = new IncidentEngine();
    // The same behaviour on one host in four distinct hours is routine there.
    for (const hour of [0, 1, 2, 3])
      before.addAlert(
        alert('noisy', 'medium', onHost('srv-1', 'svc', { process: { name: 'backup.exe' } }), { minutes: hour * 60 }),
      );
    const routine = before.addAlert(
      alert('noisy', 'medium', onHost('srv-1', 'svc', { process: { name: 'backup.exe' } }), { minutes: 4 * 60 }),
    );
    expect(routine.incident.needsAttention).toBe(false);
    const after = new IncidentEngine();
    after.restoreState(JSON.parse(JSON.stringify(before.saveState())));
    // A day later (a new group), the behaviour is still known as routine on that host.
    const later = after.addAlert(
      alert('noisy', 'medium', onHost('srv-1', 'svc', { process: { name: 'backup.exe' } }), { minutes: 30 * 60 }),
    );
    expect(after.routineReason(later.group.id)).toBe('recurs-on-host');
    const forgetful = new IncidentEngine();
    const cold = forgetful.addAlert(
      alert('noisy', 'medium', onHost('srv-1', 'svc', { process: { name: 'backup.exe' } }), { minutes: 30 * 60 }),
    );
    expect(forgetful.routineReason(cold.group.id)).toBeUndefined();
  });

  it('keeps its learnt statistics bounded, forgetting the least recently used first', () => {
    const engine = new IncidentEngine({ maxLearnedKeys: 50 });
    const backup = (minutes: number) =>
      alert('noisy', 'medium', onHost('srv-1', 'svc', { process: { name: 'backup.exe' } }), { minutes });
    for (const hour of [0, 1, 2, 3]) engine.addAlert(backup(hour * 60));
    // Many one-off processes on many hosts, each a new key of the entity and behaviour statistics.
    for (let index = 0; index < 300; index++) {
      engine.addAlert(
        alert(
          'oneoff',
          'low',
          onHost(`ws-${index}`, undefined, { process: { entity_id: `{P-${index}}`, name: `tool${index}.exe` } }),
          {
            minutes: 240 + index,
          },
        ),
      );
      // The backup keeps running: its statistics stay recently used.
      if (index % 20 === 0) engine.addAlert(backup(240 + index));
    }
    expect(engine.size.learnedKeys).toBeGreaterThan(50);
    engine.forgetClosed();
    expect(engine.size.learnedKeys).toBeLessThanOrEqual(50);
    const later = engine.addAlert(backup(30 * 60));
    expect(engine.routineReason(later.group.id)).toBe('recurs-on-host');
  });

  it('forgets groups and incidents that can no longer grow, and ignores a state it does not know', () => {
    const engine = new IncidentEngine({ dedupWindowMs: 3_600_000, linkWindowMs: 3_600_000 });
    const old = engine.addAlert(alert('r1', 'high', onHost('ws-1'), { minutes: 0 }));
    const recent = engine.addAlert(alert('r1', 'high', onHost('ws-2'), { minutes: 5 * 60 }));
    expect(engine.size).toMatchObject({ groups: 2, incidents: 2 });
    // Latest event at 5 h, windows of 1 h: what was last seen before 3 h is closed.
    expect(engine.forgetClosed()).toBe(1);
    expect(engine.size).toMatchObject({ groups: 1, incidents: 1 });
    expect(engine.incident(old.incident.id)).toBeUndefined();
    expect(engine.incident(recent.incident.id)).toBeDefined();
    // A late alert for the forgotten host starts afresh instead of reviving a closed incident.
    const late = engine.addAlert(alert('r1', 'high', onHost('ws-1'), { minutes: 5 * 60 + 10 }));
    expect(late.incident.id).not.toBe(old.incident.id);
    expect(new IncidentEngine().restoreState({ version: 99 } as never)).toBe(false);
    // One event stamped years ahead does not make everything look closed: it is believed only up
    // to an hour ahead of the machine's clock.
    const live = new IncidentEngine({ dedupWindowMs: 3_600_000, linkWindowMs: 3_600_000 });
    const nowMinutes = Math.floor((Date.now() - t0) / 60_000);
    const current = live.addAlert(alert('r1', 'high', onHost('ws-3'), { minutes: nowMinutes }));
    live.addAlert(alert('r9', 'high', onHost('ws-9'), { minutes: nowMinutes + 60 * 24 * 365 * 10 }));
    expect(live.forgetClosed()).toBe(0);
    expect(live.incident(current.incident.id)).toBeDefined();
  });
});
