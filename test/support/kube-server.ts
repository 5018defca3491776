import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowObject } from '../../src/watch/workflow-status.js';

export type KubeOperation = 'create' | 'get' | 'watch' | 'patch';

/**
 * A scripted failure of the next requests of one kind, answered as the API server (or a proxy
 * in front of it) does: a Status object with a reason and message, or a proxy's text page, or a
 * connection closed without an answer.
 */
export interface KubeFault {
  status?: number;
  /** The Status's reason and message; realistic defaults for 409, 429, 500, 503 and 504. */
  reason?: string;
  message?: string;
  /** A proxy's plain-text page instead of a Status object. */
  text?: boolean;
  /** Seconds, as API Priority and Fairness sends them: a Retry-After header and `details.retryAfterSeconds`. */
  retryAfter?: number;
  /** Close the connection instead of answering: before handling the request, or after (a create then happened). */
  reset?: 'before' | 'after';
  /** Quote the request's Authorization header in the message, as a careless proxy's error page might. */
  echoAuthorization?: boolean;
  /** How many requests fail this way (default 1). */
  times?: number;
  /** A 422's field-by-field reasons (`details.causes`). */
  causes?: { field?: string; message?: string; reason?: string }[];
}

/** What the API server says for each status, by default (k8s.io/apimachinery's errors and APF). */
const STATUS_DEFAULTS: Record<number, { reason: string; message: string }> = {
  409: {
    reason: 'AlreadyExists',
    message:
      'workflows.argoproj.io "{name}" already exists, the server was not able to generate a unique name for the object',
  },
  429: { reason: 'TooManyRequests', message: 'Too many requests, please try again later.' },
  500: { reason: 'InternalError', message: 'Internal error occurred: etcdserver: request timed out' },
  503: { reason: 'ServiceUnavailable', message: 'the server is currently unable to handle the request' },
  504: {
    reason: 'Timeout',
    message: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
  },
};

/**
 * A local stand-in for the Kubernetes API serving Argo workflows: create, get, merge-patch and
 * watch, with resource versions, bookmarks, dropped connections and 410 Gone for versions
 * older than the server keeps, the way the API server behaves. The test plays Argo's controller
 * through `update`, and scripts faults through `fail`. (The real API server and controller run
 * in the end-to-end suite.)
 */
export class KubeStandIn {
  readonly namespaces = new Set(['ml']);
  /** Service accounts as `namespace/name`; every namespace has its `default`. */
  readonly serviceAccounts = new Set<string>();
  readonly workflows = new Map<string, WorkflowObject>();
  readonly requests: {
    operation?: KubeOperation;
    method: string;
    url: string;
    at: number;
    authorization?: string;
    contentType?: string;
  }[] = [];
  /** The bearer token it accepts; any other is answered 401. */
  token = 'kube-secret-token';
  private faults = new Map<KubeOperation, KubeFault[]>();
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

  /** The next requests of `operation` fail as `fault` says (faults queue up in order). */
  fail(operation: KubeOperation, fault: KubeFault): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), { times: 1, ...fault }]);
  }

  /** The requests of one kind, in order. */
  requestsOf(operation: KubeOperation) {
    return this.requests.filter((r) => r.operation === operation);
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
    for (const w of this.watchers)
      w.res.write(
        `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Workflow', apiVersion: 'argoproj.io/v1alpha1', metadata: { resourceVersion: String(this.rv) } } })}\n`,
      );
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private record(type: string, workflow: WorkflowObject): void {
    this.rv++;
    workflow.metadata.resourceVersion = String(this.rv);
    const snapshot = structuredClone(workflow);
    this.history.push({ rv: this.rv, type, object: snapshot });
    for (const w of this.watchers)
      if (w.name === workflow.metadata.name) w.res.write(`${JSON.stringify({ type, object: snapshot })}\n`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const account = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)$/.exec(url.pathname);
    if (account && req.method === 'GET') {
      this.requests.push({ method: 'GET', url: url.pathname, at: Date.now() });
      const [, namespace, name] = account as unknown as [string, string, string];
      return this.namespaces.has(namespace) && (name === 'default' || this.serviceAccounts.has(`${namespace}/${name}`))
        ? this.json(res, 200, { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name, namespace } })
        : this.status(res, 404, 'NotFound', `serviceaccounts "${name}" not found`);
    }
    const match = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/workflows(?:\/([^/]+))?$/.exec(url.pathname);
    const [, namespace, name] = (match ?? []) as unknown as [string, string, string | undefined];
    const operation: KubeOperation | undefined = !match
      ? undefined
      : req.method === 'POST' && !name
        ? 'create'
        : req.method === 'PATCH'
          ? 'patch'
          : req.method !== 'GET'
            ? undefined
            : url.searchParams.get('watch') === 'true'
              ? 'watch'
              : 'get';
    this.requests.push({
      ...(operation ? { operation } : {}),
      method: req.method ?? 'GET',
      url: url.pathname + url.search,
      at: Date.now(),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
    });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!match) return this.status(res, 404, 'NotFound', `the server could not find the requested resource`);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return this.status(res, 401, 'Unauthorized', 'Unauthorized');
    const fault = operation ? this.nextFault(operation) : undefined;
    if (fault?.reset === 'before') return void req.socket.destroy();
    if (fault && !fault.reset) return this.answerFault(res, fault, req.headers.authorization ?? '');
    if (!this.namespaces.has(namespace))
      return this.status(res, 404, 'NotFound', `namespaces "${namespace}" not found`);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as WorkflowObject) : undefined;

    if (operation === 'create') {
      const workflow = body as WorkflowObject & { metadata: { generateName?: string } };
      const generated = `${workflow.metadata.generateName ?? ''}${String(++this.counter).padStart(5, 'x')}`;
      workflow.metadata = {
        ...workflow.metadata,
        name: workflow.metadata.name ?? generated,
        namespace,
        uid: `uid-${this.counter}`,
      };
      // A server-side dry run answers as a create would, and stores nothing.
      if (url.searchParams.get('dryRun') === 'All') return this.json(res, 201, workflow);
      if (this.workflows.has(workflow.metadata.name!))
        return this.status(
          res,
          409,
          'AlreadyExists',
          `workflows.argoproj.io "${workflow.metadata.name}" already exists`,
        );
      this.workflows.set(workflow.metadata.name!, workflow);
      this.record('ADDED', workflow);
      // The workflow is stored, but the answer never arrives.
      if (fault?.reset === 'after') return void req.socket.destroy();
      return this.json(res, 201, workflow);
    }
    if (req.method === 'GET' && url.searchParams.get('watch') === 'true') {
      const watched = /metadata\.name=(.+)/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1] ?? '';
      const from = Number(url.searchParams.get('resourceVersion') ?? 0);
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      if (from < this.compactedBelow) {
        res.end(
          `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `too old resource version: ${from}`, reason: 'Expired', code: 410 } })}\n`,
        );
        return;
      }
      for (const event of this.history)
        if (event.rv > from && event.object.metadata.name === watched)
          res.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
      const watcher = { name: watched, res };
      this.watchers.add(watcher);
      req.on('close', () => this.watchers.delete(watcher));
      return;
    }
    const workflow = name ? this.workflows.get(name) : undefined;
    if (!workflow) return this.status(res, 404, 'NotFound', `workflows.argoproj.io "${name}" not found`);
    if (req.method === 'GET') return this.json(res, 200, workflow);
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/merge-patch+json')
        return this.status(
          res,
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json`,
        );
      workflow.spec = { ...workflow.spec, ...body?.spec };
      // What Argo's controller does on spec.shutdown: running nodes fail and so does the workflow.
      if (workflow.spec?.shutdown) {
        for (const node of Object.values(workflow.status?.nodes ?? {}))
          if (node.phase === 'Running' || node.phase === 'Pending') node.phase = 'Failed';
        workflow.status = {
          ...workflow.status,
          phase: 'Failed',
          message: `Stopped with strategy '${workflow.spec.shutdown}'`,
        };
      }
      this.record('MODIFIED', workflow);
      return this.json(res, 200, workflow);
    }
    return this.status(res, 405, 'MethodNotAllowed', 'method not allowed');
  }

  private nextFault(operation: KubeOperation): KubeFault | undefined {
    const queue = this.faults.get(operation);
    const fault = queue?.[0];
    if (!fault) return undefined;
    if (--fault.times! <= 0) queue.shift();
    return fault;
  }

  private answerFault(res: ServerResponse, fault: KubeFault, authorization: string): void {
    const code = fault.status ?? 500;
    const defaults = STATUS_DEFAULTS[code] ?? { reason: 'InternalError', message: 'an error on the server' };
    let message = (fault.message ?? defaults.message).replace(
      '{name}',
      `train-pipeline-${String(this.counter + 1).padStart(5, 'x')}`,
    );
    if (fault.echoAuthorization) message += ` (request had authorization: ${authorization})`;
    const headers: Record<string, string> =
      fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
    if (fault.text) {
      res.writeHead(code, { 'content-type': 'text/html', ...headers });
      res.end(`<html><body><h1>${code}</h1>${message}</body></html>`);
      return;
    }
    const details = {
      ...(fault.retryAfter !== undefined ? { retryAfterSeconds: fault.retryAfter } : {}),
      ...(fault.causes ? { causes: fault.causes } : {}),
    };
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: fault.reason ?? defaults.reason,
        details,
        code,
      }),
    );
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  }
}
