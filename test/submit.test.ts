import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeStatus, WorkflowObject } from '../src/watch/workflow-status.js';
import { GitHubStandIn } from './support/github-server.js';
import { KubeStandIn } from './support/kube-server.js';
import { TWO_STEP_PIPELINE } from './support/pipelines.js';
import { eventually, savedState, startAction } from './support/run-action.js';

/**
 * submit mode end to end against stand-ins: the bundled Action creates the Workflow through
 * @kubernetes/client-node, follows it through dropped watches and 410 Gone, and reports each
 * operation as a check run on the pull request's head commit.
 */

let github: GitHubStandIn;
let kube: KubeStandIn;
let apiUrl: string;
let kubeconfig: string;
let workspace: string;

beforeEach(async () => {
  github = new GitHubStandIn();
  apiUrl = await github.start();
  kube = new KubeStandIn();
  const server = await kube.start();
  kubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "${server}", insecure-skip-tls-verify: true}
users:
- name: ci
  user: {token: kube-secret-token}
contexts:
- name: local
  context: {cluster: local, user: ci}
current-context: local
`;
  workspace = mkdtempSync(path.join(tmpdir(), 'workspace-'));
  writeFileSync(path.join(workspace, 'polyaxonfile.yaml'), TWO_STEP_PIPELINE);
  github.state.pullFiles.set(7, [{ filename: 'polyaxonfile.yaml', status: 'added' }]);
});

afterEach(async () => {
  await kube.stop();
  await github.stop();
});

const event = {
  number: 7,
  pull_request: { number: 7, head: { sha: 'a'.repeat(40), repo: { full_name: 'acme/ml' } }, base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/ml' } } },
};

function submit(inputs: Record<string, string> = {}) {
  return startAction({ inputs: { mode: 'submit', kubeconfig, namespace: 'ml', comment: 'false', ...inputs }, event, eventName: 'pull_request', apiUrl, workspace });
}

const node = (id: string, displayName: string, phase: string, extra: Partial<NodeStatus> = {}): NodeStatus => ({ id, name: `wf.${displayName}`, displayName, type: 'Pod', phase, boundaryID: 'root', startedAt: '2026-11-25T10:00:00Z', ...extra });

function running(workflow: WorkflowObject, nodes: NodeStatus[], phase = 'Running') {
  const root: NodeStatus = { id: 'root', name: workflow.metadata.name!, displayName: workflow.metadata.name!, type: 'DAG', templateName: workflow.spec!.entrypoint!, phase };
  workflow.status = { phase, startedAt: '2026-11-25T10:00:00Z', nodes: Object.fromEntries([root, ...nodes].map((n) => [n.id, n])) };
}

const checks = () => Object.fromEntries(github.state.checkRuns.map((r) => [r.name, r.history.map((h) => h.conclusion ?? h.status)]));

describe('submit mode', () => {
  it('creates the workflow, follows it through a dropped watch and a 410, and reports every operation', async () => {
    const action = submit({ 'argo-url': 'https://argo.example.com/' });
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    await eventually(() => (github.state.checkRuns.length === 3 && kube.openWatches > 0 ? true : undefined));
    kube.bookmark();
    kube.update(name, (wf) => running(wf, [node('p', 'prepare', 'Running')]));
    await eventually(() => (checks()['argo/prepare']?.includes('in_progress') ? true : undefined));
    kube.update(name, (wf) => running(wf, [node('p', 'prepare', 'Succeeded', { finishedAt: '2026-11-25T10:01:00Z', outputs: { parameters: [{ name: 'data', value: 's3://clean' }] } }), node('t', 'train', 'Running')]));
    await eventually(() => (checks()['argo/train']?.includes('in_progress') ? true : undefined));
    // The API server drops the watch, and compacts: the Action's next watch gets 410 Gone and relists.
    kube.dropWatches();
    kube.compactedBelow = Number(kube.workflows.get(name)!.metadata.resourceVersion) + 5;
    kube.update(name, (wf) => running(wf, [node('p', 'prepare', 'Succeeded'), node('t', 'train', 'Succeeded', { finishedAt: '2026-11-25T10:05:00Z' })], 'Succeeded'));
    const result = await action.done;

    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ 'workflow-name': name, namespace: 'ml', 'workflow-uid': 'uid-1', phase: 'Succeeded' });
    expect(checks()).toEqual({
      argo: ['queued', 'in_progress', 'success'],
      'argo/prepare': ['queued', 'in_progress', 'success'],
      'argo/train': ['queued', 'in_progress', 'success'],
    });
    expect(github.state.checkRuns.every((r) => r.head_sha === 'a'.repeat(40))).toBe(true);
    expect(github.state.checkRuns.find((r) => r.name === 'argo/prepare')!.output.summary).toContain('| output `data` | s3://clean |');
    expect(github.state.checkRuns.find((r) => r.name === 'argo')!.output.summary).toContain(`[Open in Argo](https://argo.example.com/workflows/ml/${name})`);
    expect(kube.requests.some((r) => r.url.includes('watch=true') && r.url.includes('allowWatchBookmarks=true'))).toBe(true);
    expect(github.violations).toEqual([]);
    // The token only ever appears in the commands that mask it.
    const leaks = result.stdout.split('\n').filter((line) => line.includes('kube-secret-token') && !line.startsWith('::add-mask::'));
    expect(leaks).toEqual([]);
    expect(result.stdout).toContain('::add-mask::kube-secret-token\n');
  });

  it('stops the workflow when the timeout expires and concludes the checks timed_out', async () => {
    const action = submit({ timeout: '2' });
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    kube.update(name, (wf) => running(wf, [node('p', 'prepare', 'Running')]));
    const result = await action.done;
    expect(result.code).toBe(1);
    expect(kube.workflows.get(name)!.spec!.shutdown).toBe('Stop');
    expect(kube.requests.find((r) => r.method === 'PATCH')!.contentType).toBe('application/merge-patch+json');
    expect(checks()).toMatchObject({ argo: expect.arrayContaining(['timed_out']), 'argo/prepare': expect.arrayContaining(['timed_out']), 'argo/train': expect.arrayContaining(['timed_out']) });
    expect(result.stdout).toContain('timed out');
  }, 20_000);

  it('stops the workflow when the job is cancelled and concludes the checks cancelled', async () => {
    const action = submit();
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    await eventually(() => (kube.openWatches > 0 ? true : undefined));
    kube.update(name, (wf) => running(wf, [node('p', 'prepare', 'Running')]));
    await eventually(() => (checks()['argo/prepare']?.includes('in_progress') ? true : undefined));
    action.child.kill('SIGTERM');
    const result = await action.done;
    expect(result.code).toBe(1);
    expect(kube.workflows.get(name)!.spec!.shutdown).toBe('Stop');
    expect(checks()['argo/prepare']!.at(-1)).toBe('cancelled');
    expect(checks()['argo/train']!.at(-1)).toBe('cancelled');
  });

  it('has the post step stop the workflow and cancel the checks when the main step was killed', async () => {
    const action = submit();
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    await eventually(() => (github.state.checkRuns.length === 3 && kube.openWatches > 0 ? true : undefined));
    action.child.kill('SIGKILL');
    const killed = await action.done;
    const post = await startAction({ inputs: { mode: 'submit', kubeconfig }, event, eventName: 'pull_request', apiUrl, workspace, env: savedState(killed.stdout) }).done;
    expect(post.code).toBe(0);
    expect(kube.workflows.get(name)!.spec!.shutdown).toBe('Stop');
    expect(Object.values(checks()).map((history) => history.at(-1))).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(github.violations).toEqual([]);
  });

  it('refuses to submit a fork\'s pipeline on pull_request_target unless allowed', async () => {
    const forkEvent = { ...event, pull_request: { ...event.pull_request, head: { sha: 'a'.repeat(40), repo: { full_name: 'stranger/ml' } } } };
    const refused = await startAction({ inputs: { mode: 'submit', kubeconfig, namespace: 'ml', comment: 'false' }, event: forkEvent, eventName: 'pull_request_target', apiUrl, workspace }).done;
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('::error::submit refused: this pull_request_target run would submit a pipeline from a fork');
    expect(kube.workflows.size).toBe(0);
    const allowed = await startAction({ inputs: { mode: 'submit', kubeconfig, namespace: 'ml', comment: 'false', wait: 'false', 'allow-fork-submit': 'true' }, event: forkEvent, eventName: 'pull_request_target', apiUrl, workspace }).done;
    expect(allowed.code).toBe(0);
    expect(kube.workflows.size).toBe(1);
  });

  it('fails with a clear message when the namespace does not exist', async () => {
    const result = await submit({ namespace: 'nope' }).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::polyaxon-argo: cannot create the Workflow: namespaces "nope" not found (does namespace nope exist, with Argo\'s CRDs installed?)');
    expect(github.state.checkRuns).toEqual([]);
  });
});
