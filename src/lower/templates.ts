import { CACHE_CONFIGMAP, QUEUES_CONFIGMAP, RUN_OUTPUTS_PATH } from '../argo/contract.js';
import { NameTable } from '../argo/names.js';
import { render } from '../argo/text.js';
import type { Template } from '../argo/types.js';
import type { BoundTemplate, ContainerTemplate, PodSettings, TemplateInput } from '../model/pipeline.js';
import { argvPatch, podSpecPatch, type ArgvPatch } from './argv.js';
import { lowerContainer } from './container.js';
import { lowerDag, lowerMatrix } from './dag.js';
import { lowerResource, type Manifest } from './resource.js';

type Body = Omit<Template, 'name'>;

/**
 * The workflow's templates as they are lowered: identical bodies (all but the name) are written
 * once and shared, so operations running the same component with the same settings share one
 * template however many there are. A DAG template takes its place before the templates of its
 * tasks, though it is built after them.
 */
export class Templates {
  readonly list: Template[] = [];
  /** Which Polyaxon operation each task of each DAG template runs: `template/task` → operation. */
  readonly operations = new Map<string, string>();
  /** Resource templates' manifests, written last (they need to know about the brace variable). */
  readonly manifests = new Map<Template, Manifest>();
  private readonly names = new NameTable();
  private readonly byContent = new Map<string, string>();
  private readonly byBound = new Map<BoundTemplate, string>();

  /** The name of the template a bound template is written as. */
  lower(bound: BoundTemplate): string {
    const known = this.byBound.get(bound);
    if (known) return known;
    let name: string;
    switch (bound.kind) {
      case 'container':
        name = this.add(bound.preferredName, containerBody(bound));
        break;
      case 'resource': {
        const { body, manifest } = lowerResource(bound);
        name = this.add(bound.preferredName, templateBody(body, bound.settings), manifest);
        break;
      }
      case 'dag': {
        const slot = this.reserve(bound.preferredName);
        slot.fill(lowerDag(bound, this, slot.name));
        name = slot.name;
        break;
      }
      case 'matrix':
        name = this.add(bound.preferredName, lowerMatrix(bound, this));
        break;
    }
    this.byBound.set(bound, name);
    return name;
  }

  add(preferredName: string, body: Body, manifest?: Manifest): string {
    // A resource template's identity is its manifest's too.
    const key = JSON.stringify(manifest ? [body, manifest.object] : body);
    const existing = this.byContent.get(key);
    if (existing) return existing;
    const template: Template = { name: this.names.claim(preferredName), ...body };
    this.byContent.set(key, template.name);
    this.list.push(template);
    if (manifest) this.manifests.set(template, manifest);
    return template.name;
  }

  private reserve(preferredName: string): { name: string; fill(body: Body): void } {
    const template: Template = { name: this.names.claim(preferredName) };
    this.list.push(template);
    return { name: template.name, fill: (body) => Object.assign(template, body) };
  }
}

export function inputParameters(inputs: readonly TemplateInput[]): Body['inputs'] | undefined {
  if (!inputs.length) return undefined;
  return {
    parameters: inputs.map((input) => ({
      name: input.name,
      ...(input.default ? { default: render(input.default, 'argv') } : {}),
      ...(input.description ? { description: render(input.description, 'plain') } : {}),
    })),
  };
}

function containerBody(bound: ContainerTemplate): Body {
  const outputs = bound.outputs.map((output) => ({
    name: output.name,
    valueFrom: {
      path: `${RUN_OUTPUTS_PATH}/${output.name}`,
      ...(output.default ? { default: render(output.default, 'argv') } : {}),
    },
  }));
  return templateBody(
    {
      inputs: inputParameters(bound.inputs),
      ...(outputs.length ? { outputs: { parameters: outputs } } : {}),
      ...(bound.daemon ? { daemon: true } : {}),
      container: lowerContainer(bound.container),
      ...(bound.initContainers.length ? { initContainers: bound.initContainers.map((c) => lowerContainer(c)) } : {}),
      ...(bound.sidecars.length ? { sidecars: bound.sidecars.map((c) => lowerContainer(c)) } : {}),
      ...(bound.volumes.length ? { volumes: bound.volumes } : {}),
    },
    bound.settings,
    [
      argvPatch('main', 'containers', bound.container),
      ...bound.initContainers.map((c) => argvPatch(c.name, 'initContainers', c)),
      ...bound.sidecars.map((c) => argvPatch(c.name, 'containers', c)),
    ].filter((patch) => patch !== undefined),
  );
}

type Parts = Pick<
  Body,
  'inputs' | 'outputs' | 'daemon' | 'container' | 'initContainers' | 'sidecars' | 'volumes' | 'resource'
>;

/** A leaf template: its parts, pod metadata, pod fields and settings, in the order Argo's Template lists them. */
export function templateBody(parts: Parts, settings: Partial<PodSettings>, argv: readonly ArgvPatch[] = []): Body {
  const labels = settings.labels ?? {};
  const annotations = settings.annotations ?? {};
  const patch = podSpecPatch(settings.podSpecPatch, argv);
  return {
    ...(parts.inputs ? { inputs: parts.inputs } : {}),
    ...(parts.outputs ? { outputs: parts.outputs } : {}),
    ...(Object.keys(labels).length || Object.keys(annotations).length
      ? {
          metadata: {
            ...(Object.keys(labels).length ? { labels } : {}),
            ...(Object.keys(annotations).length ? { annotations } : {}),
          },
        }
      : {}),
    ...(parts.daemon ? { daemon: parts.daemon } : {}),
    ...(parts.container ? { container: parts.container } : {}),
    ...(parts.initContainers ? { initContainers: parts.initContainers } : {}),
    ...(parts.sidecars ? { sidecars: parts.sidecars } : {}),
    ...(parts.volumes ? { volumes: parts.volumes } : {}),
    ...(parts.resource ? { resource: parts.resource } : {}),
    ...(settings.nodeSelector ? { nodeSelector: settings.nodeSelector } : {}),
    ...(settings.affinity ? { affinity: settings.affinity } : {}),
    ...(settings.tolerations ? { tolerations: settings.tolerations } : {}),
    ...(settings.serviceAccountName ? { serviceAccountName: settings.serviceAccountName } : {}),
    ...(settings.securityContext ? { securityContext: settings.securityContext } : {}),
    ...(settings.priorityClassName ? { priorityClassName: settings.priorityClassName } : {}),
    ...(settings.schedulerName ? { schedulerName: settings.schedulerName } : {}),
    ...(settings.hostAliases ? { hostAliases: settings.hostAliases } : {}),
    ...(patch ? { podSpecPatch: patch } : {}),
    ...(settings.retries !== undefined
      ? { retryStrategy: { limit: settings.retries, retryPolicy: 'Always' as const } }
      : {}),
    ...(settings.activeDeadlineSeconds !== undefined
      ? {
          activeDeadlineSeconds:
            typeof settings.activeDeadlineSeconds === 'number'
              ? settings.activeDeadlineSeconds
              : render(settings.activeDeadlineSeconds, 'plain'),
        }
      : {}),
    ...(settings.memoize
      ? {
          memoize: {
            key: render(settings.memoize.key, 'plain'),
            ...(settings.memoize.maxAge ? { maxAge: settings.memoize.maxAge } : {}),
            cache: { configMap: { name: CACHE_CONFIGMAP } },
          },
        }
      : {}),
    ...(settings.semaphore
      ? { synchronization: { semaphores: [{ configMapKeyRef: { name: QUEUES_CONFIGMAP, key: settings.semaphore } }] } }
      : {}),
  };
}
