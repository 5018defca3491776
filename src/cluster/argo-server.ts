import type { NodeStatus } from '../watch/workflow-status.js';

/**
 * The Argo Server's HTTP API (argo-workflows `pkg/apiclient/workflow/workflow.proto`,
 * `WorkflowService.GetWorkflow`): `GET /api/v1/workflows/{namespace}/{name}`, with a bearer
 * token. Unlike the Kubernetes API it hydrates a workflow before answering: node statuses
 * offloaded to Argo's database come back in `status.nodes`. `fields` keeps the answer to them.
 */
export class ArgoServer {
  private readonly base: string;
  private readonly authorization: string;

  constructor(
    url: string,
    token: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = trimTrailingSlashes(url);
    // `argo auth token` prints "Bearer …"; a bare token is accepted too.
    this.authorization = /^Bearer\s/i.test(token.trim()) ? token.trim() : `Bearer ${token.trim()}`;
  }

  /** The workflow's node statuses, wherever Argo keeps them. */
  async nodes(namespace: string, name: string): Promise<Record<string, NodeStatus>> {
    const url = `${this.base}/api/v1/workflows/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}?fields=status.nodes`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: this.authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      throw new Error(`cannot reach the Argo Server at ${this.base}: ${cause?.message ?? (error as Error).message}`, {
        cause: error,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      // grpc-gateway's error body: {"code": 16, "message": "token not valid…"}
      let message = '';
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? '';
      } catch {
        // not JSON (a proxy's page)
      }
      const hint =
        response.status === 401 || response.status === 403
          ? ': check `argo-token` (as `argo auth token` prints it) and its RBAC'
          : '';
      throw new Error(
        `the Argo Server refused to read workflow ${namespace}/${name}: ${message || response.statusText} (HTTP ${response.status})${hint}`,
      );
    }
    const body = JSON.parse(text) as { status?: { nodes?: Record<string, NodeStatus> } };
    return body.status?.nodes ?? {};
  }
}

/** `url` without its trailing slashes (a loop, not a regex, to stay linear on any input). */
function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
