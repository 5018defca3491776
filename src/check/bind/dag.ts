import { DEADLINE_INPUT, NAME_INPUT } from '../../argo/contract.js';
import { NameTable } from '../../argo/names.js';
import { literal, type ArgoText } from '../../argo/text.js';
import type { BoundOperation, BoundTemplate, DagTemplate } from '../../model/pipeline.js';
import { graphOf } from '../../graph/dag-graph.js';
import type { ResolvedOperation } from '../../resolve/model.js';
import { compileOperation, type CompiledOperation } from './compile.js';
import { bindCondition } from './conditions.js';
import type { BindContext } from './context.js';
import { bindDepends } from './depends.js';
import { bindEarlyStopping } from './early-stopping.js';
import { bindHooks } from './hooks.js';
import { templateInputs } from './inputs.js';
import { bindTemplate, dagTimeout, deadlineArgument } from './operation.js';
import { operationAnnotations } from './settings.js';
import { bindValue, type ValueScope } from './values.js';

interface Entry {
  op: ResolvedOperation;
  compiled: CompiledOperation;
  task: string;
  template?: BoundTemplate;
}

/**
 * A dag operation → a DAG template: one task per operation, `depends` from the graph, arguments
 * from params, `when` from conditions, `parallelism` from `concurrency`. `failFast` is off: in
 * Polyaxon a failed operation does not stop independent branches.
 */
export function bindDag(
  compiled: CompiledOperation,
  contextParams: readonly string[],
  context: BindContext,
  /** Under a deadline (its own timeout, or an enclosing dag's): every task inside is. */
  deadline = false,
): DagTemplate | undefined {
  const dag = compiled.resolved.dag;
  if (!dag) return undefined;
  const mark = context.mark();
  const graph = graphOf(dag);
  const taskNames = new NameTable();

  const entries = new Map<string, Entry>();
  for (const name of graph.names) {
    const op = graph.operations.get(name);
    const child = op && compileOperation(op, compiled.inheritedByChildren);
    if (op && child) entries.set(name, { op, compiled: child, task: taskNames.claim(name) });
  }
  for (const entry of entries.values()) {
    const template = sharedTemplate(entry, compiled, context, deadline);
    if (template) entry.template = template;
  }

  const dagInputs = new Map(dag.inputs.map((io) => [io.name, io]));
  const memo = new Map<string, ArgoText | undefined>();
  const argumentOf = (entry: Entry, input: string): ArgoText | undefined => {
    const key = `${entry.op.name}\u0000${input}`;
    if (!memo.has(key)) {
      const located = entry.op.params.get(input);
      const io = entry.compiled.component.inputs?.find((i) => i.name === input);
      memo.set(key, located ? bindValue(located, io, entry.op, scope, context) : undefined);
    }
    return memo.get(key);
  };
  const scope: ValueScope = {
    dagInputs: new Set(dagInputs.keys()),
    operation: (name) => {
      const entry = entries.get(name);
      return entry?.template && { task: entry.task, template: entry.template };
    },
    inputOf: (name, input) => {
      const entry = entries.get(name);
      return entry && (argumentOf(entry, input) ?? entry.template?.inputs.find((i) => i.name === input)?.default);
    },
    dagInputType: (name) => dagInputs.get(name),
    outputType: (name, output) => entries.get(name)?.compiled.component.outputs?.find((io) => io.name === output),
  };

  const tasks: BoundOperation[] = [];
  for (const entry of entries.values()) {
    const { op, template } = entry;
    if (!template) continue;
    const args = new Map<string, ArgoText>();
    for (const input of template.inputs) {
      const value =
        input.name === NAME_INPUT
          ? literal(op.name)
          : input.name === DEADLINE_INPUT
            ? taskDeadline(entry.compiled, template, deadline)
            : argumentOf(entry, input.name);
      if (value !== undefined) args.set(input.name, value);
    }
    const depends = bindDepends(
      op,
      graph.upstream.get(op.name) ?? [],
      (name) => {
        const upstream = entries.get(name);
        return (
          upstream?.template && {
            task: upstream.task,
            daemon: upstream.template.kind === 'container' && upstream.template.daemon,
          }
        );
      },
      context,
    );
    const inputs = new Map((entry.compiled.component.inputs ?? []).map((io) => [io.name, io]));
    const when = bindCondition(op, inputs, scope, context);
    const approved = op.operation.isApproved ?? entry.compiled.component.isApproved;
    tasks.push({
      name: op.name,
      task: entry.task,
      template,
      arguments: args,
      ...(depends ? { depends } : {}),
      ...(when ? { when } : {}),
      // Waiting for approval (spec §1.2): a suspended step the operation waits on; `argo resume` approves.
      ...(approved === false ? { approvalTask: taskNames.claim(`${op.name}-approval`) } : {}),
      hooks: bindHooks(entry.compiled, entry.task, context),
    });
  }

  const concurrency = dag.dag.concurrency;
  if (typeof concurrency === 'string') context.templated(dag, [...dag.path, 'concurrency'], 'concurrency');
  const { failFast } = bindEarlyStopping(
    dag.dag.earlyStopping,
    tasks.length,
    dag,
    [...dag.path, 'earlyStopping'],
    context,
  );
  const inputs = templateInputs(dag.inputs, contextParams, undefined, context, compiled.resolved, [
    ...compiled.resolved.path,
    'inputs',
  ]);
  if (deadline) inputs.push({ name: DEADLINE_INPUT });
  if (tasks.length === 0 || context.refusedSince(mark)) return undefined;
  return {
    kind: 'dag',
    preferredName: typeof compiled.component.name === 'string' ? compiled.component.name : compiled.op.name || 'dag',
    inputs,
    tasks,
    ...(typeof concurrency === 'number' ? { parallelism: concurrency } : {}),
    failFast,
    annotations: operationAnnotations(compiled, context),
  };
}

/**
 * The deadline a task hands its template: a dag with a timeout of its own starts one when it
 * starts (a matrix starts one per run, in its wrapper); anything else passes on the one it is under.
 */
function taskDeadline(compiled: CompiledOperation, template: BoundTemplate, underDeadline: boolean): ArgoText {
  return deadlineArgument(template.kind === 'matrix' ? undefined : dagTimeout(compiled), underDeadline);
}

/** Operation fields that change nothing in the template an operation runs (nor in what is checked there). */
const TASK_FIELDS = new Set([
  'kind',
  'version',
  'name',
  'description',
  'params',
  'dagRef',
  'hubRef',
  'pathRef',
  'urlRef',
  'component',
  'dependencies',
  'trigger',
  'events',
  'conditions',
  'skipOnUpstreamSkip',
  'isApproved',
]);

/** Templates already bound: by what a dag passes down, the component, and what decides the rest. */
const shared = new WeakMap<object, WeakMap<object, Map<string, BoundTemplate | undefined>>>();

/**
 * The template of an operation, bound once for all the operations of a dag that run the same
 * component with nothing of their own that changes it (their params reach only the task's
 * arguments): a dag of thousands of operations over a few components binds a few templates.
 * Anything else is bound on its own.
 */
function sharedTemplate(
  entry: Entry,
  dag: CompiledOperation,
  context: BindContext,
  deadline: boolean,
): BoundTemplate | undefined {
  const { op, compiled } = entry;
  const { operation } = op;
  const plain =
    Object.keys(operation).every((field) => TASK_FIELDS.has(field)) &&
    typeof operation.events !== 'string' &&
    typeof operation.dependencies !== 'string' &&
    typeof operation.isApproved !== 'string' &&
    [...op.params.values()].every(
      ({ param }) =>
        !param.contextOnly && param.toEnv === undefined && param.connection === undefined && param.toInit === undefined,
    );
  if (!plain) return bindTemplate(compiled, context, { deadline });
  let byComponent = shared.get(dag.inheritedByChildren);
  if (!byComponent) shared.set(dag.inheritedByChildren, (byComponent = new WeakMap()));
  let templates = byComponent.get(compiled.resolved);
  if (!templates) byComponent.set(compiled.resolved, (templates = new Map<string, BoundTemplate | undefined>()));
  // An unnamed component's template is named after its operation.
  const key = `${deadline}|${typeof compiled.component.name === 'string' ? '' : op.name}`;
  if (!templates.has(key)) templates.set(key, bindTemplate(compiled, context, { deadline }));
  return templates.get(key);
}
