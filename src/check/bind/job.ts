import {
  CONTEXT_PATH,
  CONTEXT_VOLUME,
  DEADLINE_INPUT,
  NAME_INPUT,
  NODE_ID_ANNOTATION,
  OUTPUTS_VOLUME,
  RUN_OUTPUTS_PATH,
  UUID_VARIABLE,
} from '../../argo/contract.js';
import { expression, expressionOf, type ArgoText } from '../../argo/text.js';
import type { BoundContainer, BoundEnvVar, ContainerTemplate, NamedContainer } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { Container, Volume } from '../../schema/k8s.js';
import type { Init } from '../../schema/init.js';
import { attachConnections, renderConnectionNames } from './connections.js';
import type { CompiledOperation } from './compile.js';
import { bindContainer } from './container.js';
import type { BindContext } from './context.js';
import { bindEnvironment } from './environment.js';
import { bindInit } from './init.js';
import { parameterText, templateInputs } from './inputs.js';
import { checkPorts, isPortNumber } from './kubernetes.js';
import { built } from './plain.js';
import { bindSettings } from './settings.js';
import { inputText, TextScope } from './text.js';
import { checkVolumes } from './volumes.js';

/** The fields of a job-like run (job, service, notifier, cleaner, tuner). */
interface JobRun {
  kind: string;
  environment?: unknown;
  connections?: string[] | string;
  volumes?: Volume[] | string;
  init?: Init[] | string;
  sidecars?: Container[] | string;
  container?: Container | string;
  ports?: number[] | string;
  replicas?: unknown;
  rewritePath?: unknown;
  isExternal?: unknown;
}

/**
 * A job-like operation → a container template. Inputs and context-only params become input
 * parameters; outputs become output parameters read from `<run_outputs_path>/NAME`.
 */
export function bindJob(
  compiled: CompiledOperation,
  contextParams: readonly string[],
  context: BindContext,
  /** Under a dag's deadline: see TemplateRole. */
  deadline = false,
): ContainerTemplate | undefined {
  const mark = context.mark();
  const { component, op } = compiled;
  const origin = compiled.resolved;
  const runAt: Path = [...origin.path, 'run'];
  const run: JobRun = compiled.run;
  const inputs = new Map((component.inputs ?? []).map((io) => [io.name, io]));
  const outputs = component.outputs ?? [];

  for (const field of ['connections', 'volumes', 'init', 'sidecars', 'container'] as const) {
    if (typeof run[field] === 'string') context.templated(origin, [...runAt, field], `run.${field}`);
  }
  if (typeof run.container !== 'object') {
    if (run.container === undefined)
      context.unsupported(
        origin,
        runAt,
        `operation \`${op.name}\` runs a ${run.kind} without a \`container\``,
        'add `run.container` with an `image`',
      );
    return undefined;
  }
  if (!run.container.image)
    context.unsupported(
      origin,
      [...runAt, 'container'],
      'the container has no `image`; Argo needs one (Polyaxon `build` sections are not supported)',
      'set `run.container.image`',
    );

  const connections = renderConnectionNames(
    Array.isArray(run.connections) ? run.connections : [],
    compiled,
    context,
    origin,
    [...runAt, 'connections'],
  );
  const scope = new TextScope({
    inputs,
    contextParams: new Set(contextParams),
    outputs: new Set(outputs.map((o) => o.name)),
    connections: context.options.connections,
    attachedConnections: connections,
    projectGlobal: context.projectGlobal,
  });
  const main = bindContainer(run.container, 'main', scope, context, origin, [...runAt, 'container']);
  const pod = bindEnvironment(compiled.environment, context, origin, [...runAt, 'environment']);
  const settings = bindSettings(compiled, context);
  const attached = attachConnections(connections, context, origin, [...runAt, 'connections']);
  const initContainers = bindInit(Array.isArray(run.init) ? run.init : [], compiled, scope, context);
  const sidecars = (Array.isArray(run.sidecars) ? run.sidecars : []).map((sidecar, i) =>
    bindContainer(sidecar, 'sidecar', scope, context, origin, [...runAt, 'sidecars', i]),
  );
  const ownVolumes = Array.isArray(run.volumes)
    ? checkVolumes(run.volumes, context, origin, [...runAt, 'volumes'])
    : [];
  const isService = run.kind === 'service';
  if (isService) {
    if (Array.isArray(run.ports))
      checkPorts(
        run.ports.map((containerPort) => ({ containerPort })),
        context,
        origin,
        [...runAt, 'ports'],
      );
    else if (typeof run.ports === 'string') context.templated(origin, [...runAt, 'ports'], 'ports');
    for (const field of ['replicas', 'rewritePath', 'isExternal'] as const) {
      if (run[field] !== undefined)
        context.unsupported(
          origin,
          [...runAt, field],
          `service \`${field}\` has no Argo equivalent: a daemoned step is one pod, reached through its pod IP`,
        );
    }
  }
  const parameters = templateInputs([...inputs.values()], contextParams, scope, context, origin, [
    ...origin.path,
    'inputs',
  ]);
  if (scope.usesName) parameters.push({ name: NAME_INPUT });
  if (deadline) parameters.push({ name: DEADLINE_INPUT });
  if (
    !main ||
    !pod ||
    !settings ||
    !initContainers ||
    !ownVolumes ||
    sidecars.some((s) => s === undefined) ||
    context.refusedSince(mark)
  )
    return undefined;

  // toEnv: the value of an input as an environment variable (spec §5.9); a param's toEnv wins.
  const env = [...main.env];
  for (const io of inputs.values()) {
    const variable = op.params.get(io.name)?.param.toEnv ?? io.toEnv;
    if (variable) env.push({ name: variable, value: inputText(io, 'json') });
  }
  env.push(...settings.plugins.env, ...attached.env);
  const volumes = [...ownVolumes, ...settings.plugins.volumes, ...attached.volumes];
  const volumeMounts = [...main.volumeMounts, ...settings.plugins.volumeMounts, ...attached.volumeMounts];
  if (initContainers.length) scope.usesContextPath = true;
  if (outputs.length || scope.usesOutputsPath) {
    volumes.push(built({ name: OUTPUTS_VOLUME, emptyDir: {} }));
    volumeMounts.push(built({ name: OUTPUTS_VOLUME, mountPath: RUN_OUTPUTS_PATH }));
  }
  if (scope.usesContextPath) {
    volumes.push(built({ name: CONTEXT_VOLUME, emptyDir: {} }));
    volumeMounts.push(built({ name: CONTEXT_VOLUME, mountPath: CONTEXT_PATH }));
  }
  const ports =
    isService && Array.isArray(run.ports) && run.ports.every(isPortNumber)
      ? [...main.ports, ...run.ports.map((containerPort) => built({ containerPort }))]
      : main.ports;

  // The uuid, read from the pod's node-id annotation, first in every container that may use it.
  const uuid: BoundEnvVar[] = scope.usesUuid
    ? [
        {
          name: UUID_VARIABLE,
          valueFrom: built({ fieldRef: { fieldPath: `metadata.annotations['${NODE_ID_ANNOTATION}']` } }),
        },
      ]
    : [];
  const withUuid = <C extends BoundContainer>(c: C): C => (uuid.length ? { ...c, env: [...uuid, ...c.env] } : c);
  return {
    kind: 'container',
    preferredName: typeof component.name === 'string' ? component.name : op.name || 'job',
    inputs: parameters,
    outputs: outputs.map((io) => ({
      name: io.name,
      ...('value' in io || io.isOptional === true ? { default: parameterText(io.value, io.type) } : {}),
    })),
    daemon: isService,
    settings: {
      ...pod,
      ...settings.settings,
      ...(deadline ? { activeDeadlineSeconds: remainingTime(settings.settings.activeDeadlineSeconds) } : {}),
      labels: { ...pod.labels, ...settings.settings.labels },
      annotations: { ...pod.annotations, ...settings.settings.annotations },
    },
    container: withUuid({ ...main, env, envFrom: [...main.envFrom, ...attached.envFrom], volumeMounts, ports }),
    initContainers: initContainers.map(withUuid),
    // A sidecar without a name was refused above (unnamed-sidecar).
    sidecars: sidecars.filter((s): s is NamedContainer => s?.name !== undefined).map(withUuid),
    volumes,
  };
}

/** The seconds a pod may run under a dag's deadline: what is left of it, or its own timeout if shorter. */
function remainingTime(own: number | ArgoText | undefined): ArgoText {
  const left = `asInt(${expressionOf(`inputs.parameters.${DEADLINE_INPUT}`)}) - now().Unix()`;
  return expression(typeof own === 'number' ? `min(${own}, ${left})` : left);
}
