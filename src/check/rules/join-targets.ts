import type { Rule } from '../rule.js';

/** A join yields one value per matched run, so its target must take a list (spec §8.10). */
export const joinTargets: Rule = {
  name: 'join-targets',
  operation(op, context) {
    const joins = op.operation.joins;
    const component = op.component?.component;
    if (!Array.isArray(joins) || !component) return;
    const ios = [...(component.inputs ?? []), ...(component.outputs ?? [])];
    joins.forEach((join, index) => {
      for (const [name, param] of Object.entries(join.params ?? {})) {
        if (param.contextOnly) continue;
        const at = [...op.path, 'joins', index, 'params', name];
        const io = ios.find((i) => i.name === name);
        if (!io) {
          context.report(
            op,
            at,
            'unexpected-param',
            `join param \`${name}\` matches no input or output of the component`,
            { hint: 'declare the input (with `isList: true`) or set `contextOnly: true`' },
          );
        } else if (!io.isList && io.type !== 'artifacts') {
          context.report(
            op,
            at,
            'join-needs-list',
            `join param \`${name}\` gives a list of values, but input \`${name}\` does not expect a list`,
            { hint: `add \`isList: true\` to the input \`${name}\`` },
          );
        }
      }
    });
  },
};
