import type { Assertion, ClassItem, Flags, PatternNode } from './syntax.js';

/**
 * A PatternNode → a Thompson NFA: a list of instructions that the matcher runs on all threads
 * at once, one input character at a time, so matching takes time proportional to the value's
 * length times the program's size, whatever the pattern. Counted repeats are spelled out, so
 * the program's size is capped instead.
 */

/** Instructions per program. `x{0,999}` spells out 1,998; real patterns need dozens. */
export const MAX_PROGRAM_SIZE = 2_000;

/** Instruction codes (plain numbers: the matcher's inner loop switches on them). */
export const Op = {
  /** Consume the character whose code point is `arg`, then go on at the next instruction. */
  ConsumeChar: 0,
  /** Consume one character that `testers[arg]` accepts, then go on at the next instruction. */
  ConsumeTest: 1,
  /** Go on at `arg` and at `alternative`. */
  Split: 2,
  Jump: 3,
  /** Go on at the next instruction only where `assertions[arg]` holds. */
  Assert: 4,
  Match: 5,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Whether one character (its code point, and the same as a string) is accepted. */
export type Tester = (codePoint: number, char: string) => boolean;

export interface Program {
  readonly ops: Uint8Array;
  readonly args: Int32Array;
  readonly alternatives: Int32Array;
  readonly testers: readonly Tester[];
  readonly assertions: readonly { readonly assertion: Assertion; readonly ascii: boolean }[];
}

/** The size `node` compiles to, counted up to just past the cap (repeats multiply). */
export function programSize(node: PatternNode): number {
  const cap = MAX_PROGRAM_SIZE + 1;
  switch (node.type) {
    case 'empty':
      return 0;
    case 'char':
    case 'class':
    case 'any':
    case 'assert':
      return 1;
    case 'concat':
      return Math.min(
        cap,
        node.items.reduce((sum, item) => sum + programSize(item), 0),
      );
    case 'alternation':
      return Math.min(cap, node.items.reduce((sum, item) => sum + programSize(item), 0) + 2 * (node.items.length - 1));
    case 'repeat': {
      const item = programSize(node.item);
      const optional = node.max === Infinity ? item + 2 : (node.max - node.min) * (item + 1);
      return Math.min(cap, node.min * item + optional);
    }
  }
}

/** Compiles a node whose programSize is within the cap. */
export function compile(node: PatternNode): Program {
  const ops: Op[] = [];
  const args: number[] = [];
  const alternatives: number[] = [];
  const testers: Tester[] = [];
  const assertions: Program['assertions'][number][] = [];
  const emit = (op: Op, arg = 0, alternative = 0): number => {
    ops.push(op);
    args.push(arg);
    alternatives.push(alternative);
    return ops.length - 1;
  };
  const consume = (tester: Tester) => emit(Op.ConsumeTest, testers.push(tester) - 1);

  const walk = (node: PatternNode): void => {
    switch (node.type) {
      case 'empty':
        return;
      case 'char':
        if (node.flags.ignoreCase) consume(charTester(node.codePoint, node.flags));
        else emit(Op.ConsumeChar, node.codePoint);
        return;
      case 'class':
        consume(classTester(node.items, node.negated, node.flags));
        return;
      case 'any':
        consume(node.flags.dotAll ? () => true : (codePoint) => codePoint !== 0x0a);
        return;
      case 'assert':
        emit(Op.Assert, assertions.push({ assertion: node.assertion, ascii: node.flags.ascii }) - 1);
        return;
      case 'concat':
        node.items.forEach(walk);
        return;
      case 'alternation': {
        const jumps: number[] = [];
        node.items.forEach((item, index) => {
          const last = index === node.items.length - 1;
          const split = last ? -1 : emit(Op.Split);
          if (!last) args[split] = split + 1;
          walk(item);
          if (!last) {
            jumps.push(emit(Op.Jump));
            alternatives[split] = ops.length;
          }
        });
        for (const jump of jumps) args[jump] = ops.length;
        return;
      }
      case 'repeat': {
        for (let i = 0; i < node.min; i++) walk(node.item);
        if (node.max === Infinity) {
          const split = emit(Op.Split, ops.length + 1);
          walk(node.item);
          emit(Op.Jump, split);
          alternatives[split] = ops.length;
          return;
        }
        const splits: number[] = [];
        for (let i = node.min; i < node.max; i++) {
          splits.push(emit(Op.Split, ops.length + 1));
          walk(node.item);
        }
        for (const split of splits) alternatives[split] = ops.length;
        return;
      }
    }
  };
  walk(node);
  emit(Op.Match);
  return {
    ops: Uint8Array.from(ops),
    args: Int32Array.from(args),
    alternatives: Int32Array.from(alternatives),
    testers,
    assertions,
  };
}

/**
 * Python's IGNORECASE equals JavaScript's Unicode case folding for every cased character but
 * one: Python also treats the dotless `ı` as a case of `i`.
 */
const DOTLESS_I = 0x131;

/** A character under IGNORECASE. */
function charTester(codePoint: number, flags: Flags): Tester {
  if (flags.ascii) {
    // re.ASCII folds only A-Z and a-z.
    const folded = isAsciiLetter(codePoint) ? codePoint | 0x20 : codePoint;
    return (c) => c === codePoint || (isAsciiLetter(c) && (c | 0x20) === folded);
  }
  return classTester([{ kind: 'range', from: codePoint, to: codePoint }], false, flags);
}

const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * A class tests one character with a JavaScript class (`v` flag: nested classes for negated
 * categories): a single character, so no backtracking can happen inside it. ASCII answers are
 * remembered, since most values are ASCII.
 */
function classTester(items: readonly ClassItem[], negated: boolean, flags: Flags): Tester {
  const body = items.map((item) => classItemSource(item, flags.ascii)).join('');
  const exact = new RegExp(`^[${body}]$`, 'v');
  const folded = flags.ignoreCase ? new RegExp(`^[${body}]$`, 'vi') : exact;
  const hasDotless = flags.ignoreCase && !flags.ascii && exact.test(String.fromCodePoint(DOTLESS_I));
  const member = (codePoint: number, char: string): boolean => {
    // re.ASCII folds only ASCII letters; otherwise Unicode simple case folding, plus `ı` ~ `i`.
    const regex = flags.ascii && codePoint >= 0x80 ? exact : folded;
    if (regex.test(char)) return true;
    if (!flags.ignoreCase || flags.ascii) return false;
    if (codePoint === DOTLESS_I) return folded.test('i');
    return hasDotless && (codePoint === 0x69 || codePoint === 0x49);
  };
  const ascii = new Uint8Array(128); // 0: not computed yet, 1: no, 2: yes
  return (codePoint, char) => {
    if (codePoint < 128) {
      let known = ascii[codePoint]!;
      if (known === 0) ascii[codePoint] = known = member(codePoint, char) !== negated ? 2 : 1;
      return known === 2;
    }
    return member(codePoint, char) !== negated;
  };
}

/** Python's `\s` for str patterns: str.isspace(). */
const UNICODE_SPACE = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680]
  .concat(Array.from({ length: 11 }, (_, i) => 0x2000 + i))
  .concat([0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);
const ASCII_SPACE = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20];

const escaped = (codePoint: number) => `\\u{${codePoint.toString(16)}}`;

function classItemSource(item: ClassItem, ascii: boolean): string {
  if (item.kind === 'range')
    return item.from === item.to ? escaped(item.from) : `${escaped(item.from)}-${escaped(item.to)}`;
  const members = {
    // Python's \d is str.isdecimal() (Unicode Nd) and \w is str.isalnum() or `_` (Unicode L and N).
    digit: ascii ? '0-9' : '\\p{Nd}',
    word: ascii ? 'a-zA-Z0-9_' : '\\p{L}\\p{N}_',
    space: (ascii ? ASCII_SPACE : UNICODE_SPACE).map(escaped).join(''),
  }[item.category];
  return `[${item.negated ? '^' : ''}${members}]`;
}
