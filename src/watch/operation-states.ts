import { OPERATIONS_ANNOTATION, PIPELINE_LABEL } from '../argo/contract.js';
import type { NodeStatus, WorkflowObject } from './workflow-status.js';

/** Where one Polyaxon operation of the top dag stands, read from the workflow's nodes. */
export interface OperationState {
  /** The Polyaxon operation name. */
  name: string;
  /** Argo node phase, or undefined while the task has no node yet. */
  phase?: string;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  outputs: Record<string, string>;
  /** Attempts beyond the first (a Retry node's extra children). */
  retries: number;
  /** For fan-outs and nested dags: the pods below the operation, by phase. */
  items?: Record<string, number>;
}

/**
 * The top dag's operations and their states. Operations are the tasks of the entrypoint DAG
 * template (named through the `polyaxon-argo.io/operations` annotation); what runs below them
 * (matrix items, nested dags, retries) is summarised under each operation. Nodes are looked up
 * by id, so a 1,000-operation status is read in one pass.
 */
export function operationStates(workflow: WorkflowObject): OperationState[] {
  const names = JSON.parse(workflow.metadata.annotations?.[OPERATIONS_ANNOTATION] ?? '{}') as Record<string, string>;
  const entrypoint = workflow.spec?.entrypoint ?? '';
  const prefix = `${entrypoint}/`;
  const nodes = workflow.status?.nodes ?? {};

  // The top operations, in the order the annotation lists them (the file's order).
  const states = new Map<string, OperationState>();
  for (const [key, name] of Object.entries(names)) {
    if (key.startsWith(prefix)) states.set(key.slice(prefix.length), { name, outputs: {}, retries: 0 });
  }
  // Argo names the root node after the workflow; the search is for statuses written otherwise.
  const byName = workflow.metadata.name ? nodes[workflow.metadata.name] : undefined;
  if (states.size === 0) {
    // A workflow whose entrypoint is a single job: the workflow is the one operation.
    const root = byName ?? Object.values(nodes).find((n) => n.name === workflow.metadata.name);
    const name = workflow.metadata.labels?.[PIPELINE_LABEL] ?? workflow.metadata.name ?? 'workflow';
    return [root ? fromNode(name, root, nodes) : { name, outputs: {}, retries: 0 }];
  }

  const isRoot = (n: NodeStatus) =>
    n.templateName === entrypoint && n.type === 'DAG' && (!n.boundaryID || !nodes[n.boundaryID]);
  const rootDag = byName && isRoot(byName) ? byName : Object.values(nodes).find(isRoot);
  if (!rootDag) return [...states.values()];
  for (const id in nodes) {
    const node = nodes[id]!;
    if (node.boundaryID !== rootDag.id || !node.displayName) continue;
    const state = states.get(node.displayName);
    if (state) Object.assign(state, fromNode(state.name, node, nodes));
  }
  return [...states.values()];
}

function fromNode(name: string, node: NodeStatus, nodes: Record<string, NodeStatus>): OperationState {
  const state: OperationState = { name, outputs: {}, retries: 0 };
  if (node.phase) state.phase = node.phase;
  if (node.startedAt) state.startedAt = node.startedAt;
  if (node.finishedAt) state.finishedAt = node.finishedAt;
  if (node.message) state.message = node.message;
  const attempt = node.type === 'Retry' ? lastChild(node, nodes) : node;
  for (const p of (attempt ?? node).outputs?.parameters ?? node.outputs?.parameters ?? [])
    if (p.value !== undefined) state.outputs[p.name] = p.value;
  if (node.type === 'Retry') state.retries = Math.max(0, (node.children?.length ?? 1) - 1);
  if (node.type === 'DAG' || node.type === 'TaskGroup' || node.type === 'Steps') state.items = podPhases(node, nodes);
  return state;
}

const lastChild = (node: NodeStatus, nodes: Record<string, NodeStatus>) =>
  node.children?.length ? nodes[node.children.at(-1)!] : undefined;

/** Pods below a node, counted by phase (a retried pod counts once, by its last attempt). */
function podPhases(root: NodeStatus, nodes: Record<string, NodeStatus>): Record<string, number> {
  const counts: Record<string, number> = {};
  const stack = [...(root.children ?? [])];
  const seen = new Set<string>();
  while (stack.length) {
    const node = nodes[stack.pop()!];
    if (!node || seen.has(node.id)) continue;
    seen.add(node.id);
    if (node.type === 'Pod' || node.type === 'Retry') {
      const phase = node.phase ?? 'Pending';
      counts[phase] = (counts[phase] ?? 0) + 1;
      continue;
    }
    stack.push(...(node.children ?? []));
  }
  return counts;
}
