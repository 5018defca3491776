import { literal, type ArgoText } from '../../argo/text.js';
import type { TemplateInput } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { IO } from '../../schema/io.js';
import type { BindContext, Origin } from './context.js';
import { pythonBool, pythonFloat } from './python-text.js';
import type { TextScope } from './text.js';

/**
 * A Polyaxon value → the text an Argo parameter carries, which `{{ NAME }}` puts on a command
 * line as Polyaxon's Jinja does: strings as written; booleans and floats (a `float` input's, or
 * any number with a fraction) as Python writes them (`True`, `100.0`, `1e-07`); integers as
 * written; lists and mappings as compact JSON (spec §4.2 `str` coercion); null as the empty string.
 */
export function parameterText(value: unknown, type?: string): ArgoText {
  if (value === null || value === undefined) return literal('');
  if (typeof value === 'string') return literal(value);
  if (value instanceof Date) return literal(value.toISOString());
  if (typeof value === 'boolean') return literal(pythonBool(value));
  if (typeof value === 'number')
    return literal(type === 'float' || !Number.isInteger(value) ? pythonFloat(value) : String(value));
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
    if (hasDefault(io)) input.default = parameterText(io.value, io.type);
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
