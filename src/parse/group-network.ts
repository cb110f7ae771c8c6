// The network log parsers, in auto-detection order (most specific first). CEF and LEEF come
// first: their markers are unambiguous and their bodies may look like key=value device logs.
import { cefParser } from './network/cef.ts';
import { ciscoAsaParser } from './network/cisco-asa.ts';
import { fortigateParser } from './network/fortigate.ts';
import { iptablesParser } from './network/iptables.ts';
import { leefParser } from './network/leef.ts';
import { panosParser } from './network/panos.ts';
import { suricataEveParser } from './network/suricata-eve.ts';
import { zeekParser } from './network/zeek.ts';
import type { Parser } from './parser.ts';

export function networkParsers(): Parser[] {
  return [
    suricataEveParser,
    zeekParser,
    cefParser,
    leefParser,
    ciscoAsaParser,
    panosParser,
    fortigateParser,
    iptablesParser,
  ];
}
