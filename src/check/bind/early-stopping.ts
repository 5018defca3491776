import type { Path } from '../../parse/source.js';
import type { EarlyStopping } from '../../schema/early-stopping.js';
import type { BindContext, Origin } from './context.js';

/**
 * Early stopping (spec §8.7) for a dag or a matrix of `runs` children. Argo can honour one
 * failure policy itself: when a single failure already reaches the percentage, the DAG's
 * `failFast` stops it. Other policies need someone watching the results; they are recorded in
 * the `polyaxon-argo.io/early-stopping` annotation for the GitHub Action's watcher, and a
 * warning says that only the watcher enforces them.
 */
export function bindEarlyStopping(
  policies: EarlyStopping[] | string | undefined,
  runs: number,
  origin: Origin,
  at: Path,
  context: BindContext,
): { failFast: boolean } {
  if (policies === undefined) return { failFast: false };
  if (typeof policies === 'string') {
    context.templated(origin, at, 'earlyStopping');
    return { failFast: false };
  }
  let failFast = false;
  policies.forEach((policy, index) => {
    if (
      policy.kind === 'failure_early_stopping' &&
      typeof policy.percent === 'number' &&
      runs > 0 &&
      policy.percent <= 100 / runs
    ) {
      failFast = true;
      return;
    }
    context.watcherEarlyStopping.push(policy);
    context.report(
      origin,
      [...at, index],
      'watcher-only-early-stopping',
      policy.kind === 'metric_early_stopping'
        ? `metric early stopping on \`${policy.metric}\` cannot be enforced by Argo in the cluster; only the GitHub Action's watcher enforces it`
        : `failure early stopping at ${String(policy.percent)}% of ${runs} runs needs more than one failure, which Argo cannot count; only the GitHub Action's watcher enforces it`,
      { hint: 'submit with the GitHub Action (mode: submit, wait: true) to have it enforced' },
    );
  });
  return { failFast };
}
