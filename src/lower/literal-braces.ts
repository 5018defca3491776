import { parse, stringify } from 'yaml';
import type { Template } from '../argo/types.js';

/**
 * Literal `{{` in what we write, delivered without Argo ever seeing it.
 *
 * Argo expands `{{…}}` and evaluates `{{=…}}` wherever it substitutes, has no escape, and
 * substitutes again inside values it has just substituted; so no text we write may contain
 * `{{`. Kubernetes, later and on its own, expands `$(VAR)` in a container's command, args and
 * env values when it starts the container (`$$` being its escape). So the second brace of
 * every `{{` is written `$(POLYAXON_ARGO_LBRACE)`, a variable every container of the
 * workflow defines first as `{`: the text Argo handles has no tag in it, and the process gets
 * the braces back.
 */
export const BRACE_VARIABLE = 'POLYAXON_ARGO_LBRACE';
const REFERENCE = `$(${BRACE_VARIABLE})`;

/** `a {{b}}` → `a {$(POLYAXON_ARGO_LBRACE)b}}`; text without `{{` is returned as it is. */
export function encodeBraces(text: string): string {
  return text.includes('{{') ? text.replace(/(?<=\{)\{/g, REFERENCE) : text;
}

/**
 * Why `text` cannot be encoded, if it cannot: inside an unclosed `$(` (not escaped as `$$(`)
 * the reference we insert would close the user's one, and Kubernetes would read both as a
 * single variable name.
 */
export function encodingProblem(text: string): string | undefined {
  return /(?<!\$)(?:\$\$)*\$\([^)]*\{\{/.test(text)
    ? `\`$(\` before \`{{\` in \`${abbreviate(text)}\`: Kubernetes would read them as one \`$(VARIABLE)\``
    : undefined;
}

/**
 * A task's output as a downstream task receives it. A step may write `{{` (from data it
 * processed), and Argo would expand it when it substitutes the value into the next template:
 * an expression encodes it on the way, while it is still data. Its own text spells the braces
 * `'{' + '{'`, so the expression holds no `{{` of its own.
 */
export function encodedTaskOutput(task: string, output: string): string {
  return `{{=sprig.replace('{' + '{', '{${REFERENCE}', tasks['${task}'].outputs.parameters['${output}'])}}`;
}

/** Kubernetes' escape for `$`, for text that must reach the process exactly as written. */
export const escapeDollars = (text: string): string => text.replaceAll('$', '$$$$');

/** True when text (any JSON of the manifest) carries an encoded brace. */
export const hasEncodedBraces = (text: string): boolean => text.includes(REFERENCE);

/** A literal value (no tag of ours in it) whose braces were encoded. */
export const isEncodedLiteral = (value: string): boolean => !value.includes('{{') && hasEncodedBraces(value);

/**
 * Defines the variable, first, in every container of the templates: a param value travels
 * to whichever template its task runs, so each container must be able to decode it.
 */
export function defineBraceVariable(templates: Template[]): void {
  for (const template of templates) {
    const containers = [template.container, ...(template.initContainers ?? []), ...(template.sidecars ?? [])];
    for (const container of containers) if (container) withBraceVariable(container);
    if (template.resource?.manifest) template.resource.manifest = defineInManifest(template.resource.manifest);
  }
}

type Container = { env?: unknown } & Record<string, unknown>;

function withBraceVariable(container: Container): void {
  container.env = [{ name: BRACE_VARIABLE, value: '{' }, ...((container.env as unknown[] | undefined) ?? [])];
}

/** A resource template's manifest (a YAML string): every `containers`/`initContainers` list in it. */
function defineInManifest(manifest: string): string {
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value))
        value.forEach((c) => withBraceVariable(c as Container));
      else visit(value);
    }
  };
  const object = parse(manifest, { version: '1.1' }) as unknown;
  visit(object);
  return stringify(object, { lineWidth: 0, version: '1.1' });
}

const abbreviate = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
