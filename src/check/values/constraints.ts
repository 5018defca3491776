import type { Validation } from '../../schema/io.js';
import { compilePythonPattern, type PatternError, type PythonPattern } from './python-pattern/index.js';

/**
 * V1Validation checks on a coerced value (spec §4.4). Scalar checks apply to each item of a
 * list and each value of a mapping. Returns the first broken rule, as a sentence, or undefined.
 */
export function checkConstraints(value: unknown, rules: Validation | undefined): string | undefined {
  if (!rules || value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (rules.minItems !== undefined && value.length < rules.minItems)
      return `must have at least ${rules.minItems} items, has ${value.length}`;
    if (rules.maxItems !== undefined && value.length > rules.maxItems)
      return `must have at most ${rules.maxItems} items, has ${value.length}`;
    for (const item of value) {
      const broken = checkScalar(item, rules);
      if (broken) return broken;
    }
    return undefined;
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    const keys = Object.keys(value);
    if (rules.minItems !== undefined && keys.length < rules.minItems)
      return `must have at least ${rules.minItems} keys, has ${keys.length}`;
    if (rules.maxItems !== undefined && keys.length > rules.maxItems)
      return `must have at most ${rules.maxItems} keys, has ${keys.length}`;
    if (rules.keys && (keys.length !== rules.keys.length || !rules.keys.every((k) => keys.includes(k))))
      return `must have exactly the keys ${rules.keys.join(', ')}`;
    const missing = rules.containsKeys?.filter((k) => !keys.includes(k));
    if (missing?.length) return `must contain the keys ${missing.join(', ')}`;
    const forbidden = rules.excludesKeys?.filter((k) => keys.includes(k));
    if (forbidden?.length) return `must not contain the keys ${forbidden.join(', ')}`;
    for (const item of Object.values(value)) {
      const broken = checkScalar(item, rules);
      if (broken) return broken;
    }
    return undefined;
  }
  return checkScalar(value, rules);
}

function checkScalar(value: unknown, rules: Validation): string | undefined {
  if (rules.options && !rules.options.some((option) => option === value))
    return `must be one of ${rules.options.map((o) => JSON.stringify(o)).join(', ')}`;
  if (typeof value === 'number') {
    if (rules.gt !== undefined && !(value > rules.gt)) return `must be > ${rules.gt}`;
    if (rules.ge !== undefined && !(value >= rules.ge)) return `must be ≥ ${rules.ge}`;
    if (rules.lt !== undefined && !(value < rules.lt)) return `must be < ${rules.lt}`;
    if (rules.le !== undefined && !(value <= rules.le)) return `must be ≤ ${rules.le}`;
    if (
      rules.multipleOf !== undefined &&
      Math.abs(value / rules.multipleOf - Math.round(value / rules.multipleOf)) > 1e-9
    )
      return `must be a multiple of ${rules.multipleOf}`;
    const text = String(Math.abs(value));
    const digits = text.replace('.', '').replace(/^0+/, '').length;
    const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
    if (rules.minDigits !== undefined && digits < rules.minDigits)
      return `must have at least ${rules.minDigits} digits`;
    if (rules.maxDigits !== undefined && digits > rules.maxDigits) return `must have at most ${rules.maxDigits} digits`;
    if (rules.decimalPlaces !== undefined && decimals > rules.decimalPlaces)
      return `must have at most ${rules.decimalPlaces} decimal places`;
  }
  if (typeof value === 'string' && rules.regex !== undefined) {
    // Python's re.match: anchored at the start only. A pattern that cannot be used is reported
    // once, where it is declared (patternProblem), not at every value.
    const pattern = pythonPattern(rules.regex);
    const matched = 'reason' in pattern ? true : pattern.matchesStart(value);
    if (matched === 'undecided')
      return `is too long (${value.length} characters) to check against the pattern \`${shorten(rules.regex)}\` in bounded time`;
    if (!matched) return `must match the pattern \`${shorten(rules.regex)}\``;
  }
  if (typeof value === 'string') {
    if (rules.minLength !== undefined && value.length < rules.minLength)
      return `must be at least ${rules.minLength} characters long`;
    if (rules.maxLength !== undefined && value.length > rules.maxLength)
      return `must be at most ${rules.maxLength} characters long`;
    if (rules.contains !== undefined && !value.includes(asText(rules.contains)))
      return `must contain \`${asText(rules.contains)}\``;
    if (rules.excludes !== undefined && value.includes(asText(rules.excludes)))
      return `must not contain \`${asText(rules.excludes)}\``;
  }
  return undefined;
}

/** Why a `validation.regex` cannot be used (Python refuses it, or only backtracking can run it), or undefined. */
export function patternProblem(pattern: string): { message: string; hint: string } | undefined {
  const compiled = pythonPattern(pattern);
  if (!('reason' in compiled)) return undefined;
  const where = compiled.position > 0 ? ` (at character ${compiled.position + 1})` : '';
  return compiled.unsafe
    ? {
        message: `the pattern \`${shorten(pattern)}\` cannot be checked in linear time: ${compiled.reason}${where}`,
        hint: 'write it without backreferences, lookarounds, atomic groups, possessive quantifiers and huge repeat counts: a pattern that needs backtracking can keep the checker busy for hours on a long value',
      }
    : {
        message: `the pattern \`${shorten(pattern)}\` is not a valid Python regular expression: ${compiled.reason}${where}`,
        hint: "Polyaxon matches it with Python's `re.match`, which refuses it too",
      };
}

/** Compiled patterns, by source: the same few patterns are checked against many values. */
const compiledPatterns = new Map<string, PythonPattern | PatternError>();

function pythonPattern(pattern: string): PythonPattern | PatternError {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    if (compiledPatterns.size >= 1000) compiledPatterns.clear();
    compiledPatterns.set(pattern, (compiled = compilePythonPattern(pattern)));
  }
  return compiled;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** A pattern quoted in a one-line message. */
const shorten = (pattern: string): string => (pattern.length > 80 ? `${pattern.slice(0, 77)}…` : pattern);
