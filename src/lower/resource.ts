import { stringify } from 'yaml';
import { isLiteral, render, renderExpression, type ArgoText, type Delivery } from '../argo/text.js';
import type { BoundContainer, ResourceTemplate } from '../model/pipeline.js';
import type { Template } from '../argo/types.js';
import { computedArgv } from './argv.js';
import { lowerContainer, type ArgoContainer } from './container.js';
import { inputParameters } from './templates.js';

/** A text in a manifest, written once the whole manifest is: see `writeManifest`. */
export class ManifestText {
  constructor(
    readonly text: ArgoText,
    readonly delivery: Delivery,
  ) {}
}

/** A value of a manifest computed while the run goes: an expression yielding JSON (a YAML flow collection). */
export class ManifestExpression {
  constructor(readonly source: string) {}
}

/** A Kubeflow job's manifest as an object, and the containers in it (for the brace variable). */
export interface Manifest {
  object: Record<string, unknown>;
  containers: ArgoContainer[];
}

/**
 * A resource template → the Argo template that creates the Kubeflow job and waits on its
 * primary replicas. The manifest is returned as an object: it is written as text last.
 */
export function lowerResource(template: ResourceTemplate): {
  body: Pick<Template, 'inputs' | 'resource'>;
  manifest: Manifest;
} {
  const write = (text: ArgoText, delivery: Delivery) => new ManifestText(text, delivery);
  const containers: ArgoContainer[] = [];
  const specs: Record<string, unknown> = {};
  for (const replica of template.replicas) {
    const podContainers = replica.containers.map((c) => withArgvWhileRunning(lowerContainer(c, write), c));
    containers.push(...podContainers);
    specs[replica.role] = {
      replicas: replica.replicas,
      restartPolicy: replica.restartPolicy,
      template: {
        // The workflow label lets Argo collect the logs of the job's pods.
        metadata: {
          labels: { ...replica.labels, 'workflows.argoproj.io/workflow': '{{workflow.name}}' },
          ...(Object.keys(replica.annotations).length ? { annotations: replica.annotations } : {}),
        },
        spec: {
          containers: podContainers,
          ...(replica.volumes.length ? { volumes: replica.volumes } : {}),
          ...replica.pod,
        },
      },
    };
  }
  const object = {
    apiVersion: template.apiVersion,
    kind: template.resourceKind,
    metadata: { generateName: `{{workflow.name}}-${template.jobName}-` },
    spec: {
      ...(Object.keys(template.runPolicy).length ? { runPolicy: template.runPolicy } : {}),
      ...template.extra,
      [template.specsKey]: specs,
    },
  };
  const { role, replicas } = template.primary;
  return {
    body: {
      inputs: inputParameters(template.inputs),
      resource: {
        action: 'create',
        setOwnerReference: true,
        successCondition: `status.replicaStatuses.${role}.succeeded = ${replicas}`,
        failureCondition: `status.replicaStatuses.${role}.failed > 0`,
        manifest: '',
      },
    },
    manifest: { object, containers },
  };
}

/** A replica's container, its command and args computed while the run goes where an item may come out empty. */
function withArgvWhileRunning(container: ArgoContainer, bound: BoundContainer): ArgoContainer {
  const { command, args } = computedArgv(bound);
  return {
    ...container,
    ...(command ? { command: new ManifestExpression(command) } : {}),
    ...(args ? { args: new ManifestExpression(args) } : {}),
  };
}

/**
 * The manifest as YAML text. Argo substitutes parameters into the manifest's text before reading
 * it, so a value pasted as it is could end a string or add fields (`#`, a quote, a newline). So
 * each text holding a value is written as a double-quoted scalar whose content an expression
 * computes: the whole string, JSON-escaped (JSON's escapes are YAML's), once it is known.
 */
export function writeManifest(object: unknown): string {
  const leaves: string[] = [];
  const text = JSON.stringify(object) ?? '';
  let marker = 'polyaxon-argo-text';
  while (text.includes(marker)) marker += '-';
  const withMarkers = (node: unknown): unknown => {
    if (node instanceof ManifestText) {
      if (isLiteral(node.text)) return render(node.text, node.delivery);
      leaves.push(
        `"{{=sprig.trimSuffix(${QUOTE}, sprig.trimPrefix(${QUOTE}, sprig.toJson(${renderExpression(node.text, node.delivery)})))}}"`,
      );
      return `${marker}-${leaves.length - 1}`;
    }
    if (node instanceof ManifestExpression) {
      leaves.push(`{{=${node.source}}}`);
      return `${marker}-${leaves.length - 1}`;
    }
    if (Array.isArray(node)) return node.map(withMarkers);
    if (node !== null && typeof node === 'object' && !(node instanceof Date))
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withMarkers(value)]));
    return node;
  };
  const yaml = stringify(withMarkers(object), { lineWidth: 0, version: '1.1' });
  return yaml.replace(new RegExp(`${marker}-(\\d+)`, 'g'), (_, index: string) => leaves[Number(index)] ?? '');
}

/** A double quote in expr-lang, spelled so the manifest's YAML needs no escaping around it. */
const QUOTE = "'\\u0022'";
