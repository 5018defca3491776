import { z } from 'zod';
import { cronProblem } from './cron.js';
import { datetime, laxBool, refOr, strict } from './primitives.js';

const common = {
  startAt: refOr(datetime).optional(),
  endAt: refOr(datetime).optional(),
  maxRuns: refOr(z.int().positive()).optional(),
  dependsOnPast: laxBool.optional(),
};

/** Seconds, `HH:MM:SS`, or ISO-8601 (`PT2M`). */
export const timedelta = z.union([
  z.number().positive(),
  z.string().regex(/^(\d+:\d{1,2}:\d{1,2}|P(?:\d+[YMWD])*(?:T(?:[\d.]+[HMS])+)?|\d+(\.\d+)?)$/, {
    error: 'expected seconds, `HH:MM:SS` or an ISO-8601 duration such as `PT2M`',
  }),
]);

/** V1Schedule (spec §8.1), discriminated by `kind`. */
export const schedule = z.discriminatedUnion('kind', [
  strict({
    kind: z.literal('cron'),
    cron: z.string().refine((value) => value.includes('{{') || cronProblem(value) === undefined, {
      error: (issue) => `invalid cron schedule: ${cronProblem(String(issue.input))}`,
    }),
    ...common,
  }),
  strict({ kind: z.literal('interval'), frequency: timedelta, ...common }),
  strict({ kind: z.literal('datetime'), startAt: refOr(datetime) }),
]);
export type Schedule = z.infer<typeof schedule>;
