// Sigma string values: escapes (`\*`, `\?`, `\\`; any other backslash is literal), the `*`/`?`
// wildcards, the encoding modifiers (base64, base64offset, utf16*, wide), windash, and the
// compiled test of a pattern against a field's text — plain string operations, no regex.
import { wildcardTest } from './regex-safety.ts';

export const anyRun = 0; // `*`
export const anyChar = 1; // `?`
export type SigmaPart = string | typeof anyRun | typeof anyChar;

/** Parse a rule value into literal runs and wildcards. */
export function parseSigmaString(value: string): SigmaPart[] {
  const parts: SigmaPart[] = [];
  let literal = '';
  for (let index = 0; index < value.length; index++) {
    const char = value[index] as string;
    if (char === '\\') {
      const next = value[index + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        index++;
      } else {
        literal += '\\';
      }
    } else if (char === '*' || char === '?') {
      if (literal) parts.push(literal);
      literal = '';
      parts.push(char === '*' ? anyRun : anyChar);
    } else {
      literal += char;
    }
  }
  if (literal) parts.push(literal);
  return parts;
}

/** The text of a value without wildcards (wildcards kept as their characters). */
export function plainText(parts: readonly SigmaPart[]): string {
  return parts.map((part) => (part === anyRun ? '*' : part === anyChar ? '?' : part)).join('');
}

export function hasWildcards(parts: readonly SigmaPart[]): boolean {
  return parts.some((part) => typeof part !== 'string');
}

export function literal(text: string): SigmaPart[] {
  return text === '' ? [] : [text];
}

const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];
const dashSet = new Set(dashes);
const maxWindashVariants = 256;

/** windash: every permutation of `-`, `/`, en dash, em dash, horizontal bar at each dash position. */
export function windashVariants(parts: readonly SigmaPart[]): SigmaPart[][] {
  let variants: SigmaPart[][] = [[]];
  for (const part of parts) {
    if (typeof part !== 'string') {
      for (const variant of variants) variant.push(part);
      continue;
    }
    let texts = [''];
    for (const char of part) {
      if (dashSet.has(char)) {
        const next: string[] = [];
        for (const text of texts) for (const dash of dashes) next.push(text + dash);
        texts = next;
      } else {
        texts = texts.map((text) => text + char);
      }
      if (texts.length * variants.length > maxWindashVariants * dashes.length) {
        throw new Error(`windash value '${plainText(parts)}' has too many dash positions`);
      }
    }
    const grown: SigmaPart[][] = [];
    for (const variant of variants) for (const text of texts) grown.push([...variant, text]);
    variants = grown;
  }
  return variants.map(mergeLiterals);
}

export function mergeLiterals(parts: readonly SigmaPart[]): SigmaPart[] {
  const merged: SigmaPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else if (part !== '') merged.push(part);
  }
  return merged;
}

export function utf16le(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

export function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le');
  return bytes.swap16();
}

export function utf16WithBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(text)]);
}

/**
 * base64offset: the three encodings of a value at byte offsets 0, 1 and 2 inside a longer
 * base64 text, trimmed to the characters that do not depend on the surrounding bytes.
 */
export function base64OffsetVariants(bytes: Buffer): string[] {
  const variants: string[] = [];
  const leading = [0, 2, 3];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const tail = (bytes.length + shift) % 3;
    const trailing = tail === 0 ? 0 : tail === 1 ? 3 : 2;
    variants.push(encoded.slice(leading[shift], encoded.length - trailing));
  }
  return variants;
}

/** A compiled string test over the (lower-cased unless cased) text of a field. */
export type TextTest = (text: string) => boolean;

/**
 * Compile a pattern. `cased` false means the caller passes lower-cased text and the literals are
 * lower-cased here. The result also names the longest literal run (the prefilter needle).
 */
export function compileParts(parts: readonly SigmaPart[], cased: boolean): { test: TextTest; needle: string } {
  const normalised = mergeLiterals(
    parts.map((part) => (typeof part === 'string' && !cased ? part.toLowerCase() : part)),
  );
  let needle = '';
  for (const part of normalised) if (typeof part === 'string' && part.length > needle.length) needle = part;
  // The prefilter scans lower-cased text, so needles are lower-cased even for cased tests.
  needle = needle.toLowerCase();
  const [first, second, third] = normalised;
  const count = normalised.length;
  if (count === 0) return { test: (text) => text === '', needle };
  if (count === 1) {
    if (first === anyRun) return { test: () => true, needle };
    if (typeof first === 'string') return { test: (text) => text === first, needle };
  }
  if (count === 2) {
    if (first === anyRun && typeof second === 'string') return { test: (text) => text.endsWith(second), needle };
    if (typeof first === 'string' && second === anyRun) return { test: (text) => text.startsWith(first), needle };
  }
  if (count === 3 && first === anyRun && third === anyRun && typeof second === 'string') {
    return { test: (text) => text.includes(second), needle };
  }
  if (!normalised.includes(anyChar)) {
    // Only `*` wildcards: anchored first and last literals, greedy-leftmost search for the middle ones.
    const head = typeof first === 'string' ? first : undefined;
    const last = normalised[count - 1];
    const tail = typeof last === 'string' ? last : undefined;
    const middle = normalised
      .slice(head === undefined ? 0 : 1, tail === undefined ? count : count - 1)
      .filter((part): part is string => typeof part === 'string');
    const minimum = (head?.length ?? 0) + (tail?.length ?? 0);
    return {
      test: (text) => {
        if (text.length < minimum) return false;
        if (head !== undefined && !text.startsWith(head)) return false;
        if (tail !== undefined && !text.endsWith(tail)) return false;
        let position = head?.length ?? 0;
        const end = text.length - (tail?.length ?? 0);
        for (const run of middle) {
          const found = text.indexOf(run, position);
          if (found < 0 || found + run.length > end) return false;
          position = found + run.length;
        }
        return true;
      },
      needle,
    };
  }
  // With `?`: a linear-time matcher, never a backtracking RegExp (minutes on `*a*b*c?`).
  return { test: wildcardTest(normalised, anyRun, anyChar), needle };
}
