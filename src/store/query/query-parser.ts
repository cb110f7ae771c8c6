// Parses Vigil's analyst query language (Lucene/KQL-like) into a dialect-neutral AST.
// Precedence: NOT binds tightest, then AND (also implicit, by juxtaposition), then OR.
import type { PatternPart, QueryNode, QueryValue, RangeBound } from './query-ast.ts';
import { isValidFieldName } from './query-ast.ts';
import { type Token, tokenize } from './query-lexer.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';

const maxDepth = 64;
const maxLength = 16_384;
const fieldPrefix = /^([A-Za-z_@][A-Za-z0-9_@.-]*)(:|>=|<=|>|<)/;
const comparison = /^(>=|<=|>|<)/;

/** Parses a query; the empty query (or `*`) matches everything. Throws QuerySyntaxError. */
export function parseQuery(query: string): QueryNode {
  if (query.length > maxLength) throw new QuerySyntaxError(`Query is longer than ${maxLength} characters`, maxLength);
  const parser = new Parser(tokenize(query));
  return parser.parse();
}

class Parser {
  readonly #tokens: Token[];
  #index = 0;
  #depth = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): QueryNode {
    if (this.#peek().kind === 'eof') return { kind: 'all' };
    const node = this.#parseOr(undefined);
    const next = this.#peek();
    if (next.kind !== 'eof') throw new QuerySyntaxError(unexpected(next), next.position);
    return node;
  }

  #peek(): Token {
    return this.#tokens[this.#index]!;
  }

  #take(): Token {
    const token = this.#tokens[this.#index]!;
    if (token.kind !== 'eof') this.#index++;
    return token;
  }

  #parseOr(field: FieldContext | undefined): QueryNode {
    const children = [this.#parseAnd(field)];
    while (this.#peek().kind === 'or') {
      const operator = this.#take();
      if (!startsClause(this.#peek())) {
        throw new QuerySyntaxError(`Expected a search term after ${operator.text}`, this.#peek().position);
      }
      children.push(this.#parseAnd(field));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  #parseAnd(field: FieldContext | undefined): QueryNode {
    const children = [this.#parseUnary(field)];
    for (;;) {
      const next = this.#peek();
      if (next.kind === 'and') {
        this.#take();
        if (!startsClause(this.#peek())) {
          throw new QuerySyntaxError(`Expected a search term after ${next.text}`, this.#peek().position);
        }
        children.push(this.#parseUnary(field));
      } else if (startsClause(next)) {
        children.push(this.#parseUnary(field));
      } else break;
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  #parseUnary(field: FieldContext | undefined): QueryNode {
    const token = this.#peek();
    if (token.kind === 'not') {
      this.#take();
      if (!startsClause(this.#peek())) {
        throw new QuerySyntaxError(`Expected a search term after ${token.text}`, this.#peek().position);
      }
      this.#enter(token);
      const child = this.#parseUnary(field);
      this.#depth--;
      return { kind: 'not', child };
    }
    return this.#parsePrimary(field);
  }

  #enter(token: Token): void {
    if (++this.#depth > maxDepth) throw new QuerySyntaxError('Query is nested too deeply', token.position);
  }

  #parsePrimary(field: FieldContext | undefined): QueryNode {
    const token = this.#take();
    switch (token.kind) {
      case 'lparen': {
        this.#enter(token);
        if (this.#peek().kind === 'rparen') throw new QuerySyntaxError('Empty parentheses', token.position);
        const inner = this.#parseOr(field);
        this.#depth--;
        const close = this.#take();
        if (close.kind !== 'rparen') {
          throw new QuerySyntaxError(
            close.kind === 'eof' ? "Missing ')' for this '('" : unexpected(close),
            close.kind === 'eof' ? token.position : close.position,
          );
        }
        return inner;
      }
      case 'phrase':
        return termNode(field, phraseValue(token));
      case 'word':
        return this.#parseWord(token, field);
      case 'lbracket':
      case 'lbrace':
        if (field) return this.#parseRange(token, field);
        throw new QuerySyntaxError('A range needs a field, as in field:[a TO b]', token.position);
      default:
        throw new QuerySyntaxError(unexpected(token), token.position);
    }
  }

  #parseWord(token: Token, context: FieldContext | undefined): QueryNode {
    const match = fieldPrefix.exec(token.text);
    if (!match) {
      const value = wordValue(token.text, token.position);
      if (value.text === '*' && value.pattern) {
        return context ? { kind: 'exists', field: context.field, fieldPosition: context.position } : { kind: 'all' };
      }
      return termNode(context, value);
    }
    const name = match[1]!;
    if (!isValidFieldName(name)) throw new QuerySyntaxError(`Invalid field name "${name}"`, token.position);
    const field: FieldContext = { field: name, position: token.position };
    let operator = match[2]!;
    let restStart = match[0].length;
    if (operator === ':') {
      const compared = comparison.exec(token.text.slice(restStart));
      if (compared) {
        operator = compared[1]!;
        restStart += operator.length;
      }
    }
    const rest = token.text.slice(restStart);
    const restPosition = token.position + restStart;
    if (operator !== ':') {
      const value = rest ? wordValue(rest, restPosition) : this.#valueToken(token, name);
      if (value.pattern) throw new QuerySyntaxError('Wildcards are not allowed in a comparison', value.position);
      const bound: RangeBound = { value, inclusive: operator.length === 2 };
      return operator.startsWith('>')
        ? { kind: 'range', field: name, fieldPosition: token.position, lower: bound }
        : { kind: 'range', field: name, fieldPosition: token.position, upper: bound };
    }
    if (rest) {
      const value = wordValue(rest, restPosition);
      if (value.text === '*' && value.pattern) return { kind: 'exists', field: name, fieldPosition: token.position };
      return termNode(field, value);
    }
    const next = this.#peek();
    if (next.kind === 'lparen') {
      this.#take();
      this.#enter(next);
      const inner = this.#parseOr(field);
      this.#depth--;
      const close = this.#take();
      if (close.kind !== 'rparen') {
        throw new QuerySyntaxError(
          close.kind === 'eof' ? "Missing ')' for this '('" : unexpected(close),
          close.kind === 'eof' ? next.position : close.position,
        );
      }
      return inner;
    }
    if (next.kind === 'lbracket' || next.kind === 'lbrace') {
      this.#take();
      return this.#parseRange(next, field);
    }
    const value = this.#valueToken(token, name);
    if (value.text === '*' && value.pattern) return { kind: 'exists', field: name, fieldPosition: token.position };
    return termNode(field, value);
  }

  /** The value after `field:` or `field>=` written as the next token (`field: "a b"`). */
  #valueToken(fieldToken: Token, name: string): QueryValue {
    const next = this.#peek();
    if (next.kind === 'phrase') return phraseValue(this.#take());
    if (next.kind === 'word' && !fieldPrefix.test(next.text)) {
      this.#take();
      return wordValue(next.text, next.position);
    }
    throw new QuerySyntaxError(
      `Expected a value after "${name}"`,
      next.kind === 'eof' ? fieldToken.end : next.position,
    );
  }

  #parseRange(open: Token, field: FieldContext): QueryNode {
    const lower = this.#rangeBound('lower');
    const to = this.#take();
    if (to.kind !== 'word' || to.text !== 'TO') {
      throw new QuerySyntaxError('Expected TO between the two ends of the range', to.position);
    }
    const upper = this.#rangeBound('upper');
    const close = this.#take();
    if (close.kind !== 'rbracket' && close.kind !== 'rbrace') {
      throw new QuerySyntaxError(
        close.kind === 'eof' ? "Range is not closed: add ']' or '}'" : "Expected ']' or '}' to close the range",
        close.kind === 'eof' ? open.position : close.position,
      );
    }
    const node: { -readonly [K in 'lower' | 'upper']?: RangeBound } = {};
    if (lower) node.lower = { value: lower, inclusive: open.kind === 'lbracket' };
    if (upper) node.upper = { value: upper, inclusive: close.kind === 'rbracket' };
    if (!node.lower && !node.upper) return { kind: 'exists', field: field.field, fieldPosition: field.position };
    return { kind: 'range', field: field.field, fieldPosition: field.position, ...node };
  }

  #rangeBound(which: 'lower' | 'upper'): QueryValue | undefined {
    const token = this.#take();
    if (token.kind === 'phrase') return phraseValue(token);
    if (token.kind !== 'word' || (which === 'lower' && token.text === 'TO')) {
      throw new QuerySyntaxError(`Expected the ${which} end of the range`, token.position);
    }
    const value = wordValue(token.text, token.position);
    if (value.pattern) {
      if (value.text === '*') return undefined;
      throw new QuerySyntaxError('Wildcards are not allowed in a range', token.position);
    }
    return value;
  }
}

interface FieldContext {
  readonly field: string;
  readonly position: number;
}

function termNode(field: FieldContext | undefined, value: QueryValue): QueryNode {
  return field ? { kind: 'term', field: field.field, fieldPosition: field.position, value } : { kind: 'term', value };
}

function startsClause(token: Token): boolean {
  return (
    token.kind === 'word' ||
    token.kind === 'phrase' ||
    token.kind === 'lparen' ||
    token.kind === 'not' ||
    token.kind === 'lbracket' ||
    token.kind === 'lbrace'
  );
}

function unexpected(token: Token): string {
  switch (token.kind) {
    case 'rparen':
      return "Unexpected ')' without a matching '('";
    case 'rbracket':
    case 'rbrace':
      return `Unexpected '${token.text}' outside a range`;
    case 'and':
    case 'or':
      return `${token.text} needs a search term on both sides`;
    case 'eof':
      return 'Unexpected end of query';
    default:
      return `Unexpected "${token.text}"`;
  }
}

function phraseValue(token: Token): QueryValue {
  return { text: token.text, quoted: true, position: token.position };
}

/** Unescapes a raw word and records where its live wildcards are. */
function wordValue(raw: string, position: number): QueryValue {
  let text = '';
  let literal = '';
  const parts: PatternPart[] = [];
  let wildcards = false;
  for (let index = 0; index < raw.length; index++) {
    const character = raw[index]!;
    if (character === '\\') {
      const escaped = raw[++index]!;
      text += escaped;
      literal += escaped;
    } else if (character === '*' || character === '?') {
      wildcards = true;
      text += character;
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ wildcard: character });
    } else {
      text += character;
      literal += character;
    }
  }
  if (!wildcards) return { text, quoted: false, position };
  if (literal) parts.push({ literal });
  return { text, pattern: parts, quoted: false, position };
}
