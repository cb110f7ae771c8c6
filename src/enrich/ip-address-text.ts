// Allocation-free IPv4 parsing for the per-event path, and address classes (private, loopback, …)
// that decide whether an address can have a public location. IPv6 goes through the shared parser.
import { parseIp } from '../detect/intel/ip-address.ts';

/** An IPv4 dotted quad as an unsigned 32-bit number, or -1 when the text is not one. No allocation. */
export function parseIpv4Number(text: string): number {
  const length = text.length;
  if (length < 7 || length > 15) return -1;
  let result = 0;
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? text.charCodeAt(index) : 46;
    if (code === 46 /* . */) {
      if (digits === 0 || value > 255) return -1;
      result = result * 256 + value;
      part++;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      // A leading zero ("010") is ambiguous (octal in some tools): not an address here.
      if (digits === 1 && value === 0) return -1;
      value = value * 10 + (code - 48);
      if (++digits > 3) return -1;
    } else return -1;
  }
  return part === 4 ? result : -1;
}

/** A parsed address: `v4` as a number when IPv4 (also IPv4-mapped IPv6), else the 16 bytes of IPv6. */
export interface ParsedAddress {
  readonly v4: number;
  readonly v6?: Uint8Array;
}

const notAnAddress: ParsedAddress = { v4: -1 };

/** Parse an IPv4 or IPv6 address; `{ v4: -1 }` without `v6` when it is neither. */
export function parseAddress(text: string): ParsedAddress {
  const v4 = parseIpv4Number(text);
  if (v4 >= 0) return { v4 };
  if (!text.includes(':')) return notAnAddress;
  const bytes = parseIp(text);
  if (!bytes) return notAnAddress;
  if (bytes.length === 4) return { v4: ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0 };
  return { v4: -1, v6: bytes };
}

function inV4(address: number, network: number, prefix: number): boolean {
  const shift = 32 - prefix;
  return shift === 32 || address >>> shift === network >>> shift;
}

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** IPv4 ranges that have no public location (RFC 6890 special-purpose, multicast, reserved). */
const nonPublicV4: readonly [number, number][] = [
  [v4(0, 0, 0, 0), 8], // "this network"
  [v4(10, 0, 0, 0), 8], // private
  [v4(100, 64, 0, 0), 10], // CGNAT shared space
  [v4(127, 0, 0, 0), 8], // loopback
  [v4(169, 254, 0, 0), 16], // link-local
  [v4(172, 16, 0, 0), 12], // private
  [v4(192, 0, 0, 0), 24], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24], // documentation
  [v4(192, 88, 99, 0), 24], // 6to4 relay anycast
  [v4(192, 168, 0, 0), 16], // private
  [v4(198, 18, 0, 0), 15], // benchmarking
  [v4(198, 51, 100, 0), 24], // documentation
  [v4(203, 0, 113, 0), 24], // documentation
  [v4(224, 0, 0, 0), 4], // multicast
  [v4(240, 0, 0, 0), 4], // reserved and broadcast
];

export function isPublicIpv4(address: number): boolean {
  for (const [network, prefix] of nonPublicV4) if (inV4(address, network, prefix)) return false;
  return true;
}

/**
 * Only global unicast (2000::/3) can be public; within it, documentation (2001:db8::/32), the IETF
 * special block 2001::/23 (Teredo, ORCHID, …) and 6to4 (2002::/16) carry no location of their own.
 * ULA (fc00::/7), link-local (fe80::/10), multicast (ff00::/8), loopback and unspecified fall outside 2000::/3.
 */
export function isPublicIpv6(bytes: Uint8Array): boolean {
  const first = bytes[0]!;
  if ((first & 0xe0) !== 0x20) return false;
  const second = bytes[1]!;
  if (first === 0x20 && second === 0x01) {
    if (bytes[2] === 0x0d && bytes[3] === 0xb8) return false;
    if (bytes[2]! < 0x02) return false; // 2001:0000::/23
  }
  if (first === 0x20 && second === 0x02) return false;
  return true;
}

export function isPublicAddress(address: ParsedAddress): boolean {
  if (address.v4 >= 0) return isPublicIpv4(address.v4);
  return address.v6 ? isPublicIpv6(address.v6) : false;
}
