import { diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import { camelCase, formatPath, locate, type Path, type SourceFile } from '../parse/source.js';
import { KNOWN_KEYS_PREFIX, typeWords } from './primitives.js';

/**
 * Turns zod issues into located diagnostics. `base` is where the validated object sits in the
 * file (an inline component deep inside a dag, say), so paths are always file-absolute.
 */
export function issuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  source: SourceFile,
  base: Path = [],
): Diagnostic[] {
  return issues.flatMap((issue) => convert(issue, source, [...base, ...(issue.path as (string | number)[])]));
}

function convert(issue: z.core.$ZodIssue, source: SourceFile, path: Path): Diagnostic[] {
  const field = formatPath(path);
  const actual = valueAt(source.value, path);
  const error = (
    code: DiagnosticCode,
    message: string,
    hint?: string,
    anchor: 'key' | 'value' = 'value',
    at: Path = path,
  ): Diagnostic =>
    diagnostic({
      code,
      message,
      location: locate(source, at, anchor),
      field: formatPath(at),
      ...(hint ? { hint } : {}),
    });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = issue.message.startsWith(KNOWN_KEYS_PREFIX)
        ? issue.message.slice(KNOWN_KEYS_PREFIX.length).split(',')
        : [];
      return issue.keys.map((key) => {
        const guess = suggest(key, known);
        const hint = guess
          ? `did you mean \`${guess}\`?`
          : known.length
            ? `expected one of: ${known.join(', ')}`
            : undefined;
        const where = field ? ` in \`${field}\`` : '';
        return error('unknown-field', `unknown field \`${key}\`${where}`, hint, 'key', [...path, key]);
      });
    }
    case 'invalid_type': {
      // zod says `nonoptional` for a required key of `unknown` type that is missing.
      if (actual === undefined || issue.expected === 'nonoptional') {
        const name = path.at(-1);
        const parent = path.slice(0, -1);
        const where = parent.length ? ` in \`${formatPath(parent)}\`` : '';
        return [
          error(
            'missing-field',
            `missing required field \`${String(name)}\`${where}`,
            `add \`${String(name)}:\` with ${typeWords(issue.expected)}`,
            'key',
            parent,
          ),
        ];
      }
      return [
        error('invalid-type', `\`${field || 'value'}\` must be ${typeWords(issue.expected)}, got ${describe(actual)}`),
      ];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options?.map(String) ?? [];
        if (actual === undefined) {
          return [
            error(
              'missing-field',
              `missing required field \`${issue.discriminator}\` in \`${formatPath(path.slice(0, -1)) || 'file'}\``,
              `add \`kind:\` with one of: ${options.join(', ')}`,
              'key',
              path.slice(0, -1),
            ),
          ];
        }
        const guess = typeof actual === 'string' ? suggest(actual, options) : undefined;
        return [
          error(
            'invalid-value',
            `\`${field}\` must be one of: ${options.join(', ')}; got ${describe(actual)}`,
            guess ? `did you mean \`${guess}\`?` : undefined,
          ),
        ];
      }
      return convertUnion(issue, source, path, actual, error);
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      const guess = typeof actual === 'string' ? suggest(actual, options) : undefined;
      const list = options.length === 1 ? `\`${options[0]}\`` : `one of: ${options.join(', ')}`;
      return [
        error(
          'invalid-value',
          `\`${field}\` must be ${list}; got ${describe(actual)}`,
          guess ? `did you mean \`${guess}\`?` : undefined,
        ),
      ];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive ?? true;
      if (issue.origin === 'array' || issue.origin === 'set') {
        const word = issue.code === 'too_small' ? 'at least' : 'at most';
        return [
          error('invalid-value', `\`${field}\` must have ${word} ${String(bound)} item${bound === 1 ? '' : 's'}`),
        ];
      }
      if (issue.origin === 'string') {
        const word = issue.code === 'too_small' ? 'at least' : 'at most';
        return [
          error('invalid-value', `\`${field}\` must have ${word} ${String(bound)} character${bound === 1 ? '' : 's'}`),
        ];
      }
      const op = issue.code === 'too_small' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
      return [error('invalid-value', `\`${field}\` must be ${op} ${String(bound)}, got ${describe(actual)}`)];
    }
    case 'invalid_format':
      // A RefField's template branch: the value had neither the field's type nor `{{ }}`.
      if (issue.message.includes('`{{ … }}` template')) {
        const options = issue.message.startsWith('expected one of')
          ? [...issue.message.matchAll(/`([^`{]+)`/g)].map((m) => m[1]!)
          : [];
        const guess = typeof actual === 'string' && options.length ? suggest(actual, options) : undefined;
        return [
          error(
            options.length ? 'invalid-value' : 'invalid-type',
            `\`${field}\` must be ${issue.message.replace(/^expected /, '')}, got ${describe(actual)}`,
            guess ? `did you mean \`${guess}\`?` : undefined,
          ),
        ];
      }
      return [
        error(
          'invalid-value',
          `\`${field || 'value'}\`: ${issue.message}${actual !== undefined ? `, got ${describe(actual)}` : ''}`,
        ),
      ];
    case 'custom': {
      // Rules written as refinements name their own diagnostic code (and hint), and point at the key.
      const own = issue.params as { code?: DiagnosticCode; hint?: string } | undefined;
      if (own?.code) return [error(own.code, issue.message, own.hint, 'key')];
      return [error('invalid-value', `\`${field || 'value'}\`: ${issue.message}`)];
    }
    default:
      return [
        error(
          'invalid-value',
          `\`${field || 'value'}\`: ${issue.message}${actual !== undefined ? `, got ${describe(actual)}` : ''}`,
        ),
      ];
  }
}

/**
 * A plain union failed every branch. When exactly one branch got past the top-level type
 * check, its issues are the real problem (e.g. a typo inside a mapping that could also have
 * been a template string); otherwise say which types were accepted.
 */
function convertUnion(
  issue: z.core.$ZodIssueInvalidUnion,
  source: SourceFile,
  path: Path,
  actual: unknown,
  error: (code: DiagnosticCode, message: string) => Diagnostic,
): Diagnostic[] {
  const deep = issue.errors.filter(
    (branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  if (deep.length === 1)
    return deep[0]!.flatMap((inner) => convert(inner, source, [...path, ...(inner.path as (string | number)[])]));
  const accepted = [
    ...new Set(
      issue.errors.flatMap((branch) =>
        branch
          .filter((inner) => inner.path.length === 0)
          .map((inner) => (inner.code === 'invalid_type' ? typeWords(inner.expected) : inner.message)),
      ),
    ),
  ];
  return [
    error(
      'invalid-type',
      `\`${formatPath(path) || 'value'}\` must be ${accepted.join(' or ')}, got ${describe(actual)}`,
    ),
  ];
}

/** Describes a value briefly for "got …" messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  if (typeof value === 'number' && Number.isInteger(value)) return `the integer ${value}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}

/** The raw value at `path`, matching snake_case keys to camelCase segments like `locate`. */
function valueAt(root: unknown, path: Path): unknown {
  let node: unknown = root;
  for (const segment of path) {
    // A short-form param (`lr: 0.01`) is its own value: stay on it for the `value` segment.
    if (node === null || typeof node !== 'object' || node instanceof Date) {
      if (segment === 'value') continue;
      return undefined;
    }
    if (Array.isArray(node)) {
      node = typeof segment === 'number' ? node[segment] : undefined;
      continue;
    }
    const record = node as Record<string, unknown>;
    const key = Object.hasOwn(record, segment)
      ? String(segment)
      : Object.keys(record).find((k) => camelCase(k) === segment);
    if (key === undefined)
      return segment === 'value' && !('value' in record) && Object.keys(record).length > 0 ? node : undefined;
    node = record[key];
  }
  return node;
}
