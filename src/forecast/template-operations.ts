import { OPERATIONS_ANNOTATION } from '../argo/contract.js';
import type { Manifest, WorkflowSpec } from '../argo/types.js';

/**
 * Which Polyaxon operation each template of a manifest runs for: its path of operation names
 * from the top dag, read from the `polyaxon-argo.io/operations` annotation (`TEMPLATE/TASK` →
 * operation) while walking the dags from the entrypoint. A template no annotated task reaches
 * directly (a matrix's wrapper dag, the job inside it) belongs to the operation above it; one
 * shared by several operations is given the first found.
 */
export function templateOperations(manifest: Manifest): Map<string, string[]> {
  const spec: WorkflowSpec = manifest.kind === 'CronWorkflow' ? manifest.spec.workflowSpec : manifest.spec;
  let names: Record<string, string> = {};
  try {
    names = JSON.parse(manifest.metadata.annotations?.[OPERATIONS_ANNOTATION] ?? '{}') as Record<string, string>;
  } catch {
    // no annotation: every template belongs to the pipeline
  }
  const templates = new Map(spec.templates.map((t) => [t.name, t]));
  const found = new Map<string, string[]>();
  const walk = (name: string, path: string[]) => {
    if (found.has(name)) return;
    found.set(name, path);
    for (const task of templates.get(name)?.dag?.tasks ?? []) {
      const operation = names[`${name}/${task.name}`];
      walk(task.template, operation === undefined ? path : [...path, operation]);
    }
  };
  walk(spec.entrypoint, []);
  return found;
}
