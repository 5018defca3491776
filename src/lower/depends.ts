import type { Edge } from '../graph/dag-graph.js';
import type { ResolvedOperation } from '../resolve/model.js';
import type { Trigger } from '../schema/polyaxonfile.js';
import type { LowerContext } from './context.js';

/**
 * An operation's upstream edges, trigger policy, events and `skipOnUpstreamSkip` → an Argo
 * enhanced `depends` expression (spec §8.2, §8.3, §8.6). We never use a bare task name, which
 * Argo reads as "Succeeded or Skipped or Daemoned": Polyaxon does not count a skipped upstream
 * as a success.
 */
export interface UpstreamTask {
  /** Argo task name. */
  task: string;
  /** Daemoned tasks (services) count as succeeded once they are up. */
  daemon: boolean;
}

export function dependsExpression(
  op: ResolvedOperation,
  upstream: readonly Edge[],
  taskOf: (name: string) => UpstreamTask | undefined,
  context: LowerContext,
): string | undefined {
  const trigger = (
    typeof op.operation.trigger === 'string' && !op.operation.trigger.includes('{{')
      ? op.operation.trigger
      : 'all_succeeded'
  ) as Trigger;
  if (typeof op.operation.trigger === 'string' && op.operation.trigger.includes('{{')) {
    context.unsupported(op, [...op.path, 'trigger'], 'a templated `trigger` cannot be resolved before the run');
  }
  const skipOnUpstreamSkip = op.operation.skipOnUpstreamSkip === true;

  // One entry per upstream operation, in the order its first edge is written.
  const byUpstream = new Map<string, Edge[]>();
  for (const edge of upstream) byUpstream.set(edge.from, [...(byUpstream.get(edge.from) ?? []), edge]);

  const triggerClauses: string[] = [];
  const eventClauses: string[] = [];
  for (const [from, edges] of byUpstream) {
    const target = taskOf(from);
    if (!target) continue;
    const kinds = eventKinds(op, edges);
    const fires = kinds.filter((k) => k !== 'run_status_done');
    if (fires.length) {
      const clauses = fires
        .map((kind) => eventClause(kind, target, op, edges, context))
        .filter((c): c is string => c !== undefined);
      eventClauses.push(...clauses);
      // `done` events and plain edges from the same upstream are covered by the trigger.
      if (kinds.length === fires.length && !edges.some((e) => e.kind !== 'event')) continue;
    }
    triggerClauses.push(triggerClause(trigger, target, skipOnUpstreamSkip));
  }
  const join = trigger.startsWith('one_') ? ' || ' : ' && ';
  const parts = [
    ...(eventClauses.length ? [eventClauses.join(' || ')] : []),
    ...(triggerClauses.length ? [triggerClauses.join(join)] : []),
  ];
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  // An event starts the operation without waiting on the trigger (spec §8.2).
  return parts.map((p) => `(${p})`).join(' || ');
}

function triggerClause(trigger: Trigger, { task, daemon }: UpstreamTask, skipOnUpstreamSkip: boolean): string {
  const succeeded = daemon ? `(${task}.Succeeded || ${task}.Daemoned)` : `${task}.Succeeded`;
  const failed = `(${task}.Failed || ${task}.Errored)`;
  const final = [
    `${task}.Succeeded`,
    `${task}.Failed`,
    `${task}.Errored`,
    ...(skipOnUpstreamSkip ? [] : [`${task}.Skipped`, `${task}.Omitted`]),
    ...(daemon ? [`${task}.Daemoned`] : []),
  ];
  switch (trigger) {
    case 'all_succeeded':
    case 'one_succeeded':
      return succeeded;
    case 'all_failed':
    case 'one_failed':
      return failed;
    case 'all_done':
    case 'one_done':
      return `(${final.join(' || ')})`;
  }
}

function eventKinds(op: ResolvedOperation, edges: readonly Edge[]): string[] {
  const events = Array.isArray(op.operation.events) ? op.operation.events : [];
  return edges
    .filter((e) => e.kind === 'event')
    .flatMap((e) => {
      const index = e.path[e.path.length - 2] as number;
      const kinds = events[index]?.kinds;
      return Array.isArray(kinds) ? kinds : [];
    });
}

function eventClause(
  kind: string,
  { task, daemon }: UpstreamTask,
  op: ResolvedOperation,
  edges: readonly Edge[],
  context: LowerContext,
): string | undefined {
  switch (kind) {
    case 'run_status_succeeded':
      return `${task}.Succeeded`;
    case 'run_status_failed':
      return `(${task}.Failed || ${task}.Errored)`;
    case 'run_status_skipped':
      return `(${task}.Skipped || ${task}.Omitted)`;
    case 'run_status_upstream_failed':
      return `${task}.Omitted`;
    case 'run_status_running':
      if (daemon) return `${task}.Daemoned`;
  }
  const edge = edges.find((e) => e.kind === 'event')!;
  context.unsupported(
    op,
    [...edge.path.slice(0, -1), 'kinds'],
    `event \`${kind}\` cannot start an Argo task: Argo starts tasks when others finish${kind === 'run_status_running' ? ' (or, for services, once they are up)' : ''}`,
    'use run_status_succeeded, run_status_failed, run_status_skipped, run_status_upstream_failed or run_status_done',
  );
  return undefined;
}
