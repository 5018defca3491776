import { z } from 'zod';
import { laxBool, refOr, strict } from './primitives.js';
import { laxFloat } from './primitives-python.js';

const interval = {
  evaluationInterval: z.int().positive(),
  minInterval: z.int().nonnegative().optional(),
  minSamples: z.int().nonnegative().optional(),
};

const policy = z.discriminatedUnion('kind', [
  strict({ kind: z.literal('median'), ...interval, evaluationInterval: interval.evaluationInterval.optional() }),
  strict({
    kind: z.literal('truncation'),
    percent: laxFloat.optional(),
    ...interval,
    includeSucceeded: laxBool.optional(),
  }),
  strict({ kind: z.literal('diff'), percent: laxFloat.optional(), ...interval }),
]);

/** V1EarlyStopping (spec §8.7), on dags and matrices. */
export const earlyStopping = z.discriminatedUnion('kind', [
  strict({ kind: z.literal('failure_early_stopping'), percent: refOr(laxFloat.pipe(z.number().min(0).max(100))) }),
  strict({
    kind: z.literal('metric_early_stopping'),
    metric: z.string().min(1),
    value: refOr(laxFloat),
    optimization: z.union([z.enum(['maximize', 'minimize']), z.number()]),
    policy: policy.optional(),
  }),
]);
export type EarlyStopping = z.infer<typeof earlyStopping>;
