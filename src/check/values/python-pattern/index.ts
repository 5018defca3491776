import { matchesAtStart, type MatchResult } from './match.js';
import { parsePythonPattern } from './parse.js';
import { compile, MAX_PROGRAM_SIZE, programSize } from './program.js';
import type { PatternError } from './syntax.js';

export type { PatternError } from './syntax.js';
export type { MatchResult } from './match.js';

/**
 * A `validation.regex` as Polyaxon runs it, `re.match(pattern, value)`, but in time linear in
 * the value: patterns come from strangers' pull requests, and a backtracking engine (Python's,
 * or JavaScript's) can take years on `(a+)+$` and a line of `a`s. Patterns that need
 * backtracking, or that spell out to more than MAX_PROGRAM_SIZE instructions, are refused.
 */
export interface PythonPattern {
  /**
   * Whether a match starts at the beginning of `value` (Python's `re.match`); `undecided` when
   * that takes more than MATCH_BUDGET steps (a long value and a large pattern).
   */
  matchesStart(value: string): MatchResult;
}

/**
 * Instruction visits one match may take: half a second at worst. Real patterns visit a
 * handful of instructions per character, so only a value of hundreds of kilobytes checked
 * against a pattern of hundreds of steps gets near it.
 */
export const MATCH_BUDGET = 10_000_000;

export function compilePythonPattern(pattern: string): PythonPattern | PatternError {
  const node = parsePythonPattern(pattern);
  if ('reason' in node) return node;
  if (programSize(node) > MAX_PROGRAM_SIZE)
    return {
      reason: `it spells out to more than ${MAX_PROGRAM_SIZE} steps (large repeat counts multiply)`,
      position: 0,
      unsafe: true,
    };
  const program = compile(node);
  return { matchesStart: (value) => matchesAtStart(program, value, MATCH_BUDGET) };
}
