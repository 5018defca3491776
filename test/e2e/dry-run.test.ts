import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AdmissionregistrationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GitHubStandIn } from '../support/github-server.js';
import { startAction, type ActionRun } from '../support/run-action.js';

/**
 * The Action in validate mode with a kubeconfig: each manifest is also created with a
 * server-side dry run on the real kube-apiserver, with Argo's CRDs and their schemas installed,
 * a ResourceQuota, a ValidatingAdmissionPolicy, and namespaces and service accounts that do or do
 * not exist. What the cluster refuses is annotated at the Polyaxonfile; nothing is created.
 */

const config = new KubeConfig();
config.loadFromString(inject('kubeconfig'));
const core = config.makeApiClient(CoreV1Api);

const NAMESPACE = 'dry-run';
const QUOTA_NAMESPACE = 'dry-run-quota';
const POLICY_NAMESPACE = 'dry-run-policy';

const job = (extra = '') =>
  `{name: work, run: {kind: job, container: {image: "alpine:3.20", command: [sh, -c, "echo work"]${extra}}}}`;

const PIPELINES: Record<string, string> = {
  'pipelines/valid.yaml': `version: 1.1
kind: component
name: valid
run:
  kind: dag
  operations:
  - name: only
    component: ${job()}
`,
  // Security contexts are passed through for the cluster to check: the CRD schema wants an integer.
  'pipelines/schema.yaml': `version: 1.1
kind: component
name: schema
run:
  kind: dag
  operations:
  - name: first
    component: ${job()}
  - name: strict
    component: ${job(', securityContext: {runAsUser: root}')}
`,
  'pipelines/account.yaml': `version: 1.1
kind: component
name: account
run:
  kind: dag
  operations:
  - name: train
    runPatch: {environment: {serviceAccountName: trainer-bot}}
    component: ${job()}
`,
  'pipelines/quota.yaml': `version: 1.1
kind: operation
name: quota
namespace: ${QUOTA_NAMESPACE}
component:
  run:
    kind: dag
    operations:
    - name: only
      component: ${job()}
`,
  'pipelines/policy.yaml': `version: 1.1
kind: operation
name: policy
namespace: ${POLICY_NAMESPACE}
component:
  run:
    kind: dag
    operations:
    - name: only
      component: ${job()}
`,
  'pipelines/nowhere.yaml': `version: 1.1
kind: operation
name: nowhere
namespace: no-such-namespace
component:
  run:
    kind: dag
    operations:
    - name: only
      component: ${job()}
`,
};

let github: GitHubStandIn;
let apiUrl: string;
let workspace: string;
let run: ActionRun;

beforeAll(async () => {
  for (const name of [NAMESPACE, QUOTA_NAMESPACE, POLICY_NAMESPACE]) {
    await core.createNamespace({ body: { metadata: { name, labels: { 'dry-run-test': name } } } });
    await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'default' } } });
  }
  // No more workflows in this namespace. kube-controller-manager does not run here, so the
  // quota's status (which admission reads) is written as its quota controller would.
  await core.createNamespacedResourceQuota({
    namespace: QUOTA_NAMESPACE,
    body: { metadata: { name: 'workflows' }, spec: { hard: { 'count/workflows.argoproj.io': '0' } } },
  });
  await core.replaceNamespacedResourceQuotaStatus({
    name: 'workflows',
    namespace: QUOTA_NAMESPACE,
    body: {
      metadata: { name: 'workflows', namespace: QUOTA_NAMESPACE },
      spec: { hard: { 'count/workflows.argoproj.io': '0' } },
      status: { hard: { 'count/workflows.argoproj.io': '0' }, used: { 'count/workflows.argoproj.io': '0' } },
    },
  });
  // Workflows there must carry a `team` label.
  const admission = config.makeApiClient(AdmissionregistrationV1Api);
  await admission.createValidatingAdmissionPolicy({
    body: {
      metadata: { name: 'workflows-need-a-team' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: ['argoproj.io'], apiVersions: ['*'], operations: ['CREATE'], resources: ['workflows'] },
          ],
        },
        validations: [
          {
            expression: "has(object.metadata.labels) && 'team' in object.metadata.labels",
            message: 'every workflow needs a team label',
          },
        ],
      },
    },
  });
  await admission.createValidatingAdmissionPolicyBinding({
    body: {
      metadata: { name: 'workflows-need-a-team' },
      spec: {
        policyName: 'workflows-need-a-team',
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'dry-run-test': POLICY_NAMESPACE } } },
      },
    },
  });
  // The policy binding takes effect once the apiserver has loaded it.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  github = new GitHubStandIn();
  apiUrl = await github.start();
  workspace = mkdtempSync(path.join(tmpdir(), 'e2e-dry-run-'));
  for (const [file, text] of Object.entries(PIPELINES)) {
    const target = path.join(workspace, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  run = await startAction({
    inputs: { mode: 'validate', kubeconfig: inject('kubeconfig'), namespace: NAMESPACE },
    event: { ref: 'refs/heads/main' },
    eventName: 'push',
    apiUrl,
    workspace,
  }).done;
}, 120_000);

afterAll(async () => {
  await github?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  const admission = config.makeApiClient(AdmissionregistrationV1Api);
  await admission.deleteValidatingAdmissionPolicyBinding({ name: 'workflows-need-a-team' }).catch(() => undefined);
  await admission.deleteValidatingAdmissionPolicy({ name: 'workflows-need-a-team' }).catch(() => undefined);
});

const annotation = (file: string) =>
  run.stdout.split('\n').filter((line) => line.startsWith('::error') && line.includes(`file=pipelines/${file}`));

describe('the dry run on the cluster', () => {
  it('fails the step, and creates nothing', async () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('pipelines/valid.yaml: accepted by the cluster in namespace dry-run (dry run)');
    expect(annotation('valid.yaml')).toEqual([]);
    const custom = config.makeApiClient(CustomObjectsApi);
    for (const namespace of [NAMESPACE, QUOTA_NAMESPACE, POLICY_NAMESPACE]) {
      const list = (await custom.listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace,
        plural: 'workflows',
      })) as { items: unknown[] };
      expect(list.items, namespace).toEqual([]);
    }
  });

  it("annotates what the CRD's schema refuses at the operation whose template has the field", () => {
    expect(annotation('schema.yaml')).toEqual([
      expect.stringMatching(
        /^::error title=cluster-refused,file=pipelines\/schema\.yaml,line=9,col=5::the cluster refuses the Workflow: spec\.templates\[\d\]\.container\.securityContext\.runAsUser: Invalid value: "string": .*must be of type integer/,
      ),
    ]);
  });

  it('annotates a quota that allows no more workflows', () => {
    expect(annotation('quota.yaml')).toEqual([
      expect.stringMatching(
        /^::error title=cluster-refused,file=pipelines\/quota\.yaml,line=\d+,col=\d+::the cluster refuses the Workflow: .*exceeded quota: workflows, requested: count\/workflows\.argoproj\.io=1, used: count\/workflows\.argoproj\.io=0, limited: count\/workflows\.argoproj\.io=0/,
      ),
    ]);
  });

  it('annotates an admission policy that denies the workflow', () => {
    expect(annotation('policy.yaml')).toEqual([
      expect.stringMatching(
        /^::error title=cluster-refused,file=pipelines\/policy\.yaml,.*ValidatingAdmissionPolicy 'workflows-need-a-team' with binding 'workflows-need-a-team' denied request: every workflow needs a team label/,
      ),
    ]);
  });

  it('annotates a namespace that does not exist, saying which input to change', () => {
    expect(annotation('nowhere.yaml')).toEqual([
      expect.stringMatching(
        /^::error title=cluster-refused,file=pipelines\/nowhere\.yaml,.*::the cluster has no namespace `no-such-namespace`, or not Argo's CRDs: .*%0Acreate the namespace \(and install Argo Workflows\), or set the input `namespace` to one that exists/,
      ),
    ]);
  });

  it('annotates a service account the pods would run as that does not exist, at its operation', () => {
    expect(annotation('account.yaml')).toEqual([
      expect.stringMatching(
        /^::error title=missing-service-account,file=pipelines\/account\.yaml,line=7,col=5::the pods would run as service account `trainer-bot`, which does not exist in namespace `dry-run`/,
      ),
    ]);
  });
});
