import { z } from 'zod';

/**
 * Building blocks shared by every Polyaxon schema. The schemas mirror Polyaxon 2.16 (schema
 * version 1.1): every object rejects keys it does not know, and many fields also accept a
 * `{{ … }}` template that Polyaxon renders later ("RefField").
 */

/** Marker that lets the issue formatter list an object's known keys for "did you mean". */
export const KNOWN_KEYS_PREFIX = 'known-keys:';

/**
 * An object that rejects unknown keys, like Polyaxon's models. An optional field given `null`
 * (`name: ~`, or `name:` with nothing after it) is absent, as pydantic reads None for an Optional
 * field; fields whose own type takes null (a param's `value`) keep it.
 */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = KNOWN_KEYS_PREFIX + Object.keys(shape).join(',');
  return z.strictObject(nullMeansAbsent(shape), {
    error: (issue) => (issue.code === 'unrecognized_keys' ? known : undefined),
  });
}

const TAKES_NULL = new Set(['unknown', 'any', 'nullable', 'null']);
const dropNull = (value: unknown) => (value === null ? undefined : value);

function nullMeansAbsent<Shape extends z.ZodRawShape>(shape: Shape): Shape {
  const out: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(shape) as [string, z.ZodType][]) {
    const def = field._zod.def as { type: string; innerType?: z.ZodType };
    const optional = def.type === 'optional' && !TAKES_NULL.has(def.innerType!._zod.def.type);
    out[key] = optional ? z.preprocess(dropNull, field) : field;
  }
  // The fields' outputs are unchanged (null never gets through), so the shape's type still describes them.
  return out as unknown as Shape;
}

/**
 * Text holding `{{` and, after it, `}}`. Written so the engine never backtracks more than one
 * step: everything before the first `{{` and between it and the first `}}` after it is matched
 * one character at a time. The plain `/\{\{[\s\S]*\}\}/` searched again from every `{{` to the
 * end: over a minute on 256 KiB of `{`.
 */
const TEMPLATE = /^(?:[^{]|\{(?!\{))*\{\{(?:[^}]|\}(?!\}))*\}\}/;

/** A string holding a Jinja template, e.g. `"{{ retries }}"`. */
export const template = z.string().regex(TEMPLATE, { error: 'expected a `{{ … }}` template' });

export const isTemplate = (value: unknown): boolean => typeof value === 'string' && TEMPLATE.test(value);

/** The field's normal type, or a `{{ … }}` template rendered at run time. */
export const refOr = <T extends z.ZodType>(schema: T) => z.union([schema, templateFor(describeSchema(schema))]);

/** One template schema per description: refOr is called for some sixty fields, and start-up time grows with each schema built. */
const templates = new Map<string, z.ZodString>();
function templateFor(description: string): z.ZodString {
  let schema = templates.get(description);
  if (!schema)
    templates.set(
      description,
      (schema = z.string().regex(TEMPLATE, { error: `expected ${description} or a \`{{ … }}\` template` })),
    );
  return schema;
}

/** A short English description of what a schema accepts, for error messages. */
export function describeSchema(schema: z.ZodType): string {
  if (schema.description) return schema.description;
  const def = schema._zod.def as { type: string; out?: z.ZodType; entries?: Record<string, string> };
  switch (def.type) {
    case 'pipe':
      return def.out ? describeSchema(def.out) : 'a value';
    case 'number':
      return typeWords((schema as z.ZodNumber).format === 'safeint' ? 'int' : 'number');
    case 'enum':
      return `one of ${Object.values(def.entries ?? {})
        .map((v) => `\`${v}\``)
        .join(', ')}`;
    default:
      return typeWords(def.type);
  }
}

/** What a value of a zod type is called in messages: `int` → "an integer". */
export function typeWords(type: string): string {
  switch (type) {
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'date':
      return 'a date-time';
    default:
      return type === 'unknown' || type === 'any' ? 'a value' : `a ${type}`;
  }
}

export const int = z.int();
export const positiveInt = z.int().positive();
export const nonNegativeInt = z.int().nonnegative();

/** Polyaxon's booleans are pydantic's lax ones: `"true"`, `"Yes"`, `1`, `"t"` (not stripped of spaces). */
export const laxBool = z.preprocess((value) => {
  if (typeof value === 'string') {
    const word = value.toLowerCase();
    if (['true', 't', 'yes', 'y', 'on', '1'].includes(word)) return true;
    if (['false', 'f', 'no', 'n', 'off', '0'].includes(word)) return false;
  }
  if (value === 1) return true;
  if (value === 0) return false;
  return value;
}, z.boolean());

/** A list of strings that may also be written as one comma-separated string (`tags: a, b`). */
export const stringList = z.preprocess(
  (value) =>
    typeof value === 'string' && !isTemplate(value)
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  z.array(z.string()),
);

/** Polyaxon names: letters, digits, `-` and `_` (no dots, spaces or colons). */
export const name = z.string().regex(/^[-a-zA-Z0-9_]+$/, {
  error: 'expected a name of letters, digits, `-` and `_` only (no dots, spaces or colons)',
});

/** A plain string → string map (labels, annotations, node selectors); numbers are stringified as Polyaxon does. */
export const stringMap = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value)),
);

/**
 * Datetimes as pydantic reads them: YAML 1.1 timestamps arrive as Date objects; text must be an
 * ISO date or date-time (`2024-01-31`, `2024-01-31T10:00:00Z`) or a Unix timestamp.
 */
export const datetime = z.union([
  z.date().transform((d) => d.toISOString()),
  z.number().transform((n) => new Date(Math.abs(n) > 2e10 ? n : n * 1000).toISOString()),
  z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[-+]\d{2}(:?\d{2})?)?)?|-?\d+(\.\d+)?)$/, {
      error: 'expected an ISO date-time such as `2024-01-31T10:00:00Z`',
    }),
]);
