import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';

/**
 * The CLI through the real apiserver: every example pipeline, transpiled by `dist/cli.js` both
 * as a Workflow and as a WorkflowTemplate, is accepted by a server-side dry-run create, which
 * runs the same admission and CRD schema validation as a real create but stores nothing.
 */

const DIR = path.join(REPO_ROOT, 'fixtures', 'pipelines');
const NAMESPACE = 'cli';
const OPTIONS = ['--connections', 'fixtures/pipelines/connections.yaml', '--hub', 'fixtures/pipelines/hub', '--offline'];
const pipelines = readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.argo.yaml') && f !== 'connections.yaml').sort();

const config = new KubeConfig();
config.loadFromString(inject('kubeconfig'));
const objects = KubernetesObjectApi.makeApiClient(config);

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'transpile', ...args], { cwd: REPO_ROOT });
  return stdout;
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
      const transpiled = async (kind: string) => parse(await cli(path.join('fixtures', 'pipelines', file), '--kind', kind, '--namespace', NAMESPACE, '--name', name, ...OPTIONS)) as KubernetesObject;
      const workflow = await transpiled('workflow');
      // A scheduled pipeline is a CronWorkflow and cannot be a WorkflowTemplate (the CLI says so).
      const manifests = workflow.kind === 'CronWorkflow' ? [workflow] : [workflow, await transpiled('workflow-template')];
      for (const manifest of manifests) {
        const reason = await dryRunCreate(manifest);
        if (reason) refused[`${file} (${manifest.kind})`] = reason;
      }
    }
    expect(refused).toEqual({});
  });

  it('shows the CRD schema does judge: a manifest it must refuse is refused', async () => {
    const manifest = parse(await cli('fixtures/pipelines/diamond.yaml', '--namespace', NAMESPACE, '--name', 'e2e-broken')) as KubernetesObject & { spec: { templates: { container?: object }[] } };
    Object.assign(manifest.spec.templates.find((t) => t.container)!.container!, { resources: { limits: { cpu: 'two cores' } } });
    expect(await dryRunCreate(manifest)).toMatch(/cpu/);
  });
});
