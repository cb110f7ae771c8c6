import { describe, expect, it } from 'vitest';
import type { QueryNode } from './query-ast.ts';
import { parseQuery } from './query-parser.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';

/** A compact rendering of the AST so precedence reads at a glance. */
function show(node: QueryNode): string {
  switch (node.kind) {
    case 'all':
      return '*';
    case 'and':
      return `(${node.children.map(show).join(' & ')})`;
    case 'or':
      return `(${node.children.map(show).join(' | ')})`;
    case 'not':
      return `!${show(node.child)}`;
    case 'exists':
      return `${node.field}:*`;
    case 'term': {
      const value = node.value.quoted
        ? JSON.stringify(node.value.text)
        : node.value.pattern
          ? `~${node.value.text}`
          : node.value.text;
      return node.field ? `${node.field}=${value}` : value;
    }
    case 'range': {
      const lower = node.lower ? `${node.lower.inclusive ? '[' : '{'}${node.lower.value.text}` : '(*';
      const upper = node.upper ? `${node.upper.value.text}${node.upper.inclusive ? ']' : '}'}` : '*)';
      return `${node.field}${lower},${upper}`;
    }
  }
}

const parse = (query: string): string => show(parseQuery(query));

function syntaxError(query: string): QuerySyntaxError {
  try {
    parseQuery(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

describe('parseQuery', () => {
  it('reads an empty query and a lone * as match-all', () => {
    expect(parse('')).toBe('*');
    expect(parse('   ')).toBe('*');
    expect(parse('*')).toBe('*');
  });

  it('reads field:value, quoted phrases and bare terms', () => {
    expect(parse('host.name:fin-01')).toBe('host.name=fin-01');
    expect(parse('message:"failed password"')).toBe('message="failed password"');
    expect(parse('message: "spaced out"')).toBe('message="spaced out"');
    expect(parse('mimikatz')).toBe('mimikatz');
    expect(parse('"lateral movement"')).toBe('"lateral movement"');
    expect(parse('@timestamp:2026-11-22T07:00:00Z')).toBe('@timestamp=2026-11-22T07:00:00Z');
    expect(parse('source.ip:fe80::1')).toBe('source.ip=fe80::1');
    expect(parse('winlog.event_data.Target-Name:x')).toBe('winlog.event_data.Target-Name=x');
  });

  it('records wildcards and honours escapes', () => {
    const node = parseQuery('file.path:C\\:\\\\temp\\\\*.exe');
    expect(node).toMatchObject({ kind: 'term', field: 'file.path' });
    if (node.kind !== 'term') throw new Error('term expected');
    expect(node.value.text).toBe('C:\\temp\\*.exe');
    expect(node.value.pattern).toEqual([{ literal: 'C:\\temp\\' }, { wildcard: '*' }, { literal: '.exe' }]);
    expect(parse('user.name:a?c')).toBe('user.name=~a?c');
    expect(parse('url.full:a\\*b')).toBe('url.full=a*b');
    expect(parse('"literal * in a phrase"')).toBe('"literal * in a phrase"');
    expect(parse('say\\ hello')).toBe('say hello');
    expect(parse('a\\:b')).toBe('a:b');
    expect(parse('\\-negative')).toBe('-negative');
    expect(parse('"quote \\" inside"')).toBe('"quote \\" inside"');
  });

  it('reads exists', () => {
    expect(parse('process.parent.name:*')).toBe('process.parent.name:*');
    expect(parse('dns:(*)')).toBe('dns:*');
    expect(parse('x:[* TO *]')).toBe('x:*');
  });

  it('reads AND, OR, NOT and their symbols', () => {
    expect(parse('a AND b')).toBe('(a & b)');
    expect(parse('a && b')).toBe('(a & b)');
    expect(parse('a OR b')).toBe('(a | b)');
    expect(parse('a || b')).toBe('(a | b)');
    expect(parse('NOT a')).toBe('!a');
    expect(parse('!a')).toBe('!a');
    expect(parse('-a')).toBe('!a');
    expect(parse('-user.name:root')).toBe('!user.name=root');
    expect(parse('NOT NOT a')).toBe('!!a');
    expect(parse('a b c')).toBe('(a & b & c)');
  });

  it('keeps lowercase and/or/not as search words', () => {
    expect(parse('cats and dogs')).toBe('(cats & and & dogs)');
    expect(parse('rock or roll')).toBe('(rock & or & roll)');
  });

  it('binds NOT tighter than AND, and AND (explicit or implicit) tighter than OR', () => {
    expect(parse('a OR b AND c')).toBe('(a | (b & c))');
    expect(parse('a AND b OR c')).toBe('((a & b) | c)');
    expect(parse('a b OR c d')).toBe('((a & b) | (c & d))');
    expect(parse('NOT a AND b')).toBe('(!a & b)');
    expect(parse('NOT (a AND b)')).toBe('!(a & b)');
    expect(parse('(a OR b) c')).toBe('((a | b) & c)');
    expect(parse('-a OR -b')).toBe('(!a | !b)');
    expect(parse('((a))')).toBe('a');
  });

  it('applies a field to a parenthesised group', () => {
    expect(parse('host.name:(a OR b*)')).toBe('(host.name=a | host.name=~b*)');
    expect(parse('host.name:(a -b "c d")')).toBe('(host.name=a & !host.name=b & host.name="c d")');
    expect(parse('host.name:(a OR user.name:b)')).toBe('(host.name=a | user.name=b)');
  });

  it('reads inclusive, exclusive, mixed and open ranges', () => {
    expect(parse('source.port:[1 TO 1024]')).toBe('source.port[1,1024]');
    expect(parse('source.port:{1 TO 1024}')).toBe('source.port{1,1024}');
    expect(parse('source.port:[1 TO 1024}')).toBe('source.port[1,1024}');
    expect(parse('source.port:[1024 TO *]')).toBe('source.port[1024,*)');
    expect(parse('n:[-5 TO -1]')).toBe('n[-5,-1]');
    expect(parse('@timestamp:[2026-11-22T00:00:00Z TO now-1h]')).toBe('@timestamp[2026-11-22T00:00:00Z,now-1h]');
    expect(parse('@timestamp:["2026-11-22 07:00" TO "2026-11-22 08:00"]')).toBe(
      '@timestamp[2026-11-22 07:00,2026-11-22 08:00]',
    );
  });

  it('reads comparisons written field>=v and field:>v', () => {
    expect(parse('event.severity>=5')).toBe('event.severity[5,*)');
    expect(parse('event.severity:>5')).toBe('event.severity{5,*)');
    expect(parse('event.severity:<=10')).toBe('event.severity(*,10]');
    expect(parse('event.severity<10')).toBe('event.severity(*,10}');
    expect(parse('event.severity>= 7')).toBe('event.severity[7,*)');
    expect(parse('@timestamp>="2026-11-22 07:00"')).toBe('@timestamp[2026-11-22 07:00,*)');
  });

  it('keeps character positions on values for later errors', () => {
    const node = parseQuery('a AND user.name:"bob"');
    if (node.kind !== 'and') throw new Error('and expected');
    const term = node.children[1]!;
    if (term.kind !== 'term') throw new Error('term expected');
    expect(term.fieldPosition).toBe(6);
    expect(term.value.position).toBe(16);
  });

  it('reports errors with a message and the position to underline', () => {
    const cases: [query: string, position: number, message: RegExp][] = [
      ['"open phrase', 0, /Unterminated phrase/],
      ['a AND', 5, /after AND/],
      ['a OR OR b', 5, /after OR/],
      ['OR a', 0, /OR needs a search term/],
      ['(a OR b', 0, /Missing '\)'/],
      ['a)', 1, /Unexpected '\)'/],
      ['()', 0, /Empty parentheses/],
      ['NOT', 3, /after NOT/],
      ['field:', 6, /Expected a value after "field"/],
      ['field:[1 TO 5', 6, /Range is not closed/],
      ['field:[1 5]', 9, /Expected TO/],
      ['field:[1 TO 5) x', 13, /Expected '\]' or '\}'/],
      ['[1 TO 2]', 0, /needs a field/],
      ['a]', 1, /outside a range/],
      ['field>=a*', 7, /Wildcards are not allowed/],
      ['field:[a* TO b]', 7, /Wildcards are not allowed in a range/],
      ['trailing\\', 8, /Nothing to escape/],
      ['x..y:1', 0, /Invalid field name/],
      ['user.name: OR', 11, /Expected a value/],
    ];
    for (const [query, position, message] of cases) {
      const error = syntaxError(query);
      expect(error.name, query).toBe('QuerySyntaxError');
      expect(error.position, query).toBe(position);
      expect(error.message, query).toMatch(message);
    }
  });

  it('refuses pathological nesting and length with a syntax error, not a crash', () => {
    expect(syntaxError(`${'('.repeat(500)}a${')'.repeat(500)}`).message).toMatch(/nested too deeply/);
    expect(syntaxError(`${'-'.repeat(500)}a`).message).toMatch(/nested too deeply/);
    expect(syntaxError('a '.repeat(10_000)).message).toMatch(/longer than/);
  });

  it('never lets a quote, semicolon or SQL comment change the structure', () => {
    expect(parse("user.name:root';DROP")).toBe("user.name=root';DROP");
    expect(parse('"a\\" OR \\"b"')).toBe('"a\\" OR \\"b"');
    expect(parse("x:'--")).toBe("x='--");
    // Not a field name: the quote keeps it a bare term, so nothing reaches SQL as an identifier.
    expect(parse("a'b:c")).toBe("a'b:c");
  });
});
