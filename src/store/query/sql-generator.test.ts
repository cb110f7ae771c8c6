import { describe, expect, it } from 'vitest';
import { DuckDbParameters, duckDbDialect } from '../duckdb/duckdb-dialect.ts';
import { parseQuery } from './query-parser.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';
import { compileCondition, likePattern } from './sql-generator.ts';

const now = Date.parse('2026-11-22T08:00:00.000Z');

function compile(query: string): { sql: string; values: (string | number)[] } {
  const parameters = new DuckDbParameters();
  const sql = compileCondition(parseQuery(query), duckDbDialect, parameters, { now });
  return { sql, values: parameters.values };
}

describe('compileCondition', () => {
  it('passes every user value as a parameter and lowercases keyword values', () => {
    const { sql, values } = compile('host.name:FIN-01 AND user.name:"Bob Smith"');
    expect(sql).toBe('((lower(host_name) = $1) AND (lower(user_name) = $2))');
    expect(values).toEqual(['fin-01', 'bob smith']);
  });

  it('maps hot fields to columns and other fields to a parameterised JSON path', () => {
    const { sql, values } = compile('winlog.event_data.TargetUserName:admin');
    expect(sql).not.toContain('TargetUserName');
    expect([...values].sort()).toEqual([
      '$."winlog"."event_data"."TargetUserName"',
      '$."winlog"."event_data"."TargetUserName"[*]',
      'admin',
    ]);
  });

  it('turns wildcards into an escaped ILIKE pattern', () => {
    const { sql, values } = compile('process.command_line:*50%_off\\*x?');
    expect(sql).toBe("(process_command_line ILIKE $1 ESCAPE '\\')");
    expect(values).toEqual(['%50\\%\\_off*x_']);
  });

  it('searches bare terms as substrings of message and event.original', () => {
    const { sql, values } = compile('"100%"');
    expect(sql).toBe("((message ILIKE $1 ESCAPE '\\') OR (event_original ILIKE $1 ESCAPE '\\'))");
    expect(values).toEqual(['%100\\%%']);
  });

  it('compiles NOT so that events without the field still match', () => {
    expect(compile('-user.name:root').sql).toBe('(NOT coalesce((lower(user_name) = $1), FALSE))');
  });

  it('compiles CIDR blocks into numeric ranges and exact IPs into equality', () => {
    const v4 = compile('source.ip:10.0.0.0/8');
    expect(v4.sql).toBe('(source_ip_number BETWEEN $1::UHUGEINT AND $2::UHUGEINT)');
    expect(v4.values).toEqual([String(0xffff0a000000n), String(0xffff0affffffn)]);
    const v6 = compile('destination.ip:2001:db8::/32');
    expect(v6.values).toEqual([String(0x20010db8n << 96n), String(((0x20010db8n + 1n) << 96n) - 1n)]);
    expect(compile('source.ip:10.1.2.3').sql).toBe('(source_ip_number = $1::UHUGEINT)');
  });

  it('reads @timestamp values as times, rounding whole days to their bounds', () => {
    const { sql, values } = compile('@timestamp:[2026-11-01 TO 2026-11-02]');
    expect(sql).toBe('(ts >= epoch_ms($1::BIGINT) AND ts < epoch_ms($2::BIGINT))');
    expect(values).toEqual([Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-11-03T00:00:00Z')]);
    expect(compile('@timestamp>now-15m').values).toEqual([now - 15 * 60_000]);
    expect(compile('@timestamp<=1795330800000').sql).toBe('(ts <= epoch_ms($1::BIGINT))');
  });

  it('rejects values a typed field cannot take, at the value position', () => {
    const cases: [string, number, RegExp][] = [
      ['source.port:http', 12, /takes a number/],
      ['@timestamp:[yesterday TO now]', 12, /takes a time/],
      ['@timestamp:2026-13-45', 11, /takes a time/],
      ['source.ip:[a TO b]', 11, /IP address/],
      ['related.ip:2001:db8::/32', 11, /IPv6 ranges/],
    ];
    for (const [query, position, message] of cases) {
      let caught: unknown;
      try {
        compile(query);
      } catch (error) {
        caught = error;
      }
      expect(caught, query).toBeInstanceOf(QuerySyntaxError);
      expect((caught as QuerySyntaxError).position, query).toBe(position);
      expect((caught as QuerySyntaxError).message, query).toMatch(message);
    }
  });

  it('never writes a user value into the SQL text', () => {
    const payloads = [
      "'; DROP TABLE events; --",
      "' OR '1'='1",
      "\\' OR 1=1 --",
      "x') UNION SELECT doc FROM api_keys --",
    ];
    for (const payload of payloads) {
      const quoted = JSON.stringify(payload);
      for (const query of [`user.name:${quoted}`, quoted, `labels.x:${quoted}`, `process.pid:[1 TO 2] ${quoted}`]) {
        const { sql, values } = compile(query);
        expect(sql, query).not.toContain(payload);
        expect(sql, query).not.toMatch(/DROP|UNION|'1'/);
        const plain = (text: string): string => text.toLowerCase().replace(/\\/g, '');
        expect(
          values.some((value) => plain(String(value)).includes(plain(payload))),
          query,
        ).toBe(true);
      }
    }
  });

  it('only ever puts validated field names into JSON paths', () => {
    for (const field of ['a"b', "a'b", 'a b', 'a;b', 'a$b', 'a[0]', '.a', 'a.']) {
      let caught: unknown;
      let sql = '';
      try {
        sql = compile(`${field}:x`).sql;
      } catch (error) {
        caught = error;
      }
      // Either refused, or read as a bare term that never becomes a path.
      if (!caught) expect(sql, field).toContain('message ILIKE');
      else expect(caught, field).toBeInstanceOf(QuerySyntaxError);
    }
  });
});

describe('likePattern', () => {
  it('escapes LIKE metacharacters in literals', () => {
    expect(likePattern({ text: 'a%b_c\\d', quoted: true, position: 0 })).toBe('a\\%b\\_c\\\\d');
  });
});
