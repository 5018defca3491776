import { DEADLINE_INPUT } from '../argo/contract.js';
import { render, type ArgoText } from '../argo/text.js';
import type { DagTask, LifecycleHook, Parameter, Template } from '../argo/types.js';
import type { BoundHook, BoundOperation, DagTemplate, MatrixTemplate } from '../model/pipeline.js';
import { renderCondition } from './condition.js';
import { renderDepends } from './depends.js';
import { inputParameters, type Templates } from './templates.js';

type Body = Omit<Template, 'name'>;

/** A dag → a DAG template: one task per operation (after its approval step, if it waits for one). */
export function lowerDag(bound: DagTemplate, templates: Templates, name: string): Body {
  const tasks: DagTask[] = [];
  for (const op of bound.tasks) {
    const template = templates.lower(op.template);
    templates.operations.set(`${name}/${op.task}`, op.name);
    let depends = op.depends && renderDepends(op.depends);
    if (op.approvalTask) {
      tasks.push({
        name: op.approvalTask,
        template: templates.add('wait-for-approval', { suspend: {} }),
        ...(depends ? { depends } : {}),
      });
      depends = `${op.approvalTask}.Succeeded`;
    }
    const parameters = argumentsOf(op.arguments);
    const hooks = taskHooks(op, templates);
    tasks.push({
      name: op.task,
      template,
      ...(depends ? { depends } : {}),
      ...(op.when ? { when: renderCondition(op.when) } : {}),
      ...(parameters.length ? { arguments: { parameters } } : {}),
      ...(hooks ? { hooks } : {}),
    });
  }
  return {
    ...(bound.inputs.length ? { inputs: inputParameters(bound.inputs) } : {}),
    ...(Object.keys(bound.annotations).length ? { metadata: { annotations: bound.annotations } } : {}),
    ...(bound.parallelism !== undefined ? { parallelism: bound.parallelism } : {}),
    dag: { failFast: bound.failFast, tasks },
  };
}

/** A matrix → a DAG whose one task runs the operation's template for each item. */
export function lowerMatrix(bound: MatrixTemplate, templates: Templates): Body {
  const template = templates.lower(bound.inner);
  const keys = Object.keys(bound.items[0] ?? {});
  const parameters: Parameter[] = bound.inner.inputs
    .filter((input) => keys.includes(input.name) || bound.passed.includes(input.name))
    .map(({ name }) => ({
      name,
      value:
        name === DEADLINE_INPUT && bound.itemDeadline
          ? render(bound.itemDeadline, 'plain')
          : keys.includes(name)
            ? `{{item.${name}}}`
            : `{{inputs.parameters.${name}}}`,
    }));
  const items = bound.items.map((item) =>
    Object.fromEntries(
      Object.entries(item).map(([key, value]) => [key, typeof value === 'object' ? render(value, 'argv') : value]),
    ),
  );
  return {
    ...(bound.inputs.length ? { inputs: inputParameters(bound.inputs) } : {}),
    ...(bound.parallelism !== undefined ? { parallelism: bound.parallelism } : {}),
    dag: {
      failFast: bound.failFast,
      tasks: [
        { name: bound.task, template, ...(parameters.length ? { arguments: { parameters } } : {}), withItems: items },
      ],
    },
  };
}

export const argumentsOf = (args: ReadonlyMap<string, ArgoText>): Parameter[] =>
  [...args].map(([name, value]) => ({ name, value: render(value, 'argv') }));

/** Any final phase, for hooks that fire whatever the outcome. */
const FINAL_PHASES = ['Succeeded', 'Failed', 'Error'] as const;

/** Lifecycle hooks of a dag task: `tasks["T"].status` expressions, one per hook. */
function taskHooks(op: BoundOperation, templates: Templates): DagTask['hooks'] {
  if (!op.hooks.length) return undefined;
  const hooks: Record<string, LifecycleHook> = {};
  for (const hook of op.hooks) {
    const phases = hook.phases.length ? hook.phases : FINAL_PHASES;
    const parameters = argumentsOf(hook.arguments);
    hooks[hook.key] = {
      template: templates.lower(hook.template),
      expression: phases.map((phase) => `tasks["${op.task}"].status == "${phase}"`).join(' || '),
      ...(parameters.length ? { arguments: { parameters } } : {}),
    };
  }
  return hooks;
}

/** The top operation's hooks: an exit handler DAG whose tasks check the workflow's final status. */
export function exitHandler(
  hooks: readonly BoundHook[],
  owner: string,
  templates: Templates,
): Record<string, LifecycleHook> | undefined {
  if (!hooks.length) return undefined;
  const tasks: DagTask[] = hooks.map((hook) => {
    const parameters = argumentsOf(hook.arguments);
    return {
      name: hook.key,
      template: templates.lower(hook.template),
      ...(hook.phases.length
        ? { when: hook.phases.map((phase) => `'{{workflow.status}}' == '${phase}'`).join(' || ') }
        : {}),
      ...(parameters.length ? { arguments: { parameters } } : {}),
    };
  });
  return { exit: { template: templates.add(`${owner}-hooks`, { dag: { failFast: false, tasks } }) } };
}
