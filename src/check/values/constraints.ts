import type { Validation } from '../../schema/io.js';

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
  if (typeof value === 'string') {
    // Python's re.match: anchored at the start only.
    if (rules.regex !== undefined && !safeRegex(rules.regex)?.test(value))
      return `must match the pattern \`${rules.regex}\``;
    if (rules.minLength !== undefined && value.length < rules.minLength)
      return `must be at least ${rules.minLength} characters long`;
    if (rules.maxLength !== undefined && value.length > rules.maxLength)
      return `must be at most ${rules.maxLength} characters long`;
    if (rules.contains !== undefined && !value.includes(String(rules.contains)))
      return `must contain \`${String(rules.contains)}\``;
    if (rules.excludes !== undefined && value.includes(String(rules.excludes)))
      return `must not contain \`${String(rules.excludes)}\``;
  }
  return undefined;
}

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})`);
  } catch {
    return undefined;
  }
}
