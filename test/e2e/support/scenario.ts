import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, CustomObjectsApi, KubeConfig, RbacAuthorizationV1Api, type V1Pod } from '@kubernetes/client-node';
import { inject, type TestContext } from 'vitest';
import type { NodeStatus, WorkflowObject } from '../../../src/watch/workflow-status.js';
import { GitHubStandIn } from '../../support/github-server.js';
import { REPO_ROOT } from '../../support/paths.js';
import { startAction } from '../../support/run-action.js';
import { HOST_IP } from './node-network.js';
import { PodSimulator, type Behaviour as SimulatedBehaviour } from './pod-simulator.js';
import { StandinServer, type Behaviour, type Step } from './standin-server.js';
import { EXECUTOR_ROLE } from './workflow-controller.js';

const HEAD_SHA = 'a'.repeat(40);
const EVENT = {
  number: 7,
  pull_request: {
    number: 7,
    head: { sha: HEAD_SHA, repo: { full_name: 'acme/ml' } },
    base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/ml' } },
  },
};

/** One server per test file (worker), shared by its scenarios, on the port the images name. */
let standinServer: StandinServer | undefined;
let standinStarted: Promise<void> | undefined;

/**
 * One end-to-end scenario: its own namespace on the real cluster (with what kube-controller-
 * manager would have made there: the `default` service account and the `kube-root-ca.crt`
 * ConfigMap; and the executor's role bound to its service accounts), its own GitHub stand-in,
 * and a workspace holding the pipeline the Action submits. Its pods run on the real node; each
 * process they start asks `behave` what to do (standin-server.ts).
 */
export class Scenario {
  readonly github = new GitHubStandIn();
  readonly kubeconfig = inject('kubeconfig');
  readonly config = new KubeConfig();
  readonly core: CoreV1Api;
  /** Every process the scenario's containers started, in the order they reported. */
  readonly steps: Step[] = [];
  /** Pods played by the simulator instead (`simulate: true`), see pod-simulator.ts. */
  readonly simulator?: PodSimulator;
  private apiUrl = '';
  readonly workspace = mkdtempSync(path.join(tmpdir(), 'e2e-workspace-'));
  /** Inputs every submit of this scenario gets (an example pipeline's `files`, `hub`, `connections`). */
  private inputs: Record<string, string> = {};

  private constructor(
    readonly namespace: string,
    pipeline: string,
    private readonly behave: Behaviour,
    simulated?: SimulatedBehaviour,
  ) {
    this.config.loadFromString(this.kubeconfig);
    this.core = this.config.makeApiClient(CoreV1Api);
    if (simulated) this.simulator = new PodSimulator(this.config, namespace, simulated);
    writeFileSync(path.join(this.workspace, 'polyaxonfile.yaml'), pipeline);
    this.github.state.pullFiles.set(7, [{ filename: 'polyaxonfile.yaml', status: 'added' }]);
  }

  /**
   * `start`, and the scenario stops when the test ends. `test` is the test's context: in
   * concurrent tests only its own `onTestFinished` knows which test is which.
   */
  static async open(
    test: TestContext,
    namespace: string,
    pipeline: string,
    behave: Behaviour = () => undefined,
  ): Promise<Scenario> {
    const scenario = await Scenario.start(namespace, pipeline, behave);
    test.onTestFinished(() => scenario.stop());
    return scenario;
  }

  /**
   * An example pipeline of fixtures/pipelines as a scenario: the workspace holds the whole
   * folder (its hub, components and connections catalog), and the pull request changes `file`.
   */
  static async openFixture(
    test: TestContext,
    namespace: string,
    file: string,
    behave: Behaviour = () => undefined,
  ): Promise<Scenario> {
    const scenario = await Scenario.open(test, namespace, '', behave);
    rmSync(path.join(scenario.workspace, 'polyaxonfile.yaml'));
    cpSync(path.join(REPO_ROOT, 'fixtures', 'pipelines'), scenario.workspace, { recursive: true });
    scenario.github.state.pullFiles.set(7, [{ filename: file, status: 'added' }]);
    scenario.inputs = { files: file, hub: 'hub', connections: 'connections.yaml' };
    return scenario;
  }

  /** A scenario whose pods run for real; `behave` says what each of their processes does. */
  static async start(namespace: string, pipeline: string, behave: Behaviour = () => undefined): Promise<Scenario> {
    const scenario = new Scenario(namespace, pipeline, behave);
    await scenario.setUp();
    standinServer ??= new StandinServer(HOST_IP, inject('standinPort'));
    // Concurrent scenarios share one start.
    await (standinStarted ??= standinServer.start());
    standinServer.register(namespace, {
      behave: (step) => {
        scenario.steps.push(step);
        return scenario.behave(step);
      },
      readPod: (name) =>
        scenario.core.readNamespacedPod({ name, namespace }).catch((error: { code?: number }) => {
          if (error.code === 404) return undefined;
          throw error;
        }),
    });
    return scenario;
  }

  /**
   * A scenario whose pods are simulated (pod-simulator.ts): only for what a real node cannot
   * serve, such as thousands of pods. Its pipeline must set `schedulerName: pod-simulator`
   * (dag `environment`), so that kube-scheduler and the kubelet leave its pods to the simulator.
   */
  static async simulate(
    test: TestContext,
    namespace: string,
    pipeline: string,
    behave: SimulatedBehaviour,
  ): Promise<Scenario> {
    const scenario = new Scenario(namespace, pipeline, () => undefined, behave);
    await scenario.setUp();
    scenario.simulator!.start();
    test.onTestFinished(() => scenario.stop());
    return scenario;
  }

  private async setUp(): Promise<void> {
    const namespace = this.namespace;
    await this.core.createNamespace({ body: { metadata: { name: namespace } } });
    await this.createServiceAccount('default');
    await this.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': inject('clusterCa') } },
    });
    await this.config.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'argo-executor' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: EXECUTOR_ROLE },
        subjects: [
          { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${namespace}` },
        ],
      },
    });
    this.apiUrl = await this.github.start();
  }

  /** A service account in the scenario's namespace (bound to the executor's role like all of them). */
  async createServiceAccount(name: string): Promise<void> {
    await this.core.createNamespacedServiceAccount({ namespace: this.namespace, body: { metadata: { name } } });
  }

  /** The processes the operations' own containers ran (not sidecars, init containers or nested programs). */
  get runs(): Step[] {
    return this.steps.filter((s) => s.container === 'main' && !s.nested);
  }

  /** The first run of task `task` (its last attempt when `last`). */
  run(task: string, last = false): Step {
    const runs = this.runs.filter((s) => s.task === task);
    const run = last ? runs.at(-1) : runs[0];
    if (!run) throw new Error(`no process ran for task ${task}; ran: ${this.runs.map((s) => s.task).join(', ')}`);
    return run;
  }

  /** The most operations' processes that were running at one instant (ms precision). */
  maxConcurrent(): number {
    return maxOverlap(this.runs.map((s) => [s.startedMs, s.endedMs ?? Date.now()]));
  }

  /** Runs the bundled Action in submit mode against the real cluster. */
  submit(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
    return startAction({
      inputs: {
        mode: 'submit',
        kubeconfig: this.kubeconfig,
        namespace: this.namespace,
        comment: 'false',
        ...this.inputs,
        ...inputs,
      },
      event: EVENT,
      eventName: 'pull_request',
      apiUrl: this.apiUrl,
      workspace: this.workspace,
      env,
    });
  }

  /** The scenario's one Workflow (or the one named) as the apiserver has it now (undefined before the submit). */
  async workflow(name?: string): Promise<WorkflowObject | undefined> {
    const list = (await this.config.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: this.namespace,
      plural: 'workflows',
    })) as { items: WorkflowObject[] };
    return name === undefined ? list.items[0] : list.items.find((wf) => wf.metadata.name === name);
  }

  async waitForWorkflow(
    done: (workflow: WorkflowObject) => boolean,
    timeoutMs = 90_000,
    name?: string,
  ): Promise<WorkflowObject> {
    let current: WorkflowObject | undefined;
    for (const start = Date.now(); Date.now() - start < timeoutMs; await sleep(250)) {
      current = await this.workflow(name).catch(() => current);
      if (current && done(current)) return current;
    }
    throw new Error(
      `workflow did not reach the expected state in ${timeoutMs / 1000}s; last phase: ${JSON.stringify(current?.status?.phase)}`,
    );
  }

  /** The scenario's pods as the apiserver has them now. */
  async pods(): Promise<V1Pod[]> {
    return (await this.core.listNamespacedPod({ namespace: this.namespace })).items;
  }

  /** Each check run's name → the statuses/conclusions it went through, in order. */
  checks(): Record<string, string[]> {
    return Object.fromEntries(
      this.github.state.checkRuns.map((run) => [run.name, run.history.map((h) => h.conclusion ?? h.status)]),
    );
  }

  /** Pod nodes of the workflow by display name. */
  static pods(workflow: WorkflowObject): Record<string, NodeStatus> {
    return Object.fromEntries(
      Object.values(workflow.status?.nodes ?? {})
        .filter((n) => n.type === 'Pod')
        .map((n) => [n.displayName ?? n.name, n]),
    );
  }

  /** Every node's phase by display name (dags and pods). */
  static phases(workflow: WorkflowObject, types = ['Pod', 'Skipped', 'Suspend']): Record<string, string> {
    return Object.fromEntries(
      Object.values(workflow.status?.nodes ?? {})
        .filter((n) => types.includes(n.type ?? ''))
        .map((n) => [n.displayName ?? n.name, n.phase ?? '']),
    );
  }

  /** Ends the scenario: its pods are deleted at once, so nothing it started goes on running. */
  async stop(): Promise<void> {
    this.simulator?.stop();
    standinServer?.unregister(this.namespace);
    await this.core
      .deleteCollectionNamespacedPod({ namespace: this.namespace, gracePeriodSeconds: 0 })
      .catch(() => undefined);
    await this.github.stop();
    rmSync(this.workspace, { recursive: true, force: true });
  }
}

/** The largest number of intervals open at one instant; an interval is [start, end). */
export function maxOverlap(intervals: [number, number][]): number {
  const edges = intervals.flatMap(([start, end]) => [[start, 1] as const, [end, -1] as const]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // at a tie, one ends before the next starts
  let open = 0;
  let most = 0;
  for (const [, delta] of edges) most = Math.max(most, (open += delta));
  return most;
}

/** Polls `check` (sync or async) until it gives a value other than undefined. */
export async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  for (const start = Date.now(); ; await sleep(250)) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
  }
}

/** Restarts the kube-apiserver (etcd keeps the data), returning once it serves again. */
export async function restartApiServer(): Promise<void> {
  const response = await fetch(`${inject('controlUrl')}/restart/kube-apiserver`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`restarting the apiserver failed: ${await response.text()}`);
}

/**
 * Restarts the workflow-controller, with `env` added to its environment until the next restart
 * (e.g. `{MAX_WORKFLOW_SIZE: '…'}`); an empty `env` restores the suite's settings.
 */
export async function restartWorkflowController(env: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`${inject('controlUrl')}/restart/workflow-controller`, {
    method: 'POST',
    body: JSON.stringify({ env }),
  });
  if (response.status !== 204) throw new Error(`restarting the workflow-controller failed: ${await response.text()}`);
}

export { HEAD_SHA };
export type { Behaviour, Outcome, Step } from './standin-server.js';
