import type { ResolvedOperation } from '../resolve/model.js';
import { isTemplate } from '../schema/primitives.js';
import type { LowerContext } from './context.js';
import { isJinjaError, translateCondition, type ConditionOperand } from './jinja.js';
import { isEncodedLiteral } from './literal-braces.js';

const NUMERIC = new Set(['int', 'float', 'metric']);

/**
 * `conditions: "{{ loss < max_loss }}"` → `when: "{{tasks.train.outputs.parameters.loss}} < 0.5"`.
 * Names are the operation's params, read through their argument values; numbers compare
 * bare, everything else as quoted strings, as Argo's govaluate expects. False → the task is
 * Skipped, as Polyaxon skips the operation.
 */
export function whenExpression(
  op: ResolvedOperation,
  argument: (name: string) => { value: string; type: string | undefined } | undefined,
  context: LowerContext,
): string | undefined {
  const conditions = op.operation.conditions;
  if (conditions === undefined) return undefined;
  const at = [...op.path, 'conditions'];
  if (!isTemplate(conditions)) return /^(true|yes|on|1|t|y)$/i.test(conditions.trim()) ? 'true' : 'false';
  const match = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(conditions);
  if (!match) {
    context.unsupported(op, at, '`conditions` must be a single `{{ … }}` expression to be translated to Argo');
    return undefined;
  }
  const translated = translateCondition(match[1]!, (path): ConditionOperand | string => {
    const name =
      path.length === 1
        ? path[0]!
        : path.length === 3 && path[0] === 'params' && path[2] === 'value'
          ? path[1]!
          : undefined;
    const found = name !== undefined ? argument(name) : undefined;
    if (!found) return `\`${path.join('.')}\` in \`conditions\` is not a param of operation \`${op.name}\``;
    // Encoded braces are decoded by Kubernetes in containers only; Argo would compare them encoded.
    if (isEncodedLiteral(found.value))
      return `\`${path.join('.')}\` in \`conditions\` has a literal \`{{\` in its value, which Argo cannot compare`;
    return { tag: found.value, numeric: found.type !== undefined && NUMERIC.has(found.type) };
  });
  if (isJinjaError(translated)) {
    context.report(op, at, 'untranslatable-template', translated.error, {
      anchor: 'value',
      hint: 'pass the values the condition needs as params (e.g. `contextOnly` refs to upstream outputs) and compare them',
    });
    return undefined;
  }
  return translated;
}
