import { describe, expect, it } from 'vitest';
import { parseSigmaText } from './load-sigma-rules.ts';
import { compileRuleRegex, maxRegexInput, wildcardTest } from './regex-safety.ts';
import { SigmaEngine } from './sigma-engine.ts';
import { anyChar, anyRun, compileParts, parseSigmaString } from './sigma-string.ts';

function matches(pattern: string, text: string, flags = ''): boolean {
  return compileRuleRegex(pattern, flags).test(text);
}

function rule(field: string, pattern: string): string {
  return `title: t\nlogsource:\n  product: test\ndetection:\n  sel:\n    ${field}: '${pattern}'\n  condition: sel\n`;
}

describe('compileRuleRegex: PCRE semantics on a linear-time engine', () => {
  it('keeps the ordinary syntax of rule patterns', () => {
    expect(matches('net\\s+user', 'cmd /c net   user admin')).toBe(true);
    expect(matches('net\\s+user', 'netuser')).toBe(false);
    expect(matches('^C:\\\\Users\\\\[^\\\\]+\\\\NTUSER\\.DAT$', 'c:\\users\\bob\\ntuser.dat', 'i')).toBe(true);
    expect(matches('^C:\\\\Users\\\\[^\\\\]+\\\\NTUSER\\.DAT$', 'c:\\users\\bob\\ntuser.dat')).toBe(false);
    expect(matches('(?i)(ipfs\\.io/|ipfs\\.io\\s).+\\..+@.+\\.[a-z]+', 'GET https://IPFS.io/x.y@a.b.com')).toBe(true);
    expect(matches('(?<name>ab)+c', 'xababc')).toBe(true);
    expect(matches('(?P<n>a)b', 'ab')).toBe(true);
    expect(matches('\\w+`(?:\\w+|-|.)`[\\w+|\\s]', 'i`n`v')).toBe(true);
    expect(
      matches('[-/–][Ee^]{1,2}[ncodema^]*\\s[A-Za-z0-9+/=]{15,}', 'powershell –enc SQBFAFgAIAAoAE4AZQB3AC0A'),
    ).toBe(true);
    expect(matches('(.){200,}', 'x'.repeat(199))).toBe(false);
    expect(matches('(.){200,}', 'x'.repeat(200))).toBe(true);
  });

  it('translates PCRE-isms RE2 lacks', () => {
    // `$` and `\Z` also match before a newline that ends the subject; `\z` does not.
    expect(matches('abc$', 'xabc\n')).toBe(true);
    expect(matches('abc$', 'abc\nx')).toBe(false);
    expect(matches('abc\\Z', 'abc\n')).toBe(true);
    expect(matches('abc\\z', 'abc\n')).toBe(false);
    expect(matches('(?m)^b$', 'a\nb\nc')).toBe(true);
    expect(matches('^b$', 'a\nb\nc', 'm')).toBe(true);
    expect(matches('^b$', 'a\nb\nc')).toBe(false);
    // `\s` includes VT in PCRE; `\h`, `\v`, `\R`, `\N`, `\e`, `\cX`, octal and `\Q…\E`.
    expect(matches('a\\sb', 'a\u000bb')).toBe(true);
    expect(matches('a[\\s,]b', 'a\u000bb')).toBe(true);
    expect(matches('a\\hb', 'a\u00a0b')).toBe(true);
    expect(matches('a\\vb', 'a\rb')).toBe(true);
    expect(matches('a\\Rb', 'a\r\nb')).toBe(true);
    expect(matches('a\\Nb', 'a\nb')).toBe(false);
    expect(matches('\\e\\cA\\012\\x41\\x{42}', '\u001b\u0001\nAB')).toBe(true);
    expect(matches('\\Q.*+\\E!', 'a.*+!')).toBe(true);
    expect(matches('\\Q.*+\\E!', 'aaa!')).toBe(false);
    // A brace that is not a quantifier is literal.
    expect(matches('x{abc}', 'x{abc}')).toBe(true);
    expect(matches('\\$\\{?input', '${input')).toBe(true);
  });

  it('applies the i, m and s sub-modifiers and inline flags with their scope', () => {
    expect(matches('a.b', 'a\nb')).toBe(false);
    expect(matches('a.b', 'a\nb', 's')).toBe(true);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    expect(matches('ABC', 'abc', 'i')).toBe(true);
    expect(matches('a(?i)b', 'aB')).toBe(true);
    expect(matches('a(?i)b', 'AB')).toBe(false);
    expect(matches('(?i:a)b', 'Ab')).toBe(true);
    expect(matches('(?i:a)b', 'AB')).toBe(false);
    expect(matches('(?i)a(?-i)b', 'Ab')).toBe(true);
    expect(matches('(?i)a(?-i)b', 'AB')).toBe(false);
  });

  it('refuses what no linear-time engine runs, with the reason', () => {
    const reason = (pattern: string, flags = ''): string => {
      try {
        compileRuleRegex(pattern, flags);
      } catch (error) {
        return (error as Error).message;
      }
      return 'compiled';
    };
    expect(reason('(a|b)\\1')).toMatch(/backreference/);
    expect(reason('(?<n>a)\\k<n>')).toMatch(/backreference/);
    expect(reason('foo(?=bar)')).toMatch(/lookahead/);
    expect(reason('(?<!x)foo')).toMatch(/lookbehind/);
    expect(reason('(?>a+)b')).toMatch(/atomic/);
    expect(reason('a++b')).toMatch(/possessive/);
    expect(reason('a\\Kb')).toMatch(/\\K/);
    expect(reason('(?x) a b')).toMatch(/inline flag 'x'/);
    expect(reason('a{1001}')).toMatch(/repeat count/);
    expect(reason('(ab')).toMatch(/missing '\)'/);
    expect(reason('ab)')).toMatch(/unmatched '\)'/);
    expect(reason('[ab')).toMatch(/missing '\]'/);
    expect(reason('*a')).toMatch(/does not follow/);
    expect(reason('\\i')).toMatch(/unrecognised escape/);
    expect(reason('\\p{NoSuchScript}')).not.toBe('compiled');
    expect(reason('(a+)+$')).toBe('compiled');
  });
});

describe('compileRuleRegex: prefilter facts', () => {
  it('names the literals a match needs and the shortest match', () => {
    expect(compileRuleRegex('net\\s+user').needles).toEqual(['user']);
    expect(compileRuleRegex('https?://0[0-9]{1,11}').needles).toEqual(['https://0', 'http://0']);
    expect(compileRuleRegex('\\\\(venv|python(.+)?)\\\\lib').needles).toEqual(['\\lib']);
    expect(compileRuleRegex('[Pp]rogram[Dd]ata').needles).toEqual(['programdata']);
    expect(compileRuleRegex('APT\\d').needles).toEqual(['apt']);
    expect(compileRuleRegex('\\d+').needles).toBeUndefined();
    expect(compileRuleRegex('a|\\d').needles).toBeUndefined();
    expect(compileRuleRegex('(?:abc)?x').needles).toEqual(['abcx', 'x']);
    // Under `i`, RE2 folds `s` with `ſ` (which lower-cases to itself), so no needle spans an `s`.
    expect(compileRuleRegex('(?i)powershell').needles).toEqual(['power']);
    expect(compileRuleRegex('.{1000,}').minLength).toBe(1000);
    expect(compileRuleRegex('ab(c|de)?f{2}').minLength).toBe(4);
  });

  it('never names a needle missing from a text the pattern matches (randomised)', () => {
    // Each pattern with fragments of its literals (and case and fold variants), so texts often match.
    const cases: [string, string[]][] = [
      ['net\\s+user', ['net', 'NET', ' ', '\t', 'user', 'User', 'x']],
      ['a(b|cd)+e?f', ['a', 'A', 'b', 'c', 'd', 'cd', 'e', 'f', 'F']],
      ['(?i)s[tk]ar?t', ['s', 'S', 'ſ', 't', 'k', 'K', '\u212a', 'a', 'r', 'T']],
      ['[Aa][Bb]c{2,3}|xy?z', ['a', 'A', 'b', 'B', 'c', 'C', 'x', 'y', 'z']],
      ['h(?:a|e)llo\\s*w', ['h', 'H', 'a', 'e', 'llo', 'l', 'o', ' ', 'w']],
      ['(?i:ab)c(?:de)?', ['a', 'A', 'b', 'B', 'c', 'C', 'd', 'e']],
      ['\\ba\\.b\\b', ['a', 'b', '.', ' ', 'x', 'ab']],
      ['(?:ab){2}c', ['a', 'b', 'ab', 'c', 'C']],
    ];
    let seed = 7;
    const random = (limit: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % limit;
    };
    let matched = 0;
    for (const [pattern, fragments] of cases) {
      const regex = compileRuleRegex(pattern);
      for (let round = 0; round < 3000; round++) {
        let text = '';
        const length = 1 + random(10);
        for (let index = 0; index < length; index++) text += fragments[random(fragments.length)];
        if (!regex.test(text)) continue;
        matched++;
        expect(text.length).toBeGreaterThanOrEqual(regex.minLength);
        if (regex.needles) {
          const lower = text.toLowerCase();
          expect(
            regex.needles.some((needle) => lower.includes(needle)),
            `${pattern} on ${JSON.stringify(text)}`,
          ).toBe(true);
        }
      }
    }
    expect(matched).toBeGreaterThan(300);
  });
});

describe('a hostile rule', () => {
  it('with a backreference is rejected at load with file, line and reason', () => {
    const engine = SigmaEngine.build(parseSigmaText(rule('f|re', '(a+)\\1$'), 'hostile.yml').rules);
    expect(engine.rules).toHaveLength(0);
    expect(engine.rejections[0]).toMatchObject({ path: 'hostile.yml', line: 6 });
    expect(engine.rejections[0]?.reason).toMatch(/regular expression not supported \(backreference/);
  });

  it('with nested quantifiers runs in linear time and matches correctly', () => {
    const engine = SigmaEngine.build(parseSigmaText(rule('f|re', '^(a+)+$'), 'nested.yml').rules);
    expect(engine.rejections).toEqual([]);
    const start = performance.now();
    let hits = 0;
    engine.match({ '@timestamp': '', unit: 'u', test: {}, f: `${'a'.repeat(30_000)}!` }, () => hits++);
    engine.match({ '@timestamp': '', unit: 'u', test: {}, f: 'a'.repeat(30_000) }, () => hits++);
    expect(performance.now() - start).toBeLessThan(20_000);
    expect(hits).toBe(1);
  });

  it('a polynomial pattern on a huge value finishes quickly (linear engine, input bounded)', () => {
    const engine = SigmaEngine.build(parseSigmaText(rule('f|re', '.*a.*b.*c.*d$'), 'slow.yml').rules);
    let hits = 0;
    const start = performance.now();
    engine.match({ '@timestamp': '', unit: 'u', test: {}, f: 'a'.repeat(2_000_000) }, () => hits++);
    engine.match({ '@timestamp': '', unit: 'u', test: {}, f: `${'a'.repeat(maxRegexInput - 10)}bcd` }, () => hits++);
    engine.match({ '@timestamp': '', unit: 'u', test: {}, f: `${'abc'.repeat(20_000)}x` }, () => hits++);
    expect(performance.now() - start).toBeLessThan(20_000);
    expect(hits).toBe(1);
  });
});

describe('keyword regexes', () => {
  it("'|re' keywords test the event's strings in their original case", () => {
    const text =
      "title: k\nlogsource:\n  product: test\ndetection:\n  keywords:\n    '|re': 'Mimi[kK]atz'\n  condition: keywords\n";
    const engine = SigmaEngine.build(parseSigmaText(text, 'k.yml').rules);
    expect(engine.rejections).toEqual([]);
    expect(engine.match({ '@timestamp': '', unit: 'u', test: {}, message: 'ran MimiKatz.exe' }, () => {})).toBe(1);
    expect(engine.match({ '@timestamp': '', unit: 'u', test: {}, message: 'ran mimikatz.exe' }, () => {})).toBe(0);
  });
});

describe('wildcard values with ?', () => {
  it('match like the anchored pattern they stand for (randomised against a reference regex)', () => {
    let seed = 11;
    const random = (limit: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % limit;
    };
    const alphabet = ['a', 'b', 'ab', '*', '?', '😀', 'x'];
    let agreed = 0;
    for (let round = 0; round < 2000; round++) {
      let value = '';
      for (let at = 0, length = 1 + random(6); at < length; at++) value += alphabet[random(alphabet.length)];
      const parts = parseSigmaString(value);
      const source = parts
        .map((part) =>
          part === anyRun ? '[\\s\\S]*' : part === anyChar ? '[\\s\\S]' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
      const reference = new RegExp(`^${source}$`, 'u');
      const test = wildcardTest(parts, anyRun, anyChar);
      for (let sample = 0; sample < 5; sample++) {
        let text = '';
        for (let at = 0, length = random(8); at < length; at++) text += ['a', 'b', '😀', 'x', '*'][random(5)];
        expect(test(text), `${value} on ${text}`).toBe(reference.test(text));
        agreed++;
      }
    }
    expect(agreed).toBe(10_000);
  });

  it('never backtrack for minutes (*a*b*c*d? on long values)', () => {
    const { test } = compileParts(parseSigmaString('*a*b*c*d?'), false);
    const start = performance.now();
    expect(test('abc'.repeat(20_000))).toBe(false);
    expect(test(`${'abc'.repeat(20_000)}dx`)).toBe(true);
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});
