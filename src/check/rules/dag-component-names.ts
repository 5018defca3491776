import type { Rule } from '../rule.js';

/** Dag components are addressed by `dagRef: NAME`, so each needs a unique name (spec §2.3 step 4). */
export const dagComponentNames: Rule = {
  name: 'dag-component-names',
  dag(dag, context) {
    if (!Array.isArray(dag.dag.components)) return;
    const seen = new Set<string>();
    dag.dag.components.forEach((component, index) => {
      const at = [...dag.path, 'components', index];
      if (typeof component.name !== 'string') {
        context.report(
          dag,
          component.name === undefined ? at : [...at, 'name'],
          'unnamed-component',
          'this dag component has no `name`, so no operation can use it',
          { hint: 'add `name:`; operations refer to it with `dagRef: NAME`' },
        );
      } else if (seen.has(component.name)) {
        context.report(
          dag,
          [...at, 'name'],
          'duplicate-component',
          `the dag has more than one component named \`${component.name}\``,
          { anchor: 'value', hint: 'rename or remove one of them' },
        );
      } else {
        seen.add(component.name);
      }
    });
  },
};
