import { describe, expect, it } from 'vitest';
import { parseSigmaText } from './load-sigma-rules.ts';
import { regexHazard } from './regex-safety.ts';
import { SigmaEngine } from './sigma-engine.ts';

describe('regexHazard', () => {
  it('flags nested unbounded quantifiers and backreferences', () => {
    expect(regexHazard('(a+)+$')).toContain('nested quantifier');
    expect(regexHazard('(?:x*y?)*z')).toContain('nested quantifier');
    expect(regexHazard('((ab)+c)+')).toContain('nested quantifier');
    expect(regexHazard('(a|b)\\1')).toBe('backreference');
  });

  it('passes ordinary rule patterns and small bounded repeats', () => {
    expect(regexHazard('^C:\\\\Users\\\\[^\\\\]+\\\\AppData\\\\.*\\.exe$')).toBeUndefined();
    expect(regexHazard('(\\s*\\d{1,3}\\s*,){2}')).toBeUndefined();
    expect(regexHazard('[(+)]+')).toBeUndefined();
    expect(regexHazard('(ab)+c')).toBeUndefined();
  });
});

describe('a hostile rule', () => {
  it('is rejected at load with the reason, and never stalls matching', () => {
    const text =
      "title: hostile\nlogsource:\n  product: test\ndetection:\n  sel:\n    f|re: '^(a+)+$'\n  condition: sel\n";
    const engine = SigmaEngine.build(parseSigmaText(text, 'hostile.yml').rules);
    expect(engine.rules).toHaveLength(0);
    expect(engine.rejections[0]).toMatchObject({ path: 'hostile.yml', line: 6 });
    expect(engine.rejections[0]?.reason).toContain('unsafe');
  });

  it('a permitted polynomial pattern on a huge value finishes quickly (input bounded)', () => {
    const text =
      "title: slow\nlogsource:\n  product: test\ndetection:\n  sel:\n    f|re: '.*a.*b.*c.*d$'\n  condition: sel\n";
    const engine = SigmaEngine.build(parseSigmaText(text, 'slow.yml').rules);
    const start = performance.now();
    engine.match({ '@timestamp': '', unit: 'u', f: 'a'.repeat(2_000_000) }, () => {});
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});
