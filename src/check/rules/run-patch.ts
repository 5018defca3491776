import { issuesToDiagnostics } from '../../schema/issues.js';
import { readRunPatch } from '../../schema/run-patch.js';
import type { Rule } from '../rule.js';

/**
 * `runPatch` is a partial runtime of the component's own kind (spec §1.4, §6.5), or, for the
 * distributed kinds, a replica's fields applied to every replica (Polyaxon 2.18).
 */
export const runPatchMatchesRuntime: Rule = {
  name: 'run-patch-matches-runtime',
  operation(op, context) {
    const patch = op.operation.runPatch;
    const component = op.component?.component;
    if (patch === undefined || !component) return;
    const reading = readRunPatch(component.run, patch);
    if (!reading.ok)
      context.diagnostics.push(...issuesToDiagnostics(reading.issues, op.source, [...op.path, 'runPatch']));
    // Lowering applies the patch to the run as written: give it the run's own shape.
    // (The bound model should carry the reading instead; see readRunPatch.)
    else if (reading.replicated) op.operation.runPatch = reading.patch;
  },
};
