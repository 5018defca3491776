import { STATUS_CODES } from 'node:http';
import {
  ApiException,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { Manifest } from '../argo/types.js';
import type { WorkflowObject } from '../watch/workflow-status.js';
import type { WatchEvent, WorkflowSource } from './follow-workflow.js';
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
}

/** A Kubernetes API failure as one readable line, with what is known about it. */
export class ClusterError extends Error {
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly connection: ConnectionFault | undefined;
  readonly outcomeUnknown: boolean;

  constructor(message: string, info: ClusterErrorInfo = {}) {
    super(message);
    this.status = info.status;
    this.reason = info.reason;
    this.retryAfterMs = info.retryAfterMs;
    this.connection = info.connection;
    this.outcomeUnknown = info.outcomeUnknown ?? false;
  }

  /** The same failure, told differently or known better. */
  with(message: string, info: ClusterErrorInfo = {}): ClusterError {
    return new ClusterError(message, {
      status: this.status,
      reason: this.reason,
      retryAfterMs: this.retryAfterMs,
      connection: this.connection,
      outcomeUnknown: this.outcomeUnknown,
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
  private readonly api: CustomObjectsApi;

  constructor(
    private readonly kubeConfig: KubeConfig,
    readonly namespace: string,
    private readonly options: ArgoApiOptions = {},
  ) {
    this.api = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async create(manifest: Manifest): Promise<WorkflowObject> {
    const plural =
      manifest.kind === 'CronWorkflow'
        ? 'cronworkflows'
        : manifest.kind === 'WorkflowTemplate'
          ? 'workflowtemplates'
          : 'workflows';
    const { name, generateName } = manifest.metadata;
    const generated = !name && Boolean(generateName);
    try {
      return await this.call(
        `create the ${manifest.kind}`,
        () =>
          this.api.createNamespacedCustomObject({
            group: GROUP,
            version: VERSION,
            namespace: this.namespace,
            plural,
            body: manifest,
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
      () =>
        this.api.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: this.namespace,
          plural: 'workflows',
          name,
        }),
      readRetry,
    );
  }

  /** Stop (exit handlers still run) or Terminate, through a merge patch of `spec.shutdown`. */
  async shutdown(name: string, how: 'Stop' | 'Terminate'): Promise<void> {
    await this.call(
      `stop workflow ${name}`,
      () =>
        this.api.patchNamespacedCustomObject(
          {
            group: GROUP,
            version: VERSION,
            namespace: this.namespace,
            plural: 'workflows',
            name,
            body: { spec: { shutdown: how } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      readRetry,
    );
  }

  /**
   * One workflow as a WorkflowSource for followWorkflow. A watch that fails (a 429 included:
   * client-node's Watch does not expose Retry-After) just ends, and followWorkflow backs off
   * before the next one; reads go through `get`, which waits out 429s and 5xx.
   */
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
            .watch(
              path,
              query,
              (type, object) => onEvent({ type: type as WatchEvent['type'], object: object as WatchEvent['object'] }),
              () => resolve(),
            )
            .then((controller) => {
              if (signal.aborted) controller.abort();
              else signal.addEventListener('abort', () => controller.abort(), { once: true });
            })
            .catch(() => resolve());
        }),
    };
  }

  /** Sends a request, and again while `retry` allows it and the policy's attempts and wait last. */
  private async call<T>(
    what: string,
    request: () => Promise<unknown>,
    retry: (error: ClusterError) => Retry,
  ): Promise<T> {
    const policy = this.options.policy ?? DEFAULT_RETRY_POLICY;
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await request()) as T;
      } catch (caught) {
        const error = toClusterError(what, caught, this.namespace);
        const when = retry(error);
        if (when === 'never') throw error;
        const delay = retryDelay(attempt, waited, when === 'now' ? 0 : error.retryAfterMs, policy);
        if (delay === undefined) {
          const asked = attempt < policy.maxAttempts && error.retryAfterMs !== undefined;
          throw error.with(
            `${error.message} (${asked ? `the server asked to wait ${seconds(error.retryAfterMs!)}, more than the ${seconds(policy.maxWaitMs)} allowed` : `still failing after ${attempt} attempts${waited ? ` over ${seconds(waited)}` : ''}`})`,
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

/**
 * client-node's errors as one readable line: an HTTP error carries the Status as a JSON string
 * (none at all for a 401) and the response headers; a connection failure is a `fetch failed`
 * whose cause says what happened. TLS and configuration errors get no ConnectionFault: trying
 * again would fail the same way.
 */
export function toClusterError(what: string, error: unknown, namespace: string): ClusterError {
  if (error instanceof ApiException) {
    const code = error.code as number;
    let status: { reason?: string; message?: string; details?: { retryAfterSeconds?: number } } = {};
    try {
      status =
        typeof error.body === 'string'
          ? (JSON.parse(error.body) as typeof status)
          : ((error.body as typeof status) ?? {});
    } catch {
      // not a Status object (a proxy's HTML page, say)
    }
    const headers = (error.headers ?? {}) as Record<string, string | undefined>;
    const retryAfterMs =
      parseRetryAfter(headers['retry-after']) ??
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
    });
  }
  const cause =
    error instanceof Error
      ? (error.cause as (Error & { code?: string; errors?: (Error & { code?: string })[] }) | undefined)
      : undefined;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  const message =
    cause?.message ||
    cause?.errors?.map((e) => e.message).join(', ') ||
    code ||
    (error instanceof Error ? error.message : String(error));
  const connection: ConnectionFault | undefined =
    code && NEVER_SENT.has(code) ? 'refused' : code && BROKEN.has(code) ? 'lost' : undefined;
  return new ClusterError(`cannot ${what}: ${message}`, connection ? { connection } : {});
}
