import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WorkflowNodes } from '../src/cluster/workflow-nodes.js';
import { checkStatusOf } from '../src/watch/check-status.js';
import { failureReason } from '../src/watch/failure-reason.js';
import { decodeCompressedNodes, nodesLocation } from '../src/watch/node-status.js';
import { operationStates } from '../src/watch/operation-states.js';
import type { NodeStatus, WorkflowObject } from '../src/watch/workflow-status.js';
import { CheckRunReporter } from '../src/github/check-runs.js';
import type { GitHubClient } from '../src/github/octokit.js';

/** A status as Argo writes it for a dag with a plain task, a retried task, a matrix fan-out and a skipped task. */
const workflow: WorkflowObject = {
  metadata: {
    name: 'train-x7k2p',
    annotations: {
      'polyaxon-argo.io/operations': JSON.stringify({
        'train/prepare': 'prepare',
        'train/fit': 'fit',
        'train/sweep': 'sweep',
        'train/deploy': 'deploy',
        'train/later': 'later',
      }),
    },
  },
  spec: { entrypoint: 'train' },
  status: {
    phase: 'Running',
    nodes: {
      'train-x7k2p': {
        id: 'train-x7k2p',
        name: 'train-x7k2p',
        displayName: 'train-x7k2p',
        type: 'DAG',
        templateName: 'train',
        phase: 'Running',
        children: ['n1'],
      },
      n1: {
        id: 'n1',
        name: 'train-x7k2p.prepare',
        displayName: 'prepare',
        type: 'Pod',
        templateName: 'prepare',
        phase: 'Succeeded',
        boundaryID: 'train-x7k2p',
        startedAt: '2026-11-25T10:00:00Z',
        finishedAt: '2026-11-25T10:01:00Z',
        outputs: { parameters: [{ name: 'data', value: 's3://bucket/clean' }] },
        children: ['n2', 'n3'],
      },
      n2: {
        id: 'n2',
        name: 'train-x7k2p.fit',
        displayName: 'fit',
        type: 'Retry',
        templateName: 'fit',
        phase: 'Running',
        boundaryID: 'train-x7k2p',
        startedAt: '2026-11-25T10:01:05Z',
        children: ['n2a', 'n2b'],
      },
      n2a: {
        id: 'n2a',
        name: 'train-x7k2p.fit(0)',
        displayName: 'fit(0)',
        type: 'Pod',
        phase: 'Failed',
        boundaryID: 'train-x7k2p',
      },
      n2b: {
        id: 'n2b',
        name: 'train-x7k2p.fit(1)',
        displayName: 'fit(1)',
        type: 'Pod',
        phase: 'Running',
        boundaryID: 'train-x7k2p',
      },
      n3: {
        id: 'n3',
        name: 'train-x7k2p.sweep',
        displayName: 'sweep',
        type: 'DAG',
        templateName: 'sweep-matrix',
        phase: 'Running',
        boundaryID: 'train-x7k2p',
        startedAt: '2026-11-25T10:01:05Z',
        children: ['n3g'],
      },
      n3g: {
        id: 'n3g',
        name: 'train-x7k2p.sweep.sweep',
        displayName: 'sweep',
        type: 'TaskGroup',
        phase: 'Running',
        boundaryID: 'n3',
        children: ['i0', 'i1', 'i2'],
      },
      i0: {
        id: 'i0',
        name: 'train-x7k2p.sweep.sweep(0:lr=0.1)',
        displayName: 'sweep(0:lr=0.1)',
        type: 'Pod',
        phase: 'Succeeded',
        boundaryID: 'n3',
      },
      i1: {
        id: 'i1',
        name: 'train-x7k2p.sweep.sweep(1:lr=0.01)',
        displayName: 'sweep(1:lr=0.01)',
        type: 'Pod',
        phase: 'Running',
        boundaryID: 'n3',
      },
      i2: {
        id: 'i2',
        name: 'train-x7k2p.sweep.sweep(2:lr=0.001)',
        displayName: 'sweep(2:lr=0.001)',
        type: 'Pod',
        phase: 'Failed',
        boundaryID: 'n3',
      },
      n4: {
        id: 'n4',
        name: 'train-x7k2p.deploy',
        displayName: 'deploy',
        type: 'Skipped',
        templateName: 'deploy',
        phase: 'Skipped',
        boundaryID: 'train-x7k2p',
        message: "when 'false' evaluated false",
      },
    },
  },
};

describe('operation states from a workflow status', () => {
  const states = operationStates(workflow);

  it('lists the top dag operations in file order, with their phase, outputs, retries and items', () => {
    expect(states.map((s) => [s.name, s.phase])).toEqual([
      ['prepare', 'Succeeded'],
      ['fit', 'Running'],
      ['sweep', 'Running'],
      ['deploy', 'Skipped'],
      ['later', undefined],
    ]);
    expect(states[0]).toMatchObject({
      outputs: { data: 's3://bucket/clean' },
      startedAt: '2026-11-25T10:00:00Z',
      finishedAt: '2026-11-25T10:01:00Z',
    });
    expect(states[1]!.retries).toBe(1);
    expect(states[2]!.items).toEqual({ Succeeded: 1, Running: 1, Failed: 1 });
    expect(states[3]!.message).toBe("when 'false' evaluated false");
  });

  it('maps phases to check runs, concluding what never finished by how the workflow ended', () => {
    expect(states.map((s) => checkStatusOf(s))).toEqual([
      { status: 'completed', conclusion: 'success' },
      { status: 'in_progress' },
      { status: 'in_progress' },
      { status: 'completed', conclusion: 'skipped' },
      { status: 'queued' },
    ]);
    expect(checkStatusOf(states[1]!, { stopped: true, timedOut: false })).toEqual({
      status: 'completed',
      conclusion: 'cancelled',
    });
    expect(checkStatusOf(states[4]!, { stopped: false, timedOut: true })).toEqual({
      status: 'completed',
      conclusion: 'timed_out',
    });
    expect(checkStatusOf({ name: 'x', phase: 'Error', outputs: {}, retries: 0 })).toEqual({
      status: 'completed',
      conclusion: 'failure',
    });
  });

  it('concludes a step ended by its deadline as timed out, whichever deadline Argo names', () => {
    for (const message of [
      'Pod was active on the node longer than the specified deadline',
      'Step exceeded its deadline',
      'Max duration limit exceeded',
    ]) {
      expect(checkStatusOf({ name: 'x', phase: 'Failed', message, outputs: {}, retries: 0 })).toEqual({
        status: 'completed',
        conclusion: 'timed_out',
      });
    }
    expect(
      checkStatusOf({ name: 'x', phase: 'Failed', message: 'Error (exit code 1)', outputs: {}, retries: 0 }),
    ).toEqual({ status: 'completed', conclusion: 'failure' });
  });

  it("explains a failure by the workflow's message, else by the failed step that says why", () => {
    const failed = (nodes: Record<string, NodeStatus>, message?: string): WorkflowObject => ({
      metadata: { name: 'wf' },
      status: { phase: 'Failed', ...(message ? { message } : {}), nodes },
    });
    const nodes: Record<string, NodeStatus> = {
      wf: {
        id: 'wf',
        name: 'wf',
        displayName: 'wf',
        type: 'DAG',
        phase: 'Failed',
        message: "child 'wf-2' failed",
        children: ['a', 'b'],
        finishedAt: '2026-11-25T10:00:09Z',
      },
      a: {
        id: 'a',
        name: 'wf.fit',
        displayName: 'fit',
        type: 'Pod',
        phase: 'Failed',
        message: 'Error (exit code 3)',
        finishedAt: '2026-11-25T10:00:05Z',
      },
      b: {
        id: 'b',
        name: 'wf.eval',
        displayName: 'eval',
        type: 'Pod',
        phase: 'Error',
        message: 'failed to look-up entrypoint/cmd for image',
        finishedAt: '2026-11-25T10:00:01Z',
      },
      c: {
        id: 'c',
        name: 'wf.ok',
        displayName: 'ok',
        type: 'Pod',
        phase: 'Succeeded',
        message: 'fine',
        finishedAt: '2026-11-25T10:00:00Z',
      },
    };
    expect(failureReason(failed(nodes))).toBe('eval: failed to look-up entrypoint/cmd for image');
    expect(failureReason(failed(nodes, "Stopped with strategy 'Stop'"))).toBe("Stopped with strategy 'Stop'");
    expect(failureReason(failed({}))).toBeUndefined();
  });

  it('treats a workflow whose entrypoint is one job as one operation', () => {
    const single: WorkflowObject = {
      metadata: { name: 'job-abc', labels: { 'polyaxon-argo.io/pipeline': 'job' } },
      spec: { entrypoint: 'job' },
      status: {
        phase: 'Succeeded',
        nodes: { 'job-abc': { id: 'job-abc', name: 'job-abc', type: 'Pod', phase: 'Succeeded' } },
      },
    };
    expect(operationStates(single)).toEqual([{ name: 'job', phase: 'Succeeded', outputs: {}, retries: 0 }]);
  });
});

describe('check-run budget', () => {
  /** A fake GitHub client that only counts the Checks API calls. */
  function countingClient() {
    const calls = { create: 0, update: 0 };
    const client = {
      rest: {
        checks: {
          create: () => Promise.resolve({ data: { id: ++calls.create } }),
          update: () => {
            calls.update++;
            return Promise.resolve({ data: {} });
          },
        },
      },
    };
    return { client: client as unknown as GitHubClient, calls };
  }

  function bigWorkflow(size: number, finished: number): WorkflowObject {
    const names: Record<string, string> = {};
    const nodes: Record<string, NodeStatus> = {
      root: {
        id: 'root',
        name: 'big',
        displayName: 'big',
        type: 'DAG',
        templateName: 'big',
        phase: finished === size ? 'Succeeded' : 'Running',
      },
    };
    for (let i = 0; i < size; i++) {
      names[`big/op-${i}`] = `op-${i}`;
      if (i <= finished)
        nodes[`n${i}`] = {
          id: `n${i}`,
          name: `big.op-${i}`,
          displayName: `op-${i}`,
          type: 'Pod',
          phase: i < finished ? 'Succeeded' : 'Running',
          boundaryID: 'root',
        };
    }
    return {
      metadata: { name: 'big', namespace: 'ml', annotations: { 'polyaxon-argo.io/operations': JSON.stringify(names) } },
      spec: { entrypoint: 'big' },
      status: { phase: finished === size ? 'Succeeded' : 'Running', nodes },
    };
  }

  it('keeps a 1,000-operation workflow to a handful of calls by grouping operations in the overall check', async () => {
    const { client, calls } = countingClient();
    const reporter = new CheckRunReporter(
      client,
      { owner: 'acme', repo: 'ml' },
      { prefix: 'argo', headSha: 'a'.repeat(40), maxCheckRuns: 50, overallIntervalMs: 60_000 },
    );
    await reporter.start(bigWorkflow(1000, -1), operationStates(bigWorkflow(1000, -1)));
    for (let finished = 0; finished <= 1000; finished += 1) {
      const wf = bigWorkflow(1000, finished);
      await reporter.update(wf, operationStates(wf));
    }
    expect(calls).toEqual({ create: 1, update: 2 });
  });

  it('updates individual checks only when their status changes', async () => {
    const { client, calls } = countingClient();
    const reporter = new CheckRunReporter(
      client,
      { owner: 'acme', repo: 'ml' },
      { prefix: 'argo', headSha: 'a'.repeat(40), maxCheckRuns: 50, overallIntervalMs: 60_000 },
    );
    await reporter.start(bigWorkflow(20, -1), operationStates(bigWorkflow(20, -1)));
    for (let finished = 0; finished <= 20; finished++) {
      const wf = bigWorkflow(20, finished);
      await reporter.update(wf, operationStates(wf));
      await reporter.update(wf, operationStates(wf));
    }
    // 21 creates; each operation: in_progress then success; the overall: in_progress, success.
    expect(calls).toEqual({ create: 21, update: 20 * 2 + 2 });
  });
});

describe('node statuses wherever Argo keeps them', () => {
  const compressed = (nodes: unknown) => gzipSync(JSON.stringify(nodes)).toString('base64');

  it('decodes compressed nodes (gzip, base64) once per distinct text, and reads them like plain ones', async () => {
    const packed: WorkflowObject = {
      ...workflow,
      status: { phase: 'Running', compressedNodes: compressed(workflow.status!.nodes) },
    };
    expect(nodesLocation(packed)).toBe('compressed');
    const reader = new WorkflowNodes();
    const first = await reader.read(packed);
    expect(first.unavailable).toBeUndefined();
    expect(operationStates(first.workflow)).toEqual(operationStates(workflow));
    const again = await reader.read({ ...packed, metadata: { ...packed.metadata, resourceVersion: '2' } });
    expect(again.workflow.status!.nodes).toBe(first.workflow.status!.nodes);
  });

  it('keeps the last known nodes, and says why, when they cannot be read', async () => {
    const reader = new WorkflowNodes();
    await reader.read(workflow);
    const offloaded = await reader.read({
      ...workflow,
      status: { phase: 'Succeeded', offloadNodeStatusVersion: 'fnv:1' },
    });
    expect(offloaded.unavailable).toMatch(/only the Argo Server can read: set the inputs `argo-url` and `argo-token`/);
    expect(offloaded.workflow.status!.phase).toBe('Succeeded');
    expect(offloaded.workflow.status!.nodes).toBe(workflow.status!.nodes);
    const garbled = await reader.read({ ...workflow, status: { phase: 'Running', compressedNodes: 'bm90IGd6aXA=' } });
    expect(garbled.unavailable).toMatch(/^Argo's compressed node statuses could not be read/);
    expect(() => decodeCompressedNodes(gzipSync('[1]').toString('base64'))).toThrow(/does not hold a map of nodes/);
  });

  it('concludes unfinished operations neutral when the nodes were unreadable at the end', () => {
    const end = { stopped: false, timedOut: false, nodesUnavailable: true };
    expect(checkStatusOf({ name: 'x', phase: 'Running', outputs: {}, retries: 0 }, end)).toEqual({
      status: 'completed',
      conclusion: 'neutral',
    });
    expect(checkStatusOf({ name: 'x', phase: 'Succeeded', outputs: {}, retries: 0 }, end)).toEqual({
      status: 'completed',
      conclusion: 'success',
    });
  });
});
