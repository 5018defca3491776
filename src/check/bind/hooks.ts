import { NAME_INPUT } from '../../argo/contract.js';
import { literal, variable, type ArgoText } from '../../argo/text.js';
import type { BoundHook } from '../../model/pipeline.js';
import type { LocatedParam, ResolvedComponent, ResolvedOperation } from '../../resolve/model.js';
import type { Hook } from '../../schema/hooks.js';
import { compileOperation, type CompiledOperation } from './compile.js';
import type { BindContext } from './context.js';
import { bindTemplate } from './operation.js';
import { bindValue } from './values.js';

/** Argo phases each Polyaxon hook trigger means; `done` (or none) is any final phase. */
const PHASES = {
  succeeded: ['Succeeded'],
  failed: ['Failed', 'Error'],
  done: [],
} as const satisfies Record<string, readonly BoundHook['phases'][number][]>;

/**
 * Hooks (spec §8.4): operations launched when a run ends with a matching status. The hook's
 * component (from the hub) becomes a template; `subject` is the task the hook watches, or none
 * for the top operation (the workflow's exit handler). The hook gets the run's uuid, name, status
 * and kind as params, as Polyaxon passes them, unless `disableDefaults`.
 */
export function bindHooks(compiled: CompiledOperation, subject: string | undefined, context: BindContext): BoundHook[] {
  const { op } = compiled;
  const sources: {
    hooks: Hook[];
    resolved: readonly (ResolvedComponent | undefined)[] | undefined;
    owner: { source: ResolvedOperation['source']; path: ResolvedOperation['path'] };
  }[] = [];
  const componentHooks = compiled.component.hooks;
  if (Array.isArray(componentHooks))
    sources.push({ hooks: componentHooks, resolved: compiled.resolved.hooks, owner: compiled.resolved });
  if (Array.isArray(op.operation.hooks)) sources.push({ hooks: op.operation.hooks, resolved: op.hooks, owner: op });
  const templated =
    typeof op.operation.hooks === 'string' ? op : typeof componentHooks === 'string' ? compiled.resolved : undefined;
  if (templated) context.templated(templated, [...templated.path, 'hooks'], 'hooks');

  const out: BoundHook[] = [];
  for (const { hooks, resolved, owner } of sources) {
    hooks.forEach((hook, index) => {
      const at = [...owner.path, 'hooks', index];
      const component = resolved?.[index];
      if (!component) return; // not found: reported by the resolver
      const trigger = hook.trigger ?? 'done';
      if (!(trigger in PHASES)) {
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
        context.templated(owner, [...at, 'params'], 'hook params');
        return;
      }
      const params = new Map<string, LocatedParam>(
        Object.entries(hook.params ?? {}).map(([name, param]) => [
          name,
          { name, param, source: owner.source, path: [...at, 'params', name] },
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
      const hookCompiled = compileOperation(hookOperation, {});
      const template = hookCompiled && bindTemplate(hookCompiled, context, { isHook: true });
      if (!template) return;
      const defaults: Record<string, ArgoText> = hook.disableDefaults
        ? {}
        : {
            uuid: variable(subject ? `tasks.${subject}.id` : 'workflow.uid'),
            name: literal(op.name),
            status: variable(subject ? `tasks.${subject}.status` : 'workflow.status'),
            kind: literal(compiled.run.kind),
          };
      const args = new Map<string, ArgoText>();
      for (const input of template.inputs) {
        const located = params.get(input.name);
        const io = component.component.inputs?.find((i) => i.name === input.name);
        const value =
          input.name === NAME_INPUT
            ? literal(hookOperation.name)
            : located
              ? bindValue(located, io, hookOperation, undefined, context)
              : defaults[input.name];
        if (value !== undefined) args.set(input.name, value);
        else if (!input.default)
          context.report(
            owner,
            [...at, 'params'],
            'missing-param',
            `hook \`${hook.hubRef}\` needs its input \`${input.name}\``,
            {
              hint: `add \`${input.name}:\` under the hook's \`params\``,
            },
          );
      }
      out.push({
        phases: PHASES[trigger as keyof typeof PHASES],
        key: `${trigger}-${out.length}`,
        template,
        arguments: args,
      });
    });
  }
  return out;
}
