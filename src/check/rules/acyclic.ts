import { graphOf, findCycle, topologicalStages } from '../../graph/dag-graph.js';
import type { Rule } from '../rule.js';

/** The dag must be acyclic (spec §2.3 step 2); we name the cycle, which Polyaxon does not. */
export const acyclic: Rule = {
  name: 'acyclic',
  dag(dag, context) {
    const graph = graphOf(dag);
    const { blocked } = topologicalStages(graph);
    if (blocked.length === 0) return;
    const cycle = findCycle(graph, blocked);
    if (!cycle) return;
    // Point at the edge that closes the cycle: where cycle[1] declares its dependency on cycle[0].
    const [from, to] = cycle as [string, string];
    const edge = graph.upstream.get(to)!.find((e) => e.from === from)!;
    const op = graph.operations.get(to)!;
    context.report(op, edge.path, 'cycle', `the dag's graph is not acyclic: ${cycle.join(' -> ')}`, {
      anchor: 'value',
      hint:
        cycle.length === 2
          ? `an operation cannot depend on itself: remove \`${from}\` from its upstream`
          : 'remove one of these dependencies (from `dependencies`, a `ref: ops.…` param or an event)',
    });
  },
};
