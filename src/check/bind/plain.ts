import type { Path } from '../../parse/source.js';
import type { Checked } from '../../model/checked.js';
import type { BindContext, Origin } from './context.js';

/**
 * A value from the file copied into the manifest as it is (Kubernetes objects: volumes,
 * affinities, resources…), checked first: Argo would read a `{{` in any string of it as its own
 * tag, and a Jinja template there is not translated. Each such string is reported at its place.
 */
export function checkPlain<T>(
  value: T,
  context: BindContext,
  origin: Origin,
  at: Path,
  what: string,
): Checked<T> | undefined {
  let clean = true;
  const visit = (node: unknown, path: Path): void => {
    if (typeof node === 'string') {
      if (node.includes('{{') || node.includes('{%') || node.includes('{#')) {
        clean = false;
        context.report(
          origin,
          path,
          'untranslatable-template',
          `templates and \`{{\` in ${what} are not translated, and Argo would read them as its own tags`,
          {
            anchor: 'value',
            hint: 'write the value out; pass run-time values to the container through params',
          },
        );
      }
    } else if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
    else if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
    }
  };
  visit(value, at);
  return clean ? (value as Checked<T>) : undefined;
}

/** A value built by binding from checked parts and names of its own: nothing in it to check. */
export const built = <T>(value: T): Checked<T> => value as Checked<T>;
