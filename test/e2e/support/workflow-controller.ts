import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  loadYaml,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { REPO_ROOT } from '../../support/paths.js';
import { Daemon, httpOk, waitFor, type ControlPlane } from './control-plane.js';
import { ARGOEXEC_IMAGE, entrypointOf } from './images.js';

export const CONTROLLER_NAMESPACE = 'argo';
/** The ClusterRole each scenario namespace binds its service accounts to (scenario.ts). */
export const EXECUTOR_ROLE = 'argo-executor';

export interface ControllerOptions {
  /** The images pods run without a command, each with the entrypoint its registry would give. */
  images: Iterable<string>;
}

/**
 * Installs Argo's full CRDs (with their schemas, so the apiserver validates what we submit) and
 * the executor's role, then runs Argo's own workflow-controller against the control plane,
 * cluster-wide, with the emissary executor from our argoexec image.
 */
export async function installArgo(plane: ControlPlane, options: ControllerOptions): Promise<void> {
  const config = new KubeConfig();
  config.loadFromString(plane.kubeconfig());
  await installCrds(config.makeApiClient(ApiextensionsV1Api));
  await config.makeApiClient(RbacAuthorizationV1Api).createClusterRole({
    body: {
      metadata: { name: EXECUTOR_ROLE },
      // Argo's recommended minimum for the emissary executor (manifests/quick-start/base/executor).
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }],
    },
  });

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
        // The emissary needs each container's command; the controller would ask the registry.
        images: JSON.stringify(Object.fromEntries([...options.images].sort().map((i) => [i, entrypointOf(i)]))),
        executor: JSON.stringify({
          imagePullPolicy: 'IfNotPresent',
          // No kube-proxy serves the `kubernetes` Service's cluster IP: the executor's `wait`
          // container reaches the apiserver at the address it listens on, the node's gateway.
          env: [
            { name: 'KUBERNETES_SERVICE_HOST', value: new URL(plane.info.server).hostname },
            { name: 'KUBERNETES_SERVICE_PORT', value: new URL(plane.info.server).port },
          ],
        }),
      },
    },
  });
}

/** Runs the workflow-controller (CRDs and config installed); `env` is added to its environment. */
export async function startWorkflowController(
  plane: ControlPlane,
  dir: string,
  env: Record<string, string> = {},
): Promise<Daemon> {
  const kubeconfigFile = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfigFile, plane.kubeconfig(CONTROLLER_NAMESPACE), { mode: 0o600 });
  const controller = new Daemon(
    'workflow-controller',
    [
      `--kubeconfig=${kubeconfigFile}`,
      `--namespace=${CONTROLLER_NAMESPACE}`,
      `--executor-image=${ARGOEXEC_IMAGE}`,
      '--executor-image-pull-policy=IfNotPresent',
      '--loglevel=info',
    ],
    path.join(dir, 'workflow-controller.log'),
    // One controller, so no leader election; and a short requeue so retries and polling of
    // finished pods happen in test time rather than the production default of 10s.
    { LEADER_ELECTION_DISABLE: 'true', DEFAULT_REQUEUE_TIME: '1s', ...env },
  );
  controller.start();
  // The controller's health endpoint is fixed at :6060 (not configurable in v4.0).
  await waitFor('workflow-controller', () => httpOk('http://127.0.0.1:6060/healthz'), controller.logFile);
  return controller;
}

async function installCrds(api: ApiextensionsV1Api): Promise<void> {
  const folder = path.join(REPO_ROOT, '.tools', 'argo-crds');
  const names = await Promise.all(
    readdirSync(folder)
      .filter((f) => f.startsWith('argoproj.io_'))
      .sort()
      .map(async (file) => {
        // Through client-node's own deserializer: it sends only the fields its model knows by their
        // TypeScript names, so plain parsed YAML would lose `x-kubernetes-int-or-string`.
        const body = loadYaml<V1CustomResourceDefinition>(readFileSync(path.join(folder, file), 'utf8'));
        await api.createCustomResourceDefinition({ body });
        return body.metadata!.name!;
      }),
  );
  const established = async () => {
    for (const name of names) {
      const crd = await api.readCustomResourceDefinition({ name });
      if (!crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return false;
    }
    return true;
  };
  const start = Date.now();
  while (!(await established())) {
    if (Date.now() - start > 120_000)
      throw new Error(`Argo's CRDs were not established within 120s: ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
