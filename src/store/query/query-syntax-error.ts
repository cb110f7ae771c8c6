// The one error the query language throws: a human message plus the character offset where
// the problem starts, so the console can underline it in place. Recognised by `name` upstream.

export class QuerySyntaxError extends Error {
  /** 0-based character offset in the query text. */
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'QuerySyntaxError';
    this.position = position;
  }
}
