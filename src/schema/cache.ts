import { z } from 'zod';
import { laxBool, nonNegativeInt, refOr, strict } from './primitives.js';

/** V1Cache (spec §8.9). */
export const cache = strict({
  disable: refOr(laxBool).optional(),
  ttl: refOr(nonNegativeInt).optional(),
  io: z.array(z.string()).optional(),
  sections: z.array(z.enum(['init', 'connections', 'containers'])).optional(),
});
export type Cache = z.infer<typeof cache>;
