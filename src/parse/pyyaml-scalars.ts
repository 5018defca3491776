import type { ScalarTag, Tags } from 'yaml';

/**
 * Plain scalars resolved exactly as PyYAML's SafeLoader resolves them, since that is how Polyaxon
 * reads every file. PyYAML implements YAML 1.1 with its own regular expressions, which differ from
 * the 1.1 schema of the `yaml` package in ways real files hit:
 *
 *   1e3, 1e-3, 1.0e3   strings: a float needs a dot, and an exponent needs its sign (1.0e+3)
 *   08, 09             strings: a leading 0 means octal, and 8 is no octal digit
 *   0:1                a string: base-60 integers start with 1-9 (1:30 is 90)
 *   -.5                a string: only unsigned floats may start with a dot
 *   y, n               strings: only yes/no, true/false and on/off are booleans
 *   2021-1-1           a string: a date alone needs two-digit months and days
 *
 * Integers PyYAML keeps exactly (Python's are unbounded) but a JavaScript number cannot are
 * reported (`imprecise-number`, see IMPRECISE) rather than silently rounded.
 */

const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** Starts the message of the error an imprecise integer raises, so the parser can give it its code. */
export const IMPRECISE = 'imprecise integer:';

/** The exact value of a PyYAML integer literal, as Python's construct_yaml_int computes it. */
export function pyyamlInteger(text: string): bigint | undefined {
  let value = text.replace(/_/g, '');
  let sign = 1n;
  if (value[0] === '-' || value[0] === '+') {
    if (value[0] === '-') sign = -1n;
    value = value.slice(1);
  }
  if (value === '0') return 0n;
  try {
    if (value.startsWith('0b')) return sign * BigInt(value);
    if (value.startsWith('0x')) return sign * BigInt(value);
    if (value.startsWith('0')) return sign * BigInt(`0o${value.slice(1)}`);
    if (value.includes(':')) return sign * value.split(':').reduce((sum, part) => sum * 60n + BigInt(part), 0n);
    return sign * BigInt(value);
  } catch {
    return undefined; // `0b_`, `0x_`: PyYAML fails too (Python's int() refuses an empty number)
  }
}

/** PyYAML's construct_yaml_float. */
function pyyamlFloat(text: string): number {
  let value = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (value[0] === '-' || value[0] === '+') {
    if (value[0] === '-') sign = -1;
    value = value.slice(1);
  }
  if (value === '.inf') return sign * Infinity;
  if (value === '.nan') return NaN;
  if (value.includes(':')) return sign * value.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
  return sign * Number(value);
}

/** PyYAML's construct_yaml_timestamp: a date at midnight UTC, or a time in its zone (UTC without one). */
function pyyamlTimestamp(text: string): Date {
  const match =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/.exec(
      text,
    )!;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((n) => Number(n ?? 0));
  const millis = Number(((match[7] ?? '') + '000').slice(0, 3));
  let time = Date.UTC(year!, month! - 1, day, hour, minute, second, millis);
  // Python's datetime refuses what Date.UTC would roll over (2021-13-01, 10:61:00): so do we.
  const check = new Date(time);
  if (check.getUTCMonth() !== month! - 1 || check.getUTCDate() !== day! || hour! > 23 || minute! > 59 || second! > 59)
    return new Date(NaN);
  if (match[9]) time -= (match[9] === '-' ? -1 : 1) * (Number(match[10]) * 60 + Number(match[11] ?? 0)) * 60_000;
  return new Date(time);
}

const int: ScalarTag = {
  identify: (value) => typeof value === 'bigint' || Number.isInteger(value),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: INT,
  resolve(text, onError) {
    const exact = pyyamlInteger(text);
    if (exact === undefined) {
      onError(`\`${text}\` is not a number PyYAML can read`);
      return 0;
    }
    const value = Number(exact);
    // Kept when the number is exact and prints back as the same digits (2**60 does, 10**21 would print 1e+21).
    if (BigInt(value) !== exact || String(value) !== exact.toString())
      onError(`${IMPRECISE} ${text} has more digits than a JavaScript number keeps exactly`);
    return value;
  },
};

const float: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:float',
  test: FLOAT,
  resolve: pyyamlFloat,
};

const bool = (value: boolean): ScalarTag => ({
  identify: (v) => v === value,
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: value ? TRUE : FALSE,
  resolve: () => value,
});

const timestamp: ScalarTag = {
  identify: (value) => value instanceof Date,
  default: true,
  tag: 'tag:yaml.org,2002:timestamp',
  test: TIMESTAMP,
  resolve(text, onError) {
    const date = pyyamlTimestamp(text);
    if (Number.isNaN(date.getTime())) onError(`\`${text}\` is not a valid date or time`);
    return date;
  },
};

const REPLACED = new Set([
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:timestamp',
]);

/**
 * The `yaml` package's 1.1 tags with the implicit int, float, bool and timestamp resolution
 * replaced by PyYAML's (`customTags` of the parse options). Explicit tags keep working.
 */
export function pyyamlTags(tags: Tags): Tags {
  const kept = tags.filter((tag) => typeof tag === 'string' || !REPLACED.has(tag.tag) || !('test' in tag) || !tag.test);
  return [bool(true), bool(false), int, float, timestamp, ...kept];
}
