// Splits a byte stream into text lines with a hard bound on line length, so a file or TCP
// stream without newlines cannot grow memory: an over-long line is reported once and skipped
// up to its newline, and reading continues. Shared by the file reader and the syslog listeners.

/** Called for each complete line (without the line terminator); `line` is 1-based. */
export type LineHandler = (text: string, line: number) => void;
/** Called once for a line longer than the limit; `bytes` is how much was seen before giving up. */
export type OversizeHandler = (line: number, bytes: number) => void;

const newline = 10;
const carriageReturn = 13;

export class LineSplitter {
  readonly #maxLineBytes: number;
  readonly #onLine: LineHandler;
  readonly #onOversize: OversizeHandler;
  #carry: Buffer[] = [];
  #carryBytes = 0;
  #skipping = false;
  #line = 0;
  #first = true;

  constructor(maxLineBytes: number, onLine: LineHandler, onOversize: OversizeHandler) {
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
    this.#onOversize = onOversize;
  }

  /** Number of lines completed so far (including skipped and empty ones). */
  get lines(): number {
    return this.#line;
  }

  /** Bytes held for an unfinished line. */
  get pendingBytes(): number {
    return this.#carryBytes;
  }

  push(chunk: Uint8Array): void {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    const length = buffer.length;
    while (start < length) {
      const end = buffer.indexOf(newline, start);
      if (end === -1) {
        this.#hold(buffer, start, length);
        return;
      }
      this.#line++;
      if (this.#skipping) {
        this.#skipping = false;
      } else if (this.#carryBytes === 0) {
        if (end - start > this.#maxLineBytes) this.#onOversize(this.#line, end - start);
        else this.#emit(buffer, start, end);
      } else {
        const total = this.#carryBytes + end - start;
        if (total > this.#maxLineBytes) {
          this.#onOversize(this.#line, total);
        } else {
          this.#carry.push(buffer.subarray(start, end));
          const joined = Buffer.concat(this.#carry, total);
          this.#emit(joined, 0, total);
        }
        this.#carry = [];
        this.#carryBytes = 0;
      }
      start = end + 1;
    }
  }

  /** Flush the last line when the stream ends without a newline. */
  end(): void {
    if (this.#skipping) {
      this.#skipping = false;
      return;
    }
    if (this.#carryBytes === 0) return;
    this.#line++;
    const joined = Buffer.concat(this.#carry, this.#carryBytes);
    this.#carry = [];
    this.#carryBytes = 0;
    this.#emit(joined, 0, joined.length);
  }

  #hold(buffer: Buffer, start: number, end: number): void {
    if (this.#skipping) return;
    const bytes = end - start;
    if (this.#carryBytes + bytes > this.#maxLineBytes) {
      // Report now (not at the newline, which may never come) and drop what we held.
      this.#onOversize(this.#line + 1, this.#carryBytes + bytes);
      this.#carry = [];
      this.#carryBytes = 0;
      this.#skipping = true;
      return;
    }
    // Copy: the caller may reuse its chunk buffer.
    this.#carry.push(Buffer.from(buffer.subarray(start, end)));
    this.#carryBytes += bytes;
  }

  #emit(buffer: Buffer, start: number, end: number): void {
    if (end > start && buffer[end - 1] === carriageReturn) end--;
    let text = buffer.toString('utf8', start, end);
    if (this.#first) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#onLine(text, this.#line);
  }
}
