/**
 * A Python `re` pattern as a tree, limited to what a linear-time matcher can run: everything
 * that needs backtracking (backreferences, lookarounds, conditionals, atomic groups, possessive
 * quantifiers) is refused by the parser before a tree exists.
 */

/** Scoped flags of Python's `re` that change what a node matches. */
export interface Flags {
  /** `re.IGNORECASE` */
  readonly ignoreCase: boolean;
  /** `re.MULTILINE`: `^` and `$` also at line breaks. */
  readonly multiline: boolean;
  /** `re.DOTALL`: `.` also matches `\n`. */
  readonly dotAll: boolean;
  /** `re.ASCII`: `\w`, `\d`, `\s`, `\b` and case folding are ASCII-only. */
  readonly ascii: boolean;
  /** `re.VERBOSE`: whitespace and `#` comments outside classes are ignored. */
  readonly verbose: boolean;
}

export type Category = 'digit' | 'word' | 'space';

/** One member of a character class. */
export type ClassItem =
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'category'; readonly category: Category; readonly negated: boolean };

export type Assertion =
  /** `^` (or `\A`), without MULTILINE. */
  | 'start'
  /** `^` with MULTILINE. */
  | 'line-start'
  /** `$` without MULTILINE: the end, or before a final `\n`. */
  | 'end'
  /** `$` with MULTILINE. */
  | 'line-end'
  /** `\Z`. */
  | 'string-end'
  | 'boundary'
  | 'non-boundary';

export type PatternNode =
  | { readonly type: 'empty' }
  | { readonly type: 'char'; readonly codePoint: number; readonly flags: Flags }
  | { readonly type: 'class'; readonly items: readonly ClassItem[]; readonly negated: boolean; readonly flags: Flags }
  | { readonly type: 'any'; readonly flags: Flags }
  | { readonly type: 'assert'; readonly assertion: Assertion; readonly flags: Flags }
  | { readonly type: 'concat'; readonly items: readonly PatternNode[] }
  | { readonly type: 'alternation'; readonly items: readonly PatternNode[] }
  /** `max` is Infinity for `*`, `+` and `{n,}`. Greedy or lazy does not change whether a match exists. */
  | { readonly type: 'repeat'; readonly item: PatternNode; readonly min: number; readonly max: number };

/** Why a pattern cannot be used, with its position (in code points, as Python counts). */
export interface PatternError {
  readonly reason: string;
  readonly position: number;
  /** Python would accept it, but it needs backtracking: refused on purpose, not a syntax error. */
  readonly unsafe: boolean;
}
