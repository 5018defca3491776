import type { CompiledOperation } from './compile.js';
import type { BindContext } from './context.js';

/**
 * Operation fields that only the Polyaxon platform can act on. Each is reported where it is
 * written rather than dropped: a pipeline must not run differently from what its file says.
 */
export function checkPlatformFields(compiled: CompiledOperation, isRoot: boolean, context: BindContext): void {
  const { op, component } = compiled;
  const operation = op.operation;
  const here = (field: string) => [...op.path, field];
  const inComponent = (field: string) => [...compiled.resolved.path, field];
  const report = (at: (string | number)[], what: string, hint?: string) => context.unsupported(op, at, what, hint);

  if (operation.schedule && !isRoot)
    report(
      here('schedule'),
      'Argo cannot schedule one task of a workflow',
      'schedule the whole pipeline: put `schedule` on the top-level operation',
    );
  if (operation.schedule && context.options.kind === 'workflow-template')
    report(
      here('schedule'),
      'a scheduled pipeline becomes a CronWorkflow, not a WorkflowTemplate',
      'drop `--kind workflow-template`',
    );
  if (Array.isArray(operation.joins) || typeof operation.joins === 'string')
    report(
      here('joins'),
      "`joins` query Polyaxon's database of past runs, which Argo does not have",
      'pass the values as params',
    );
  for (const [field, value] of [
    ['build', operation.build ?? component.build],
    ['presets', operation.presets ?? component.presets],
    ['mount', operation.mount ?? component.mount],
  ] as const) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const at = operation[field] !== undefined ? here(field) : inComponent(field);
    const hints = {
      build: 'build the image in CI and set `run.container.image`',
      presets: "write the preset's fields into the file",
      mount: 'declare the volume under `run.volumes` and mount it in the container',
    };
    context.unsupported(
      operation[field] !== undefined ? op : compiled.resolved,
      at,
      `\`${field}\` needs the Polyaxon platform, which does not run under Argo`,
      hints[field],
    );
  }
  if (!isRoot && operation.namespace !== undefined)
    report(
      here('namespace'),
      "every task of an Argo workflow runs in the workflow's namespace",
      'set the namespace on the top-level operation, or with `--namespace`',
    );
  // Outside a dag these fields have no upstream to act on (Polyaxon ignores them too), except
  // `conditions`, which Polyaxon evaluates for any run and Argo only for tasks.
  if (isRoot && operation.conditions !== undefined)
    report(
      here('conditions'),
      'Argo evaluates conditions only for the tasks of a dag, not for a whole workflow',
      'move the condition onto an operation of the dag',
    );
  for (const field of ['dependencies', 'events'] as const) {
    if (typeof operation[field] === 'string')
      report(
        here(field),
        `templated \`${field}\` cannot be resolved before the run: Argo needs the graph up front`,
        `list the ${field} in the file`,
      );
  }
  if (Array.isArray(operation.events)) {
    operation.events.forEach((event, i) => {
      if (typeof event.kinds === 'string')
        report([...here('events'), i, 'kinds'], 'templated event `kinds` cannot be resolved before the run');
    });
  }
  const approved = operation.isApproved ?? component.isApproved;
  const where = operation.isApproved !== undefined ? here('isApproved') : inComponent('isApproved');
  if (typeof approved === 'string') report(where, 'a templated `isApproved` cannot be resolved before the run');
  else if (approved === false && isRoot)
    report(
      where,
      'the top operation cannot wait for an approval: in Argo an approval is a suspended step inside the workflow',
      'submit the pipeline once it is approved, or set `isApproved: false` on the operations of the dag that need one',
    );
}
