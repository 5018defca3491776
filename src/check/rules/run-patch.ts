import { issuesToDiagnostics } from '../../schema/issues.js';
import { runPatchFor } from '../../schema/polyaxonfile.js';
import type { Rule } from '../rule.js';

/** `runPatch` is a partial runtime of the component's own kind (spec §1.4, §6.5). */
export const runPatchMatchesRuntime: Rule = {
  name: 'run-patch-matches-runtime',
  operation(op, context) {
    const patch = op.operation.runPatch;
    const component = op.component?.component;
    if (patch === undefined || !component) return;
    const result = runPatchFor(component.run.kind).safeParse(patch);
    if (!result.success)
      context.diagnostics.push(...issuesToDiagnostics(result.error.issues, op.source, [...op.path, 'runPatch']));
  },
};
