// The parsers Vigil ships, in auto-detection order: specific formats first, generic JSON last.

import { networkParsers } from './group-network.ts';
import { formatAliases, genericParsers, systemParsers } from './group-system.ts';
import { windowsParsers } from './group-windows.ts';
import { ParserRegistry } from './parser-registry.ts';

export function createDefaultParserRegistry(): ParserRegistry {
  return new ParserRegistry(
    [...windowsParsers(), ...networkParsers(), ...systemParsers(), ...genericParsers()],
    formatAliases,
  );
}
