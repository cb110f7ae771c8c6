// Turns a parsed query into a SQL condition plus parameters. Every user value travels as a
// parameter; field names only select a known column or become a parameterised JSON path.
// The few dialect differences (JSON access, lists, time and IP literals) sit behind SqlDialect.
import type { HotField } from './field-catalog.ts';
import { fullTextFields, hotField, looksLikeIpField } from './field-catalog.ts';
import type { PatternPart, QueryNode, QueryValue, RangeBound } from './query-ast.ts';
import { isValidFieldName } from './query-ast.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';
import { parseCidrValue, parseIpValue, parseNumberValue, parseTimeValue, type TimeValue } from './query-values.ts';

/** Collects parameters and returns the placeholder for each. */
export interface SqlParameters {
  add(value: string | number): string;
}

export interface SqlDialect {
  /** The condition `match(x)` holds for a document field's value, or for any element when it is an array. */
  documentMatch(path: readonly string[], parameters: SqlParameters, match: (expression: string) => string): string;
  /** The field is present (and not null) in the document. */
  documentExists(path: readonly string[], parameters: SqlParameters): string;
  /** The condition holds for any element of a list column. */
  listMatch(column: string, match: (expression: string) => string): string;
  /** A time parameter comparable with the timestamp column. */
  time(ms: number, parameters: SqlParameters): string;
  /** A 128-bit IP number parameter comparable with an IP column's numeric form. */
  ipNumber(value: bigint, parameters: SqlParameters): string;
  /** The numeric form of a hot IP column. */
  ipNumberColumn(column: string): string;
  /** An IPv4 text expression as a number (NULL when not IPv4), for fields stored as text. */
  ipv4Number(expression: string): string;
  /** Case-insensitive LIKE with `\` as the escape character. */
  likeInsensitive(expression: string, pattern: string): string;
  /** A text expression read as a number, NULL when it is not one. */
  toNumber(expression: string): string;
}

export interface CompileOptions {
  /** "now" for relative times; defaults to Date.now(). */
  readonly now?: number;
}

/** A SQL condition for the query (no leading WHERE). Throws QuerySyntaxError for values a field cannot take. */
export function compileCondition(
  node: QueryNode,
  dialect: SqlDialect,
  parameters: SqlParameters,
  options: CompileOptions = {},
): string {
  return new Compiler(dialect, parameters, options.now ?? Date.now()).node(node);
}

class Compiler {
  readonly #dialect: SqlDialect;
  readonly #parameters: SqlParameters;
  readonly #now: number;

  constructor(dialect: SqlDialect, parameters: SqlParameters, now: number) {
    this.#dialect = dialect;
    this.#parameters = parameters;
    this.#now = now;
  }

  node(node: QueryNode): string {
    switch (node.kind) {
      case 'all':
        return 'TRUE';
      case 'and':
        return `(${node.children.map((child) => this.node(child)).join(' AND ')})`;
      case 'or':
        return `(${node.children.map((child) => this.node(child)).join(' OR ')})`;
      case 'not':
        // A missing field makes comparisons NULL; `-field:x` must still match those events.
        return `(NOT coalesce(${this.node(node.child)}, FALSE))`;
      case 'exists':
        return this.#exists(node.field, node.fieldPosition);
      case 'term':
        return node.field === undefined
          ? this.#fullText(node.value)
          : this.#term(node.field, node.fieldPosition!, node.value);
      case 'range':
        return this.#range(node.field, node.fieldPosition, node.lower, node.upper);
    }
  }

  #param(value: string | number): string {
    return this.#parameters.add(value);
  }

  #fullText(value: QueryValue): string {
    const pattern = this.#param(`%${likePattern(value)}%`);
    return `(${fullTextFields.map((hot) => this.#dialect.likeInsensitive(hot.column, pattern)).join(' OR ')})`;
  }

  #exists(field: string, position: number): string {
    const hot = checkedHotField(field, position);
    if (!hot) return this.#dialect.documentExists(documentPath(field), this.#parameters);
    if (hot.kind === 'keyword-list') return `(len(${hot.column}) > 0)`;
    return `(${hot.column} IS NOT NULL)`;
  }

  #term(field: string, position: number, value: QueryValue): string {
    const hot = checkedHotField(field, position);
    const dialect = this.#dialect;
    if (!hot) {
      const cidr = !value.pattern && looksLikeIpField(field) ? parseCidrValue(value.text) : undefined;
      if (cidr) {
        if (!cidr.v4)
          throw new QuerySyntaxError(`IPv6 ranges work on source.ip and destination.ip only`, value.position);
        const low = this.#param(cidr.v4.low);
        const high = this.#param(cidr.v4.high);
        return dialect.documentMatch(
          documentPath(field),
          this.#parameters,
          (x) => `(${dialect.ipv4Number(x)} BETWEEN ${low} AND ${high})`,
        );
      }
      const match = this.#keywordMatch(value);
      return dialect.documentMatch(documentPath(field), this.#parameters, match);
    }
    switch (hot.kind) {
      case 'keyword':
        return this.#keywordMatch(value)(hot.column);
      case 'keyword-list':
        return dialect.listMatch(hot.column, this.#keywordMatch(value));
      case 'text':
        return dialect.likeInsensitive(hot.column, this.#param(`%${likePattern(value)}%`));
      case 'number': {
        const number = parseNumberValue(value.text);
        if (number === undefined || value.pattern) {
          throw new QuerySyntaxError(`${field} takes a number, not "${value.text}"`, value.position);
        }
        return `(${hot.column} = ${this.#param(number)})`;
      }
      case 'time': {
        const time = this.#time(field, value);
        if (time.wholeDay) {
          return `(${hot.column} >= ${dialect.time(time.ms, this.#parameters)} AND ${hot.column} < ${dialect.time(time.ms + 86_400_000, this.#parameters)})`;
        }
        return `(${hot.column} = ${dialect.time(time.ms, this.#parameters)})`;
      }
      case 'ip': {
        if (value.pattern) return dialect.likeInsensitive(hot.column, this.#param(likePattern(value)));
        const cidr = parseCidrValue(value.text);
        const numeric = dialect.ipNumberColumn(hot.column);
        if (cidr) {
          const low = dialect.ipNumber(cidr.low, this.#parameters);
          const high = dialect.ipNumber(cidr.high, this.#parameters);
          return `(${numeric} BETWEEN ${low} AND ${high})`;
        }
        const address = parseIpValue(value.text);
        if (address !== undefined) return `(${numeric} = ${dialect.ipNumber(address, this.#parameters)})`;
        return this.#keywordMatch(value)(hot.column);
      }
    }
  }

  /** Case-insensitive equality, or a wildcard pattern, for one text expression. */
  #keywordMatch(value: QueryValue): (expression: string) => string {
    if (value.pattern) {
      const pattern = this.#param(likePattern(value));
      return (expression) => this.#dialect.likeInsensitive(expression, pattern);
    }
    const text = this.#param(value.text.toLowerCase());
    return (expression) => `(lower(${expression}) = ${text})`;
  }

  #time(field: string, value: QueryValue): TimeValue {
    const time = value.pattern ? undefined : parseTimeValue(value.text, this.#now);
    if (!time) {
      throw new QuerySyntaxError(
        `${field} takes a time such as 2026-11-22T07:30:00Z, 2026-11-22, an epoch in ms or now-15m, not "${value.text}"`,
        value.position,
      );
    }
    return time;
  }

  #range(field: string, position: number, lower?: RangeBound, upper?: RangeBound): string {
    const hot = checkedHotField(field, position);
    const dialect = this.#dialect;
    if (hot?.kind === 'time') {
      const parts: string[] = [];
      if (lower) {
        const time = this.#time(field, lower.value);
        const ms = !lower.inclusive && time.wholeDay ? time.ms + 86_400_000 : time.ms;
        parts.push(
          `${hot.column} ${lower.inclusive || time.wholeDay ? '>=' : '>'} ${dialect.time(ms, this.#parameters)}`,
        );
      }
      if (upper) {
        const time = this.#time(field, upper.value);
        const ms = upper.inclusive && time.wholeDay ? time.ms + 86_400_000 : time.ms;
        parts.push(
          `${hot.column} ${upper.inclusive && !time.wholeDay ? '<=' : '<'} ${dialect.time(ms, this.#parameters)}`,
        );
      }
      return `(${parts.join(' AND ')})`;
    }
    if (hot?.kind === 'number') {
      return this.#bounds(hot.column, lower, upper, (bound) => {
        const number = parseNumberValue(bound.text);
        if (number === undefined)
          throw new QuerySyntaxError(`${field} takes a number, not "${bound.text}"`, bound.position);
        return this.#param(number);
      });
    }
    if (hot?.kind === 'ip') {
      return this.#bounds(dialect.ipNumberColumn(hot.column), lower, upper, (bound) => {
        const address = parseIpValue(bound.text);
        if (address === undefined)
          throw new QuerySyntaxError(`${field} takes an IP address, not "${bound.text}"`, bound.position);
        return dialect.ipNumber(address, this.#parameters);
      });
    }
    // Text fields: numeric bounds compare as numbers, times as ISO text, anything else as text.
    const numeric =
      (!lower || parseNumberValue(lower.value.text) !== undefined) &&
      (!upper || parseNumberValue(upper.value.text) !== undefined);
    const bound = (value: QueryValue): string => {
      if (numeric) return this.#param(parseNumberValue(value.text)!);
      const time = /^\d{4}-\d{2}-\d{2}/.test(value.text) ? parseTimeValue(value.text, this.#now) : undefined;
      return this.#param(time ? new Date(time.ms).toISOString() : value.text);
    };
    const lowerParam = lower ? bound(lower.value) : undefined;
    const upperParam = upper ? bound(upper.value) : undefined;
    const condition = (expression: string): string => {
      const target = numeric ? dialect.toNumber(expression) : expression;
      const parts: string[] = [];
      if (lower) parts.push(`${target} ${lower.inclusive ? '>=' : '>'} ${lowerParam}`);
      if (upper) parts.push(`${target} ${upper.inclusive ? '<=' : '<'} ${upperParam}`);
      return `(${parts.join(' AND ')})`;
    };
    if (!hot) return dialect.documentMatch(documentPath(field), this.#parameters, condition);
    if (hot.kind === 'keyword-list') return dialect.listMatch(hot.column, condition);
    return condition(hot.column);
  }

  #bounds(
    expression: string,
    lower: RangeBound | undefined,
    upper: RangeBound | undefined,
    parameter: (value: QueryValue) => string,
  ): string {
    const parts: string[] = [];
    if (lower) parts.push(`${expression} ${lower.inclusive ? '>=' : '>'} ${parameter(lower.value)}`);
    if (upper) parts.push(`${expression} ${upper.inclusive ? '<=' : '<'} ${parameter(upper.value)}`);
    return `(${parts.join(' AND ')})`;
  }
}

function checkedHotField(field: string, position: number): HotField | undefined {
  if (!isValidFieldName(field)) throw new QuerySyntaxError(`Invalid field name "${field}"`, position);
  return hotField(field);
}

/** The document path of a field: `winlog.event_data.TargetUserName` → its segments. */
export function documentPath(field: string): string[] {
  return field === '@timestamp' ? [field] : field.split('.');
}

/** A LIKE pattern (escape `\`) matching the value: literals escaped, `*` → `%`, `?` → `_`. */
export function likePattern(value: QueryValue): string {
  const parts: readonly PatternPart[] = value.pattern ?? [{ literal: value.text }];
  let pattern = '';
  for (const part of parts) {
    if ('wildcard' in part) pattern += part.wildcard === '*' ? '%' : '_';
    else pattern += part.literal.replace(/[\\%_]/g, (character) => `\\${character}`);
  }
  return pattern;
}
