import { isTemplate } from '../../schema/primitives.js';
import type { Rule } from '../rule.js';

const BOOLEAN_WORDS = /^(true|false|yes|no|on|off|1|0|t|f|y|n)$/i;

/** `conditions` is a Jinja expression that must render to a boolean word (spec §8.5). */
export const conditionsAreExpressions: Rule = {
  name: 'conditions-are-expressions',
  operation(op, context) {
    const conditions = op.operation.conditions;
    if (conditions === undefined || isTemplate(conditions) || BOOLEAN_WORDS.test(conditions.trim())) return;
    context.report(
      op,
      [...op.path, 'conditions'],
      'invalid-conditions',
      `\`conditions\` must be a \`{{ … }}\` expression; \`${conditions}\` would not render to true or false`,
      {
        anchor: 'value',
        hint: `wrap the expression in braces: "{{ ${conditions} }}"`,
      },
    );
  },
};
