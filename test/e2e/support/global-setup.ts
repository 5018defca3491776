import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '../../support/paths.js';
import { ControlPlane, versionOf } from './control-plane.js';
import { startWorkflowController } from './workflow-controller.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin kubeconfig for the control plane (a static token, the apiserver's own CA). */
    kubeconfig: string;
    /** The same for a user allowed nothing. */
    guestKubeconfig: string;
    /** POST /restart/kube-apiserver here restarts the apiserver (it lives in this process). */
    controlUrl: string;
  }
}

/**
 * Builds (once, cached) and starts the end-to-end cluster: etcd, kube-apiserver, Argo's CRDs
 * and workflow-controller, all on loopback. Torn down when the run ends. E2E_KEEP=1 keeps the
 * logs and data folder for a look after a failure.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const script of [['setup-kube.sh'], ['setup-argo.sh', 'argo', 'workflow-controller']]) {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts', script[0]!), ...script.slice(1)], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'polyaxon-argo-e2e-'));
  const started = Date.now();
  const plane = await ControlPlane.start(dir);
  const controller = await startWorkflowController(plane, dir).catch(async (error: unknown) => {
    await plane.stop();
    throw error;
  });
  const versions = await Promise.all([
    versionOf('etcd'),
    versionOf('kube-apiserver'),
    versionOf('workflow-controller', ['version']),
  ]);
  console.log(
    `e2e cluster ready in ${((Date.now() - started) / 1000).toFixed(1)}s (${dir}):\n  ${versions.join('\n  ')}`,
  );

  const control = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/restart/kube-apiserver') {
      plane.restartApiServer().then(
        () => res.writeHead(204).end(),
        (error: Error) => res.writeHead(500).end(error.message),
      );
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  project.provide('kubeconfig', plane.kubeconfig());
  project.provide('guestKubeconfig', plane.kubeconfig('default', plane.info.guestToken));
  project.provide('controlUrl', `http://127.0.0.1:${(control.address() as AddressInfo).port}`);

  return async () => {
    control.close();
    await controller.stop();
    await plane.stop();
    if (process.env.E2E_KEEP) console.log(`e2e cluster logs and data kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
