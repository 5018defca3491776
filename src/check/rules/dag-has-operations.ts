import type { Rule } from '../rule.js';

/** A dag without operations has nothing to run (spec §2.3 step 3). */
export const dagHasOperations: Rule = {
  name: 'dag-has-operations',
  dag(dag, context) {
    const operations = dag.dag.operations;
    if (typeof operations === 'string' || (Array.isArray(operations) && operations.length > 0)) return;
    const at = operations === undefined ? [...dag.path, 'kind'] : [...dag.path, 'operations'];
    context.report(dag, at, 'no-operations', 'the dag has no operations to run', {
      hint: 'add `operations:` under `run:`, each with a `name` and a component reference',
    });
  },
};
