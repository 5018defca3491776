import type { Depends, TaskResult } from '../../model/pipeline.js';
import type { Edge } from '../../graph/dag-graph.js';
import type { ResolvedOperation } from '../../resolve/model.js';
import type { Trigger } from '../../schema/polyaxonfile.js';
import type { BindContext } from './context.js';

/** An upstream operation as `depends` sees it. */
export interface UpstreamTask {
  /** Argo task name. */
  task: string;
  /** Daemoned tasks (services) count as succeeded once they are up. */
  daemon: boolean;
}

/**
 * An operation's upstream edges, trigger policy, events and `skipOnUpstreamSkip` → an Argo
 * enhanced `depends` expression (spec §8.2, §8.3, §8.6). Never a bare task name, which Argo
 * reads as "Succeeded or Skipped or Daemoned": Polyaxon does not count a skipped upstream as a
 * success. Argo's `Skipped` is Polyaxon's skipped (conditions false); its `Omitted` (depends
 * not met) is Polyaxon's upstream_failed, a final status that is not a skip.
 */
export function bindDepends(
  op: ResolvedOperation,
  upstream: readonly Edge[],
  taskOf: (name: string) => UpstreamTask | undefined,
  context: BindContext,
): Depends | undefined {
  const written = op.operation.trigger;
  if (typeof written === 'string' && written.includes('{{')) context.templated(op, [...op.path, 'trigger'], 'trigger');
  const trigger: Trigger = written !== undefined && !written.includes('{{') ? (written as Trigger) : 'all_succeeded';
  const skipOnUpstreamSkip = op.operation.skipOnUpstreamSkip === true;

  // One entry per upstream operation, in the order its first edge is written.
  const byUpstream = new Map<string, Edge[]>();
  for (const edge of upstream) {
    const edges = byUpstream.get(edge.from);
    if (edges) edges.push(edge);
    else byUpstream.set(edge.from, [edge]);
  }

  const triggerClauses: Depends[] = [];
  const eventClauses: Depends[] = [];
  for (const [from, edges] of byUpstream) {
    const target = taskOf(from);
    if (!target) continue;
    const kinds = eventKinds(op, edges);
    const fires = kinds.filter((k) => k.kind !== 'run_status_done');
    for (const { kind, at } of fires) {
      const clause = eventClause(kind, target);
      if (clause) eventClauses.push(clause);
      else
        context.unsupported(
          op,
          at,
          `event \`${kind}\` cannot start an Argo task: Argo starts tasks when others finish${kind === 'run_status_running' ? ' (or, for services, once they are up)' : ''}`,
          kind === 'run_status_running'
            ? 'wait for the operation to finish (`run_status_done`), or make it a service to start beside it'
            : 'use run_status_succeeded, run_status_failed, run_status_skipped, run_status_upstream_failed or run_status_done',
        );
    }
    // `done` events and plain edges from the same upstream are covered by the trigger.
    if (fires.length && kinds.length === fires.length && !edges.some((e) => e.kind !== 'event')) continue;
    triggerClauses.push(triggerClause(trigger, target, skipOnUpstreamSkip));
  }
  const triggered: Depends | undefined = triggerClauses.length
    ? oneOrMany(trigger.startsWith('one_') ? 'any' : 'all', triggerClauses)
    : undefined;
  const evented = eventClauses.length ? oneOrMany('any', eventClauses) : undefined;
  // An event starts the operation without waiting on the trigger (spec §8.2).
  if (triggered && evented) return { kind: 'any', of: [evented, triggered] };
  return triggered ?? evented;
}

const oneOrMany = (kind: 'all' | 'any', of: Depends[]): Depends => (of.length === 1 && of[0] ? of[0] : { kind, of });
const result = (task: string, ...results: TaskResult[]): Depends => ({ kind: 'result', task, results });

function triggerClause(trigger: Trigger, { task, daemon }: UpstreamTask, skipOnUpstreamSkip: boolean): Depends {
  switch (trigger) {
    case 'all_succeeded':
    case 'one_succeeded':
      return daemon ? result(task, 'Succeeded', 'Daemoned') : result(task, 'Succeeded');
    case 'all_failed':
    case 'one_failed':
      return result(task, 'Failed', 'Errored');
    case 'all_done':
    case 'one_done':
      // Every final status; with skipOnUpstreamSkip a skipped upstream skips this operation instead.
      return result(
        task,
        'Succeeded',
        'Failed',
        'Errored',
        ...(skipOnUpstreamSkip ? [] : ['Skipped' as const]),
        'Omitted',
        ...(daemon ? ['Daemoned' as const] : []),
      );
  }
}

function eventKinds(op: ResolvedOperation, edges: readonly Edge[]): { kind: string; at: Edge['path'] }[] {
  const events = Array.isArray(op.operation.events) ? op.operation.events : [];
  return edges
    .filter((e) => e.kind === 'event')
    .flatMap((e) => {
      const index = e.path[e.path.length - 2];
      const kinds = typeof index === 'number' ? events[index]?.kinds : undefined;
      return Array.isArray(kinds) ? kinds.map((kind, i) => ({ kind, at: [...e.path.slice(0, -1), 'kinds', i] })) : [];
    });
}

function eventClause(kind: string, { task, daemon }: UpstreamTask): Depends | undefined {
  switch (kind) {
    case 'run_status_succeeded':
      return result(task, 'Succeeded');
    case 'run_status_failed':
      return result(task, 'Failed', 'Errored');
    case 'run_status_skipped':
      return result(task, 'Skipped', 'Omitted');
    case 'run_status_upstream_failed':
      return result(task, 'Omitted');
    case 'run_status_running':
      return daemon ? result(task, 'Daemoned') : undefined;
    default:
      return undefined;
  }
}
