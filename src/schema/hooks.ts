import { z } from 'zod';
import { fullFormParams } from './param.js';
import { laxBool, refOr, strict, stringList } from './primitives.js';

export const HOOK_TRIGGERS = ['succeeded', 'failed', 'stopped', 'skipped', 'upstream_failed', 'done'] as const;

/** V1Hook (spec §8.4): an operation launched when the run ends with a matching status. */
export const hook = strict({
  hubRef: z.string().min(1),
  connection: z.string().optional(),
  trigger: z.enum(HOOK_TRIGGERS).nullable().optional(),
  conditions: z.string().optional(),
  presets: stringList.optional(),
  queue: z.string().optional(),
  namespace: z.string().optional(),
  params: refOr(fullFormParams).optional(),
  disableDefaults: laxBool.optional(),
});
export type Hook = z.infer<typeof hook>;
