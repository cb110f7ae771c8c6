// The parsed form of a Vigil query, independent of any SQL dialect. Values keep their text;
// what a value means (a time, a CIDR, a number) is decided against the field at compile time.

/** A literal run of characters or an unescaped wildcard (`*` any run, `?` one character). */
export type PatternPart = { readonly literal: string } | { readonly wildcard: '*' | '?' };

export interface QueryValue {
  /** The value with escapes removed; wildcards kept as their characters. */
  readonly text: string;
  /** Present only when the value holds at least one unescaped wildcard. */
  readonly pattern?: readonly PatternPart[];
  /** Written inside double quotes. */
  readonly quoted: boolean;
  readonly position: number;
}

export interface RangeBound {
  readonly value: QueryValue;
  readonly inclusive: boolean;
}

export type QueryNode =
  | { readonly kind: 'and'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'or'; readonly children: readonly QueryNode[] }
  | { readonly kind: 'not'; readonly child: QueryNode }
  /** `field:value`, or a bare term / phrase (no field: full text) */
  | { readonly kind: 'term'; readonly field?: string; readonly fieldPosition?: number; readonly value: QueryValue }
  /** `field:*` */
  | { readonly kind: 'exists'; readonly field: string; readonly fieldPosition: number }
  /** `field:[a TO b]`, `field:{a TO b}`, `field>=a`, `field:<b`; a missing bound is open */
  | {
      readonly kind: 'range';
      readonly field: string;
      readonly fieldPosition: number;
      readonly lower?: RangeBound;
      readonly upper?: RangeBound;
    }
  /** `*` alone: every event */
  | { readonly kind: 'all' };

/** Field names: ECS-style dotted names; nothing else ever reaches SQL as an identifier or path. */
export const fieldNamePattern = /^[A-Za-z_@][A-Za-z0-9_@-]*(?:\.[A-Za-z0-9_@-]+)*$/;

export function isValidFieldName(field: string): boolean {
  return field.length <= 256 && fieldNamePattern.test(field);
}
