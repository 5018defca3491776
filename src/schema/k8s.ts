import { z } from 'zod';
import { camelCase } from '../parse/source.js';
import { strict } from './primitives.js';

/**
 * Kubernetes objects embedded in Polyaxonfiles. Polyaxon accepts them with camelCase or
 * snake_case keys; we normalise to camelCase (what Argo and the API server expect).
 * The objects users write most (containers, volumes, env, tolerations…) are checked key by
 * key (affinity in affinity.ts); deep, rarely hand-written ones (security contexts, probes) are taken as
 * objects and passed through, since the cluster validates them on submit.
 */

/** Maps whose keys are data, not field names: never camelCase them. */
const DATA_MAPS = new Set([
  'labels',
  'annotations',
  'nodeSelector',
  'matchLabels',
  'limits',
  'requests',
  'volumeAttributes',
  'parameters',
  'data',
  'stringData',
  'options',
  'claims',
]);

export function camelizeKeys(value: unknown, parentKey = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => camelizeKeys(item, parentKey));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (DATA_MAPS.has(parentKey)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const camel = camelCase(key);
    out[camel] = camelizeKeys(inner, camel);
  }
  return out;
}

/** A Kubernetes object checked by `schema` after its keys are camelCased. */
export const k8s = <T extends z.ZodType>(schema: T) => z.preprocess((value) => camelizeKeys(value), schema);

/** An object we pass through (the API server checks it), keys camelCased. */
export const k8sObject = k8s(z.record(z.string(), z.unknown()));

/** Kubernetes' portable rule for variable names (IsEnvVarName): the API server enforces it. */
export const envVarName = z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/, {
  error: 'an environment variable name has letters, digits, `_`, `-` and `.`, and does not start with a digit',
});

const envVar = strict({
  name: envVarName,
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  valueFrom: z.record(z.string(), z.unknown()).optional(),
});

const volumeMount = strict({
  name: z.string().min(1),
  mountPath: z.string().min(1),
  subPath: z.string().optional(),
  subPathExpr: z.string().optional(),
  readOnly: z.boolean().optional(),
  mountPropagation: z.string().optional(),
  recursiveReadOnly: z.string().optional(),
});

/** Polyaxon's Kubernetes models also take a single item where a list is expected. */
const listOrOne = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? [value] : value),
    z.array(item),
  );

/**
 * A resource quantity in the API server's own grammar (500m, 2, 1.5Gi, 1e3). Checked here so a
 * typo is reported at its line rather than by the cluster at submit time; a `{{ param }}`
 * is left for the runtime to fill in.
 */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?(\d+(\.\d*)?|\.\d+))?$/;
const quantity = z.union([
  z.number(),
  z.string().refine((value) => QUANTITY.test(value.trim()) || value.includes('{{'), {
    message: 'expected a Kubernetes quantity such as 500m, 2, 1.5 or 4Gi',
  }),
]);
const quantityMap = z.record(z.string(), quantity);

const resources = strict({
  limits: quantityMap.optional(),
  requests: quantityMap.optional(),
  claims: z.array(z.record(z.string(), z.unknown())).optional(),
});

/** The sources of core/v1 VolumeSource. */
const VOLUME_SOURCES = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'gitRepo',
  'glusterfs',
  'hostPath',
  'image',
  'iscsi',
  'nfs',
  'persistentVolumeClaim',
  'photonPersistentDisk',
  'portworxVolume',
  'projected',
  'quobyte',
  'rbd',
  'scaleIO',
  'secret',
  'storageos',
  'vsphereVolume',
];

/** A command or args: Polyaxon also accepts one string (kept as a single item). */
const commandLine = z.union([
  z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)),
  z.string().transform((s) => [s]),
]);

export const containerShape = {
  name: z.string().optional(),
  image: z.string().optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  command: commandLine.optional(),
  args: commandLine.optional(),
  workingDir: z.string().optional(),
  env: listOrOne(envVar).optional(),
  envFrom: listOrOne(z.record(z.string(), z.unknown())).optional(),
  resources: resources.optional(),
  volumeMounts: listOrOne(volumeMount).optional(),
  volumeDevices: z.array(z.record(z.string(), z.unknown())).optional(),
  ports: z.array(z.record(z.string(), z.unknown())).optional(),
  securityContext: z.record(z.string(), z.unknown()).optional(),
  lifecycle: z.record(z.string(), z.unknown()).optional(),
  livenessProbe: z.record(z.string(), z.unknown()).optional(),
  readinessProbe: z.record(z.string(), z.unknown()).optional(),
  startupProbe: z.record(z.string(), z.unknown()).optional(),
  resizePolicy: z.array(z.record(z.string(), z.unknown())).optional(),
  restartPolicy: z.string().optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.string().optional(),
};

export const container = k8s(strict(containerShape));
export type Container = z.infer<typeof container>;

/**
 * A pod volume: its name and a source, which must be one of core/v1 VolumeSource's, holding a
 * mapping (Argo refuses a volume it cannot decode). What is inside a source is the cluster's to
 * check: Polyaxon takes it as written.
 */
const volumeSource = z.record(z.string(), z.unknown()).optional();
export const volume = k8s(
  strict({ name: z.string().min(1), ...Object.fromEntries(VOLUME_SOURCES.map((source) => [source, volumeSource])) }),
);

export type Volume = z.infer<typeof volume>;

export const toleration = k8s(
  strict({
    key: z.string().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.int().optional(),
  }),
);

/**
 * core/v1 SecurityContext (a container's), which is what Polyaxon 2.18 reads for
 * `environment.securityContext`: it refuses the pod-only fields (`fsGroup`, `sysctls`, …).
 */
export const securityContext = k8s(
  strict({
    allowPrivilegeEscalation: z.boolean().optional(),
    appArmorProfile: z.record(z.string(), z.unknown()).optional(),
    capabilities: z.record(z.string(), z.unknown()).optional(),
    privileged: z.boolean().optional(),
    procMount: z.string().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
    runAsGroup: z.int().optional(),
    runAsNonRoot: z.boolean().optional(),
    runAsUser: z.int().optional(),
    seLinuxOptions: z.record(z.string(), z.unknown()).optional(),
    seccompProfile: z.record(z.string(), z.unknown()).optional(),
    windowsOptions: z.record(z.string(), z.unknown()).optional(),
  }),
);

export const hostAlias = k8s(strict({ ip: z.string(), hostnames: z.array(z.string()).optional() }));
