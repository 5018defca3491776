import type { ArgoText } from '../argo/text.js';
import type { Condition } from './condition.js';
import type { Checked } from './checked.js';

/**
 * The bound model: a pipeline as checking decided it, and the only thing lowering reads.
 *
 * Binding (src/check/bind/) has resolved every reference, coerced every value, translated every
 * template into Argo text and refused what Argo cannot express, each at its place in the file.
 * What is left is a plain description of the Argo objects to write: no optional component, no
 * raw Polyaxon text, nothing lowering still has to check. Task names are final here (they appear
 * in references); template names are chosen by lowering, which shares identical templates.
 */
export interface BoundPipeline {
  kind: 'Workflow' | 'WorkflowTemplate';
  metadata: {
    /** `name`, or `generateName` (ends with `-`): exactly one is set. */
    name?: string;
    generateName?: string;
    namespace?: string;
    /** The pipeline's name (Argo form), for the pipeline label. */
    pipeline: string;
    description?: string;
    /** The top operation's tags and cost. */
    annotations: Record<string, string>;
  };
  /** The top operation: its template is the entrypoint. */
  root: BoundOperation;
  /** The entrypoint's inputs, as `spec.arguments.parameters` (no value: the submitter gives it). */
  arguments: { name: string; value?: ArgoText }[];
  volumes: Checked[];
  /** A dag pipeline's `termination.timeout`, for the whole workflow. */
  activeDeadlineSeconds?: number;
  /** The top operation's `termination.ttl`: the workflow is deleted that long after it ends. */
  ttl?: number;
  /** The one `termination.ttl` operations set for their own pods (Argo has one delay per workflow). */
  podTtl?: number;
  /** The top operation's hooks, run by an exit handler. */
  exitHooks: BoundHook[];
  schedule?: BoundSchedule;
  /** Early-stopping policies Argo cannot enforce, for the GitHub Action's watcher (an annotation). */
  watcherEarlyStopping: unknown[];
}

/** An operation: a task of its dag (or the workflow's entrypoint), running one template. */
export interface BoundOperation {
  /** The Polyaxon operation name. */
  name: string;
  /** Its Argo task name, unique in its dag, DNS-1123. */
  task: string;
  template: BoundTemplate;
  /** What the task passes to its template's inputs; an input left out takes its default. */
  arguments: ReadonlyMap<string, ArgoText>;
  depends?: Depends;
  when?: Condition;
  /** `isApproved: false`: the task waits for a suspended step of this name (`argo resume` approves). */
  approvalTask?: string;
  /** Lifecycle hooks of the task. */
  hooks: BoundHook[];
}

export type BoundTemplate = ContainerTemplate | ResourceTemplate | DagTemplate | MatrixTemplate;

interface TemplateBase {
  /** The name it would like (its component's, else its operation's); lowering makes names unique. */
  preferredName: string;
  inputs: TemplateInput[];
}

export interface TemplateInput {
  name: string;
  /** Present when a task may leave the input out. */
  default?: ArgoText;
  description?: ArgoText;
}

/** What an operation adds to its pods and template: Polyaxon's environment, termination, cache, queue. */
export interface PodSettings {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Pod fields Argo templates carry themselves. */
  nodeSelector?: Record<string, string>;
  affinity?: Checked;
  tolerations?: Checked[];
  serviceAccountName?: string;
  securityContext?: Checked;
  priorityClassName?: string;
  schedulerName?: string;
  hostAliases?: Checked[];
  /** Pod fields without a template equivalent, merged into the pod. */
  podSpecPatch?: Checked;
  retries?: number;
  /** Seconds, or what is left of the enclosing dag's deadline (an expression), whichever is less. */
  activeDeadlineSeconds?: number | ArgoText;
  memoize?: { key: ArgoText; maxAge?: string };
  /** The queue's key in the queues ConfigMap. */
  semaphore?: string;
}

export interface ContainerTemplate extends TemplateBase {
  kind: 'container';
  /** A service: a daemoned step its clients reach while it runs. */
  daemon: boolean;
  outputs: { name: string; default?: ArgoText }[];
  settings: PodSettings;
  container: BoundContainer;
  initContainers: NamedContainer[];
  sidecars: NamedContainer[];
  volumes: Checked[];
}

/** A container: text fields as Argo text (for their delivery), the rest checked Kubernetes fields. */
export interface BoundContainer {
  name?: string;
  image?: ArgoText;
  command?: ArgoText[];
  args?: ArgoText[];
  workingDir?: ArgoText;
  env: BoundEnvVar[];
  envFrom: Checked[];
  volumeMounts: Checked[];
  ports: Checked[];
  /** Every other container field (resources, probes, securityContext…), in file order. */
  other: Record<string, Checked | string | number | boolean>;
}

/** A container beside the main one: named, as the pod (and a patch of it) knows it. */
export type NamedContainer = BoundContainer & { name: string };

/** `file`: the value is written to a file by the container's script, so each `$` reaches it as written. */
export type BoundEnvVar = { name: string; value: ArgoText; file?: true } | { name: string; valueFrom: Checked };

/** A Kubeflow training job created and watched by a resource template. */
export interface ResourceTemplate extends TemplateBase {
  kind: 'resource';
  apiVersion: string;
  resourceKind: string;
  /** The job's name prefix inside the workflow. */
  jobName: string;
  specsKey: string;
  replicas: BoundReplica[];
  runPolicy: Checked;
  /** Kind-specific fields (successPolicy, elasticPolicy, slotsPerWorker…). */
  extra: Checked;
  /** The replica whose statuses decide success and failure. */
  primary: { role: string; replicas: number };
  settings: Pick<PodSettings, 'annotations' | 'semaphore'>;
}

export interface BoundReplica {
  role: string;
  replicas: number;
  restartPolicy: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  containers: BoundContainer[];
  volumes: Checked[];
  /** Pod fields from the replica's environment. */
  pod: Checked;
}

export interface DagTemplate extends TemplateBase {
  kind: 'dag';
  tasks: BoundOperation[];
  parallelism?: number;
  failFast: boolean;
  annotations: Record<string, string>;
}

/** A matrix: one task running `inner` once per item, at most `parallelism` at a time. */
export interface MatrixTemplate extends TemplateBase {
  kind: 'matrix';
  task: string;
  inner: BoundTemplate;
  /** Each item: the matrix params' values; integers as they are, everything else as parameter text. */
  items: Record<string, ArgoText | number>[];
  /** The inner inputs the wrapper hands on from its own inputs. */
  passed: string[];
  /** The deadline each run starts with (a dag with a timeout), handed as the deadline input. */
  itemDeadline?: ArgoText;
  parallelism?: number;
  failFast: boolean;
}

/** An Argo `depends` expression. */
export type Depends =
  { kind: 'result'; task: string; results: readonly TaskResult[] } | { kind: 'all' | 'any'; of: readonly Depends[] };
export type TaskResult = 'Succeeded' | 'Failed' | 'Errored' | 'Skipped' | 'Omitted' | 'Daemoned';

export interface BoundHook {
  /** Argo phases that fire it (none: any final phase). */
  phases: readonly ('Succeeded' | 'Failed' | 'Error')[];
  /** Its key among the task's hooks, or its task name in the exit handler. */
  key: string;
  template: BoundTemplate;
  arguments: ReadonlyMap<string, ArgoText>;
}

export interface BoundSchedule {
  cron: string;
  /** Conditions of the CronWorkflow's `when` (expr-lang, joined with `&&`). */
  conditions: string[];
  concurrencyPolicy: 'Allow' | 'Forbid';
  /** Stop after this many runs. */
  maxRuns?: number;
  /** A one-off schedule: the workflow is suspended after its run (stop strategy). */
}
