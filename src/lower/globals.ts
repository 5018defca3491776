import { ARTIFACTS_PATH, CONTEXT_PATH, RUN_ARTIFACTS_PATH, RUN_OUTPUTS_PATH } from './runtime-paths.js';

/**
 * Polyaxon `globals.*` → Argo. Each table maps a key to the Argo text that yields the same
 * information, or is absent where Argo has no equivalent (a located error then says so).
 */

/** `{{ globals.KEY }}` inside a job's container (its own run). */
export const JOB_GLOBALS: Record<string, string> = {
  uuid: '{{pod.name}}',
  name: '{{pod.name}}',
  namespace: '{{workflow.namespace}}',
  created_at: '{{workflow.creationTimestamp}}',
  context_path: CONTEXT_PATH,
  artifacts_path: ARTIFACTS_PATH,
  run_artifacts_path: RUN_ARTIFACTS_PATH,
  run_outputs_path: RUN_OUTPUTS_PATH,
  run_relative_outputs_path: 'run/outputs',
};

/** `ref: dag, value: globals.KEY`: the workflow run. */
export const DAG_GLOBALS: Record<string, string> = {
  uuid: '{{workflow.uid}}',
  name: '{{workflow.name}}',
  namespace: '{{workflow.namespace}}',
  created_at: '{{workflow.creationTimestamp}}',
  status: '{{workflow.status}}',
  duration: '{{workflow.duration}}',
};

/** `ref: ops.X, value: globals.KEY`: task X of the same DAG (`X` is its Argo task name). */
export function taskGlobal(task: string, key: string, polyaxonName: string): string | undefined {
  switch (key) {
    case 'uuid':
      return `{{tasks.${task}.id}}`;
    case 'name':
      return polyaxonName;
    case 'status':
      return `{{tasks.${task}.status}}`;
    case 'started_at':
      return `{{tasks.${task}.startedAt}}`;
    case 'finished_at':
      return `{{tasks.${task}.finishedAt}}`;
    case 'namespace':
      return '{{workflow.namespace}}';
    default:
      return undefined;
  }
}
