import { mayRenderEmpty, renderExpression, type ArgoText } from '../argo/text.js';
import type { Checked } from '../model/checked.js';
import type { BoundContainer } from '../model/pipeline.js';

/**
 * Polyaxon drops the items of a container's command and args that come out empty (a false flag,
 * an optional input left out), where Argo would pass each as an empty argument. A list with such
 * an item is therefore computed while the run goes, by an expression that yields it as JSON
 * without its empty items; the pod gets it through the template's `podSpecPatch`, which Argo
 * applies before it starts the containers. Undefined when no item can come out empty.
 */
export function argvWhileRunning(items: readonly ArgoText[] | undefined): string | undefined {
  if (!items?.some(mayRenderEmpty)) return undefined;
  return `toJson(filter([${items.map((item) => renderExpression(item, 'argv')).join(', ')}], {# != ''}))`;
}

/** A container's command and args that are computed while the run goes (see argvWhileRunning). */
export function computedArgv(container: BoundContainer): { command?: string; args?: string } {
  const command = argvWhileRunning(container.command);
  const args = argvWhileRunning(container.args);
  return { ...(command ? { command } : {}), ...(args ? { args } : {}) };
}

/** A pod container whose command or args are computed while the run goes: its entry in the pod patch. */
export interface ArgvPatch {
  /** The container's name in the pod. */
  name: string;
  list: 'containers' | 'initContainers';
  command?: string;
  args?: string;
}

export function argvPatch(name: string, list: ArgvPatch['list'], container: BoundContainer): ArgvPatch | undefined {
  const computed = computedArgv(container);
  return computed.command || computed.args ? { name, list, ...computed } : undefined;
}

/**
 * The template's `podSpecPatch`: the pod fields Argo templates lack, then the containers whose
 * argv is computed while the run goes (merged by name). Written as JSON text, each computed list
 * as the expression tag Argo replaces with it.
 */
export function podSpecPatch(fields: Checked | undefined, argv: readonly ArgvPatch[]): string | undefined {
  if (!argv.length) return fields === undefined ? undefined : JSON.stringify(fields);
  const members = Object.entries(fields ?? {}).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  for (const list of ['containers', 'initContainers'] as const) {
    const entries = argv
      .filter((patch) => patch.list === list)
      .map(({ name, command, args }) => {
        const computed = [command && `"command":{{=${command}}}`, args && `"args":{{=${args}}}`].filter(Boolean);
        return `{"name":${JSON.stringify(name)},${computed.join(',')}}`;
      });
    if (entries.length) members.push(`"${list}":[${entries.join(',')}]`);
  }
  return `{${members.join(',')}}`;
}
