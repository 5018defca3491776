import type { ResolvedOperation } from '../resolve/model.js';
import type { Cache } from '../schema/cache.js';
import type { Environment } from '../schema/environment.js';
import type { Plugins } from '../schema/plugins.js';
import type { Component, Runtime } from '../schema/polyaxonfile.js';
import type { Termination } from '../schema/termination.js';
import { patch, type PatchStrategy } from './patch.js';

/**
 * What a dag passes down to its operations (spec §6.4): its environment, and the dag
 * operation's cache, termination, plugins and queue. Fields may still hold `{{ }}` strings
 * (RefFields); the lowering rejects those where Argo needs a literal.
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
  component: Component;
  /** The component's run with the operation's `runPatch` applied and the environment merged. */
  run: Runtime;
  /** What this operation passes to its own children when its component is a dag. */
  inheritedByChildren: Inherited;
}

/**
 * Precedence, highest first: the operation's own values (`runPatch.environment` for the
 * environment), the dag's, the component's. Objects merge field by field; lists are unioned
 * in the order component, dag, operation.
 */
export function compileOperation(op: ResolvedOperation, inherited: Inherited): CompiledOperation {
  const component = op.component!.component;
  const strategy: PatchStrategy = op.operation.patchStrategy ?? 'post_merge';
  const runPatch = (op.operation.runPatch ?? {}) as Record<string, unknown>;
  const { environment: patchedEnvironment, ...restOfPatch } = runPatch;
  const componentEnvironment = (component.run as { environment?: Environment | string }).environment;
  const environment = patch(patch(componentEnvironment, inherited.environment), patchedEnvironment, strategy);
  const run = {
    ...patch(component.run, { ...restOfPatch, kind: undefined }, strategy),
    ...(environment !== undefined ? { environment } : {}),
  } as Runtime;

  const layered = <K extends 'termination' | 'cache' | 'plugins'>(key: K) =>
    patch(patch(component[key], inherited[key]), op.operation[key], strategy);
  const termination = layered('termination');
  const cache = layered('cache');
  const plugins = layered('plugins');
  const queue = op.operation.queue ?? inherited.queue ?? component.queue;

  const settings: Inherited = {
    ...(environment !== undefined ? { environment } : {}),
    ...(termination !== undefined ? { termination } : {}),
    ...(cache !== undefined ? { cache } : {}),
    ...(plugins !== undefined ? { plugins } : {}),
    ...(queue !== undefined ? { queue } : {}),
  };
  return { op, component, run, ...settings, inheritedByChildren: settings };
}
