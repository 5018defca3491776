/**
 * The subset of Argo Workflows v4 (argoproj.io/v1alpha1) objects we emit. Field order in
 * these types is the order we write them, which keeps output stable and readable.
 */

export interface Parameter {
  name: string;
  value?: string;
  default?: string;
  description?: string;
  valueFrom?: { path?: string; default?: string; jsonPath?: string; expression?: string };
}

export interface Arguments {
  parameters?: Parameter[];
}

export interface DagTask {
  name: string;
  template: string;
  depends?: string;
  when?: string;
  arguments?: Arguments;
  withItems?: unknown[];
  hooks?: Record<string, LifecycleHook>;
}

export interface LifecycleHook {
  template: string;
  expression?: string;
  arguments?: Arguments;
}

export interface RetryStrategy {
  limit?: number;
  retryPolicy?: 'Always' | 'OnFailure' | 'OnError' | 'OnTransientError';
}

export interface Template {
  name: string;
  inputs?: { parameters?: Parameter[] };
  outputs?: { parameters?: Parameter[] };
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  daemon?: boolean;
  dag?: { tasks: DagTask[]; failFast?: boolean };
  suspend?: Record<string, never>;
  container?: Record<string, unknown>;
  resource?: {
    action: string;
    manifest: string;
    successCondition?: string;
    failureCondition?: string;
    setOwnerReference?: boolean;
  };
  initContainers?: Record<string, unknown>[];
  sidecars?: Record<string, unknown>[];
  volumes?: Record<string, unknown>[];
  parallelism?: number;
  nodeSelector?: Record<string, string>;
  affinity?: Record<string, unknown>;
  tolerations?: Record<string, unknown>[];
  serviceAccountName?: string;
  securityContext?: Record<string, unknown>;
  priorityClassName?: string;
  schedulerName?: string;
  hostAliases?: Record<string, unknown>[];
  podSpecPatch?: string;
  retryStrategy?: RetryStrategy;
  activeDeadlineSeconds?: number | string;
  memoize?: { key: string; maxAge?: string; cache: { configMap: { name: string } } };
  synchronization?: { semaphores: { configMapKeyRef: { name: string; key: string } }[] };
}

export interface WorkflowSpec {
  entrypoint: string;
  arguments?: Arguments;
  parallelism?: number;
  volumes?: Record<string, unknown>[];
  activeDeadlineSeconds?: number;
  ttlStrategy?: { secondsAfterCompletion: number };
  podGC?: {
    strategy: 'OnPodCompletion';
    deleteDelayDuration: string;
    labelSelector: { matchLabels: Record<string, string> };
  };
  hooks?: Record<string, LifecycleHook>;
  templates: Template[];
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Workflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Workflow' | 'WorkflowTemplate';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
}

export interface CronWorkflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'CronWorkflow';
  metadata: ObjectMeta;
  spec: {
    schedules: string[];
    timezone?: string;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    startingDeadlineSeconds?: number;
    stopStrategy?: { expression: string };
    when?: string;
    workflowMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    workflowSpec: WorkflowSpec;
  };
}

export type Manifest = Workflow | CronWorkflow;
