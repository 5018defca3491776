import type { DagTask, Parameter } from '../argo/types.js';
import type { CompiledOperation } from './compile.js';
import type { LowerContext } from './context.js';
import { lowerDag } from './dag-template.js';
import { lowerJob, type LoweredTemplate } from './job-template.js';
import { lowerEarlyStopping } from './early-stopping.js';
import { expandMatrix } from './matrix/expand.js';
import { matrixParamNames } from '../check/rules/matrix-space.js';
import { lowerResource } from './resource-template.js';
import { hasJinja } from './jinja.js';
import { toArgoName } from './names.js';
import { checkPlatformFields } from './operation-fields.js';

const JOB_KINDS = new Set(['job', 'service', 'notifier', 'cleaner', 'tuner']);
const RESOURCE_KINDS = new Set(['tfjob', 'pytorchjob', 'mpijob']);

export interface LoweredOperation extends LoweredTemplate {
  /** The operation fans out over a matrix (its outputs are lists). */
  fanOut: boolean;
  /** The operation runs a nested dag. */
  nestedDag: boolean;
}

/**
 * One operation → the template its task runs: a container, a Kubeflow resource or a nested
 * DAG, wrapped in a fan-out DAG when the operation has a matrix (spec §2.4: matrix applies
 * before the dag expands).
 */
export function lowerOperation(
  compiled: CompiledOperation,
  context: LowerContext,
  isRoot = false,
): LoweredOperation | undefined {
  const { op, run } = compiled;
  checkPlatformFields(compiled, isRoot, context);
  const matrix = op.operation.matrix;
  const matrixKeys = matrixParamNames(matrix);
  const io = new Set([...(compiled.component.inputs ?? []), ...(compiled.component.outputs ?? [])].map((i) => i.name));
  const contextParams = [
    ...[...op.params.values()].filter((p) => p.param.contextOnly).map((p) => p.name),
    ...matrixKeys.filter((k) => !io.has(k)),
  ];
  const unique = [...new Set(contextParams)];

  let inner: LoweredTemplate | undefined;
  if (run.kind === 'dag') inner = lowerDag(compiled, unique, context);
  else if (JOB_KINDS.has(run.kind)) inner = lowerJob(compiled, unique, context);
  else if (RESOURCE_KINDS.has(run.kind)) inner = lowerResource(compiled, unique, context);
  else {
    context.unsupported(
      op.component!,
      [...op.component!.path, 'run', 'kind'],
      `\`run.kind: ${run.kind}\` has no Argo mapping yet`,
      'run it as a `job` whose container starts the cluster, or as a Kubernetes resource from a job',
    );
    return undefined;
  }
  if (!inner) return undefined;
  if (!matrix) return { ...inner, fanOut: false, nestedDag: run.kind === 'dag' };
  const wrapped = wrapMatrix(compiled, inner, matrixKeys, context);
  return wrapped && { ...wrapped, fanOut: true, nestedDag: false };
}

/**
 * The matrix fan-out: a DAG whose one task runs the operation's template once per
 * suggestion (`withItems`), with `parallelism` set to the matrix `concurrency`.
 */
function wrapMatrix(
  compiled: CompiledOperation,
  inner: LoweredTemplate,
  keys: readonly string[],
  context: LowerContext,
): LoweredTemplate | undefined {
  const { op } = compiled;
  const matrix = op.operation.matrix!;
  const at = [...op.path, 'matrix'];
  const suggestions = expandMatrix(matrix);
  if (typeof suggestions === 'string') {
    context.unsupported(
      op,
      [...at, 'kind'],
      suggestions,
      matrix.kind === 'hyperband' ||
        matrix.kind === 'bayes' ||
        matrix.kind === 'hyperopt' ||
        matrix.kind === 'iterative'
        ? 'use `grid`, `random` or `mapping`, which expand before the run'
        : undefined,
    );
    return undefined;
  }
  // Polyaxon renders the matrix with the operation's params before expanding it; we expand it as written.
  if (hasJinja(JSON.stringify(suggestions)))
    context.unsupported(
      op,
      at,
      'templates in matrix values are not rendered before the matrix is expanded',
      'write the values out',
    );
  if (typeof matrix.concurrency === 'string')
    context.unsupported(
      op,
      [...at, 'concurrency'],
      'a templated matrix `concurrency` cannot be resolved before the run',
    );
  // The wrapper takes the operation's other params and hands them on, with each item's values.
  const passed = inner.inputs.filter((name) => !keys.includes(name) && op.params.has(name));
  const args: Parameter[] = inner.inputs
    .filter((name) => keys.includes(name) || passed.includes(name))
    .map((name) => ({ name, value: keys.includes(name) ? `{{item.${name}}}` : `{{inputs.parameters.${name}}}` }));
  const task: DagTask = {
    name: toArgoName(op.name || 'run'),
    template: inner.name,
    ...(args.length ? { arguments: { parameters: args } } : {}),
    withItems: suggestions,
  };
  const name = context.addTemplate(`${op.name || inner.name}-matrix`, {
    ...(passed.length ? { inputs: { parameters: passed.map((p) => ({ name: p })) } } : {}),
    ...(typeof matrix.concurrency === 'number' ? { parallelism: matrix.concurrency } : {}),
    dag: {
      failFast: lowerEarlyStopping(matrix.earlyStopping, suggestions.length, op, [...at, 'earlyStopping'], context)
        .failFast,
      tasks: [task],
    },
  });
  return { name, inputs: passed, defaults: new Map(), daemon: false };
}
