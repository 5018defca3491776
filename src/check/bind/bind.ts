import { workflowValue } from './project.js';
import { toArgoName } from '../../argo/names.js';
import { NAME_INPUT } from '../../argo/contract.js';
import { literal, type ArgoText } from '../../argo/text.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { BoundPipeline } from '../../model/pipeline.js';
import type { ResolvedOperation } from '../../resolve/model.js';
import { compileOperation } from './compile.js';
import { BindContext, type ArgoOptions } from './context.js';
import { bindHooks } from './hooks.js';
import { bindTemplate } from './operation.js';
import { checkPlain } from './plain.js';
import { bindSchedule } from './schedule.js';
import { operationAnnotations } from './settings.js';
import { bindValue } from './values.js';
import { checkVolumes } from './volumes.js';

export type { ArgoOptions };

export interface BindResult {
  /** Present when Argo can express the whole pipeline. */
  pipeline?: BoundPipeline;
  /** What Argo cannot express, each at its place (and warnings). */
  diagnostics: Diagnostic[];
}

/**
 * The last check: a pipeline Polyaxon accepts → the bound model lowering writes, or located
 * errors for whatever Argo cannot express or would refuse when the workflow runs. Runs on a
 * resolved tree the Polyaxon rules (src/check/rules) found no error in.
 */
export function bindPipeline(root: ResolvedOperation, options: ArgoOptions): BindResult {
  const context = new BindContext(options);
  const compiled = compileOperation(root, {});
  if (!compiled) return { diagnostics: context.diagnostics };
  const termination = typeof compiled.termination === 'object' ? compiled.termination : undefined;
  if (typeof termination?.ttl === 'number') context.workflowTtl = termination.ttl;

  const template = bindTemplate(compiled, context, { isRoot: true });
  const args: BoundPipeline['arguments'] = [];
  for (const input of template?.inputs ?? []) {
    const located = root.params.get(input.name);
    const io = compiled.component.inputs?.find((i) => i.name === input.name);
    const value: ArgoText | undefined =
      input.name === NAME_INPUT
        ? literal(root.name)
        : located
          ? bindValue(located, io, root, undefined, context)
          : input.default;
    args.push(value === undefined ? { name: input.name } : { name: input.name, value });
  }
  const dagRun = compiled.run.kind === 'dag' ? compiled.run : undefined;
  const volumesAt = [...compiled.resolved.path, 'run', 'volumes'];
  if (typeof dagRun?.volumes === 'string') context.templated(compiled.resolved, volumesAt, 'volumes');
  const volumes = Array.isArray(dagRun?.volumes)
    ? checkVolumes(dagRun.volumes, context, compiled.resolved, volumesAt)
    : [];
  const exitHooks = bindHooks(compiled, undefined, context);
  const schedule = bindSchedule(root, context);
  const description = root.operation.description ?? compiled.component.description ?? undefined;
  const describedAt = root.operation.description
    ? [...root.path, 'description']
    : [...compiled.resolved.path, 'description'];
  if (description)
    checkPlain(
      description,
      context,
      root.operation.description ? root : compiled.resolved,
      describedAt,
      'a description',
    );
  // After every text is bound (hooks included): the workflow parameters they read.
  for (const parameter of [...context.workflowValues].sort()) {
    const value = workflowValue(parameter, options);
    args.push(value === undefined ? { name: parameter } : { name: parameter, value: literal(value) });
  }
  if (!template || !volumes || context.hasErrors()) return { diagnostics: context.diagnostics };

  const isDag = template.kind === 'dag' || template.kind === 'matrix';
  const pipeline = toArgoName(root.name, 52);
  const { options: o } = context;
  const namespace =
    o.namespace ?? (typeof root.operation.namespace === 'string' ? root.operation.namespace : undefined);
  return {
    pipeline: {
      kind: o.kind === 'workflow-template' ? 'WorkflowTemplate' : 'Workflow',
      metadata: {
        ...(o.name
          ? { name: o.name }
          : o.kind === 'workflow-template'
            ? { name: pipeline }
            : { generateName: `${o.generateName ?? pipeline}-`.replace(/--$/, '-') }),
        ...(namespace ? { namespace } : {}),
        pipeline,
        ...(description ? { description } : {}),
        annotations: operationAnnotations(compiled, context),
      },
      root: { name: root.name, task: template.preferredName, template, arguments: new Map(), hooks: [] },
      arguments: args,
      volumes,
      ...(isDag && typeof termination?.timeout === 'number' ? { activeDeadlineSeconds: termination.timeout } : {}),
      ...(context.workflowTtl !== undefined ? { ttl: context.workflowTtl } : {}),
      ...(context.podTtl !== undefined ? { podTtl: context.podTtl } : {}),
      exitHooks,
      ...(schedule ? { schedule } : {}),
      watcherEarlyStopping: context.watcherEarlyStopping,
    },
    diagnostics: context.diagnostics,
  };
}
