import { NAME_INPUT } from '../../argo/contract.js';
import type { BoundContainer, BoundReplica, ResourceTemplate } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { Container, Volume } from '../../schema/k8s.js';
import { toArgoName } from '../../argo/names.js';
import type { CompiledOperation } from './compile.js';
import { attachConnections } from './connections.js';
import { bindContainer } from './container.js';
import type { BindContext } from './context.js';
import { bindEnvironment } from './environment.js';
import type { Environment } from '../../schema/environment.js';
import { templateInputs } from './inputs.js';
import { built, checkPlain } from './plain.js';
import { bindSettings } from './settings.js';
import { TextScope } from './text.js';
import { checkVolumes } from './volumes.js';

/** Per Kubeflow kind: the CRD, the replica roles (Polyaxon field → Kubeflow key) and the default container name. */
const KINDS = {
  tfjob: {
    apiVersion: 'kubeflow.org/v1',
    kind: 'TFJob',
    specsKey: 'tfReplicaSpecs',
    container: 'tensorflow',
    roles: { chief: 'Chief', ps: 'PS', worker: 'Worker', evaluator: 'Evaluator' },
  },
  pytorchjob: {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    specsKey: 'pytorchReplicaSpecs',
    container: 'pytorch',
    roles: { master: 'Master', worker: 'Worker' },
  },
  mpijob: {
    apiVersion: 'kubeflow.org/v2beta1',
    kind: 'MPIJob',
    specsKey: 'mpiReplicaSpecs',
    container: 'mpi',
    roles: { launcher: 'Launcher', worker: 'Worker' },
  },
} as const;
export type ResourceKind = keyof typeof KINDS;
export const isResourceKind = (kind: string): kind is ResourceKind => kind in KINDS;

interface Replica {
  replicas?: number | string;
  environment?: unknown;
  connections?: string[] | string;
  volumes?: Volume[] | string;
  init?: unknown;
  sidecars?: Container[] | string;
  container?: Container | string;
}

/**
 * Kubeflow training jobs (tfjob, pytorchjob, mpijob) → a resource template that creates the
 * job and waits on its replica statuses, as Argo's own TFJob example does. The job is owned by
 * the workflow (deleted with it); its manifest is built as an object by lowering.
 */
export function bindResource(
  compiled: CompiledOperation,
  kind: ResourceKind,
  contextParams: readonly string[],
  context: BindContext,
): ResourceTemplate | undefined {
  const mark = context.mark();
  const origin = compiled.resolved;
  const runAt: Path = [...origin.path, 'run'];
  const run: Record<string, unknown> = compiled.run;
  const spec = KINDS[kind];
  const inputs = new Map((compiled.component.inputs ?? []).map((io) => [io.name, io]));
  if (compiled.component.outputs?.length)
    context.unsupported(
      origin,
      [...origin.path, 'outputs'],
      `a ${spec.kind} has no outputs Argo can read`,
      'write results to storage and pass their location as a param',
    );

  const replicas: BoundReplica[] = [];
  let primary: { role: string; replicas: number } | undefined;
  let usesName = false;
  for (const [field, role] of Object.entries(spec.roles)) {
    const replica = run[field] as Replica | string | undefined;
    if (replica === undefined) continue;
    const at: Path = [...runAt, field];
    if (typeof replica === 'string') {
      context.templated(origin, at, field);
      continue;
    }
    const scope = new TextScope({
      inputs,
      contextParams: new Set(contextParams),
      connections: context.options.connections,
      attachedConnections: Array.isArray(replica.connections) ? replica.connections : [],
      projectGlobal: context.projectGlobal,
    });
    const bound = bindReplica(replica, role, spec.container, scope, compiled, at, context);
    usesName ||= scope.usesName;
    // The job's pods are the training operator's, not Argo's: they carry no node id.
    if (scope.usesUuid)
      context.unsupported(
        origin,
        at,
        `\`{{ globals.uuid }}\` is not known to a ${spec.kind}'s pods, which Argo does not create`,
        'pass an id through a param',
      );
    if (!bound) continue;
    replicas.push(bound);
    if (!primary || role === 'Chief' || role === 'Master' || role === 'Launcher')
      primary = { role, replicas: bound.replicas };
  }
  if (!primary) {
    if (!context.refusedSince(mark)) context.unsupported(origin, runAt, `the ${kind} defines no replicas`);
    return undefined;
  }

  const settings = bindSettings(compiled, context);
  const runPolicy: Record<string, unknown> = {};
  for (const key of ['cleanPodPolicy', 'schedulingPolicy'] as const) {
    const checked =
      run[key] !== undefined ? checkPlain(run[key], context, origin, [...runAt, key], `\`${key}\``) : undefined;
    if (checked !== undefined) runPolicy[key] = checked;
  }
  if (settings?.settings.activeDeadlineSeconds !== undefined)
    runPolicy.activeDeadlineSeconds = settings.settings.activeDeadlineSeconds;
  if (settings?.settings.retries !== undefined) runPolicy.backoffLimit = settings.settings.retries;
  const extra: Record<string, unknown> = {};
  for (const key of ['enableDynamicWorker', 'successPolicy', 'elasticPolicy', 'slotsPerWorker'] as const) {
    const checked =
      run[key] !== undefined ? checkPlain(run[key], context, origin, [...runAt, key], `\`${key}\``) : undefined;
    if (checked !== undefined) extra[key] = checked;
  }
  if (typeof run.nProcPerNode === 'string' || typeof run.nProcPerNode === 'number')
    extra.nprocPerNode = String(run.nProcPerNode);
  const parameters = templateInputs([...inputs.values()], contextParams, undefined, context, origin, [
    ...origin.path,
    'inputs',
  ]);
  if (usesName) parameters.push({ name: NAME_INPUT });
  if (!settings || context.refusedSince(mark)) return undefined;
  return {
    kind: 'resource',
    preferredName: typeof compiled.component.name === 'string' ? compiled.component.name : compiled.op.name || kind,
    inputs: parameters,
    apiVersion: spec.apiVersion,
    resourceKind: spec.kind,
    jobName: toArgoName(compiled.op.name || kind, 30),
    specsKey: spec.specsKey,
    replicas,
    runPolicy: built(runPolicy),
    extra: built(extra),
    primary,
    settings: {
      annotations: settings.settings.annotations,
      ...(settings.settings.semaphore ? { semaphore: settings.settings.semaphore } : {}),
    },
  };
}

function bindReplica(
  replica: Replica,
  role: string,
  containerName: string,
  scope: TextScope,
  compiled: CompiledOperation,
  at: Path,
  context: BindContext,
): BoundReplica | undefined {
  const mark = context.mark();
  const origin = compiled.resolved;
  if (typeof replica.replicas === 'string') context.templated(origin, [...at, 'replicas'], 'replicas');
  if (replica.init !== undefined)
    context.unsupported(
      origin,
      [...at, 'init'],
      `\`init\` on ${role} replicas is not mapped`,
      'add an init container to the replica through `sidecars` or prepare the data in a previous operation',
    );
  for (const field of ['connections', 'volumes', 'sidecars', 'container'] as const)
    if (typeof replica[field] === 'string') context.templated(origin, [...at, field], field);
  if (replica.container === undefined) {
    context.unsupported(origin, [...at, 'container'], `the ${role} replica has no container`);
    return undefined;
  }
  if (typeof replica.container !== 'object') return undefined;
  if (!replica.container.image)
    context.unsupported(
      origin,
      [...at, 'container'],
      `the ${role} container has no \`image\``,
      'set `container.image`',
    );
  const main = bindContainer(replica.container, 'replica', scope, context, origin, [...at, 'container']);
  const sidecars = (Array.isArray(replica.sidecars) ? replica.sidecars : []).map((sidecar, i) =>
    bindContainer(sidecar, 'sidecar', scope, context, origin, [...at, 'sidecars', i]),
  );
  const attached = attachConnections(Array.isArray(replica.connections) ? replica.connections : [], context, origin, [
    ...at,
    'connections',
  ]);
  const ownVolumes = Array.isArray(replica.volumes)
    ? checkVolumes(replica.volumes, context, origin, [...at, 'volumes'])
    : [];
  const environment = bindEnvironment(
    replica.environment as Environment | string | undefined,
    context,
    origin,
    [...at, 'environment'],
    true,
  );
  if (!main || !ownVolumes || !environment || context.refusedSince(mark)) return undefined;
  const { labels, annotations, podSpecPatch, ...podFields } = environment;
  const restartPolicy =
    typeof replica.environment === 'object' && replica.environment !== null
      ? (replica.environment as { restartPolicy?: string }).restartPolicy
      : undefined;
  const container: BoundContainer = {
    ...main,
    name: replica.container.name ?? containerName,
    env: [...main.env, ...attached.env],
    envFrom: [...main.envFrom, ...attached.envFrom],
    volumeMounts: [...main.volumeMounts, ...attached.volumeMounts],
  };
  return {
    role,
    replicas: typeof replica.replicas === 'number' ? replica.replicas : 1,
    restartPolicy: restartPolicy ?? 'Never',
    labels,
    annotations,
    containers: [container, ...sidecars.filter((s): s is BoundContainer => s !== undefined)],
    volumes: [...ownVolumes, ...attached.volumes],
    pod: built({ ...podFields, ...(podSpecPatch ?? {}) }),
  };
}
