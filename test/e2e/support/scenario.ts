import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import type { NodeStatus, WorkflowObject } from '../../../src/watch/workflow-status.js';
import { GitHubStandIn } from '../../support/github-server.js';
import { startAction } from '../../support/run-action.js';
import { PodSimulator, type Behaviour } from './pod-simulator.js';

const HEAD_SHA = 'a'.repeat(40);
const EVENT = {
  number: 7,
  pull_request: {
    number: 7,
    head: { sha: HEAD_SHA, repo: { full_name: 'acme/ml' } },
    base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/ml' } },
  },
};

/**
 * One end-to-end scenario: its own namespace on the real cluster (with the `default` service
 * account a controller-manager would have made), its own GitHub stand-in and pod simulator,
 * and a workspace holding the pipeline the Action submits.
 */
export class Scenario {
  readonly github = new GitHubStandIn();
  readonly kubeconfig = inject('kubeconfig');
  readonly config = new KubeConfig();
  readonly simulator: PodSimulator;
  private apiUrl = '';
  private readonly workspace = mkdtempSync(path.join(tmpdir(), 'e2e-workspace-'));

  private constructor(
    readonly namespace: string,
    pipeline: string,
    behave: Behaviour,
  ) {
    this.config.loadFromString(this.kubeconfig);
    this.simulator = new PodSimulator(this.config, namespace, behave);
    writeFileSync(path.join(this.workspace, 'polyaxonfile.yaml'), pipeline);
    this.github.state.pullFiles.set(7, [{ filename: 'polyaxonfile.yaml', status: 'added' }]);
  }

  static async start(namespace: string, pipeline: string, behave: Behaviour = () => ({})): Promise<Scenario> {
    const scenario = new Scenario(namespace, pipeline, behave);
    const core = scenario.config.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'default' } } });
    scenario.apiUrl = await scenario.github.start();
    scenario.simulator.start();
    return scenario;
  }

  /** Runs the bundled Action in submit mode against the real cluster. */
  submit(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
    return startAction({
      inputs: { mode: 'submit', kubeconfig: this.kubeconfig, namespace: this.namespace, comment: 'false', ...inputs },
      event: EVENT,
      eventName: 'pull_request',
      apiUrl: this.apiUrl,
      workspace: this.workspace,
      env,
    });
  }

  /** The scenario's one Workflow as the apiserver has it now (undefined before the submit). */
  async workflow(): Promise<WorkflowObject | undefined> {
    const list = (await this.config.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: this.namespace,
      plural: 'workflows',
    })) as { items: WorkflowObject[] };
    return list.items[0];
  }

  async waitForWorkflow(done: (workflow: WorkflowObject) => boolean, timeoutMs = 60_000): Promise<WorkflowObject> {
    let current: WorkflowObject | undefined;
    for (const start = Date.now(); Date.now() - start < timeoutMs; await sleep(200)) {
      current = await this.workflow().catch(() => current);
      if (current && done(current)) return current;
    }
    throw new Error(
      `workflow did not reach the expected state in ${timeoutMs / 1000}s; last phase: ${JSON.stringify(current?.status?.phase)}`,
    );
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
        .map((n) => [n.displayName, n]),
    );
  }

  async stop(): Promise<void> {
    this.simulator.stop();
    await this.github.stop();
    rmSync(this.workspace, { recursive: true, force: true });
  }
}

/** Restarts the kube-apiserver (etcd keeps the data), returning once it serves again. */
export async function restartApiServer(): Promise<void> {
  const response = await fetch(`${inject('controlUrl')}/restart/kube-apiserver`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`restarting the apiserver failed: ${await response.text()}`);
}

export { HEAD_SHA };
