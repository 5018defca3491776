import type { DagTask, Parameter } from '../argo/types.js';
import { parseRefValue } from '../check/refs.js';
import { graphOf, opsRefTarget } from '../graph/dag-graph.js';
import type { ResolvedOperation } from '../resolve/model.js';
import { argumentValue, type ArgumentScope } from './arguments.js';
import { compileOperation, type CompiledOperation } from './compile.js';
import type { LowerContext } from './context.js';
import { dependsExpression } from './depends.js';
import { lowerEarlyStopping } from './early-stopping.js';
import { operationAnnotations } from './settings.js';
import { taskHooks } from './hooks.js';
import type { LoweredTemplate } from './job-template.js';
import { NameTable } from './names.js';
import { lowerOperation, type LoweredOperation } from './operation.js';
import { templateInputs } from './template-inputs.js';
import { whenExpression } from './when.js';

interface Entry {
  op: ResolvedOperation;
  compiled: CompiledOperation;
  task: string;
  lowered?: LoweredOperation;
}

/**
 * A dag operation → a DAG template: one task per operation, `depends` from the graph,
 * arguments from params, `when` from conditions, `parallelism` from `concurrency`.
 * `failFast` is off: in Polyaxon a failed operation does not stop independent branches.
 */
export function lowerDag(
  compiled: CompiledOperation,
  contextParams: readonly string[],
  context: LowerContext,
): LoweredTemplate | undefined {
  const resolved = compiled.op.component!;
  const dag = resolved.dag!;
  const slot = context.reserveTemplate(
    typeof resolved.component.name === 'string' ? resolved.component.name : compiled.op.name || 'dag',
  );
  const graph = graphOf(dag);
  const taskNames = new NameTable();

  const entries = new Map<string, Entry>();
  for (const name of graph.names) {
    const op = graph.operations.get(name)!;
    if (!op.component) continue;
    const child = compileOperation(op, compiled.inheritedByChildren);
    entries.set(name, { op, compiled: child, task: taskNames.claim(name) });
  }
  for (const entry of entries.values()) {
    const lowered = lowerOperation(entry.compiled, context);
    if (lowered) entry.lowered = lowered;
  }
  context.recordTasks(slot.name, taskNames.origins);

  const dagInputs = new Set(dag.inputs.map((io) => io.name));
  const memo = new Map<string, string | undefined>();
  const scope: ArgumentScope = {
    dagInputs,
    task: (name) => {
      const entry = entries.get(name);
      return entry?.lowered && { task: entry.task, fanOut: entry.lowered.fanOut, nestedDag: entry.lowered.nestedDag };
    },
    inputOf: (name, input) => {
      const entry = entries.get(name);
      if (!entry) return undefined;
      return argumentOf(entry, input) ?? entry.lowered?.defaults.get(input);
    },
  };
  function argumentOf(entry: Entry, input: string): string | undefined {
    const key = `${entry.op.name}\u0000${input}`;
    if (!memo.has(key)) {
      const located = entry.op.params.get(input);
      const io = entry.compiled.component.inputs?.find((i) => i.name === input);
      memo.set(key, located ? argumentValue(located, io, entry.op, scope, context) : undefined);
    }
    return memo.get(key);
  }

  const tasks: DagTask[] = [];
  for (const entry of entries.values()) {
    if (!entry.lowered) continue;
    const parameters: Parameter[] = [];
    for (const input of entry.lowered.inputs) {
      const value = argumentOf(entry, input);
      if (value !== undefined) parameters.push({ name: input, value });
    }
    let depends = dependsExpression(
      entry.op,
      graph.upstream.get(entry.op.name)!,
      (name) => {
        const upstream = entries.get(name);
        return upstream?.lowered && { task: upstream.task, daemon: upstream.lowered.daemon };
      },
      context,
    );
    const when = whenExpression(
      entry.op,
      (name) => {
        const located = entry.op.params.get(name);
        if (!located) return undefined;
        const value = argumentOf(entry, name);
        return value === undefined ? undefined : { value, type: typeOf(entry, name, entries) };
      },
      context,
    );
    const hooks = taskHooks(entry.compiled, entry.task, context);
    if ((entry.op.operation.isApproved ?? entry.compiled.component.isApproved) === false) {
      // Waiting for approval (spec §1.2): a suspended step the operation waits on; `argo resume` approves.
      const gate = taskNames.claim(`${entry.op.name}-approval`);
      tasks.push({
        name: gate,
        template: context.addTemplate('wait-for-approval', { suspend: {} }),
        ...(depends ? { depends } : {}),
      });
      depends = `${gate}.Succeeded`;
    }
    tasks.push({
      name: entry.task,
      template: entry.lowered.name,
      ...(depends ? { depends } : {}),
      ...(when ? { when } : {}),
      ...(parameters.length ? { arguments: { parameters } } : {}),
      ...(hooks ? { hooks } : {}),
    });
  }

  const concurrency = dag.dag.concurrency;
  if (typeof concurrency === 'string')
    context.unsupported(
      dag,
      [...dag.path, 'concurrency'],
      'a templated `concurrency` cannot be resolved before the run',
    );
  const { parameters: inputs, defaults } = templateInputs(dag.inputs, contextParams);
  if (tasks.length === 0) return undefined;
  const { failFast } = lowerEarlyStopping(
    dag.dag.earlyStopping,
    tasks.length,
    dag,
    [...dag.path, 'earlyStopping'],
    context,
  );
  const annotations = operationAnnotations(compiled);
  slot.fill({
    ...(inputs.length ? { inputs: { parameters: inputs } } : {}),
    ...(Object.keys(annotations).length ? { metadata: { annotations } } : {}),
    ...(typeof concurrency === 'number' ? { parallelism: concurrency } : {}),
    dag: { failFast, tasks },
  });
  return { name: slot.name, inputs: inputs.map((p) => p.name), defaults, daemon: false };
}

/** The type of a param's value, for comparisons in `when`: its input's, or what its ref reads. */
function typeOf(entry: Entry, name: string, entries: ReadonlyMap<string, Entry>): string | undefined {
  const io = entry.compiled.component.inputs?.find((i) => i.name === name);
  if (io?.type) return io.type;
  const { ref, value } = entry.op.params.get(name)!.param;
  const from = opsRefTarget(ref);
  if (from === undefined || typeof value !== 'string') return undefined;
  const read = parseRefValue(value, { kind: 'ops', name: from });
  if ('error' in read || (read.section !== 'outputs' && read.section !== 'inputs')) return undefined;
  const upstream = entries.get(from)?.compiled.component;
  return upstream?.[read.section]?.find((i) => i.name === read.key)?.type;
}
