import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/argo/types.js';
import { ArgoApi } from '../src/cluster/argo-api.js';
import { loadKubeConfig } from '../src/cluster/kubeconfig.js';
import type { NodeStatus, WorkflowObject } from '../src/watch/workflow-status.js';
import { ArgoServerStandIn } from './support/argo-server.js';
import type { GitHubStandIn } from './support/github-server.js';
import type { KubeFault, KubeStandIn } from './support/kube-server.js';
import { pullRequestEvent, startPullRequestWorld, type PullRequestWorld } from './support/pull-request.js';
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
let world: PullRequestWorld;

beforeEach(async () => {
  world = await startPullRequestWorld();
  ({ github, kube, apiUrl, kubeconfig, workspace } = world);
});

afterEach(() => world.stop());

const event = pullRequestEvent();

/**
 * Runs the bundled Action in submit mode. Its own retry delays and back-offs are a hundred times
 * shorter (src/action/timing.ts) unless `realTime`: for the tests that measure them.
 */
function submit(inputs: Record<string, string> = {}, options: { realTime?: boolean } = {}) {
  return startAction({
    inputs: { mode: 'submit', kubeconfig, namespace: 'ml', comment: 'false', ...inputs },
    event,
    eventName: 'pull_request',
    apiUrl,
    workspace,
    ...(options.realTime ? {} : { env: { POLYAXON_ARGO_TIME_SCALE: '0.01' } }),
  });
}

const node = (id: string, displayName: string, phase: string, extra: Partial<NodeStatus> = {}): NodeStatus => ({
  id,
  name: `wf.${displayName}`,
  displayName,
  type: 'Pod',
  phase,
  boundaryID: 'root',
  startedAt: '2026-11-25T10:00:00Z',
  ...extra,
});

function running(workflow: WorkflowObject, nodes: NodeStatus[], phase = 'Running') {
  const root: NodeStatus = {
    id: 'root',
    name: workflow.metadata.name!,
    displayName: workflow.metadata.name!,
    type: 'DAG',
    templateName: workflow.spec!.entrypoint!,
    phase,
  };
  workflow.status = {
    phase,
    startedAt: '2026-11-25T10:00:00Z',
    nodes: Object.fromEntries([root, ...nodes].map((n) => [n.id, n])),
  };
}

const checks = () =>
  Object.fromEntries(github.state.checkRuns.map((r) => [r.name, r.history.map((h) => h.conclusion ?? h.status)]));

describe('submit mode', () => {
  it('creates the workflow, follows it through a dropped watch and a 410, and reports every operation', async () => {
    const action = submit({ 'argo-url': 'https://argo.example.com/' });
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    await eventually(() => (github.state.checkRuns.length === 3 && kube.openWatches > 0 ? true : undefined));
    kube.bookmark();
    kube.update(name, (wf) => running(wf, [node('p', 'prepare', 'Running')]));
    await eventually(() => (checks()['argo/prepare']?.includes('in_progress') ? true : undefined));
    kube.update(name, (wf) =>
      running(wf, [
        node('p', 'prepare', 'Succeeded', {
          finishedAt: '2026-11-25T10:01:00Z',
          outputs: { parameters: [{ name: 'data', value: 's3://clean' }] },
        }),
        node('t', 'train', 'Running'),
      ]),
    );
    await eventually(() => (checks()['argo/train']?.includes('in_progress') ? true : undefined));
    // The API server drops the watch, and compacts: the Action's next watch gets 410 Gone and relists.
    kube.dropWatches();
    kube.compactedBelow = Number(kube.workflows.get(name)!.metadata.resourceVersion) + 5;
    kube.update(name, (wf) =>
      running(
        wf,
        [node('p', 'prepare', 'Succeeded'), node('t', 'train', 'Succeeded', { finishedAt: '2026-11-25T10:05:00Z' })],
        'Succeeded',
      ),
    );
    const result = await action.done;

    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      'workflow-name': name,
      namespace: 'ml',
      'workflow-uid': 'uid-1',
      phase: 'Succeeded',
    });
    expect(checks()).toEqual({
      argo: ['queued', 'in_progress', 'success'],
      'argo/prepare': ['queued', 'in_progress', 'success'],
      'argo/train': ['queued', 'in_progress', 'success'],
    });
    expect(github.state.checkRuns.every((r) => r.head_sha === 'a'.repeat(40))).toBe(true);
    expect(github.state.checkRuns.find((r) => r.name === 'argo/prepare')!.output.summary).toContain(
      '| output `data` | s3://clean |',
    );
    expect(github.state.checkRuns.find((r) => r.name === 'argo')!.output.summary).toContain(
      `[Open in Argo](https://argo.example.com/workflows/ml/${name})`,
    );
    expect(kube.requests.some((r) => r.url.includes('watch=true') && r.url.includes('allowWatchBookmarks=true'))).toBe(
      true,
    );
    expect(github.violations).toEqual([]);
    // The token only ever appears in the commands that mask it.
    const leaks = result.stdout
      .split('\n')
      .filter((line) => line.includes('kube-secret-token') && !line.startsWith('::add-mask::'));
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
    expect(Object.values(checks()).map((history) => history.at(-1))).toEqual(['timed_out', 'timed_out', 'timed_out']);
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
    const post = await startAction({
      inputs: { mode: 'submit', kubeconfig },
      event,
      eventName: 'pull_request',
      apiUrl,
      workspace,
      env: savedState(killed.stdout),
    }).done;
    expect(post.code).toBe(0);
    expect(kube.workflows.get(name)!.spec!.shutdown).toBe('Stop');
    expect(Object.values(checks()).map((history) => history.at(-1))).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(github.violations).toEqual([]);
  });

  it("refuses to submit a fork's pipeline on pull_request_target unless allowed", async () => {
    const forkEvent = pullRequestEvent({ fork: true });
    const refused = await startAction({
      inputs: { mode: 'submit', kubeconfig, namespace: 'ml', comment: 'false' },
      event: forkEvent,
      eventName: 'pull_request_target',
      apiUrl,
      workspace,
    }).done;
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(
      '::error::submit refused: this pull_request_target run would submit a pipeline from a fork',
    );
    expect(kube.workflows.size).toBe(0);
    const allowed = await startAction({
      inputs: {
        mode: 'submit',
        kubeconfig,
        namespace: 'ml',
        comment: 'false',
        wait: 'false',
        'allow-fork-submit': 'true',
      },
      event: forkEvent,
      eventName: 'pull_request_target',
      apiUrl,
      workspace,
    }).done;
    expect(allowed.code).toBe(0);
    expect(kube.workflows.size).toBe(1);
  });

  it('fails with a clear message when the namespace does not exist', async () => {
    const result = await submit({ namespace: 'nope' }).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::polyaxon-argo: cannot create the Workflow: namespaces "nope" not found (does namespace nope exist, with Argo\'s CRDs installed?)',
    );
    expect(github.state.checkRuns).toEqual([]);
  });
});

/** The step's error annotations: a failure must be told once, in one line. */
const errorLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::error'));
const HEAD = 'a'.repeat(40);

describe('submit mode when the Kubernetes API fails', () => {
  it('creates again after a 429, waiting as Retry-After says, and makes one workflow', async () => {
    kube.fail('create', { status: 429, retryAfter: 1, times: 2 });
    const result = await submit({ wait: 'false' }, { realTime: true }).done;
    expect(result.code).toBe(0);
    const posts = kube.requestsOf('create');
    expect(posts).toHaveLength(3);
    expect(kube.workflows.size).toBe(1);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(posts[2]!.at - posts[1]!.at).toBeGreaterThanOrEqual(1000);
    expect(result.stdout).toContain(
      'cannot create the Workflow: Too many requests, please try again later. (HTTP 429); trying again in 1s (attempt 2 of 5)',
    );
    expect(result.outputs['workflow-name']).toBe([...kube.workflows.keys()][0]);
  });

  it('gives up on a 429 at once when Retry-After asks for more than it waits, saying nothing was created', async () => {
    kube.fail('create', { status: 429, retryAfter: 600 });
    const result = await submit({}, { realTime: true }).done;
    expect(result.code).toBe(1);
    expect(kube.requestsOf('create')).toHaveLength(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error::polyaxon-argo: cannot create the Workflow: Too many requests, please try again later. (HTTP 429) (the server asked to wait 600s, more than the 60s allowed); nothing was created',
    ]);
  });

  it('gives up on a 429 that lasts after five attempts', async () => {
    kube.fail('create', { status: 429, retryAfter: 1, times: 100 });
    const result = await submit({}, { realTime: true }).done;
    expect(result.code).toBe(1);
    expect(kube.requestsOf('create')).toHaveLength(5);
    expect(kube.workflows.size).toBe(0);
    expect(errorLines(result.stdout)).toEqual([
      '::error::polyaxon-argo: cannot create the Workflow: Too many requests, please try again later. (HTTP 429) (still failing after 5 attempts over 4s); nothing was created',
    ]);
  });

  it.each<[string, KubeFault, string]>([
    ['a 500', { status: 500 }, 'Internal error occurred: etcdserver: request timed out (HTTP 500)'],
    ["a proxy's 502", { status: 502, text: true }, 'Bad Gateway (HTTP 502)'],
    [
      'a 504 Timeout',
      { status: 504 },
      'Timeout: request did not complete within requested timeout - context deadline exceeded (HTTP 504)',
    ],
    [
      'a connection reset once the workflow is stored',
      { reset: 'after' },
      'the connection closed before the API server answered',
    ],
  ])(
    'does not repeat a create that failed with %s, which may have created the workflow, and says how to check',
    async (_, fault, detail) => {
      kube.fail('create', fault);
      const result = await submit().done;
      expect(result.code).toBe(1);
      expect(kube.requestsOf('create')).toHaveLength(1);
      expect(errorLines(result.stdout)).toEqual([
        `::error::polyaxon-argo: cannot create the Workflow: ${detail}; the workflow may or may not have been created: check with \`kubectl get workflows -n ml -l polyaxon-argo.io/commit=${HEAD}\` before submitting again`,
      ]);
      expect(result.stdout).not.toMatch(/\n\s+at /);
      expect(github.state.checkRuns).toEqual([]);
    },
  );

  it('draws a new name when the generated one is taken (409 AlreadyExists on generateName)', async () => {
    kube.fail('create', { status: 409 });
    const result = await submit({ wait: 'false' }).done;
    expect(result.code).toBe(0);
    expect(kube.requestsOf('create')).toHaveLength(2);
    expect(kube.workflows.size).toBe(1);
  });

  it('refuses a fixed name that is taken (409) without trying again, saying what to do', async () => {
    const api = new ArgoApi(loadKubeConfig(kubeconfig), 'ml');
    const manifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'nightly' },
      spec: { entrypoint: 'main', templates: [] },
    } as Manifest;
    await api.create(manifest);
    await expect(api.create(manifest)).rejects.toThrow(
      'cannot create the Workflow: workflows.argoproj.io "nightly" already exists: delete it first (`kubectl delete workflows.argoproj.io nightly -n ml`) or let the server generate a fresh name each time (`metadata.generateName`, the Action\'s generate-name input)',
    );
    expect(kube.requestsOf('create')).toHaveLength(2);
  });

  it('says plainly what a 401 means', async () => {
    kube.token = 'another-token';
    const result = await submit().done;
    expect(result.code).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error::polyaxon-argo: cannot create the Workflow: Unauthorized (HTTP 401): check the kubeconfig credentials',
    ]);
    expect(kube.requestsOf('create')).toHaveLength(1);
  });

  it('waits out a 429 on its reads and its watch while following, and creates each check run once', async () => {
    kube.fail('get', { status: 429, retryAfter: 1 });
    kube.fail('watch', { status: 429, retryAfter: 1 });
    const action = submit({}, { realTime: true });
    await succeedOnceWatched();
    const result = await action.done;
    expect(result.code).toBe(0);
    const [first, second] = kube.requestsOf('get');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    const watches = kube.requestsOf('watch');
    expect(watches).toHaveLength(2);
    expect(watches[1]!.at - watches[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(github.calls.filter((c) => c.operation === 'checks/create')).toHaveLength(3);
    expect(Object.values(checks()).map((history) => history.at(-1))).toEqual(['success', 'success', 'success']);
  });
});

/** Plays Argo's packer: the node statuses gzipped and base64-encoded in `status.compressedNodes`. */
function compress(workflow: WorkflowObject): void {
  const nodes = workflow.status!.nodes!;
  delete workflow.status!.nodes;
  workflow.status!.compressedNodes = gzipSync(JSON.stringify(nodes)).toString('base64');
}

describe('submit mode on big workflows', () => {
  it('reads node statuses Argo compressed, and reports every operation', async () => {
    const action = submit();
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    await eventually(() => (kube.openWatches > 0 ? true : undefined));
    kube.update(name, (wf) => {
      running(wf, [node('p', 'prepare', 'Running')]);
      compress(wf);
    });
    await eventually(() => (checks()['argo/prepare']?.includes('in_progress') ? true : undefined));
    kube.update(name, (wf) => {
      running(
        wf,
        [node('p', 'prepare', 'Succeeded'), node('t', 'train', 'Failed', { message: 'exit code 3' })],
        'Failed',
      );
      compress(wf);
    });
    const result = await action.done;
    expect(result.code).toBe(1);
    expect(kube.workflows.get(name)!.status!.compressedNodes).toBeDefined();
    expect(checks()).toEqual({
      argo: ['queued', 'in_progress', 'failure'],
      'argo/prepare': ['queued', 'in_progress', 'success'],
      'argo/train': ['queued', 'failure'],
    });
    expect(errorLines(result.stdout)).toEqual([`::error::workflow ${name} ended Failed: train: exit code 3`]);
  });

  it('reads offloaded node statuses through the Argo Server when argo-url and argo-token are given', async () => {
    const argo = new ArgoServerStandIn(kube.workflows);
    const argoUrl = await argo.start();
    try {
      const action = submit({ 'argo-url': argoUrl, 'argo-token': `Bearer ${argo.token}` });
      const name = await eventually(() => [...kube.workflows.keys()][0]);
      await eventually(() => (kube.openWatches > 0 ? true : undefined));
      kube.update(name, (wf) => {
        running(wf, [node('p', 'prepare', 'Running')]);
        argo.offload(wf, 'fnv:1');
      });
      await eventually(() => (checks()['argo/prepare']?.includes('in_progress') ? true : undefined));
      kube.update(name, (wf) => {
        running(wf, [node('p', 'prepare', 'Succeeded'), node('t', 'train', 'Succeeded')], 'Succeeded');
        argo.offload(wf, 'fnv:2');
      });
      const result = await action.done;
      expect(result.code, result.stdout).toBe(0);
      expect(checks()).toEqual({
        argo: ['queued', 'in_progress', 'success'],
        'argo/prepare': ['queued', 'in_progress', 'success'],
        'argo/train': ['queued', 'success'],
      });
      // One read per offload version, each with the token and only the nodes asked for.
      expect(argo.requests).toEqual([
        { url: `/api/v1/workflows/ml/${name}?fields=status.nodes`, authorization: `Bearer ${argo.token}` },
        { url: `/api/v1/workflows/ml/${name}?fields=status.nodes`, authorization: `Bearer ${argo.token}` },
      ]);
      expect(result.stdout).toContain(`::add-mask::${argo.token}`);
      expect(result.stdout.split('\n').filter((l) => l.includes(argo.token) && !l.startsWith('::add-mask::'))).toEqual(
        [],
      );
    } finally {
      await argo.stop();
    }
  });

  it('says why per-operation checks stopped when the nodes are offloaded and no Argo Server is given, and still follows the workflow', async () => {
    const argo = new ArgoServerStandIn(kube.workflows);
    const action = submit();
    const name = await eventually(() => [...kube.workflows.keys()][0]);
    await eventually(() => (kube.openWatches > 0 ? true : undefined));
    kube.update(name, (wf) => running(wf, [node('p', 'prepare', 'Running')]));
    await eventually(() => (checks()['argo/prepare']?.includes('in_progress') ? true : undefined));
    kube.update(name, (wf) => {
      running(wf, [node('p', 'prepare', 'Succeeded'), node('t', 'train', 'Succeeded')], 'Succeeded');
      argo.offload(wf, 'fnv:9');
    });
    const result = await action.done;
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(
      "::notice::Per-operation checks stopped at their last known state: Argo offloaded this workflow's node statuses to its database (`status.offloadNodeStatusVersion`), which only the Argo Server can read: set the inputs `argo-url` and `argo-token` to follow each operation. The workflow itself is still followed.",
    );
    expect(checks()).toEqual({
      argo: ['queued', 'in_progress', 'success'],
      'argo/prepare': ['queued', 'in_progress', 'neutral'],
      'argo/train': ['queued', 'neutral'],
    });
    expect(result.summary).toContain('Per-operation checks stopped: Argo offloaded');
  });

  it('says so when the Argo Server refuses the token', async () => {
    const argo = new ArgoServerStandIn(kube.workflows);
    const argoUrl = await argo.start();
    try {
      const action = submit({ 'argo-url': argoUrl, 'argo-token': 'v2:wrong-token-0123456789' });
      const name = await eventually(() => [...kube.workflows.keys()][0]);
      await eventually(() => (kube.openWatches > 0 ? true : undefined));
      kube.update(name, (wf) => {
        running(wf, [node('p', 'prepare', 'Succeeded'), node('t', 'train', 'Succeeded')], 'Succeeded');
        argo.offload(wf, 'fnv:1');
      });
      const result = await action.done;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        '::notice::Per-operation checks stopped at their last known state: the offloaded node statuses could not be read: the Argo Server refused to read workflow ml/',
      );
      expect(result.stdout).toContain(
        'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/ (HTTP 401): check `argo-token`',
      );
      expect(
        result.stdout.split('\n').filter((l) => l.includes('wrong-token-0123456789') && !l.startsWith('::add-mask::')),
      ).toEqual([]);
    } finally {
      await argo.stop();
    }
  });
});

describe('submit mode when GitHub fails on check runs', () => {
  it('does not create a check run twice when GitHub fails after creating it', async () => {
    github.state.failures.set('checks/create', { kind: 'server', times: 1, after: true });
    const action = submit();
    await succeedOnceWatched();
    const result = await action.done;
    expect(result.code).toBe(0);
    expect(github.state.checkRuns.map((r) => r.name)).toEqual(['argo', 'argo/prepare', 'argo/train']);
    expect(github.calls.filter((c) => c.operation === 'checks/create').map((c) => c.status)).toEqual([502, 201, 201]);
    expect(github.calls.filter((c) => c.operation === 'checks/list-for-ref')).toHaveLength(1);
    expect(Object.values(checks()).map((history) => history.at(-1))).toEqual(['success', 'success', 'success']);
    expect(github.violations).toEqual([]);
  });

  it('follows the workflow to its end when GitHub refuses check runs, with one warning', async () => {
    github.state.failures.set('checks/create', { kind: 'server', status: 500, times: 1000 });
    const action = submit();
    await succeedOnceWatched();
    const result = await action.done;
    expect(result.code).toBe(0);
    expect(result.outputs.phase).toBe('Succeeded');
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::warning'))).toEqual([
      '::warning::could not update the check runs (Server Error); the workflow is followed without them.',
    ]);
    // The first check, tried once more after looking for it; and again for the final report.
    expect(github.calls.filter((c) => c.operation === 'checks/create')).toHaveLength(4);
    expect(github.state.checkRuns).toEqual([]);
  });
});

/** Plays the controller once the Action watches: both operations and the workflow succeed. */
async function succeedOnceWatched(): Promise<void> {
  const name = await eventually(() => [...kube.workflows.keys()][0]);
  await eventually(() => (kube.openWatches > 0 ? true : undefined));
  kube.update(name, (wf) =>
    running(wf, [node('p', 'prepare', 'Succeeded'), node('t', 'train', 'Succeeded')], 'Succeeded'),
  );
}
