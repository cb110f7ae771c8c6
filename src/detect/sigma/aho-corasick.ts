// Aho-Corasick over UTF-16 code units, compiled to a dense automaton: finds, in one pass over a
// text, which of many literal needles occur in it (one table load per character). Characters
// that appear in no needle share one class, which keeps the table small; table entries hold the
// next state's row offset (no multiply in the loop) and are negative when that state reports.
// A small needle set also gets a native quick-reject regex (an alternation of the literals, which
// V8 scans about ten times faster than this loop); most texts contain no needle and stop there.

/**
 * At most this many character classes (including the class of characters in no needle). Sigma
 * corpora hold needles in many scripts: 5,500 needles used 1,316 distinct code units, and a dense
 * 17,000-state table over all of them took 90 MB and 0.3–0.5 s to build. Beyond the limit the
 * rarest characters share a few classes: the automaton then marks every needle that occurs and,
 * rarely, one that does not (a needle with another rare character of the same class at that
 * place); the Sigma engine confirms each marked rule with its full test, so only the exactness of
 * the prefilter is traded.
 */
const maxClasses = 192;
/** Of those, how many the rarest characters share (spread by code unit, so two rare ones rarely meet). */
const sharedClasses = 64;

/** Needle sets up to this size (and needles up to this length) get the quick-reject regex. */
const quickRejectNeedles = 256;
const quickRejectLength = 16;
/** Texts longer than this skip the regex: its worst case grows with needles × length, the loop's does not. */
const quickRejectText = 8192;
/** After the regex found something, sets this small are resolved with native `includes`. */
const includesNeedles = 8;

export class AhoCorasick {
  readonly #trie: Map<number, number>[] = [new Map()];
  readonly #outputs: (number[] | undefined)[] = [undefined];
  #classes: Uint16Array = new Uint16Array(0);
  #alphabet = 1;
  /** Row offset of the next state per (row offset + class); ~offset when the next state reports. */
  #delta: Int32Array = new Int32Array(0);
  /** Per state: payloads it reports, its own and those of its dictionary suffixes. */
  #reported: (Int32Array | undefined)[] = [];
  #built = false;
  readonly #needles = new Set<string>();
  #quick: RegExp | undefined;
  /** Small sets: each needle with the payloads it reports (including needles it contains). */
  #small: { readonly needle: string; readonly payloads: Int32Array }[] | undefined;

  add(needle: string, payload: number): void {
    this.#needles.add(needle);
    let state = 0;
    for (let index = 0; index < needle.length; index++) {
      const code = needle.charCodeAt(index);
      const transitions = this.#trie[state] as Map<number, number>;
      let next = transitions.get(code);
      if (next === undefined) {
        next = this.#trie.length;
        this.#trie.push(new Map());
        this.#outputs.push(undefined);
        transitions.set(code, next);
      }
      state = next;
    }
    const outputs = this.#outputs[state];
    if (outputs) {
      if (!outputs.includes(payload)) outputs.push(payload);
    } else this.#outputs[state] = [payload];
    this.#built = false;
  }

  /** Bytes held by the compiled table (for diagnostics). */
  get tableBytes(): number {
    return this.#delta.byteLength + this.#classes.byteLength;
  }

  /** Whether the table is built for the needles added so far (else the next scan builds it). */
  get built(): boolean {
    return this.#built;
  }

  /** States of the trie (for diagnostics). */
  get states(): number {
    return this.#trie.length;
  }

  build(): void {
    const { classes, alphabet } = this.#characterClasses();
    // With shared classes, the trie is rebuilt over class sequences (needles that now read the same merge).
    const shared = alphabet === maxClasses;
    const { trie, outputs } = shared ? this.#classTrie(classes) : { trie: this.#trie, outputs: this.#outputs };
    // The class trie's transitions are keyed by class already.
    const symbolOf = shared ? (key: number) => key : (code: number) => classes[code] as number;
    const count = trie.length;
    // First the plain automaton over state numbers, then the offsets and report flags.
    const next = new Int32Array(count * alphabet);
    const fail = new Int32Array(count);
    const dictionary = new Int32Array(count).fill(-1);
    const queue: number[] = [];
    for (const [code, child] of trie[0] as Map<number, number>) {
      next[symbolOf(code)] = child;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const failState = fail[state] as number;
      // Transitions not in the trie follow the fail state's (already complete) row.
      next.set(next.subarray(failState * alphabet, failState * alphabet + alphabet), state * alphabet);
      for (const [code, child] of trie[state] as Map<number, number>) {
        const symbol = symbolOf(code);
        const childFail = state === 0 ? 0 : (next[failState * alphabet + symbol] as number);
        fail[child] = childFail;
        dictionary[child] = outputs[childFail] ? childFail : (dictionary[childFail] as number);
        next[state * alphabet + symbol] = child;
        queue.push(child);
      }
    }
    const reported: (Int32Array | undefined)[] = new Array(count);
    for (let state = 0; state < count; state++) {
      const payloads: number[] = [];
      let current = outputs[state] ? state : (dictionary[state] as number);
      while (current > 0) {
        for (const payload of outputs[current] as number[]) if (!payloads.includes(payload)) payloads.push(payload);
        current = dictionary[current] as number;
      }
      reported[state] = payloads.length > 0 ? Int32Array.from(payloads) : undefined;
    }
    const delta = new Int32Array(count * alphabet);
    for (let index = 0; index < delta.length; index++) {
      const target = next[index] as number;
      const offset = target * alphabet;
      delta[index] = reported[target] ? ~offset : offset;
    }
    this.#classes = classes;
    this.#alphabet = alphabet;
    this.#delta = delta;
    this.#reported = reported;
    // Literal alternation only: backtracking is bounded by the needles' total length per position.
    const quick =
      this.#needles.size <= quickRejectNeedles &&
      [...this.#needles].every((needle) => needle.length <= quickRejectLength);
    this.#quick = quick ? new RegExp([...this.#needles].map(escapeLiteral).join('|')) : undefined;
    this.#small =
      quick && this.#needles.size <= includesNeedles
        ? [...this.#needles].map((needle) => ({ needle, payloads: this.#payloadsOf(needle) }))
        : undefined;
    this.#built = true;
  }

  /**
   * Class per code unit (0: in no needle). Up to maxClasses - 1 distinct characters each get their
   * own; beyond that the most frequent keep theirs and the rest share the last class.
   */
  #characterClasses(): { classes: Uint16Array; alphabet: number } {
    const frequency = new Map<number, number>();
    for (const transitions of this.#trie) {
      for (const code of transitions.keys()) frequency.set(code, (frequency.get(code) ?? 0) + 1);
    }
    const classes = new Uint16Array(65536);
    const codes = [...frequency.keys()];
    if (codes.length < maxClasses) {
      let alphabet = 1;
      // In order of first appearance, as before (the table does not depend on frequencies then).
      for (const transitions of this.#trie) {
        for (const code of transitions.keys()) if (classes[code] === 0) classes[code] = alphabet++;
      }
      return { classes, alphabet };
    }
    codes.sort((left, right) => (frequency.get(right) as number) - (frequency.get(left) as number) || left - right);
    const own = maxClasses - 1 - sharedClasses;
    codes.forEach((code, rank) => {
      classes[code] = rank < own ? rank + 1 : own + 1 + (code % sharedClasses);
    });
    return { classes, alphabet: maxClasses };
  }

  /** The needles' trie over character classes, each state with the payloads of the needles ending there. */
  #classTrie(classes: Uint16Array): { trie: Map<number, number>[]; outputs: (number[] | undefined)[] } {
    const trie: Map<number, number>[] = [new Map()];
    const outputs: (number[] | undefined)[] = [undefined];
    for (const needle of this.#needles) {
      let state = 0;
      for (let index = 0; index < needle.length; index++) {
        const symbol = classes[needle.charCodeAt(index)] as number;
        const transitions = trie[state] as Map<number, number>;
        let next = transitions.get(symbol);
        if (next === undefined) {
          next = trie.length;
          trie.push(new Map());
          outputs.push(undefined);
          transitions.set(symbol, next);
        }
        state = next;
      }
      let payloads = outputs[state];
      if (!payloads) {
        payloads = [];
        outputs[state] = payloads;
      }
      for (const payload of this.#payloadsOf(needle)) if (!payloads.includes(payload)) payloads.push(payload);
    }
    return { trie, outputs };
  }

  /** Sets `marks[payload] = stamp` for every needle occurring in text (see maxClasses for large alphabets). */
  mark(text: string, marks: Int32Array, stamp: number): void {
    if (!this.#built) this.build();
    if (this.#quick !== undefined && text.length <= quickRejectText) {
      if (!this.#quick.test(text)) return;
      const small = this.#small;
      if (small !== undefined) {
        for (const { needle, payloads } of small) {
          if (!text.includes(needle)) continue;
          for (let at = 0; at < payloads.length; at++) marks[payloads[at] as number] = stamp;
        }
        return;
      }
    }
    const classes = this.#classes;
    const delta = this.#delta;
    let offset = 0;
    for (let index = 0; index < text.length; index++) {
      offset = delta[offset + (classes[text.charCodeAt(index)] as number)] as number;
      if (offset < 0) {
        offset = ~offset;
        const payloads = this.#reported[offset / this.#alphabet] as Int32Array;
        for (let at = 0; at < payloads.length; at++) marks[payloads[at] as number] = stamp;
      }
    }
  }

  /** Payloads of the trie state a needle ends in. */
  #payloadsOf(needle: string): Int32Array {
    let state = 0;
    for (let index = 0; index < needle.length; index++) {
      state = (this.#trie[state] as Map<number, number>).get(needle.charCodeAt(index)) as number;
    }
    return Int32Array.from(this.#outputs[state] ?? []);
  }

  /** Calls `found(payload)` for every needle occurring in text (a payload may repeat). */
  scan(text: string, found: (payload: number) => void): void {
    if (!this.#built) this.build();
    const classes = this.#classes;
    const delta = this.#delta;
    let offset = 0;
    for (let index = 0; index < text.length; index++) {
      offset = delta[offset + (classes[text.charCodeAt(index)] as number)] as number;
      if (offset < 0) {
        offset = ~offset;
        for (const payload of this.#reported[offset / this.#alphabet] as Int32Array) found(payload);
      }
    }
  }
}

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
