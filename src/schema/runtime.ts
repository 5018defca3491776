import { z } from 'zod';
import { environment } from './environment.js';
import { init } from './init.js';
import { container, k8sObject, volume } from './k8s.js';
import { laxBool, positiveInt, refOr, strict } from './primitives.js';

/**
 * The runtimes a component's `run` can hold besides `dag` (spec §6): jobs, services and the
 * distributed kinds. The dag runtime lives with components and operations in polyaxonfile.ts,
 * since it contains them.
 */

const podShape = {
  environment: refOr(environment).optional(),
  connections: refOr(z.array(z.string())).optional(),
  volumes: refOr(z.array(volume)).optional(),
  init: refOr(z.array(init)).optional(),
  sidecars: refOr(z.array(container)).optional(),
  container: refOr(container).optional(),
};

const serviceShape = {
  ...podShape,
  ports: refOr(z.array(z.int())).optional(),
  rewritePath: refOr(laxBool).optional(),
  isExternal: refOr(laxBool).optional(),
  replicas: refOr(positiveInt).optional(),
};

const replicaObject = strict({ replicas: refOr(z.int().nonnegative()).optional(), ...podShape });
const replica = refOr(replicaObject);
/** Ray groups also size themselves and pass `ray start` flags. */
const rayReplicaObject = strict({
  replicas: refOr(z.int().nonnegative()).optional(),
  minReplicas: z.int().nonnegative().optional(),
  maxReplicas: z.int().nonnegative().optional(),
  rayStartParams: z.record(z.string(), z.unknown()).optional(),
  ...podShape,
});
const rayReplica = refOr(rayReplicaObject);

/** One replica of each distributed kind: what a `runPatch` meant for every replica must fit. */
export const REPLICAS = {
  tfjob: replicaObject,
  pytorchjob: replicaObject,
  mpijob: replicaObject,
  daskcluster: replicaObject,
  raycluster: rayReplicaObject,
} as const;
export type DistributedKind = keyof typeof REPLICAS;
const cleanPodPolicy = z.enum(['All', 'Running', 'None']).optional();
const passthrough = k8sObject.optional();

const distributedShapes = {
  tfjob: {
    chief: replica.optional(),
    ps: replica.optional(),
    worker: replica.optional(),
    evaluator: replica.optional(),
    cleanPodPolicy,
    schedulingPolicy: passthrough,
    enableDynamicWorker: laxBool.optional(),
    successPolicy: z.string().optional(),
  },
  pytorchjob: {
    master: replica.optional(),
    worker: replica.optional(),
    cleanPodPolicy,
    schedulingPolicy: passthrough,
    elasticPolicy: passthrough,
    nProcPerNode: z.union([z.int(), z.string()]).optional(),
  },
  mpijob: {
    launcher: replica.optional(),
    worker: replica.optional(),
    cleanPodPolicy,
    schedulingPolicy: passthrough,
    slotsPerWorker: z.int().optional(),
  },
  daskcluster: {
    worker: replica.optional(),
    scheduler: replica.optional(),
    minReplicas: z.int().optional(),
    maxReplicas: z.int().optional(),
  },
  raycluster: {
    head: rayReplica.optional(),
    workers: z.record(z.string(), rayReplica).optional(),
    entrypoint: z.string().optional(),
    runtimeEnv: z.record(z.string(), z.unknown()).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    rayVersion: z.string().optional(),
    enableInTreeAutoscaling: laxBool.optional(),
    autoscalerOptions: z.record(z.string(), z.unknown()).optional(),
  },
};

/** The fields of every runtime but `dag` (see polyaxonfile.ts), by kind, `kind` itself excluded. */
export const LEAF_RUNTIME_SHAPES = {
  job: podShape,
  notifier: podShape,
  cleaner: podShape,
  tuner: podShape,
  service: serviceShape,
  ...distributedShapes,
};
export type LeafRuntimeKind = keyof typeof LEAF_RUNTIME_SHAPES;

const variant = <Shape extends z.ZodRawShape, K extends string>(kind: K, shape: Shape) =>
  strict({ kind: z.literal(kind), ...shape });

/** Each non-dag runtime schema, by kind. */
export const LEAF_RUNTIMES = {
  job: variant('job', LEAF_RUNTIME_SHAPES.job),
  notifier: variant('notifier', LEAF_RUNTIME_SHAPES.notifier),
  cleaner: variant('cleaner', LEAF_RUNTIME_SHAPES.cleaner),
  tuner: variant('tuner', LEAF_RUNTIME_SHAPES.tuner),
  service: variant('service', LEAF_RUNTIME_SHAPES.service),
  tfjob: variant('tfjob', LEAF_RUNTIME_SHAPES.tfjob),
  pytorchjob: variant('pytorchjob', LEAF_RUNTIME_SHAPES.pytorchjob),
  mpijob: variant('mpijob', LEAF_RUNTIME_SHAPES.mpijob),
  daskcluster: variant('daskcluster', LEAF_RUNTIME_SHAPES.daskcluster),
  raycluster: variant('raycluster', LEAF_RUNTIME_SHAPES.raycluster),
};

export type Job = z.infer<typeof LEAF_RUNTIMES.job>;
