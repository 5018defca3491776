import { z } from 'zod';
import { laxBool, strict } from './primitives.js';
import { envVarName } from './k8s.js';

/** V1Validation: constraints checked on a value (spec §4.4). */
export const validation = strict({
  delay: laxBool.optional(),
  gt: z.number().optional(),
  ge: z.number().optional(),
  lt: z.number().optional(),
  le: z.number().optional(),
  multipleOf: z.number().optional(),
  minDigits: z.int().optional(),
  maxDigits: z.int().optional(),
  decimalPlaces: z.int().optional(),
  regex: z.string().optional(),
  minLength: z.int().optional(),
  maxLength: z.int().optional(),
  contains: z.unknown().optional(),
  excludes: z.unknown().optional(),
  options: z.array(z.unknown()).optional(),
  minItems: z.int().optional(),
  maxItems: z.int().optional(),
  keys: z.array(z.string()).optional(),
  containsKeys: z.array(z.string()).optional(),
  excludesKeys: z.array(z.string()).optional(),
});
export type Validation = z.infer<typeof validation>;

/** V1IO: one input or output of a component (spec §4.1). */
export const io = strict({
  name: z.string().min(1),
  description: z.string().optional(),
  type: z.string().optional(),
  value: z.unknown().optional(),
  // `isOptional: null` is kept: with a default `value`, Polyaxon reads it as `false` (and refuses).
  isOptional: laxBool.nullable().optional(),
  isList: laxBool.optional(),
  isFlag: laxBool.optional(),
  argFormat: z.string().optional(),
  connection: z.string().optional(),
  toInit: laxBool.optional(),
  toEnv: envVarName.optional(),
  validation: validation.optional(),
  delayValidation: laxBool.optional(),
  options: z.array(z.unknown()).optional(),
});
export type IO = z.infer<typeof io>;
