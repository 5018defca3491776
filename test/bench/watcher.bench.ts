import { it } from 'vitest';
import { countingReporter, quantile, report } from './support.js';
import { operationStates } from '../../src/watch/operation-states.js';
import type { NodeStatus, WorkflowObject } from '../../src/watch/workflow-status.js';

/**
 * Part of `npm run bench` (not of `npm test`): the Action's status handling for a 1,000-operation
 * workflow over a recorded-like stream of 10,000 watch events. Each event changes one node, as
 * Argo's controller does; each is handled as the Action does (operation states, check-run
 * reporter with a client that only counts). Writes its figures to BENCH_WATCHER_OUT.
 */

const OPERATIONS = 1000;
const EVENTS = 10_000;
const PHASES = ['Pending', 'Running', 'Succeeded'];

function workflow(): WorkflowObject {
  const names: Record<string, string> = {};
  const nodes: Record<string, NodeStatus> = {
    root: { id: 'root', name: 'big', displayName: 'big', type: 'DAG', templateName: 'big', phase: 'Running' },
  };
  for (let i = 0; i < OPERATIONS; i++) {
    names[`big/op-${i}`] = `op-${i}`;
    nodes[`n${i}`] = {
      id: `n${i}`,
      name: `big.op-${i}`,
      displayName: `op-${i}`,
      type: 'Pod',
      templateName: `step-${i % 5}`,
      phase: 'Pending',
      boundaryID: 'root',
      startedAt: '2026-11-25T10:00:00Z',
      outputs: { parameters: [{ name: 'out', value: `s3://bucket/${i}` }] },
    };
  }
  return {
    metadata: {
      name: 'big',
      namespace: 'ml',
      resourceVersion: '1',
      annotations: { 'polyaxon-argo.io/operations': JSON.stringify(names) },
    },
    spec: { entrypoint: 'big' },
    status: { phase: 'Running', nodes },
  };
}

it('handles a 1,000-operation workflow status in a few milliseconds, with flat memory', async () => {
  const { reporter, calls } = countingReporter();
  let current = workflow();
  await reporter.start(current, operationStates(current));
  const gc = (globalThis as { gc?: () => void }).gc;
  const heap = () => {
    gc?.();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  const times: number[] = [];
  let heapAfter1000 = 0;
  for (let event = 1; event <= EVENTS; event++) {
    // Each watch event carries a whole new object, as JSON from the API server.
    const next = JSON.parse(JSON.stringify(current)) as WorkflowObject;
    const node = next.status!.nodes![`n${event % OPERATIONS}`]!;
    node.phase = PHASES[(PHASES.indexOf(node.phase!) + 1) % PHASES.length];
    next.metadata.resourceVersion = String(event + 1);
    const start = performance.now();
    await reporter.update(next, operationStates(next));
    times.push(performance.now() - start);
    current = next;
    if (event === 1000) heapAfter1000 = heap();
  }
  const heapAtEnd = heap();
  times.sort((a, b) => a - b);
  const result = {
    operations: OPERATIONS,
    events: EVENTS,
    meanMs: Number((times.reduce((a, b) => a + b, 0) / times.length).toFixed(3)),
    p99Ms: quantile(times, 0.99, 3),
    maxMs: quantile(times, 1, 3),
    heapAfter1000EventsMb: Number(heapAfter1000.toFixed(1)),
    heapAfter10000EventsMb: Number(heapAtEnd.toFixed(1)),
    githubCalls: calls(),
  };
  report('BENCH_WATCHER_OUT', result);
}, 120_000);
