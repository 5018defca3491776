/**
 * Cron expressions as Argo's CronWorkflow reads them (robfig/cron's standard parser): five
 * fields, or a descriptor such as `@daily` or `@every 1h30m`. Checked here so a typo is
 * reported at its line, not by the controller once the CronWorkflow is in the cluster.
 */

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** Descriptors Polyaxon (croniter) knows and Argo does not, as plain cron: lowering rewrites them. */
export const POLYAXON_PRESETS: Record<string, string> = { '@quarterly': '0 0 1 */3 *' };
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Each field's bounds and the names it accepts (a name's value is its index plus `first`). */
const FIELDS: { name: string; min: number; max: number; names?: string[]; first?: number }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, first: 1 },
  { name: 'day of week', min: 0, max: 6, names: DAYS, first: 0 },
];

/** Why `expression` is not a cron schedule Argo accepts, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  let text = expression.trim();
  const timezone = /^(CRON_)?TZ=\S+\s+/.exec(text);
  if (timezone) text = text.slice(timezone[0].length);
  if (text.startsWith('@')) {
    if (DESCRIPTORS.has(text) || text in POLYAXON_PRESETS) return undefined;
    if (/^@every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
    return `unknown descriptor \`${text}\`: expected one of ${[...DESCRIPTORS, ...Object.keys(POLYAXON_PRESETS)].join(', ')} or \`@every DURATION\``;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5)
    return `expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    const problem = fieldProblem(part, FIELDS[i]!);
    if (problem) return problem;
  }
  return undefined;
}

function fieldProblem(part: string, field: (typeof FIELDS)[number]): string | undefined {
  for (const item of part.split(',')) {
    const [range, step, ...extra] = item.split('/');
    if (extra.length || (step !== undefined && !/^\d+$/.test(step)) || step === '0')
      return `the ${field.name} field \`${part}\` has a bad step`;
    if (range === '*' || range === '?') continue;
    const bounds = range!.split('-');
    if (bounds.length > 2) return `the ${field.name} field \`${part}\` is not a value, a range or a list`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = valueOf(bound, field);
      if (value === undefined || value < field.min || value > field.max)
        return `the ${field.name} field \`${part}\` is out of range (${field.min}-${field.max}${field.names ? ` or ${field.names[0]!.toUpperCase()}-${field.names.at(-1)!.toUpperCase()}` : ''})`;
      values.push(value);
    }
    // robfig/cron refuses a range that runs backwards ("beginning of range beyond end of range").
    if (values.length === 2 && values[0]! > values[1]!)
      return `the ${field.name} field \`${part}\` is a range that runs backwards`;
  }
  return undefined;
}

function valueOf(bound: string, field: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(bound)) return Number(bound);
  const index = field.names?.indexOf(bound.toLowerCase()) ?? -1;
  return index >= 0 ? index + field.first! : undefined;
}
