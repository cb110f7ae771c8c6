// Longest-prefix match over IPv4 and IPv6 networks: a binary trie in flat arrays, so a lookup is
// at most 32 (or 128) steps with no allocation, whatever the number of networks.
import { parseCidr } from '../detect/intel/ip-address.ts';
import type { ParsedAddress } from './ip-address-text.ts';

class BitTrie {
  // Node n has children zero[n] / one[n] (0 = none; node 0 is the root) and value[n] (-1 = none).
  readonly zero: number[] = [0];
  readonly one: number[] = [0];
  readonly value: number[] = [-1];

  /** Insert a network; returns the previous value index at exactly that prefix, or -1. */
  insert(bit: (index: number) => number, prefix: number, valueIndex: number): number {
    let node = 0;
    for (let index = 0; index < prefix; index++) {
      const branch = bit(index) === 0 ? this.zero : this.one;
      let next = branch[node]!;
      if (next === 0) {
        next = this.zero.length;
        this.zero.push(0);
        this.one.push(0);
        this.value.push(-1);
        branch[node] = next;
      }
      node = next;
    }
    const previous = this.value[node]!;
    this.value[node] = valueIndex;
    return previous;
  }
}

export class PrefixTrie<T> {
  readonly #v4 = new BitTrie();
  readonly #v6 = new BitTrie();
  readonly #values: T[] = [];

  get size(): number {
    return this.#values.length;
  }

  /**
   * Add a network ("10.0.0.0/8", "2001:db8::/32", or a bare address as a host route). Returns
   * false when the text is not a network; throws nothing. A network added twice keeps the first
   * value and reports the clash through `onDuplicate`.
   */
  add(cidr: string, value: T, onDuplicate?: (previous: T) => void): boolean {
    const parsed = parseCidr(cidr.trim());
    if (!parsed) return false;
    const { bytes, prefix } = parsed;
    const bit = (index: number) => (bytes[index >> 3]! >> (7 - (index & 7))) & 1;
    const trie = bytes.length === 4 ? this.#v4 : this.#v6;
    const previous = trie.insert(bit, prefix, this.#values.length);
    if (previous >= 0) {
      trie.insert(bit, prefix, previous);
      onDuplicate?.(this.#values[previous]!);
      return true;
    }
    this.#values.push(value);
    return true;
  }

  /** The value of the most specific network containing the address, if any. */
  lookup(address: ParsedAddress): T | undefined {
    if (address.v4 >= 0) return this.lookupIpv4(address.v4);
    return address.v6 ? this.lookupIpv6(address.v6) : undefined;
  }

  /** Longest-prefix match of an IPv4 address given as an unsigned 32-bit number. */
  lookupIpv4(value: number): T | undefined {
    const trie = this.#v4;
    let found = trie.value[0]!;
    let node = 0;
    for (let index = 31; index >= 0; index--) {
      node = ((value >>> index) & 1) === 0 ? trie.zero[node]! : trie.one[node]!;
      if (node === 0) break;
      if (trie.value[node]! >= 0) found = trie.value[node]!;
    }
    return found >= 0 ? this.#values[found] : undefined;
  }

  /** Longest-prefix match of an IPv6 address given as 16 bytes. */
  lookupIpv6(bytes: Uint8Array): T | undefined {
    const trie = this.#v6;
    let found = trie.value[0]!;
    let node = 0;
    for (let index = 0; index < 128; index++) {
      node = ((bytes[index >> 3]! >> (7 - (index & 7))) & 1) === 0 ? trie.zero[node]! : trie.one[node]!;
      if (node === 0) break;
      if (trie.value[node]! >= 0) found = trie.value[node]!;
    }
    return found >= 0 ? this.#values[found] : undefined;
  }
}
