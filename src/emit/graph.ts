import { graphOf } from '../graph/dag-graph.js';
import type { ResolvedDag, ResolvedOperation } from '../resolve/model.js';

export type GraphFormat = 'mermaid' | 'dot';

interface Node {
  id: string;
  label: string;
  children?: { nodes: Node[]; edges: Edge[] };
}
interface Edge {
  from: string;
  to: string;
  kind: 'dependency' | 'param' | 'event';
}

/**
 * The dag as a diagram: one node per operation labelled with its name, component and trigger
 * (when not the default), nested dags as subgraphs, event edges dashed. Ids are generated
 * (`n0`, `n1`…) and labels quoted, so no operation name can break the diagram's syntax.
 */
export function renderGraph(root: ResolvedOperation, format: GraphFormat): string {
  let counter = 0;
  const build = (dag: ResolvedDag): { nodes: Node[]; edges: Edge[] } => {
    const graph = graphOf(dag);
    const ids = new Map<string, string>();
    const nodes = graph.names.map((name) => {
      const op = graph.operations.get(name)!;
      const id = `n${counter++}`;
      ids.set(name, id);
      const component = op.component?.component.name;
      const trigger =
        typeof op.operation.trigger === 'string' && op.operation.trigger !== 'all_succeeded'
          ? op.operation.trigger
          : undefined;
      const matrix = op.operation.matrix ? `matrix: ${op.operation.matrix.kind}` : undefined;
      const label = [
        name,
        typeof component === 'string' && component !== name ? `(${component})` : undefined,
        trigger,
        matrix,
      ]
        .filter(Boolean)
        .join(' · ');
      return { id, label, ...(op.component?.dag ? { children: build(op.component.dag) } : {}) };
    });
    const seen = new Set<string>();
    const edges: Edge[] = [];
    for (const name of graph.names) {
      for (const edge of graph.upstream.get(name)!) {
        const from = ids.get(edge.from);
        const key = `${edge.from}>${name}`;
        if (!from || seen.has(key)) continue;
        seen.add(key);
        edges.push({ from, to: ids.get(name)!, kind: edge.kind });
      }
    }
    return { nodes, edges };
  };
  const dag = root.component?.dag;
  const body = dag ? build(dag) : { nodes: [{ id: 'n0', label: root.name }], edges: [] };
  return format === 'mermaid' ? mermaid(body) : dot(root.name, body);
}

const mermaidLabel = (text: string) => `"${text.replace(/"/g, '#quot;').replace(/\s+/g, ' ')}"`;

function mermaid(graph: { nodes: Node[]; edges: Edge[] }): string {
  const lines = ['flowchart LR'];
  const write = (g: { nodes: Node[]; edges: Edge[] }, indent: string) => {
    for (const node of g.nodes) {
      if (node.children) {
        lines.push(`${indent}subgraph ${node.id} [${mermaidLabel(node.label)}]`);
        write(node.children, `${indent}  `);
        lines.push(`${indent}end`);
      } else {
        lines.push(`${indent}${node.id}[${mermaidLabel(node.label)}]`);
      }
    }
    for (const edge of g.edges)
      lines.push(`${indent}${edge.from} ${edge.kind === 'event' ? '-.->' : '-->'} ${edge.to}`);
  };
  write(graph, '  ');
  return `${lines.join('\n')}\n`;
}

const dotLabel = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function dot(name: string, graph: { nodes: Node[]; edges: Edge[] }): string {
  const lines = [`digraph ${dotLabel(name)} {`, '  rankdir=LR;', '  node [shape=box];'];
  const write = (g: { nodes: Node[]; edges: Edge[] }, indent: string) => {
    for (const node of g.nodes) {
      if (node.children) {
        // DOT cannot draw edges to a cluster: the dag is a node, its operations a cluster beside it.
        lines.push(`${indent}${node.id} [label=${dotLabel(node.label)}, shape=folder];`);
        lines.push(`${indent}subgraph cluster_${node.id} {`, `${indent}  label=${dotLabel(node.label)};`);
        write(node.children, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${node.id} [label=${dotLabel(node.label)}];`);
      }
    }
    for (const edge of g.edges)
      lines.push(`${indent}${edge.from} -> ${edge.to}${edge.kind === 'event' ? ' [style=dashed]' : ''};`);
  };
  write(graph, '  ');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
