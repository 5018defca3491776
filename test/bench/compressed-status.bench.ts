import { gzipSync } from 'node:zlib';
import { it } from 'vitest';
import { WorkflowNodes } from '../../src/cluster/workflow-nodes.js';
import { countingReporter, quantile, report } from './support.js';
import { earlyStoppingReason } from '../../src/watch/early-stopping.js';
import { operationStates } from '../../src/watch/operation-states.js';
import type { NodeStatus, WorkflowObject } from '../../src/watch/workflow-status.js';

/**
 * Part of `npm run bench` (not of `npm test`): one status update of a 5,000-node workflow whose
 * node statuses Argo compressed, handled as the Action handles each watch event: the event's
 * JSON parsed, `status.compressedNodes` decoded (base64, gunzip, JSON), the operations' states
 * read, early stopping evaluated, the check runs updated (a client that only counts). Each event
 * changes one node's phase, and the nodes are compressed again as Argo's controller does (not
 * timed: that is Argo's work). Target: under 50 ms. Writes its figures to BENCH_COMPRESSED_OUT.
 */

const NODES = 5000;
const TOP_OPERATIONS = 20;
const EVENTS = 200;
const NAME = 'sweep-x7k2p';

/** Nodes as Argo writes them: a root dag, 19 plain operations, and a matrix (dag → task group → pods). */
function nodes(): Record<string, NodeStatus> {
  /** The fields the watcher reads, and those Argo writes besides, which the decoding must carry. */
  type ArgoNode = Omit<NodeStatus, 'outputs'> & {
    templateScope?: string;
    progress?: string;
    resourcesDuration?: Record<string, number>;
    hostNodeName?: string;
    inputs?: { parameters: { name: string; value: string }[] };
    outputs?: { parameters?: { name: string; value: string }[]; exitCode?: string };
  };
  const all: Record<string, ArgoNode> = {};
  const common = (id: string, extra: Omit<ArgoNode, 'id'>): ArgoNode => ({
    id,
    templateScope: `local/${NAME}`,
    startedAt: '2026-11-25T10:00:00Z',
    finishedAt: '2026-11-25T10:03:12Z',
    progress: '1/1',
    resourcesDuration: { cpu: 12, memory: 190 },
    hostNodeName: 'gpu-node-17',
    ...extra,
  });
  const root = `${NAME}`;
  const children: string[] = [];
  for (let i = 0; i < TOP_OPERATIONS - 1; i++) {
    const id = `${NAME}-${1000000 + i}`;
    children.push(id);
    all[id] = common(id, {
      name: `${NAME}.op-${i}`,
      displayName: `op-${i}`,
      type: 'Pod',
      templateName: `op-${i % 5}`,
      phase: 'Succeeded',
      boundaryID: root,
      inputs: { parameters: [{ name: 'data', value: 's3://ml-data/clean.parquet' }] },
      outputs: { parameters: [{ name: 'model', value: `s3://models/op-${i}` }], exitCode: '0' },
    });
  }
  const sweep = `${NAME}-2000000`;
  const group = `${NAME}-2000001`;
  children.push(sweep);
  const items: string[] = [];
  const pods = NODES - 3 - (TOP_OPERATIONS - 1);
  for (let i = 0; i < pods; i++) {
    const id = `${NAME}-${3000000 + i}`;
    items.push(id);
    const lr = (0.001 + i * 0.00002).toFixed(5);
    all[id] = common(id, {
      name: `${NAME}.sweep.items(${i}:batch=${(i % 50) + 1},lr=${lr})`,
      displayName: `items(${i}:batch=${(i % 50) + 1},lr=${lr})`,
      type: 'Pod',
      templateName: 'train',
      phase: 'Running',
      boundaryID: sweep,
      inputs: {
        parameters: [
          { name: 'lr', value: lr },
          { name: 'batch', value: String((i % 50) + 1) },
          { name: 'data', value: 's3://ml-data/clean.parquet' },
        ],
      },
    });
  }
  all[group] = common(group, {
    name: `${NAME}.sweep.items`,
    displayName: 'items',
    type: 'TaskGroup',
    templateName: 'train',
    phase: 'Running',
    boundaryID: sweep,
    children: items,
  });
  all[sweep] = common(sweep, {
    name: `${NAME}.sweep`,
    displayName: 'sweep',
    type: 'DAG',
    templateName: 'sweep-matrix',
    phase: 'Running',
    boundaryID: root,
    children: [group],
  });
  all[root] = common(root, {
    name: NAME,
    displayName: NAME,
    type: 'DAG',
    templateName: 'sweep',
    phase: 'Running',
    children,
  });
  return all;
}

it('handles one status update of a 5,000-node compressed workflow', async () => {
  const names: Record<string, string> = { 'sweep/sweep': 'sweep' };
  for (let i = 0; i < TOP_OPERATIONS - 1; i++) names[`sweep/op-${i}`] = `op-${i}`;
  const statuses = nodes();
  const workflow = (compressedNodes: string, resourceVersion: number): WorkflowObject => ({
    metadata: {
      name: NAME,
      namespace: 'ml',
      resourceVersion: String(resourceVersion),
      annotations: { 'polyaxon-argo.io/operations': JSON.stringify(names) },
    },
    spec: { entrypoint: 'sweep' },
    status: { phase: 'Running', progress: `0/${NODES}`, compressedNodes },
  });
  const { reporter } = countingReporter();
  const reader = new WorkflowNodes();
  const first = await reader.read(workflow(gzipSync(JSON.stringify(statuses)).toString('base64'), 1));
  await reporter.start(first.workflow, operationStates(first.workflow));

  const pods = Object.values(statuses).filter((n) => n.type === 'Pod' && n.phase === 'Running');
  const times: number[] = [];
  let compressedBytes = 0;
  let rawBytes = 0;
  for (let event = 1; event <= EVENTS; event++) {
    // Argo's side: one pod ends, the nodes are compressed again, the watch event is serialised.
    pods[event]!.phase = 'Succeeded';
    const raw = JSON.stringify(statuses);
    const compressed = gzipSync(raw).toString('base64');
    rawBytes = raw.length;
    compressedBytes = compressed.length;
    const line = JSON.stringify({ type: 'MODIFIED', object: workflow(compressed, event + 1) });

    const start = performance.now();
    const { object } = JSON.parse(line) as { object: WorkflowObject };
    const { workflow: version } = await reader.read(object);
    const states = operationStates(version);
    earlyStoppingReason(version, states);
    await reporter.update(version, states);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const result = {
    nodes: NODES,
    events: EVENTS,
    rawStatusBytes: rawBytes,
    compressedBytes,
    medianMs: quantile(times, 0.5, 2),
    p95Ms: quantile(times, 0.95, 2),
    maxMs: quantile(times, 1, 2),
  };
  report('BENCH_COMPRESSED_OUT', result);
}, 300_000);
