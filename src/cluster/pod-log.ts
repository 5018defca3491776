import type { V1ContainerStatus, V1Pod, V1PodList } from '@kubernetes/client-node';
import type { KubeClient } from './kube-client.js';
import { OPERATIONS_ANNOTATION } from '../argo/contract.js';
import type { NodeStatus, WorkflowObject } from '../watch/workflow-status.js';

/**
 * The last lines of a failed step's log, read through the apiserver (`pods/log`), for the check
 * run of the operation that failed. Pure helpers decide which pod and container to read and how
 * much to keep; `readFailureLogs` is the one call that talks to the cluster.
 */

/** One failed pod's log tail. */
export interface LogTail {
  /** The Polyaxon operation of the top dag the pod belongs to. */
  operation: string;
  /** The workflow node's display name (a retry attempt, a matrix item, a nested task). */
  step: string;
  pod: string;
  container: string;
  exitCode?: number;
  /** The last lines, at most `maxLines` and `maxBytes`, never cutting a character in two. */
  text: string;
  /** Lines or bytes were left out before `text`. */
  truncated: boolean;
}

export interface LogTailLimits {
  maxLines: number;
  maxBytes: number;
  /** Failed pods read per operation (a matrix can fail many times over). */
  maxPodsPerOperation: number;
}

export const DEFAULT_LOG_LIMITS: LogTailLimits = { maxLines: 50, maxBytes: 8 * 1024, maxPodsPerOperation: 1 };

const READ_LIMIT_BYTES = 1024 * 1024;
const FAILED = new Set(['Failed', 'Error']);
/** Argo's own containers: the failure is read from the user's, unless only Argo's failed. */
const EXECUTOR_CONTAINERS = new Set(['init', 'wait']);

/** A failed pod node and the top-dag operation it belongs to. */
export interface FailedStep {
  operation: string;
  node: NodeStatus;
}

/**
 * The failed pod nodes of `workflow`, each with the operation of the top dag it belongs to:
 * climbing its enclosing dags (`boundaryID`) up to the entrypoint's dag, and from a retry
 * attempt to the retried task. Only the operations named in `operations` (all, when omitted).
 */
export function failedSteps(workflow: WorkflowObject, operations?: ReadonlySet<string>): FailedStep[] {
  const nodes = workflow.status?.nodes ?? {};
  const names = JSON.parse(workflow.metadata.annotations?.[OPERATIONS_ANNOTATION] ?? '{}') as Record<string, string>;
  const entrypoint = workflow.spec?.entrypoint ?? '';
  const root = Object.values(nodes).find(
    (n) => n.templateName === entrypoint && n.type === 'DAG' && (!n.boundaryID || !nodes[n.boundaryID]),
  );
  const retryOf = new Map<string, NodeStatus>();
  for (const node of Object.values(nodes))
    if (node.type === 'Retry') for (const child of node.children ?? []) retryOf.set(child, node);
  const single = workflow.metadata.annotations?.['polyaxon-argo.io/pipeline'] ?? workflow.metadata.name ?? 'workflow';

  const steps: FailedStep[] = [];
  for (const node of Object.values(nodes)) {
    if (node.type !== 'Pod' || !FAILED.has(node.phase ?? '')) continue;
    let operation: string | undefined;
    if (!root) operation = single;
    else {
      let top: NodeStatus | undefined = node;
      for (let depth = 0; top && top.boundaryID !== root.id && depth < 1000; depth++)
        top = top.boundaryID ? nodes[top.boundaryID] : undefined;
      if (top) top = retryOf.get(top.id) ?? top;
      operation = top?.displayName ? (names[`${entrypoint}/${top.displayName}`] ?? top.displayName) : undefined;
    }
    if (operation && (!operations || operations.has(operation))) steps.push({ operation, node });
  }
  // The latest failure first: a retried step's last attempt says why it finally failed.
  return steps.sort((a, b) => (b.node.finishedAt ?? '').localeCompare(a.node.finishedAt ?? ''));
}

/** The pod that ran a node: Argo labels it with the workflow and annotates it with the node's id. */
export function podOfNode(pods: readonly V1Pod[], nodeId: string): V1Pod | undefined {
  return pods.find((pod) => pod.metadata?.annotations?.['workflows.argoproj.io/node-id'] === nodeId);
}

/**
 * The container whose log explains the failure: the first user container (init containers
 * first, as they ran first) that exited non-zero; else an executor container that did (the
 * `wait` container fails when an output file is missing); else `main` (killed, say).
 */
export function failingContainer(pod: V1Pod): { name: string; exitCode?: number } {
  const statuses: V1ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const exitCode = (s: V1ContainerStatus) => s.state?.terminated?.exitCode ?? s.lastState?.terminated?.exitCode;
  const failed = statuses.filter((s) => (exitCode(s) ?? 0) !== 0);
  const chosen = failed.find((s) => !EXECUTOR_CONTAINERS.has(s.name)) ?? failed[0];
  if (!chosen) return { name: 'main' };
  const code = exitCode(chosen);
  return code === undefined ? { name: chosen.name } : { name: chosen.name, exitCode: code };
}

/** The last `maxLines` lines of `log`, then at most `maxBytes` of them, cut at a line or character. */
export function tailOf(
  log: string,
  limits: Pick<LogTailLimits, 'maxLines' | 'maxBytes'>,
): {
  text: string;
  truncated: boolean;
} {
  const lines = log.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  let kept = lines.slice(-limits.maxLines);
  let truncated = kept.length < lines.length;
  let text = kept.join('\n');
  while (Buffer.byteLength(text) > limits.maxBytes && kept.length > 1) {
    kept = kept.slice(1);
    text = kept.join('\n');
    truncated = true;
  }
  if (Buffer.byteLength(text) > limits.maxBytes) {
    // One line longer than the cap: keep its end, whole characters only.
    const bytes = Buffer.from(text);
    let start = bytes.length - limits.maxBytes;
    while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
    text = bytes.subarray(start).toString();
    truncated = true;
  }
  return { text, truncated };
}

/** A log tail as Markdown: a fenced block no line of the log can close early. */
export function renderLogTail(tail: LogTail): string {
  const longestRun = Math.max(2, ...[...tail.text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const code = tail.exitCode === undefined ? '' : `, exit code ${tail.exitCode}`;
  return [
    `**Log of \`${tail.step}\`** (container \`${tail.container}\`${code}${tail.truncated ? ', last lines' : ''}):`,
    '',
    fence,
    tail.text,
    fence,
  ].join('\n');
}

/**
 * Reads the log tails of the failed steps of `operations` (all failed operations when omitted):
 * one list of the workflow's pods, then one `pods/log` read per failed pod, newest failure first,
 * `maxPodsPerOperation` per operation. A log that cannot be read (the pod is gone, the node is
 * unreachable, the credentials may not read logs) is left out: the tail is a courtesy, never a
 * reason to fail the report. `redact` is applied to every line.
 */
export async function readFailureLogs(
  client: KubeClient,
  workflow: WorkflowObject,
  options: { operations?: ReadonlySet<string>; limits?: LogTailLimits; redact?: (text: string) => string } = {},
): Promise<LogTail[]> {
  const limits = options.limits ?? DEFAULT_LOG_LIMITS;
  const namespace = workflow.metadata.namespace ?? 'default';
  const steps = failedSteps(workflow, options.operations);
  if (!steps.length) return [];
  const podsPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  let pods: V1Pod[];
  try {
    pods = (
      await client.json<V1PodList>('GET', podsPath, {
        query: { labelSelector: `workflows.argoproj.io/workflow=${workflow.metadata.name ?? ''}` },
      })
    ).items;
  } catch {
    return [];
  }
  const perOperation = new Map<string, number>();
  const tails: LogTail[] = [];
  for (const { operation, node } of steps) {
    if ((perOperation.get(operation) ?? 0) >= limits.maxPodsPerOperation) continue;
    const pod = podOfNode(pods, node.id);
    if (!pod?.metadata?.name) continue;
    const container = failingContainer(pod);
    let log: string;
    try {
      log = await client.text('GET', `${podsPath}/${encodeURIComponent(pod.metadata.name)}/log`, {
        query: {
          container: container.name,
          // One line more than kept, to know whether lines were left out.
          tailLines: limits.maxLines + 1,
          // A bound for pathological lines; it cuts the window's end, so it is far above maxBytes.
          limitBytes: READ_LIMIT_BYTES,
        },
      });
    } catch {
      continue;
    }
    perOperation.set(operation, (perOperation.get(operation) ?? 0) + 1);
    // Redacted whole, before cutting: a secret cut in two would no longer be recognised.
    const { text, truncated } = tailOf((options.redact ?? ((t: string) => t))(log), limits);
    tails.push({
      operation,
      step: node.displayName ?? node.name,
      pod: pod.metadata.name,
      container: container.name,
      ...(container.exitCode === undefined ? {} : { exitCode: container.exitCode }),
      text,
      truncated: truncated || Buffer.byteLength(log) >= READ_LIMIT_BYTES,
    });
  }
  return tails;
}
