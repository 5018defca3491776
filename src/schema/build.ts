import { z } from 'zod';
import { cache } from './cache.js';
import { fullFormParams } from './param.js';
import { refOr, strict, stringList, template } from './primitives.js';

export const PATCH_STRATEGIES = ['replace', 'isnull', 'post_merge', 'pre_merge'] as const;

/** V1Build (spec §8.12): a builder operation that runs before the main one. */
export const build = strict({
  hubRef: z.string().min(1),
  connection: z.string().optional(),
  presets: refOr(stringList).optional(),
  queue: z.string().optional(),
  namespace: z.string().optional(),
  cache: refOr(cache).optional(),
  params: z.record(z.string(), z.union([fullFormParams.valueType, template])).optional(),
  runPatch: z.record(z.string(), z.unknown()).optional(),
  patchStrategy: refOr(z.enum(PATCH_STRATEGIES)).optional(),
});
export type Build = z.infer<typeof build>;
