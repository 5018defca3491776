import type { Assertion, Category, ClassItem, Flags, PatternError, PatternNode } from './syntax.js';

/**
 * Python's `re` syntax (3.11, `str` patterns) → a PatternNode, or why not. It follows the
 * grammar of CPython's `re._parser` so that a pattern means here what it means to Polyaxon:
 * the same escapes, the same literal `{` when a brace is not a quantifier, the same errors at
 * the same positions. Constructs only a backtracking engine can run are refused as unsafe.
 */
export function parsePythonPattern(pattern: string): PatternNode | PatternError {
  try {
    return new Parser(pattern).parse();
  } catch (error) {
    if (error instanceof PatternSyntaxError) return error.detail;
    throw error;
  }
}

/** Deeper nesting is refused: the parser recurses per group, and no real pattern needs it. */
export const MAX_GROUP_DEPTH = 100;
/** Python's MAXREPEAT: larger repeat counts overflow its engine. */
const MAX_REPEAT_COUNT = 2 ** 32 - 1;

class PatternSyntaxError extends Error {
  constructor(readonly detail: PatternError) {
    super(detail.reason);
  }
}

const NO_FLAGS: Flags = { ignoreCase: false, multiline: false, dotAll: false, ascii: false, verbose: false };
const FLAG_NAMES: Record<string, keyof Flags | 'unicode'> = {
  i: 'ignoreCase',
  m: 'multiline',
  s: 'dotAll',
  a: 'ascii',
  x: 'verbose',
  u: 'unicode',
};
const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\v', '\f']);
const DIGITS = /^[0-9]$/;
const OCTAL = /^[0-7]$/;
const HEX = /^[0-9a-fA-F]$/;
const ASCII_LETTER = /^[a-zA-Z]$/;
const CHAR_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
const CATEGORY_ESCAPES: Record<string, [Category, boolean]> = {
  d: ['digit', false],
  D: ['digit', true],
  w: ['word', false],
  W: ['word', true],
  s: ['space', false],
  S: ['space', true],
};

/** A parsed item of a sequence, with what a quantifier after it may do. */
interface Item {
  readonly node: PatternNode;
  /** `anchor`: nothing to repeat; `repeat`: a second quantifier is an error. */
  readonly kind: 'atom' | 'anchor' | 'repeat';
}

/** The top level's flags are the global ones, which `(?i)` at the start may still set. */
type ScopeFlags = Flags | 'top';

class Parser {
  /** The pattern as code points: Python counts positions in code points. */
  private readonly chars: string[];
  private at = 0;
  private globalFlags: Flags = NO_FLAGS;
  private readonly groupNames = new Set<string>();

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  parse(): PatternNode {
    const node = this.alternatives('top', 0);
    if (this.peek() === ')') this.fail('unbalanced parenthesis', this.at);
    return node;
  }

  private fail(reason: string, position: number, unsafe = false): never {
    throw new PatternSyntaxError({ reason, position, unsafe });
  }

  private peek(): string | undefined {
    return this.chars[this.at];
  }

  private next(): string | undefined {
    return this.chars[this.at++];
  }

  private accept(char: string): boolean {
    if (this.peek() !== char) return false;
    this.at++;
    return true;
  }

  /** Characters while `test` holds, at most `limit` of them. */
  private takeWhile(test: RegExp, limit = Infinity): string {
    let taken = '';
    while (taken.length < limit && this.peek() !== undefined && test.test(this.peek()!)) taken += this.next()!;
    return taken;
  }

  private alternatives(scoped: ScopeFlags, depth: number): PatternNode {
    if (depth > MAX_GROUP_DEPTH) this.fail(`groups nest more than ${MAX_GROUP_DEPTH} levels deep`, this.at, true);
    const branches = [this.sequence(scoped, depth, depth === 0)];
    while (this.accept('|')) branches.push(this.sequence(scoped, depth, false));
    return branches.length === 1 ? branches[0]! : { type: 'alternation', items: branches };
  }

  /** One branch of an alternation. `first`: global flags such as `(?i)` may still appear. */
  private sequence(scoped: ScopeFlags, depth: number, first: boolean): PatternNode {
    const items: Item[] = [];
    for (;;) {
      const flags = scoped === 'top' ? this.globalFlags : scoped;
      const char = this.peek();
      if (char === undefined || char === '|' || char === ')') break;
      const start = this.at++;
      if (flags.verbose && WHITESPACE.has(char)) continue;
      if (flags.verbose && char === '#') {
        while (this.peek() !== undefined && this.next() !== '\n');
        continue;
      }
      if (char === '\\') {
        const node = this.escape(flags, start);
        items.push({ node, kind: node.type === 'assert' ? 'anchor' : 'atom' });
      } else if (char === '[') items.push({ node: this.characterClass(flags, start), kind: 'atom' });
      else if (char === '*' || char === '+' || char === '?' || char === '{') {
        const repeat = this.repeat(char, start);
        if (!repeat) {
          items.push({ node: { type: 'char', codePoint: 0x7b, flags }, kind: 'atom' }); // a literal `{`
          continue;
        }
        const last = items.at(-1);
        if (!last || last.kind === 'anchor') this.fail('nothing to repeat', start);
        if (last.kind === 'repeat') this.fail('multiple repeat', start);
        // `?` after a quantifier makes it lazy, which matches the same strings; `+` makes it possessive.
        if (!this.accept('?') && this.accept('+'))
          this.fail('possessive quantifiers need backtracking to run', this.at - 1, true);
        const [min, max] = repeat;
        items[items.length - 1] = { node: { type: 'repeat', item: last.node, min, max }, kind: 'repeat' };
      } else if (char === '.') items.push({ node: { type: 'any', flags }, kind: 'atom' });
      else if (char === '^')
        items.push({
          node: { type: 'assert', assertion: flags.multiline ? 'line-start' : 'start', flags },
          kind: 'anchor',
        });
      else if (char === '$')
        items.push({
          node: { type: 'assert', assertion: flags.multiline ? 'line-end' : 'end', flags },
          kind: 'anchor',
        });
      else if (char === '(') {
        const group = this.group(flags, depth, start, first && items.length === 0);
        if (group) items.push({ node: group, kind: 'atom' });
      } else items.push({ node: { type: 'char', codePoint: char.codePointAt(0)!, flags }, kind: 'atom' });
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? items[0]!.node : { type: 'concat', items: items.map((item) => item.node) };
  }

  /** `* + ? {m,n}` → [min, max]; undefined when a `{` is a literal brace, as Python reads it. */
  private repeat(char: string, start: number): [number, number] | undefined {
    if (char === '?') return [0, 1];
    if (char === '*') return [0, Infinity];
    if (char === '+') return [1, Infinity];
    if (this.peek() === '}') return undefined;
    const low = this.takeWhile(DIGITS);
    const high = this.accept(',') ? this.takeWhile(DIGITS) : low;
    if (!this.accept('}')) {
      this.at = start + 1;
      return undefined;
    }
    const min = low ? Number(low) : 0;
    const max = high ? Number(high) : Infinity;
    if (min >= MAX_REPEAT_COUNT || (max !== Infinity && max >= MAX_REPEAT_COUNT))
      this.fail('the repetition number is too large', start);
    if (max < min) this.fail('min repeat greater than max repeat', start + 1);
    return [min, max];
  }

  /** `(...)`; `start` is the position of the `(`, `scoped` the flags around it. Undefined for a comment or global flags. */
  private group(scoped: Flags, depth: number, start: number, first: boolean): PatternNode | undefined {
    let flags = scoped;
    if (this.accept('?')) {
      const kind = this.next();
      if (kind === undefined) this.fail('unexpected end of pattern', this.at);
      if (kind === 'P') {
        if (this.accept('<')) {
          const name = this.until('>', 'group name');
          const nameStart = this.at - Array.from(name).length - 1;
          if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name))
            this.fail(`bad character in group name '${name}'`, nameStart);
          if (this.groupNames.has(name)) this.fail(`redefinition of group name '${name}'`, nameStart);
          this.groupNames.add(name);
        } else if (this.accept('=')) {
          this.fail('backreferences (`(?P=name)`) need backtracking to run', start, true);
        } else {
          const other = this.next();
          if (other === undefined) this.fail('unexpected end of pattern', this.at);
          this.fail(`unknown extension ?P${other}`, start + 1);
        }
      } else if (kind === ':') {
        // a group that does not capture: captures do not change whether a match exists
      } else if (kind === '#') {
        while (this.peek() !== ')') if (this.next() === undefined) this.fail('missing ), unterminated comment', start);
        this.at++;
        return undefined;
      } else if (kind === '=' || kind === '!') {
        this.fail('lookahead assertions need backtracking to run', start, true);
      } else if (kind === '<') {
        const which = this.next();
        if (which === undefined) this.fail('unexpected end of pattern', this.at);
        if (which !== '=' && which !== '!') this.fail(`unknown extension ?<${which}`, start + 1);
        this.fail('lookbehind assertions need backtracking to run', start, true);
      } else if (kind === '(') {
        this.fail('conditional groups need backtracking to run', start, true);
      } else if (kind === '>') {
        this.fail('atomic groups need backtracking to run', start, true);
      } else if (kind in FLAG_NAMES || kind === '-' || kind === 'L' || kind === 't') {
        const parsed = this.inlineFlags(kind, scoped);
        if (parsed === 'global') {
          if (!first) this.fail('global flags not at the start of the expression', start);
          return undefined;
        }
        flags = parsed;
      } else {
        this.fail(`unknown extension ?${kind}`, start + 1);
      }
    }
    const inner = this.alternatives(flags, depth + 1);
    if (!this.accept(')')) this.fail('missing ), unterminated subpattern', start);
    return inner;
  }

  /** Characters up to `end` (consumed), for a group name. */
  private until(end: string, what: string): string {
    const from = this.at;
    let text = '';
    for (;;) {
      const char = this.next();
      if (char === undefined) this.fail(text ? `missing ${end}, unterminated name` : `missing ${what}`, from);
      if (char === end) break;
      text += char;
    }
    if (!text) this.fail(`missing ${what}`, from);
    return text;
  }

  /** `(?aimsux)` (global: returns 'global') or `(?aimsux-imsx:` (scoped: the group's flags). */
  private inlineFlags(first: string, scoped: Flags): Flags | 'global' {
    const on = new Set<string>();
    const off = new Set<string>();
    let char: string | undefined = first;
    const check = (flag: string) => {
      if (flag === 'L') this.fail("bad inline flags: cannot use 'L' flag with a str pattern", this.at);
      if (flag === 't') this.fail('the template flag `t` is not supported', this.at - 1, true);
    };
    if (char !== '-') {
      for (;;) {
        check(char);
        on.add(char);
        if (on.has('a') && on.has('u')) this.fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible", this.at);
        char = this.next();
        if (char === undefined) this.fail('missing -, : or )', this.at);
        if (char === ')' || char === '-' || char === ':') break;
        if (!(char in FLAG_NAMES) && char !== 'L' && char !== 't')
          this.fail(/\p{L}/u.test(char) ? 'unknown flag' : 'missing -, : or )', this.at - 1);
      }
    }
    if (char === ')') {
      this.globalFlags = apply(this.globalFlags, on, off);
      return 'global';
    }
    if (char === '-') {
      char = this.next();
      if (char === undefined) this.fail('missing flag', this.at);
      if (!(char in FLAG_NAMES) && char !== 'L' && char !== 't')
        this.fail(/\p{L}/u.test(char) ? 'unknown flag' : 'missing flag', this.at - 1);
      for (;;) {
        if (char === 'a' || char === 'u' || char === 'L')
          this.fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", this.at);
        check(char);
        off.add(char);
        char = this.next();
        if (char === undefined) this.fail('missing :', this.at);
        if (char === ':') break;
        if (!(char in FLAG_NAMES) && char !== 'L' && char !== 't')
          this.fail(/\p{L}/u.test(char) ? 'unknown flag' : 'missing :', this.at - 1);
      }
    }
    if ([...on].some((flag) => off.has(flag))) this.fail('bad inline flags: flag turned on and off', this.at - 1);
    return apply(scoped, on, off);
  }

  /** An escape outside a class; `start` is the position of the backslash. */
  private escape(flags: Flags, start: number): PatternNode {
    const char = this.next();
    if (char === undefined) this.fail('bad escape (end of pattern)', start);
    const assertion: Assertion | undefined =
      char === 'A'
        ? 'start'
        : char === 'Z'
          ? 'string-end'
          : char === 'b'
            ? 'boundary'
            : char === 'B'
              ? 'non-boundary'
              : undefined;
    if (assertion) return { type: 'assert', assertion, flags };
    const category = CATEGORY_ESCAPES[char];
    if (category) return { type: 'class', items: [categoryItem(category)], negated: false, flags };
    if (char in CHAR_ESCAPES) return { type: 'char', codePoint: CHAR_ESCAPES[char]!, flags };
    if (char === '0') return { type: 'char', codePoint: parseInt(char + this.takeWhile(OCTAL, 2), 8), flags };
    if (DIGITS.test(char)) {
      if (DIGITS.test(this.peek() ?? '')) {
        const second = this.next()!;
        if (OCTAL.test(char) && OCTAL.test(second) && OCTAL.test(this.peek() ?? '')) {
          const text = char + second + this.next()!;
          const codePoint = parseInt(text, 8);
          if (codePoint > 0o377) this.fail(`octal escape value \\${text} outside of range 0-0o377`, start);
          return { type: 'char', codePoint, flags };
        }
      }
      this.fail('backreferences (`\\1`) need backtracking to run', start, true);
    }
    const codePoint = this.characterEscape(char, start);
    return { type: 'char', codePoint, flags };
  }

  /** `\x \u \U \N`, a letter Python does not know (an error), or an escaped literal. */
  private characterEscape(char: string, start: number): number {
    const hex = (digits: number) => {
      const text = this.takeWhile(HEX, digits);
      if (text.length !== digits) this.fail(`incomplete escape \\${char}${text}`, start);
      const codePoint = parseInt(text, 16);
      if (codePoint > 0x10ffff) this.fail(`bad escape \\${char}${text}`, start);
      return codePoint;
    };
    if (char === 'x') return hex(2);
    if (char === 'u') return hex(4);
    if (char === 'U') return hex(8);
    if (char === 'N')
      this.fail('named characters (`\\N{…}`) are not supported: write the character itself', start, true);
    if (ASCII_LETTER.test(char)) this.fail(`bad escape \\${char}`, start);
    return char.codePointAt(0)!;
  }

  /** `[...]`; `start` is the position of the `[`. */
  private characterClass(flags: Flags, start: number): PatternNode {
    const negated = this.accept('^');
    const items: ClassItem[] = [];
    for (;;) {
      const itemStart = this.at;
      const char = this.next();
      if (char === undefined) this.fail('unterminated character set', start);
      if (char === ']' && items.length > 0) break;
      const low = char === '\\' ? this.classEscape(itemStart) : char.codePointAt(0)!;
      if (!this.accept('-')) {
        items.push(typeof low === 'number' ? { kind: 'range', from: low, to: low } : low);
        continue;
      }
      const highStart = this.at;
      const next = this.next();
      if (next === undefined) this.fail('unterminated character set', start);
      if (next === ']') {
        items.push(typeof low === 'number' ? { kind: 'range', from: low, to: low } : low);
        items.push({ kind: 'range', from: 0x2d, to: 0x2d });
        break;
      }
      const high = next === '\\' ? this.classEscape(highStart) : next.codePointAt(0)!;
      const text = this.chars.slice(itemStart, this.at).join('');
      if (typeof low !== 'number' || typeof high !== 'number' || high < low)
        this.fail(`bad character range ${text}`, itemStart);
      items.push({ kind: 'range', from: low, to: high });
    }
    return { type: 'class', items, negated, flags };
  }

  /** An escape inside a class: a code point, or a category such as `\d`. */
  private classEscape(start: number): number | ClassItem {
    const char = this.next();
    if (char === undefined) this.fail('bad escape (end of pattern)', start);
    const category = CATEGORY_ESCAPES[char];
    if (category) return categoryItem(category);
    if (char === 'b') return 8;
    if (char in CHAR_ESCAPES) return CHAR_ESCAPES[char]!;
    if (OCTAL.test(char)) {
      const text = char + this.takeWhile(OCTAL, 2);
      const codePoint = parseInt(text, 8);
      if (codePoint > 0o377) this.fail(`octal escape value \\${text} outside of range 0-0o377`, start);
      return codePoint;
    }
    if (DIGITS.test(char)) this.fail(`bad escape \\${char}`, start);
    return this.characterEscape(char, start);
  }
}

const categoryItem = ([category, negated]: [Category, boolean]): ClassItem => ({ kind: 'category', category, negated });

function apply(flags: Flags, on: ReadonlySet<string>, off: ReadonlySet<string>): Flags {
  const result: { -readonly [K in keyof Flags]: boolean } = { ...flags };
  for (const flag of on) {
    const name = FLAG_NAMES[flag];
    if (name && name !== 'unicode') result[name] = true;
  }
  for (const flag of off) {
    const name = FLAG_NAMES[flag];
    if (name && name !== 'unicode') result[name] = false;
  }
  return result;
}
