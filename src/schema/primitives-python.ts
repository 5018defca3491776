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
