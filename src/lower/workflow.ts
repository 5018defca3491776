import {
  BRACE_VARIABLE,
  DESCRIPTION_ANNOTATION,
  EARLY_STOPPING_ANNOTATION,
  OPERATIONS_ANNOTATION,
  PIPELINE_LABEL,
  POD_TTL_LABEL,
} from '../argo/contract.js';
import { hasEncodedBraces, render } from '../argo/text.js';
import type { CronWorkflow, Manifest, Template, Workflow, WorkflowSpec } from '../argo/types.js';
import type { BoundPipeline } from '../model/pipeline.js';
import type { ArgoContainer } from './container.js';
import { exitHandler } from './dag.js';
import { writeManifest } from './resource.js';
import { Templates } from './templates.js';

/**
 * The bound pipeline → one Argo manifest: a Workflow (or WorkflowTemplate) whose entrypoint runs
 * the top operation, or a CronWorkflow running it on its schedule. A plain mapping: everything
 * was decided while binding.
 */
export function lowerPipeline(pipeline: BoundPipeline): Manifest {
  const templates = new Templates();
  const entrypoint = templates.lower(pipeline.root.template);
  const hooks = exitHandler(pipeline.exitHooks, pipeline.root.name, templates);
  const spec: WorkflowSpec = {
    entrypoint,
    ...(pipeline.arguments.length
      ? {
          arguments: {
            parameters: pipeline.arguments.map(({ name, value }) =>
              value ? { name, value: render(value, 'argv') } : { name },
            ),
          },
        }
      : {}),
    ...(pipeline.volumes.length ? { volumes: pipeline.volumes } : {}),
    ...(pipeline.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: pipeline.activeDeadlineSeconds } : {}),
    ...(pipeline.ttl !== undefined ? { ttlStrategy: { secondsAfterCompletion: pipeline.ttl } } : {}),
    ...(hooks ? { hooks } : {}),
    ...(pipeline.podTtl !== undefined
      ? {
          podGC: {
            strategy: 'OnPodCompletion',
            deleteDelayDuration: `${pipeline.podTtl}s`,
            labelSelector: { matchLabels: { [POD_TTL_LABEL]: String(pipeline.podTtl) } },
          },
        }
      : {}),
    templates: templates.list,
  };
  finishManifests(templates, hasEncodedBraces(JSON.stringify(spec)));

  const { metadata } = pipeline;
  const annotations: Record<string, string> = { ...metadata.annotations };
  if (metadata.description) annotations[DESCRIPTION_ANNOTATION] = metadata.description;
  if (templates.operations.size)
    annotations[OPERATIONS_ANNOTATION] = JSON.stringify(Object.fromEntries(templates.operations));
  if (pipeline.watcherEarlyStopping.length)
    annotations[EARLY_STOPPING_ANNOTATION] = JSON.stringify(pipeline.watcherEarlyStopping);
  const workflow: Workflow = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: pipeline.kind,
    metadata: {
      ...(metadata.name ? { name: metadata.name } : { generateName: metadata.generateName ?? `${metadata.pipeline}-` }),
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      labels: { [PIPELINE_LABEL]: metadata.pipeline },
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec,
  };
  return pipeline.schedule ? cronWorkflow(workflow, pipeline.schedule) : workflow;
}

/**
 * Writes the resource templates' manifests, and, when any text of the workflow encodes a brace,
 * defines the brace variable first in every container (a param value travels to whichever
 * template its task runs, so each container must be able to decode it).
 */
function finishManifests(templates: Templates, bracesInSpec: boolean): void {
  const written = new Map(
    [...templates.manifests].map(([template, manifest]) => [template, writeManifest(manifest.object)]),
  );
  const braces = bracesInSpec || [...written.values()].some(hasEncodedBraces);
  for (const template of templates.list) {
    const manifest = templates.manifests.get(template);
    if (braces) {
      for (const container of containersOf(template)) defineBrace(container);
      manifest?.containers.forEach(defineBrace);
    }
    if (manifest && template.resource)
      template.resource.manifest = braces ? writeManifest(manifest.object) : (written.get(template) ?? '');
  }
}

const containersOf = (template: Template): ArgoContainer[] =>
  [template.container, ...(template.initContainers ?? []), ...(template.sidecars ?? [])].filter(
    (c): c is ArgoContainer => c !== undefined,
  );

function defineBrace(container: ArgoContainer): void {
  container.env = [{ name: BRACE_VARIABLE, value: '{' }, ...(container.env ?? [])];
}

function cronWorkflow(workflow: Workflow, schedule: NonNullable<BoundPipeline['schedule']>): CronWorkflow {
  const { metadata, spec } = workflow;
  const { conditions } = schedule;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: {
      name: metadata.name ?? (metadata.generateName ?? 'pipeline-').replace(/-$/, ''),
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      ...(metadata.labels ? { labels: metadata.labels } : {}),
      ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    },
    spec: {
      schedules: [schedule.cron],
      timezone: 'UTC',
      concurrencyPolicy: schedule.concurrencyPolicy,
      ...(schedule.maxRuns !== undefined
        ? { stopStrategy: { expression: `cronworkflow.succeeded + cronworkflow.failed >= ${schedule.maxRuns}` } }
        : {}),
      ...(conditions.length
        ? {
            when: `{{= ${conditions.map((c) => (conditions.length > 1 && c.includes('||') ? `(${c})` : c)).join(' && ')} }}`,
          }
        : {}),
      ...(metadata.labels ? { workflowMetadata: { labels: metadata.labels } } : {}),
      workflowSpec: spec,
    },
  };
}
