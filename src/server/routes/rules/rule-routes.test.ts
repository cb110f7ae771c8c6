import { describe, expect, it } from 'vitest';
import type { CatalogRule } from '../../../detect/rule-catalog.ts';
import { matchesTag } from './rule-routes.ts';

const rule = (tags: string[], attack: CatalogRule['attack'] = { tactics: [], techniques: [] }): CatalogRule => ({
  id: 'r',
  kind: 'detection',
  title: 'r',
  level: 'low',
  references: [],
  tags,
  path: 'r.yml',
  line: 1,
  attack,
});

describe('matchesTag', () => {
  it('matches a tag, a technique with its sub-techniques, and a tactic id', () => {
    const lsass = rule(['attack.credential-access', 'attack.t1003.001'], {
      tactics: [{ id: 'TA0006', name: 'Credential Access' }],
      techniques: [{ id: 'T1003.001', name: 'LSASS Memory' }],
    });
    expect(matchesTag(lsass, 'attack.t1003.001')).toBe(true);
    expect(matchesTag(lsass, 'T1003')).toBe(true);
    expect(matchesTag(lsass, 'T1003.001')).toBe(true);
    expect(matchesTag(lsass, 'TA0006')).toBe(true);
    expect(matchesTag(lsass, 'T1003.002')).toBe(false);
    expect(matchesTag(lsass, 'T100')).toBe(false);
  });

  it('works from the tags alone when no ATT&CK catalogue is loaded', () => {
    const untagged = rule(['attack.credential-access', 'attack.t1003.001']);
    expect(matchesTag(untagged, 'T1003')).toBe(true);
    expect(matchesTag(untagged, 'attack.credential-access')).toBe(true);
    expect(matchesTag(untagged, 'T1059')).toBe(false);
  });
});
