import type { NodeStatus, WorkflowObject } from './workflow-status.js';

/**
 * Why a workflow failed, in one line. Argo often leaves the workflow's own message empty (a
 * step that errored before it ran, say) and puts the cause on the node that failed, so this
 * falls back to the first failed step that says why: leaves before the dags around them,
 * which only repeat "child failed".
 */
export function failureReason(workflow: WorkflowObject): string | undefined {
  if (workflow.status?.message) return workflow.status.message;
  const failed = Object.values(workflow.status?.nodes ?? {}).filter(
    (n) => (n.phase === 'Failed' || n.phase === 'Error') && n.message,
  );
  const first = failed.sort(byCause)[0];
  return first ? `${first.displayName ?? first.name}: ${first.message}` : undefined;
}

const isLeaf = (node: NodeStatus) => !node.children?.length;

function byCause(a: NodeStatus, b: NodeStatus): number {
  return (
    Number(isLeaf(b)) - Number(isLeaf(a)) ||
    (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '') ||
    a.name.localeCompare(b.name)
  );
}

/** Argo's messages for a step or workflow ended by its deadline (activeDeadlineSeconds). */
export function isDeadlineExceeded(message: string | undefined): boolean {
  return message !== undefined && /deadline|max duration limit exceeded/i.test(message);
}
