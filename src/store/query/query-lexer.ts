// Splits a query into tokens with their character offsets. Words keep their raw text (escapes
// included) because the parser needs to tell an escaped `\*` or `\:` from a live one.
import { QuerySyntaxError } from './query-syntax-error.ts';

export type TokenKind =
  | 'word'
  | 'phrase'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'and'
  | 'or'
  | 'not'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Raw text for words; the unescaped content for phrases; the operator as written otherwise. */
  readonly text: string;
  readonly position: number;
  /** Offset just past the token. */
  readonly end: number;
}

const punctuation: Record<string, TokenKind> = {
  '(': 'lparen',
  ')': 'rparen',
  '[': 'lbracket',
  ']': 'rbracket',
  '{': 'lbrace',
  '}': 'rbrace',
};

function isSpace(character: string): boolean {
  return character === ' ' || character === '\t' || character === '\n' || character === '\r';
}

function endsWord(character: string): boolean {
  return isSpace(character) || character === '"' || punctuation[character] !== undefined;
}

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  // Inside `[a TO b]` operators and prefixes are plain text (`[-5 TO 5]`).
  let rangeDepth = 0;
  let index = 0;
  while (index < query.length) {
    const character = query[index]!;
    if (isSpace(character)) {
      index++;
      continue;
    }
    const kind = punctuation[character];
    if (kind !== undefined) {
      if (kind === 'lbracket' || kind === 'lbrace') rangeDepth++;
      if ((kind === 'rbracket' || kind === 'rbrace') && rangeDepth > 0) rangeDepth--;
      tokens.push({ kind, text: character, position: index, end: index + 1 });
      index++;
      continue;
    }
    if (character === '"') {
      index = readPhrase(query, index, tokens);
      continue;
    }
    if (rangeDepth === 0) {
      const pair = query.slice(index, index + 2);
      if (pair === '&&' || pair === '||') {
        tokens.push({ kind: pair === '&&' ? 'and' : 'or', text: pair, position: index, end: index + 2 });
        index += 2;
        continue;
      }
      const next = query[index + 1];
      if ((character === '-' || character === '!') && next !== undefined && !isSpace(next)) {
        tokens.push({ kind: 'not', text: character, position: index, end: index + 1 });
        index++;
        continue;
      }
    }
    const start = index;
    while (index < query.length && !endsWord(query[index]!)) {
      if (query[index] === '\\') {
        if (index + 1 >= query.length) throw new QuerySyntaxError('Nothing to escape after "\\" at the end', index);
        index += 2;
      } else index++;
    }
    const text = query.slice(start, index);
    let wordKind: TokenKind = 'word';
    if (rangeDepth === 0) {
      if (text === 'AND') wordKind = 'and';
      else if (text === 'OR') wordKind = 'or';
      else if (text === 'NOT') wordKind = 'not';
    }
    tokens.push({ kind: wordKind, text, position: start, end: index });
  }
  tokens.push({ kind: 'eof', text: '', position: query.length, end: query.length });
  return tokens;
}

function readPhrase(query: string, start: number, tokens: Token[]): number {
  let text = '';
  let index = start + 1;
  while (index < query.length) {
    const character = query[index]!;
    if (character === '\\' && index + 1 < query.length) {
      text += query[index + 1];
      index += 2;
      continue;
    }
    if (character === '"') {
      tokens.push({ kind: 'phrase', text, position: start, end: index + 1 });
      return index + 1;
    }
    text += character;
    index++;
  }
  throw new QuerySyntaxError('Unterminated phrase: add the closing "', start);
}
