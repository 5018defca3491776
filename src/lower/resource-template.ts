import { stringify } from 'yaml';
import type { Path } from '../parse/source.js';
import type { Container, Volume } from '../schema/k8s.js';
import type { Environment } from '../schema/environment.js';
import type { CompiledOperation } from './compile.js';
import { attachConnections } from './connections.js';
import type { LowerContext } from './context.js';
import type { LoweredTemplate } from './job-template.js';
import { toArgoName } from './names.js';
import { operationSettings } from './settings.js';
import { TemplateText, type Delivery } from './template-text.js';
import { UNTRANSLATED_ENVIRONMENT } from './environment.js';
import { templateInputs } from './template-inputs.js';

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

interface Replica {
  replicas?: number | string;
  environment?: Environment | string;
  connections?: string[] | string;
  volumes?: Volume[] | string;
  init?: unknown;
  sidecars?: Container[] | string;
  container?: Container | string;
}

/**
 * Kubeflow training jobs (tfjob, pytorchjob, mpijob) → a resource template that creates the
 * job and waits on its replica statuses, as Argo's own TFJob example does. The job is owned by
 * the workflow (deleted with it), and its pods carry the workflow label so Argo shows their logs.
 */
export function lowerResource(
  compiled: CompiledOperation,
  contextParams: readonly string[],
  context: LowerContext,
): LoweredTemplate | undefined {
  const origin = compiled.op.component!;
  const runAt: Path = [...origin.path, 'run'];
  const run = compiled.run as Record<string, unknown> & { kind: keyof typeof KINDS };
  const spec = KINDS[run.kind];
  const inputs = new Map((compiled.component.inputs ?? []).map((io) => [io.name, io]));
  if (compiled.component.outputs?.length)
    context.unsupported(
      origin,
      [...origin.path, 'outputs'],
      `a ${spec.kind} has no outputs Argo can read`,
      'write results to storage and pass their location as a param',
    );

  const replicaSpecs: Record<string, unknown> = {};
  let primary: { role: string; replicas: number } | undefined;
  for (const [field, role] of Object.entries(spec.roles)) {
    const replica = run[field] as Replica | string | undefined;
    if (replica === undefined) continue;
    const at: Path = [...runAt, field];
    if (typeof replica === 'string') {
      context.unsupported(origin, at, `a templated \`${field}\` cannot be resolved before the run`);
      continue;
    }
    const text = new TemplateText(
      inputs,
      new Set(contextParams),
      new Set(),
      context.options.connections,
      Array.isArray(replica.connections) ? replica.connections : [],
    );
    const built = buildReplica(replica, role, spec.container, text, compiled, at, context);
    if (!built) continue;
    replicaSpecs[role] = built.spec;
    if (!primary || role === 'Chief' || role === 'Master' || role === 'Launcher')
      primary = { role, replicas: built.replicas };
  }
  if (!primary) {
    context.unsupported(origin, runAt, `the ${run.kind} defines no replicas`);
    return undefined;
  }

  const runPolicy: Record<string, unknown> = {};
  if (run.cleanPodPolicy) runPolicy.cleanPodPolicy = run.cleanPodPolicy;
  if (run.schedulingPolicy) runPolicy.schedulingPolicy = run.schedulingPolicy;
  const settings = operationSettings(compiled, context);
  const termination = settings.template;
  if (termination.activeDeadlineSeconds !== undefined)
    runPolicy.activeDeadlineSeconds = termination.activeDeadlineSeconds;
  if (termination.retryStrategy?.limit !== undefined) runPolicy.backoffLimit = termination.retryStrategy.limit;
  const extra: Record<string, unknown> = {};
  for (const key of ['enableDynamicWorker', 'successPolicy', 'elasticPolicy', 'slotsPerWorker'] as const)
    if (run[key] !== undefined) extra[key] = run[key];
  if (run.nProcPerNode !== undefined) extra.nprocPerNode = String(run.nProcPerNode);

  const manifest = {
    apiVersion: spec.apiVersion,
    kind: spec.kind,
    metadata: { generateName: `{{workflow.name}}-${toArgoName(compiled.op.name || run.kind, 30)}-` },
    spec: { ...(Object.keys(runPolicy).length ? { runPolicy } : {}), ...extra, [spec.specsKey]: replicaSpecs },
  };
  const { parameters, defaults } = templateInputs([...inputs.values()], contextParams);
  const name = context.addTemplate(
    typeof compiled.component.name === 'string' ? compiled.component.name : compiled.op.name || run.kind,
    {
      ...(parameters.length ? { inputs: { parameters } } : {}),
      ...(Object.keys(settings.annotations).length ? { metadata: { annotations: settings.annotations } } : {}),
      resource: {
        action: 'create',
        setOwnerReference: true,
        successCondition: `status.replicaStatuses.${primary.role}.succeeded = ${primary.replicas}`,
        failureCondition: `status.replicaStatuses.${primary.role}.failed > 0`,
        manifest: stringify(manifest, { lineWidth: 0, version: '1.1' }),
      },
      ...(settings.template.synchronization ? { synchronization: settings.template.synchronization } : {}),
    },
  );
  return { name, inputs: parameters.map((p) => p.name), defaults, daemon: false };
}

function buildReplica(
  replica: Replica,
  role: string,
  containerName: string,
  text: TemplateText,
  compiled: CompiledOperation,
  at: Path,
  context: LowerContext,
): { spec: Record<string, unknown>; replicas: number } | undefined {
  const origin = compiled.op.component!;
  if (typeof replica.replicas === 'string') {
    context.unsupported(origin, [...at, 'replicas'], 'a templated `replicas` cannot be resolved before the run');
    return undefined;
  }
  if (replica.init !== undefined)
    context.unsupported(
      origin,
      [...at, 'init'],
      `\`init\` on ${role} replicas is not mapped`,
      'add an init container to the replica through `sidecars` or prepare the data in a previous operation',
    );
  if (typeof replica.container !== 'object') {
    context.unsupported(origin, [...at, 'container'], `the ${role} replica has no container`);
    return undefined;
  }
  const translate = (value: string, path: Path, delivery: Delivery): string => {
    const result = text.translate(value, delivery);
    if (typeof result === 'string') return result;
    context.report(origin, path, 'untranslatable-template', result.error, {
      anchor: 'value',
      ...(result.hint ? { hint: result.hint } : {}),
    });
    return value;
  };
  const container: Record<string, unknown> = { ...replica.container, name: replica.container.name ?? containerName };
  for (const key of ['image', 'workingDir'] as const)
    if (typeof container[key] === 'string')
      container[key] = translate(container[key] as string, [...at, 'container', key], 'verbatim');
  for (const key of ['command', 'args'] as const)
    if (Array.isArray(container[key]))
      container[key] = (container[key] as string[]).map((item, i) =>
        translate(item, [...at, 'container', key, i], 'argv'),
      );
  if (!container.image)
    context.unsupported(
      origin,
      [...at, 'container'],
      `the ${role} container has no \`image\``,
      'set `container.image`',
    );

  const attached = attachConnections(
    Array.isArray(replica.connections) ? replica.connections : [],
    origin,
    [...at, 'connections'],
    context,
  );
  const volumes = [...(Array.isArray(replica.volumes) ? replica.volumes : []), ...attached.volumes];
  const ownEnv = (container.env as { name: string; value?: string }[] | undefined) ?? [];
  const env = [
    ...ownEnv.map((e, i) =>
      e.value !== undefined ? { ...e, value: translate(e.value, [...at, 'container', 'env', i, 'value'], 'argv') } : e,
    ),
    ...attached.env,
  ];
  const envFrom = [...((container.envFrom as unknown[]) ?? []), ...attached.envFrom];
  const mounts = [...((container.volumeMounts as unknown[]) ?? []), ...attached.volumeMounts];
  if (env.length) container.env = env;
  if (envFrom.length) container.envFrom = envFrom;
  if (mounts.length) container.volumeMounts = mounts;

  const environment = typeof replica.environment === 'object' ? replica.environment : undefined;
  if (typeof replica.environment === 'string')
    context.unsupported(origin, [...at, 'environment'], 'a templated `environment` cannot be resolved before the run');
  else if (JSON.stringify(replica.environment ?? {}).includes('{{'))
    context.unsupported(
      origin,
      [...at, 'environment'],
      UNTRANSLATED_ENVIRONMENT,
      'write the values out; pass run-time values to the container through params',
    );
  const { labels, annotations, restartPolicy, imagePullSecrets, ...podFields } = environment ?? {};
  const podSpec: Record<string, unknown> = {
    containers: [container, ...(Array.isArray(replica.sidecars) ? replica.sidecars : [])],
    ...(volumes.length ? { volumes } : {}),
    ...podFields,
    ...(imagePullSecrets?.length ? { imagePullSecrets: imagePullSecrets.map((name) => ({ name })) } : {}),
  };
  const replicas = replica.replicas ?? 1;
  return {
    replicas,
    spec: {
      replicas,
      restartPolicy: restartPolicy ?? 'Never',
      template: {
        // The workflow label lets Argo collect the logs of the job's pods.
        metadata: {
          labels: { ...labels, 'workflows.argoproj.io/workflow': '{{workflow.name}}' },
          ...(annotations ? { annotations } : {}),
        },
        spec: podSpec,
      },
    },
  };
}
