import { describe, expect, it } from 'vitest';
import { compilePythonPattern, MATCH_BUDGET } from '../src/check/values/python-pattern/index.js';
import { matchesAtStart } from '../src/check/values/python-pattern/match.js';
import { parsePythonPattern } from '../src/check/values/python-pattern/parse.js';
import { compile, MAX_PROGRAM_SIZE, programSize } from '../src/check/values/python-pattern/program.js';
import type { PatternError, PatternNode } from '../src/check/values/python-pattern/syntax.js';
import { loadPolyaxonfile } from '../src/load.js';

/**
 * `validation.regex` is run as Polyaxon runs it, Python's `re.match`, by a linear-time matcher.
 * The expected answers below are CPython 3.11.7's `re.match(pattern, value) is not None`; during
 * development the matcher also agreed with CPython on 78,000 random patterns and values.
 */
const PYTHON_ANSWERS: [string, string, boolean][] = [
  // `{` that is not a quantifier is a literal brace
  ['a{', 'a{', true],
  ['a{}', 'a{}', true],
  ['a{}', 'aaa', false],
  ['a{,}', 'aaa', true],
  ['a{,2}$', 'aaa', false],
  ['a{x}', 'a{x}', true],
  ['a{ 2}', 'a{ 2}', true],
  ['(?x)a{2 }', 'a{2}', true],
  ['(?x)a {2}', 'aa', true],
  // anchors: `$` also before a final newline, `\Z` only at the end
  ['a$', 'a\n', true],
  ['a$', 'a\n\n', false],
  ['a\\Z', 'a\n', false],
  ['(?m)a$\\nb', 'a\nb', true],
  ['^b', 'ab', false],
  ['(?m)a\\n^b', 'a\nb', true],
  ['.', '\n', false],
  ['(?s).', '\n', true],
  ['.', '\r', true],
  // Unicode categories as str.isdecimal / isalnum / isspace, ASCII with (?a)
  ['\\d', '\u0663', true],
  ['(?a)\\d', '\u0663', false],
  ['\\d', '\u00b2', false],
  ['\\w', '\u00e9', true],
  ['(?a)\\w', '\u00e9', false],
  ['\\w', '\u00b2', true],
  ['\\w', '\u0301', false],
  ['\\s', '\u001c', true],
  ['\\s', '\ufeff', false],
  ['\\s', '\u0085', true],
  ['\\b', '', false],
  ['\\B', '', false],
  ['\\b', 'a', true],
  ['a\\b', 'ab', false],
  ['a\\b', 'a!', true],
  ['\u00e9\\b', '\u00e9', true],
  ['(?a)\u00e9\\b', '\u00e9a', true],
  // IGNORECASE: Unicode simple case folding, plus `ı` ~ `i`; ASCII-only with (?a)
  ['(?i)k', '\u212a', true],
  ['(?i)\u0131', 'I', true],
  ['(?i)i', '\u0131', true],
  ['(?i)[i]', '\u0131', true],
  ['(?i)[^i]', '\u0131', false],
  ['(?i)s', '\u017f', true],
  ['(?i)[a-z]', '\u212a', true],
  ['(?i)[^a]', 'A', false],
  ['(?ia)k', '\u212a', false],
  ['(?i)\u00df', 'SS', false],
  ['(?i)\u03a3', '\u03c2', true],
  ['(?i)\u00c9', '\u00e9', true],
  ['(?i:a)b', 'AB', false],
  ['(?i:a)b', 'Ab', true],
  ['(?i)(?-i:a)b', 'aB', true],
  ['(?i)(?-i:a)b', 'AB', false],
  ['(?i)a|b', 'B', true],
  ['(?x)a b # comment', 'ab', true],
  ['(?x)a\\ b', 'a b', true],
  ['(?x)[ ]', ' ', true],
  // classes and escapes
  ['[a-]', '-', true],
  [']', ']', true],
  ['[]a]', ']', true],
  ['[^]a]', 'b', true],
  ['[\\b]', '\b', true],
  ['\\0', '\u0000', true],
  ['\\177', '\u007f', true],
  ['[\\1]', '\u0001', true],
  ['\\x41', 'A', true],
  ['\\u00e9', '\u00e9', true],
  ['\\U0001F600', '\ud83d\ude00', true],
  ['^.$', '\ud83d\ude00', true],
  ['^..$', '\ud83d\ude00', false],
  ['[\\U0001F600-\\U0001F64F]', '\ud83d\ude01', true],
  ['[\\d-]', '-', true],
  ['[^\\D]', '5', true],
  ['[\\W]', '\u00e9', false],
  // groups and repeats
  ['(a*)*b', 'aaab', true],
  ['(a|)*$', 'aa', true],
  ['', '', true],
  ['|a', 'b', true],
  ['\\%', '%', true],
  ['(?P<year>\\d{4})-(?P<month>\\d\\d)', '2024-01', true],
  ['(?#comment)a', 'a', true],
  ['a{2,3}', 'a', false],
  ['a{2,3}$', 'aaaa', false],
  ['a{0}b', 'b', true],
  ['(?:ab){2}$', 'abab', true],
  ['a*?b', 'aab', true],
  ['a??b', 'b', true],
  // what pipelines write
  ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'my-run-1', true],
  ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'my-run-', false],
  ['[a-z]+', 'abc123', true],
  ['[a-z]+$', 'abc123', false],
  ['\\d+\\.\\d+', '3.14', true],
  ['gs://', 'gs://bucket', true],
  ['gs://', 's3://bucket', false],
];

/** CPython 3.11.7's `re.error` for each, message and position. */
const PYTHON_ERRORS: [string, string, number][] = [
  ['a{3,1}', 'min repeat greater than max repeat', 2],
  ['*a', 'nothing to repeat', 0],
  ['a**', 'multiple repeat', 2],
  ['a|(?i)b', 'global flags not at the start of the expression', 2],
  ['(?L)a', "bad inline flags: cannot use 'L' flag with a str pattern", 3],
  ['[z-a]', 'bad character range z-a', 1],
  ['\\q', 'bad escape \\q', 0],
  ['(', 'missing ), unterminated subpattern', 0],
  [')', 'unbalanced parenthesis', 0],
  ['[a', 'unterminated character set', 0],
  ['(?P<a>a)(?P<a>b)', "redefinition of group name 'a'", 12],
  ['\\400', 'octal escape value \\400 outside of range 0-0o377', 0],
  ['\\x4', 'incomplete escape \\x4', 0],
  ['(?i-i:a)', 'bad inline flags: flag turned on and off', 5],
  ['(?<n>a)', 'unknown extension ?<n', 1],
  ['\\z', 'bad escape \\z', 0],
  ['[\\d-z]', 'bad character range \\d-z', 1],
];

describe("Python's re.match, in linear time", () => {
  it.each(PYTHON_ANSWERS)('%j against %j: %s, as CPython answers', (pattern, value, expected) => {
    const compiled = compilePythonPattern(pattern);
    if ('reason' in compiled) throw new Error(compiled.reason);
    expect(compiled.matchesStart(value)).toBe(expected);
  });

  it.each(PYTHON_ERRORS)('refuses %j as CPython does: %s (position %i)', (pattern, reason, position) => {
    expect(compilePythonPattern(pattern)).toEqual({ reason, position, unsafe: false });
  });

  it.each([
    ['(a)\\1', 'backreferences'],
    ['(?P<n>a)(?P=n)', 'backreferences'],
    ['a(?=b)', 'lookahead'],
    ['(?<!a)b', 'lookbehind'],
    ['(?(1)a|b)', 'conditional'],
    ['(?>a+)', 'atomic'],
    ['a*+', 'possessive'],
    ['a{2,5}+', 'possessive'],
    [`${'('.repeat(200)}a${')'.repeat(200)}`, 'nest more than'],
    ['(?:a{0,1000}){0,1000}', `more than ${MAX_PROGRAM_SIZE} steps`],
  ])('refuses %j, which only backtracking could run (%s)', (pattern, reason) => {
    const compiled = compilePythonPattern(pattern) as PatternError;
    expect(compiled.unsafe).toBe(true);
    expect(compiled.reason).toContain(reason);
  });

  it('visits each instruction at most once per character: (a+)+$ on 256 KiB is decided within that bound', () => {
    // A backtracking engine takes exponential time here; the bound below is the linear one.
    const value = `${'a'.repeat(256 * 1024)}!`;
    for (const pattern of ['(a+)+$', '(a|a)*$', '(a*)*b', '^(\\w+\\s?)*$', '(?i)([a-z]+)*[0-9]$']) {
      const node = parsePythonPattern(pattern) as PatternNode;
      const program = compile(node);
      const bound = (value.length + 1) * programSize(node);
      expect(matchesAtStart(program, value, bound), pattern).toBe(false);
      // and the bound is what the matcher enforces: a tenth of it is not enough
      expect(matchesAtStart(program, value, bound / 10), pattern).toBe('undecided');
    }
  });
});

describe('validation.regex in a Polyaxonfile', () => {
  const file = (regex: string, value: string) =>
    [
      'version: 1.1',
      'kind: operation',
      'params:',
      `  tag: {value: ${JSON.stringify(value)}}`,
      'component:',
      '  inputs:',
      `  - {name: tag, type: str, validation: {regex: ${JSON.stringify(regex)}}}`,
      '  run: {kind: job, container: {image: alpine}}',
      '',
    ].join('\n');

  it('checks a 256 KiB value against a catastrophic pattern without hanging, and says it does not match', async () => {
    const { diagnostics } = await loadPolyaxonfile('p.yaml', file('(a+)+$', `${'a'.repeat(256 * 1024 - 100)}!`));
    expect(diagnostics).toMatchObject([{ code: 'invalid-param-value', location: { line: 4 } }]);
    expect(diagnostics[0]!.message).toContain('param `tag` must match the pattern `(a+)+$`');
  });

  it('refuses a pattern that needs backtracking where it is declared, with unsafe-pattern', async () => {
    const { diagnostics } = await loadPolyaxonfile('p.yaml', file('^(?=.*[0-9])[a-z0-9]+$', 'abc1'));
    expect(diagnostics).toMatchObject([
      {
        code: 'unsafe-pattern',
        message:
          'the pattern `^(?=.*[0-9])[a-z0-9]+$` cannot be checked in linear time: lookahead assertions need backtracking to run (at character 2)',
        location: { line: 7, column: 48 },
        field: 'component.inputs[0].validation.regex',
      },
    ]);
  });

  it('refuses a pattern Python refuses, saying where', async () => {
    const { diagnostics } = await loadPolyaxonfile('p.yaml', file('[a-z', 'abc'));
    expect(diagnostics).toMatchObject([
      {
        code: 'unsafe-pattern',
        message: 'the pattern `[a-z` is not a valid Python regular expression: unterminated character set',
      },
    ]);
  });

  it('says when a value is too long to check against a large pattern within the budget', async () => {
    // 100 optional characters in a loop: ~200 instructions alive per character of a 256 KiB value.
    const { diagnostics } = await loadPolyaxonfile('p.yaml', file('(?:a{0,100})*$', 'a'.repeat(200_000)));
    expect(MATCH_BUDGET).toBeLessThan(200_000 * 200);
    expect(diagnostics).toMatchObject([{ code: 'invalid-param-value' }]);
    expect(diagnostics[0]!.message).toContain(
      'is too long (200000 characters) to check against the pattern `(?:a{0,100})*$` in bounded time',
    );
  });

  it('accepts a value the pattern matches at its start, as re.match does', async () => {
    expect((await loadPolyaxonfile('p.yaml', file('[a-z]+-\\d', 'run-1-and-more'))).diagnostics).toEqual([]);
  });
});
