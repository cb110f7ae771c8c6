// Rule regular expressions (`|re`) in guaranteed linear time. Sigma specifies the PCRE flavour;
// V8's RegExp backtracks (minutes on `.*a.*b.*c.*d$` over a long value), so every rule pattern
// is parsed here, translated to RE2 syntax and run on re2js (automata, no backtracking). PCRE-isms
// RE2 lacks are translated (`$`/`\Z` before a final newline, `\s` with VT, `\h`, `\v`, `\R`, `\N`,
// `\e`, `\cX`, octal); what no linear-time engine can run (backreferences, lookaround, atomic
// groups, possessive quantifiers, recursion, conditionals) is refused with the reason. The parse
// also yields what the prefilter needs: literals a match cannot do without, and its shortest length.
import { RE2JS } from 're2js';

/** Longest text a rule regex is run on; longer field values are matched on their first 64 KiB. */
export const maxRegexInput = 65_536;

/** A pattern (or flag) that cannot be run in linear time, or is not a valid PCRE pattern. */
export class UnsupportedRegexError extends Error {}

export interface RuleRegex {
  /** The pattern as written in the rule. */
  readonly source: string;
  /** The RE2 pattern that runs (flags included as a leading group). */
  readonly translated: string;
  /** Whether the pattern matches anywhere in text (at most maxRegexInput characters are looked at). */
  readonly test: (text: string) => boolean;
  /**
   * Lower-cased ASCII literals of which at least one occurs in the lower-cased text whenever the
   * pattern matches; undefined when the pattern needs no literal.
   */
  readonly needles: readonly string[] | undefined;
  /** No text shorter than this (in UTF-16 units) can match. */
  readonly minLength: number;
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

type Node =
  | { readonly kind: 'char'; readonly code: number; readonly fold: boolean }
  /** One character out of a set (class, `.`, `\d`…); `chars` enumerates a small literal set. */
  | {
      readonly kind: 'set';
      readonly re2: string;
      readonly chars: readonly number[] | undefined;
      readonly fold: boolean;
    }
  /** Zero-width: anchors, word boundaries, inline flag changes. */
  | { readonly kind: 'empty'; readonly re2: string }
  /** A translated construct matched as a whole (e.g. `\R`); opaque to the literal analysis. */
  | { readonly kind: 'opaque'; readonly re2: string; readonly min: number }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly items: readonly Node[] }
  | { readonly kind: 'group'; readonly child: Node; readonly flags: string }
  | {
      readonly kind: 'repeat';
      readonly child: Node;
      readonly min: number;
      readonly max: number;
      readonly lazy: boolean;
    };

/** RE2's own limit on a counted repetition. */
const maxRepeat = 1000;

const horizontalSpace = '\\x{9}\\x{20}\\x{a0}\\x{1680}\\x{180e}\\x{2000}-\\x{200a}\\x{202f}\\x{205f}\\x{3000}';
const verticalSpace = '\\x{a}-\\x{d}\\x{85}\\x{2028}\\x{2029}';
const posixClasses = new Set([
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
]);
/** PCRE's end of subject without the m flag: the end, or before a newline that ends the subject. */
const endOfSubject = '(?:\\n?\\z)';

/**
 * Compile a rule pattern with its Sigma sub-modifiers (`i`, `m`, `s`). Throws
 * UnsupportedRegexError with a reason a rule author can act on.
 */
export function compileRuleRegex(pattern: string, flags = ''): RuleRegex {
  const initial: Flags = { i: flags.includes('i'), m: flags.includes('m'), s: flags.includes('s') };
  const root = new PatternParser(pattern, initial).parse();
  const prefix = `${initial.i ? 'i' : ''}${initial.m ? 'm' : ''}${initial.s ? 's' : ''}`;
  const translated = `${prefix ? `(?${prefix})` : ''}${emit(root)}`;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translated);
  } catch (error) {
    throw new UnsupportedRegexError((error as Error).message.replace(/^error parsing regexp: /, ''));
  }
  const facts = analyse(root);
  const needles = facts.need?.every((needle) => needle.length > 0) ? facts.need : undefined;
  const minLength = facts.min;
  return {
    source: pattern,
    translated,
    test: (text) => {
      if (text.length < minLength) return false;
      return compiled.test(text.length > maxRegexInput ? text.slice(0, maxRegexInput) : text);
    },
    needles,
    minLength,
  };
}

class PatternParser {
  readonly #pattern: string;
  #index = 0;
  #flags: Flags;

  constructor(pattern: string, flags: Flags) {
    this.#pattern = pattern;
    this.#flags = { ...flags };
  }

  parse(): Node {
    const node = this.#alternation();
    if (this.#index < this.#pattern.length) this.#fail(`unmatched ')' at offset ${this.#index}`);
    return node;
  }

  #fail(reason: string): never {
    throw new UnsupportedRegexError(reason);
  }

  #peek(offset = 0): string {
    return this.#pattern[this.#index + offset] ?? '';
  }

  #alternation(): Node {
    const branches: Node[] = [this.#sequence()];
    while (this.#peek() === '|') {
      this.#index++;
      branches.push(this.#sequence());
    }
    return branches.length === 1 ? (branches[0] as Node) : { kind: 'alt', items: branches };
  }

  #sequence(): Node {
    const items: Node[] = [];
    while (this.#index < this.#pattern.length) {
      const char = this.#peek();
      if (char === '|' || char === ')') break;
      const atoms = this.#atom();
      if (atoms === undefined || atoms.length === 0) continue;
      const last = atoms[atoms.length - 1] as Node;
      items.push(...atoms.slice(0, -1), this.#quantified(last));
    }
    return items.length === 1 ? (items[0] as Node) : { kind: 'seq', items };
  }

  /** A quantifier after an atom, if any. */
  #quantified(atom: Node): Node {
    const quantifier = this.#quantifier();
    if (!quantifier) return atom;
    if (atom.kind === 'empty') this.#fail(`quantifier '${quantifier.text}' does not follow a repeatable item`);
    let lazy = false;
    if (this.#peek() === '?') {
      lazy = true;
      this.#index++;
    } else if (this.#peek() === '+') {
      this.#fail(`possessive quantifier '${quantifier.text}+' (no linear-time equivalent)`);
    }
    if (this.#quantifierAhead()) this.#fail(`quantifier follows quantifier at offset ${this.#index}`);
    if (quantifier.min > maxRepeat || (Number.isFinite(quantifier.max) && quantifier.max > maxRepeat)) {
      this.#fail(`repeat count above ${maxRepeat} in '${quantifier.text}'`);
    }
    return { kind: 'repeat', child: atom, min: quantifier.min, max: quantifier.max, lazy };
  }

  #quantifierAhead(): boolean {
    const char = this.#peek();
    return char === '*' || char === '+' || char === '?' || (char === '{' && this.#braceQuantifier(false) !== undefined);
  }

  #quantifier(): { min: number; max: number; text: string } | undefined {
    const char = this.#peek();
    if (char === '*' || char === '+' || char === '?') {
      this.#index++;
      return { min: char === '+' ? 1 : 0, max: char === '?' ? 1 : Number.POSITIVE_INFINITY, text: char };
    }
    if (char === '{') return this.#braceQuantifier(true);
    return undefined;
  }

  /** `{n}`, `{n,}`, `{n,m}`, `{,m}`; anything else is a literal brace (PCRE). */
  #braceQuantifier(consume: boolean): { min: number; max: number; text: string } | undefined {
    const match = /^\{\s*(\d*)\s*(,?)\s*(\d*)\s*\}/.exec(this.#pattern.slice(this.#index, this.#index + 32));
    if (!match || (match[1] === '' && match[3] === '')) return undefined;
    const min = match[1] === '' ? 0 : Number(match[1]);
    const max = match[2] === '' ? min : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
    if (max < min) this.#fail(`numbers out of order in '${match[0]}'`);
    if (consume) this.#index += match[0].length;
    return { min, max, text: match[0] };
  }

  /** One atom (several nodes for `\Q…\E`); undefined for things that match nothing (comments). */
  #atom(): Node[] | undefined {
    const char = this.#peek();
    switch (char) {
      case '(':
        return this.#group();
      case '[':
        return [this.#class()];
      case '.':
        this.#index++;
        return [{ kind: 'set', re2: '.', chars: undefined, fold: false }];
      case '^':
        this.#index++;
        return [{ kind: 'empty', re2: '^' }];
      case '$':
        this.#index++;
        return [{ kind: 'empty', re2: this.#flags.m ? '$' : endOfSubject }];
      case '\\':
        return this.#escape();
      case '*':
      case '+':
      case '?':
        this.#fail(`quantifier '${char}' does not follow a repeatable item (offset ${this.#index})`);
        break;
      case '{':
        if (this.#braceQuantifier(false))
          this.#fail(`quantifier does not follow a repeatable item (offset ${this.#index})`);
    }
    const code = this.#pattern.codePointAt(this.#index) as number;
    this.#index += code > 0xffff ? 2 : 1;
    return [{ kind: 'char', code, fold: this.#flags.i }];
  }

  #group(): Node[] | undefined {
    const start = this.#index;
    this.#index++; // (
    const saved = { ...this.#flags };
    let flagText = '';
    if (this.#peek() === '*') this.#fail(`PCRE verb at offset ${start} is not supported`);
    if (this.#peek() === '?') {
      this.#index++;
      const next = this.#peek();
      const after = this.#peek(1);
      if (next === '#') {
        const end = this.#pattern.indexOf(')', this.#index);
        if (end < 0) this.#fail('unterminated comment (?#');
        this.#index = end + 1;
        return undefined;
      }
      if (next === ':' || next === '|') this.#index++;
      else if (next === '=' || next === '!')
        this.#fail(`lookahead '(?${next}' (not supported by the linear-time engine)`);
      else if (next === '<' && (after === '=' || after === '!')) {
        this.#fail(`lookbehind '(?<${after}' (not supported by the linear-time engine)`);
      } else if (next === '>') this.#fail("atomic group '(?>' (no linear-time equivalent)");
      else if (next === '<' || next === "'" || (next === 'P' && after === '<')) {
        // A named group: captures play no part in matching, so it becomes a plain group.
        const close = next === "'" ? "'" : '>';
        const end = this.#pattern.indexOf(close, this.#index + (next === 'P' ? 2 : 1));
        if (end < 0) this.#fail(`unterminated group name at offset ${start}`);
        this.#index = end + 1;
      } else if (next === 'P' && (after === '=' || after === '>')) {
        this.#fail(`backreference or subroutine '(?P${after}' (not supported by the linear-time engine)`);
      } else if (next === '(') this.#fail("conditional group '(?(' is not supported");
      else if (/[0-9R&+-]/.test(next) && !/[imsx]/.test(after)) {
        this.#fail(`recursion or subroutine call at offset ${start} is not supported`);
      } else if (next === 'C') this.#fail('callouts are not supported');
      else {
        // Option setting: (?i) (?-i) (?i-s) or scoped (?i:…).
        const match = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(this.#pattern.slice(this.#index));
        if (!match) this.#fail(`unknown group syntax at offset ${start}`);
        const on = match[1] ?? '';
        const off = match[2] ?? '';
        for (const letter of on + off) {
          if (!'ims'.includes(letter)) this.#fail(`inline flag '${letter}' is not supported (only i, m, s)`);
        }
        const next: Flags = { ...this.#flags };
        for (const letter of on) next[letter as keyof Flags] = true;
        for (const letter of off) next[letter as keyof Flags] = false;
        flagText = `${on}${off ? `-${off}` : ''}`;
        this.#index += match[0].length;
        if (match[3] === ')') {
          // Applies to the rest of the enclosing group (restored when that group closes).
          this.#flags = next;
          return flagText ? [{ kind: 'empty', re2: `(?${flagText})` }] : undefined;
        }
        this.#flags = next;
      }
    }
    const child = this.#alternation();
    if (this.#peek() !== ')') this.#fail(`missing ')' for the group at offset ${start}`);
    this.#index++;
    this.#flags = saved;
    return [{ kind: 'group', child, flags: flagText }];
  }

  #escape(): Node[] {
    const start = this.#index;
    this.#index++; // backslash
    const char = this.#peek();
    if (char === '') this.#fail('pattern ends with a backslash');
    this.#index++;
    const fold = this.#flags.i;
    const charNode = (code: number): Node[] => [{ kind: 'char', code, fold }];
    const set = (re2: string): Node[] => [{ kind: 'set', re2, chars: undefined, fold }];
    switch (char) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return set(`\\${char}`);
      case 's':
        return set('[[:space:]]');
      case 'S':
        return set('[[:^space:]]');
      case 'h':
        return set(`[${horizontalSpace}]`);
      case 'H':
        return set(`[^${horizontalSpace}]`);
      case 'v':
        return set(`[${verticalSpace}]`);
      case 'V':
        return set(`[^${verticalSpace}]`);
      case 'N':
        return set('[^\\n]');
      case 'R':
        return [{ kind: 'opaque', re2: `(?:\\r\\n|[${verticalSpace}])`, min: 1 }];
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        return [{ kind: 'empty', re2: `\\${char}` }];
      case 'Z':
        return [{ kind: 'empty', re2: endOfSubject }];
      case 'G':
        return [{ kind: 'empty', re2: '\\A' }];
      case 'p':
      case 'P':
        return set(`\\${char}${this.#propertyName()}`);
      case 'Q': {
        const end = this.#pattern.indexOf('\\E', this.#index);
        const text = this.#pattern.slice(this.#index, end < 0 ? undefined : end);
        this.#index = end < 0 ? this.#pattern.length : end + 2;
        return [...text].map((letter) => ({ kind: 'char', code: letter.codePointAt(0) as number, fold }));
      }
      case 'E':
        return [{ kind: 'empty', re2: '' }];
      case 'K':
        this.#fail("'\\K' (match reset) is not supported");
        break;
      case 'X':
      case 'C':
        this.#fail(`'\\${char}' is not supported by the linear-time engine`);
        break;
      case 'g':
      case 'k':
        this.#fail(`backreference '\\${char}' (not supported by the linear-time engine)`);
        break;
    }
    if (/[1-9]/.test(char)) this.#fail(`backreference '\\${char}' (not supported by the linear-time engine)`);
    this.#index = start;
    return charNode(this.#escapedCharacter(false));
  }

  /** `{Name}` or a single letter after `\p`/`\P`. */
  #propertyName(): string {
    if (this.#peek() === '{') {
      const end = this.#pattern.indexOf('}', this.#index);
      if (end < 0) this.#fail('unterminated \\p{…}');
      const text = this.#pattern.slice(this.#index, end + 1);
      this.#index = end + 1;
      return text;
    }
    const letter = this.#peek();
    if (!/[A-Za-z]/.test(letter)) this.#fail('malformed \\p property');
    this.#index++;
    return letter;
  }

  /** A backslash escape that stands for one character (at this.#index, the backslash). */
  #escapedCharacter(inClass: boolean): number {
    this.#index++; // backslash
    const char = this.#peek();
    this.#index++;
    switch (char) {
      case 't':
        return 0x09;
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 'f':
        return 0x0c;
      case 'a':
        return 0x07;
      case 'e':
        return 0x1b;
      case 'b':
        if (inClass) return 0x08;
        break;
      case 'c': {
        const control = this.#peek();
        if (!control || control.charCodeAt(0) > 0x7e) this.#fail('\\c must be followed by a printable ASCII character');
        this.#index++;
        return control.toUpperCase().charCodeAt(0) ^ 0x40;
      }
      case 'x':
        return this.#hex();
      case 'u': {
        // Not PCRE, but common in rules written against JavaScript: accepted as a code unit.
        const digits = /^[0-9a-fA-F]{4}/.exec(this.#pattern.slice(this.#index));
        if (!digits) this.#fail("'\\u' needs four hex digits");
        this.#index += 4;
        return Number.parseInt(digits[0], 16);
      }
      case 'o': {
        const match = /^\{([0-7]+)\}/.exec(this.#pattern.slice(this.#index));
        if (!match) this.#fail("'\\o' needs {octal digits}");
        this.#index += match[0].length;
        return Number.parseInt(match[1] as string, 8);
      }
      case '0': {
        const match = /^[0-7]{0,2}/.exec(this.#pattern.slice(this.#index)) as RegExpExecArray;
        this.#index += match[0].length;
        return Number.parseInt(`0${match[0]}`, 8);
      }
    }
    if (/[A-Za-z0-9]/.test(char)) this.#fail(`unrecognised escape '\\${char}'`);
    const code = this.#pattern.codePointAt(this.#index - 1) as number;
    if (code > 0xffff) this.#index++;
    return code;
  }

  #hex(): number {
    if (this.#peek() === '{') {
      const match = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.#pattern.slice(this.#index));
      if (!match) this.#fail("malformed '\\x{…}'");
      this.#index += match[0].length;
      const code = Number.parseInt(match[1] as string, 16);
      if (code > 0x10ffff) this.#fail(`character code ${match[1]} out of range`);
      return code;
    }
    const match = /^[0-9a-fA-F]{0,2}/.exec(this.#pattern.slice(this.#index)) as RegExpExecArray;
    this.#index += match[0].length;
    return match[0] === '' ? 0 : Number.parseInt(match[0], 16);
  }

  /** A character class `[…]`, emitted as an RE2 class. */
  #class(): Node {
    const start = this.#index;
    this.#index++; // [
    let negated = false;
    if (this.#peek() === '^') {
      negated = true;
      this.#index++;
    }
    let body = '';
    const chars: number[] = [];
    let enumerable = !negated;
    let first = true;
    for (;;) {
      if (this.#index >= this.#pattern.length) this.#fail(`missing ']' for the class at offset ${start}`);
      const char = this.#peek();
      if (char === ']' && !first) {
        this.#index++;
        break;
      }
      first = false;
      if (char === '[' && this.#peek(1) === ':') {
        const match = /^\[:(\^?)([a-z]+):\]/.exec(this.#pattern.slice(this.#index));
        if (match) {
          if (!posixClasses.has(match[2] as string)) this.#fail(`unknown POSIX class '${match[0]}'`);
          body += match[0];
          enumerable = false;
          this.#index += match[0].length;
          continue;
        }
      }
      const low = this.#classMember();
      if (typeof low === 'string') {
        body += low;
        enumerable = false;
        continue;
      }
      if (this.#peek() === '-' && this.#peek(1) !== ']' && this.#peek(1) !== '') {
        const save = this.#index;
        this.#index++;
        const high = this.#classMember();
        if (typeof high === 'number') {
          if (high < low) this.#fail(`range out of order in class at offset ${start}`);
          body += `${emitCharacter(low)}-${emitCharacter(high)}`;
          if (high - low < 8) for (let code = low; code <= high; code++) chars.push(code);
          else enumerable = false;
          continue;
        }
        // `[a-\d]`: the dash is literal (PCRE).
        this.#index = save;
      }
      body += emitCharacter(low);
      chars.push(low);
    }
    const re2 = `[${negated ? '^' : ''}${body}]`;
    return { kind: 'set', re2, chars: enumerable && chars.length <= 8 ? chars : undefined, fold: this.#flags.i };
  }

  /** One member of a class: a character code, or RE2 text for an escape class such as `\d`. */
  #classMember(): number | string {
    const char = this.#peek();
    if (char !== '\\') {
      const code = this.#pattern.codePointAt(this.#index) as number;
      this.#index += code > 0xffff ? 2 : 1;
      return code;
    }
    const next = this.#peek(1);
    switch (next) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        this.#index += 2;
        return `\\${next}`;
      case 's':
        this.#index += 2;
        return '[:space:]';
      case 'S':
        this.#index += 2;
        return '[:^space:]';
      case 'h':
        this.#index += 2;
        return horizontalSpace;
      case 'v':
        this.#index += 2;
        return verticalSpace;
      case 'p':
      case 'P':
        this.#index += 2;
        return `\\${next}${this.#propertyName()}`;
      case 'H':
      case 'V':
      case 'N':
      case 'R':
      case 'X':
      case 'B':
      case 'A':
      case 'z':
      case 'Z':
      case 'G':
      case 'K':
        this.#fail(`'\\${next}' is not supported inside a character class`);
    }
    if (/[1-9]/.test(next)) {
      this.#fail(`'\\${next}' inside a character class (backreference or octal) is not supported`);
    }
    return this.#escapedCharacter(true);
  }
}

/** A character as RE2 pattern text (valid inside and outside classes). */
function emitCharacter(code: number): string {
  const isAlphanumeric =
    (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  if (isAlphanumeric || code === 0x20) return String.fromCharCode(code);
  // Escaped ASCII punctuation is always the literal character in RE2.
  if (code > 0x20 && code < 0x7f) return `\\${String.fromCharCode(code)}`;
  return `\\x{${code.toString(16)}}`;
}

function emit(node: Node): string {
  switch (node.kind) {
    case 'char':
      return emitCharacter(node.code);
    case 'set':
    case 'empty':
    case 'opaque':
      return node.re2;
    case 'seq':
      return node.items.map(emit).join('');
    case 'alt':
      return node.items.map(emit).join('|');
    case 'group':
      return `(?${node.flags}:${emit(node.child)})`;
    case 'repeat': {
      const child =
        node.child.kind === 'char' || node.child.kind === 'set' ? emit(node.child) : `(?:${emit(node.child)})`;
      const { min, max } = node;
      let quantifier: string;
      if (min === 0 && max === Number.POSITIVE_INFINITY) quantifier = '*';
      else if (min === 1 && max === Number.POSITIVE_INFINITY) quantifier = '+';
      else if (min === 0 && max === 1) quantifier = '?';
      else if (max === Number.POSITIVE_INFINITY) quantifier = `{${min},}`;
      else if (min === max) quantifier = `{${min}}`;
      else quantifier = `{${min},${max}}`;
      return `${child}${quantifier}${node.lazy ? '?' : ''}`;
    }
  }
}

/** What the literal analysis knows of a node. */
interface Facts {
  /** Shortest match, in code points. */
  readonly min: number;
  /** Every string the node can match (lower-cased), when that set is small and known. */
  readonly exact: readonly string[] | undefined;
  /** Strings one of which occurs in every match (lower-cased); undefined when none is known. */
  readonly need: readonly string[] | undefined;
}

const maxExact = 16;
const maxNeedles = 64;

/**
 * Whether a pattern character can stand in a needle. The prefilter looks for needles in
 * `toLowerCase()` text: that is exact for ASCII, and under `i` RE2 also folds `s` with `ſ`
 * (U+017F), which lower-cases to itself, so a folded `s` cannot be required literally.
 */
function needleCharacter(code: number, fold: boolean): string | undefined {
  if (code >= 0x80) return undefined;
  if (fold && (code === 0x73 || code === 0x53)) return undefined;
  return String.fromCharCode(code).toLowerCase();
}

function score(needles: readonly string[]): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (const needle of needles) shortest = Math.min(shortest, needle.length);
  return Math.min(shortest, 8) * 1000 - needles.length;
}

function better(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  if (!a || a.some((s) => s === '')) return b;
  if (!b || b.some((s) => s === '')) return a;
  return score(b) > score(a) ? b : a;
}

function unique(strings: readonly string[]): string[] {
  return [...new Set(strings)];
}

function analyse(node: Node): Facts {
  switch (node.kind) {
    case 'char': {
      const text = needleCharacter(node.code, node.fold);
      const exact = text === undefined ? undefined : [text];
      return { min: 1, exact, need: exact };
    }
    case 'set': {
      if (!node.chars) return { min: 1, exact: undefined, need: undefined };
      const texts = node.chars.map((code) => needleCharacter(code, node.fold));
      if (texts.some((text) => text === undefined)) return { min: 1, exact: undefined, need: undefined };
      const exact = unique(texts as string[]);
      return exact.length <= 4 ? { min: 1, exact, need: exact } : { min: 1, exact: undefined, need: undefined };
    }
    case 'empty':
      return { min: 0, exact: [''], need: undefined };
    case 'opaque':
      return { min: node.min, exact: undefined, need: undefined };
    case 'group':
      return analyse(node.child);
    case 'alt': {
      const children = node.items.map(analyse);
      const min = Math.min(...children.map((child) => child.min));
      const allExact = children.every((child) => child.exact);
      const exactUnion = allExact ? unique(children.flatMap((child) => child.exact as string[])) : undefined;
      const exact = exactUnion && exactUnion.length <= maxExact ? exactUnion : undefined;
      let need: string[] | undefined = [];
      for (const child of children) {
        const childNeed = better(child.need, child.exact);
        if (!childNeed || childNeed.some((s) => s === '')) {
          need = undefined;
          break;
        }
        need.push(...childNeed);
      }
      need = need ? unique(need) : undefined;
      if (need && need.length > maxNeedles) need = undefined;
      return { min, exact, need };
    }
    case 'repeat': {
      const child = analyse(node.child);
      const min = Math.min(child.min * node.min, Number.MAX_SAFE_INTEGER);
      if (node.min === 0) {
        const exact = node.max === 0 ? [''] : node.max === 1 && child.exact ? unique([...child.exact, '']) : undefined;
        return { min, exact, need: undefined };
      }
      let exact: readonly string[] | undefined;
      if (node.min === node.max && child.exact) {
        if (node.min === 1) exact = child.exact;
        else if (child.exact.length === 1 && (child.exact[0] as string).length * node.min <= 64) {
          exact = [(child.exact[0] as string).repeat(node.min)];
        }
      }
      return { min, exact, need: better(child.need, child.exact) };
    }
    case 'seq': {
      let min = 0;
      let run: string[] = [''];
      let exactSoFar = true;
      let best: readonly string[] | undefined;
      const flush = (): void => {
        best = better(best, run);
        run = [''];
      };
      for (const item of node.items) {
        const facts = analyse(item);
        min += facts.min;
        if (facts.exact) {
          const product: string[] = [];
          for (const prefix of run) for (const suffix of facts.exact) product.push(prefix + suffix);
          const next = unique(product);
          if (next.length <= maxExact) run = next;
          else {
            exactSoFar = false;
            flush();
            run = [...facts.exact];
          }
          continue;
        }
        exactSoFar = false;
        flush();
        best = better(best, facts.need);
      }
      const exact = exactSoFar ? run : undefined;
      flush();
      return { min, exact, need: best };
    }
  }
}

/**
 * A Sigma wildcard pattern (`*` any run, `?` one character, literal runs) tested against a whole
 * text in O(text × pattern) time: greedy matching that, on a mismatch, only ever retries the
 * most recent `*` one character further. A backtracking RegExp such as `^[\s\S]*a[\s\S]*b[\s\S]$`
 * takes minutes on a few thousand characters; this never does. `?` is one code point.
 */
export function wildcardTest(
  parts: readonly (string | number)[],
  anyRun: number,
  anyChar: number,
): (text: string) => boolean {
  const tokens = [...parts];
  return (text) => {
    let position = 0;
    let token = 0;
    let starToken = -1;
    let starPosition = 0;
    const step = (at: number): number => {
      const code = text.charCodeAt(at);
      const next = text.charCodeAt(at + 1);
      return code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    };
    for (;;) {
      if (token < tokens.length) {
        const part = tokens[token];
        if (part === anyRun) {
          starToken = token++;
          starPosition = position;
          continue;
        }
        if (part === anyChar) {
          if (position < text.length) {
            position += step(position);
            token++;
            continue;
          }
        } else if (typeof part === 'string' && text.startsWith(part, position)) {
          position += part.length;
          token++;
          continue;
        }
      } else if (position === text.length) return true;
      // Mismatch (or text left over): let the last `*` take one more character, or fail.
      if (starToken < 0 || starPosition >= text.length) return false;
      starPosition += step(starPosition);
      position = starPosition;
      token = starToken + 1;
    }
  };
}
