import { decodeCompressedNodes, nodesLocation, withNodes } from '../watch/node-status.js';
import type { NodeStatus, WorkflowObject } from '../watch/workflow-status.js';
import type { ArgoServer } from './argo-server.js';

/** A workflow version with its node statuses in `status.nodes`, or why they could not be read. */
export interface NodesReading {
  workflow: WorkflowObject;
  /** Set when the nodes are not readable: `workflow` then carries the last ones that were. */
  unavailable?: string;
}

/**
 * Puts each version's node statuses where the watcher reads them (`status.nodes`), decoding
 * `status.compressedNodes` and fetching offloaded ones from the Argo Server when one is given.
 * The last decoded or fetched nodes are kept: a version whose compressed text or offload
 * version did not change is not decoded or fetched again.
 */
export class WorkflowNodes {
  private compressed?: { text: string; nodes: Record<string, NodeStatus> };
  private offloaded?: { version: string; nodes: Record<string, NodeStatus> };
  private last: Record<string, NodeStatus> = {};

  constructor(private readonly server?: ArgoServer) {}

  async read(workflow: WorkflowObject): Promise<NodesReading> {
    const status = workflow.status ?? {};
    switch (nodesLocation(workflow)) {
      case 'nodes':
        this.last = status.nodes!;
        return { workflow };
      case 'none':
        return { workflow };
      case 'compressed': {
        const text = status.compressedNodes!;
        if (this.compressed?.text !== text) {
          try {
            this.compressed = { text, nodes: decodeCompressedNodes(text) };
          } catch (error) {
            return this.stale(
              workflow,
              `Argo's compressed node statuses could not be read (${(error as Error).message})`,
            );
          }
        }
        this.last = this.compressed.nodes;
        return { workflow: withNodes(workflow, this.last) };
      }
      case 'offloaded': {
        const version = status.offloadNodeStatusVersion!;
        if (!this.server)
          return this.stale(
            workflow,
            "Argo offloaded this workflow's node statuses to its database (`status.offloadNodeStatusVersion`), which only the Argo Server can read: set the inputs `argo-url` and `argo-token` to follow each operation",
          );
        if (this.offloaded?.version !== version) {
          try {
            const nodes = await this.server.nodes(
              workflow.metadata.namespace ?? 'default',
              workflow.metadata.name ?? '',
            );
            this.offloaded = { version, nodes };
          } catch (error) {
            return this.stale(workflow, `the offloaded node statuses could not be read: ${(error as Error).message}`);
          }
        }
        this.last = this.offloaded.nodes;
        return { workflow: withNodes(workflow, this.last) };
      }
    }
  }

  private stale(workflow: WorkflowObject, reason: string): NodesReading {
    return { workflow: withNodes(workflow, this.last), unavailable: reason };
  }
}
