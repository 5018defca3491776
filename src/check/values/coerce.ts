import { artifacts, dockerfile, git } from '../../schema/init.js';

/**
 * Literal param values against IO types, the way Polyaxon's `validate_value` coerces them
 * (spec §4.2): lax for the common types, strict for pydantic's Strict* names, and refusing
 * every value for type names Polyaxon accepts in a definition but cannot validate.
 */

export type Coerced = { ok: true; value: unknown } | { ok: false; reason: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (reason: string): Coerced => ({ ok: false, reason });

/**
 * Types whose string values Polyaxon does NOT JSON-decode first (clipped's NON_LOADABLE); every
 * other type reads a string as JSON (`"[1, 2]"` is a list, `"12"` a number) and refuses a string
 * that is not JSON (`"+5"`, `"0o17"`, `"inf"`).
 */
const NON_LOADABLE = new Set([
  'any',
  'Any',
  'str',
  'bool',
  'path',
  'date',
  'datetime',
  'timedelta',
  'uuid',
  'email',
  'image',
  'uri',
  'gcs',
  's3',
  'wasb',
]);

export function coerce(type: string | undefined, value: unknown, isList = false): Coerced {
  return coerceValue(type, value, isList, true);
}

/** `decode`: read a string as JSON first (top-level values of loadable types; never list items). */
function coerceValue(type: string | undefined, value: unknown, isList: boolean, decode: boolean): Coerced {
  if (isList) {
    const list = typeof value === 'string' ? decodeJson(value) : value;
    if (!Array.isArray(list)) return fail(`expected a list of ${type ?? 'values'}`);
    const out: unknown[] = [];
    for (const [index, item] of list.entries()) {
      const result = coerceItem(type ?? 'any', item);
      if (!result.ok) return fail(`item ${index}: ${result.reason}`);
      out.push(result.value);
    }
    return ok(out);
  }
  if (type === undefined || type === 'any' || type === 'Any') return ok(value);
  const base = genericBase(type);
  let input = value;
  if (decode && typeof value === 'string' && !NON_LOADABLE.has(type)) {
    input = decodeJson(value);
    if (input === NOT_JSON) {
      // Say what the type wants; when the text would do but for being JSON (`+5`, `0x10`), say that.
      const asText = coerceValue(type, value, false, false);
      return asText.ok
        ? fail(`Polyaxon reads a ${type} given as text as JSON, and \`${abbreviate(value)}\` is not JSON`)
        : asText;
    }
  }
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
    case 'metadata': {
      if (!isMapping(input)) return fail('expected a mapping (or a JSON object string)');
      const itemType = genericArgument(type, 1);
      if (!itemType) return ok(input);
      for (const [key, item] of Object.entries(input)) {
        const result = coerceItem(itemType, item, true);
        if (!result.ok) return fail(`\`${key}\`: ${result.reason}`);
      }
      return ok(input);
    }
    case 'list':
    case 'List': {
      if (!Array.isArray(input)) return fail('expected a list (or a JSON array string)');
      const itemType = genericArgument(type, 0);
      if (!itemType) return ok(input);
      for (const [index, item] of input.entries()) {
        const result = coerceItem(itemType, item, true);
        if (!result.ok) return fail(`item ${index}: ${result.reason}`);
      }
      return ok(input);
    }
    case 'path':
      return typeof input === 'string' ? ok(input) : fail('expected a path string');
    case 'uri':
      // pydantic's AnyUrl: any absolute URL with a scheme (`python:3.12` is one), as WHATWG parses it.
      return typeof input === 'string' && URL.canParse(input)
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
      return typeof input === 'string' && isWasb(input)
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
      return toTimedelta(input);
    // The same shapes init items have (schema/init.ts), as Polyaxon types both with one model.
    case 'git':
      return isMapping(input) && git.safeParse(input).success
        ? ok(input)
        : fail('expected a mapping `{url, revision, flags}`');
    case 'dockerfile':
      return isMapping(input) && dockerfile.safeParse(input).success && toImage(input.image).ok
        ? ok(input)
        : fail('expected a mapping with an `image` (and the other dockerfile fields)');
    case 'artifacts':
      return isMapping(input) && artifacts.safeParse(input).success
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
      return isMapping(input) &&
        onlyKeys(input, ['name', 'kind']) &&
        Object.values(input).every((v) => v === null || typeof v === 'string')
        ? ok(input)
        : fail('expected a mapping `{name, kind}`');
    // Strict types convert nothing, but a string is still read as JSON first (`"12"` is a StrictInt).
    case 'StrictInt':
      // A float that happens to be whole (`12.0`, `1e3`) is still a float to Python.
      return Number.isInteger(input) &&
        Math.abs(input as number) < 2 ** 63 &&
        !(typeof value === 'string' && /[.eE]/.test(value))
        ? ok(input)
        : fail('expected an integer (strict: no conversion)');
    case 'StrictFloat':
      return typeof input === 'number' ? ok(input) : fail('expected a number (strict: no conversion)');
    case 'StrictStr':
      return typeof input === 'string' ? ok(input) : fail('expected a JSON string (strict: no conversion)');
    case 'StrictBool':
      return typeof input === 'boolean' ? ok(input) : fail('expected true or false (strict: no conversion)');
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

/** `List[int]` → `int` (index 0); `Dict[str, int]` → `int` (index 1). */
function genericArgument(type: string, index: number): string | undefined {
  const match = /^(?:Dict|List)\[(.*)\]$/.exec(type);
  const argument = match?.[1]!.split(',')[index]?.trim();
  return argument && argument !== 'Any' && argument !== 'any' ? argument : undefined;
}

const NOT_JSON = Symbol('not JSON');

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

const abbreviate = (text: string) => (text.length > 40 ? `${text.slice(0, 37)}...` : text);

/** An item of a list (or a value of a dict): pydantic's lax reading of the item type, no JSON decoding. */
function coerceItem(type: string, item: unknown, generic = false): Coerced {
  // In `List[str]` it is Python's str, which takes only strings; the `str` IO type (isList) takes anything.
  if (generic && type === 'str') return typeof item === 'string' ? ok(item) : fail('expected a string');
  return coerceValue(type, item, false, false);
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
const onlyKeys = (value: Record<string, unknown>, keys: string[]) => Object.keys(value).every((k) => keys.includes(k));

function toInt(value: unknown): Coerced {
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  // pydantic's lax int: an integral float within 64 bits.
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) return ok(value);
  if (typeof value === 'string' && /^\s*[-+]?\d+(\.0*)?\s*$/.test(value)) return ok(Math.trunc(Number(value)));
  return fail('expected an integer');
}

function toFloat(value: unknown): Coerced {
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'number') return ok(value); // YAML's .inf and .nan too: pydantic allows them
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return ok(Number(value));
  return fail('expected a number');
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', 'f', 'n']);

function toBool(value: unknown): Coerced {
  if (typeof value === 'boolean') return ok(value);
  if (value === 1 || value === 0) return ok(value === 1);
  if (typeof value === 'string') {
    const word = value.toLowerCase(); // pydantic does not strip white space
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

/** Midnight timestamps only, in seconds (or milliseconds above 2e10), from year 1 to 9999. */
function isMidnightTimestamp(seconds: number): boolean {
  const s = Math.abs(seconds) > 2e10 ? seconds / 1000 : seconds;
  // Python keeps microseconds: 1e-100 seconds is midnight.
  return Number.isFinite(s) && Math.round(s * 1e6) % 86_400_000_000 === 0 && s >= -62135596800 && s <= 253402214400;
}

/**
 * pydantic's lax date (Polyaxon's `date` and `datetime` types both read a date): a calendar date,
 * a datetime at midnight, or a timestamp at midnight; never a time of day.
 */
function toDate(value: unknown, withTime: boolean): Coerced {
  const date = (text: string) => (withTime ? text : text.slice(0, 10));
  if (value instanceof Date)
    return value.getTime() % 86_400_000 === 0
      ? ok(date(value.toISOString()))
      : fail('expected a date, without a time of day');
  if (typeof value === 'number' && isMidnightTimestamp(value))
    return ok(date(new Date(Math.abs(value) > 2e10 ? value : value * 1000).toISOString()));
  if (typeof value === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(value)) return toDate(Number(value), withTime);
    const match =
      /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:[Zz]|[-+]\d{2}(?::?\d{2})?)?)?$/.exec(
        value,
      );
    if (match) {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const calendar = new Date(Date.UTC(year, month - 1, day));
      const midnight =
        [match[4], match[5], match[6]].every((part) => !part || Number(part) === 0) && !/[1-9]/.test(match[7] ?? '');
      if (calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day && midnight) return ok(value);
    }
  }
  return fail(
    withTime
      ? 'expected a date such as `2024-01-31` (Polyaxon reads `datetime` as a date)'
      : 'expected a date such as `2024-01-31`',
  );
}

/** pydantic's lax timedelta: seconds, an ISO-8601 duration, or `[D day[s], ][-]HH:MM[:SS[.f]]`. */
function toTimedelta(value: unknown): Coerced {
  const limit = 999_999_999 * 86_400;
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'number')
    return Number.isFinite(value) && Math.abs(value) <= limit
      ? ok(value)
      : fail('expected a duration within 999,999,999 days');
  if (
    typeof value === 'string' &&
    (/^[-+]?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$/.test(
      value,
    ) ||
      /^[-+]?(\d+ days?, )?\d{1,2}:[0-5]\d(:[0-5]\d(\.\d+)?)?$/.test(value) ||
      /^[-+]?\d+d$/.test(value))
  )
    return ok(value);
  return fail('expected seconds, `HH:MM:SS` or an ISO-8601 duration such as `PT2M`');
}

/** clipped's WasbPath: a wasb(s) URL names `container@account.blob.core.windows.net`; https one `account.blob.core.windows.net`. */
function isWasb(text: string): boolean {
  const match = /^([a-z]+):\/\/([^/?#]*)/.exec(text);
  if (!match || !URL.canParse(text)) return false;
  const [, scheme, host] = match;
  if (scheme === 'wasb' || scheme === 'wasbs') return /^[^@]+@[^.]+\.blob\.core\.windows\.net/.test(host!);
  if (scheme === 'https') return /^[^@]+\.blob\.core\.windows\.net/.test(host!);
  return scheme === 'az' || scheme === 'abfs';
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
  // The local part holds RFC 5322 atext only (no `:` or spaces), as email-validator wants.
  if (!/^[\w!#$%&'*+/=?^`{|}~.-]+@/.test(text)) return false;
  if (/\s/.test(text)) return false;
  const parts = text.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1]!.slice(1, -1).includes('.');
}
