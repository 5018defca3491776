import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '../../support/paths.js';
import { ControlPlane, freePort, versionOf, type Daemon } from './control-plane.js';
import { GitDaemon } from './git-daemon.js';
import { importImages, imagesInUse } from './images.js';
import { forgetProcesses, killLeftovers } from './leftovers.js';
import { Node } from './node.js';
import { createNodeNetwork, HOST_IP, removeNodeNetwork } from './node-network.js';
import { installArgo, startWorkflowController } from './workflow-controller.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin kubeconfig for the control plane (a static token, the apiserver's own CA). */
    kubeconfig: string;
    /** The same for a user allowed nothing. */
    guestKubeconfig: string;
    /** PEM of the CA the apiserver's certificate chains to (each namespace's `kube-root-ca.crt`). */
    clusterCa: string;
    /**
     * The suite's control endpoint (it lives in this process):
     *   POST /restart/kube-apiserver           restarts the apiserver
     *   POST /restart/workflow-controller      restarts the controller; a JSON body {"env": {…}}
     *                                          adds to its environment until the next restart
     */
    controlUrl: string;
    /** Where the stand-in reports (a scenario's StandinServer listens there): HOST_IP and a port. */
    standinPort: number;
    /** The git daemon's base folder (repositories are served from here) and its git:// URL. */
    gitRoot: string;
    gitUrl: string;
  }
}

/**
 * Builds (once, cached) and starts the end-to-end cluster: etcd, kube-apiserver, a node
 * (containerd with runc, the kubelet, kube-scheduler) and Argo's workflow-controller with the
 * emissary executor. Everything is torn down when the run ends; E2E_KEEP=1 keeps the logs and
 * data folder for a look after a failure.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const script of [['setup-kube.sh'], ['setup-argo.sh', 'argo', 'workflow-controller'], ['setup-node.sh']]) {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts', script[0]!), ...script.slice(1)], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'polyaxon-argo-e2e-'));
  const started = Date.now();
  // Undone in reverse order, whether setup completes or fails half-way.
  const teardown: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const undo of teardown.reverse()) await undo();
  };
  // How long each part of the start took, printed with the versions.
  const phases: string[] = [];
  let last = Date.now();
  const phase = (name: string) => {
    phases.push(`${name} ${((Date.now() - last) / 1000).toFixed(1)}s`);
    last = Date.now();
  };
  try {
    killLeftovers();
    createNodeNetwork();
    teardown.push(removeNodeNetwork);
    const plane = await ControlPlane.start(dir, HOST_IP);
    teardown.push(() => plane.stop());
    phase('control plane');
    // Argo's CRDs are established while the node starts.
    const use = imagesInUse();
    const argoInstalled = installArgo(plane, { images: use.images });
    argoInstalled.catch(() => undefined); // awaited below
    const node = await Node.start(plane, path.join(dir, 'node'));
    teardown.push(() => node.stop());
    phase('node');
    const git = await GitDaemon.start(path.join(dir, 'git'), HOST_IP, path.join(dir, 'git-daemon.log'));
    teardown.push(() => git.stop());
    const standinPort = await freePort(HOST_IP);
    importImages(node, path.join(dir, 'images'), use, {
      standinUrl: `http://${HOST_IP}:${standinPort}`,
      gitUrl: git.url,
    });
    phase('images');
    await argoInstalled;
    let controller: Daemon = await startWorkflowController(plane, dir);
    teardown.push(() => controller.stop());
    phase('argo');

    const versions = await Promise.all(
      (
        [
          ['etcd', 'etcd'],
          ['kube-apiserver', 'kube-apiserver'],
          ['kube-scheduler', 'kube-scheduler'],
          ['kubelet', 'kubelet'],
          ['containerd', '/usr/bin/containerd'],
          ['runc', '/usr/sbin/runc'],
          ['workflow-controller', 'workflow-controller', ['version']],
          ['argoexec', 'argoexec', ['version']],
        ] as const
      ).map(async ([name, binary, args]) => {
        const line = await versionOf(binary, args ? [...args] : undefined);
        return `${name} ${/v?\d+\.\d+\.\d+\S*/.exec(line)?.[0] ?? line}`;
      }),
    );
    console.log(
      `e2e cluster ready in ${((Date.now() - started) / 1000).toFixed(1)}s (${phases.join(', ')}; ${dir}):\n  ${versions.join('\n  ')}`,
    );

    const control = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const done = (work: Promise<unknown>) =>
          work.then(
            () => res.writeHead(204).end(),
            (error: Error) => res.writeHead(500).end(error.message),
          );
        if (req.method === 'POST' && req.url === '/restart/kube-apiserver') void done(plane.restartApiServer());
        else if (req.method === 'POST' && req.url === '/restart/workflow-controller') {
          const env = body ? ((JSON.parse(body) as { env?: Record<string, string> }).env ?? {}) : {};
          void done(
            controller.stop().then(async () => {
              controller = await startWorkflowController(plane, dir, env);
            }),
          );
        } else res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
    teardown.push(() => void control.close());
    project.provide('kubeconfig', plane.kubeconfig());
    project.provide('guestKubeconfig', plane.kubeconfig('default', plane.info.guestToken));
    project.provide('clusterCa', plane.info.ca);
    project.provide('controlUrl', `http://127.0.0.1:${(control.address() as AddressInfo).port}`);
    project.provide('standinPort', standinPort);
    project.provide('gitRoot', git.root);
    project.provide('gitUrl', git.url);
  } catch (error) {
    await stopAll();
    throw error;
  }

  return async () => {
    await stopAll();
    forgetProcesses();
    if (process.env.E2E_KEEP) console.log(`e2e cluster logs and data kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
