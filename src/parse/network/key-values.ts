// Reads space-separated `key=value` lists as FortiGate and similar devices write them: values may
// be double-quoted with backslash escapes. One linear pass; `__proto__`-like keys are dropped and
// results go into a null-prototype object.

export type KeyValues = Record<string, string>;

/** Filled by parseKeyValues when asked: whether a quoted value ran to the end (a cut record). */
export interface KeyValuesStatus {
  unterminated: boolean;
}

/** Parse `key=value key2="quoted \"value\""`; tokens without '=' are skipped. Never throws. */
export function parseKeyValues(text: string, start = 0, status?: KeyValuesStatus): KeyValues {
  const result: KeyValues = Object.create(null);
  let position = start;
  const length = text.length;
  while (position < length) {
    while (position < length && text.charCodeAt(position) === 32) position++;
    if (position >= length) break;
    const keyStart = position;
    while (position < length) {
      const code = text.charCodeAt(position);
      if (code === 61 /* = */ || code === 32) break;
      position++;
    }
    if (position >= length || text.charCodeAt(position) === 32 || position === keyStart) {
      // A bare word or a stray '=': skip to the next space.
      if (position === keyStart) position++;
      continue;
    }
    const key = text.slice(keyStart, position);
    position++; // '='
    let value: string;
    if (text.charCodeAt(position) === 34 /* " */) {
      position++;
      let segmentStart = position;
      value = '';
      while (position < length) {
        const code = text.charCodeAt(position);
        if (code === 92 /* \ */ && position + 1 < length) {
          value += text.slice(segmentStart, position);
          segmentStart = position + 1;
          position += 2;
          continue;
        }
        if (code === 34) break;
        position++;
      }
      value += text.slice(segmentStart, position);
      if (position >= length && status) status.unterminated = true;
      position++; // closing quote
      // Text glued to the closing quote (`msg="a"|`) belongs to the value, quote included, as
      // devices that append a separator write it; the next key starts after a space.
      if (position < length && text.charCodeAt(position) !== 32) {
        const tailStart = position;
        while (position < length && text.charCodeAt(position) !== 32) position++;
        value += `"${text.slice(tailStart, position)}`;
      }
    } else {
      const valueStart = position;
      while (position < length && text.charCodeAt(position) !== 32) position++;
      value = text.slice(valueStart, position);
    }
    if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') result[key] = value;
  }
  return result;
}
