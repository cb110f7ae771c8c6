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

  it('with more distinct characters than classes, still marks every needle that occurs, in a bounded table', () => {
    const random = generator(7);
    // 600 distinct characters (Latin, Cyrillic, CJK): more than the automaton gives classes.
    const characters: string[] = [];
    for (let code = 0x61; code < 0x61 + 26; code++) characters.push(String.fromCharCode(code));
    for (let code = 0x430; code < 0x430 + 32; code++) characters.push(String.fromCharCode(code));
    for (let code = 0x4e00; characters.length < 600; code++) characters.push(String.fromCharCode(code));
    const needles: string[] = [];
    for (let index = 0; index < 2000; index++) {
      let needle = '';
      const length = 2 + random(6);
      // Mostly Latin, sometimes another script: the rare characters end up sharing a class.
      for (let at = 0; at < length; at++)
        needle += random(10) === 0 ? characters[random(characters.length)] : characters[random(26)];
      needles.push(needle);
    }
    const automaton = new AhoCorasick();
    needles.forEach((needle, index) => {
      automaton.add(needle, index);
    });
    automaton.build();
    // A dense table over all 600 characters would hold states × 601 entries.
    expect(automaton.tableBytes).toBeLessThan(automaton.states * 200 * 4 + 65536 * 2);
    const marks = new Int32Array(needles.length);
    let falseMarks = 0;
    let trueMarks = 0;
    for (let round = 1; round <= 300; round++) {
      // Texts built from pieces of needles, so many needles do occur.
      let text = '';
      for (let piece = 0; piece < 6; piece++) {
        const needle = needles[random(needles.length)] as string;
        text += `${needle.slice(random(needle.length))}${characters[random(characters.length)]} `;
      }
      automaton.mark(text, marks, round);
      for (const [index, needle] of needles.entries()) {
        if (text.includes(needle)) {
          expect(marks[index], `${needle} in ${text}`).toBe(round);
          trueMarks++;
        } else if (marks[index] === round) falseMarks++;
      }
    }
    // Sharing a class may mark a needle that is not there, far less often than one that is.
    expect(falseMarks).toBeLessThan(trueMarks / 4);
  });
});
