import { readdirSync } from 'node:fs';
import path from 'node:path';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';
import { runBundledCli } from '../support/run-cli.js';

/**
 * The CLI through the real apiserver: every example pipeline, transpiled by `dist/cli.js` both
 * as a Workflow and as a WorkflowTemplate, is accepted by a server-side dry-run create, which
 * runs the same admission and CRD schema validation as a real create but stores nothing.
 */

const DIR = path.join(REPO_ROOT, 'fixtures', 'pipelines');
const NAMESPACE = 'cli';
const OPTIONS = [
  '--connections',
  'fixtures/pipelines/connections.yaml',
  '--hub',
  'fixtures/pipelines/hub',
  '--offline',
];
const pipelines = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.argo.yaml') && f !== 'connections.yaml')
  .sort();

const config = new KubeConfig();
config.loadFromString(inject('kubeconfig'));
const objects = KubernetesObjectApi.makeApiClient(config);

/** The manifest `dist/cli.js transpile ARGS` prints (the CLI must accept the pipeline). */
async function transpiled(...args: string[]): Promise<KubernetesObject> {
  const { code, stdout, stderr } = await runBundledCli(['transpile', ...args]);
  if (code !== 0) throw new Error(`transpile ${args.join(' ')} exited ${code}:\n${stderr}`);
  return parse(stdout) as KubernetesObject;
}

/** Why the apiserver refused the object, or undefined when its dry run accepted it. */
async function dryRunCreate(manifest: KubernetesObject): Promise<string | undefined> {
  try {
    await objects.create(manifest, undefined, 'All');
    return undefined;
  } catch (error) {
    const body = (error as { body?: string }).body;
    return body ? String((JSON.parse(body) as { message?: string }).message) : String(error);
  }
}

beforeAll(async () => {
  await config.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NAMESPACE } } });
});

describe('CLI manifests on the real apiserver (dry run)', () => {
  it('covers every example pipeline', () => {
    expect(pipelines.length).toBeGreaterThanOrEqual(30);
  });

  it('accepts every pipeline transpiled as a Workflow (or CronWorkflow) and as a WorkflowTemplate', async () => {
    const refused: Record<string, string> = {};
    for (const file of pipelines) {
      const name = `e2e-${path.parse(file).name}`;
      const as = (kind: string) =>
        transpiled(
          path.join('fixtures', 'pipelines', file),
          '--kind',
          kind,
          '--namespace',
          NAMESPACE,
          '--name',
          name,
          ...OPTIONS,
        );
      const workflow = await as('workflow');
      // A scheduled pipeline is a CronWorkflow and cannot be a WorkflowTemplate (the CLI says so).
      const manifests = workflow.kind === 'CronWorkflow' ? [workflow] : [workflow, await as('workflow-template')];
      for (const manifest of manifests) {
        const reason = await dryRunCreate(manifest);
        if (reason) refused[`${file} (${manifest.kind})`] = reason;
      }
    }
    expect(refused).toEqual({});
  });

  it('shows the CRD schema does judge: a manifest it must refuse is refused', async () => {
    const manifest = (await transpiled(
      'fixtures/pipelines/diamond.yaml',
      '--namespace',
      NAMESPACE,
      '--name',
      'e2e-broken',
    )) as KubernetesObject & { spec: { templates: { container?: object }[] } };
    Object.assign(manifest.spec.templates.find((t) => t.container)!.container!, {
      resources: { limits: { cpu: 'two cores' } },
    });
    expect(await dryRunCreate(manifest)).toMatch(/cpu/);
  });
});
