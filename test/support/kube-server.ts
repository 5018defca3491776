import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowObject } from '../../src/watch/workflow-status.js';

/**
 * A local stand-in for the Kubernetes API serving Argo workflows: create, get, merge-patch and
 * watch, with resource versions, bookmarks, dropped connections and 410 Gone for versions
 * older than the server keeps, the way the API server behaves. The test plays Argo's controller
 * through `update`. (The real API server and controller run in the end-to-end suite.)
 */
export class KubeStandIn {
  readonly namespaces = new Set(['ml']);
  readonly workflows = new Map<string, WorkflowObject>();
  readonly requests: { method: string; url: string; authorization?: string; contentType?: string }[] = [];
  private history: { rv: number; type: string; object: WorkflowObject }[] = [];
  private rv = 100;
  /** Watches from versions below this answer 410 Gone. */
  compactedBelow = 0;
  private watchers = new Set<{ name: string; res: ServerResponse }>();
  private server?: Server;
  private counter = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Plays the controller: changes a workflow and tells the watchers. */
  update(name: string, change: (workflow: WorkflowObject) => void): void {
    const workflow = this.workflows.get(name)!;
    change(workflow);
    this.record('MODIFIED', workflow);
  }

  /** Ends every open watch, as an API server restart or an idle timeout would. */
  dropWatches(): void {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
  }

  bookmark(): void {
    this.rv++;
    for (const w of this.watchers) w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Workflow', apiVersion: 'argoproj.io/v1alpha1', metadata: { resourceVersion: String(this.rv) } } })}\n`);
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private record(type: string, workflow: WorkflowObject): void {
    this.rv++;
    workflow.metadata.resourceVersion = String(this.rv);
    const snapshot = structuredClone(workflow);
    this.history.push({ rv: this.rv, type, object: snapshot });
    for (const w of this.watchers) if (w.name === workflow.metadata.name) w.res.write(`${JSON.stringify({ type, object: snapshot })}\n`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    this.requests.push({ method: req.method ?? 'GET', url: url.pathname + url.search, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}) });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/workflows(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match) return this.status(res, 404, 'NotFound', `the server could not find the requested resource`);
    const [, namespace, name] = match as unknown as [string, string, string | undefined];
    if (req.headers.authorization !== 'Bearer kube-secret-token') return this.status(res, 401, 'Unauthorized', 'Unauthorized');
    if (!this.namespaces.has(namespace)) return this.status(res, 404, 'NotFound', `namespaces "${namespace}" not found`);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as WorkflowObject) : undefined;

    if (req.method === 'POST' && !name) {
      const workflow = body as WorkflowObject & { metadata: { generateName?: string } };
      const generated = `${workflow.metadata.generateName ?? ''}${String(++this.counter).padStart(5, 'x')}`;
      workflow.metadata = { ...workflow.metadata, name: workflow.metadata.name ?? generated, namespace, uid: `uid-${this.counter}` };
      this.workflows.set(workflow.metadata.name!, workflow);
      this.record('ADDED', workflow);
      return this.json(res, 201, workflow);
    }
    if (req.method === 'GET' && url.searchParams.get('watch') === 'true') {
      const watched = /metadata\.name=(.+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1] ?? '';
      const from = Number(url.searchParams.get('resourceVersion') ?? 0);
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      if (from < this.compactedBelow) {
        res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `too old resource version: ${from}`, reason: 'Expired', code: 410 } })}\n`);
        return;
      }
      for (const event of this.history) if (event.rv > from && event.object.metadata.name === watched) res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
      const watcher = { name: watched, res };
      this.watchers.add(watcher);
      req.on('close', () => this.watchers.delete(watcher));
      return;
    }
    const workflow = name ? this.workflows.get(name) : undefined;
    if (!workflow) return this.status(res, 404, 'NotFound', `workflows.argoproj.io "${name}" not found`);
    if (req.method === 'GET') return this.json(res, 200, workflow);
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/merge-patch+json') return this.status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`);
      workflow.spec = { ...workflow.spec, ...body?.spec };
      // What Argo's controller does on spec.shutdown: running nodes fail and so does the workflow.
      if (workflow.spec?.shutdown) {
        for (const node of Object.values(workflow.status?.nodes ?? {})) if (node.phase === 'Running' || node.phase === 'Pending') node.phase = 'Failed';
        workflow.status = { ...workflow.status, phase: 'Failed', message: `Stopped with strategy '${workflow.spec.shutdown}'` };
      }
      this.record('MODIFIED', workflow);
      return this.json(res, 200, workflow);
    }
    return this.status(res, 405, 'MethodNotAllowed', 'method not allowed');
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  }
}
