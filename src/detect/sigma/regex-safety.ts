// Static safety check for rule regular expressions (`|re`). V8's backtracking engine can take
// exponential time on nested quantifiers such as `(a+)+$` and on backreferences; such patterns
// are refused at load time. Patterns that pass still run on at most `maxRegexInput` characters.

/** Longest text a rule regex is run on; longer field values are cut (documented in docs/sigma.md). */
export const maxRegexInput = 65_536;

/** Why a pattern is unsafe, or undefined when it passes. */
export function regexHazard(pattern: string): string | undefined {
  // Each open group records whether something inside it repeats without bound.
  const stack: { repeats: boolean }[] = [{ repeats: false }];
  let lastGroupRepeats = false;
  let lastWasGroup = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    const top = stack[stack.length - 1] as { repeats: boolean };
    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreference';
      index++;
      lastWasGroup = false;
      continue;
    }
    if (char === '[') {
      // Skip a character class.
      let end = index + 1;
      if (pattern[end] === '^') end++;
      if (pattern[end] === ']') end++;
      while (end < pattern.length && pattern[end] !== ']') end += pattern[end] === '\\' ? 2 : 1;
      index = end;
      lastWasGroup = false;
      continue;
    }
    if (char === '(') {
      stack.push({ repeats: false });
      lastWasGroup = false;
      continue;
    }
    if (char === ')') {
      const closed = stack.length > 1 ? (stack.pop() as { repeats: boolean }) : { repeats: false };
      lastGroupRepeats = closed.repeats;
      if (closed.repeats) (stack[stack.length - 1] as { repeats: boolean }).repeats = true;
      lastWasGroup = true;
      continue;
    }
    const unbounded = char === '*' || char === '+' || (char === '{' && isLargeRepeat(pattern.slice(index, index + 16)));
    if (unbounded) {
      if (lastWasGroup && lastGroupRepeats) return 'nested quantifier (a repeated group that itself repeats)';
      top.repeats = true;
    }
    lastWasGroup = false;
  }
  return undefined;
}

/** `{n,}` or a bound above maxSafeRepeat counts as unbounded repetition. */
function isLargeRepeat(text: string): boolean {
  const match = /^\{(\d*)(,?)(\d*)\}/.exec(text);
  if (!match) return false;
  if (match[2] === ',' && match[3] === '') return true;
  // Small bounded repeats stay polynomial; large ones behave like unbounded ones.
  return Number(match[3] || match[1]) > maxSafeRepeat;
}

const maxSafeRepeat = 10;
