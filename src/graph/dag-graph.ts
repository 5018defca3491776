import type { Path } from '../parse/source.js';
import type { ResolvedDag, ResolvedOperation } from '../resolve/model.js';

/**
 * The dependency graph of a dag (spec §2.2): X depends on N when N is in X's `dependencies`,
 * when a param of X has `ref: ops.N`, or when an event of X has `ref: ops.N`. Nothing else
 * makes an edge (not joins, not `ref: dag`, not a `{{ ops.N… }}` inside a value).
 */

export type EdgeKind = 'dependency' | 'param' | 'event';

export interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Where the edge is written, relative to the file of the `to` operation. */
  path: Path;
}

export interface DagGraph {
  /** Operation names in file order (named operations only, first of duplicates). */
  names: string[];
  operations: Map<string, ResolvedOperation>;
  /** Edges into each operation, in the order they are written. */
  upstream: Map<string, Edge[]>;
  downstream: Map<string, Edge[]>;
}

const graphs = new WeakMap<ResolvedDag, DagGraph>();

/** The graph of a dag, built once however many rules and stages ask for it. */
export function graphOf(dag: ResolvedDag): DagGraph {
  let graph = graphs.get(dag);
  if (!graph) graphs.set(dag, (graph = buildGraph(dag)));
  return graph;
}

function buildGraph(dag: ResolvedDag): DagGraph {
  const operations = new Map<string, ResolvedOperation>();
  for (const op of dag.operations) if (op.name && !operations.has(op.name)) operations.set(op.name, op);
  const names = [...operations.keys()];
  const upstream = new Map<string, Edge[]>(names.map((n) => [n, []]));
  const downstream = new Map<string, Edge[]>(names.map((n) => [n, []]));
  for (const op of operations.values()) {
    for (const edge of edgesInto(op)) {
      upstream.get(op.name)!.push(edge);
      downstream.get(edge.from)?.push(edge);
    }
  }
  return { names, operations, upstream, downstream };
}

/** The edges an operation declares, whether or not their source exists (orphans are checked on these). */
export function edgesInto(op: ResolvedOperation): Edge[] {
  const edges: Edge[] = [];
  const { operation } = op;
  if (Array.isArray(operation.dependencies)) {
    operation.dependencies.forEach((from, i) =>
      edges.push({ from, to: op.name, kind: 'dependency', path: [...op.path, 'dependencies', i] }),
    );
  }
  for (const located of op.params.values()) {
    const from = opsRefTarget(located.param.ref);
    if (from !== undefined) edges.push({ from, to: op.name, kind: 'param', path: [...located.path, 'ref'] });
  }
  if (Array.isArray(operation.events)) {
    operation.events.forEach((event, i) => {
      const from = opsRefTarget(event.ref);
      if (from !== undefined) edges.push({ from, to: op.name, kind: 'event', path: [...op.path, 'events', i, 'ref'] });
    });
  }
  return edges;
}

/** `ops.NAME` → `NAME`; anything else makes no edge. */
export function opsRefTarget(ref: string | undefined): string | undefined {
  if (!ref?.startsWith('ops.')) return undefined;
  const name = ref.slice(4);
  return name && !name.includes('.') ? name : undefined;
}

/**
 * Level-by-level topological sort (Kahn): stage 0 holds operations without upstream, and an
 * operation joins the stage after its last upstream. Edges from unknown operations are
 * ignored here (they are orphans, reported separately). Returns the stages and the operations
 * that could not be placed, which are exactly those on or behind a cycle.
 */
export function topologicalStages(graph: DagGraph): { stages: string[][]; blocked: string[] } {
  const remaining = new Map<string, number>();
  for (const name of graph.names)
    remaining.set(
      name,
      new Set(
        graph.upstream
          .get(name)!
          .filter((e) => graph.operations.has(e.from))
          .map((e) => e.from),
      ).size,
    );
  let current = graph.names.filter((n) => remaining.get(n) === 0);
  const stages: string[][] = [];
  const placed = new Set<string>();
  while (current.length > 0) {
    stages.push(current);
    const next: string[] = [];
    for (const name of current) {
      placed.add(name);
      for (const target of new Set(graph.downstream.get(name)!.map((e) => e.to))) {
        const left = remaining.get(target)! - 1;
        remaining.set(target, left);
        if (left === 0) next.push(target);
      }
    }
    current = next;
  }
  return { stages, blocked: graph.names.filter((n) => !placed.has(n)) };
}

/** One cycle among `blocked` operations, as a closed path `[a, b, a]` following edge direction. */
export function findCycle(graph: DagGraph, blocked: readonly string[]): string[] | undefined {
  const candidates = new Set(blocked);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  // Iterative DFS over upstream edges, so 20,000-operation chains cannot overflow the call stack.
  for (const start of blocked) {
    if (state.has(start)) continue;
    const work: { name: string; next: number; ups: string[] }[] = [];
    const push = (name: string) => {
      state.set(name, 'open');
      stack.push(name);
      work.push({
        name,
        next: 0,
        ups: [...new Set(graph.upstream.get(name)!.map((e) => e.from))].filter((u) => candidates.has(u)),
      });
    };
    push(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      if (frame.next < frame.ups.length) {
        const up = frame.ups[frame.next++]!;
        if (state.get(up) === 'open') {
          // Found a cycle: the stack from `up` to here, reversed into edge direction.
          const cycle = stack.slice(stack.indexOf(up)).reverse();
          return [...cycle, cycle[0]!];
        }
        if (!state.has(up)) push(up);
      } else {
        state.set(frame.name, 'done');
        stack.pop();
        work.pop();
      }
    }
  }
  return undefined;
}
