import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InventoryError, inventoryProblems } from './inventory.ts';
import { loadInventoryFiles, parseInventoryText } from './inventory-file.ts';

const fixture = (name: string) => join(import.meta.dirname, '__fixtures__', name);

async function problemsOf(...names: string[]): Promise<string[]> {
  try {
    await loadInventoryFiles(names.map(fixture));
  } catch (error) {
    if (error instanceof InventoryError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('inventory files', () => {
  it('reads units and assets from YAML, with aliases and both list spellings', async () => {
    const inventory = await loadInventoryFiles([fixture('inventory.yaml')]);
    expect(inventory.units.map((unit) => unit.id)).toEqual(['hq', 'finance', 'branch12', 'partner']);
    expect(inventory.units[0]).toEqual({
      id: 'hq',
      name: 'Headquarters',
      cidrs: ['10.0.0.0/8', '2001:db8::/32'],
      location: { lat: 52.52, lon: 13.405, name: 'Berlin' },
    });
    expect(inventory.units[1]?.hostPatterns).toEqual(['fin-*']);
    expect(inventory.units[2]).toMatchObject({ cidrs: ['10.12.0.0/16'], attentionThreshold: 60 });
    expect(inventory.assets[0]).toEqual({
      id: 'fin-db-01',
      unit: 'finance',
      hostname: 'fin-db-01.bank.local',
      ip: ['10.1.2.3', '2001:db8:1::3'],
      criticality: 'critical',
      owner: 'alice@bank.example',
      os: 'linux',
    });
  });

  it('reads units and assets from CSV files and checks references across files', async () => {
    const inventory = await loadInventoryFiles([fixture('units.csv'), fixture('assets.csv')]);
    expect(inventory.units[1]).toEqual({
      id: 'finance',
      name: 'Finance',
      parent: 'hq',
      cidrs: ['10.1.0.0/16', '2001:db8:1::/48'],
      hostPatterns: ['fin-*'],
    });
    expect(inventory.units[0]?.location).toEqual({ lat: 52.52, lon: 13.405, name: 'Berlin' });
    expect(inventory.assets[0]?.ip).toEqual(['10.1.2.3', '2001:db8:1::3']);
    expect(inventory.assets[0]?.tags).toEqual(['pci', 'db']);
    expect(inventory.assets[1]?.criticality).toBe('medium');
  });

  it('reports every problem of a YAML file with its line', async () => {
    const file = fixture('bad-inventory.yaml');
    expect(await problemsOf('bad-inventory.yaml')).toEqual([`${file}:8: unknown unit field 'colour'`]);
    // Once the unknown field is gone, the semantic problems are listed, each at its own line.
    const text = readFileSync(file, 'utf8').replace('    colour: blue\n', '');
    const located = parseInventoryText(text, 'bad.yaml');
    expect(inventoryProblems(located.inventory, located.locate)).toEqual([
      "bad.yaml:4: '10.0.0.0/33' is not an IPv4 or IPv6 network (a.b.c.d/len or v6/len)",
      "bad.yaml:8: duplicate unit id 'hq'",
      "bad.yaml:10: hostname pattern 'fin-(a|b)' has characters other than letters, digits, '.', '-', '_' and '*'",
      'bad.yaml:11: latitude 123 is not within -90..90',
      "bad.yaml:7: parent unit 'nowhere' does not exist",
      "bad.yaml:16: criticality 'extreme' is not one of low, medium, high, critical",
      "bad.yaml:15: '10.1.2.300' is not an IP address",
    ]);
  });

  it('reports CSV problems with the row line, and YAML syntax errors with theirs', async () => {
    const file = fixture('bad-assets.csv');
    expect(await problemsOf('bad-assets.csv')).toEqual([
      `${file}:2: unit 'ghost' does not exist`,
      `${file}:3: unit 'ghost' does not exist`,
      `${file}:3: an asset needs a hostname or at least one IP address to be recognised`,
    ]);
    const problems: string[] = [];
    parseInventoryText('units:\n  - id: a\n    name: [unclosed\n', 'broken.yaml', problems);
    expect(problems[0]).toMatch(/^broken\.yaml:\d+: /);
    parseInventoryText('x', 'inventory.txt', problems);
    expect(problems.at(-1)).toMatch(/unknown inventory file type/);
  });

  it('names a missing file', async () => {
    await expect(loadInventoryFiles([fixture('missing.yaml')])).rejects.toThrow(/missing\.yaml: cannot read: ENOENT/);
  });

  it('reports a network claimed by two units and a parent cycle', () => {
    const problems = inventoryProblems({
      units: [
        { id: 'a', name: 'A', parent: 'b', cidrs: ['10.0.0.0/8'] },
        { id: 'b', name: 'B', parent: 'a', cidrs: ['10.0.0.0/8'] },
      ],
      assets: [],
    });
    expect(problems).toEqual([
      "unit 'b': network 10.0.0.0/8 is also claimed by unit 'a'",
      "unit 'a': parent cycle: a → b → a",
    ]);
  });
});
