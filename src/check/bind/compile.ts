import type { ResolvedComponent, ResolvedOperation } from '../../resolve/model.js';
import type { Cache } from '../../schema/cache.js';
import type { Environment } from '../../schema/environment.js';
import type { Plugins } from '../../schema/plugins.js';
import type { Component, Runtime } from '../../schema/polyaxonfile.js';
import type { Termination } from '../../schema/termination.js';
import { patch, type PatchStrategy } from './patch.js';

/**
 * What a dag passes down to its operations (spec §6.4): its environment, and the dag
 * operation's cache, termination, plugins and queue. Fields may still hold `{{ }}` strings
 * (RefFields); binding refuses those where Argo needs a value.
 */
export interface Inherited {
  environment?: Environment | string;
  termination?: Termination | string;
  cache?: Cache | string;
  plugins?: Plugins | string;
  queue?: string;
}

/** An operation merged with its component and its dag's inherited settings: what actually runs. */
export interface CompiledOperation extends Inherited {
  op: ResolvedOperation;
  resolved: ResolvedComponent;
  component: Component;
  /** The component's run with the operation's `runPatch` applied and the environment merged. */
  run: Runtime;
  /** What this operation passes to its own children when its component is a dag. */
  inheritedByChildren: Inherited;
}

/**
 * As Polyaxon's scheduler does (spec §6.4): the dag's settings are patched into the operation
 * with `pre_merge` (the operation's own values win), then the operation is compiled over its
 * component with the operation's `patchStrategy`. So for the environment, with the default
 * strategy, the operation's `runPatch.environment` wins over the dag's, which wins over the
 * component's, and lists are unioned in the order component, dag, operation; with `replace`,
 * every field the operation or the dag sets replaces the component's.
 */
export function compileOperation(op: ResolvedOperation, inherited: Inherited): CompiledOperation | undefined {
  const resolved = op.component;
  if (!resolved) return undefined;
  const { component } = resolved;
  const strategy: PatchStrategy = op.operation.patchStrategy ?? 'post_merge';
  const runPatch = op.operation.runPatch ?? {};
  const { environment: patchedEnvironment, ...restOfPatch } = runPatch;
  const componentEnvironment = 'environment' in component.run ? component.run.environment : undefined;
  const environment = patch(
    componentEnvironment,
    patch(patchedEnvironment, inherited.environment, 'pre_merge'),
    strategy,
  );
  const run: Runtime = {
    ...patch(component.run, { ...restOfPatch, kind: undefined }, strategy),
    ...(environment !== undefined ? { environment } : {}),
  };

  const layered = <K extends 'termination' | 'cache' | 'plugins'>(key: K) =>
    patch(component[key], patch(op.operation[key], inherited[key], 'pre_merge'), strategy);
  const termination = layered('termination');
  const cache = layered('cache');
  const plugins = layered('plugins');
  const queue = patch(component.queue, op.operation.queue ?? inherited.queue, strategy);

  const settings: Inherited = {
    ...(environment !== undefined ? { environment: environment } : {}),
    ...(termination !== undefined ? { termination } : {}),
    ...(cache !== undefined ? { cache } : {}),
    ...(plugins !== undefined ? { plugins } : {}),
    ...(queue !== undefined ? { queue } : {}),
  };
  return { op, resolved, component, run, ...settings, inheritedByChildren: settings };
}
