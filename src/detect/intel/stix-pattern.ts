// A parser for the STIX 2.1 patterning language, reduced to what matching needs: which
// observable values (ipv4-addr:value = '…', file:hashes.'SHA-256' = '…', IN (…), ISSUBSET)
// an indicator names. Patterns that only hold as a whole (AND of different observables,
// FOLLOWEDBY, MATCHES/LIKE) are reported as not matchable value by value, never guessed.
import { type IndicatorType, normaliseIndicator } from './indicator.ts';

export interface PatternValue {
  readonly type: IndicatorType;
  readonly value: string;
}

export type PatternExtraction =
  | { readonly ok: true; readonly values: PatternValue[] }
  | { readonly ok: false; readonly reason: string };

type Token =
  | { kind: 'punct'; text: string; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number };

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; path: string; op: string; negated: boolean; values: string[] }
  | { kind: 'unsupported'; reason: string };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (/\s/.test(char)) {
      index++;
    } else if ('[]()=,'.includes(char)) {
      tokens.push({ kind: 'punct', text: char, at: index++ });
    } else if ('!<>'.includes(char)) {
      const two = pattern.slice(index, index + 2);
      const text = two === '!=' || two === '<=' || two === '>=' ? two : char;
      tokens.push({ kind: 'punct', text, at: index });
      index += text.length;
    } else if (char === "'") {
      let text = '';
      let end = index + 1;
      for (; end < pattern.length && pattern[end] !== "'"; end++) {
        if (pattern[end] === '\\' && end + 1 < pattern.length) end++;
        text += pattern[end];
      }
      if (end >= pattern.length) throw new Error(`unterminated string at ${index}`);
      tokens.push({ kind: 'string', text, at: index });
      index = end + 1;
    } else {
      const match = /^[A-Za-z0-9_\-.:*]+/.exec(pattern.slice(index));
      if (!match) throw new Error(`unexpected '${char}' at ${index}`);
      // An object path may contain a quoted key: file:hashes.'SHA-256'
      let text = match[0];
      let end = index + text.length;
      while (text.endsWith('.') && pattern[end] === "'") {
        const close = pattern.indexOf("'", end + 1);
        if (close < 0) throw new Error(`unterminated path key at ${end}`);
        text += pattern.slice(end + 1, close);
        end = close + 1;
        const more = /^[A-Za-z0-9_\-.:*]*/.exec(pattern.slice(end))![0];
        text += more;
        end += more.length;
      }
      tokens.push({ kind: /^-?\d/.test(text) ? 'number' : 'word', text, at: index });
      index = end;
    }
  }
  return tokens;
}

class PatternParser {
  readonly #tokens: Token[];
  #position = 0;
  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#position];
  }
  #next(): Token {
    const token = this.#tokens[this.#position++];
    if (!token) throw new Error('unexpected end of pattern');
    return token;
  }
  #isWord(word: string): boolean {
    const token = this.#peek();
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  }
  #expect(text: string): void {
    const token = this.#next();
    if (token.text !== text) throw new Error(`expected '${text}' at ${token.at}, found '${token.text}'`);
  }

  /** observation expressions joined by OR / AND / FOLLOWEDBY, with qualifiers */
  parsePattern(): Node {
    let left = this.#parseObservation();
    for (;;) {
      if (this.#isWord('OR')) {
        this.#next();
        left = { kind: 'or', left, right: this.#parseObservation() };
      } else if (this.#isWord('AND') || this.#isWord('FOLLOWEDBY')) {
        const word = this.#next().text.toUpperCase();
        this.#parseObservation();
        left = { kind: 'unsupported', reason: `observations joined by ${word} only match together` };
      } else break;
    }
    if (this.#position < this.#tokens.length)
      throw new Error(`unexpected '${this.#peek()!.text}' at ${this.#peek()!.at}`);
    return left;
  }

  #parseObservation(): Node {
    let node: Node;
    if (this.#peek()?.text === '(') {
      this.#next();
      node = this.parseNested();
      this.#expect(')');
    } else {
      this.#expect('[');
      node = this.#parseOr();
      this.#expect(']');
    }
    // Qualifiers (WITHIN n SECONDS, REPEATS n TIMES, START t STOP t) narrow when, not what.
    while (this.#isWord('WITHIN') || this.#isWord('REPEATS') || this.#isWord('START')) {
      const word = this.#next().text.toUpperCase();
      this.#next();
      if (word === 'START') {
        if (!this.#isWord('STOP')) throw new Error('START without STOP');
        this.#next();
        this.#next();
      } else this.#next();
    }
    return node;
  }

  parseNested(): Node {
    let left = this.#parseObservation();
    while (this.#isWord('OR') || this.#isWord('AND') || this.#isWord('FOLLOWEDBY')) {
      const word = this.#next().text.toUpperCase();
      const right = this.#parseObservation();
      left =
        word === 'OR'
          ? { kind: 'or', left, right }
          : { kind: 'unsupported', reason: `observations joined by ${word} only match together` };
    }
    return left;
  }

  #parseOr(): Node {
    let left = this.#parseAnd();
    while (this.#isWord('OR')) {
      this.#next();
      left = { kind: 'or', left, right: this.#parseAnd() };
    }
    return left;
  }

  #parseAnd(): Node {
    let left = this.#parseComparison();
    while (this.#isWord('AND')) {
      this.#next();
      left = { kind: 'and', left, right: this.#parseComparison() };
    }
    return left;
  }

  #parseComparison(): Node {
    if (this.#peek()?.text === '(') {
      this.#next();
      const inner = this.#parseOr();
      this.#expect(')');
      return inner;
    }
    const path = this.#next();
    if (path.kind !== 'word' || !path.text.includes(':')) throw new Error(`expected an object path at ${path.at}`);
    let negated = false;
    if (this.#isWord('NOT')) {
      this.#next();
      negated = true;
    }
    const opToken = this.#next();
    const op = opToken.text.toUpperCase();
    const values: string[] = [];
    if (op === 'IN') {
      this.#expect('(');
      for (;;) {
        values.push(this.#literal());
        const token = this.#next();
        if (token.text === ')') break;
        if (token.text !== ',') throw new Error(`expected ',' or ')' at ${token.at}`);
      }
    } else {
      values.push(this.#literal());
    }
    return { kind: 'compare', path: path.text, op, negated, values };
  }

  #literal(): string {
    const token = this.#next();
    if (token.kind === 'string' || token.kind === 'number') return token.text;
    // Typed literals: t'…' (timestamp), h'…' (hex), b'…' (binary) — keep the quoted part.
    if (token.kind === 'word' && /^[thb]$/.test(token.text) && this.#peek()?.kind === 'string')
      return this.#next().text;
    if (token.kind === 'word' && /^(true|false)$/i.test(token.text)) return token.text.toLowerCase();
    throw new Error(`expected a value at ${token.at}, found '${token.text}'`);
  }
}

const hashPaths: Record<string, IndicatorType> = {
  md5: 'md5',
  'sha-1': 'sha1',
  sha1: 'sha1',
  'sha-256': 'sha256',
  sha256: 'sha256',
  'sha-512': 'sha512',
  sha512: 'sha512',
};

/** The indicator type an object path names, or undefined when it is not an observable we match. */
function typeOfPath(path: string, op: string): IndicatorType | undefined {
  const lower = path.toLowerCase();
  if (lower === 'ipv4-addr:value' || lower === 'ipv6-addr:value') return op === 'ISSUBSET' ? 'cidr' : 'ip';
  if (lower === 'domain-name:value') return 'domain';
  if (lower === 'url:value') return 'url';
  if (
    lower === 'email-addr:value' ||
    lower === 'email-message:from_ref.value' ||
    lower === 'email-message:sender_ref.value'
  )
    return 'email';
  if (lower === 'file:name') return 'filename';
  const hash = /^(?:file|artifact):hashes\.(.+)$/.exec(lower);
  return hash ? hashPaths[hash[1]!] : undefined;
}

function collect(node: Node, values: PatternValue[]): string | undefined {
  switch (node.kind) {
    case 'unsupported':
      return node.reason;
    case 'or':
      return collect(node.left, values) ?? collect(node.right, values);
    case 'and': {
      // An AND of comparisons on one object holds only as a whole, unless one side is a hash:
      // a file hash identifies the file by itself.
      const left: PatternValue[] = [];
      const right: PatternValue[] = [];
      const leftError = collect(node.left, left);
      const rightError = collect(node.right, right);
      const hashes = [...(leftError ? [] : left), ...(rightError ? [] : right)].filter((value) =>
        ['md5', 'sha1', 'sha256', 'sha512'].includes(value.type),
      );
      if (hashes.length === 0) return 'comparisons joined by AND only match together';
      values.push(...hashes);
      return undefined;
    }
    case 'compare': {
      if (node.negated || !['=', 'IN', 'ISSUBSET'].includes(node.op))
        return `operator ${node.negated ? 'NOT ' : ''}${node.op} is not matchable value by value`;
      const type = typeOfPath(node.path, node.op);
      if (!type) return `object path ${node.path} is not an observable Vigil matches`;
      for (const raw of node.values) {
        const guessed = type === 'ip' && raw.includes('/') ? 'cidr' : type;
        const value = normaliseIndicator(guessed, raw);
        if (value === undefined) return `'${raw}' is not a valid ${guessed}`;
        values.push({ type: guessed, value });
      }
      return undefined;
    }
  }
}

/** Extract the matchable values of a STIX pattern. Never throws. */
export function extractPatternValues(pattern: string): PatternExtraction {
  try {
    const tree = new PatternParser(tokenize(pattern)).parsePattern();
    const values: PatternValue[] = [];
    const reason = collect(tree, values);
    return reason ? { ok: false, reason } : { ok: true, values };
  } catch (error) {
    return { ok: false, reason: `invalid pattern: ${(error as Error).message}` };
  }
}
