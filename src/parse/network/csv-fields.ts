// Splits one CSV record (PAN-OS syslog bodies): fields separated by commas, optionally
// double-quoted with "" for a quote. One linear pass, bounded field count.

/** Split `text` from `start` into at most `maxFields` fields. */
export function splitCsv(text: string, start = 0, maxFields = 512): string[] {
  const fields: string[] = [];
  let position = start;
  const length = text.length;
  while (position <= length && fields.length < maxFields) {
    if (text.charCodeAt(position) === 34 /* " */) {
      position++;
      let value = '';
      let segmentStart = position;
      while (position < length) {
        if (text.charCodeAt(position) === 34) {
          if (text.charCodeAt(position + 1) === 34) {
            value += text.slice(segmentStart, position + 1);
            position += 2;
            segmentStart = position;
            continue;
          }
          break;
        }
        position++;
      }
      value += text.slice(segmentStart, position);
      fields.push(value);
      position++; // closing quote
      const comma = text.indexOf(',', position);
      if (comma === -1) break;
      position = comma + 1;
      continue;
    }
    let comma = text.indexOf(',', position);
    if (comma === -1) comma = length;
    fields.push(text.slice(position, comma));
    position = comma + 1;
  }
  return fields;
}
