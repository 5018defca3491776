import { OWNER_PARAMETER, PROJECT_PARAMETER } from '../../argo/contract.js';
import { concat, literal, variable, type ArgoText } from '../../argo/text.js';
import { optionRef } from '../../diagnostics/option-names.js';
import type { ArgoOptions } from './context.js';
import type { TextError } from './text.js';

/** `OWNER/NAME` as Polyaxon's CLI takes it (`-p`); the owner may be left out. */
export interface ProjectName {
  owner?: string;
  name: string;
}

/** `{{ globals.KEY }}` that name the project: the workflow parameters each reads. */
const PROJECT_GLOBALS: Record<string, readonly string[]> = {
  project_name: [PROJECT_PARAMETER],
  owner_name: [OWNER_PARAMETER],
  project_unique_name: [OWNER_PARAMETER, PROJECT_PARAMETER],
};

export const isProjectGlobal = (key: string): boolean => Object.hasOwn(PROJECT_GLOBALS, key);
export const PROJECT_GLOBAL_NAMES = Object.keys(PROJECT_GLOBALS);

/**
 * A project global as Argo text over workflow parameters (spec §5.7: `project_unique_name` is
 * `owner.project`), recording in `used` the parameters the workflow must declare. A Workflow
 * needs their values now; a WorkflowTemplate may leave them to whoever submits it.
 */
export function projectGlobal(key: string, options: ArgoOptions, used: Set<string>): ArgoText | TextError {
  const parameters = PROJECT_GLOBALS[key] ?? [];
  const missing = parameters.filter((p) => workflowValue(p, options) === undefined);
  if (missing.length && options.kind === 'workflow')
    return {
      error: `\`{{ globals.${key} }}\` names the Polyaxon project, which Argo does not know`,
      hint: `name it once with ${optionRef('project', missing.includes(OWNER_PARAMETER) ? 'OWNER/NAME' : 'NAME')}, or write a WorkflowTemplate (${optionRef('kind', 'workflow-template')}) that takes it when submitted`,
    };
  for (const parameter of parameters) used.add(parameter);
  const [first, second] = parameters.map((p) => variable(`workflow.parameters.${p}`));
  if (!first) return literal('');
  return second ? concat(first, literal('.'), second) : first;
}

/** The value the workflow gives a project parameter, if the options name it. */
export function workflowValue(parameter: string, options: ArgoOptions): string | undefined {
  return parameter === PROJECT_PARAMETER ? options.project?.name : options.project?.owner;
}

/** Polyaxon's owner and project names: slugs. */
const SLUG = /^[a-z0-9][-a-z0-9_]*$/i;

/** `OWNER/NAME` or `NAME`, as `--project` and the Action's `project` input take it; undefined if malformed. */
export function parseProjectName(text: string): ProjectName | undefined {
  const parts = text.split('/');
  const name = parts.pop() ?? '';
  const owner = parts.pop();
  if (parts.length || !SLUG.test(name) || (owner !== undefined && !SLUG.test(owner))) return undefined;
  return owner === undefined ? { name } : { owner, name };
}
