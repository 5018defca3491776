import { isDeadlineExceeded } from './failure-reason.js';
import type { OperationState } from './operation-states.js';

/** A check run's state as GitHub's Checks API takes it. */
export type CheckStatus =
  | { status: 'queued' | 'in_progress' }
  | { status: 'completed'; conclusion: 'success' | 'failure' | 'skipped' | 'cancelled' | 'timed_out' | 'neutral' };

/** How the whole workflow ended, when it did. */
export interface WorkflowEnd {
  /** The workflow was stopped or terminated (cancelled job, early stopping). */
  stopped: boolean;
  /** The Action's `timeout` expired and it stopped the workflow. */
  timedOut: boolean;
  /** The node statuses could not be read at the end (offloaded, say): unfinished operations are unknown. */
  nodesUnavailable?: boolean;
}

/**
 * An operation's Argo phase → its check run; a step ended by its deadline timed out. Once the
 * workflow has ended, operations that never finished are concluded too: cancelled when the run
 * was stopped, timed_out when it ran out of time, neutral when their statuses could not be read,
 * skipped otherwise (Argo never started them).
 */
export function checkStatusOf(state: OperationState, end?: WorkflowEnd): CheckStatus {
  switch (state.phase) {
    case 'Succeeded':
      return { status: 'completed', conclusion: 'success' };
    case 'Failed':
    case 'Error':
      if (end?.timedOut || isDeadlineExceeded(state.message)) return { status: 'completed', conclusion: 'timed_out' };
      return { status: 'completed', conclusion: end?.stopped ? 'cancelled' : 'failure' };
    case 'Skipped':
    case 'Omitted':
      return { status: 'completed', conclusion: 'skipped' };
    case undefined:
    default:
      break;
  }
  if (end?.nodesUnavailable) return { status: 'completed', conclusion: 'neutral' };
  if (end)
    return { status: 'completed', conclusion: end.timedOut ? 'timed_out' : end.stopped ? 'cancelled' : 'skipped' };
  return state.phase === 'Running' || state.startedAt ? { status: 'in_progress' } : { status: 'queued' };
}
