import { describe, expect, it } from 'vitest';
import { InventoryIndex } from './inventory-index.ts';

const index = new InventoryIndex({
  units: [
    { id: 'hq', name: 'HQ', cidrs: ['10.0.0.0/8'] },
    { id: 'finance', name: 'Finance', parent: 'hq', cidrs: ['10.1.0.0/16'], attentionThreshold: 55 },
    { id: 'hr', name: 'HR', parent: 'hq' },
  ],
  assets: [
    { id: 'fin-db-01', unit: 'finance', hostname: 'FIN-DB-01.bank.local', ip: ['10.1.2.3'], criticality: 'critical' },
    { id: 'hr-ws-1', unit: 'hr', hostname: 'hr-ws-1.bank.local', criticality: 'low' },
    { id: 'hr-ws-1-dup-short', unit: 'hr', hostname: 'hr-ws-1.other.local', criticality: 'high' },
  ],
});

describe('InventoryIndex', () => {
  it('finds assets by name (full or first label, any case) and by address', () => {
    expect(index.assetForHostname('fin-db-01')?.id).toBe('fin-db-01');
    expect(index.assetForHostname('FIN-DB-01.BANK.LOCAL.')?.id).toBe('fin-db-01');
    expect(index.assetForHostname('fin-db-01.elsewhere')?.id).toBe('fin-db-01');
    expect(index.assetForAddress('10.1.2.3')?.id).toBe('fin-db-01');
    expect(index.assetForAddress('::ffff:10.1.2.3')?.id).toBe('fin-db-01');
    // Two assets share the short name "hr-ws-1": only the full names identify them.
    expect(index.assetForHostname('hr-ws-1')).toBeUndefined();
    expect(index.assetForHostname('hr-ws-1.other.local')?.id).toBe('hr-ws-1-dup-short');
  });

  it('knows the hierarchy', () => {
    expect(index.isWithin('finance', 'hq')).toBe(true);
    expect(index.isWithin('hq', 'finance')).toBe(false);
    expect(index.isWithin('hr', 'finance')).toBe(false);
    expect(index.isWithin('hr', 'hr')).toBe(true);
  });

  it("answers correlation's questions within one unit only", () => {
    expect(index.assetCriticality('finance', 'fin-db-01')).toBe('critical');
    expect(index.assetCriticality('finance', '10.1.2.3')).toBe('critical');
    expect(index.assetCriticality('hr', 'fin-db-01')).toBeUndefined();
    expect(index.ipOwner('finance', '10.1.2.3')).toBe('FIN-DB-01.bank.local');
    expect(index.ipOwner('hr', '10.1.2.3')).toBeUndefined();
    expect(index.attentionThreshold('finance')).toBe(55);
    expect(index.attentionThreshold('hq')).toBeUndefined();
  });
});
