// IPv4/IPv6 text → fixed-width bytes, and prefix masking: the primitive behind CIDR indicators.
// Returns undefined for anything that is not an address (callers skip, never throw).

/** Parse an IPv4 or IPv6 address (IPv4-mapped IPv6 is folded to IPv4). 4 or 16 bytes. */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  if (text.includes(':')) return parseIpv6(text);
  return parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : 46;
    if (code === 46 /* . */) {
      if (digits === 0 || part > 3 || value > 255) return undefined;
      bytes[part++] = value;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      if (++digits > 3) return undefined;
    } else return undefined;
  }
  return part === 4 ? bytes : undefined;
}

function parseIpv6(text: string): Uint8Array | undefined {
  let address = text;
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const result: number[] = [];
    const pieces = part.split(':');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index]!;
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        result.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        result.push(Number.parseInt(piece, 16));
      }
    }
    return result;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  // IPv4-mapped (::ffff:a.b.c.d) is the same host as a.b.c.d.
  if (all.slice(0, 5).every((group) => group === 0) && all[5] === 0xffff) {
    return new Uint8Array([all[6]! >> 8, all[6]! & 255, all[7]! >> 8, all[7]! & 255]);
  }
  const bytes = new Uint8Array(16);
  for (let index = 0; index < 8; index++) {
    bytes[index * 2] = all[index]! >> 8;
    bytes[index * 2 + 1] = all[index]! & 255;
  }
  return bytes;
}

/** Key of the network containing `bytes` with the given prefix length: "4/16/10.1" style, cheap to hash. */
export function networkKey(bytes: Uint8Array, prefix: number): string {
  let key = `${bytes.length === 4 ? 4 : 6}/${prefix}/`;
  const full = prefix >> 3;
  for (let index = 0; index < full; index++) key += `${bytes[index]}.`;
  const rest = prefix & 7;
  if (rest) key += String(bytes[full]! & (0xff << (8 - rest)) & 0xff);
  return key;
}

/** Parse "a.b.c.d/len" or "v6/len"; a bare address is a host route (/32 or /128). */
export function parseCidr(text: string): { bytes: Uint8Array; prefix: number } | undefined {
  const slash = text.indexOf('/');
  const bytes = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  let prefix = max;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(suffix)) return undefined;
    prefix = Number(suffix);
    // An IPv4-mapped v6 network folds to its v4 prefix.
    if (bytes.length === 4 && text.slice(0, slash).includes(':')) prefix -= 96;
    if (prefix < 0 || prefix > max) return undefined;
  }
  return { bytes, prefix };
}

/** Canonical text of an address (IPv6 in lower-case, no zero compression) for exact-match keys. */
export function canonicalIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index]! << 8) | bytes[index + 1]!).toString(16));
  return groups.join(':');
}
