import type { BoundSchedule } from '../../model/pipeline.js';
import type { ResolvedOperation } from '../../resolve/model.js';
import { POLYAXON_PRESETS } from '../../schema/cron.js';
import type { BindContext } from './context.js';

/**
 * A top-level `schedule` → a CronWorkflow's schedule (spec §8.1), in UTC as Polyaxon's are.
 * `startAt`/`endAt` and intervals become the CronWorkflow's `when` expression (evaluated each
 * time the cron fires, with `now()` and the last scheduled time), `maxRuns` its stop strategy,
 * `dependsOnPast` the `Forbid` concurrency policy (a run waits for the last). A `datetime`
 * schedule runs once, at that minute of that year.
 */
export function bindSchedule(root: ResolvedOperation, context: BindContext): BoundSchedule | undefined {
  const schedule = root.operation.schedule;
  if (!schedule) return undefined;
  const mark = context.mark();
  const at = [...root.path, 'schedule'];
  const time = (field: 'startAt' | 'endAt', value: unknown): Date | undefined => {
    if (typeof value === 'string' && value.includes('{{')) {
      context.templated(root, [...at, field], field);
      return undefined;
    }
    const parsed = parseDateTime(value);
    if (!parsed)
      context.report(
        root,
        [...at, field],
        'invalid-schedule',
        `\`${field}\` is not a date-time that exists: ${JSON.stringify(value)}`,
        {
          anchor: 'value',
          hint: 'use ISO 8601 in UTC, e.g. 2024-05-01T08:00:00Z',
        },
      );
    return parsed;
  };

  const conditions: string[] = [];
  let cron: string | undefined;
  let maxRuns: number | undefined;
  switch (schedule.kind) {
    case 'cron':
      if (schedule.cron.includes('{{'))
        context.templated(root, [...at, 'cron'], 'cron', 'write the cron expression out');
      else cron = POLYAXON_PRESETS[schedule.cron] ?? schedule.cron;
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
        break;
      }
      cron = '* * * * *';
      conditions.push(
        `cronworkflow.lastScheduledTime == nil || (now() - cronworkflow.lastScheduledTime).Seconds() >= ${seconds}`,
      );
      break;
    }
    case 'datetime': {
      const start = time('startAt', schedule.startAt);
      if (!start) break;
      // The cron fires on that day and minute every year; the condition keeps the one of that year.
      cron = `${start.getUTCMinutes()} ${start.getUTCHours()} ${start.getUTCDate()} ${start.getUTCMonth() + 1} *`;
      const minute = new Date(Math.floor(start.getTime() / 60_000) * 60_000);
      conditions.push(`now() >= date('${iso(minute)}')`, `now() < date('${iso(new Date(minute.getTime() + 60_000))}')`);
      maxRuns = 1;
      break;
    }
  }
  if (schedule.kind !== 'datetime') {
    const start = schedule.startAt !== undefined ? time('startAt', schedule.startAt) : undefined;
    const end = schedule.endAt !== undefined ? time('endAt', schedule.endAt) : undefined;
    if (start) conditions.unshift(`now() >= date('${iso(start)}')`);
    if (end) conditions.push(`now() < date('${iso(end)}')`);
    if (start && end && end <= start)
      context.report(
        root,
        [...at, 'endAt'],
        'invalid-schedule',
        '`endAt` is not after `startAt`: the schedule would never run',
        { anchor: 'value' },
      );
    if (typeof schedule.maxRuns === 'string') context.templated(root, [...at, 'maxRuns'], 'maxRuns');
    else maxRuns = schedule.maxRuns;
  }
  if (!cron || context.refusedSince(mark)) return undefined;
  return {
    cron,
    conditions,
    concurrencyPolicy: schedule.kind !== 'datetime' && schedule.dependsOnPast === true ? 'Forbid' : 'Allow',
    ...(maxRuns !== undefined ? { maxRuns } : {}),
  };
}

const iso = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

/**
 * An ISO 8601 date-time (or date), in UTC unless it carries an offset, that exists: February 30
 * is refused, not rolled over into March as JavaScript's `Date` would.
 */
export function parseDateTime(value: unknown): Date | undefined {
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) return undefined;
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      text,
    );
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '0', zone = 'Z'] = match;
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = parts;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Number(`0.${fraction}`) * 1000);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  const offset =
    zone.toUpperCase() === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  return new Date(utc - offset * 60_000);
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
  const [w = 0, d = 0, h = 0, m = 0, s = 0] = iso.slice(1).map((part) => Number(part ?? 0));
  return w * 604800 + d * 86400 + h * 3600 + m * 60 + s;
}
