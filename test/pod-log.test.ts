import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { failedSteps, failingContainer, podOfNode, renderLogTail, tailOf } from '../src/cluster/pod-log.js';
import type { NodeStatus, WorkflowObject } from '../src/watch/workflow-status.js';

const node = (id: string, fields: Partial<NodeStatus>): NodeStatus => ({ id, name: `wf.${id}`, ...fields });

/** A dag `wf` with a retried task, a nested dag and a matrix, as Argo records them. */
const workflow: WorkflowObject = {
  metadata: {
    name: 'wf',
    namespace: 'ml',
    annotations: {
      'polyaxon-argo.io/operations': JSON.stringify({
        'wf/flaky': 'Flaky',
        'wf/features': 'features',
        'wf/grid': 'grid',
      }),
    },
  },
  spec: { entrypoint: 'wf' },
  status: {
    nodes: {
      root: node('root', { type: 'DAG', templateName: 'wf', displayName: 'wf', phase: 'Failed' }),
      retry: node('retry', {
        type: 'Retry',
        displayName: 'flaky',
        boundaryID: 'root',
        phase: 'Failed',
        children: ['a0', 'a1'],
      }),
      a0: node('a0', {
        type: 'Pod',
        displayName: 'flaky(0)',
        boundaryID: 'root',
        phase: 'Failed',
        finishedAt: '2026-01-01T00:00:01Z',
      }),
      a1: node('a1', {
        type: 'Pod',
        displayName: 'flaky(1)',
        boundaryID: 'root',
        phase: 'Failed',
        finishedAt: '2026-01-01T00:00:05Z',
      }),
      features: node('features', { type: 'DAG', displayName: 'features', boundaryID: 'root', phase: 'Failed' }),
      transform: node('transform', { type: 'DAG', displayName: 'transform', boundaryID: 'features', phase: 'Failed' }),
      clean: node('clean', {
        type: 'Pod',
        displayName: 'clean',
        boundaryID: 'transform',
        phase: 'Error',
        finishedAt: '2026-01-01T00:00:03Z',
      }),
      grid: node('grid', { type: 'DAG', displayName: 'grid', boundaryID: 'root', phase: 'Succeeded' }),
      item: node('item', { type: 'Pod', displayName: 'train(0:lr=0.1)', boundaryID: 'grid', phase: 'Succeeded' }),
    },
  },
};

describe('failedSteps', () => {
  it('finds each failed pod with its top operation, newest failure first', () => {
    expect(failedSteps(workflow).map((s) => [s.operation, s.node.displayName])).toEqual([
      ['Flaky', 'flaky(1)'],
      ['features', 'clean'],
      ['Flaky', 'flaky(0)'],
    ]);
  });

  it('keeps only the operations asked for', () => {
    expect(failedSteps(workflow, new Set(['features'])).map((s) => s.node.id)).toEqual(['clean']);
  });

  it('names a single-job workflow after its pipeline', () => {
    const single: WorkflowObject = {
      metadata: { name: 'job-x1', annotations: { 'polyaxon-argo.io/pipeline': 'job' } },
      spec: { entrypoint: 'job' },
      status: { nodes: { p: node('p', { type: 'Pod', templateName: 'job', phase: 'Failed' }) } },
    };
    expect(failedSteps(single).map((s) => s.operation)).toEqual(['job']);
  });
});

const terminated = (name: string, exitCode: number) => ({
  name,
  image: 'x',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode } },
});

describe('failingContainer', () => {
  it('prefers a user container that exited non-zero, init containers first', () => {
    const pod: V1Pod = {
      status: {
        initContainerStatuses: [terminated('init', 0), terminated('clone', 128)],
        containerStatuses: [terminated('wait', 1), terminated('main', 2)],
      },
    };
    expect(failingContainer(pod)).toEqual({ name: 'clone', exitCode: 128 });
  });

  it('reads the wait container when only it failed (a missing output file)', () => {
    const pod: V1Pod = { status: { containerStatuses: [terminated('main', 0), terminated('wait', 1)] } };
    expect(failingContainer(pod)).toEqual({ name: 'wait', exitCode: 1 });
  });

  it('falls back to main when nothing has terminated', () => {
    expect(failingContainer({ status: {} })).toEqual({ name: 'main' });
  });
});

describe('podOfNode', () => {
  it('finds the pod by the node id Argo annotates it with', () => {
    const pods: V1Pod[] = [
      { metadata: { name: 'p1', annotations: { 'workflows.argoproj.io/node-id': 'a0' } } },
      { metadata: { name: 'p2', annotations: { 'workflows.argoproj.io/node-id': 'a1' } } },
    ];
    expect(podOfNode(pods, 'a1')?.metadata?.name).toBe('p2');
    expect(podOfNode(pods, 'zz')).toBeUndefined();
  });
});

describe('tailOf', () => {
  it('keeps the last lines', () => {
    const log = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n') + '\n';
    expect(tailOf(log, { maxLines: 3, maxBytes: 1000 })).toEqual({ text: 'line 7\nline 8\nline 9', truncated: true });
    expect(tailOf('a\nb\n', { maxLines: 3, maxBytes: 1000 })).toEqual({ text: 'a\nb', truncated: false });
  });

  it('drops whole lines to fit the byte cap, then cuts a long line at a character', () => {
    expect(tailOf('aaaa\nbbbb\ncccc', { maxLines: 10, maxBytes: 9 })).toEqual({ text: 'bbbb\ncccc', truncated: true });
    const { text, truncated } = tailOf(`x${'é'.repeat(10)}`, { maxLines: 10, maxBytes: 5 });
    expect(text).toBe('éé');
    expect(truncated).toBe(true);
  });
});

describe('renderLogTail', () => {
  it('fences the log so no line of it can close the block', () => {
    const markdown = renderLogTail({
      operation: 'train',
      step: 'train(1)',
      pod: 'p',
      container: 'main',
      exitCode: 3,
      text: 'before\n```\nafter',
      truncated: true,
    });
    expect(markdown).toBe(
      '**Log of `train(1)`** (container `main`, exit code 3, last lines):\n\n````\nbefore\n```\nafter\n````',
    );
  });
});
