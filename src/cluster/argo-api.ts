import { ApiException, CustomObjectsApi, PatchStrategy, setHeaderOptions, Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Manifest } from '../argo/types.js';
import type { WorkflowObject } from '../watch/workflow-status.js';
import type { WatchEvent, WorkflowSource } from './follow-workflow.js';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';

/** A Kubernetes API failure with its HTTP status and the Status object's reason and message. */
export class ClusterError extends Error {
  constructor(message: string, readonly status: number | undefined, readonly reason: string | undefined) {
    super(message);
  }
}

/** Argo Workflows through the Kubernetes API: create, read, watch and stop workflows. */
export class ArgoApi {
  private readonly api: CustomObjectsApi;

  constructor(private readonly kubeConfig: KubeConfig, readonly namespace: string) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async create(manifest: Manifest): Promise<WorkflowObject> {
    const plural = manifest.kind === 'CronWorkflow' ? 'cronworkflows' : manifest.kind === 'WorkflowTemplate' ? 'workflowtemplates' : 'workflows';
    return this.call(`create the ${manifest.kind}`, () => this.api.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural, body: manifest }));
  }

  async get(name: string): Promise<WorkflowObject> {
    return this.call(`read workflow ${name}`, () => this.api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: 'workflows', name }));
  }

  /** Stop (exit handlers still run) or Terminate, through a merge patch of `spec.shutdown`. */
  async shutdown(name: string, how: 'Stop' | 'Terminate'): Promise<void> {
    await this.call(`stop workflow ${name}`, () =>
      this.api.patchNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: 'workflows', name, body: { spec: { shutdown: how } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
    );
  }

  /** One workflow as a WorkflowSource for followWorkflow. */
  source(name: string): WorkflowSource {
    const watch = new Watch(this.kubeConfig);
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(this.namespace)}/workflows`;
    return {
      get: () => this.get(name),
      watch: (resourceVersion, onEvent, signal) =>
        new Promise<void>((resolve) => {
          // Once we abort, the stream is over for us, whether or not client-node calls `done`.
          signal.addEventListener('abort', () => resolve(), { once: true });
          const query = { fieldSelector: `metadata.name=${name}`, resourceVersion, allowWatchBookmarks: true };
          watch
            .watch(path, query, (type, object) => onEvent({ type: type as WatchEvent['type'], object: object as WatchEvent['object'] }), () => resolve())
            .then((controller) => {
              if (signal.aborted) controller.abort();
              else signal.addEventListener('abort', () => controller.abort(), { once: true });
            })
            .catch(() => resolve());
        }),
    };
  }

  private async call<T>(what: string, request: () => Promise<unknown>): Promise<T> {
    try {
      return (await request()) as T;
    } catch (error) {
      throw toClusterError(what, error, this.namespace);
    }
  }
}

/** client-node's errors carry the Status as a JSON string; turn them into one readable line. */
export function toClusterError(what: string, error: unknown, namespace: string): ClusterError {
  if (error instanceof ApiException) {
    let status: { reason?: string; message?: string } = {};
    try {
      status = typeof error.body === 'string' ? (JSON.parse(error.body) as typeof status) : ((error.body as typeof status) ?? {});
    } catch {
      // not a Status object
    }
    const detail = status.message ?? `HTTP ${error.code}`;
    const hint = error.code === 401 ? ' (check the kubeconfig credentials)' : error.code === 403 ? ` (the credentials may not do this in namespace ${namespace})` : error.code === 404 && status.reason === 'NotFound' ? ` (does namespace ${namespace} exist, with Argo's CRDs installed?)` : '';
    return new ClusterError(`cannot ${what}: ${detail}${hint}`, error.code, status.reason);
  }
  const message = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new ClusterError(`cannot ${what}: ${message}`, undefined, undefined);
}
