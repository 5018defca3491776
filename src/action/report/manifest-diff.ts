import type { DagTask, Manifest, Template, WorkflowSpec } from '../../argo/types.js';
import { OPERATIONS_ANNOTATION } from '../../argo/contract.js';

export interface ManifestDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/**
 * What changes for each operation between two generated manifests: an operation is identified by
 * its DAG template and task (the `polyaxon-argo.io/operations` annotation names it), and it
 * changed when its task or the template it runs differs.
 */
export function diffManifests(base: Manifest | undefined, head: Manifest | undefined): ManifestDiff {
  const before = operationsOf(base);
  const after = operationsOf(head);
  const diff: ManifestDiff = { added: [], removed: [], changed: [] };
  for (const [key, { name, body }] of after) {
    const old = before.get(key);
    if (!old) diff.added.push(name);
    else if (old.body !== body) diff.changed.push(name);
  }
  for (const [key, { name }] of before) if (!after.has(key)) diff.removed.push(name);
  return diff;
}

function operationsOf(manifest: Manifest | undefined): Map<string, { name: string; body: string }> {
  const out = new Map<string, { name: string; body: string }>();
  if (!manifest) return out;
  const spec: WorkflowSpec = manifest.kind === 'CronWorkflow' ? manifest.spec.workflowSpec : manifest.spec;
  const names = JSON.parse(manifest.metadata.annotations?.[OPERATIONS_ANNOTATION] ?? '{}') as Record<string, string>;
  const templates = new Map(spec.templates.map((t) => [t.name, t]));
  for (const template of spec.templates) {
    for (const task of template.dag?.tasks ?? []) {
      const key = `${template.name}/${task.name}`;
      out.set(key, {
        name: names[key] ?? task.name,
        body: JSON.stringify([task, bodyOf(templates.get(task.template), templates)]),
      });
    }
  }
  return out;
}

/** A template with the templates its tasks run, so a change deep in a nested dag shows on the task. */
function bodyOf(
  template: Template | undefined,
  templates: ReadonlyMap<string, Template>,
  seen = new Set<string>(),
): unknown {
  if (!template || seen.has(template.name)) return null;
  seen.add(template.name);
  const { name: _name, ...body } = template;
  const nested = (template.dag?.tasks ?? []).map((task: DagTask) =>
    bodyOf(templates.get(task.template), templates, seen),
  );
  return [body, nested];
}
