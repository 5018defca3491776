import { describe, expect, it } from 'vitest';
import { cronProblem } from '../src/schema/cron.js';

describe('cron schedules (as Argo parses them)', () => {
  it.each([
    '0 0 * * *',
    '*/15 9-17 * * MON-FRI',
    '0 0 1 */3 *',
    '5,35 */2 1-15/2 jan,jul sun',
    '@daily',
    '@quarterly',
    '@every 1h30m',
    'CRON_TZ=Europe/Paris 0 8 * * *',
  ])('accepts %s', (expression) => {
    expect(cronProblem(expression)).toBeUndefined();
  });

  it.each([
    ['@quGfvWFarterly', 'unknown descriptor `@quGfvWFarterly`'],
    ['0 0 * *', 'expected 5 fields (minute hour day-of-month month day-of-week), found 4'],
    ['0 0 0 * * *', 'expected 5 fields'],
    ['60 * * * *', 'the minute field `60` is out of range (0-59)'],
    ['0 0 * 13 *', 'the month field `13` is out of range (1-12 or JAN-DEC)'],
    ['0 0 * * FUN', 'the day of week field `FUN` is out of range'],
    ['*/0 * * * *', 'the minute field `*/0` has a bad step'],
    ['1-2-3 * * * *', 'is not a value, a range or a list'],
  ])('refuses %s', (expression, problem) => {
    expect(cronProblem(expression)).toContain(problem);
  });
});
