// Event ids: 26-character, lexicographically time-ordered, unique within a process and across
// processes with overwhelming probability (48-bit ms time + 80 random bits, Crockford base32).
import { randomFillSync } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

export function newEventId(now = Date.now()): string {
  let id = '';
  let time = now;
  for (let index = 9; index >= 0; index--) {
    id = alphabet[time % 32] + id;
    time = Math.floor(time / 32);
  }
  for (let index = 0; index < 16; index++) id += alphabet[randomByte() & 31];
  return id;
}
