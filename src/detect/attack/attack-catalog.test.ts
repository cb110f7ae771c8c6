import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import { AttackCatalog } from './attack-catalog.ts';

const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
const small = AttackCatalog.fromStixBundle({
  objects: [
    { type: 'x-mitre-matrix', tactic_refs: ['x-mitre-tactic--b', 'x-mitre-tactic--a'] },
    {
      type: 'x-mitre-tactic',
      id: 'x-mitre-tactic--a',
      name: 'Defense Evasion',
      x_mitre_shortname: 'defense-evasion',
      external_references: ref('TA0005'),
    },
    {
      type: 'x-mitre-tactic',
      id: 'x-mitre-tactic--b',
      name: 'Execution',
      x_mitre_shortname: 'execution',
      external_references: ref('TA0002'),
    },
    {
      type: 'attack-pattern',
      name: 'Command and Scripting Interpreter',
      external_references: ref('T1059'),
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
    },
    {
      type: 'attack-pattern',
      name: 'PowerShell',
      external_references: ref('T1059.001'),
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
    },
    { type: 'attack-pattern', name: 'Old', external_references: ref('T9999'), revoked: true },
  ],
});

describe('AttackCatalog', () => {
  it('orders tactics as the matrix does and links sub-techniques to their parent', () => {
    expect(small.tactics.map((tactic) => tactic.id)).toEqual(['TA0002', 'TA0005']);
    expect(small.technique('t1059.001')).toEqual({
      id: 'T1059.001',
      name: 'PowerShell',
      tactics: ['execution'],
      parent: 'T1059',
    });
    expect(small.technique('T9999')).toBeUndefined();
  });

  it('resolves Sigma tags to tactic and technique ids with names', () => {
    expect(small.resolveTags(['attack.defense_evasion', 'attack.t1059.001', 'attack.g0016', 'cve.2021-1'])).toEqual({
      tactics: [{ id: 'TA0005', name: 'Defense Evasion' }],
      techniques: [{ id: 'T1059.001', name: 'PowerShell' }],
    });
    // No tactic tag: the technique's own tactics are implied.
    expect(small.resolveTags(['attack.t1059.001']).tactics).toEqual([{ id: 'TA0002', name: 'Execution' }]);
    // Unknown technique ids are kept (the rule says so) without a name.
    expect(small.resolveTags(['attack.t1234']).techniques).toEqual([{ id: 'T1234', name: undefined }]);
  });

  it('rejects a document that is not a bundle', () => {
    expect(() => AttackCatalog.fromStixBundle({})).toThrow(/not an ATT&CK STIX bundle/);
  });
});

describe.skipIf(!hasSharedData('attack', 'enterprise-attack.json'))('the Enterprise ATT&CK bundle', () => {
  it('has the 14 Enterprise tactics in kill-chain order and hundreds of techniques', () => {
    const catalog = AttackCatalog.fromStixBundle(
      JSON.parse(readFileSync(sharedData('attack', 'enterprise-attack.json'), 'utf8')),
    );
    expect(catalog.tactics.map((tactic) => tactic.shortname)).toEqual([
      'reconnaissance',
      'resource-development',
      'initial-access',
      'execution',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
      'credential-access',
      'discovery',
      'lateral-movement',
      'collection',
      'command-and-control',
      'exfiltration',
      'impact',
    ]);
    expect(catalog.techniques.length).toBeGreaterThan(500);
    expect(catalog.technique('T1003.001')?.name).toBe('LSASS Memory');
    expect(catalog.resolveTags(['attack.credential_access', 'attack.t1003.001'])).toEqual({
      tactics: [{ id: 'TA0006', name: 'Credential Access' }],
      techniques: [{ id: 'T1003.001', name: 'LSASS Memory' }],
    });
  });
});
