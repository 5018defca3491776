import { gunzipSync } from 'node:zlib';
import type { NodeStatus, WorkflowObject } from './workflow-status.js';

/**
 * Where a workflow's node statuses are. Argo keeps them in `status.nodes` until the workflow
 * grows past its size limit (MAX_WORKFLOW_SIZE, 1 MiB by default: about a thousand operations,
 * large matrices much sooner); then it stores them gzipped and base64-encoded in
 * `status.compressedNodes`, and when even that is too large and node status offloading is
 * configured, in its database, leaving only `status.offloadNodeStatusVersion` (read back
 * through the Argo Server).
 */
export type NodesLocation = 'nodes' | 'compressed' | 'offloaded' | 'none';

export function nodesLocation(workflow: WorkflowObject): NodesLocation {
  const status = workflow.status;
  if (status?.nodes && Object.keys(status.nodes).length) return 'nodes';
  if (status?.compressedNodes) return 'compressed';
  if (status?.offloadNodeStatusVersion) return 'offloaded';
  return 'none';
}

/** `status.compressedNodes` decoded: base64, then gzip, then the JSON of the node map (as Argo's packer writes it). */
export function decodeCompressedNodes(compressed: string): Record<string, NodeStatus> {
  const gzip = Buffer.from(compressed, 'base64');
  // The gzip trailer gives the size: one output buffer instead of hundreds of 16 KiB chunks.
  const size = gzip.length >= 4 ? gzip.readUInt32LE(gzip.length - 4) : 0;
  const chunkSize = Math.min(Math.max(size, 64 * 1024), 64 * 1024 * 1024);
  const json = gunzipSync(gzip, { chunkSize }).toString('utf8');
  const nodes = JSON.parse(json) as unknown;
  if (!nodes || typeof nodes !== 'object' || Array.isArray(nodes))
    throw new Error('status.compressedNodes does not hold a map of nodes');
  return nodes as Record<string, NodeStatus>;
}

/** The workflow with `nodes` as its `status.nodes`, the way the rest of the watcher reads it. */
export function withNodes(workflow: WorkflowObject, nodes: Record<string, NodeStatus>): WorkflowObject {
  return { ...workflow, status: { ...workflow.status, nodes } };
}
