// The 'nginx-access' and 'apache-access' parsers. Both servers write the same NCSA formats, so
// auto-detection can only go by the traits each one's defaults leave: Apache's common format,
// "-" requests and SSL request log; nginx's X-Forwarded-For chains and host:port prefixes.
import type { RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { type AccessFlavour, type AccessLine, accessEvent, parseAccessLine } from './access-log.ts';
import { UserAgentParser } from './user-agent.ts';

const nginxFlavour: AccessFlavour = { vendor: 'nginx', keepDashes: false, preferPublicClient: true };
const apacheFlavour: AccessFlavour = { vendor: 'apache', keepDashes: true, preferPublicClient: false };

/** Which server's defaults a line shows: 'apache', 'nginx', or undefined when it could be either. */
export function accessLogTrait(line: AccessLine): 'apache' | 'nginx' | undefined {
  if (line.tlsProtocol !== undefined || line.request === '-' || line.userAgent === undefined) return 'apache';
  if (line.clients.length > 1 || line.hostPort !== undefined || line.request === '') return 'nginx';
  return undefined;
}

/** Cheap pre-check before the full scan: an access line has ` [dd/Mon/yyyy:` near its start. */
function looksLikeAccessLine(text: string): boolean {
  const bracket = text.indexOf(' [');
  if (bracket === -1) return text.charCodeAt(0) === 91 /* [ */ && text.charCodeAt(3) === 47 /* / */;
  return bracket < 512 && (text.charCodeAt(bracket + 4) === 47 /* / */ || text.charCodeAt(bracket + 3) === 47);
}

function createAccessParser(
  format: string,
  description: string,
  flavour: AccessFlavour,
  claims: (line: AccessLine) => boolean,
): Parser {
  const userAgents = new UserAgentParser();
  return {
    format,
    description,
    sniff(text, json) {
      if (json !== undefined || !looksLikeAccessLine(text)) return false;
      const line = parseAccessLine(text);
      return line !== undefined && claims(line);
    },
    parse(record: RawRecord) {
      const line = parseAccessLine(record.text);
      if (line === undefined) return parseFailure(record, format, 'not an access log line (common/combined format)');
      return accessEvent(record, line, flavour, userAgents);
    },
  };
}

export function createNginxAccessParser(): Parser {
  return createAccessParser(
    'nginx-access',
    'nginx access log (combined, with host prefix or X-Forwarded-For list)',
    nginxFlavour,
    (line) => accessLogTrait(line) !== 'apache',
  );
}

export function createApacheAccessParser(): Parser {
  return createAccessParser(
    'apache-access',
    'Apache HTTP Server access log (common, combined, vhost_combined, SSL request log)',
    apacheFlavour,
    (line) => accessLogTrait(line) === 'apache',
  );
}
