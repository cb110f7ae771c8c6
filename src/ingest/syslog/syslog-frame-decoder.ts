// Splits a syslog TCP/TLS byte stream into messages. Framing is detected per message (RFC 6587):
// a frame starting with digits and a space is octet-counted (`LEN SP MSG`, as RFC 5425 TLS
// senders do); anything else is newline-terminated. Memory is bounded by maxMessageBytes.

export type FrameErrorReason = 'oversize' | 'bad_octet_count' | 'truncated';

export interface FrameHandlers {
  message(text: string): void;
  error(reason: FrameErrorReason, detail: string): void;
}

const newline = 10;
const carriageReturn = 13;
const space = 32;
/** Digits allowed in an octet count: enough for any sane length, few enough to bound parsing. */
const maxCountDigits = 9;
/** Digits scanned before deciding a frame is not octet-counted at all. */
const scanDigits = 20;

export class SyslogFrameDecoder {
  readonly #maxMessageBytes: number;
  readonly #handlers: FrameHandlers;
  /** Unconsumed bytes of an unfinished frame (at most maxMessageBytes + a count prefix). */
  #pending: Buffer | undefined;
  /** Bytes still to discard from an oversize octet-counted frame. */
  #discard = 0;
  /** Discarding an oversize newline-framed message up to its newline. */
  #skippingLine = false;

  constructor(maxMessageBytes: number, handlers: FrameHandlers) {
    this.#maxMessageBytes = maxMessageBytes;
    this.#handlers = handlers;
  }

  /** Bytes held for an unfinished message. */
  get pendingBytes(): number {
    return this.#pending?.length ?? 0;
  }

  push(chunk: Buffer): void {
    let buffer = chunk;
    if (this.#pending) {
      buffer = Buffer.concat([this.#pending, chunk]);
      this.#pending = undefined;
    }
    const length = buffer.length;
    const max = this.#maxMessageBytes;
    let position = 0;
    while (position < length) {
      if (this.#discard > 0) {
        const take = Math.min(this.#discard, length - position);
        this.#discard -= take;
        position += take;
        continue;
      }
      if (this.#skippingLine) {
        const end = buffer.indexOf(newline, position);
        if (end === -1) return;
        this.#skippingLine = false;
        position = end + 1;
        continue;
      }
      const first = buffer[position]!;
      // Stray terminators between frames (CRLF senders, NUL-terminated senders).
      if (first === newline || first === carriageReturn || first === 0) {
        position++;
        continue;
      }
      if (first >= 48 && first <= 57) {
        let cursor = position;
        let count = 0;
        while (cursor < length && cursor - position < scanDigits) {
          const code = buffer[cursor]!;
          if (code < 48 || code > 57) break;
          count = count * 10 + (code - 48);
          cursor++;
        }
        const digits = cursor - position;
        if (cursor === length && digits < scanDigits) {
          this.#keep(buffer, position);
          return;
        }
        if (buffer[cursor] === space && digits <= maxCountDigits) {
          const start = cursor + 1;
          if (count === 0) {
            this.#handlers.error('bad_octet_count', 'octet count 0');
            position = start;
            continue;
          }
          if (count > max) {
            this.#handlers.error('oversize', `octet-counted frame of ${count} bytes exceeds ${max}`);
            this.#discard = count;
            position = start;
            continue;
          }
          if (length - start < count) {
            this.#keep(buffer, position);
            return;
          }
          this.#emit(buffer, start, start + count);
          position = start + count;
          continue;
        }
        if (digits > maxCountDigits && buffer[cursor] === space) {
          this.#handlers.error('bad_octet_count', `octet count with more than ${maxCountDigits} digits`);
          position = cursor + 1;
          continue;
        }
        // Digits not followed by a space: a newline-framed message that starts with a number.
      }
      const end = buffer.indexOf(newline, position);
      if (end === -1) {
        if (length - position > max) {
          this.#handlers.error('oversize', `message without newline exceeds ${max} bytes`);
          this.#skippingLine = true;
          return;
        }
        this.#keep(buffer, position);
        return;
      }
      if (end - position > max) {
        this.#handlers.error('oversize', `message of ${end - position} bytes exceeds ${max}`);
      } else {
        this.#emit(buffer, position, end);
      }
      position = end + 1;
    }
  }

  /** The connection ended: a final newline-less message is kept, a partial counted frame is reported. */
  end(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#skippingLine = false;
    if (this.#discard > 0) {
      this.#discard = 0;
      return;
    }
    if (!pending || pending.length === 0) return;
    const first = pending[0]!;
    if (first >= 48 && first <= 57) {
      let cursor = 0;
      while (cursor < pending.length && pending[cursor]! >= 48 && pending[cursor]! <= 57) cursor++;
      if (cursor === pending.length || pending[cursor] === space) {
        this.#handlers.error('truncated', `connection closed inside an octet-counted frame (${pending.length} bytes)`);
        return;
      }
    }
    this.#emit(pending, 0, pending.length);
  }

  #keep(buffer: Buffer, start: number): void {
    // Copy: the socket's chunk may be reused, and a slice would pin the whole chunk.
    this.#pending = Buffer.from(buffer.subarray(start));
  }

  #emit(buffer: Buffer, start: number, end: number): void {
    while (end > start) {
      const last = buffer[end - 1];
      if (last !== newline && last !== carriageReturn && last !== 0) break;
      end--;
    }
    if (end > start) this.#handlers.message(buffer.toString('utf8', start, end));
  }
}
