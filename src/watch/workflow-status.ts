/**
 * The parts of an Argo Workflow's status a watcher reads (Argo v4, argoproj.io/v1alpha1).
 * Phases are strings: Argo adds values over time, and an unknown one must not break us.
 */
export interface NodeStatus {
  id: string;
  name: string;
  displayName?: string;
  type?: string;
  templateName?: string;
  phase?: string;
  boundaryID?: string;
  children?: string[];
  startedAt?: string | null;
  finishedAt?: string | null;
  message?: string;
  outputs?: { parameters?: { name: string; value?: string }[] };
}

export interface WorkflowObject {
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: { entrypoint?: string; shutdown?: string };
  status?: {
    phase?: string;
    startedAt?: string | null;
    finishedAt?: string | null;
    message?: string;
    progress?: string;
    nodes?: Record<string, NodeStatus>;
    offloadNodeStatusVersion?: string;
    compressedNodes?: string;
  };
}

export const FINAL_WORKFLOW_PHASES = new Set(['Succeeded', 'Failed', 'Error']);
