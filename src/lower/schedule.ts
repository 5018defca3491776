import type { CronWorkflow, Workflow } from '../argo/types.js';
import type { ResolvedOperation } from '../resolve/model.js';
import { POLYAXON_PRESETS } from '../schema/cron.js';
import type { Schedule } from '../schema/schedule.js';
import type { LowerContext } from './context.js';

/**
 * A top-level `schedule` → a CronWorkflow running the workflow (spec §8.1). Schedules are in
 * UTC, as Polyaxon's are. `startAt`/`endAt` and intervals become the CronWorkflow's `when`
 * expression (evaluated each minute with `now()` and the last scheduled time), `maxRuns` its
 * `stopStrategy`, and `dependsOnPast` the `Forbid` concurrency policy (a run waits for the last).
 */
export function lowerSchedule(
  root: ResolvedOperation,
  workflow: Workflow,
  context: LowerContext,
): CronWorkflow | undefined {
  const schedule = root.operation.schedule as Schedule;
  const at = [...root.path, 'schedule'];
  const conditions: string[] = [];
  let cron: string;
  const time = (field: 'startAt' | 'endAt', value: unknown): string | undefined => {
    if (typeof value === 'string' && value.includes('{{')) {
      context.unsupported(root, [...at, field], `a templated \`${field}\` cannot be resolved before the run`);
      return undefined;
    }
    const parsed = new Date(String(value).replace(' ', 'T'));
    if (Number.isNaN(parsed.getTime())) {
      context.report(
        root,
        [...at, field],
        'invalid-value',
        `\`${field}\` is not a date-time: ${JSON.stringify(value)}`,
        { anchor: 'value', hint: 'use ISO 8601, e.g. 2024-05-01T08:00:00Z' },
      );
      return undefined;
    }
    return parsed.toISOString().replace('.000Z', 'Z');
  };

  switch (schedule.kind) {
    case 'cron':
      if (schedule.cron.includes('{{')) {
        context.unsupported(
          root,
          [...at, 'cron'],
          'a templated `cron` cannot be resolved before the run',
          'write the cron expression out',
        );
        return undefined;
      }
      cron = POLYAXON_PRESETS[schedule.cron] ?? schedule.cron;
      break;
    case 'interval': {
      const seconds = toSeconds(schedule.frequency);
      if (seconds === undefined || seconds < 60 || seconds % 60 !== 0) {
        context.unsupported(
          root,
          [...at, 'frequency'],
          `Argo schedules by the minute: an interval of ${String(schedule.frequency)} cannot run on time`,
          'use a frequency that is a whole number of minutes (e.g. 120 or PT2M)',
        );
        return undefined;
      }
      cron = '* * * * *';
      conditions.push(
        `cronworkflow.lastScheduledTime == nil || (now() - cronworkflow.lastScheduledTime).Seconds() >= ${seconds}`,
      );
      break;
    }
    case 'datetime': {
      const start = time('startAt', schedule.startAt);
      if (!start) return undefined;
      const d = new Date(start);
      cron = `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
      break;
    }
  }
  const window =
    schedule.kind === 'datetime'
      ? {}
      : {
          start: schedule.startAt !== undefined ? time('startAt', schedule.startAt) : undefined,
          end: schedule.endAt !== undefined ? time('endAt', schedule.endAt) : undefined,
        };
  if (window.start) conditions.unshift(`now() >= date('${window.start}')`);
  if (window.end) conditions.push(`now() < date('${window.end}')`);
  const maxRuns = schedule.kind === 'datetime' ? 1 : schedule.maxRuns;
  if (typeof maxRuns === 'string')
    context.unsupported(root, [...at, 'maxRuns'], 'a templated `maxRuns` cannot be resolved before the run');
  const dependsOnPast = schedule.kind !== 'datetime' && schedule.dependsOnPast === true;

  const { metadata, spec } = workflow;
  const name = metadata.name ?? (metadata.generateName ?? 'pipeline-').replace(/-$/, '');
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: {
      name,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      ...(metadata.labels ? { labels: metadata.labels } : {}),
      ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    },
    spec: {
      schedules: [cron],
      timezone: 'UTC',
      concurrencyPolicy: dependsOnPast ? 'Forbid' : 'Allow',
      ...(typeof maxRuns === 'number'
        ? { stopStrategy: { expression: `cronworkflow.succeeded + cronworkflow.failed >= ${maxRuns}` } }
        : {}),
      ...(conditions.length
        ? {
            when: `{{= ${conditions.map((c) => (conditions.length > 1 && c.includes('||') ? `(${c})` : c)).join(' && ')} }}`,
          }
        : {}),
      ...(metadata.labels ? { workflowMetadata: { labels: metadata.labels } } : {}),
      workflowSpec: spec,
    },
  };
}

/** Seconds of a Polyaxon timedelta: a number, `HH:MM:SS`, or ISO 8601 (`PT2M`, `P1D`). */
export function toSeconds(value: number | string): number | undefined {
  if (typeof value === 'number') return value;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const clock = /^(\d+):(\d{1,2}):(\d{1,2})$/.exec(value);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    value,
  );
  if (!iso || value === 'P' || value.endsWith('T')) return undefined;
  const [, w, d, h, m, s] = iso.map((part) => Number(part ?? 0));
  return w! * 604800 + d! * 86400 + h! * 3600 + m! * 60 + s!;
}
