import type { DagTask, LifecycleHook, Parameter } from '../argo/types.js';
import type { LocatedParam, ResolvedComponent, ResolvedOperation } from '../resolve/model.js';
import type { Hook } from '../schema/hooks.js';
import type { Param } from '../schema/param.js';
import { argumentValue } from './arguments.js';
import { compileOperation, type CompiledOperation } from './compile.js';
import type { LowerContext } from './context.js';
import { lowerOperation } from './operation.js';

/** Argo phases each Polyaxon hook trigger means. `done` (or none) is any final phase. */
const PHASES: Record<string, string[]> = {
  succeeded: ['Succeeded'],
  failed: ['Failed', 'Error'],
  done: ['Succeeded', 'Failed', 'Error'],
};

interface LoweredHook {
  hook: Hook;
  trigger: string;
  template: string;
  parameters: Parameter[];
}

/**
 * Hooks (spec §8.4): operations launched when a run ends with a matching status. The hook's
 * component (from the hub) becomes a template; on a dag operation it is an Argo lifecycle hook
 * of the task, fired by an expression on the task's status; on the top operation, a task of the
 * workflow's exit handler, guarded by the workflow's final status.
 */
function lowerHookTemplates(
  compiled: CompiledOperation,
  subject: { task?: string },
  context: LowerContext,
): LoweredHook[] {
  const { op } = compiled;
  const sources: {
    hooks: Hook[];
    resolved: (ResolvedComponent | undefined)[] | undefined;
    owner: { source: ResolvedOperation['source']; path: ResolvedOperation['path'] };
  }[] = [];
  const componentHooks = op.component?.component.hooks;
  if (Array.isArray(componentHooks))
    sources.push({ hooks: componentHooks, resolved: op.component!.hooks, owner: op.component! });
  if (Array.isArray(op.operation.hooks)) sources.push({ hooks: op.operation.hooks, resolved: op.hooks, owner: op });
  for (const field of ['hooks'] as const) {
    const value = op.operation[field] ?? op.component?.component[field];
    if (typeof value === 'string')
      context.unsupported(op, [...op.path, field], 'templated `hooks` cannot be resolved before the run');
  }

  const out: LoweredHook[] = [];
  for (const { hooks, resolved, owner } of sources) {
    hooks.forEach((hook, index) => {
      const at = [...owner.path, 'hooks', index];
      const component = resolved?.[index];
      if (!component) return; // not found: reported by the resolver
      const trigger = hook.trigger ?? 'done';
      if (!PHASES[trigger]) {
        context.unsupported(
          owner,
          [...at, 'trigger'],
          `a hook on \`${trigger}\` runs cannot fire in Argo: a ${trigger} task never runs its hooks`,
          'use succeeded, failed or done',
        );
        return;
      }
      for (const field of ['conditions', 'presets', 'namespace'] as const) {
        if (hook[field] !== undefined) context.unsupported(owner, [...at, field], `hook \`${field}\` is not mapped`);
      }
      if (typeof hook.params === 'string') {
        context.unsupported(owner, [...at, 'params'], 'templated hook `params` cannot be resolved before the run');
        return;
      }
      const params = new Map<string, LocatedParam>(
        Object.entries(hook.params ?? {}).map(([name, param]) => [
          name,
          { name, param: param as Param, source: owner.source, path: [...at, 'params', name] },
        ]),
      );
      const hookOperation: ResolvedOperation = {
        operation: {
          hubRef: hook.hubRef,
          ...(hook.queue ? { queue: hook.queue } : {}),
          ...(hook.connection ? { runPatch: { connections: [hook.connection] } } : {}),
        },
        source: owner.source,
        path: at,
        name: `${op.name}-${typeof component.component.name === 'string' ? component.component.name : 'hook'}`,
        reference: 'hubRef',
        params,
        component,
      };
      const lowered = lowerOperation(compileOperation(hookOperation, {}), context);
      if (!lowered) return;
      const defaults: Record<string, string> = hook.disableDefaults
        ? {}
        : subject.task
          ? {
              uuid: `{{tasks.${subject.task}.id}}`,
              name: op.name,
              status: `{{tasks.${subject.task}.status}}`,
              kind: compiled.run.kind,
            }
          : { uuid: '{{workflow.uid}}', name: op.name, status: '{{workflow.status}}', kind: compiled.run.kind };
      const parameters: Parameter[] = [];
      for (const input of lowered.inputs) {
        const located = params.get(input);
        const io = component.component.inputs?.find((i) => i.name === input);
        const value = located ? argumentValue(located, io, hookOperation, undefined, context) : defaults[input];
        if (value !== undefined) parameters.push({ name: input, value });
        else if (!lowered.defaults.has(input))
          context.report(
            owner,
            [...at, 'params'],
            'missing-param',
            `hook \`${hook.hubRef}\` needs its input \`${input}\``,
            { hint: `add \`${input}:\` under the hook's \`params\`` },
          );
      }
      out.push({ hook, trigger, template: lowered.name, parameters });
    });
  }
  return out;
}

/** Lifecycle hooks of a dag task: `tasks["T"].status` expressions, one per hook. */
export function taskHooks(compiled: CompiledOperation, task: string, context: LowerContext): DagTask['hooks'] {
  const lowered = lowerHookTemplates(compiled, { task }, context);
  if (!lowered.length) return undefined;
  const hooks: Record<string, LifecycleHook> = {};
  lowered.forEach(({ trigger, template, parameters }, index) => {
    const expression = PHASES[trigger]!.map((phase) => `tasks["${task}"].status == "${phase}"`).join(' || ');
    hooks[`${trigger}-${index}`] = {
      template,
      expression,
      ...(parameters.length ? { arguments: { parameters } } : {}),
    };
  });
  return hooks;
}

/** The top operation's hooks: an exit handler DAG whose tasks check the workflow's final status. */
export function workflowHooks(
  compiled: CompiledOperation,
  context: LowerContext,
): Record<string, LifecycleHook> | undefined {
  const lowered = lowerHookTemplates(compiled, {}, context);
  if (!lowered.length) return undefined;
  const tasks: DagTask[] = lowered.map(({ trigger, template, parameters }, index) => ({
    name: `${trigger}-${index}`,
    template,
    ...(trigger === 'done'
      ? {}
      : { when: PHASES[trigger]!.map((phase) => `'{{workflow.status}}' == '${phase}'`).join(' || ') }),
    ...(parameters.length ? { arguments: { parameters } } : {}),
  }));
  const name = context.addTemplate(`${compiled.op.name}-hooks`, { dag: { failFast: false, tasks } });
  return { exit: { template: name } };
}
