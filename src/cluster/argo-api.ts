import { STATUS_CODES } from 'node:http';
import type { Manifest } from '../argo/types.js';
import type { WorkflowObject } from '../watch/workflow-status.js';
import type { WatchEvent, WorkflowSource } from './follow-workflow.js';
import { KubeResponseError, type KubeClient } from './kube-client.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay, seconds, type RetryPolicy } from './retry.js';

const GROUP = 'argoproj.io';
const VERSION = 'v1alpha1';

/**
 * A request that got no HTTP answer: `refused` never reached the API server (connection refused,
 * unknown host), `lost` may have (the connection broke once the request was on its way).
 */
export type ConnectionFault = 'refused' | 'lost';

export interface ClusterErrorInfo {
  /** The HTTP status, when the API server answered. */
  status?: number;
  /** The Status object's reason (`AlreadyExists`, `NotFound`, …). */
  reason?: string;
  /** How long the server asked us to wait (Retry-After, or the Status's retryAfterSeconds). */
  retryAfterMs?: number;
  connection?: ConnectionFault;
  /** A create that failed in a way that may still have created the object (5xx, lost connection). */
  outcomeUnknown?: boolean;
  /** What the API server said was wrong, field by field (a 422's Status `details.causes`). */
  causes?: StatusCause[];
}

export interface StatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

/** A Kubernetes API failure as one readable line, with what is known about it. */
export class ClusterError extends Error {
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly connection: ConnectionFault | undefined;
  readonly outcomeUnknown: boolean;
  readonly causes: StatusCause[];

  constructor(message: string, info: ClusterErrorInfo = {}) {
    super(message);
    this.status = info.status;
    this.reason = info.reason;
    this.retryAfterMs = info.retryAfterMs;
    this.connection = info.connection;
    this.outcomeUnknown = info.outcomeUnknown ?? false;
    this.causes = info.causes ?? [];
  }

  /** The same failure, told differently or known better. */
  with(message: string, info: ClusterErrorInfo = {}): ClusterError {
    return new ClusterError(message, {
      status: this.status,
      reason: this.reason,
      retryAfterMs: this.retryAfterMs,
      connection: this.connection,
      outcomeUnknown: this.outcomeUnknown,
      causes: this.causes,
      ...info,
    });
  }
}

/** Whether a failed request is sent again: at once, after a wait, or not at all. */
export type Retry = 'now' | 'later' | 'never';

/**
 * A create is sent again only when the API server cannot have created anything: a 429 (API
 * Priority and Fairness and the max-in-flight filter reject before any handler runs), a
 * connection that never reached it, or a clash of the name it generated. A 5xx or a connection
 * lost mid-request may come after the object was stored, so a second create could make two.
 */
export function createRetry(error: ClusterError, generatedName: boolean): Retry {
  if (error.status === 429 || error.connection === 'refused') return 'later';
  // The API server answers 409 AlreadyExists when the name it drew from `generateName` is
  // taken (it draws again itself since Kubernetes 1.32, KEP-4420, and can still give up);
  // nothing was created, and the next attempt draws a new name.
  if (generatedName && error.status === 409 && error.reason === 'AlreadyExists') return 'now';
  return 'never';
}

/** Reads, and patches that set a value, do the same thing however often they are sent. */
export function readRetry(error: ClusterError): Retry {
  return error.status === 429 || (error.status ?? 0) >= 500 || error.connection !== undefined ? 'later' : 'never';
}

export interface ArgoApiOptions {
  /** Where retries are told about. */
  log?: (message: string) => void;
  policy?: RetryPolicy;
}

/** Argo Workflows through the Kubernetes API: create, read, watch and stop workflows. */
export class ArgoApi {
  constructor(
    readonly client: KubeClient,
    readonly namespace: string,
    private readonly options: ArgoApiOptions = {},
  ) {}

  private path(plural: string, name?: string): string {
    return `/apis/${GROUP}/${VERSION}/namespaces/${encodeURIComponent(this.namespace)}/${plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  /**
   * Creates the manifest's object. With `dryRun`, the API server runs everything a create runs
   * (schema, admission, quota) and stores nothing; unknown fields are refused then too.
   */
  async create(manifest: Manifest, options: { dryRun?: boolean } = {}): Promise<WorkflowObject> {
    const plural = pluralOf(manifest.kind);
    const { name, generateName } = manifest.metadata;
    const generated = !name && Boolean(generateName);
    try {
      return await this.call(
        `${options.dryRun ? 'dry-run ' : ''}create the ${manifest.kind}`,
        () =>
          this.client.json<WorkflowObject>('POST', this.path(plural), {
            body: manifest,
            ...(options.dryRun ? { query: { dryRun: 'All', fieldValidation: 'Strict' } } : {}),
          }),
        (error) => createRetry(error, generated),
      );
    } catch (error) {
      if (!(error instanceof ClusterError)) throw error;
      if (error.status === 409 && error.reason === 'AlreadyExists') {
        throw error.with(
          generated
            ? `${error.message}: too many ${plural} share the prefix \`${generateName}\`; choose a more specific one (generate-name) or delete old ones`
            : `${error.message}: delete it first (\`kubectl delete ${plural}.${GROUP} ${name} -n ${this.namespace}\`) or let the server generate a fresh name each time (\`metadata.generateName\`, the Action's generate-name input)`,
        );
      }
      if (error.status === 429 || error.connection === 'refused')
        throw error.with(`${error.message}; nothing was created`);
      if ((error.status ?? 0) >= 500 || error.connection === 'lost')
        throw error.with(error.message, { outcomeUnknown: true });
      throw error;
    }
  }

  async get(name: string): Promise<WorkflowObject> {
    return this.call(
      `read workflow ${name}`,
      () => this.client.json<WorkflowObject>('GET', this.path('workflows', name)),
      readRetry,
    );
  }

  /** Stop (exit handlers still run) or Terminate, through a merge patch of `spec.shutdown`. */
  async shutdown(name: string, how: 'Stop' | 'Terminate'): Promise<void> {
    await this.call(
      `stop workflow ${name}`,
      () =>
        this.client.json('PATCH', this.path('workflows', name), {
          body: { spec: { shutdown: how } },
          contentType: 'application/merge-patch+json',
        }),
      readRetry,
    );
  }

  /**
   * One workflow as a WorkflowSource for followWorkflow. A watch that fails (a 429 included)
   * just ends, and followWorkflow backs off before the next one; reads go through `get`, which
   * waits out 429s and 5xx.
   */
  source(name: string): WorkflowSource {
    return {
      get: () => this.get(name),
      watch: (resourceVersion, onEvent, signal) =>
        this.client
          .watch(
            this.path('workflows'),
            { fieldSelector: `metadata.name=${name}`, resourceVersion, allowWatchBookmarks: true },
            (event) => onEvent(event as WatchEvent),
            signal,
          )
          .catch(() => undefined),
    };
  }

  /** Sends a request, and again while `retry` allows it and the policy's attempts and wait last. */
  private async call<T>(what: string, request: () => Promise<T>, retry: (error: ClusterError) => Retry): Promise<T> {
    const policy = this.options.policy ?? DEFAULT_RETRY_POLICY;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (caught) {
        const error = toClusterError(what, caught, this.namespace);
        const when = retry(error);
        if (when === 'never') throw error;
        const delay = retryDelay(attempt, waited, when === 'now' ? 0 : error.retryAfterMs, policy);
        if (delay === undefined) {
          const asked = attempt < policy.maxAttempts && error.retryAfterMs !== undefined;
          throw error.with(
            `${error.message} (${asked ? `the server asked to wait ${seconds(error.retryAfterMs ?? 0)}, more than the ${seconds(policy.maxWaitMs)} allowed` : `still failing after ${attempt} attempts${waited ? ` over ${seconds(waited)}` : ''}`})`,
          );
        }
        this.options.log?.(
          `${error.message}; trying again in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.maxAttempts})`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        waited += delay;
      }
    }
  }
}

/** The resource (plural) of each kind we create. */
export function pluralOf(kind: Manifest['kind']): string {
  return kind === 'CronWorkflow' ? 'cronworkflows' : kind === 'WorkflowTemplate' ? 'workflowtemplates' : 'workflows';
}

/** Connection failures where the request cannot have reached the API server. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** Connection failures that may come after the request reached it. */
const BROKEN = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** What the API server's Status object says, when the body is one. */
export interface KubeStatus {
  reason?: string;
  message?: string;
  code?: number;
  details?: { retryAfterSeconds?: number; causes?: StatusCause[] };
}

/** The Status in an error answer's body, or an empty one (a proxy's HTML page, say). */
export function statusOfBody(body: string): KubeStatus {
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * A failed request as one readable line: an HTTP error carries the Status as JSON (none at all
 * for a 401) and the response headers; a connection failure has a `code` that says what
 * happened. TLS and configuration errors get no ConnectionFault: trying again would fail the
 * same way.
 */
export function toClusterError(what: string, error: unknown, namespace: string): ClusterError {
  if (error instanceof ClusterError) return error;
  if (error instanceof KubeResponseError) {
    const code = error.status;
    const status = statusOfBody(error.body);
    const retryAfterMs =
      parseRetryAfter(error.headers['retry-after']) ??
      (typeof status.details?.retryAfterSeconds === 'number' ? status.details.retryAfterSeconds * 1000 : undefined);
    const text = typeof status.message === 'string' && status.message ? status.message : undefined;
    // Without a Status message, or for statuses whose message does not say what they are, name the status.
    const detail =
      text && code !== 401 && code !== 429 && code < 500
        ? text
        : `${text ?? STATUS_CODES[code] ?? 'error'} (HTTP ${code})`;
    const hint =
      code === 401
        ? ': check the kubeconfig credentials'
        : code === 403
          ? ` (the credentials may not do this in namespace ${namespace})`
          : code === 404 && status.reason === 'NotFound'
            ? ` (does namespace ${namespace} exist, with Argo's CRDs installed?)`
            : '';
    return new ClusterError(`cannot ${what}: ${detail}${hint}`, {
      status: code,
      ...(status.reason ? { reason: status.reason } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(Array.isArray(status.details?.causes) ? { causes: status.details.causes } : {}),
    });
  }
  const failure = error as (Error & { code?: string; cause?: Error & { code?: string } }) | undefined;
  const code = failure?.code ?? failure?.cause?.code;
  // Node says "socket hang up" for a connection closed before any answer.
  const message =
    failure instanceof Error
      ? failure.message === 'socket hang up'
        ? 'the connection closed before the API server answered'
        : failure.message || code || String(error)
      : String(error);
  const connection: ConnectionFault | undefined =
    code && NEVER_SENT.has(code) ? 'refused' : code && BROKEN.has(code) ? 'lost' : undefined;
  return new ClusterError(`cannot ${what}: ${message}`, connection ? { connection } : {});
}
