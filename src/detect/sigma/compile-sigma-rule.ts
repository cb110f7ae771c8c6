// Compiles one Sigma detection into a matcher over an EventView: closures over pre-lower-cased
// literals (no regex for contains/startswith/endswith), field access through shared slots, and
// the "needles" a rule cannot match without (literal runs), which the rule index uses to skip
// rules whose needles are absent from an event.
import { BlockList, isIP } from 'node:net';
import { type ConditionNode, parseCondition, selectIdentifiers } from './condition-parser.ts';
import { type EventView, type FieldSlots, keywordSlot, scalarText } from './event-view.ts';
import { compileRuleRegex, type RuleRegex, UnsupportedRegexError } from './regex-safety.ts';
import type { SigmaDetection, SigmaFieldItem, SigmaSearch } from './sigma-rule.ts';
import { SigmaRuleError } from './sigma-rule.ts';
import {
  anyRun,
  base64OffsetVariants,
  compileParts,
  literal,
  parseSigmaString,
  type SigmaPart,
  type TextTest,
  utf16be,
  utf16le,
  utf16WithBom,
  windashVariants,
} from './sigma-string.ts';

export type Matcher = (view: EventView) => boolean;

/** A literal run (lower-cased) that must occur in a slot's lower-cased text for a match. */
export interface Needle {
  readonly slot: number;
  readonly text: string;
}

export interface Compiled {
  readonly test: Matcher;
  /** Undefined: no literal is required (the rule is always a candidate). Otherwise an OR of needles. */
  readonly needles: readonly Needle[] | undefined;
}

/** Placeholder values for `|expand`: defaults plus per-unit overrides. */
export interface SigmaPlaceholders {
  readonly defaults?: Readonly<Record<string, readonly string[]>>;
  readonly units?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export interface CompileContext {
  readonly slots: FieldSlots;
  /** Candidate ECS paths of a rule field (after logsource mapping). */
  readonly resolveField: (field: string) => readonly string[];
  readonly placeholders?: SigmaPlaceholders;
}

const always: Matcher = () => true;
const never: Matcher = () => false;

function and(children: readonly Matcher[]): Matcher {
  if (children.length === 0) return always;
  if (children.length === 1) return children[0] as Matcher;
  if (children.length === 2) {
    const [a, b] = children as [Matcher, Matcher];
    return (view) => a(view) && b(view);
  }
  return (view) => {
    for (const child of children) if (!child(view)) return false;
    return true;
  };
}

function or(children: readonly Matcher[]): Matcher {
  if (children.length === 0) return never;
  if (children.length === 1) return children[0] as Matcher;
  if (children.length === 2) {
    const [a, b] = children as [Matcher, Matcher];
    return (view) => a(view) || b(view);
  }
  return (view) => {
    for (const child of children) if (child(view)) return true;
    return false;
  };
}

function needleScore(needles: readonly Needle[]): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (const needle of needles) shortest = Math.min(shortest, needle.text.length);
  return Math.min(shortest, 8) * 1000 - needles.length;
}

/** AND: any child's needle set is necessary; keep the most selective one. */
function andNeedles(sets: readonly (readonly Needle[] | undefined)[]): readonly Needle[] | undefined {
  let best: readonly Needle[] | undefined;
  for (const set of sets) if (set && (!best || needleScore(set) > needleScore(best))) best = set;
  return best;
}

/** OR: every branch must have needles, and any of them may be the one present. */
function orNeedles(sets: readonly (readonly Needle[] | undefined)[]): readonly Needle[] | undefined {
  const union: Needle[] = [];
  for (const set of sets) {
    if (!set) return undefined;
    union.push(...set);
  }
  return union;
}

/** A compiled detection, with the `|expand` placeholders that have no configured values at all. */
export interface CompiledDetection extends Compiled {
  /** Placeholder names (without %) no default or unit configures; the rule then matches nothing. */
  readonly unresolvedPlaceholders: readonly string[];
}

/** Placeholder names in an `|expand` value (`\\%` escapes a plain percent sign). */
export function placeholderNames(value: string): string[] {
  return [...value.matchAll(/(?<!\\)%([^%\s]+)%/g)].map((match) => match[1] as string);
}

function detectionPlaceholders(detection: SigmaDetection): string[] {
  const names = new Set<string>();
  const visit = (item: SigmaFieldItem): void => {
    if (!item.modifiers.includes('expand')) return;
    for (const value of item.values)
      if (typeof value === 'string') for (const name of placeholderNames(value)) names.add(name);
  };
  for (const definition of detection.searches.values()) {
    for (const part of definition.parts) {
      if (part.kind === 'keywords') visit(part.item);
      else for (const items of part.alternatives) for (const item of items) visit(item);
    }
  }
  return [...names];
}

/**
 * A detection compiled with its placeholders settled. A placeholder nothing configures makes the
 * whole rule match nothing (most placeholders sit in filters: `selection and not filter_admins`,
 * where an empty filter would let every selection match through — alerts on guesswork). One
 * configured for some units only holds the rule back in the other units the same way.
 */
export function compileDetection(detection: SigmaDetection, context: CompileContext): CompiledDetection {
  const compiled = compileDetectionTree(detection, context);
  const names = detectionPlaceholders(detection);
  if (names.length === 0) return { ...compiled, unresolvedPlaceholders: [] };
  const placeholders = context.placeholders ?? {};
  const units = Object.values(placeholders.units ?? {});
  const unresolved = names.filter(
    (name) => placeholders.defaults?.[name] === undefined && !units.some((values) => values[name] !== undefined),
  );
  // Gated with no needle: the prefilter never even considers the rule.
  if (unresolved.length > 0) return { test: never, needles: [], unresolvedPlaceholders: unresolved };
  const partial = names.filter((name) => placeholders.defaults?.[name] === undefined);
  if (partial.length === 0) return { ...compiled, unresolvedPlaceholders: [] };
  const resolvedIn = new Map<string, boolean>();
  const inner = compiled.test;
  return {
    test: (view) => {
      const unit = view.event.unit;
      let resolved = resolvedIn.get(unit);
      if (resolved === undefined) {
        resolved = partial.every((name) => placeholders.units?.[unit]?.[name] !== undefined);
        resolvedIn.set(unit, resolved);
      }
      return resolved && inner(view);
    },
    needles: compiled.needles,
    unresolvedPlaceholders: [],
  };
}

function compileDetectionTree(detection: SigmaDetection, context: CompileContext): Compiled {
  const searches = new Map<string, Compiled>();
  for (const [name, definition] of detection.searches) {
    const parts = definition.parts.map((part) => compileSearch(part, context));
    searches.set(name, {
      test: or(parts.map((part) => part.test)),
      needles: orNeedles(parts.map((part) => part.needles)),
    });
  }
  const conditions: Compiled[] = [];
  for (const text of detection.conditions) {
    let tree: ConditionNode;
    try {
      tree = parseCondition(text);
    } catch (error) {
      throw new SigmaRuleError(`invalid condition '${text}': ${(error as Error).message}`, detection.conditionLine);
    }
    conditions.push(compileCondition(tree, searches, detection.conditionLine));
  }
  return { test: or(conditions.map((c) => c.test)), needles: orNeedles(conditions.map((c) => c.needles)) };
}

function compileCondition(node: ConditionNode, searches: ReadonlyMap<string, Compiled>, line: number): Compiled {
  switch (node.kind) {
    case 'ref': {
      const search = searches.get(node.name);
      if (!search) throw new SigmaRuleError(`condition names '${node.name}', which is not a search identifier`, line);
      return search;
    }
    case 'not': {
      const child = compileCondition(node.child, searches, line);
      const test = child.test;
      return { test: (view) => !test(view), needles: undefined };
    }
    case 'and': {
      const children = node.children.map((child) => compileCondition(child, searches, line));
      return { test: and(children.map((c) => c.test)), needles: andNeedles(children.map((c) => c.needles)) };
    }
    case 'or': {
      const children = node.children.map((child) => compileCondition(child, searches, line));
      return { test: or(children.map((c) => c.test)), needles: orNeedles(children.map((c) => c.needles)) };
    }
    case 'of': {
      const names = selectIdentifiers(node.pattern, searches.keys());
      if (names.length === 0) {
        throw new SigmaRuleError(`'${node.pattern ?? 'them'}' matches no search identifier`, line);
      }
      const children = names.map((name) => searches.get(name) as Compiled);
      if (node.count === 'all') {
        return { test: and(children.map((c) => c.test)), needles: andNeedles(children.map((c) => c.needles)) };
      }
      if (node.count === 1) {
        return { test: or(children.map((c) => c.test)), needles: orNeedles(children.map((c) => c.needles)) };
      }
      const count = node.count;
      const tests = children.map((c) => c.test);
      return {
        test: (view) => {
          let matched = 0;
          for (const test of tests) if (test(view) && ++matched >= count) return true;
          return false;
        },
        needles: undefined,
      };
    }
  }
}

function compileSearch(search: SigmaSearch, context: CompileContext): Compiled {
  if (search.kind === 'keywords') return compileKeywords(search.item);
  const alternatives = search.alternatives.map((items) => {
    const compiled = items.map((item) => compileItem(item, context));
    return { test: and(compiled.map((c) => c.test)), needles: andNeedles(compiled.map((c) => c.needles)) };
  });
  return { test: or(alternatives.map((a) => a.test)), needles: orNeedles(alternatives.map((a) => a.needles)) };
}

interface Modifiers {
  contains: boolean;
  startswith: boolean;
  endswith: boolean;
  all: boolean;
  cased: boolean;
  neq: boolean;
  exists: boolean;
  re: boolean;
  regexFlags: string;
  cidr: boolean;
  compare: 'lt' | 'lte' | 'gt' | 'gte' | undefined;
  timePart: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year' | undefined;
  expand: boolean;
  fieldref: boolean;
  /** Ordered value transformations. */
  transforms: string[];
}

function readModifiers(item: SigmaFieldItem): Modifiers {
  const result: Modifiers = {
    contains: false,
    startswith: false,
    endswith: false,
    all: false,
    cased: false,
    neq: false,
    exists: false,
    re: false,
    regexFlags: '',
    cidr: false,
    compare: undefined,
    timePart: undefined,
    expand: false,
    fieldref: false,
    transforms: [],
  };
  for (const modifier of item.modifiers) {
    switch (modifier) {
      case 'contains':
      case 'startswith':
      case 'endswith':
      case 'all':
      case 'cased':
      case 'neq':
      case 'exists':
      case 're':
      case 'cidr':
      case 'expand':
      case 'fieldref':
        result[modifier] = true;
        break;
      case 'i':
      case 'm':
      case 's':
        if (!result.re) throw new SigmaRuleError(`modifier '${modifier}' is only valid after 're'`, item.line);
        result.regexFlags += modifier;
        break;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        result.compare = modifier;
        break;
      case 'minute':
      case 'hour':
      case 'day':
      case 'week':
      case 'month':
      case 'year':
        result.timePart = modifier;
        break;
      default:
        result.transforms.push(modifier);
    }
  }
  const anchors = Number(result.contains) + Number(result.startswith) + Number(result.endswith);
  if (anchors > 1) throw new SigmaRuleError('contains, startswith and endswith cannot be combined', item.line);
  if (result.re && (anchors > 0 || result.transforms.length > 0)) {
    throw new SigmaRuleError(
      `'re' cannot be combined with ${item.modifiers.filter((m) => m !== 're' && !'ims'.includes(m)).join(', ')}`,
      item.line,
    );
  }
  return result;
}

/** Text of a slot for string tests, and array fallback (any element). */
function fieldTextTest(slot: number, cased: boolean, test: TextTest): Matcher {
  return (view) => {
    const text = cased ? view.text(slot) : view.lower(slot);
    if (text !== undefined) return test(text);
    const raw = view.raw(slot);
    if (!Array.isArray(raw)) return false;
    for (const element of raw) {
      const elementText = scalarText(element);
      if (elementText !== undefined && test(cased ? elementText : elementText.toLowerCase())) return true;
    }
    return false;
  };
}

function combineTests(tests: readonly TextTest[], all: boolean): TextTest {
  if (tests.length === 1) return tests[0] as TextTest;
  if (all) return (text) => tests.every((test) => test(text));
  return (text) => {
    for (const test of tests) if (test(text)) return true;
    return false;
  };
}

/** Apply encodings and windash to one string value; returns OR-linked pattern variants. */
function transformValue(value: string, modifiers: Modifiers, line: number): SigmaPart[][] {
  let variants: (SigmaPart[] | Buffer)[] = [parseSigmaString(value)];
  for (const transform of modifiers.transforms) {
    const next: (SigmaPart[] | Buffer)[] = [];
    for (const variant of variants) {
      const text = Buffer.isBuffer(variant)
        ? variant
        : Buffer.from(variant.map((p) => (typeof p === 'string' ? p : p === anyRun ? '*' : '?')).join(''), 'utf8');
      const plain = Buffer.isBuffer(variant)
        ? variant.toString('utf8')
        : variant.map((p) => (typeof p === 'string' ? p : p === anyRun ? '*' : '?')).join('');
      switch (transform) {
        case 'windash':
          if (Buffer.isBuffer(variant)) throw new SigmaRuleError("'windash' must come before encodings", line);
          next.push(...windashVariants(variant));
          break;
        case 'base64':
          next.push(literal(text.toString('base64')));
          break;
        case 'base64offset':
          for (const encoded of base64OffsetVariants(text)) next.push(literal(encoded));
          break;
        case 'wide':
        case 'utf16le':
          next.push(utf16le(plain));
          break;
        case 'utf16be':
          next.push(utf16be(plain));
          break;
        case 'utf16':
          next.push(utf16WithBom(plain));
          break;
        default:
          throw new SigmaRuleError(`modifier '${transform}' is not supported here`, line);
      }
    }
    variants = next;
  }
  return variants.map((variant) => (Buffer.isBuffer(variant) ? literal(variant.toString('latin1')) : variant));
}

function anchor(parts: SigmaPart[], modifiers: Modifiers): SigmaPart[] {
  if (modifiers.contains) return [anyRun, ...parts, anyRun];
  if (modifiers.startswith) return [...parts, anyRun];
  if (modifiers.endswith) return [anyRun, ...parts];
  return parts;
}

function compileKeywords(item: SigmaFieldItem): Compiled {
  const modifiers = readModifiers(item);
  if (modifiers.re) return compileRegexKeywords(item, modifiers);
  const tests: TextTest[] = [];
  const valueNeedles: (Needle[] | undefined)[] = [];
  for (const value of item.values) {
    if (value === null) throw new SigmaRuleError('a keyword cannot be null', item.line);
    const variants = typeof value === 'string' ? transformValue(value, modifiers, item.line) : [literal(String(value))];
    // Keywords search anywhere in a value unless an anchor modifier says otherwise.
    const anchored = modifiers.startswith || modifiers.endswith || modifiers.contains;
    const needles: Needle[] = [];
    let needleless = false;
    const variantTests = variants.map((parts) => {
      const compiled = compileParts(anchored ? anchor(parts, modifiers) : [anyRun, ...parts, anyRun], false);
      if (compiled.needle === '') needleless = true;
      else needles.push({ slot: keywordSlot, text: compiled.needle });
      return compiled.test;
    });
    tests.push(combineTests(variantTests, false));
    valueNeedles.push(needleless ? undefined : needles);
  }
  if (modifiers.all) {
    // Each keyword may sit in a different value of the event.
    return {
      test: (view) => {
        const texts = view.keywordTexts();
        return tests.every((one) => texts.some((text) => one(text)));
      },
      needles: andNeedles(valueNeedles),
    };
  }
  const test = combineTests(tests, false);
  return { test: (view) => view.keywordTexts().some((text) => test(text)), needles: orNeedles(valueNeedles) };
}

/** `'|re'` keywords: each pattern is tested on the keyword texts (original case). */
function compileRegexKeywords(item: SigmaFieldItem, modifiers: Modifiers): Compiled {
  const regexes = item.values.map((value) => ruleRegex(value, modifiers, undefined, item.line));
  const valueNeedles = regexes.map((regex) => regex.needles?.map((text): Needle => ({ slot: keywordSlot, text })));
  const matchesAny = (regex: RuleRegex, texts: readonly string[]): boolean => texts.some((text) => regex.test(text));
  return {
    test: (view) => {
      const texts = view.keywordTexts(true);
      return modifiers.all
        ? regexes.every((regex) => matchesAny(regex, texts))
        : regexes.some((regex) => matchesAny(regex, texts));
    },
    needles: modifiers.all ? andNeedles(valueNeedles) : orNeedles(valueNeedles),
  };
}

function compileItem(item: SigmaFieldItem, context: CompileContext): Compiled {
  if (item.field === undefined) return compileKeywords(item);
  const modifiers = readModifiers(item);
  if (modifiers.all && item.values.length < 2) {
    throw new SigmaRuleError(`'all' needs a list of at least two values ('${item.field}')`, item.line);
  }
  if (modifiers.expand) return compileExpand(item, modifiers, context);
  const compiled = compileValues(item, item.values, modifiers, context);
  if (!modifiers.neq) return compiled;
  const slot = context.slots.slot(context.resolveField(item.field));
  const test = compiled.test;
  return { test: (view) => view.raw(slot) !== undefined && view.raw(slot) !== null && !test(view), needles: undefined };
}

function compileExpand(item: SigmaFieldItem, modifiers: Modifiers, context: CompileContext): Compiled {
  const placeholders = context.placeholders ?? {};
  const valuesFor = (unit: string | undefined): (string | number | boolean | null)[] => {
    const result: (string | number | boolean | null)[] = [];
    for (const value of item.values) {
      if (typeof value !== 'string') {
        result.push(value);
        continue;
      }
      let expanded = [''];
      const pattern = /\\%|%([^%\s]+)%|[^%\\]+|[%\\]/g;
      for (const match of value.matchAll(pattern)) {
        const name = match[1];
        if (name === undefined) {
          const text = match[0] === '\\%' ? '%' : match[0];
          expanded = expanded.map((prefix) => prefix + text);
          continue;
        }
        const replacements =
          (unit !== undefined ? placeholders.units?.[unit]?.[name] : undefined) ?? placeholders.defaults?.[name] ?? [];
        const next: string[] = [];
        for (const prefix of expanded) for (const replacement of replacements) next.push(prefix + replacement);
        expanded = next;
      }
      result.push(...expanded);
    }
    return result;
  };
  const withoutExpand = { ...modifiers, expand: false };
  const byUnit = new Map<string, Matcher>();
  const build = (unit: string): Matcher => {
    const values = valuesFor(unit);
    if (values.length === 0) return never;
    const compiled = compileValues(item, values, withoutExpand, context).test;
    if (!modifiers.neq) return compiled;
    return (view) => !compiled(view);
  };
  return {
    test: (view) => {
      const unit = view.event.unit;
      let matcher = byUnit.get(unit);
      if (!matcher) {
        matcher = build(unit);
        byUnit.set(unit, matcher);
      }
      return matcher(view);
    },
    needles: undefined,
  };
}

function compileValues(
  item: SigmaFieldItem,
  values: readonly (string | number | boolean | null)[],
  modifiers: Modifiers,
  context: CompileContext,
): Compiled {
  const field = item.field as string;
  const slot = context.slots.slot(context.resolveField(field));
  const line = item.line;

  if (modifiers.exists) {
    const wanted = values[0];
    if (values.length !== 1 || typeof wanted !== 'boolean')
      throw new SigmaRuleError(`'exists' needs true or false ('${field}')`, line);
    return { test: (view) => (view.raw(slot) !== undefined) === wanted, needles: undefined };
  }

  if (modifiers.fieldref) {
    const tests = values.map((value) => {
      if (typeof value !== 'string') throw new SigmaRuleError(`'fieldref' needs field names ('${field}')`, line);
      const other = context.slots.slot(context.resolveField(value));
      const cased = modifiers.cased;
      return (view: EventView): boolean => {
        const left = cased ? view.text(slot) : view.lower(slot);
        const right = cased ? view.text(other) : view.lower(other);
        if (left === undefined || right === undefined) return false;
        if (modifiers.contains) return left.includes(right);
        if (modifiers.startswith) return left.startsWith(right);
        if (modifiers.endswith) return left.endsWith(right);
        return left === right;
      };
    });
    return { test: modifiers.all ? and(tests) : or(tests), needles: undefined };
  }

  if (modifiers.timePart) {
    const part = modifiers.timePart;
    const numbers = values.map((value) => numberValue(value, field, line));
    const compare = numericTest(modifiers.compare);
    const tests = numbers.map((wanted) => (view: EventView): boolean => {
      const text = view.text(slot);
      if (text === undefined) return false;
      const extracted = timePartOf(text, part);
      return extracted !== undefined && compare(extracted, wanted);
    });
    return { test: modifiers.all ? and(tests) : or(tests), needles: undefined };
  }

  if (modifiers.compare) {
    const compare = numericTest(modifiers.compare);
    const tests = values.map((value) => {
      const wanted = numberValue(value, field, line);
      return (view: EventView): boolean => {
        const raw = view.raw(slot);
        const number =
          typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
        return !Number.isNaN(number) && compare(number, wanted);
      };
    });
    return { test: modifiers.all ? and(tests) : or(tests), needles: undefined };
  }

  if (modifiers.cidr) {
    const blockList = new BlockList();
    for (const value of values) {
      const [address = '', prefixText] = String(value).split('/');
      const family = isIP(address);
      const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
      if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
        throw new SigmaRuleError(`invalid CIDR '${String(value)}' ('${field}')`, line);
      }
      blockList.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
    }
    const inRange = (text: string): boolean => {
      const family = isIP(text);
      return family !== 0 && blockList.check(text, family === 6 ? 'ipv6' : 'ipv4');
    };
    return { test: fieldTextTest(slot, true, inRange), needles: undefined };
  }

  if (modifiers.re) {
    const regexes = values.map((value) => ruleRegex(value, modifiers, field, line));
    const valueNeedles = regexes.map((regex) => regex.needles?.map((text): Needle => ({ slot, text })));
    return {
      test: fieldTextTest(
        slot,
        true,
        combineTests(
          regexes.map((regex) => regex.test),
          modifiers.all,
        ),
      ),
      needles: modifiers.all ? andNeedles(valueNeedles) : orNeedles(valueNeedles),
    };
  }

  // Plain values: strings with wildcards, numbers, booleans, null.
  const tests: TextTest[] = [];
  const valueNeedles: (Needle[] | undefined)[] = [];
  let matchNull = false;
  for (const value of values) {
    if (value === null) {
      matchNull = true;
      valueNeedles.push(undefined);
      continue;
    }
    const variants = typeof value === 'string' ? transformValue(value, modifiers, line) : [literal(String(value))];
    const variantTests: TextTest[] = [];
    const needles: Needle[] = [];
    let needleless = false;
    for (const parts of variants) {
      const compiled = compileParts(anchor(parts, modifiers), modifiers.cased);
      variantTests.push(compiled.test);
      if (compiled.needle === '') needleless = true;
      else needles.push({ slot, text: compiled.needle });
    }
    tests.push(combineTests(variantTests, false));
    valueNeedles.push(needleless ? undefined : needles);
  }
  if (matchNull && modifiers.all) throw new SigmaRuleError(`'all' cannot be combined with null ('${field}')`, line);
  const needles = modifiers.all ? andNeedles(valueNeedles) : orNeedles(valueNeedles);
  const textMatcher =
    tests.length > 0 ? fieldTextTest(slot, modifiers.cased, combineTests(tests, modifiers.all)) : never;
  if (!matchNull) return { test: textMatcher, needles };
  return {
    test: (view) => {
      const raw = view.raw(slot);
      return raw === undefined || raw === null || textMatcher(view);
    },
    needles: undefined,
  };
}

/** A `|re` value compiled for the linear-time engine; what cannot run there rejects the rule. */
function ruleRegex(
  value: string | number | boolean | null,
  modifiers: Modifiers,
  field: string | undefined,
  line: number,
): RuleRegex {
  const where = field === undefined ? 'keyword' : `'${field}'`;
  if (typeof value !== 'string') throw new SigmaRuleError(`'re' needs a string (${where})`, line);
  try {
    return compileRuleRegex(value, modifiers.regexFlags);
  } catch (error) {
    if (error instanceof UnsupportedRegexError) {
      throw new SigmaRuleError(`regular expression not supported (${error.message}): ${value}`, line);
    }
    throw error;
  }
}

function numberValue(value: string | number | boolean | null, field: string, line: number): number {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (Number.isNaN(number))
    throw new SigmaRuleError(`numeric modifier needs a number ('${field}': ${String(value)})`, line);
  return number;
}

function numericTest(compare: Modifiers['compare']): (actual: number, wanted: number) => boolean {
  switch (compare) {
    case 'lt':
      return (actual, wanted) => actual < wanted;
    case 'lte':
      return (actual, wanted) => actual <= wanted;
    case 'gt':
      return (actual, wanted) => actual > wanted;
    case 'gte':
      return (actual, wanted) => actual >= wanted;
    default:
      return (actual, wanted) => actual === wanted;
  }
}

/** A part of a date value (UTC, no zone conversion, per the spec's warning). */
export function timePartOf(text: string, part: NonNullable<Modifiers['timePart']>): number | undefined {
  const time = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(time)) return undefined;
  const date = new Date(time);
  switch (part) {
    case 'minute':
      return date.getUTCMinutes();
    case 'hour':
      return date.getUTCHours();
    case 'day':
      return date.getUTCDate();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'year':
      return date.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number.
      const day = (date.getUTCDay() + 6) % 7;
      const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3));
      const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
      return (
        1 +
        Math.round(
          ((thursday.getTime() - firstThursday.getTime()) / 86_400_000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7,
        )
      );
    }
  }
}
