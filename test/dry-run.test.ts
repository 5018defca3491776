import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubStandIn } from './support/github-server.js';
import { KubeStandIn } from './support/kube-server.js';
import { TWO_STEP_PIPELINE } from './support/pipelines.js';
import { startAction } from './support/run-action.js';

/**
 * validate mode with a kubeconfig against the Kubernetes stand-in: when the dry run happens, how
 * its answers become annotations, and when it is skipped. (test/e2e/dry-run.test.ts runs it
 * against the real apiserver's schema, quota and admission.)
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
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: kube-secret-token}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
  workspace = mkdtempSync(path.join(tmpdir(), 'workspace-'));
  writeFileSync(path.join(workspace, 'polyaxonfile.yaml'), TWO_STEP_PIPELINE);
  github.state.pullFiles.set(7, [{ filename: 'polyaxonfile.yaml', status: 'added' }]);
});

afterEach(async () => {
  await kube.stop();
  await github.stop();
});

function validate(fork = false) {
  return startAction({
    inputs: { kubeconfig, namespace: 'ml', comment: 'false' },
    event: {
      number: 7,
      pull_request: {
        number: 7,
        head: { sha: 'a'.repeat(40), repo: { full_name: fork ? 'stranger/ml' : 'acme/ml' } },
        base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/ml' } },
      },
    },
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
