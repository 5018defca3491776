import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { NODE_NAME } from './node.js';
import type { Scenario } from './scenario.js';

/**
 * Objects some example pipelines expect the cluster to have, made the way their controllers
 * would make them (kube-controller-manager does not run here).
 */

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function core(): CoreV1Api {
  const config = new KubeConfig();
  config.loadFromString(inject('kubeconfig'));
  return config.makeApiClient(CoreV1Api);
}

/**
 * A PersistentVolumeClaim `claim` in the scenario's namespace, bound to a new hostPath volume
 * (a folder of this machine, returned), as the persistent-volume controller binds a claim to a
 * volume made for it.
 */
export async function bindVolume(scenario: Scenario, claim: string): Promise<string> {
  const folder = mkdtempSync(path.join(tmpdir(), `e2e-volume-${claim}-`));
  const volume = `${scenario.namespace}-${claim}`;
  const api = scenario.core;
  const pvc = await api.createNamespacedPersistentVolumeClaim({
    namespace: scenario.namespace,
    body: {
      metadata: { name: claim, annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
        storageClassName: '',
        volumeName: volume,
      },
    },
  });
  await api.createPersistentVolume({
    body: {
      metadata: { name: volume },
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '1Gi' },
        storageClassName: '',
        hostPath: { path: folder, type: 'Directory' },
        claimRef: { namespace: scenario.namespace, name: claim, uid: pvc.metadata!.uid! },
        persistentVolumeReclaimPolicy: 'Retain',
      },
    },
  });
  await api.patchPersistentVolumeStatus({ name: volume, body: { status: { phase: 'Bound' } } }, mergePatch);
  await api.patchNamespacedPersistentVolumeClaimStatus(
    {
      name: claim,
      namespace: scenario.namespace,
      body: { status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } },
    },
    mergePatch,
  );
  return folder;
}

/** Sets (or with null, removes) labels of the node. */
export async function setNodeLabels(labels: Record<string, string | null>): Promise<void> {
  await core().patchNode({ name: NODE_NAME, body: { metadata: { labels } } }, mergePatch);
}

/**
 * Advertises (or with null, withdraws) an extended resource on the node, as a device plugin
 * would: the documented way is a patch of the node's status capacity.
 */
export async function setNodeExtendedResource(name: string, quantity: string | null): Promise<void> {
  const api = core();
  await api.patchNodeStatus(
    { name: NODE_NAME, body: { status: { capacity: { [name]: quantity }, allocatable: { [name]: quantity } } } },
    mergePatch,
  );
}
