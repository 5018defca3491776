import { DEADLINE_INPUT, NAME_INPUT } from '../../argo/contract.js';
import { toArgoName } from '../../argo/names.js';
import { expression, expressionOf, variable, type ArgoText } from '../../argo/text.js';
import type { BoundTemplate, MatrixTemplate } from '../../model/pipeline.js';
import { matrixParamNames } from '../rules/matrix-space.js';
import type { CompiledOperation } from './compile.js';
import type { BindContext } from './context.js';
import { bindDag } from './dag.js';
import { bindEarlyStopping } from './early-stopping.js';
import { parameterText } from './inputs.js';
import { bindJob } from './job.js';
import { expandMatrix } from './matrix/expand.js';
import { checkPlatformFields } from './platform-fields.js';
import { bindResource, isResourceKind } from './resource.js';

const JOB_KINDS = new Set(['job', 'service', 'notifier', 'cleaner', 'tuner']);

export interface TemplateRole {
  /** The top operation: the workflow's entrypoint. */
  isRoot?: boolean;
  /** A hook's operation. */
  isHook?: boolean;
  /**
   * The operation runs inside a dag with a timeout: its template takes the dag's deadline as the
   * `plx-deadline` input, and its pods stop at it (spec §8.8 on a nested dag).
   */
  deadline?: boolean;
}

/** A dag operation's own `termination.timeout`, which bounds everything under it. */
export function dagTimeout(compiled: CompiledOperation): number | undefined {
  const timeout = typeof compiled.termination === 'object' ? compiled.termination.timeout : undefined;
  return compiled.run.kind === 'dag' && typeof timeout === 'number' ? timeout : undefined;
}

/**
 * The deadline a task passes to its template: now plus the dag's own timeout (but never past the
 * deadline it is itself under), or the deadline it is under.
 */
export function deadlineArgument(timeout: number | undefined, underDeadline: boolean): ArgoText {
  const inherited = `asInt(${expressionOf(`inputs.parameters.${DEADLINE_INPUT}`)})`;
  if (timeout === undefined) return variable(`inputs.parameters.${DEADLINE_INPUT}`);
  return expression(underDeadline ? `min(now().Unix() + ${timeout}, ${inherited})` : `now().Unix() + ${timeout}`);
}

/**
 * One operation → the template its task runs: a container, a Kubeflow resource or a nested
 * DAG, wrapped in a fan-out DAG when the operation has a matrix (spec §2.4: the matrix applies
 * before the dag expands). Undefined when Argo cannot run it (reported).
 */
export function bindTemplate(
  compiled: CompiledOperation,
  context: BindContext,
  role: TemplateRole = {},
): BoundTemplate | undefined {
  const { op, run } = compiled;
  checkPlatformFields(compiled, role.isRoot === true, context);
  const matrix = op.operation.matrix;
  const matrixKeys = matrixParamNames(matrix);
  const io = new Set([...(compiled.component.inputs ?? []), ...(compiled.component.outputs ?? [])].map((i) => i.name));
  const contextParams = [
    ...new Set([
      ...[...op.params.values()].filter((p) => p.param.contextOnly).map((p) => p.name),
      ...matrixKeys.filter((k) => !io.has(k)),
    ]),
  ];

  // Context params become the template's input parameters, named as Argo names parameters.
  for (const name of contextParams) {
    const located = op.params.get(name);
    if (!/^[-a-zA-Z0-9_]+$/.test(name))
      context.report(
        located ?? op,
        located ? located.path : [...op.path, 'matrix'],
        'invalid-name',
        `\`${name}\` cannot name an Argo parameter`,
        {
          hint: 'use letters, digits, `-` and `_`',
        },
      );
  }
  // A nested dag with a timeout of its own is under a deadline; the top one's is the workflow's.
  const ownDeadline = !role.isRoot && dagTimeout(compiled) !== undefined;
  const deadline = role.deadline === true || ownDeadline;
  let inner: BoundTemplate | undefined;
  if (run.kind === 'dag') inner = bindDag(compiled, contextParams, context, deadline);
  else if (JOB_KINDS.has(run.kind)) inner = bindJob(compiled, contextParams, context, deadline);
  else if (isResourceKind(run.kind)) {
    if (deadline)
      context.unsupported(
        compiled.resolved,
        [...compiled.resolved.path, 'run', 'kind'],
        `a ${run.kind} inside a dag with a \`timeout\` cannot be stopped at the dag's deadline: Argo passes it no running time`,
        "put the timeout on the operation itself (`termination.timeout`), or remove the dag's",
      );
    else inner = bindResource(compiled, run.kind, contextParams, context);
  } else {
    context.unsupported(
      compiled.resolved,
      [...compiled.resolved.path, 'run', 'kind'],
      `\`run.kind: ${run.kind}\` has no Argo mapping yet`,
      'run it as a `job` whose container starts the cluster, or as a Kubernetes resource from a job',
    );
    return undefined;
  }
  if (!inner || !matrix) return inner;
  return wrapMatrix(compiled, inner, matrixKeys, context, {
    under: role.deadline === true,
    item: ownDeadline ? deadlineArgument(dagTimeout(compiled), role.deadline === true) : undefined,
  });
}

/**
 * The matrix fan-out: a DAG whose one task runs the operation's template once per suggestion
 * (`withItems`), with `parallelism` set to the matrix `concurrency`.
 */
function wrapMatrix(
  compiled: CompiledOperation,
  inner: BoundTemplate,
  keys: readonly string[],
  context: BindContext,
  deadline: { under: boolean; item: ArgoText | undefined },
): MatrixTemplate | undefined {
  const { op } = compiled;
  const matrix = op.operation.matrix;
  if (!matrix) return undefined;
  const at = [...op.path, 'matrix'];
  const suggestions = expandMatrix(matrix);
  if (!Array.isArray(suggestions)) {
    context.report(op, [...at, ...suggestions.at], suggestions.code, suggestions.message, {
      anchor: 'value',
      ...(suggestions.hint ? { hint: suggestions.hint } : {}),
    });
    return undefined;
  }
  if (typeof matrix.concurrency === 'string') context.templated(op, [...at, 'concurrency'], 'matrix concurrency');
  const mark = context.mark();
  // Each item's values travel as parameter text, like any param's; Polyaxon renders the matrix
  // with the operation's params before expanding it, which Argo cannot: templates are refused.
  const types = new Map((compiled.component.inputs ?? []).map((io) => [io.name, io.type]));
  const items = suggestions.map((suggestion, index) =>
    Object.fromEntries(
      keys.map((key): [string, ArgoText | number] => {
        const value = suggestion[key];
        // Integers stay JSON numbers; floats and booleans become the text Polyaxon renders.
        if (typeof value === 'number' && Number.isInteger(value) && types.get(key) !== 'float') return [key, value];
        const text = parameterText(value, types.get(key));
        const where = matrix.kind === 'mapping' ? [...at, 'values', index, key] : [...at, 'params', key];
        if (typeof value === 'string' && value.includes('{{'))
          context.report(
            op,
            where,
            'untranslatable-template',
            'templates in matrix values are not rendered before the matrix is expanded',
            {
              anchor: 'value',
              hint: 'write the values out',
            },
          );
        return [key, context.encodable(text, 'argv', op, where) ?? text];
      }),
    ),
  );
  const { failFast } = bindEarlyStopping(
    matrix.earlyStopping,
    suggestions.length,
    op,
    [...at, 'earlyStopping'],
    context,
  );
  if (context.refusedSince(mark)) return undefined;
  // The wrapper takes the operation's other params and hands them on, with each item's values.
  const passed = inner.inputs
    .map((i) => i.name)
    .filter((name) => !keys.includes(name) && (op.params.has(name) || name === DEADLINE_INPUT || name === NAME_INPUT));
  return {
    kind: 'matrix',
    preferredName: `${op.name || inner.preferredName}-matrix`,
    // The wrapper takes the deadline it is under; a dag with a timeout starts one for each run.
    inputs: passed.filter((name) => name !== DEADLINE_INPUT || deadline.under).map((name) => ({ name })),
    task: toArgoName(op.name || 'run'),
    inner,
    items,
    passed,
    ...(deadline.item ? { itemDeadline: deadline.item } : {}),
    ...(typeof matrix.concurrency === 'number' ? { parallelism: matrix.concurrency } : {}),
    failFast,
  };
}
