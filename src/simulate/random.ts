// A small seeded pseudo-random source (mulberry32) so simulations are reproducible: the same
// seed gives the same organisation and the same telemetry, byte for byte.

export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Pick by weight: [[item, weight], …]. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [item, weight] of entries) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return entries[entries.length - 1]![0];
  }

  /** Poisson-distributed count with the given mean (Knuth; fine for small means). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30)
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * (this.next() + this.next() + this.next() - 1.5) * 2));
    const limit = Math.exp(-mean);
    let product = this.next();
    let count = 0;
    while (product > limit) {
      product *= this.next();
      count++;
    }
    return count;
  }

  hex(length: number): string {
    let text = '';
    for (let index = 0; index < length; index++) text += '0123456789ABCDEF'[this.int(0, 15)];
    return text;
  }

  guid(): string {
    return `{${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}}`;
  }
}
