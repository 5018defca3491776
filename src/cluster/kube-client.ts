import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';

/**
 * The few Kubernetes API calls the Action makes (create, read, patch and watch custom objects,
 * list pods, read a log), on Node's own HTTP client. @kubernetes/client-node did this too, but
 * brought 17 MB of generated code into the bundle for them, most of the Action's start-up time.
 */

/** How to reach one API server, read from a kubeconfig or the in-cluster service account. */
export interface ClusterAccess {
  server: URL;
  /** PEM of the CA the server's certificate chains to; Node's default CAs when absent. */
  ca?: string | Buffer;
  /** Skip verifying the server's certificate (kubeconfig `insecure-skip-tls-verify`). */
  insecure?: boolean;
  /** The name to verify the certificate against, when it differs from the host (`tls-server-name`). */
  serverName?: string;
  /** Credentials for the next request: tokens from exec plugins and token files change over time. */
  credentials(): Promise<Credentials>;
}

export interface Credentials {
  /** The whole Authorization header: `Bearer TOKEN` or `Basic …`. */
  authorization?: string;
  /** A client certificate and key, PEM. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

/** An answer other than 2xx: the status, the raw body (normally a JSON Status) and the headers. */
export class KubeResponseError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: http.IncomingHttpHeaders,
  ) {
    super(`HTTP ${status}`);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/** Requests that are not watches give up after this long without an answer (the socket is idle). */
const REQUEST_TIMEOUT_MS = 60_000;

export class KubeClient {
  private agent: http.Agent | undefined;
  private agentKey = '';

  constructor(readonly access: ClusterAccess) {}

  /** A JSON request; the parsed answer, or a KubeResponseError / a connection error (with `code`). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const text = await this.text(method, path, options);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A request whose answer is read as text (a pod's log, say). */
  async text(method: string, path: string, options: RequestOptions = {}): Promise<string> {
    const response = await this.send(method, path, options, REQUEST_TIMEOUT_MS);
    return readAll(response);
  }

  /**
   * A watch: `onLine` gets each newline-delimited JSON event as parsed. Resolves when the server
   * ends the stream or `signal` aborts; rejects when it cannot start (a KubeResponseError for a
   * non-2xx answer). A stream silent for `idleMs` is closed: bookmarks keep a healthy one talking.
   */
  async watch(
    path: string,
    query: Query,
    onLine: (event: unknown) => void,
    signal: AbortSignal,
    idleMs = 5 * 60_000,
  ): Promise<void> {
    const response = await this.send('GET', path, { query: { ...query, watch: true }, signal }, idleMs);
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (!line.trim()) continue;
        let event: unknown;
        try {
          event = JSON.parse(line);
        } catch {
          continue; // a line cut by a dropped connection
        }
        onLine(event);
      }
    } catch {
      // The connection broke or we aborted it: the stream is over either way.
    } finally {
      response.destroy();
    }
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
    idleMs: number,
  ): Promise<http.IncomingMessage> {
    const url = new URL(this.access.server.href.replace(/\/$/, '') + path);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const credentials = await this.access.credentials();
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: http.OutgoingHttpHeaders = {
      accept: 'application/json',
      'user-agent': 'polyaxon-argo',
      ...(credentials.authorization ? { authorization: credentials.authorization } : {}),
      ...(body !== undefined
        ? { 'content-type': options.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) }
        : {}),
    };
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(url, {
      method,
      headers,
      agent: this.agentFor(secure, credentials),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      request.setTimeout(idleMs, () =>
        request.destroy(Object.assign(new Error(`no answer within ${idleMs / 1000}s`), { code: 'ETIMEDOUT' })),
      );
      request.on('error', reject);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(response);
        readAll(response).then(
          (text) => reject(new KubeResponseError(status, text, response.headers)),
          (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        );
      });
      request.end(body);
    });
  }

  /** One keep-alive agent, made again only when the client certificate changes (exec plugins rotate it). */
  private agentFor(secure: boolean, credentials: Credentials): http.Agent {
    const key = `${secure}:${String(credentials.cert ?? '')}`;
    if (this.agent && key === this.agentKey) return this.agent;
    this.agent?.destroy();
    const { ca, insecure, serverName } = this.access;
    this.agent = secure
      ? new https.Agent({
          keepAlive: true,
          ...(ca ? { ca } : {}),
          ...(credentials.cert ? { cert: credentials.cert } : {}),
          ...(credentials.key ? { key: credentials.key } : {}),
          rejectUnauthorized: !insecure,
          ...(serverName ? { servername: serverName } : {}),
        })
      : new http.Agent({ keepAlive: true });
    this.agentKey = key;
    return this.agent;
  }

  /** Closes idle connections, so the process can exit. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

function readAll(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(Object.assign(new Error('the connection broke'), { code: 'ECONNRESET' })));
  });
}
