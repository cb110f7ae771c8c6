import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './aho-corasick.ts';

/** Deterministic xorshift, so a failure names a reproducible case. */
function generator(seed: number): (limit: number) => number {
  let state = seed;
  return (limit) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % limit;
  };
}

describe('AhoCorasick.mark', () => {
  // Small sets take the quick-reject regex path, large ones the automaton alone.
  for (const count of [3, 40, 300]) {
    it(`marks exactly the needles that occur (${count} needles, overlapping, regex metacharacters)`, () => {
      const random = generator(count);
      const alphabet = 'ab.*(|\\$c';
      const needles: string[] = [];
      for (let index = 0; index < count; index++) {
        let needle = '';
        const length = 1 + random(5);
        for (let at = 0; at < length; at++) needle += alphabet[random(alphabet.length)];
        needles.push(needle);
      }
      const automaton = new AhoCorasick();
      needles.forEach((needle, index) => {
        automaton.add(needle, index);
      });
      const marks = new Int32Array(count);
      for (let round = 1; round <= 300; round++) {
        let text = '';
        const length = random(30);
        for (let at = 0; at < length; at++) text += alphabet[random(alphabet.length)];
        automaton.mark(text, marks, round);
        for (const [index, needle] of needles.entries()) {
          expect(marks[index] === round, `${JSON.stringify(needle)} in ${JSON.stringify(text)}`).toBe(
            text.includes(needle),
          );
        }
      }
    });
  }
});
