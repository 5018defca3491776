import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { NodeStatus, WorkflowObject } from '../../src/watch/workflow-status.js';

/**
 * A stand-in for the Argo Server's workflow API, following its published contract
 * (argo-workflows v4 `pkg/apiclient/workflow/workflow.proto` and `api/openapi-spec/swagger.json`):
 *   GET /api/v1/workflows/{namespace}/{name}[?fields=…]  → the Workflow, hydrated: offloaded node
 *   statuses read back from the database, compressed ones decoded (server/workflow/workflow_server.go
 *   GetWorkflow, workflow/hydrator); `fields` keeps the named dotted paths, or drops them after a
 *   leading `-` (util/fields). Errors are grpc-gateway's `{code, message}` with the gRPC code's HTTP
 *   status: a missing or wrong bearer token is 401 Unauthenticated (server/auth/gatekeeper.go), a
 *   missing workflow 404 NotFound.
 * Workflows come from `workflows` (share the Kubernetes stand-in's map); the database holds
 * offloaded nodes by uid and offload version.
 */
export class ArgoServerStandIn {
  /** Offloaded node statuses by `uid/version`, as Argo's offload table keys them. */
  readonly database = new Map<string, Record<string, NodeStatus>>();
  readonly requests: { url: string; authorization?: string }[] = [];
  token = 'argo-server-token';
  private server?: Server;

  constructor(private readonly workflows: Map<string, WorkflowObject>) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Plays the controller offloading a workflow's nodes: stores them, leaves only the version in the status. */
  offload(workflow: WorkflowObject, version: string): void {
    this.database.set(`${workflow.metadata.uid}/${version}`, workflow.status!.nodes!);
    workflow.status = { ...workflow.status, offloadNodeStatusVersion: version };
    delete workflow.status.nodes;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://argo');
    this.requests.push({
      url: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const match = /^\/api\/v1\/workflows\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!match || req.method !== 'GET') return error(res, 404, 5, `Not Found`);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return error(res, 401, 16, 'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/');
    const [, namespace, name] = match as unknown as [string, string, string];
    const stored = this.workflows.get(decodeURIComponent(name));
    if (!stored || stored.metadata.namespace !== decodeURIComponent(namespace))
      return error(res, 404, 5, `workflows.argoproj.io "${decodeURIComponent(name)}" not found`);
    const workflow = structuredClone(stored);
    const status = workflow.status ?? {};
    if (status.compressedNodes) {
      status.nodes = JSON.parse(gunzipSync(Buffer.from(status.compressedNodes, 'base64')).toString()) as Record<
        string,
        NodeStatus
      >;
      delete status.compressedNodes;
    }
    if (status.offloadNodeStatusVersion) {
      const nodes = this.database.get(`${workflow.metadata.uid}/${status.offloadNodeStatusVersion}`);
      if (!nodes) return error(res, 500, 13, 'offload node status not found');
      status.nodes = nodes;
      delete status.offloadNodeStatusVersion;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(clean(workflow, url.searchParams.get('fields') ?? '')));
  }
}

function error(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, details: [] }));
}

/** util/fields: keep (or, after `-`, drop) the listed dotted paths. */
function clean(value: unknown, fields: string): unknown {
  if (!fields) return value;
  const exclude = fields.startsWith('-');
  const paths = (exclude ? fields.slice(1) : fields).split(',');
  const walk = (item: unknown, at: string[]): unknown => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(item)) {
      const here = [...at, key].join('.');
      const listed = paths.includes(here);
      const parentOfListed = paths.some((p) => p.startsWith(`${here}.`));
      if (exclude) {
        if (!listed) out[key] = parentOfListed ? walk(inner, [...at, key]) : inner;
      } else if (listed) out[key] = inner;
      else if (parentOfListed) out[key] = walk(inner, [...at, key]);
    }
    return out;
  };
  return walk(value, []);
}
