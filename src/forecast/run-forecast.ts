import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { OPERATIONS_ANNOTATION } from '../argo/contract.js';
import type { DagTask, Manifest, Parameter, Template, WorkflowSpec } from '../argo/types.js';
import { formatCount } from '../diagnostics/format.js';
import { templateOperations } from './template-operations.js';

/**
 * What a run of a generated manifest will meet in the cluster, forecast from the manifest alone
 * (pure: no cluster is asked). The workflow-controller writes one node status per dag, task
 * group, retry and pod, and keeps them all in the Workflow object; it puts each pod's node name in
 * an annotation; and it and the operators it starts add suffixes to names. Each forecast names
 * the Polyaxon operation it concerns (its path from the top dag), so it can be told at its line.
 */

export type ForecastKind = 'status-size' | 'pod-annotations' | 'name-length';

export interface Forecast {
  kind: ForecastKind;
  /** Polyaxon operation names from the top dag down; empty for the pipeline as a whole. */
  operation: string[];
  message: string;
  hint?: string;
}

export interface ForecastOptions {
  /** The controller's MAX_WORKFLOW_SIZE (default 1 MiB), above which it compresses node statuses. */
  maxWorkflowSize?: number;
  /** The manifest's size as the API server stores it (compact JSON), when the caller has it. */
  manifestBytes?: number;
}

/** Argo's default MAX_WORKFLOW_SIZE (workflow/packer). */
export const DEFAULT_MAX_WORKFLOW_SIZE = 1024 * 1024;
/** Kubernetes' limit on all of an object's annotations, keys and values (TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_LIMIT = 256 * 1024;
/** Argo refuses CronWorkflow names longer than this: each run is named NAME-<unix time>. */
export const CRON_NAME_LIMIT = 52;
/** DNS-1035 labels, such as Service names. */
export const LABEL_LIMIT = 63;
/** Above this many nodes the synthetic status is extrapolated rather than built. */
const SYNTHESIZED_NODES = 50_000;
/**
 * Nodes serialized (and gzipped) to weigh them: a larger run is weighed by an even sample of
 * this many, its size scaled from theirs. The nodes of a run are alike, so the sample's bytes
 * per node, plain and gzipped, are the run's to within a few percent.
 */
const WEIGHED_NODES = 1_000;

/** A node as Argo's controller stores it, close enough to weigh it (workflow/controller, wfv1.NodeStatus). */
interface SyntheticNode {
  id: string;
  name: string;
  displayName: string;
  type: 'DAG' | 'TaskGroup' | 'Retry' | 'Pod' | 'Suspend';
  templateName: string;
  templateScope: string;
  phase: string;
  boundaryID?: string;
  startedAt: string;
  finishedAt: string;
  progress: string;
  resourcesDuration?: { cpu: number; memory: number };
  inputs?: { parameters: { name: string; value: string }[] };
  outputs?: { parameters?: { name: string; value: string }[]; exitCode?: string };
  hostNodeName?: string;
  children?: string[];
  outboundNodes?: string[];
}

/** An operation's nodes as the run will create them, and the longest pod node name per template. */
interface Expansion {
  nodes: SyntheticNode[];
  /** Nodes below each top-level operation (its path joined by `/`), for naming the largest fan-out. */
  perOperation: Map<string, { path: string[]; nodes: number }>;
  /** The longest node name each pod-creating template will run under, and the operation running it. */
  podNames: Map<string, { length: number; path: string[] }>;
  truncated: boolean;
}

const TIME = '2026-01-01T00:00:00Z';
/** What an unknown parameter value (an output, a workflow parameter) weighs, in characters. */
const UNKNOWN_VALUE = 'x'.repeat(40);

/** Every forecast for one manifest. */
export function forecastRun(manifest: Manifest, options: ForecastOptions = {}): Forecast[] {
  const spec: WorkflowSpec = manifest.kind === 'CronWorkflow' ? manifest.spec.workflowSpec : manifest.spec;
  const workflowName = runName(manifest);
  const expansion = expand(spec, workflowName, operationNames(manifest));
  return [
    ...statusSize(
      options.manifestBytes ?? storedBytes(manifest),
      spec,
      workflowName,
      expansion,
      options.maxWorkflowSize ?? DEFAULT_MAX_WORKFLOW_SIZE,
    ),
    ...podAnnotations(spec, workflowName, expansion),
    ...names(manifest, spec, workflowName),
  ];
}

/** The name a run gets: `generateName` plus Argo's 5 random characters (the API server cuts the prefix at 58). */
function runName(manifest: Manifest): string {
  const { name, generateName } = manifest.metadata;
  if (manifest.kind === 'CronWorkflow') return `${name ?? 'cron'}-1767225600`;
  if (manifest.kind === 'WorkflowTemplate') return `${(name ?? 'template').slice(0, 57)}-xxxxx`;
  return name ?? `${(generateName ?? 'workflow-').slice(0, 58)}xxxxx`;
}

function operationNames(manifest: Manifest): Record<string, string> {
  try {
    return JSON.parse(manifest.metadata.annotations?.[OPERATIONS_ANNOTATION] ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * The nodes of one run where every task runs once: each dag a DAG node, each `withItems` a
 * TaskGroup with one child per item, each `retryStrategy` a Retry node over its first attempt,
 * each leaf a Pod. Parameter values are those the manifest knows (literals, items); others weigh
 * UNKNOWN_VALUE.
 */
function expand(spec: WorkflowSpec, workflowName: string, operations: Record<string, string>): Expansion {
  const templates = new Map(spec.templates.map((t) => [t.name, t]));
  const expansion: Expansion = { nodes: [], perOperation: new Map(), podNames: new Map(), truncated: false };
  const scope = `local/${workflowName}`;
  // Argo's node ids: the workflow's name and a 32-bit hash (10 digits).
  let counter = 0;
  const nodeId = () => `${workflowName}-${1_000_000_000 + counter++}`;
  /** One more node below the top-level operation `path[0]`. */
  const count = (path: string[]) => {
    if (!path.length) return;
    const entry = expansion.perOperation.get(path[0]!) ?? { path: path.slice(0, 1), nodes: 0 };
    entry.nodes++;
    expansion.perOperation.set(path[0]!, entry);
  };

  const visit = (
    template: Template,
    name: string,
    displayName: string,
    boundary: string | undefined,
    path: string[],
    values: Map<string, string>,
  ): string => {
    const id = nodeId();
    if (expansion.nodes.length >= SYNTHESIZED_NODES) {
      expansion.truncated = true;
      return id;
    }
    const inputs = (template.inputs?.parameters ?? []).map((p) => ({
      name: p.name,
      value: values.get(p.name) ?? p.value ?? p.default ?? UNKNOWN_VALUE,
    }));
    const node: SyntheticNode = {
      id,
      name,
      displayName,
      type: template.dag ? 'DAG' : template.suspend ? 'Suspend' : 'Pod',
      templateName: template.name,
      templateScope: scope,
      phase: 'Succeeded',
      ...(boundary ? { boundaryID: boundary } : {}),
      startedAt: TIME,
      finishedAt: TIME,
      progress: '1/1',
      ...(inputs.length ? { inputs: { parameters: inputs } } : {}),
    };
    expansion.nodes.push(node);
    count(path);
    if (!template.dag) {
      if (node.type === 'Pod') {
        node.resourcesDuration = { cpu: 1, memory: 1 };
        node.hostNodeName = 'ip-10-0-0-1.ec2.internal';
        const outputs = (template.outputs?.parameters ?? []).map((p) => ({ name: p.name, value: UNKNOWN_VALUE }));
        node.outputs = { ...(outputs.length ? { parameters: outputs } : {}), exitCode: '0' };
        const longest = expansion.podNames.get(template.name);
        if (!longest || name.length > longest.length)
          expansion.podNames.set(template.name, { length: name.length, path });
      }
      return id;
    }
    const children: string[] = [];
    for (const task of template.dag.tasks) {
      const operation = operations[`${template.name}/${task.name}`];
      const taskPath = operation !== undefined ? [...path, operation] : path;
      const target = templates.get(task.template);
      if (!target) continue;
      const taskName = `${name}.${task.name}`;
      const argumentsOf = (item: unknown) => taskValues(task, values, item);
      if (task.withItems) {
        const group = nodeId();
        const groupNode: SyntheticNode = {
          id: group,
          name: taskName,
          displayName: task.name,
          type: 'TaskGroup',
          templateName: target.name,
          templateScope: scope,
          phase: 'Succeeded',
          boundaryID: id,
          startedAt: TIME,
          finishedAt: TIME,
          progress: `${task.withItems.length}/${task.withItems.length}`,
          children: [],
        };
        expansion.nodes.push(groupNode);
        count(taskPath);
        task.withItems.forEach((item, index) => {
          const label = `${task.name}(${index}:${itemLabel(item)})`;
          groupNode.children!.push(run(target, `${name}.${label}`, label, id, taskPath, argumentsOf(item)));
        });
        children.push(group);
      } else children.push(run(target, taskName, task.name, id, taskPath, argumentsOf(undefined)));
    }
    node.children = children;
    node.outboundNodes = children.slice(-1);
    return id;
  };

  /** A task's node: a Retry node over its first attempt when the template retries. */
  const run = (
    template: Template,
    name: string,
    displayName: string,
    boundary: string,
    path: string[],
    values: Map<string, string>,
  ): string => {
    if (!template.retryStrategy?.limit) return visit(template, name, displayName, boundary, path, values);
    const id = nodeId();
    expansion.nodes.push({
      id,
      name,
      displayName,
      type: 'Retry',
      templateName: template.name,
      templateScope: scope,
      phase: 'Succeeded',
      boundaryID: boundary,
      startedAt: TIME,
      finishedAt: TIME,
      progress: '1/1',
      children: [visit(template, `${name}(0)`, `${displayName}(0)`, boundary, path, values)],
    });
    return id;
  };

  const entry = templates.get(spec.entrypoint);
  if (entry) {
    const values = new Map((spec.arguments?.parameters ?? []).map((p) => [p.name, p.value ?? UNKNOWN_VALUE]));
    visit(entry, workflowName, workflowName, undefined, [], values);
  }
  return expansion;
}

/** The values a task passes to its template: literals, `{{item…}}` and `{{inputs.parameters…}}` substituted. */
function taskValues(task: DagTask, parent: Map<string, string>, item: unknown): Map<string, string> {
  const values = new Map<string, string>();
  for (const parameter of task.arguments?.parameters ?? [])
    values.set(parameter.name, substitute(parameter, parent, item));
  return values;
}

function substitute(parameter: Parameter, parent: Map<string, string>, item: unknown): string {
  const value = parameter.value ?? '';
  return value.replace(/\{\{([^{}]+)\}\}/g, (_, spaced: string) => {
    const expression = spaced.trim();
    if (expression === 'item') return typeof item === 'string' ? item : JSON.stringify(item ?? '');
    const itemKey = /^item\.(.+)$/.exec(expression)?.[1];
    if (itemKey !== undefined && item && typeof item === 'object') {
      const inner = (item as Record<string, unknown>)[itemKey];
      return typeof inner === 'string' ? inner : JSON.stringify(inner ?? '');
    }
    const input = /^inputs\.parameters\.(.+)$/.exec(expression)?.[1];
    if (input !== undefined) return parent.get(input) ?? UNKNOWN_VALUE;
    return UNKNOWN_VALUE;
  });
}

/** How Argo labels an item in a node's name: the value, or `key:value` pairs in key order (`sweep(0:batch:1,lr:0.01)`). */
function itemLabel(item: unknown): string {
  if (item && typeof item === 'object' && !Array.isArray(item))
    return Object.keys(item)
      .sort()
      .map((key) => `${key}:${format((item as Record<string, unknown>)[key])}`)
      .join(',');
  return format(item);
}

const format = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A manifest's size as the API server keeps it in etcd: compact JSON. */
export const storedBytes = (manifest: Manifest): number => Buffer.byteLength(JSON.stringify(manifest));

function statusSize(
  manifestBytes: number,
  spec: WorkflowSpec,
  workflowName: string,
  expansion: Expansion,
  maxWorkflowSize: number,
): Forecast[] {
  const built = expansion.nodes.length;
  if (!built) return [];
  const stride = Math.ceil(built / WEIGHED_NODES);
  const sample = stride === 1 ? expansion.nodes : expansion.nodes.filter((_, i) => i % stride === 0);
  const json = JSON.stringify(Object.fromEntries(sample.map((n) => [n.id, n])));
  // The count is exact up to SYNTHESIZED_NODES and extrapolated above.
  const nodes = expansion.truncated ? estimatedNodes(spec) : built;
  const perSampled = nodes / sample.length;
  const pods = Math.round((expansion.nodes.filter((n) => n.type === 'Pod').length * nodes) / built);
  // Besides the nodes: the spec as submitted, and one `taskResultsCompletionStatus` entry per pod,
  // which Argo never compresses.
  const base = manifestBytes + pods * (workflowName.length + 20) + 1024;
  const plain = base + Buffer.byteLength(json) * perSampled;
  if (plain <= maxWorkflowSize) return [];
  // Only a run too big to keep plain is compressed (gzip, then base64): gzip only then.
  const compressed = base + Math.ceil((gzipSync(json).length * perSampled * 4) / 3);
  const fanOut = [...expansion.perOperation.values()].sort((a, b) => b.nodes - a.nodes)[0];
  const where = fanOut?.path ?? [];
  const size = (bytes: number) =>
    bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
  const limit = size(maxWorkflowSize);
  const share = fanOut ? `, ${formatCount(fanOut.nodes)} of them for this operation` : '';
  if (compressed > maxWorkflowSize)
    return [
      {
        kind: 'status-size',
        operation: where,
        message: `a run of this pipeline will hold about ${formatCount(nodes)} node statuses${share}: about ${size(compressed)} even compressed, over Argo's ${limit} workflow size (MAX_WORKFLOW_SIZE), so the run will fail with "workflow is longer than maximum allowed size" unless the controller offloads node statuses to a database`,
        hint: 'split the matrix or the pipeline into smaller ones, or configure node status offloading (persistence.nodeStatusOffLoad) and give the Action argo-url and argo-token',
      },
    ];
  return [
    {
      kind: 'status-size',
      operation: where,
      message: `a run of this pipeline will hold about ${formatCount(nodes)} node statuses${share}, about ${size(plain)}: over Argo's ${limit} (MAX_WORKFLOW_SIZE), so Argo will keep them compressed in status.compressedNodes (about ${size(compressed)} in all); tools that read status.nodes will see none`,
      hint: 'the Action reads compressed statuses; `kubectl get workflow -o yaml` and scripts reading status.nodes do not',
    },
  ];
}

/** Nodes of a run, counted without building them (for extrapolating very large runs). */
function estimatedNodes(spec: WorkflowSpec): number {
  const templates = new Map(spec.templates.map((t) => [t.name, t]));
  const memo = new Map<string, number>();
  const count = (name: string, depth: number): number => {
    if (memo.has(name)) return memo.get(name)!;
    const template = templates.get(name);
    if (!template || depth > 64) return 0;
    let total = 1;
    for (const task of template.dag?.tasks ?? []) {
      const each = count(task.template, depth + 1) + (templates.get(task.template)?.retryStrategy?.limit ? 1 : 0);
      total += task.withItems ? 1 + task.withItems.length * each : each;
    }
    memo.set(name, total);
    return total;
  };
  return count(spec.entrypoint, 0);
}

/** Argo's annotations on every pod: the node's id and name, the default container, the pod GC strategy. */
function podAnnotations(spec: WorkflowSpec, workflowName: string, expansion: Expansion): Forecast[] {
  const podMetadata = (spec as { podMetadata?: { annotations?: Record<string, string> } }).podMetadata;
  const bytes = (annotations: Record<string, string> | undefined) =>
    Object.entries(annotations ?? {}).reduce((sum, [key, value]) => sum + key.length + Buffer.byteLength(value), 0);
  const forecasts: Forecast[] = [];
  for (const template of spec.templates) {
    const pod = expansion.podNames.get(template.name);
    if (!pod) continue;
    const argo =
      'workflows.argoproj.io/node-name'.length +
      pod.length +
      'workflows.argoproj.io/node-id'.length +
      workflowName.length +
      11 +
      'kubectl.kubernetes.io/default-container'.length +
      4 +
      (spec.podGC ? 'workflows.argoproj.io/pod-gc-strategy'.length + 40 : 0);
    const total = argo + bytes(podMetadata?.annotations) + bytes(template.metadata?.annotations);
    if (total <= ANNOTATIONS_LIMIT) continue;
    forecasts.push({
      kind: 'pod-annotations',
      operation: pod.path,
      message: `the pods of template \`${template.name}\` will carry about ${Math.round(total / 1024)} KiB of annotations (the environment's, and Argo's node name of up to ${pod.length} characters), over Kubernetes' 256 KiB: the API server will refuse to create them`,
      hint: 'move large values out of annotations (a ConfigMap, or a file the job reads), or shorten the matrix values that name each item',
    });
  }
  return forecasts;
}

/** Kubeflow's training operator names each replica's Service `<job>-<role>-<index>`. */
const REPLICA_SPECS: Record<string, string> = {
  TFJob: 'tfReplicaSpecs',
  PyTorchJob: 'pytorchReplicaSpecs',
  MPIJob: 'mpiReplicaSpecs',
};

function names(manifest: Manifest, spec: WorkflowSpec, workflowName: string): Forecast[] {
  const forecasts: Forecast[] = [];
  const name = manifest.metadata.name ?? '';
  if (manifest.kind === 'CronWorkflow' && name.length > CRON_NAME_LIMIT)
    forecasts.push({
      kind: 'name-length',
      operation: [],
      message: `the CronWorkflow \`${name}\` is ${name.length} characters: Argo names each run \`${name}-<unix time>\` (11 more) and refuses cron names over ${CRON_NAME_LIMIT}, so no run will start`,
      hint: `shorten the pipeline's name to at most ${CRON_NAME_LIMIT} characters`,
    });
  const users = templateOperations(manifest);
  for (const template of spec.templates) {
    if (!template.resource?.manifest) continue;
    let job: { kind?: string; metadata?: { generateName?: string; name?: string }; spec?: Record<string, unknown> };
    try {
      job = parse(template.resource.manifest) as typeof job;
    } catch {
      continue;
    }
    const key = REPLICA_SPECS[job?.kind ?? ''];
    const replicas = key ? (job.spec?.[key] as Record<string, { replicas?: number }> | undefined) : undefined;
    if (!replicas) continue;
    const prefix = (job.metadata?.generateName ?? job.metadata?.name ?? '').replace(
      /\{\{workflow\.name\}\}/g,
      workflowName,
    );
    // The API server cuts a generateName at 58 characters and adds 5.
    const jobName = job.metadata?.generateName ? `${prefix.slice(0, 58)}xxxxx` : prefix;
    for (const [role, replica] of Object.entries(replicas)) {
      const service = `${jobName}-${role.toLowerCase()}-${Math.max(0, (replica?.replicas ?? 1) - 1)}`;
      if (service.length <= LABEL_LIMIT) continue;
      forecasts.push({
        kind: 'name-length',
        operation: users.get(template.name) ?? [],
        message: `the ${job.kind} will be named up to ${jobName.length} characters, and the training operator names its ${role} Services \`<job>-${role.toLowerCase()}-<index>\`: ${service.length} characters, over Kubernetes' ${LABEL_LIMIT}, so the job will not start`,
        hint: 'shorten the pipeline name (it names the workflow) or the operation name (it names the job)',
      });
      break;
    }
  }
  return forecasts;
}
