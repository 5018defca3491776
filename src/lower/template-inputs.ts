import type { Parameter } from '../argo/types.js';
import type { IO } from '../schema/io.js';
import { toParameterString } from './values.js';

/**
 * A template's input parameters: the component's inputs (with their default when they may be
 * left out: a `value`, `isOptional`, or `delayValidation`) and then its context-only params.
 * `defaults` lets a task, or another operation reading `inputs.X`, know what a missing input is.
 */
export function templateInputs(
  inputs: readonly IO[],
  contextParams: readonly string[],
): { parameters: Parameter[]; defaults: Map<string, string> } {
  const parameters: Parameter[] = [];
  const defaults = new Map<string, string>();
  for (const io of inputs) {
    const hasDefault = 'value' in io || io.isOptional === true || io.delayValidation === true;
    if (hasDefault) defaults.set(io.name, toParameterString(io.value));
    parameters.push({
      name: io.name,
      ...(hasDefault ? { default: toParameterString(io.value) } : {}),
      ...(io.description ? { description: io.description } : {}),
    });
  }
  const declared = new Set(inputs.map((io) => io.name));
  for (const name of contextParams) if (!declared.has(name)) parameters.push({ name });
  return { parameters, defaults };
}
