import type { Parameter, Template } from '../argo/types.js';
import type { Path } from '../parse/source.js';
import type { Container } from '../schema/k8s.js';
import type { Init } from '../schema/init.js';
import type { Job } from '../schema/runtime.js';
import { attachConnections } from './connections.js';
import type { CompiledOperation } from './compile.js';
import type { LowerContext } from './context.js';
import { environmentToTemplate } from './environment.js';
import { hasJinja } from './jinja.js';
import { operationSettings } from './settings.js';
import { CONTEXT_PATH, CONTEXT_VOLUME, OUTPUTS_VOLUME, RUN_OUTPUTS_PATH } from './runtime-paths.js';
import { parameter, TemplateText, type Delivery } from './template-text.js';
import { templateInputs } from './template-inputs.js';
import { toParameterString } from './values.js';

/** What a task needs to know about the template it runs. */
export interface LoweredTemplate {
  name: string;
  /** Input parameter names, in order. */
  inputs: string[];
  /** Defaults of the inputs that have one (a task may leave those out). */
  defaults: Map<string, string>;
  daemon: boolean;
}

/** Fields with templates translated, and how literal text reaches each (see Delivery). */
const TRANSLATED_FIELDS: Readonly<Record<string, Delivery>> = {
  image: 'verbatim',
  command: 'argv',
  args: 'argv',
  workingDir: 'verbatim',
};

/**
 * A job-like operation (job, service, notifier, cleaner, tuner) → a container template.
 * Inputs and context-only params become input parameters; outputs become output parameters
 * read from `<run_outputs_path>/NAME`.
 */
export function lowerJob(
  compiled: CompiledOperation,
  contextParams: readonly string[],
  context: LowerContext,
): LoweredTemplate | undefined {
  const { component, op } = compiled;
  const origin = op.component!;
  const runAt: Path = [...origin.path, 'run'];
  const run = compiled.run as Omit<Job, 'kind'> & {
    kind: string;
    ports?: unknown;
    replicas?: unknown;
    rewritePath?: unknown;
    isExternal?: unknown;
  };
  const inputs = new Map((component.inputs ?? []).map((io) => [io.name, io]));
  const outputs = component.outputs ?? [];

  for (const field of ['environment', 'connections', 'volumes', 'init', 'sidecars', 'container'] as const) {
    if (typeof run[field] === 'string')
      context.unsupported(
        origin,
        [...runAt, field],
        `a templated \`run.${field}\` cannot be resolved before the run`,
        `write \`${field}\` out in the file`,
      );
  }
  const container = typeof run.container === 'object' ? run.container : undefined;
  if (!container) {
    context.unsupported(
      origin,
      runAt,
      `operation \`${op.name}\` runs a ${run.kind} without a \`container\``,
      'add `run.container` with an `image`',
    );
    return undefined;
  }
  if (!container.image) {
    context.unsupported(
      origin,
      [...runAt, 'container'],
      'the container has no `image`; Argo needs one (Polyaxon `build` sections are not supported)',
      'set `run.container.image`',
    );
  }

  const connections = Array.isArray(run.connections) ? run.connections : [];
  const text = new TemplateText(
    inputs,
    new Set(contextParams),
    new Set(outputs.map((o) => o.name)),
    context.options.connections,
    connections,
  );
  const translate = (value: string, at: Path, delivery: Delivery = 'argv'): string => {
    const result = text.translate(value, delivery);
    if (typeof result === 'string') return result;
    context.report(origin, at, 'untranslatable-template', result.error, {
      anchor: 'value',
      ...(result.hint ? { hint: result.hint } : {}),
    });
    return value;
  };

  const main: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(container)) {
    if (key === 'name') continue; // Argo names the main container itself.
    const delivery = TRANSLATED_FIELDS[key];
    if (delivery) {
      main[key] = Array.isArray(value)
        ? value.map((item, i) => translate(String(item), [...runAt, 'container', key, i], delivery))
        : translate(value as string, [...runAt, 'container', key], delivery);
    } else if (key === 'env') {
      main.env = (value as NonNullable<Container['env']>).map((env, i) =>
        env.value !== undefined
          ? { ...env, value: translate(env.value, [...runAt, 'container', 'env', i, 'value']) }
          : env,
      );
    } else {
      if (hasJinja(JSON.stringify(value)))
        context.unsupported(
          origin,
          [...runAt, 'container', key],
          `templates in \`container.${key}\` are not translated`,
          'use templates only in image, command, args, env values and workingDir',
        );
      main[key] = value;
    }
  }

  // toEnv: the value of an input as an environment variable (spec §5.9); a param's toEnv wins.
  const env = [...((main.env as unknown[]) ?? [])];
  for (const io of inputs.values()) {
    const variable = op.params.get(io.name)?.param.toEnv ?? io.toEnv;
    if (variable) env.push({ name: variable, value: parameter(io.name) });
  }
  const settings = operationSettings(compiled, context);
  env.push(...settings.env);

  const volumes: Record<string, unknown>[] = Array.isArray(run.volumes) ? [...run.volumes] : [];
  if (hasJinja(JSON.stringify(volumes)))
    context.unsupported(
      origin,
      [...runAt, 'volumes'],
      'templates in `volumes` are not translated, and Argo would evaluate them as its own',
    );
  const volumeMounts = [...((main.volumeMounts as unknown[]) ?? []), ...settings.volumeMounts];
  volumes.push(...settings.volumes);
  const attached = attachConnections(connections, origin, [...runAt, 'connections'], context);
  env.push(...attached.env);
  volumes.push(...attached.volumes);
  volumeMounts.push(...attached.volumeMounts);
  const envFrom = [...((main.envFrom as unknown[]) ?? []), ...attached.envFrom];

  const initContainers = lowerInit(Array.isArray(run.init) ? run.init : [], compiled, context, translate);
  if (initContainers.length) text.usesContextPath = true;
  if (outputs.length || text.usesOutputsPath) {
    volumes.push({ name: OUTPUTS_VOLUME, emptyDir: {} });
    volumeMounts.push({ name: OUTPUTS_VOLUME, mountPath: RUN_OUTPUTS_PATH });
  }
  if (text.usesContextPath) {
    volumes.push({ name: CONTEXT_VOLUME, emptyDir: {} });
    volumeMounts.push({ name: CONTEXT_VOLUME, mountPath: CONTEXT_PATH });
  }
  if (env.length) main.env = env;
  if (envFrom.length) main.envFrom = envFrom;
  if (volumeMounts.length) main.volumeMounts = volumeMounts;

  const isService = run.kind === 'service';
  if (isService) {
    if (Array.isArray(run.ports))
      main.ports = [...((main.ports as unknown[]) ?? []), ...run.ports.map((port) => ({ containerPort: port }))];
    for (const field of ['replicas', 'rewritePath', 'isExternal'] as const) {
      if (run[field] !== undefined)
        context.unsupported(
          origin,
          [...runAt, field],
          `service \`${field}\` has no Argo equivalent: a daemoned step is one pod, reached through its pod IP`,
        );
    }
  }

  const { parameters: inputParameters, defaults } = templateInputs([...inputs.values()], contextParams);

  const body: Omit<Template, 'name'> = {
    ...(inputParameters.length ? { inputs: { parameters: inputParameters } } : {}),
    ...(outputs.length
      ? {
          outputs: {
            parameters: outputs.map((io) =>
              outputParameter(
                io.name,
                'value' in io || io.isOptional === true ? toParameterString(io.value) : undefined,
              ),
            ),
          },
        }
      : {}),
    ...withMetadata(
      environmentToTemplate(compiled.environment, origin, [...runAt, 'environment'], context),
      settings.labels,
      settings.annotations,
    ),
    ...(isService ? { daemon: true } : {}),
    container: main,
    ...(initContainers.length ? { initContainers } : {}),
    ...(Array.isArray(run.sidecars) && run.sidecars.length
      ? { sidecars: lowerSidecars(run.sidecars, origin, runAt, context) }
      : {}),
    ...(volumes.length ? { volumes } : {}),
    ...settings.template,
  };
  const name = context.addTemplate(
    typeof component.name === 'string' ? component.name : op.name || 'job',
    sortTemplate(body),
  );
  return { name, inputs: inputParameters.map((p) => p.name), defaults, daemon: isService };
}

/** Adds pod labels and annotations to the template metadata the environment produced. */
export function withMetadata(
  template: Partial<Template>,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): Partial<Template> {
  if (!Object.keys(labels).length && !Object.keys(annotations).length) return template;
  const metadata = { ...template.metadata };
  if (Object.keys(labels).length) metadata.labels = { ...metadata.labels, ...labels };
  if (Object.keys(annotations).length) metadata.annotations = { ...metadata.annotations, ...annotations };
  return { ...template, metadata };
}

const outputParameter = (name: string, fallback: string | undefined): Parameter => ({
  name,
  valueFrom: { path: `${RUN_OUTPUTS_PATH}/${name}`, ...(fallback !== undefined ? { default: fallback } : {}) },
});

function lowerSidecars(
  sidecars: Container[],
  origin: { source: CompiledOperation['op']['source'] },
  runAt: Path,
  context: LowerContext,
): Record<string, unknown>[] {
  return sidecars.map((sidecar, index) => {
    if (!sidecar.name)
      context.report(
        origin,
        [...runAt, 'sidecars', index],
        'unnamed-sidecar',
        'Argo needs a `name` for every sidecar',
        { hint: 'add `name:` to the sidecar' },
      );
    if (['main', 'wait', 'init'].includes(sidecar.name ?? ''))
      context.report(
        origin,
        [...runAt, 'sidecars', index, 'name'],
        'reserved-container-name',
        `\`${sidecar.name}\` is reserved by Argo for its own containers`,
        { anchor: 'value', hint: 'rename the sidecar' },
      );
    if (hasJinja(JSON.stringify(sidecar)))
      context.unsupported(origin, [...runAt, 'sidecars', index], 'templates in sidecars are not translated');
    return { ...sidecar };
  });
}

/** Init items Argo can run as init containers: git clones, files, Dockerfiles, custom containers. */
function lowerInit(
  items: Init[],
  compiled: CompiledOperation,
  context: LowerContext,
  translate: (value: string, at: Path, delivery: Delivery) => string,
): Record<string, unknown>[] {
  const origin = compiled.op.component!;
  const at = (index: number, field?: string): Path => [...origin.path, 'run', 'init', index, ...(field ? [field] : [])];
  const mount = { name: CONTEXT_VOLUME, mountPath: CONTEXT_PATH };
  return items.flatMap((item, index) => {
    const target = (fallback: string) => item.path ?? `${CONTEXT_PATH}/artifacts/${fallback}`;
    const custom = (item.container ?? {}) as Record<string, unknown>;
    const base = (name: string, image: string, args: string[]) => ({
      name: `init-${index}-${name}`.slice(0, 63),
      image,
      command: ['sh', '-c'],
      args,
      ...custom,
      volumeMounts: [mount, ...((custom.volumeMounts as unknown[]) ?? [])],
    });
    if (item.git) {
      const url =
        item.git.url ??
        (item.connection ? String(context.options.connections?.byName.get(item.connection)?.schema?.url ?? '') : '');
      if (!url) {
        context.report(
          origin,
          at(index, 'git'),
          'unknown-connection',
          `git init needs a URL: connection \`${item.connection}\` is not in the connections catalog or has no \`schema.url\``,
          { hint: 'pass `--connections FILE` with the connection and its `schema: {url: …}`' },
        );
        return [];
      }
      const revision = item.git.revision ? ` && git -C "$TARGET" checkout ${shellQuote(item.git.revision)}` : '';
      const flags = (item.git.flags ?? []).map(shellQuote).join(' ');
      return [
        base('git', 'alpine/git:2.45.2', [
          `TARGET=${shellQuote(target(repoName(url)))} && git clone ${flags ? `${flags} ` : ''}${shellQuote(url)} "$TARGET"${revision}`,
        ]),
      ];
    }
    if (item.file) {
      const file = `${target('')}${target('').endsWith('/') ? '' : '/'}${item.file.filename ?? 'file'}`;
      const content = translate(item.file.content, at(index, 'file'), 'file');
      return [
        base('file', 'busybox:1.36', [
          `mkdir -p "$(dirname ${shellQuote(file)})" && printf '%s' ${shellQuote(content)} > ${shellQuote(file)}${item.file.chmod ? ` && chmod ${shellQuote(item.file.chmod)} ${shellQuote(file)}` : ''}`,
        ]),
      ];
    }
    if (item.dockerfile) {
      const d = item.dockerfile;
      const lines = [
        `FROM ${d.image}`,
        ...(d.workdir ? [`WORKDIR ${d.workdir}`] : []),
        ...(d.run ?? []).map((r) => `RUN ${r}`),
      ];
      const file = `${target('dockerfile')}/${d.filename ?? 'Dockerfile'}`;
      return [
        base('dockerfile', 'busybox:1.36', [
          `mkdir -p "$(dirname ${shellQuote(file)})" && printf '%s\\n' ${lines.map(shellQuote).join(' ')} > ${shellQuote(file)}`,
        ]),
      ];
    }
    if (
      item.container &&
      !['artifacts', 'paths', 'tensorboard', 'lineageRef', 'modelRef', 'artifactRef'].some(
        (k) => item[k as keyof Init] !== undefined,
      )
    ) {
      return [
        { name: `init-${index}`, ...custom, volumeMounts: [mount, ...((custom.volumeMounts as unknown[]) ?? [])] },
      ];
    }
    const handler =
      ['artifacts', 'paths', 'tensorboard', 'lineageRef', 'modelRef', 'artifactRef', 'connection'].find(
        (k) => item[k as keyof Init] !== undefined,
      ) ?? 'init';
    context.unsupported(
      origin,
      at(index, handler),
      `init \`${handler}\` needs Polyaxon's artifacts store, which Argo does not have`,
      'clone or download the data in an init item with a `container:`, or in the job itself',
    );
    return [];
  });
}

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
const repoName = (url: string): string =>
  url
    .replace(/\.git$/, '')
    .split(/[/:]/)
    .filter(Boolean)
    .pop() ?? 'repo';

/** Stable key order for templates (the order of the Template type), whatever order fields were added in. */
const TEMPLATE_ORDER = [
  'inputs',
  'outputs',
  'metadata',
  'daemon',
  'container',
  'initContainers',
  'sidecars',
  'volumes',
  'nodeSelector',
  'affinity',
  'tolerations',
  'serviceAccountName',
  'securityContext',
  'priorityClassName',
  'schedulerName',
  'hostAliases',
  'podSpecPatch',
  'retryStrategy',
  'activeDeadlineSeconds',
  'memoize',
  'synchronization',
];
export function sortTemplate<T extends object>(body: T): T {
  const entries = Object.entries(body).sort(([a], [b]) => order(a) - order(b));
  return Object.fromEntries(entries) as T;
}
const order = (key: string) => {
  const i = TEMPLATE_ORDER.indexOf(key);
  return i === -1 ? TEMPLATE_ORDER.length : i;
};
