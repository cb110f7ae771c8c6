import { describe, expect, it } from 'vitest';
import { type FrameErrorReason, SyslogFrameDecoder } from './syslog-frame-decoder.ts';

function decoder(max = 1024) {
  const messages: string[] = [];
  const errors: FrameErrorReason[] = [];
  const instance = new SyslogFrameDecoder(max, {
    message: (text) => messages.push(text),
    error: (reason) => errors.push(reason),
  });
  return { instance, messages, errors };
}

function framed(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

describe('SyslogFrameDecoder', () => {
  it('splits newline-framed messages, tolerating CRLF and NUL terminators', () => {
    const { instance, messages } = decoder();
    instance.push(Buffer.from('<13>one\r\n<13>two\n\0<13>th'));
    instance.push(Buffer.from('ree\n'));
    expect(messages).toEqual(['<13>one', '<13>two', '<13>three']);
  });

  it('splits octet-counted frames across chunk boundaries, including frames with embedded newlines', () => {
    const { instance, messages } = decoder();
    const stream = Buffer.from(framed('<13>multi\nline') + framed('<14>second') + framed('<15>über'));
    for (let index = 0; index < stream.length; index += 3) instance.push(stream.subarray(index, index + 3));
    expect(messages).toEqual(['<13>multi\nline', '<14>second', '<15>über']);
  });

  it('detects framing per message, so mixed streams work', () => {
    const { instance, messages } = decoder();
    instance.push(Buffer.from(`<13>plain\n${framed('<13>counted')}12:00:01 starts with digits\n`));
    expect(messages).toEqual(['<13>plain', '<13>counted', '12:00:01 starts with digits']);
  });

  it('skips oversize frames of both kinds and keeps going', () => {
    const { instance, messages, errors } = decoder(16);
    instance.push(Buffer.from(`${framed('x'.repeat(40))}<13>ok\n${'y'.repeat(50)}\n<13>ok2\n`));
    expect(messages).toEqual(['<13>ok', '<13>ok2']);
    expect(errors).toEqual(['oversize', 'oversize']);
  });

  it('bounds memory for a huge message without a newline', () => {
    const { instance, messages, errors } = decoder(1024);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    for (let index = 0; index < 256; index++) instance.push(chunk); // 16 MiB
    expect(instance.pendingBytes).toBeLessThanOrEqual(1024);
    instance.push(Buffer.from('\n<13>after\n'));
    expect(messages).toEqual(['<13>after']);
    expect(errors).toEqual(['oversize']);
  });

  it('reports bad octet counts and truncated frames', () => {
    const { instance, messages, errors } = decoder();
    instance.push(Buffer.from('0 <13>x\n1234567890123 <13>y\n'));
    instance.push(Buffer.from('50 <13>cut'));
    instance.end();
    expect(errors).toEqual(['bad_octet_count', 'bad_octet_count', 'truncated']);
    expect(messages).toEqual(['<13>x', '<13>y']);
  });

  it('keeps a final message without newline when the stream ends', () => {
    const { instance, messages } = decoder();
    instance.push(Buffer.from('<13>last words'));
    instance.end();
    expect(messages).toEqual(['<13>last words']);
  });

  it('passes binary garbage on as text without throwing', () => {
    const { instance, messages } = decoder();
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41, 0x0a, 0xc3, 0x28, 0x0a]);
    instance.push(binary);
    expect(messages.length).toBe(2);
  });
});
