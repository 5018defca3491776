import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  KubeConfig,
  loadYaml,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { REPO_ROOT } from '../../support/paths.js';
import { Daemon, httpOk, waitFor, type ControlPlane } from './control-plane.js';

export const CONTROLLER_NAMESPACE = 'argo';

/**
 * The entrypoints of the images our scenarios run without a `command`. Argo's emissary executor
 * must know a container's whole command line, so the controller looks an image's entrypoint up
 * in its registry, or in this index when it is listed (as for private registries). There is no
 * registry here, and without an entry the step errors with "failed to look-up entrypoint/cmd".
 */
const IMAGES: Record<string, { entrypoint?: string[]; cmd?: string[] }> = {
  'alpine:3.20': { cmd: ['/bin/sh'] },
  'ghcr.io/acme/eval:1.4': { entrypoint: ['python', 'evaluate.py'] },
  'ghcr.io/acme/etl:3.1': { entrypoint: ['etl'] },
  'ghcr.io/acme/train:3.1': { entrypoint: ['python', 'train.py'] },
  'ghcr.io/acme/train:12.0': { entrypoint: ['python', 'train.py'] },
};

/**
 * Installs Argo's full CRDs (with their schemas, so the apiserver validates what we submit) and
 * runs Argo's own workflow-controller against the control plane, cluster-wide.
 */
export async function startWorkflowController(plane: ControlPlane, dir: string): Promise<Daemon> {
  const config = new KubeConfig();
  config.loadFromString(plane.kubeconfig());
  await installCrds(config.makeApiClient(ApiextensionsV1Api));

  const core = config.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: CONTROLLER_NAMESPACE } } });
  await core.createNamespacedConfigMap({
    namespace: CONTROLLER_NAMESPACE,
    body: {
      metadata: { name: 'workflow-controller-configmap' },
      data: {
        // No metrics servers: they would listen on fixed ports (9090) beside other test runs.
        metricsConfig: 'enabled: false\n',
        telemetryConfig: 'enabled: false\n',
        images: JSON.stringify(IMAGES),
      },
    },
  });

  const kubeconfigFile = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfigFile, plane.kubeconfig(CONTROLLER_NAMESPACE), { mode: 0o600 });
  const controller = new Daemon(
    'workflow-controller',
    [`--kubeconfig=${kubeconfigFile}`, `--namespace=${CONTROLLER_NAMESPACE}`, '--loglevel=info'],
    path.join(dir, 'workflow-controller.log'),
    // One controller, so no leader election; and a short requeue so retries and polling of
    // finished pods happen in test time rather than the production default of 10s.
    { LEADER_ELECTION_DISABLE: 'true', DEFAULT_REQUEUE_TIME: '1s' },
  );
  controller.start();
  // The controller's health endpoint is fixed at :6060 (not configurable in v4.0).
  await waitFor('workflow-controller', () => httpOk('http://127.0.0.1:6060/healthz'), controller.logFile);
  return controller;
}

async function installCrds(api: ApiextensionsV1Api): Promise<void> {
  const folder = path.join(REPO_ROOT, '.tools', 'argo-crds');
  const names: string[] = [];
  for (const file of readdirSync(folder)
    .filter((f) => f.startsWith('argoproj.io_'))
    .sort()) {
    // Through client-node's own deserializer: it sends only the fields its model knows by their
    // TypeScript names, so plain parsed YAML would lose `x-kubernetes-int-or-string`.
    const body = loadYaml<V1CustomResourceDefinition>(readFileSync(path.join(folder, file), 'utf8'));
    await api.createCustomResourceDefinition({ body });
    names.push(body.metadata!.name!);
  }
  const established = async () => {
    for (const name of names) {
      const crd = await api.readCustomResourceDefinition({ name });
      if (!crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return false;
    }
    return true;
  };
  const start = Date.now();
  while (!(await established())) {
    if (Date.now() - start > 30_000)
      throw new Error(`Argo's CRDs were not established within 30s: ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
