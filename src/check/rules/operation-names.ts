import type { Rule } from '../rule.js';

/**
 * Every dag operation needs a unique `name`: it is the graph node. Polyaxon misreports an
 * unnamed operation as a cycle and silently drops inline operations with a repeated name
 * (spec §2.3, §10.1); we say what is wrong.
 */
export const operationNames: Rule = {
  name: 'operation-names',
  dag(dag, context) {
    const seen = new Map<string, number>();
    dag.operations.forEach((op, index) => {
      if (typeof op.operation.name !== 'string') {
        const templated = op.operation.name !== undefined;
        context.report(
          op,
          templated ? [...op.path, 'name'] : op.path,
          'unnamed-operation',
          templated
            ? 'a dag operation name cannot be a template: it is the node of the graph'
            : 'this dag operation has no `name`',
          {
            hint: 'give every operation of a dag a unique `name:`, which other operations use in `dependencies` and `ref: ops.NAME`',
          },
        );
        return;
      }
      const first = seen.get(op.name);
      if (first !== undefined) {
        context.report(
          op,
          [...op.path, 'name'],
          'duplicate-operation',
          `the dag has more than one operation named \`${op.name}\` (the first is operation #${first + 1})`,
          { anchor: 'value', hint: 'rename one of them; names identify operations in dependencies and refs' },
        );
      } else {
        seen.set(op.name, index);
      }
    });
  },
};
