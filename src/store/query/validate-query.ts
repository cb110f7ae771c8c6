// Checks a query without running it: syntax, field names and values each field can take
// (times on @timestamp, numbers on numeric fields, CIDR blocks). For the console's live check.
import { parseQuery } from './query-parser.ts';
import { QuerySyntaxError } from './query-syntax-error.ts';
import { compileCondition, type SqlDialect, type SqlParameters } from './sql-generator.ts';

export type QueryValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly position: number };

/** A dialect that writes placeholders only: compiling with it runs every value check. */
const checkingDialect: SqlDialect = {
  documentMatch: (_path, _parameters, match) => match('x'),
  documentExists: () => 'TRUE',
  listMatch: (_column, match) => match('x'),
  time: () => '?',
  ipNumber: () => '?',
  ipNumberColumn: (column) => column,
  ipv4Number: (expression) => expression,
  likeInsensitive: (expression) => expression,
  toNumber: (expression) => expression,
};

export function validateQuery(query: string, options: { now?: number } = {}): QueryValidation {
  const parameters: SqlParameters = { add: () => '?' };
  try {
    compileCondition(parseQuery(query), checkingDialect, parameters, options);
    return { ok: true };
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { ok: false, message: error.message, position: error.position };
    throw error;
  }
}
