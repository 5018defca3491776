/**
 * Literal param values against IO types, the way Polyaxon's `validate_value` coerces them
 * (spec §4.2): lax for the common types, strict for pydantic's Strict* names, and refusing
 * every value for type names Polyaxon accepts in a definition but cannot validate.
 */

export type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (reason: string): Coerced => ({ ok: false, reason });

/** Types whose string values are JSON-decoded first (`"[1, 2]"` is a list). */
const LOADABLE = new Set([
  'int',
  'float',
  'bool',
  'dict',
  'Dict',
  'metadata',
  'list',
  'List',
  'artifacts',
  'git',
  'dockerfile',
  'file',
  'tensorboard',
  'event',
  'metric',
  'PositiveInt',
  'NonNegativeInt',
  'PositiveFloat',
  'NonNegativeFloat',
  'NegativeInt',
  'NegativeFloat',
  'NonPositiveInt',
  'NonPositiveFloat',
]);

export function coerce(type: string | undefined, value: unknown, isList = false): Coerced {
  if (isList) {
    const list = typeof value === 'string' ? decodeJson(value) : value;
    if (!Array.isArray(list)) return fail(`expected a list of ${type ?? 'values'}`);
    const out: unknown[] = [];
    for (const [index, item] of list.entries()) {
      const result = coerce(type, item);
      if (!result.ok) return fail(`item ${index}: ${result.reason}`);
      out.push(result.value);
    }
    return ok(out);
  }
  if (type === undefined || type === 'any' || type === 'Any') return ok(value);
  const base = genericBase(type);
  const input = typeof value === 'string' && LOADABLE.has(base) ? decodeJson(value) : value;
  switch (base) {
    case 'int':
      return toInt(input);
    case 'float':
    case 'metric':
      return toFloat(input);
    case 'bool':
      return toBool(input);
    case 'str':
      return ok(
        typeof input === 'string' ? input : input instanceof Date ? input.toISOString() : JSON.stringify(input),
      );
    case 'dict':
    case 'Dict':
    case 'metadata':
      return isMapping(input) ? ok(input) : fail('expected a mapping (or a JSON object string)');
    case 'list':
    case 'List':
      return Array.isArray(input)
        ? type === 'List[str]' && input.some((i) => typeof i !== 'string')
          ? fail('expected a list of strings')
          : ok(input)
        : fail('expected a list (or a JSON array string)');
    case 'path':
      return typeof input === 'string' ? ok(input) : fail('expected a path string');
    case 'uri':
      return typeof input === 'string' &&
        (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(input) || /^[^\s:@]+:[^\s@]+@[^\s:]+(:\d+)?$/.test(input))
        ? ok(input)
        : fail('expected a URI such as `s3://bucket/key` or `https://host/path`');
    case 's3':
      return typeof input === 'string' && /^s3:\/\/[^/\s]+(\/\S*)?$/.test(input)
        ? ok(input)
        : fail('expected `s3://bucket[/key]`');
    case 'gcs':
      return typeof input === 'string' && /^gc?s:\/\/[^/\s]+(\/\S*)?$/.test(input)
        ? ok(input)
        : fail('expected `gs://bucket[/blob]`');
    case 'wasb':
      return typeof input === 'string' && /^(wasbs?|https?|az|abfss?):\/\/\S+$/.test(input)
        ? ok(input)
        : fail('expected `wasbs://container@account.blob.core.windows.net/path`');
    case 'image':
      return toImage(input);
    case 'uuid':
      return typeof input === 'string' &&
        /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(input)
        ? ok(input.replace(/-/g, '').toLowerCase())
        : fail('expected a UUID');
    case 'email':
      return typeof input === 'string' && isEmail(input) ? ok(input) : fail('expected an e-mail address');
    case 'date':
      return toDate(input, false);
    case 'datetime':
      return toDate(input, true);
    case 'timedelta':
      return typeof input === 'number' ||
        (typeof input === 'string' &&
          /^(\d+(\.\d+)?|\d+:\d{1,2}:\d{1,2}|P(?:\d+[YMWD])*(?:T(?:[\d.]+[HMS])+)?)$/.test(input))
        ? ok(input)
        : fail('expected seconds, `HH:MM:SS` or an ISO-8601 duration');
    case 'git':
      return isMapping(input) && onlyKeys(input, ['url', 'revision', 'flags'])
        ? ok(input)
        : fail('expected a mapping `{url, revision, flags}`');
    case 'dockerfile':
      return isMapping(input) && typeof input.image === 'string'
        ? ok(input)
        : fail('expected a mapping with an `image`');
    case 'artifacts':
      return isMapping(input) && onlyKeys(input, ['files', 'dirs', 'workers'])
        ? ok(input)
        : fail('expected a mapping `{files, dirs, workers}`');
    case 'file':
      return isMapping(input) &&
        typeof input.content === 'string' &&
        onlyKeys(input, ['content', 'filename', 'kind', 'chmod'])
        ? ok(input)
        : fail('expected a mapping with `content` (and optional `filename`, `kind`, `chmod`)');
    case 'tensorboard':
      return isMapping(input) && onlyKeys(input, ['port', 'uuids', 'useNames', 'pathPrefix', 'plugins'])
        ? ok(input)
        : fail('expected a mapping `{port, uuids, useNames, pathPrefix, plugins}`');
    case 'event':
      return isMapping(input) && onlyKeys(input, ['name', 'kind'])
        ? ok(input)
        : fail('expected a mapping `{name, kind}`');
    case 'StrictInt':
      return Number.isInteger(value) ? ok(value) : fail('expected an integer (strict: no conversion)');
    case 'StrictFloat':
      return typeof value === 'number' && !Number.isInteger(value)
        ? ok(value)
        : fail('expected a float (strict: no conversion)');
    case 'StrictStr':
      return typeof value === 'string' ? ok(value) : fail('expected a string (strict: no conversion)');
    case 'StrictBool':
      return typeof value === 'boolean' ? ok(value) : fail('expected true or false (strict: no conversion)');
    case 'PositiveInt':
    case 'NonNegativeInt':
    case 'NegativeInt':
    case 'NonPositiveInt':
      return signed(toInt(input), base);
    case 'PositiveFloat':
    case 'NonNegativeFloat':
    case 'NegativeFloat':
    case 'NonPositiveFloat':
      return signed(toFloat(input), base);
    default:
      return fail(
        `values of type \`${type}\` cannot be validated: Polyaxon accepts this type name in a definition but rejects every value`,
      );
  }
}

function genericBase(type: string): string {
  const match = /^(Dict|List)\[.*\]$/.exec(type);
  return match ? match[1]! : type;
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
const onlyKeys = (value: Record<string, unknown>, keys: string[]) => Object.keys(value).every((k) => keys.includes(k));

function toInt(value: unknown): Coerced {
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'number' && Number.isInteger(value)) return ok(value);
  if (typeof value === 'string' && /^\s*[-+]?\d+(\.0*)?\s*$/.test(value)) return ok(Math.trunc(Number(value)));
  return fail('expected an integer');
}

function toFloat(value: unknown): Coerced {
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return ok(Number(value));
  return fail('expected a number');
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'f', 'n']);

function toBool(value: unknown): Coerced {
  if (typeof value === 'boolean') return ok(value);
  if (value === 1 || value === 0) return ok(value === 1);
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
  }
  return fail('expected true or false');
}

/**
 * Polyaxon's image check (clipped's validate_image), quirks included: a mapping is read for its
 * `name` (the legacy `{name, connection}` form), a template passes, a space fails, and after
 * stripping the characters of `https://` from both ends there are at most three `:` parts, the
 * middle one of three holding a `/` (`registry:port/name:tag`).
 */
function toImage(value: unknown): Coerced {
  const image = isMapping(value) && Object.keys(value).length > 0 ? value.name : value;
  if (image === undefined || image === null || image === '' || image === 0 || image === false || isEmpty(image))
    return fail('expected a container image such as `python:3.12`');
  if (typeof image !== 'string') return fail('expected a container image such as `python:3.12` (a string)');
  if (hasOneLineTemplate(image)) return ok(image);
  if (image.includes(' ')) return fail('an image name cannot contain spaces');
  const parts = strip(image, 'htps:/').split(':');
  if (parts.length > 3 || (parts.length === 3 && (!parts[1]!.includes('/') || parts[1]!.startsWith('/'))))
    return fail('an image name has at most one `:tag` (plus an optional `registry:port/`)');
  return ok(image);
}

/**
 * Python's `/\{\{.+\}\}/` search: `{{`, at least one character, `}}`, on one line. The first
 * `{{` of a line decides, so each line is scanned once (the regex retried from every `{{`).
 */
function hasOneLineTemplate(text: string): boolean {
  return text.split(/[\n\r\u2028\u2029]/).some((line) => {
    const open = line.indexOf('{{');
    return open !== -1 && line.indexOf('}}', open + 3) !== -1;
  });
}

/** Python's `text.strip(chars)`: every leading and trailing character that is one of `chars`. */
function strip(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

const isEmpty = (value: unknown) =>
  (Array.isArray(value) && value.length === 0) || (isMapping(value) && Object.keys(value).length === 0);

function toDate(value: unknown, withTime: boolean): Coerced {
  if (value instanceof Date) return ok(withTime ? value.toISOString() : value.toISOString().slice(0, 10));
  if (typeof value === 'number') return ok(new Date(value * 1000).toISOString());
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}/.test(value))
    return ok(value);
  return fail(
    withTime ? 'expected an ISO date-time such as `2024-01-31T12:00:00`' : 'expected an ISO date such as `2024-01-31`',
  );
}

function signed(result: Coerced, type: string): Coerced {
  if (!result.ok) return result;
  const n = result.value as number;
  const good = type.startsWith('Positive')
    ? n > 0
    : type.startsWith('NonNegative')
      ? n >= 0
      : type.startsWith('Negative')
        ? n < 0
        : n <= 0;
  return good
    ? result
    : fail(
        `expected a ${type
          .replace(/(Int|Float)$/, '')
          .toLowerCase()
          .replace('nonnegative', 'non-negative')
          .replace('nonpositive', 'non-positive')} number`,
      );
}

/**
 * `local@domain.tld`: one `@`, no white space, and a dot inside the domain. (The regex
 * `/^[^\s@]+@[^\s@]+\.[^\s@]+$/` says the same but backtracks quadratically on `a@.....@`.)
 */
function isEmail(text: string): boolean {
  if (/\s/.test(text)) return false;
  const parts = text.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1]!.slice(1, -1).includes('.');
}
