import { literal, type ArgoText } from '../../argo/text.js';
import type { TemplateInput } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { IO } from '../../schema/io.js';
import type { BindContext, Origin } from './context.js';
import type { TextScope } from './text.js';

/**
 * A Polyaxon value → the text an Argo parameter carries: strings as written; numbers and
 * booleans as their JSON text (`0.01`, `true`); lists and mappings as compact JSON (spec §4.2
 * `str` coercion); null as the empty string.
 */
export function parameterText(value: unknown): ArgoText {
  if (value === null || value === undefined) return literal('');
  if (typeof value === 'string') return literal(value);
  if (value instanceof Date) return literal(value.toISOString());
  return literal(JSON.stringify(value));
}

/** Whether a task may leave the input out: it has a `value`, or is optional or delay-validated. */
export const hasDefault = (io: IO): boolean => 'value' in io || io.isOptional === true || io.delayValidation === true;

/**
 * A template's input parameters: the component's inputs (with their default when they may be
 * left out) and then its context-only params. Input descriptions are rendered like the rest of
 * the inputs (spec §5.7).
 */
export function templateInputs(
  inputs: readonly IO[],
  contextParams: readonly string[],
  scope: TextScope | undefined,
  context: BindContext,
  origin: Origin,
  at: Path,
): TemplateInput[] {
  const out: TemplateInput[] = inputs.map((io, index) => {
    const input: TemplateInput = { name: io.name };
    if (hasDefault(io)) input.default = parameterText(io.value);
    if (io.description) {
      const translated = scope ? scope.translate(io.description) : literal(io.description);
      const where = [...at, index, 'description'];
      if ('error' in translated)
        context.report(origin, where, 'untranslatable-template', translated.error, { anchor: 'value' });
      else {
        const description = context.encodable(translated, 'plain', origin, where);
        if (description) input.description = description;
      }
    }
    return input;
  });
  const declared = new Set(inputs.map((io) => io.name));
  for (const name of contextParams) if (!declared.has(name)) out.push({ name });
  return out;
}
