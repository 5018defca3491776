import type { Manifest, Parameter, Workflow, WorkflowSpec } from '../argo/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedOperation } from '../resolve/model.js';
import { argumentValue } from './arguments.js';
import { compileOperation } from './compile.js';
import { workflowHooks } from './hooks.js';
import { LowerContext, type LowerOptions } from './context.js';
import { toArgoName } from './names.js';
import { defineBraceVariable, hasEncodedBraces } from './literal-braces.js';
import { lowerOperation } from './operation.js';
import { lowerSchedule } from './schedule.js';
import { operationAnnotations, POD_TTL_LABEL } from './settings.js';

export const ANNOTATION_PREFIX = 'polyaxon-argo.io';
/** JSON map `DAG-template/task` → Polyaxon operation name; the watcher reads it to name check runs. */
export const OPERATIONS_ANNOTATION = `${ANNOTATION_PREFIX}/operations`;

/** JSON list of the early-stopping policies the GitHub Action's watcher enforces. */
export const EARLY_STOPPING_ANNOTATION = `${ANNOTATION_PREFIX}/early-stopping`;

export interface LowerResult {
  manifest?: Manifest;
  diagnostics: Diagnostic[];
}

/**
 * A resolved, checked Polyaxonfile → one Argo manifest: a Workflow (or WorkflowTemplate)
 * whose entrypoint runs the top operation. Every field either maps or is reported.
 */
export function lowerToArgo(root: ResolvedOperation, options: LowerOptions): LowerResult {
  const context = new LowerContext(options);
  const compiled = compileOperation(root, {});
  const termination = typeof compiled.termination === 'object' ? compiled.termination : undefined;
  if (typeof termination?.ttl === 'number') context.workflowTtl = termination.ttl;

  const entry = lowerOperation(compiled, context, true);
  if (!entry || context.hasErrors()) return { diagnostics: context.diagnostics };

  const parameters: Parameter[] = [];
  for (const input of entry.inputs) {
    const located = root.params.get(input);
    const io = compiled.component.inputs?.find((i) => i.name === input);
    const value = located ? argumentValue(located, io, root, undefined, context) : entry.defaults.get(input);
    parameters.push(value === undefined ? { name: input } : { name: input, value });
  }
  if (context.hasErrors()) return { diagnostics: context.diagnostics };

  const dagVolumes = compiled.run.kind === 'dag' ? (compiled.run as { volumes?: unknown }).volumes : undefined;
  if (JSON.stringify(dagVolumes ?? []).includes('{{'))
    context.unsupported(
      root.component!,
      [...root.component!.path, 'run', 'volumes'],
      'templates in `volumes` are not translated, and Argo would evaluate them as its own',
    );
  const hooks = workflowHooks(compiled, context);
  if (context.hasErrors()) return { diagnostics: context.diagnostics };
  const isDag = compiled.run.kind === 'dag' || root.operation.matrix !== undefined;
  const spec: WorkflowSpec = {
    entrypoint: entry.name,
    ...(parameters.length ? { arguments: { parameters } } : {}),
    ...(Array.isArray(dagVolumes) ? { volumes: dagVolumes as Record<string, unknown>[] } : {}),
    ...(isDag && typeof termination?.timeout === 'number' ? { activeDeadlineSeconds: termination.timeout } : {}),
    ...(context.workflowTtl !== undefined ? { ttlStrategy: { secondsAfterCompletion: context.workflowTtl } } : {}),
    ...(hooks ? { hooks } : {}),
    ...(context.podTtl !== undefined
      ? {
          podGC: {
            strategy: 'OnPodCompletion',
            deleteDelayDuration: `${context.podTtl}s`,
            labelSelector: { matchLabels: { [POD_TTL_LABEL]: String(context.podTtl) } },
          },
        }
      : {}),
    templates: context.templates,
  };
  if (hasEncodedBraces(JSON.stringify(spec))) defineBraceVariable(context.templates);
  const workflow: Workflow = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: options.kind === 'workflow-template' ? 'WorkflowTemplate' : 'Workflow',
    metadata: metadata(
      root,
      root.operation.description ?? compiled.component.description ?? undefined,
      operationAnnotations(compiled),
      context,
    ),
    spec,
  };
  if (!root.operation.schedule) return { manifest: workflow, diagnostics: context.diagnostics };
  const cron = lowerSchedule(root, workflow, context);
  return cron && !context.hasErrors()
    ? { manifest: cron, diagnostics: context.diagnostics }
    : { diagnostics: context.diagnostics };
}

function metadata(
  root: ResolvedOperation,
  description: string | undefined,
  extra: Record<string, string>,
  context: LowerContext,
): Workflow['metadata'] {
  const { options } = context;
  const base = toArgoName(root.name, 52);
  const naming = options.name
    ? { name: options.name }
    : options.kind === 'workflow-template'
      ? { name: base }
      : { generateName: `${options.generateName ?? base}-`.replace(/--$/, '-') };
  const namespace =
    options.namespace ?? (typeof root.operation.namespace === 'string' ? root.operation.namespace : undefined);
  const annotations: Record<string, string> = { ...extra };
  if (description) annotations['workflows.argoproj.io/description'] = description;
  if (context.operationNames.size)
    annotations[OPERATIONS_ANNOTATION] = JSON.stringify(Object.fromEntries(context.operationNames));
  if (context.earlyStopping.length) annotations[EARLY_STOPPING_ANNOTATION] = JSON.stringify(context.earlyStopping);
  return {
    ...naming,
    ...(namespace ? { namespace } : {}),
    labels: { [`${ANNOTATION_PREFIX}/pipeline`]: base },
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}
