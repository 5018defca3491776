import { encodeBraces } from './literal-braces.js';

/**
 * Polyaxon values → the strings Argo parameters carry. Strings stay as written; numbers and
 * booleans are their JSON text (`0.01`, `true`); lists and mappings are compact JSON (spec
 * §4.2 `str` coercion); null is the empty string. A literal `{{` is encoded, so that Argo
 * passes it on instead of expanding it (see literal-braces.ts).
 */
export function toParameterString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return encodeBraces(value);
  if (value instanceof Date) return value.toISOString();
  return encodeBraces(JSON.stringify(value));
}
