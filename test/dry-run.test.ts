import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeStandIn } from './support/kube-server.js';
import { TWO_STEP_PIPELINE } from './support/pipelines.js';
import { pullRequestEvent, startPullRequestWorld, type PullRequestWorld } from './support/pull-request.js';
import { startAction } from './support/run-action.js';

/**
 * validate mode with a kubeconfig against the Kubernetes stand-in: when the dry run happens, how
 * its answers become annotations, and when it is skipped. (test/e2e/dry-run.test.ts runs it
 * against the real apiserver's schema, quota and admission.)
 */

let kube: KubeStandIn;
let apiUrl: string;
let kubeconfig: string;
let workspace: string;
let world: PullRequestWorld;

beforeEach(async () => {
  world = await startPullRequestWorld();
  ({ kube, apiUrl, kubeconfig, workspace } = world);
});

afterEach(() => world.stop());

function validate(fork = false) {
  return startAction({
    inputs: { kubeconfig, namespace: 'ml', comment: 'false' },
    event: pullRequestEvent({ fork }),
    eventName: 'pull_request_target',
    apiUrl,
    workspace,
    env: { POLYAXON_ARGO_TIME_SCALE: '0.01' },
  }).done;
}

describe('the dry run in validate mode', () => {
  it('creates each manifest with dryRun=All and strict field validation, looks up its service account, and stores nothing', async () => {
    const result = await validate();
    expect(result.code, result.stdout).toBe(0);
    expect(kube.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /apis/argoproj.io/v1alpha1/namespaces/ml/workflows?dryRun=All&fieldValidation=Strict',
      'GET /api/v1/namespaces/ml/serviceaccounts/default',
    ]);
    expect(kube.workflows.size).toBe(0);
    expect(result.stdout).toContain('polyaxonfile.yaml: accepted by the cluster in namespace ml (dry run)');
  });

  it('annotates what the cluster refuses at the operation whose template holds the field', async () => {
    kube.fail('create', {
      status: 422,
      reason: 'Invalid',
      message: 'Workflow.argoproj.io "train-pipeline-x" is invalid: spec.templates[2].container.image: Required value',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.templates[2].container.image' }],
    });
    const result = await validate();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error title=cluster-refused,file=polyaxonfile.yaml,line=9,col=5::the cluster refuses the Workflow: spec.templates[2].container.image: Required value',
    );
    expect(result.summary).toContain('the cluster refuses the Workflow');
  });

  it('refuses an operation whose pods would run as a service account the namespace does not have', async () => {
    writeFileSync(
      path.join(workspace, 'polyaxonfile.yaml'),
      TWO_STEP_PIPELINE.replace(
        'inputs: [{name: data, type: str}], run: {kind: job,',
        'inputs: [{name: data, type: str}], run: {kind: job, environment: {serviceAccountName: trainer-bot},',
      ),
    );
    const result = await validate();
    expect(result.code, result.stdout).toBe(1);
    expect(
      kube.requests.map((r) => `${r.method} ${r.url}`),
      result.stdout,
    ).toContain('GET /api/v1/namespaces/ml/serviceaccounts/trainer-bot');
    expect(result.stdout).toContain(
      '::error title=missing-service-account,file=polyaxonfile.yaml,line=9,col=5::the pods would run as service account `trainer-bot`, which does not exist in namespace `ml`',
    );
    kube.serviceAccounts.add('ml/trainer-bot');
    expect((await validate()).code).toBe(0);
  });

  it('warns, and does not fail, when the cluster cannot judge (the credentials may not create workflows)', async () => {
    kube.fail('create', {
      status: 403,
      reason: 'Forbidden',
      message: 'workflows.argoproj.io is forbidden: User "ci" cannot create resource "workflows" in the namespace "ml"',
    });
    const result = await validate();
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(
      /::warning::the dry run of polyaxonfile\.yaml could not be judged by the cluster: cannot dry-run create the Workflow: workflows\.argoproj\.io is forbidden/,
    );
  });

  it('never runs for a fork, whose pipeline would be judged with this repository’s credentials', async () => {
    const result = await validate(true);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '::notice::The dry run on the cluster is skipped: this pull request comes from a fork.',
    );
    expect(kube.requests).toEqual([]);
  });
});
