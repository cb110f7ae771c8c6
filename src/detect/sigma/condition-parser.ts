// Parses a Sigma condition string into a small tree. Precedence, loosest first:
// or < and < not < "x of …" < parentheses. Aggregations (`| count() by …`) were removed in
// Sigma v2 and are rejected here; correlation rules replace them.

export type ConditionNode =
  | { readonly kind: 'and'; readonly children: readonly ConditionNode[] }
  | { readonly kind: 'or'; readonly children: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly child: ConditionNode }
  | { readonly kind: 'ref'; readonly name: string }
  /** `1 of sel*`, `all of them`, `any of x*` (any = 1). `pattern` is undefined for `them`. */
  | { readonly kind: 'of'; readonly count: number | 'all'; readonly pattern: string | undefined };

const tokenPattern = /\s*(\(|\)|[^\s()]+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  for (;;) {
    const start = tokenPattern.lastIndex;
    const match = tokenPattern.exec(text);
    if (!match) {
      if (text.slice(start).trim() !== '') throw new Error(`unexpected text '${text.slice(start).trim()}'`);
      break;
    }
    tokens.push(match[1] as string);
  }
  return tokens;
}

const identifierPattern = /^[A-Za-z0-9_*.-]+$/;

/** Parse one condition. Throws an Error naming the problem (the caller adds file:line). */
export function parseCondition(text: string): ConditionNode {
  if (text.includes('|'))
    throw new Error('aggregation expressions (`| count() …`) are not part of Sigma v2; use a correlation rule');
  const tokens = tokenize(text);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const lower = (token: string | undefined): string | undefined => token?.toLowerCase();

  function parseOr(): ConditionNode {
    const children = [parseAnd()];
    while (lower(peek()) === 'or') {
      position++;
      children.push(parseAnd());
    }
    return children.length === 1 ? (children[0] as ConditionNode) : { kind: 'or', children };
  }
  function parseAnd(): ConditionNode {
    const children = [parseNot()];
    while (lower(peek()) === 'and') {
      position++;
      children.push(parseNot());
    }
    return children.length === 1 ? (children[0] as ConditionNode) : { kind: 'and', children };
  }
  function parseNot(): ConditionNode {
    if (lower(peek()) === 'not') {
      position++;
      return { kind: 'not', child: parseNot() };
    }
    return parsePrimary();
  }
  function parsePrimary(): ConditionNode {
    const token = peek();
    if (token === undefined) throw new Error('condition ends too early');
    if (token === '(') {
      position++;
      const inner = parseOr();
      if (peek() !== ')') throw new Error(`expected ')' but found ${peek() === undefined ? 'the end' : `'${peek()}'`}`);
      position++;
      return inner;
    }
    if (token === ')') throw new Error("unexpected ')'");
    const keyword = token.toLowerCase();
    if (keyword === 'and' || keyword === 'or' || keyword === 'of') throw new Error(`unexpected '${token}'`);
    if (lower(tokens[position + 1]) === 'of') {
      let count: number | 'all';
      if (keyword === 'all') count = 'all';
      else if (keyword === 'any') count = 1;
      else if (/^[1-9][0-9]*$/.test(token)) count = Number(token);
      else throw new Error(`'${token} of' needs a number, 'any' or 'all' before 'of'`);
      position += 2;
      const target = peek();
      if (target === undefined || target === '(' || target === ')')
        throw new Error(`'of' needs 'them' or an identifier pattern`);
      position++;
      if (target.toLowerCase() === 'them') return { kind: 'of', count, pattern: undefined };
      if (!identifierPattern.test(target)) throw new Error(`invalid identifier pattern '${target}'`);
      return { kind: 'of', count, pattern: target };
    }
    if (!identifierPattern.test(token) || token.includes('*')) throw new Error(`invalid search identifier '${token}'`);
    position++;
    return { kind: 'ref', name: token };
  }

  const node = parseOr();
  if (position < tokens.length) throw new Error(`unexpected '${tokens[position]}'`);
  return node;
}

/** Identifiers a pattern selects: `*` matches any run of characters; `them` skips `_`-prefixed ones. */
export function selectIdentifiers(pattern: string | undefined, names: Iterable<string>): string[] {
  const selected: string[] = [];
  if (pattern === undefined) {
    for (const name of names) if (!name.startsWith('_')) selected.push(name);
    return selected;
  }
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*')}$`);
  for (const name of names) if (regex.test(name)) selected.push(name);
  return selected;
}
