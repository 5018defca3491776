import { z } from 'zod';
import { build, PATCH_STRATEGIES } from './build.js';
import { cache } from './cache.js';
import { earlyStopping } from './early-stopping.js';
import { environment } from './environment.js';
import { eventTrigger } from './events.js';
import { hook } from './hooks.js';
import { io } from './io.js';
import { join } from './joins.js';
import { volume } from './k8s.js';
import { matrix } from './matrix.js';
import { params } from './param.js';
import { plugins } from './plugins.js';
import { laxBool, name, positiveInt, refOr, strict, stringList } from './primitives.js';
import { laxFloat, version } from './primitives-python.js';
import { LEAF_RUNTIMES, LEAF_RUNTIME_SHAPES } from './runtime.js';
import { schedule } from './schedule.js';
import { termination } from './termination.js';

/**
 * Components, operations and the dag runtime (spec §1–3). They nest: a dag holds operations
 * and components, an operation may hold an inline component, so they share one module.
 */

export const TRIGGERS = ['all_succeeded', 'all_failed', 'all_done', 'one_succeeded', 'one_failed', 'one_done'] as const;
export type Trigger = (typeof TRIGGERS)[number];

const mountItem = z.union([z.string(), strict({ from: z.string(), to: z.string().optional() })]);
const templateSection = strict({
  enabled: refOr(laxBool).optional(),
  description: z.string().optional(),
  fields: refOr(z.array(z.string())).optional(),
});

/** Fields shared by components and operations (BaseComponent, spec §1.2). */
const baseShape = {
  version,
  name: refOr(name).optional(),
  description: z.string().nullable().optional(),
  tags: stringList.optional(),
  presets: stringList.optional(),
  queue: z.string().optional(),
  namespace: z.string().optional(),
  cache: refOr(cache).optional(),
  termination: refOr(termination).optional(),
  plugins: refOr(plugins).optional(),
  build: refOr(build).optional(),
  hooks: refOr(z.array(hook)).optional(),
  isApproved: refOr(laxBool).optional(),
  cost: refOr(laxFloat).optional(),
  mount: z.array(mountItem).optional(),
  template: templateSection.optional(),
};
type Base = z.infer<z.ZodObject<typeof baseShape>>;

const lazyOperation: z.ZodType<Operation> = z.lazy(() => operation);
const lazyComponent: z.ZodType<Component> = z.lazy(() => component);

const dagShape = {
  operations: refOr(z.array(lazyOperation)).optional(),
  components: refOr(z.array(lazyComponent)).optional(),
  environment: refOr(environment).optional(),
  connections: refOr(z.array(z.string())).optional(),
  volumes: refOr(z.array(volume)).optional(),
  concurrency: refOr(positiveInt).optional(),
  earlyStopping: refOr(z.array(earlyStopping)).optional(),
};

export const RUNTIME_SHAPES = { ...LEAF_RUNTIME_SHAPES, dag: dagShape };
export type RuntimeKind = keyof typeof RUNTIME_SHAPES;

const dag = strict({ kind: z.literal('dag'), ...dagShape });

export const runtime = z.discriminatedUnion('kind', [
  LEAF_RUNTIMES.job,
  LEAF_RUNTIMES.notifier,
  LEAF_RUNTIMES.cleaner,
  LEAF_RUNTIMES.tuner,
  LEAF_RUNTIMES.service,
  LEAF_RUNTIMES.tfjob,
  LEAF_RUNTIMES.pytorchjob,
  LEAF_RUNTIMES.mpijob,
  LEAF_RUNTIMES.daskcluster,
  LEAF_RUNTIMES.raycluster,
  dag,
]);

/** An operation's `runPatch`: the fields of its component's run kind, all optional. */
export const runPatchFor = (kind: RuntimeKind) =>
  kind === 'dag'
    ? strict({ kind: z.literal('dag').optional(), ...dagShape })
    : strict({ kind: z.literal(kind).optional(), ...LEAF_RUNTIME_SHAPES[kind] });

export const componentShape = {
  ...baseShape,
  kind: z.literal('component').optional(),
  inputs: z.array(io).optional(),
  outputs: z.array(io).optional(),
  run: runtime,
};

export const component = strict(componentShape);

export const REFERENCE_FIELDS = ['hubRef', 'dagRef', 'urlRef', 'pathRef', 'component'] as const;

export const operationShape = {
  ...baseShape,
  kind: z.literal('operation').optional(),
  params: params.optional(),
  hubRef: z.string().min(1).optional(),
  dagRef: z.string().min(1).optional(),
  urlRef: z.string().min(1).optional(),
  pathRef: z.string().min(1).optional(),
  component: lazyComponent.optional(),
  patchStrategy: z.enum(PATCH_STRATEGIES).optional(),
  isPreset: laxBool.optional(),
  runPatch: z.record(z.string(), z.unknown()).optional(),
  schedule: schedule.optional(),
  events: refOr(z.array(eventTrigger)).optional(),
  matrix: matrix.optional(),
  joins: refOr(z.array(join)).optional(),
  dependencies: refOr(z.array(z.string())).optional(),
  trigger: refOr(z.enum(TRIGGERS)).optional(),
  conditions: z
    .string({ error: 'expected a string holding a `{{ … }}` expression, e.g. "{{ loss < 0.5 }}"' })
    .optional(),
  skipOnUpstreamSkip: laxBool.optional(),
};

export const operation = strict(operationShape);

type Io = z.infer<typeof io>;
export type Dag = Omit<z.infer<typeof dag>, 'operations' | 'components'> & {
  operations?: Operation[] | string;
  components?: Component[] | string;
};
export type Runtime = Exclude<z.infer<typeof runtime>, { kind: 'dag' }> | Dag;

export interface Component extends Base {
  kind?: 'component';
  inputs?: Io[];
  outputs?: Io[];
  run: Runtime;
}

type OperationFields = z.infer<z.ZodObject<Omit<typeof operationShape, 'component' | keyof typeof baseShape>>>;
export interface Operation extends Base, Omit<OperationFields, 'kind'> {
  kind?: 'operation';
  component?: Component;
}

/** Keys valid at the top of some Polyaxonfile, for the "Unexpected section" check (spec §1.1). */
export const TOP_LEVEL_KEYS = new Set([
  ...Object.keys(componentShape),
  ...Object.keys(operationShape),
  'connections',
  'operations',
  'contexts',
]);
