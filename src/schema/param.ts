import { z } from 'zod';
import { laxBool, strict } from './primitives.js';
import { envVarName } from './k8s.js';

const FULL_FORM_KEYS = new Set([
  'value',
  'ref',
  'contextOnly',
  'connection',
  'toInit',
  'toEnv',
  'context_only',
  'to_init',
  'to_env',
]);

/**
 * Short form (spec §5.2): anything that is not a mapping with one of the V1Param keys is the
 * param's value. `lr: 0.01` is `lr: {value: 0.01}`; `opt: {kind: adam}` is a dict value.
 */
export function expandShortForm(raw: unknown): unknown {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Date)) {
    const keys = Object.keys(raw);
    if (keys.length === 0 || keys.some((k) => FULL_FORM_KEYS.has(k))) return camelKeys(raw);
  }
  return { value: raw };
}

/** `to_env` → `toEnv`: Polyaxon reads V1Param's fields in either spelling. */
function camelKeys(raw: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw))
    out[key.includes('_') ? key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : key] = value;
  return out;
}

const fullForm = strict({
  value: z.unknown().optional(),
  ref: z.string().optional(),
  contextOnly: laxBool.optional(),
  connection: z.string().optional(),
  toInit: laxBool.optional(),
  toEnv: envVarName.optional(),
});

/** V1Param (spec §5.1). */
export const param = z.preprocess(expandShortForm, fullForm);
export type Param = z.infer<typeof param>;

export const params = z.record(z.string(), param);

/**
 * Params of hooks and builds: Polyaxon reads them as V1Param objects without the short form
 * (only operations' `params` expand it), so `message: done` is refused there.
 */
export const fullFormParams = z.record(
  z.string(),
  z.preprocess(
    (raw) =>
      raw !== null && typeof raw === 'object' && !Array.isArray(raw) && !(raw instanceof Date) ? camelKeys(raw) : raw,
    fullForm,
  ),
);
