// DuckDB's spelling of the query language's dialect-specific pieces: JSON paths over the
// stored document, list lambdas, epoch-ms timestamps and 128-bit IP numbers.
import type { SqlDialect, SqlParameters } from '../query/sql-generator.ts';

/** `$."winlog"."event_data"."TargetUserName"`; segments are already validated field-name parts. */
export function jsonPath(path: readonly string[]): string {
  let text = '$';
  for (const segment of path) text += '.' + JSON.stringify(segment);
  return text;
}

/** Numbered placeholders ($1, $2, …) over a value list. */
export class DuckDbParameters implements SqlParameters {
  readonly values: (string | number)[] = [];

  add(value: string | number): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const ipv4Text = `'[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}'`;

export const duckDbDialect: SqlDialect = {
  documentMatch(path, parameters, match) {
    const scalar = parameters.add(jsonPath(path));
    const elements = parameters.add(`${jsonPath(path)}[*]`);
    return (
      `(CASE WHEN json_type(doc, ${scalar}) = 'ARRAY'` +
      ` THEN len(list_filter(json_extract_string(doc, ${elements}), lambda element: ${match('element')})) > 0` +
      ` ELSE ${match(`json_extract_string(doc, ${scalar})`)} END)`
    );
  },
  documentExists(path, parameters) {
    return `(coalesce(json_type(doc, ${parameters.add(jsonPath(path))}), 'NULL') <> 'NULL')`;
  },
  listMatch(column, match) {
    return `(len(list_filter(${column}, lambda element: ${match('element')})) > 0)`;
  },
  time(ms, parameters) {
    return `epoch_ms(${parameters.add(Math.trunc(ms))}::BIGINT)`;
  },
  ipNumber(value, parameters) {
    return `${parameters.add(value.toString())}::UHUGEINT`;
  },
  ipNumberColumn(column) {
    return `${column}_number`;
  },
  ipv4Number(expression) {
    return (
      `(CASE WHEN regexp_full_match(${expression}, ${ipv4Text}) THEN ` +
      `list_reduce(list_transform(string_split(${expression}, '.'), lambda octet: TRY_CAST(octet AS BIGINT)), ` +
      `lambda total, octet: total * 256 + octet) END)`
    );
  },
  likeInsensitive(expression, pattern) {
    return `(${expression} ILIKE ${pattern} ESCAPE '\\')`;
  },
  toNumber(expression) {
    return `TRY_CAST(${expression} AS DOUBLE)`;
  },
};
