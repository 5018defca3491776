import { describe, expect, it } from 'vitest';
import type { Manifest, Template } from '../src/argo/types.js';
import { formatCount } from '../src/diagnostics/format.js';
import { forecastDiagnostics } from '../src/forecast/forecast-diagnostics.js';
import { forecastRun } from '../src/forecast/run-forecast.js';
import { transpile } from '../src/transpile.js';

/** Forecasts of what a run will meet, from the manifest alone, told at the Polyaxonfile line of the operation. */

const sweep = (items: number, concurrency = 100) => {
  const numbers = Math.ceil(items / 50);
  return `version: 1.1
kind: component
name: sweep
run:
  kind: dag
  operations:
  - name: prepare
    component: {name: prepare, outputs: [{name: data, type: str}], run: {kind: job, container: {image: "alpine:3.20", command: [prep]}}}
  - name: sweep
    params: {data: {ref: ops.prepare, value: outputs.data}}
    matrix:
      kind: grid
      concurrency: ${concurrency}
      params:
        lr: {kind: linspace, value: "0.001:0.1:${numbers}"}
        batch: {kind: range, value: [1, 51, 1]}
    component:
      name: train
      inputs: [{name: lr, type: float}, {name: batch, type: int}, {name: data, type: str}]
      run: {kind: job, container: {image: "alpine:3.20", command: [train, "--lr={{ lr }}", "--batch={{ batch }}"]}}
`;
};

async function forecast(text: string, maxWorkflowSize?: number) {
  const result = await transpile('sweep.yaml', text, { kind: 'workflow', offline: true });
  expect(result.manifest, JSON.stringify(result.diagnostics)).toBeDefined();
  return forecastDiagnostics(forecastRun(result.manifest!, maxWorkflowSize ? { maxWorkflowSize } : {}), result.root!);
}

describe('the status size a run will reach', () => {
  it('says nothing for a pipeline whose statuses stay small', async () => {
    expect(await forecast(sweep(100))).toEqual([]);
  });

  it('warns at the matrix operation when Argo will compress the statuses', async () => {
    const [warning, ...rest] = await forecast(sweep(3000));
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({
      severity: 'warning',
      code: 'run-status-size',
      location: { file: 'sweep.yaml', line: 9, column: 5 },
      field: 'run.operations[1]',
    });
    expect(warning!.message).toMatch(
      /^a run of this pipeline will hold about 3,00\d node statuses, 3,00\d of them for this operation, about [\d.]+ MiB: over Argo's 1\.0 MiB \(MAX_WORKFLOW_SIZE\), so Argo will keep them compressed in status\.compressedNodes \(about \d+ KiB in all\)/,
    );
  });

  it('warns that the run will fail when even the compressed statuses pass the limit', async () => {
    const [warning] = await forecast(sweep(3000), 128 * 1024);
    expect(warning!.code).toBe('run-status-size');
    expect(warning!.message).toMatch(
      /even compressed, over Argo's 128 KiB workflow size .* unless the controller offloads/,
    );
    expect(warning!.hint).toContain('persistence.nodeStatusOffLoad');
  });
});

const workflow = (templates: Template[], extra: Partial<Manifest['metadata']> = {}): Manifest => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: {
    generateName: 'p-',
    annotations: { 'polyaxon-argo.io/operations': JSON.stringify({ 'main/train': 'train' }) },
    ...extra,
  },
  spec: { entrypoint: 'main', templates },
});

describe('forecasts as diagnostics', () => {
  it('tells each kind of forecast with its own code, at the operation it concerns or at the operations', async () => {
    const result = await transpile('sweep.yaml', sweep(100), { kind: 'workflow', offline: true });
    const diagnostics = forecastDiagnostics(
      [
        { kind: 'pod-annotations', operation: ['sweep'], message: 'annotations' },
        { kind: 'name-length', operation: [], message: 'name', hint: 'shorten it' },
      ],
      result.root!,
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'pod-annotations-size',
        location: expect.objectContaining({ line: 9, column: 5 }),
      }),
      expect.objectContaining({
        severity: 'warning',
        code: 'run-name-too-long',
        location: expect.objectContaining({ line: 6, column: 3 }),
        hint: 'shorten it',
      }),
    ]);
  });
});

describe('pod annotations', () => {
  it("adds Argo's node name, which names each matrix item by its values, to the template's annotations", () => {
    const big = 'v'.repeat(100 * 1024);
    const templates: Template[] = [
      {
        name: 'main',
        dag: {
          tasks: [{ name: 'train', template: 'job', withItems: [{ config: big }, { config: `${big}!` }] }],
        },
      },
      { name: 'job', metadata: { annotations: { note: 'n'.repeat(170 * 1024) } }, container: { image: 'alpine' } },
    ];
    const forecasts = forecastRun(workflow(templates));
    const annotations = forecasts.filter((f) => f.kind === 'pod-annotations');
    expect(annotations.map((f) => f.operation)).toEqual([['train']]);
    expect(annotations[0]!.message).toMatch(
      /^the pods of template `job` will carry about 27\d KiB of annotations \(the environment's, and Argo's node name of up to 1024\d\d characters\), over Kubernetes' 256 KiB/,
    );
    expect(annotations[0]!.hint).toContain('shorten the matrix values');
    // The same pods without the template's own annotations fit.
    templates[1]!.metadata = {};
    expect(forecastRun(workflow(templates))).toEqual([]);
  });
});

describe('names Argo and operators extend at run time', () => {
  it('warns about a CronWorkflow name over 52 characters', () => {
    const name = 'nightly-feature-pipeline-for-the-recommendation-models';
    const cron: Manifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'CronWorkflow',
      metadata: { name },
      spec: {
        schedules: ['0 3 * * *'],
        workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine' } }] },
      },
    };
    expect(forecastRun(cron)).toEqual([
      expect.objectContaining({
        kind: 'name-length',
        operation: [],
        message: `the CronWorkflow \`${name}\` is ${name.length} characters: Argo names each run \`${name}-<unix time>\` (11 more) and refuses cron names over 52, so no run will start`,
      }),
    ]);
  });

  it("warns when the training operator's Service names for a Kubeflow job pass 63 characters", () => {
    const job = (generateName: string) =>
      workflow(
        [
          { name: 'main', dag: { tasks: [{ name: 'train', template: 'distributed' }] } },
          {
            name: 'distributed',
            resource: {
              action: 'create',
              manifest: `apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  generateName: "{{workflow.name}}-distributed-training-job-"\nspec:\n  pytorchReplicaSpecs:\n    Master: {replicas: 1}\n    Worker: {replicas: 16}\n`,
            },
          },
        ],
        { generateName },
      );
    expect(forecastRun(job('short-'))).toEqual([]);
    const [warning] = forecastRun(job('recommendation-model-training-pipeline-'));
    expect(warning).toMatchObject({ kind: 'name-length', operation: ['train'] });
    expect(warning!.message).toMatch(
      /^the PyTorchJob will be named up to 63 characters, and the training operator names its Master Services `<job>-master-<index>`: 72 characters/,
    );
  });
});

describe('counts in messages', () => {
  it("groups thousands as toLocaleString('en-US') does", () => {
    for (const count of [0, 7, 999, 1000, 5001, 65_536, 999_999, 1_000_000, 1_234_567_890])
      expect(formatCount(count)).toBe(count.toLocaleString('en-US'));
  });
});
