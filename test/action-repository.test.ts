import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubStandIn } from './support/github-server.js';
import { startAction } from './support/run-action.js';

/**
 * The bundled Action in a repository laid out as ML teams lay them out: pipelines under any
 * names, in YAML (block and flow style) and JSON, operation files that point at pipelines with
 * pathRef, components, a hub folder, a connections catalog, and all the other YAML a repository
 * holds (Kubernetes manifests, CI files, data, our own generated manifests).
 */

const REPOSITORY: Record<string, string> = {
  'ml/hub/trainer.yaml': `version: 1.1
kind: component
name: trainer
inputs:
- {name: lr, type: float}
- {name: data, type: str}
outputs:
- {name: model, type: str}
run:
  kind: job
  connections: [training-data]
  container: {image: "python:3.12", command: [python, train.py, "--lr={{ lr }}", "--data={{ data }}"]}
`,
  'ml/components/prepare.yaml': `version: 1.1
kind: component
name: prepare
outputs: [{name: data, type: str}]
run: {kind: job, container: {image: "python:3.12", command: [python, prep.py]}}
`,
  'ml/pipelines/train.yaml': `version: 1.1
kind: component
name: train
run:
  kind: dag
  operations:
  - name: prepare
    pathRef: ../components/prepare.yaml
  - name: train
    hubRef: trainer
    params:
      lr: {value: 0.01}
      data: {ref: ops.prepare, value: outputs.data}
`,
  'ml/pipelines/nightly.json': `{
  "version": 1.1,
  "kind": "component",
  "name": "nightly",
  "inputs": [{"name": "day", "type": "str"}],
  "run": {
    "kind": "dag",
    "operations": [
      {"name": "prepare", "pathRef": "../components/prepare.yaml"}
    ]
  }
}
`,
  'ml/experiments/sweep.yml': `# flow style, as some teams write them
version: 1.1
kind: component
name: sweep
run: {kind: dag, operations: [{name: train, hubRef: trainer, params: {lr: {value: 0.1}, data: {value: "s3://data"}}}]}
`,
  'ml/jobs/run-train.yaml': `version: 1.1
kind: operation
name: run-train
pathRef: ../pipelines/train.yaml
`,
  'ml/connections.yaml': `connections:
- name: training-data
  kind: s3
  schema: {bucket: "s3://acme-training-data"}
  secret: {name: aws-credentials}
`,
  'k8s/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: model-server}
spec:
  template:
    spec:
      containers: [{name: server, image: "acme/server:1"}]
`,
  '.github/workflows/ci.yml': `on: push
jobs:
  test: {runs-on: ubuntu-latest, steps: [{run: npm test}]}
`,
  'azure-pipelines.yml': 'trigger: [main]\npool: {vmImage: ubuntu-latest}\nsteps: [{script: make test}]\n',
  'data/metrics.json': '[{"run": 1, "kind": "baseline", "loss": 0.2}]\n',
  'argo-manifests/ml/pipelines/train.argo.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: train-}
`,
  'README.md': '# models\n',
};

/** A pipeline with an operation depending on one that does not exist. */
const BROKEN = `version: 1.1
kind: component
name: broken
run:
  kind: dag
  operations:
  - name: evaluate
    dependencies: [train]
    pathRef: ../components/prepare.yaml
`;

const INPUTS = {
  hub: 'ml/hub',
  connections: 'ml/connections.yaml',
  params: 'ml/pipelines/nightly.json: day=monday',
};

let github: GitHubStandIn;
let apiUrl: string;
let workspace: string;

const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
  writeFileSync(path.join(workspace, file), text);
};

beforeEach(async () => {
  github = new GitHubStandIn();
  apiUrl = await github.start();
  workspace = mkdtempSync(path.join(tmpdir(), 'ml-repository-'));
  for (const [file, text] of Object.entries(REPOSITORY)) write(file, text);
  write('ml/experiments/broken.yaml', BROKEN);
});

afterEach(async () => {
  await github.stop();
  rmSync(workspace, { recursive: true, force: true });
});

const push = (inputs: Record<string, string> = {}) =>
  startAction({
    inputs: { ...INPUTS, ...inputs },
    event: { ref: 'refs/heads/main' },
    eventName: 'push',
    apiUrl,
    workspace,
  }).done;

function pullRequest(changes: { filename: string; status: string }[], inputs: Record<string, string> = {}) {
  github.state.pullFiles.set(7, changes);
  return startAction({
    inputs: { ...INPUTS, ...inputs },
    event: {
      number: 7,
      pull_request: {
        number: 7,
        head: { sha: 'a'.repeat(40), repo: { full_name: 'acme/ml' } },
        base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/ml' } },
      },
    },
    eventName: 'pull_request',
    apiUrl,
    workspace,
  }).done;
}

const errors = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::error'));

const BROKEN_ANNOTATION =
  '::error title=unknown-operation,file=ml/experiments/broken.yaml,line=8,col=20::operation `evaluate` depends on `train`, which is not an operation of this dag';

describe('the Action in an ML repository', () => {
  it('on a push, checks every Polyaxonfile whatever its name and format, fails on the broken one, and counts what it skipped', async () => {
    const result = await push();
    expect(result.code).toBe(1);
    expect(JSON.parse(result.outputs.files!)).toEqual([
      'ml/components/prepare.yaml',
      'ml/experiments/broken.yaml',
      'ml/experiments/sweep.yml',
      'ml/hub/trainer.yaml',
      'ml/jobs/run-train.yaml',
      'ml/pipelines/nightly.json',
      'ml/pipelines/train.yaml',
    ]);
    expect(errors(result.stdout)[0]).toMatch(new RegExp(`^${escape(BROKEN_ANNOTATION)}`));
    expect(errors(result.stdout).at(-1)).toBe(
      '::error::1 of 7 Polyaxonfile(s) are invalid: ml/experiments/broken.yaml',
    );
    // Kubernetes manifests, CI files, data and the catalog; never our own manifests, nor hidden folders.
    expect(result.summary).toContain(
      '❌ 1 of 7 Polyaxonfiles invalid (4 other YAML/JSON files skipped: not Polyaxonfiles)',
    );
    expect(result.stdout).toContain(
      'Skipped 4 other YAML/JSON file(s), not Polyaxonfiles: azure-pipelines.yml, data/metrics.json, k8s/deployment.yaml, ml/connections.yaml',
    );
    expect(result.summary).toMatch(/### ✅ `ml\/hub\/trainer\.yaml`: valid.* \(component\)/);
    expect(result.summary).toMatch(/### ✅ `ml\/pipelines\/nightly\.json`: valid, 1 operation\n/);
  });

  it('passes once the broken file is excluded', async () => {
    const result = await push({ exclude: 'ml/experiments/broken.yaml' });
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.parse(result.outputs.files!)).not.toContain('ml/experiments/broken.yaml');
    expect(result.outputs.valid).toBe('true');
  });

  it('in transpile mode writes manifests for pipelines only, never reading its own output as input', async () => {
    const result = await push({ mode: 'transpile', exclude: 'ml/experiments/broken.yaml' });
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.parse(result.outputs.manifests!)).toEqual([
      'argo-manifests/ml/experiments/sweep.argo.yaml',
      'argo-manifests/ml/jobs/run-train.argo.yaml',
      'argo-manifests/ml/pipelines/nightly.argo.yaml',
    ]);
    // A second run finds the same Polyaxonfiles: the manifests it wrote are not among them.
    const again = await push({ mode: 'transpile', exclude: 'ml/experiments/broken.yaml' });
    expect(again.outputs.files).toBe(result.outputs.files);
  });

  it('warns, and says so in the summary, when no Polyaxonfile matches', async () => {
    const result = await push({ files: 'docs/**/*.yaml' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '::warning::No Polyaxonfile found: no YAML or JSON file matching the input `files`',
    );
    expect(result.summary).toContain('⚠️ No Polyaxonfile found');
  });

  it('speaks of its inputs, not of CLI flags', async () => {
    const result = await push({ hub: '', exclude: 'ml/experiments/broken.yaml' });
    expect(result.code).toBe(1);
    const hubErrors = errors(result.stdout).filter((line) => line.includes('without a hub directory'));
    expect(hubErrors.length).toBeGreaterThan(0);
    for (const line of hubErrors) {
      expect(line).toContain('pass the input `hub: DIR` with a folder holding');
      expect(line).not.toContain('--hub');
    }
  });

  it('takes params per file', async () => {
    const without = await push({ params: '', exclude: 'ml/experiments/broken.yaml' });
    expect(without.code).toBe(1);
    expect(errors(without.stdout)[0]).toMatch(/^::error title=missing-param,file=ml\/pipelines\/nightly\.json/);
    const wrongFile = await push({ params: 'ml/other.json: day=monday', exclude: 'ml/experiments/broken.yaml' });
    expect(wrongFile.code).toBe(1);
    const glob = await push({ params: 'ml/pipelines/*.json: day=monday', exclude: 'ml/experiments/broken.yaml' });
    expect(glob.code, glob.stdout).toBe(0);
  });

  it('on a pull request changing a hub component, re-checks every pipeline that uses it and says why', async () => {
    const result = await pullRequest([
      { filename: 'ml/hub/trainer.yaml', status: 'modified' },
      { filename: 'README.md', status: 'modified' },
    ]);
    expect(result.code, result.stdout).toBe(0);
    expect(JSON.parse(result.outputs.files!)).toEqual([
      'ml/experiments/sweep.yml',
      'ml/hub/trainer.yaml',
      'ml/jobs/run-train.yaml',
      'ml/pipelines/train.yaml',
    ]);
    const comment = github.state.comments.get(7)![0]!.body;
    expect(comment).toContain('_Checked: changed._');
    expect(comment).toContain('_Checked: uses `ml/hub/trainer.yaml`, changed._');
    expect(comment).toContain('_Checked: uses `ml/pipelines/train.yaml`, which uses `ml/hub/trainer.yaml`, changed._');
    expect(result.stdout).toContain('  ml/experiments/sweep.yml: uses `ml/hub/trainer.yaml`, changed');
    expect(github.violations).toEqual([]);
  });

  it('on a pull request adding a broken pipeline, fails with an annotation on it', async () => {
    const result = await pullRequest([
      { filename: 'ml/experiments/broken.yaml', status: 'added' },
      { filename: 'k8s/deployment.yaml', status: 'modified' },
    ]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.outputs.files!)).toEqual(['ml/experiments/broken.yaml']);
    expect(errors(result.stdout)[0]).toMatch(new RegExp(`^${escape(BROKEN_ANNOTATION)}`));
    expect(github.state.comments.get(7)![0]!.body).toContain(
      '❌ 1 of 1 Polyaxonfile invalid (1 other YAML/JSON file skipped: not Polyaxonfiles)',
    );
  });

  it('on a pull request changing the connections catalog or removing a component, re-checks their users', async () => {
    const catalog = await pullRequest([{ filename: 'ml/connections.yaml', status: 'modified' }], {
      exclude: 'ml/experiments/broken.yaml',
    });
    expect(catalog.code, catalog.stdout).toBe(0);
    expect(JSON.parse(catalog.outputs.files!)).toEqual([
      'ml/experiments/sweep.yml',
      'ml/hub/trainer.yaml',
      'ml/jobs/run-train.yaml',
      'ml/pipelines/train.yaml',
    ]);
    expect(github.state.comments.get(7)![0]!.body).toContain(
      '_Checked: uses the connections catalog `ml/connections.yaml`, changed._',
    );

    rmSync(path.join(workspace, 'ml/components/prepare.yaml'));
    const removed = await pullRequest([{ filename: 'ml/components/prepare.yaml', status: 'removed' }]);
    expect(removed.code).toBe(1);
    expect(JSON.parse(removed.outputs.files!)).toEqual([
      'ml/experiments/broken.yaml',
      'ml/jobs/run-train.yaml',
      'ml/pipelines/nightly.json',
      'ml/pipelines/train.yaml',
    ]);
    expect(errors(removed.stdout)).toContainEqual(
      expect.stringMatching(/^::error title=unresolved-reference,file=ml\/pipelines\/train\.yaml,line=8,/),
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
