import { describe, expect, it } from 'vitest';
import {
  baseName,
  cleanIp,
  commandLineArgs,
  commandLineWords,
  isoMillis,
  parseHashes,
  parseInteger,
  splitUser,
} from './windows-fields.ts';
import { keywordInfo, levelName } from './windows-record.ts';

describe('windows field helpers', () => {
  it('splits command lines like CommandLineToArgvW', () => {
    expect(commandLineArgs('"C:\\Program Files\\a.exe" -x "b c" d')).toEqual([
      'C:\\Program Files\\a.exe',
      '-x',
      'b c',
      'd',
    ]);
    // Escaped quote after backslashes; a doubled quote inside quotes is a literal quote and closes the quoted part.
    expect(commandLineArgs('a\\\\\\"b "c""d e\\\\')).toEqual(['a\\"b', 'c"d', 'e\\\\']);
    expect(commandLineArgs('   ')).toEqual([]);
    expect(commandLineWords('"C:\\x.exe" cl  Security')).toEqual(['"C:\\x.exe"', 'cl', 'Security']);
  });

  it('splits like the character-by-character CommandLineToArgvW rules on random command lines', () => {
    // The rules written out one character at a time (how the splitter read before it built
    // arguments from slices): the slices must give the same arguments.
    const reference = (commandLine: string): string[] => {
      const args: string[] = [];
      let index = 0;
      while (index < commandLine.length) {
        if (commandLine[index] === ' ' || commandLine[index] === '\t') {
          index++;
          continue;
        }
        let current = '';
        let inQuotes = false;
        let slashes = 0;
        for (; index < commandLine.length; index++) {
          const char = commandLine[index]!;
          if ((char === ' ' || char === '\t') && !inQuotes) break;
          if (char === '\\') {
            slashes++;
            continue;
          }
          if (char === '"') {
            current += '\\'.repeat(slashes >> 1);
            if (slashes % 2 === 0) {
              if (inQuotes && commandLine[index + 1] === '"') {
                current += '"';
                index++;
              }
              inQuotes = !inQuotes;
            } else current += '"';
            slashes = 0;
            continue;
          }
          current += '\\'.repeat(slashes) + char;
          slashes = 0;
        }
        args.push(current + '\\'.repeat(slashes));
      }
      return args;
    };
    let seed = 7;
    const next = (limit: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % limit;
    };
    const alphabet = ['a', 'b', ' ', '\t', '\\', '"', 'x'];
    for (let round = 0; round < 2000; round++) {
      let commandLine = '';
      for (let length = next(24); length > 0; length--) commandLine += alphabet[next(alphabet.length)];
      expect(commandLineArgs(commandLine), JSON.stringify(commandLine)).toEqual(reference(commandLine));
    }
  });

  it('normalises Windows timestamps to ISO milliseconds in UTC', () => {
    expect(isoMillis('2020-09-23T16:57:41.372630Z')).toBe('2020-09-23T16:57:41.372Z');
    expect(isoMillis('2020-10-28 02:39:26.374')).toBe('2020-10-28T02:39:26.374Z');
    expect(isoMillis('2020-10-28 02:39:26')).toBe('2020-10-28T02:39:26.000Z');
    expect(isoMillis('2020-10-28T02:39:26.5+02:00')).toBe('2020-10-28T00:39:26.500Z');
    expect(isoMillis('not a time')).toBeUndefined();
    expect(isoMillis('2020-1X-28 02:39:26')).toBeUndefined();
    expect(isoMillis('2020-13-28 02:39:26')).toBeUndefined();
    expect(isoMillis('2020-10-28 25:39:26')).toBeUndefined();
  });

  it('parses hashes, skipping empty and all-zero values', () => {
    const hashes = parseHashes('SHA1=AB,MD5=00000000,IMPHASH=CD,junk');
    expect(hashes).toMatchObject({ sha1: 'ab', imphash: 'cd' });
    expect(hashes.md5).toBeUndefined();
    expect(hashes.values).toEqual(['ab', 'cd']);
  });

  it('reads integers, users, paths and addresses', () => {
    expect(parseInteger('0x11cc')).toBe(4556);
    expect(parseInteger('4556')).toBe(4556);
    expect(parseInteger('-')).toBeUndefined();
    expect(splitUser('NT AUTHORITY\\SYSTEM')).toEqual({ domain: 'NT AUTHORITY', name: 'SYSTEM' });
    expect(splitUser('alice')).toEqual({ name: 'alice' });
    expect(baseName('C:\\Windows\\cmd.exe')).toBe('cmd.exe');
    expect(baseName('cmd.exe')).toBeUndefined();
    expect(cleanIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(cleanIp('fe80::1%12')).toBe('fe80::1%12');
    expect(cleanIp('-')).toBeUndefined();
    expect(cleanIp('300.1.1.1')).toBeUndefined();
  });

  it('derives audit outcome from keywords in hex, signed 64-bit and name-list forms', () => {
    // NXLog writes keywords as signed 64-bit JSON numbers.
    expect(keywordInfo('0x8020000000000000')).toEqual({ names: ['Audit Success'], outcome: 'success' });
    expect(keywordInfo('0x8010000000000000')).toEqual({ names: ['Audit Failure'], outcome: 'failure' });
    expect(keywordInfo(JSON.parse('-9214364837600034816'))).toEqual({ names: ['Audit Success'], outcome: 'success' });
    expect(keywordInfo(JSON.parse('-9218868437227405312'))).toEqual({ names: ['Audit Failure'], outcome: 'failure' });
    expect(keywordInfo('0x8000000000000000')).toEqual({});
    expect(keywordInfo(['Audit Failure'])).toEqual({ names: ['Audit Failure'], outcome: 'failure' });
    expect(levelName(4)).toBe('information');
    expect(levelName('2')).toBe('error');
    expect(levelName('WARNING')).toBe('warning');
  });
});
