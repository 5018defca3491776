import { z } from 'zod';
import { earlyStopping } from './early-stopping.js';
import { params } from './param.js';
import { laxBool, positiveInt, refOr, strict, stringList } from './primitives.js';
import { laxFloat } from './primitives-python.js';

/**
 * Matrix (spec §7): hyper-parameter spaces and the search that explores them.
 * Each hyper-parameter `value` accepts the list, `"a:b:c"` string and mapping forms Polyaxon does.
 */

/** Range bounds are Python floats: `1e-3`, which PyYAML reads as text, is 0.001. */
const num = laxFloat;
/** `"0.01:0.1:5"`: colon-separated numbers (dates for date ranges). */
const colonString = (parts: number, optional = 0) =>
  z
    .string()
    .refine((s) => !s.includes('{{') && s.split(':').length >= parts && s.split(':').length <= parts + optional, {
      error: `expected ${parts}${optional ? ` to ${parts + optional}` : ''} values separated by \`:\``,
    });

/** `start`, `stop` and the third value (`step`, `num`) of a range or space, in any of its forms. */
function bounds(value: unknown): unknown[] {
  if (typeof value === 'string') return value.includes('{{') ? [] : value.split(':').map(Number);
  if (Array.isArray(value)) return value;
  const { start, stop, step, num: count } = value as Record<string, unknown>;
  return [start, stop, step ?? count];
}

/** Polyaxon's check of a range or space: `stop` strictly above `start`, and a third value that is not 0. */
const ordered = <T extends z.ZodType>(schema: T) =>
  schema.superRefine((value, context) => {
    const [start, stop, third] = bounds(value);
    if (typeof start === 'number' && typeof stop === 'number' && start >= stop)
      context.addIssue({ code: 'custom', message: `\`stop\` (${stop}) must be above \`start\` (${start})` });
    if (third === 0) context.addIssue({ code: 'custom', message: 'the third value (`step` or `num`) cannot be 0' });
  });

const rangeValue = z.union([colonString(3), z.tuple([num, num, num]), strict({ start: num, stop: num, step: num })]);
const spaceValue = z.union([
  colonString(3, 1),
  z.tuple([num, num, num]),
  z.tuple([num, num, num, num]),
  strict({ start: num, stop: num, num: num, base: num.optional() }),
]);
const dateRangeValue = z.union([
  z.tuple([z.unknown(), z.unknown(), num]),
  strict({ start: z.unknown(), stop: z.unknown(), step: num }),
]);
const lowHigh = z.union([
  colonString(2, 1),
  z.tuple([num, num]),
  z.tuple([num, num, num]),
  strict({ low: num, high: num, size: num.optional() }),
]);
const lowHighQ = z.union([
  colonString(3, 1),
  z.tuple([num, num, num]),
  z.tuple([num, num, num, num]),
  strict({ low: num, high: num, q: num, size: num.optional() }),
]);
const locScale = z.union([
  colonString(2, 1),
  z.tuple([num, num]),
  z.tuple([num, num, num]),
  strict({ loc: num, scale: num, size: num.optional() }),
]);
const locScaleQ = z.union([
  colonString(3, 1),
  z.tuple([num, num, num]),
  z.tuple([num, num, num, num]),
  strict({ loc: num, scale: num, q: num, size: num.optional() }),
]);
/** `[value, probability]` pairs; Polyaxon refuses probabilities that sum to more than 1. */
const pchoiceValue = z
  .array(z.tuple([z.unknown(), z.number().min(0).lt(1)]))
  .min(1)
  .superRefine((pairs, context) => {
    // Summed in order, as Python's sum() does, so the same rounding decides.
    const total = pairs.reduce((sum, [, probability]) => sum + probability, 0);
    if (total > 1)
      context.addIssue({
        code: 'custom',
        message: `the probabilities sum to ${total}, more than 1`,
        params: { hint: 'make the probabilities of the outcomes add up to 1' },
      });
  });

const hp = <K extends string, V extends z.ZodType>(kind: K, value: V) =>
  strict({ kind: z.literal(kind), value: refOr(value) });
/** A range or space: checked in order once its form is known (a template has no bounds yet). */
const hpOrdered = <K extends string, V extends z.ZodType>(kind: K, value: V) =>
  strict({ kind: z.literal(kind), value: ordered(refOr(value)) });

export const DISTRIBUTIONS = [
  'pchoice',
  'uniform',
  'quniform',
  'loguniform',
  'qloguniform',
  'normal',
  'qnormal',
  'lognormal',
  'qlognormal',
] as const;
export const RANGE_KINDS = [
  'range',
  'linspace',
  'logspace',
  'geomspace',
  'uniform',
  'quniform',
  'loguniform',
  'qloguniform',
  'normal',
  'qnormal',
  'lognormal',
  'qlognormal',
] as const;

/** One hyper-parameter: its kind and the value space. */
export const hyperParam = z.discriminatedUnion('kind', [
  // Polyaxon takes an empty choice; the run then has no value (empty-matrix, when transpiled).
  hp('choice', z.array(z.unknown())),
  hp('pchoice', pchoiceValue),
  hpOrdered('range', rangeValue),
  hpOrdered('linspace', spaceValue),
  hpOrdered('logspace', spaceValue),
  hpOrdered('geomspace', spaceValue),
  hp('daterange', dateRangeValue),
  hp('datetimerange', dateRangeValue),
  hp('uniform', lowHigh),
  hp('loguniform', lowHigh),
  hp('quniform', lowHighQ),
  hp('qloguniform', lowHighQ),
  hp('normal', locScale),
  hp('lognormal', locScale),
  hp('qnormal', locScaleQ),
  hp('qlognormal', locScaleQ),
]);
export type HyperParam = z.infer<typeof hyperParam>;

const space = z.record(z.string(), hyperParam);
const metric = strict({ name: z.string().min(1), optimization: z.enum(['maximize', 'minimize']).optional() });
const tuner = strict({
  hubRef: z.string().min(1),
  presets: stringList.optional(),
  queue: z.string().optional(),
  namespace: z.string().optional(),
  params: params.optional(),
});
const common = {
  concurrency: refOr(positiveInt).optional(),
  earlyStopping: refOr(z.array(earlyStopping)).optional(),
};
const tuned = { ...common, seed: refOr(z.int()).optional(), tuner: tuner.optional() };
/**
 * Kinds whose counts Polyaxon compares with 1 before reading them (`if v and v < 1`): a template
 * there fails its check (a string cannot be compared with a number), so only numbers are taken.
 */
const counted = { concurrency: positiveInt.optional() };

/** zod's issue code for refinements. */
const ZOD_CUSTOM = 'custom' as const;

const utilityFunction = strict({
  acquisitionFunction: z.enum(['ucb', 'ei', 'poi']).optional(),
  gaussianProcess: strict({
    kernel: z.enum(['matern', 'rbf']).optional(),
    lengthScale: laxFloat.optional(),
    nu: laxFloat.optional(),
    numRestartsOptimizer: z.int().optional(),
  }).optional(),
  kappa: laxFloat.optional(),
  eps: laxFloat.optional(),
  numWarmup: z.int().optional(),
  numIterations: z.int().optional(),
}).superRefine((utility, context) => {
  // Polyaxon's validator: ucb (the default) needs kappa; ei and poi need eps.
  const acquisition = utility.acquisitionFunction ?? 'ucb';
  const needed = acquisition === 'ucb' ? 'kappa' : 'eps';
  if (utility[needed] === undefined)
    context.addIssue({
      code: ZOD_CUSTOM,
      path: [needed],
      message: `the acquisition function \`${acquisition}\` needs \`${needed}\``,
    });
});

/** V1Matrix, discriminated by `kind`. */
export const matrix = z.discriminatedUnion('kind', [
  strict({
    kind: z.literal('mapping'),
    values: refOr(z.array(z.record(z.string(), z.unknown())).min(1)),
    ...common,
    ...counted,
  }),
  strict({ kind: z.literal('grid'), params: space, numRuns: positiveInt.optional(), ...common, ...counted }),
  strict({
    kind: z.literal('random'),
    params: space,
    numRuns: positiveInt,
    seed: refOr(z.int()).optional(),
    ...common,
    ...counted,
  }),
  strict({
    kind: z.literal('hyperband'),
    // Polyaxon iterates them to check `resource` is not one of them: without them it fails.
    params: space,
    maxIterations: refOr(positiveInt).optional(),
    eta: refOr(laxFloat.pipe(z.number().nonnegative())).optional(),
    resource: strict({ name: z.string().min(1), type: z.enum(['int', 'float']).optional() }).optional(),
    metric: metric.optional(),
    resume: refOr(laxBool).optional(),
    ...tuned,
  }),
  strict({
    kind: z.literal('bayes'),
    numInitialRuns: refOr(positiveInt),
    maxIterations: refOr(positiveInt),
    metric,
    params: space,
    utilityFunction: utilityFunction.optional(),
    ...tuned,
  }),
  strict({
    kind: z.literal('tpe'),
    metric,
    params: space,
    maxIterations: refOr(positiveInt).optional(),
    numRuns: positiveInt.optional(),
    ...tuned,
    ...counted,
  }),
  // Polyaxon 2.18 dropped `hyperopt` for `tpe`: refused with that advice (the kind stays known so
  // the message can say so).
  strict({
    kind: z.literal('hyperopt'),
    metric,
    params: space,
    algorithm: z.enum(['tpe', 'rand', 'anneal']).optional(),
    maxIterations: refOr(positiveInt).optional(),
    numRuns: refOr(positiveInt).optional(),
    ...tuned,
  }).refine(() => false, {
    error: '`hyperopt` matrices were replaced by `tpe` in Polyaxon 2.18 (the same fields, without `algorithm`)',
    path: ['kind'],
  }),
  strict({ kind: z.literal('iterative'), maxIterations: positiveInt, params: space.optional(), ...tuned, ...counted }),
]);
export type Matrix = z.infer<typeof matrix>;
