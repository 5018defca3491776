import { ARGO_CONTAINERS, INIT_CONTAINER_PREFIX, RESERVED_ENV } from '../../argo/contract.js';
import type { ArgoText, Delivery } from '../../argo/text.js';
import type { Checked } from '../../model/checked.js';
import type { BoundContainer, BoundEnvVar } from '../../model/pipeline.js';
import type { Path } from '../../parse/source.js';
import type { Container } from '../../schema/k8s.js';
import type { BindContext, Origin } from './context.js';
import { checkPlain } from './plain.js';
import { checkPorts, checkResources, dnsLabelProblem } from './kubernetes.js';
import type { RenderForm, TextScope } from './text.js';

/** Where a container's translated fields go (see Delivery). */
const DELIVERY = { image: 'plain', workingDir: 'plain', command: 'argv', args: 'argv' } as const satisfies Record<
  string,
  Delivery
>;

/** Fields bound on their own; every other container field is copied, checked. */
const BOUND_FIELDS = new Set([
  'name',
  'image',
  'workingDir',
  'command',
  'args',
  'env',
  'envFrom',
  'volumeMounts',
  'ports',
]);

/** `replica`: a Kubeflow replica's main container, named by the replica's role. */
export type ContainerRole = 'main' | 'sidecar' | 'init' | 'replica';

/**
 * A container of the file (a job's main container, a sidecar, an init item's `container`) →
 * its bound form: Jinja in image, command, args, env values and workingDir translated (each
 * checked for where it goes), everything else copied after checking it holds no template.
 * Undefined when something in it was refused (each problem is reported at its place).
 */
export function bindContainer(
  container: Container,
  role: ContainerRole,
  scope: TextScope,
  context: BindContext,
  origin: Origin,
  at: Path,
): BoundContainer | undefined {
  const mark = context.mark();
  const text = (value: string, path: Path, delivery: Delivery, form?: RenderForm): ArgoText | undefined => {
    const translated = scope.translate(value, form);
    if ('error' in translated) {
      context.report(origin, path, 'untranslatable-template', translated.error, {
        anchor: 'value',
        ...(translated.hint ? { hint: translated.hint } : {}),
      });
      return undefined;
    }
    return context.encodable(translated, delivery, origin, path);
  };
  // Polyaxon drops the items of command and args that are empty (sanitize_container_command_args):
  // those empty in the file here, those that come out empty while the run goes when lowering.
  const list = (values: readonly string[] | undefined, field: 'command' | 'args') =>
    values
      ?.map((item, i) => text(item, [...at, field, i], DELIVERY[field]))
      .filter((t): t is ArgoText => t !== undefined && t.segments.length > 0);

  const name = container.name;
  const nameProblem = name !== undefined && role !== 'main' ? dnsLabelProblem(name) : undefined;
  if (nameProblem)
    context.report(origin, [...at, 'name'], 'invalid-name', `container name \`${name}\` is not valid: ${nameProblem}`, {
      anchor: 'value',
    });
  if (role === 'sidecar') {
    if (!name)
      context.report(origin, at, 'unnamed-sidecar', 'Argo needs a `name` for every sidecar', {
        hint: 'add `name:` to the sidecar',
      });
    else if (ARGO_CONTAINERS.has(name) || name.startsWith(INIT_CONTAINER_PREFIX))
      context.report(
        origin,
        [...at, 'name'],
        'reserved-container-name',
        `\`${name}\` is a name Argo or the transpiler uses for its own containers`,
        {
          anchor: 'value',
          hint: `rename the sidecar (not \`main\`, \`wait\`, \`init\` or \`${INIT_CONTAINER_PREFIX}…\`)`,
        },
      );
  }

  const env: BoundEnvVar[] = [];
  (container.env ?? []).forEach((variable, i) => {
    const path = [...at, 'env', i];
    if (RESERVED_ENV.has(variable.name))
      context.report(
        origin,
        [...path, 'name'],
        'reserved-name',
        `\`${variable.name}\` is a variable the transpiler defines in every container`,
        {
          anchor: 'value',
          hint: 'use another name',
        },
      );
    if (variable.value !== undefined) {
      // Polyaxon writes values into env vars as JSON (`true`), into command lines as Python (`True`).
      const value = text(variable.value, [...path, 'value'], 'argv', 'json');
      if (value) env.push({ name: variable.name, value });
    } else if (variable.valueFrom !== undefined) {
      const valueFrom = checkPlain(variable.valueFrom, context, origin, [...path, 'valueFrom'], '`env[].valueFrom`');
      if (valueFrom) env.push({ name: variable.name, valueFrom });
    }
  });

  const other: BoundContainer['other'] = {};
  for (const [key, value] of Object.entries(container)) {
    if (BOUND_FIELDS.has(key) || value === undefined) continue;
    const checked = checkPlain(value, context, origin, [...at, key], `\`container.${key}\``);
    if (checked === undefined) continue;
    other[key] = checked as Checked | string | number | boolean;
  }
  if (container.resources) checkResources(container.resources, context, origin, [...at, 'resources']);
  if (container.ports) checkPorts(container.ports, context, origin, [...at, 'ports']);

  const bound: BoundContainer = {
    ...(role !== 'main' && name ? { name } : {}),
    env,
    envFrom: checkList(container.envFrom, context, origin, [...at, 'envFrom'], '`envFrom`'),
    volumeMounts: checkList(container.volumeMounts, context, origin, [...at, 'volumeMounts'], '`volumeMounts`'),
    ports: checkList(container.ports, context, origin, [...at, 'ports'], '`ports`'),
    other,
  };
  if (container.image !== undefined) {
    const image = text(container.image, [...at, 'image'], 'plain');
    if (image) bound.image = image;
  }
  if (container.workingDir !== undefined) {
    const workingDir = text(container.workingDir, [...at, 'workingDir'], 'plain');
    if (workingDir) bound.workingDir = workingDir;
  }
  const command = list(container.command, 'command');
  if (command) bound.command = command;
  const args = list(container.args, 'args');
  if (args) bound.args = args;
  return context.refusedSince(mark) ? undefined : bound;
}

function checkList(
  values: readonly unknown[] | undefined,
  context: BindContext,
  origin: Origin,
  at: Path,
  what: string,
): Checked[] {
  const out: Checked[] = [];
  (values ?? []).forEach((value, i) => {
    const checked = checkPlain(value, context, origin, [...at, i], what);
    if (checked) out.push(checked);
  });
  return out;
}
