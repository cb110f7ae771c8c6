import { describe, expect, it } from 'vitest';
import { parseAddress } from './ip-address-text.ts';
import { PrefixTrie } from './prefix-trie.ts';

function trieOf(entries: Record<string, string>): PrefixTrie<string> {
  const trie = new PrefixTrie<string>();
  for (const [cidr, value] of Object.entries(entries)) expect(trie.add(cidr, value)).toBe(true);
  return trie;
}

const find = (trie: PrefixTrie<string>, ip: string) => trie.lookup(parseAddress(ip));

describe('PrefixTrie', () => {
  it('finds the most specific IPv4 network, whatever the insertion order', () => {
    const trie = trieOf({ '10.1.2.0/24': 'lab', '10.0.0.0/8': 'corp', '10.1.0.0/16': 'finance' });
    expect(find(trie, '10.1.2.3')).toBe('lab');
    expect(find(trie, '10.1.3.3')).toBe('finance');
    expect(find(trie, '10.200.0.1')).toBe('corp');
    expect(find(trie, '11.0.0.1')).toBeUndefined();
  });

  it('handles IPv4 boundaries: first and last address, /32, /31, /0 and the top bit', () => {
    const trie = trieOf({ '192.168.1.0/24': 'net', '192.168.1.77': 'host', '192.168.1.254/31': 'pair' });
    expect(find(trie, '192.168.1.0')).toBe('net');
    expect(find(trie, '192.168.1.255')).toBe('pair');
    expect(find(trie, '192.168.1.254')).toBe('pair');
    expect(find(trie, '192.168.1.253')).toBe('net');
    expect(find(trie, '192.168.1.77')).toBe('host');
    expect(find(trie, '192.168.0.255')).toBeUndefined();
    expect(find(trie, '192.168.2.0')).toBeUndefined();
    const everything = trieOf({ '0.0.0.0/0': 'any', '128.0.0.0/1': 'upper' });
    expect(find(everything, '0.0.0.0')).toBe('any');
    expect(find(everything, '127.255.255.255')).toBe('any');
    expect(find(everything, '128.0.0.0')).toBe('upper');
    expect(find(everything, '255.255.255.255')).toBe('upper');
  });

  it('matches IPv6 networks and keeps the families apart', () => {
    const trie = trieOf({
      '2001:db8::/32': 'doc',
      '2001:db8:1::/48': 'branch',
      '2001:db8:1:2::1/128': 'server',
      '10.0.0.0/8': 'v4',
    });
    expect(find(trie, '2001:db8:1:2::1')).toBe('server');
    expect(find(trie, '2001:DB8:1:2::2')).toBe('branch');
    expect(find(trie, '2001:db8:ffff::1')).toBe('doc');
    expect(find(trie, '2001:db9::1')).toBeUndefined();
    // ::a00:1 is not 10.0.0.1; only IPv4-mapped addresses are IPv4.
    expect(find(trie, '::a00:1')).toBeUndefined();
    expect(find(trie, '::ffff:10.0.0.1')).toBe('v4');
  });

  it('rejects what is not a network, and keeps the first owner of a duplicate', () => {
    const trie = new PrefixTrie<string>();
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'fin', '2001:db8::/129', '', '10.0.0.0/-1']) {
      expect(trie.add(bad, 'x')).toBe(false);
    }
    const clashes: string[] = [];
    trie.add('10.0.0.0/8', 'first');
    trie.add('10.0.0.0/8', 'second', (previous) => clashes.push(previous));
    expect(find(trie, '10.1.1.1')).toBe('first');
    expect(clashes).toEqual(['first']);
    expect(find(trie, 'not an ip')).toBeUndefined();
  });

  it('normalises host bits of a network', () => {
    const trie = trieOf({ '10.1.2.3/16': 'finance' });
    expect(find(trie, '10.1.200.1')).toBe('finance');
  });
});
