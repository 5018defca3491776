import { suggest } from '../../diagnostics/suggest.js';
import { graphOf, edgesInto } from '../../graph/dag-graph.js';
import type { Rule } from '../rule.js';

const EDGE_WORDS = { dependency: 'depends on', param: 'takes a param from', event: 'waits for an event of' } as const;

/**
 * Every operation named in `dependencies`, `ref: ops.X` params and `ref: ops.X` events must
 * exist in the dag (Polyaxon's "orphan ops", spec §2.3 step 1). An event ref without the
 * `ops.` prefix is accepted by Polyaxon but creates no edge: we warn, since that is rarely meant.
 */
export const knownUpstream: Rule = {
  name: 'known-upstream',
  dag(dag, context) {
    const graph = graphOf(dag);
    for (const op of dag.operations) {
      if (!op.name) continue;
      for (const edge of edgesInto(op)) {
        if (graph.operations.has(edge.from)) continue;
        const guess = suggest(edge.from, graph.names);
        context.report(
          op,
          edge.path,
          'unknown-operation',
          `operation \`${op.name}\` ${EDGE_WORDS[edge.kind]} \`${edge.from}\`, which is not an operation of this dag`,
          {
            anchor: 'value',
            hint: guess ? `did you mean \`${guess}\`?` : `operations of this dag: ${graph.names.join(', ')}`,
          },
        );
      }
      if (!Array.isArray(op.operation.events)) continue;
      op.operation.events.forEach((event, i) => {
        if (!event.ref.includes('.') && graph.operations.has(event.ref)) {
          context.report(
            op,
            [...op.path, 'events', i, 'ref'],
            'event-ref-without-ops',
            `event ref \`${event.ref}\` creates no dependency: Polyaxon only links \`ops.${event.ref}\``,
            {
              anchor: 'value',

              hint: `write \`ref: ops.${event.ref}\` to wait for that operation`,
            },
          );
        }
      });
    }
  },
};
