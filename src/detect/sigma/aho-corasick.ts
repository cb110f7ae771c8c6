// Aho-Corasick over UTF-16 code units, compiled to a dense automaton: finds, in one pass over a
// text, which of many literal needles occur in it (one table load per character). Characters
// that appear in no needle share one class, which keeps the table small.

export class AhoCorasick {
  readonly #trie: Map<number, number>[] = [new Map()];
  readonly #outputs: (number[] | undefined)[] = [undefined];
  #classes: Uint16Array = new Uint16Array(0);
  #alphabet = 1;
  #delta: Int32Array = new Int32Array(0);
  #dictionary: Int32Array = new Int32Array(0);
  /** 1 when a state (or a suffix of it) ends a needle. */
  #reports: Uint8Array = new Uint8Array(0);
  #built = false;

  add(needle: string, payload: number): void {
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

  build(): void {
    const count = this.#trie.length;
    const classes = new Uint16Array(65536);
    let alphabet = 1;
    for (const transitions of this.#trie) {
      for (const code of transitions.keys()) if (classes[code] === 0) classes[code] = alphabet++;
    }
    const delta = new Int32Array(count * alphabet);
    const fail = new Int32Array(count);
    const dictionary = new Int32Array(count).fill(-1);
    const reports = new Uint8Array(count);
    const queue: number[] = [];
    for (const [code, child] of this.#trie[0] as Map<number, number>) {
      delta[classes[code] as number] = child;
      queue.push(child);
    }
    if (this.#outputs[0]) reports[0] = 1;
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const failState = fail[state] as number;
      // Transitions not in the trie follow the fail state's (already complete) row.
      delta.set(delta.subarray(failState * alphabet, failState * alphabet + alphabet), state * alphabet);
      for (const [code, child] of this.#trie[state] as Map<number, number>) {
        const symbol = classes[code] as number;
        const childFail = state === 0 ? 0 : (delta[failState * alphabet + symbol] as number);
        fail[child] = childFail;
        dictionary[child] = this.#outputs[childFail] ? childFail : (dictionary[childFail] as number);
        delta[state * alphabet + symbol] = child;
        queue.push(child);
      }
    }
    for (let state = 0; state < count; state++) {
      reports[state] = this.#outputs[state] || (dictionary[state] as number) > 0 ? 1 : 0;
    }
    this.#classes = classes;
    this.#alphabet = alphabet;
    this.#delta = delta;
    this.#dictionary = dictionary;
    this.#reports = reports;
    this.#built = true;
  }

  /** Calls `found(payload)` for every needle occurring in text (a payload may repeat). */
  scan(text: string, found: (payload: number) => void): void {
    if (!this.#built) this.build();
    const classes = this.#classes;
    const delta = this.#delta;
    const alphabet = this.#alphabet;
    const reports = this.#reports;
    let state = 0;
    for (let index = 0; index < text.length; index++) {
      state = delta[state * alphabet + (classes[text.charCodeAt(index)] as number)] as number;
      if (reports[state] === 1) this.#report(state, found);
    }
  }

  #report(state: number, found: (payload: number) => void): void {
    let current = this.#outputs[state] ? state : (this.#dictionary[state] as number);
    while (current > 0) {
      for (const payload of this.#outputs[current] as number[]) found(payload);
      current = this.#dictionary[current] as number;
    }
  }
}
