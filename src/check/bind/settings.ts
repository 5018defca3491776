import {
  COST_ANNOTATION,
  DOCKER_VOLUME,
  LOG_LEVEL_VARIABLE,
  POD_TTL_LABEL,
  SHM_VOLUME,
  TAGS_ANNOTATION,
} from '../../argo/contract.js';
import { concat, expression, expressionOf, literal } from '../../argo/text.js';
import type { Checked } from '../../model/checked.js';
import type { BoundEnvVar, PodSettings } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { Cache } from '../../schema/cache.js';
import type { Plugins } from '../../schema/plugins.js';
import type { Termination } from '../../schema/termination.js';
import { hash } from '../../argo/names.js';
import type { CompiledOperation } from './compile.js';
import type { BindContext } from './context.js';
import { built } from './plain.js';

export type Settings = Pick<
  PodSettings,
  'labels' | 'annotations' | 'retries' | 'activeDeadlineSeconds' | 'memoize' | 'semaphore'
>;

/** What an operation's plugins add to its main container and pod. */
export interface PluginMounts {
  env: BoundEnvVar[];
  volumes: Checked[];
  volumeMounts: Checked[];
}

/**
 * termination, cache, queue, tags, cost and plugins of an operation (merged with its dag's and its
 * component's, spec §6.4) → Argo template settings and pod additions. Undefined when one of them
 * was refused.
 */
export function bindSettings(
  compiled: CompiledOperation,
  context: BindContext,
): { settings: Settings; plugins: PluginMounts } | undefined {
  const mark = context.mark();
  const origin = compiled.op;
  const at = (field: string, ...rest: (string | number)[]): Path => [...compiled.op.path, field, ...rest];
  const settings: Settings = { labels: {}, annotations: operationAnnotations(compiled, context) };
  termination(compiled.termination, compiled, context, settings, at);
  cache(compiled.cache, compiled, context, settings, at);
  if (compiled.queue !== undefined) {
    if (compiled.queue.includes('{{')) context.templated(origin, at('queue'), 'queue');
    else settings.semaphore = compiled.queue.replace(/[^-._a-zA-Z0-9]/g, '.');
  }
  const plugins = bindPlugins(compiled.plugins, compiled, context, at);
  return context.refusedSince(mark) ? undefined : { settings, plugins };
}

/** An operation's tags (its own, else its component's) and cost, as pod annotations. */
export function operationAnnotations(compiled: CompiledOperation, context: BindContext): Record<string, string> {
  const { op } = compiled;
  const tags = op.operation.tags ?? compiled.component.tags;
  const cost = op.operation.cost ?? compiled.component.cost;
  const out: Record<string, string> = {};
  if (tags?.length) {
    const at = op.operation.tags ? [...op.path, 'tags'] : [...compiled.resolved.path, 'tags'];
    const owner = op.operation.tags ? op : compiled.resolved;
    const joined = tags.join(',');
    if (joined.includes('{{'))
      context.report(
        owner,
        at,
        'untranslatable-template',
        'a tag holds `{{`, which Argo would read as its own tag in the pod annotation',
        {
          hint: 'remove the braces from the tag',
        },
      );
    else out[TAGS_ANNOTATION] = joined;
  }
  if (typeof cost === 'string') context.templated(op, [...op.path, 'cost'], 'cost');
  else if (cost !== undefined) out[COST_ANNOTATION] = String(cost);
  return out;
}

function termination(
  value: Termination | string | undefined,
  compiled: CompiledOperation,
  context: BindContext,
  out: Settings,
  at: (f: string, ...r: (string | number)[]) => Path,
): void {
  if (value === undefined) return;
  const origin = compiled.op;
  if (typeof value === 'string') return context.templated(origin, at('termination'), 'termination');
  if (typeof value.maxRetries === 'string') context.templated(origin, at('termination', 'maxRetries'), 'maxRetries');
  else if (value.maxRetries !== undefined && value.maxRetries > 0) out.retries = value.maxRetries;
  if (typeof value.timeout === 'string') context.templated(origin, at('termination', 'timeout'), 'timeout');
  else if (value.timeout !== undefined) {
    // Kubernetes refuses activeDeadlineSeconds of 0 or less.
    if (value.timeout <= 0)
      context.report(
        origin,
        at('termination', 'timeout'),
        'invalid-value',
        `\`timeout: ${value.timeout}\` would stop the operation before it starts`,
        {
          anchor: 'value',
          hint: 'give a number of seconds above 0, or remove `timeout` for no limit',
        },
      );
    else out.activeDeadlineSeconds = value.timeout;
  }
  // ttl: the top operation's becomes the workflow's ttlStrategy; an operation's own ttl deletes its
  // pods that long after they finish, through the workflow's podGC and a label on the pods.
  if (typeof value.ttl === 'string') context.templated(origin, at('termination', 'ttl'), 'ttl');
  else if (value.ttl !== undefined && value.ttl !== context.workflowTtl) {
    context.podTtl ??= value.ttl;
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

/** The parts of the run each cache section covers (spec §8.9). */
const CACHE_SECTIONS: Record<string, readonly string[]> = {
  init: ['init'],
  connections: ['connections'],
  containers: ['container', 'sidecars'],
};

function cache(
  value: Cache | string | undefined,
  compiled: CompiledOperation,
  context: BindContext,
  out: Settings,
  at: (f: string, ...r: (string | number)[]) => Path,
): void {
  if (value === undefined) return;
  if (typeof value === 'string') return context.templated(compiled.op, at('cache'), 'cache');
  if (typeof value.disable === 'string') return context.templated(compiled.op, at('cache', 'disable'), 'cache.disable');
  if (value.disable === true) return;
  if (typeof value.ttl === 'string') return context.templated(compiled.op, at('cache', 'ttl'), 'cache.ttl');
  // The key covers what the run does (its cache sections, else all of it) and the inputs it
  // considers. Argo requires a key of letters, digits and `-` once substituted, so the values
  // are hashed while the workflow runs rather than written into the key.
  const run: Record<string, unknown> = { ...compiled.run };
  const covered = value.sections
    ? Object.fromEntries(
        value.sections.flatMap((section) => (CACHE_SECTIONS[section] ?? []).map((key) => [key, run[key]])),
      )
    : run;
  const inputs = (compiled.component.inputs ?? [])
    .map((io) => io.name)
    .filter((name) => !value.io || value.io.includes(name));
  const parts = [
    `'${hash(JSON.stringify(covered))}'`,
    ...inputs.map((name) => expressionOf(`inputs.parameters.${name}`)),
  ];
  out.memoize = {
    key: concat(literal('polyaxon-'), expression(`sprig.sha256sum(sprig.toJson([${parts.join(', ')}]))`)),
    ...(typeof value.ttl === 'number' ? { maxAge: `${value.ttl}s` } : {}),
  };
}

/** Plugins Argo's own behaviour already covers; accepted as they are (documented). */
const NATIVE = new Set(['collectArtifacts', 'collectLogs', 'collectResources', 'syncStatuses', 'autoResume']);

function bindPlugins(
  value: Plugins | string | undefined,
  compiled: CompiledOperation,
  context: BindContext,
  at: (f: string, ...r: (string | number)[]) => Path,
): PluginMounts {
  const out: PluginMounts = { env: [], volumes: [], volumeMounts: [] };
  const origin = compiled.op;
  if (value === undefined) return out;
  if (typeof value === 'string') {
    context.templated(origin, at('plugins'), 'plugins');
    return out;
  }
  for (const [key, setting] of Object.entries(value)) {
    if (setting === undefined || NATIVE.has(key)) continue;
    if (typeof setting === 'string' && setting.includes('{{') && key !== 'logLevel') {
      context.templated(origin, at('plugins', key), `plugins.${key}`);
      continue;
    }
    switch (key) {
      case 'shm':
        if (setting === true) {
          out.volumes.push(built({ name: SHM_VOLUME, emptyDir: { medium: 'Memory' } }));
          out.volumeMounts.push(built({ name: SHM_VOLUME, mountPath: '/dev/shm' }));
        }
        break;
      case 'docker':
        if (setting === true) {
          out.volumes.push(built({ name: DOCKER_VOLUME, hostPath: { path: '/var/run/docker.sock' } }));
          out.volumeMounts.push(built({ name: DOCKER_VOLUME, mountPath: '/var/run/docker.sock' }));
        }
        break;
      case 'logLevel':
        if (typeof setting === 'string' && setting.includes('{{'))
          context.templated(origin, at('plugins', key), 'plugins.logLevel');
        else if (typeof setting === 'string') out.env.push({ name: LOG_LEVEL_VARIABLE, value: literal(setting) });
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
  return out;
}
