import type { z } from 'zod';
import { k8sObject } from './k8s.js';
import { nonNegativeInt, refOr, strict } from './primitives.js';

/** V1Termination (spec §8.8): retries, timeout and clean-up delay, integers in seconds. */
export const termination = strict({
  maxRetries: refOr(nonNegativeInt).optional(),
  ttl: refOr(nonNegativeInt).optional(),
  timeout: refOr(nonNegativeInt).optional(),
  culling: strict({ timeout: refOr(nonNegativeInt).optional() }).optional(),
  probe: strict({ exec: k8sObject.optional(), http: k8sObject.optional() }).optional(),
  podFailurePolicy: k8sObject.optional(),
});
export type Termination = z.infer<typeof termination>;
