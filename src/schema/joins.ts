import { z } from 'zod';
import { laxBool, refOr, strict } from './primitives.js';
import { envVarName } from './k8s.js';

/** A join param: like a V1Param but always full form (spec §8.10). */
const joinParam = strict({
  value: z.unknown(),
  ref: z.string().optional(),
  contextOnly: laxBool.optional(),
  connection: z.string().optional(),
  toInit: laxBool.optional(),
  toEnv: envVarName.optional(),
});

/** V1Join: collect values from runs matched by a query; creates no dag edge. */
export const join = strict({
  query: z.string().min(1),
  sort: z.string().optional(),
  limit: refOr(z.int().positive().max(5000)).optional(),
  offset: refOr(z.int().nonnegative()).optional(),
  ref: z.string().optional(),
  params: z.record(z.string(), joinParam).optional(),
});
export type Join = z.infer<typeof join>;
