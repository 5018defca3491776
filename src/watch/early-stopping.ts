import type { EarlyStopping } from '../schema/early-stopping.js';
import { EARLY_STOPPING_ANNOTATION } from '../argo/contract.js';
import type { OperationState } from './operation-states.js';
import type { WorkflowObject } from './workflow-status.js';

/**
 * The early-stopping policies Argo cannot enforce in the cluster (spec §8.7), evaluated by the
 * watcher: a metric policy without a sub-policy stops the pipeline once any operation's output
 * `metric` reaches `value` (≥ when maximizing, ≤ when minimizing); a failure policy once the
 * failed share of operations reaches `percent`. Returns why it should stop, or undefined.
 */
export function earlyStoppingReason(workflow: WorkflowObject, states: readonly OperationState[]): string | undefined {
  const policies = JSON.parse(workflow.metadata.annotations?.[EARLY_STOPPING_ANNOTATION] ?? '[]') as EarlyStopping[];
  for (const policy of policies) {
    if (policy.kind === 'metric_early_stopping' && typeof policy.value === 'number' && !policy.policy) {
      for (const state of states) {
        const raw = state.outputs[policy.metric];
        const value = raw === undefined ? NaN : Number(raw);
        if (Number.isNaN(value)) continue;
        const maximize = policy.optimization === 'maximize';
        if (maximize ? value >= policy.value : value <= policy.value) {
          return `early stopping: \`${state.name}\` reported ${policy.metric} = ${value}, ${maximize ? '≥' : '≤'} ${policy.value}`;
        }
      }
    }
    if (policy.kind === 'failure_early_stopping' && typeof policy.percent === 'number' && states.length) {
      const failed = states.filter((s) => s.phase === 'Failed' || s.phase === 'Error' || s.phase === 'Omitted').length;
      if ((failed / states.length) * 100 >= policy.percent)
        return `early stopping: ${failed} of ${states.length} operations failed (≥ ${policy.percent}%)`;
    }
  }
  return undefined;
}
