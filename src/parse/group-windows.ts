// The windows log parsers, in auto-detection order (most specific first).
import type { Parser } from './parser.ts';
import { createEvtxJsonParser } from './windows/evtx-json-parser.ts';
import { createWindowsFlatParser } from './windows/windows-flat-parser.ts';
import { createWinlogbeatParser } from './windows/winlogbeat-parser.ts';

export function windowsParsers(): Parser[] {
  return [createEvtxJsonParser(), createWinlogbeatParser(), createWindowsFlatParser()];
}
