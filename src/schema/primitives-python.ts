import { z } from 'zod';

/**
 * What Python's float() (and so a lax pydantic float field) takes: numbers, booleans, and strings
 * like ` 1.1 `, `1e3`, `1_000.5`, `inf` or `nan` (surrounding white space and underscores
 * between digits allowed).
 */
const PYTHON_FLOAT_TEXT =
  /^\s*[-+]?(?:(?:\d(?:_?\d)*)(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d(?:_?\d)*)?\s*$|^\s*[-+]?(?:inf|infinity|nan)\s*$/i;

export const isPythonFloat = (value: unknown): boolean =>
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  (typeof value === 'string' && PYTHON_FLOAT_TEXT.test(value));

/** `version` anywhere (Polyaxon 2.18: optional, ignored, a lax float). */
export const version = z
  .unknown()
  .refine((value) => value === null || isPythonFloat(value), { error: 'expected a number' })
  .optional();

/** Python's float() of a text isPythonFloat accepts (underscores, `inf`, `nan`, surrounding spaces). */
function pythonFloat(text: string): number {
  const t = text.trim().replace(/_/g, '').toLowerCase();
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[-+]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  return Number(t);
}

/**
 * pydantic's lax float (Polyaxon's `float` and `FloatOrRef` fields): a number, a boolean, or text
 * Python reads as a float — which matters because PyYAML reads `1e-3` as text, and Polyaxon then
 * takes it as 0.001.
 */
export const laxFloat = z
  .union([
    z.number(),
    z.boolean().transform((b) => (b ? 1 : 0)),
    z
      .string()
      .refine((text) => PYTHON_FLOAT_TEXT.test(text), { error: 'expected a number' })
      .transform(pythonFloat),
  ])
  .describe('a number');
