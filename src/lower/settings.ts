import type { Template } from '../argo/types.js';
import type { Path } from '../parse/source.js';
import type { Cache } from '../schema/cache.js';
import type { Plugins } from '../schema/plugins.js';
import type { Termination } from '../schema/termination.js';
import type { CompiledOperation } from './compile.js';
import type { LowerContext } from './context.js';
import { encodeBraces } from './literal-braces.js';
import { hash } from './names.js';

/** ConfigMaps the cluster provides (documented in the README). */
export const CACHE_CONFIGMAP = 'polyaxon-argo-cache';
export const QUEUES_CONFIGMAP = 'polyaxon-argo-queues';
/** Marks the pods of operations with their own `termination.ttl` for the workflow's podGC. */
export const POD_TTL_LABEL = 'polyaxon-argo.io/ttl';

export interface OperationSettings {
  template: Partial<Template>;
  /** Pod labels to add to the template's metadata. */
  labels: Record<string, string>;
  /** Pod annotations: the operation's tags and cost, kept for whoever reads the pods. */
  annotations: Record<string, string>;
  env: { name: string; value: string }[];
  volumes: Record<string, unknown>[];
  volumeMounts: Record<string, unknown>[];
}

/**
 * termination, cache, queue and plugins of an operation (merged with its dag's and its
 * component's, spec §6.4) → Argo template settings and pod additions.
 */
export function operationSettings(compiled: CompiledOperation, context: LowerContext): OperationSettings {
  const out: OperationSettings = {
    template: {},
    labels: {},
    annotations: operationAnnotations(compiled),
    env: [],
    volumes: [],
    volumeMounts: [],
  };
  const origin = compiled.op;
  const at = (field: string, ...rest: (string | number)[]): Path => [...compiled.op.path, field, ...rest];
  termination(compiled.termination, compiled, context, out, at);
  cache(compiled.cache, compiled, context, out, at);
  if (compiled.queue !== undefined) {
    out.template.synchronization = {
      semaphores: [
        { configMapKeyRef: { name: QUEUES_CONFIGMAP, key: compiled.queue.replace(/[^-._a-zA-Z0-9]/g, '.') } },
      ],
    };
  }
  plugins(compiled.plugins, origin, context, out, at);
  return out;
}

export const TAGS_ANNOTATION = 'polyaxon-argo.io/tags';
export const COST_ANNOTATION = 'polyaxon-argo.io/cost';

/** An operation's tags (its own, else its component's) and cost, as annotations. */
export function operationAnnotations(compiled: CompiledOperation): Record<string, string> {
  const tags = compiled.op.operation.tags ?? compiled.component.tags;
  const cost = compiled.op.operation.cost ?? compiled.component.cost;
  return {
    ...(tags?.length ? { [TAGS_ANNOTATION]: encodeBraces(tags.join(',')) } : {}),
    ...(cost !== undefined ? { [COST_ANNOTATION]: String(cost) } : {}),
  };
}

function termination(
  value: Termination | string | undefined,
  compiled: CompiledOperation,
  context: LowerContext,
  out: OperationSettings,
  at: (f: string, ...r: (string | number)[]) => Path,
): void {
  if (value === undefined) return;
  const origin = compiled.op;
  if (typeof value === 'string')
    return context.unsupported(
      origin,
      at('termination'),
      'a templated `termination` cannot be resolved before the run',
    );
  if (value.maxRetries !== undefined) {
    if (typeof value.maxRetries === 'string')
      context.unsupported(
        origin,
        at('termination', 'maxRetries'),
        'a templated `maxRetries` cannot be resolved before the run',
      );
    else if (value.maxRetries > 0) out.template.retryStrategy = { limit: value.maxRetries, retryPolicy: 'Always' };
  }
  if (value.timeout !== undefined) {
    if (typeof value.timeout === 'string')
      context.unsupported(
        origin,
        at('termination', 'timeout'),
        'a templated `timeout` cannot be resolved before the run',
      );
    else out.template.activeDeadlineSeconds = value.timeout;
  }
  // ttl: the top operation's becomes the workflow's ttlStrategy; an operation's own ttl deletes its
  // pods that long after they finish, through the workflow's podGC and a label on the pods.
  if (typeof value.ttl === 'string')
    context.unsupported(origin, at('termination', 'ttl'), 'a templated `ttl` cannot be resolved before the run');
  else if (value.ttl !== undefined && value.ttl !== context.workflowTtl) {
    if (context.podTtl === undefined) context.podTtl = value.ttl;
    if (context.podTtl === value.ttl) out.labels[POD_TTL_LABEL] = String(value.ttl);
    else
      context.unsupported(
        origin,
        at('termination', 'ttl'),
        `Argo deletes finished pods after one delay per workflow: this \`ttl: ${value.ttl}\` differs from another operation's \`ttl: ${context.podTtl}\``,
        'use the same ttl for every operation that sets one',
      );
  }
  for (const field of ['culling', 'probe', 'podFailurePolicy'] as const) {
    if (value[field] !== undefined)
      context.unsupported(origin, at('termination', field), `\`termination.${field}\` has no Argo equivalent`);
  }
}

function cache(
  value: Cache | string | undefined,
  compiled: CompiledOperation,
  context: LowerContext,
  out: OperationSettings,
  at: (f: string, ...r: (string | number)[]) => Path,
): void {
  if (value === undefined) return;
  if (typeof value === 'string')
    return context.unsupported(compiled.op, at('cache'), 'a templated `cache` cannot be resolved before the run');
  if (value.disable === true || typeof value.disable === 'string') {
    if (typeof value.disable === 'string')
      context.unsupported(
        compiled.op,
        at('cache', 'disable'),
        'a templated `cache.disable` cannot be resolved before the run',
      );
    return;
  }
  if (typeof value.ttl === 'string')
    context.unsupported(compiled.op, at('cache', 'ttl'), 'a templated `cache.ttl` cannot be resolved before the run');
  // The key covers the component itself (container, init, connections: every cache section) and the inputs.
  const inputs = (compiled.component.inputs ?? [])
    .map((io) => io.name)
    .filter((name) => !value.io || value.io.includes(name));
  const key = [hash(JSON.stringify(compiled.run)), ...inputs.map((name) => `{{inputs.parameters.${name}}}`)].join('-');
  out.template.memoize = {
    key,
    ...(typeof value.ttl === 'number' ? { maxAge: `${value.ttl}s` } : {}),
    cache: { configMap: { name: CACHE_CONFIGMAP } },
  };
}

/** Plugins Argo's own behaviour already covers; accepted as they are (documented). */
const NATIVE = new Set(['collectArtifacts', 'collectLogs', 'collectResources', 'syncStatuses', 'autoResume']);

function plugins(
  value: Plugins | string | undefined,
  origin: CompiledOperation['op'],
  context: LowerContext,
  out: OperationSettings,
  at: (f: string, ...r: (string | number)[]) => Path,
): void {
  if (value === undefined) return;
  if (typeof value === 'string')
    return context.unsupported(origin, at('plugins'), 'templated `plugins` cannot be resolved before the run');
  for (const [key, setting] of Object.entries(value)) {
    if (setting === undefined || NATIVE.has(key)) continue;
    switch (key) {
      case 'shm':
        if (setting === true) {
          out.volumes.push({ name: 'plx-shm', emptyDir: { medium: 'Memory' } });
          out.volumeMounts.push({ name: 'plx-shm', mountPath: '/dev/shm' });
        }
        break;
      case 'docker':
        if (setting === true) {
          out.volumes.push({ name: 'plx-docker', hostPath: { path: '/var/run/docker.sock' } });
          out.volumeMounts.push({ name: 'plx-docker', mountPath: '/var/run/docker.sock' });
        }
        break;
      case 'logLevel':
        out.env.push({ name: 'POLYAXON_LOG_LEVEL', value: encodeBraces(String(setting)) });
        break;
      default:
        if (setting === false || (Array.isArray(setting) && setting.length === 0)) break;
        context.unsupported(
          origin,
          at('plugins', key),
          `plugin \`${key}\` needs the Polyaxon platform, which does not run under Argo`,
          key === 'notifications' ? 'use `hooks` to notify when a run ends' : `remove \`${key}\` or set it to false`,
        );
    }
  }
}
