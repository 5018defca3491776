import { Op, type Program } from './program.js';
import type { Assertion } from './syntax.js';

/** The answer, or `undecided` when the work budget ran out first. */
export type MatchResult = boolean | 'undecided';

/**
 * Python's `re.match(pattern, text) is not None`: a match starting at the beginning of `text`,
 * of any length. All threads of the program advance together over the text (Thompson's
 * simulation), each instruction at most once per position, so the work is at most
 * `text.length × program size` instruction visits, whatever the pattern or the text. Past
 * `budget` visits the answer is `undecided`. No captures are kept: only whether a match exists.
 */
export function matchesAtStart(program: Program, text: string, budget: number): MatchResult {
  const { ops, args, alternatives, testers, assertions } = program;
  const size = ops.length;
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  /** The generation each instruction was last reached in: each is visited once per position. */
  const seen = new Int32Array(size);
  /** Instructions still to visit at this position: the threads' successors, then what they reach. */
  const stack = new Int32Array(size * 3 + 1);
  let top = 0;
  let generation = 1;
  let work = 0;
  let position = 0;
  stack[top++] = 0;
  for (;;) {
    // Follow every thread through jumps, splits and assertions to the instructions that consume.
    let count = 0;
    while (top > 0) {
      const pc = stack[--top]!;
      if (seen[pc] === generation) continue;
      seen[pc] = generation;
      work++;
      const op = ops[pc]!;
      if (op === SPLIT) {
        stack[top++] = alternatives[pc]!;
        stack[top++] = args[pc]!;
      } else if (op === JUMP) stack[top++] = args[pc]!;
      else if (op === ASSERT) {
        const { assertion, ascii } = assertions[args[pc]!]!;
        if (holds(assertion, ascii, text, position)) stack[top++] = pc + 1;
      } else if (op === MATCH) return true;
      else next[count++] = pc;
    }
    if (count === 0 || position >= text.length) return false;
    if (work > budget) return 'undecided';
    [current, next] = [next, current];
    // Each thread that accepts the next character goes on after it.
    const codePoint = text.codePointAt(position)!;
    const width = codePoint > 0xffff ? 2 : 1;
    let char: string | undefined;
    for (let i = 0; i < count; i++) {
      const pc = current[i]!;
      if (ops[pc] === CONSUME_CHAR) {
        if (args[pc] !== codePoint) continue;
      } else if (!testers[args[pc]!]!(codePoint, (char ??= text.slice(position, position + width)))) continue;
      stack[top++] = pc + 1;
    }
    generation++;
    position += width;
  }
}

const { ConsumeChar: CONSUME_CHAR, Split: SPLIT, Jump: JUMP, Assert: ASSERT, Match: MATCH } = Op;

/** Whether a zero-width assertion holds at `position` (a UTF-16 index into `text`). */
function holds(assertion: Assertion, ascii: boolean, text: string, position: number): boolean {
  const end = text.length;
  switch (assertion) {
    case 'start':
      return position === 0;
    case 'line-start':
      return position === 0 || text.charCodeAt(position - 1) === 0x0a;
    case 'end':
      return position === end || (position === end - 1 && text.charCodeAt(position) === 0x0a);
    case 'line-end':
      return position === end || text.charCodeAt(position) === 0x0a;
    case 'string-end':
      return position === end;
    case 'boundary':
    case 'non-boundary': {
      // Python: neither holds in an empty string.
      if (end === 0) return false;
      const before = position > 0 && isWord(codePointBefore(text, position), ascii);
      const after = position < end && isWord(text.codePointAt(position)!, ascii);
      return (before !== after) === (assertion === 'boundary');
    }
  }
}

function codePointBefore(text: string, position: number): number {
  const low = text.charCodeAt(position - 1);
  if (low >= 0xdc00 && low <= 0xdfff && position >= 2) {
    const high = text.charCodeAt(position - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(position - 2)!;
  }
  return low;
}

const UNICODE_WORD = /^[\p{L}\p{N}_]$/u;

function isWord(codePoint: number, ascii: boolean): boolean {
  if (codePoint < 0x80)
    return (
      (codePoint >= 0x30 && codePoint <= 0x39) ||
      (codePoint >= 0x41 && codePoint <= 0x5a) ||
      (codePoint >= 0x61 && codePoint <= 0x7a) ||
      codePoint === 0x5f
    );
  return !ascii && UNICODE_WORD.test(String.fromCodePoint(codePoint));
}
