import { describe, expect, it } from 'vitest';
import { formatJson, formatText } from '../src/diagnostics/format.js';
import { loadPolyaxonfile } from '../src/load.js';
import { INPUT_LIMITS } from '../src/parse/input-limits.js';

/**
 * Values up to the 256 KiB limit reach our own regexes. Each value below once took a regex of
 * ours quadratic time: 75 s (the template test on `{{{…`), over 200 s (joining a message's
 * lines on a run of spaces), minutes (the e-mail check on `a@....@`). Linear code takes
 * milliseconds, so the generous 10 s bound below fails only on a quadratic regression, never on
 * a slow machine.
 */
const LONG = INPUT_LIMITS.scalar - 16;
const BOUND_MS = 10_000;

const operation = (input: string, value: string) =>
  [
    'version: 1.1',
    'kind: operation',
    `params: {x: {value: ${JSON.stringify(value)}}}`,
    'component:',
    `  inputs: [{name: x, ${input}}]`,
    '  run: {kind: job, container: {image: alpine}}',
    '',
  ].join('\n');

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

describe('values of 256 KiB', () => {
  it('of `{` are told apart from templates in linear time', async () => {
    const [result, ms] = await timed(() => loadPolyaxonfile('p.yaml', operation('type: int', '{'.repeat(LONG))));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['invalid-param-value']);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('that almost look like an e-mail address are refused in linear time', async () => {
    const [result, ms] = await timed(() =>
      loadPolyaxonfile('p.yaml', operation('type: email', `a@${'.'.repeat(LONG - 3)}@`)),
    );
    expect(result.diagnostics.map((d) => d.code)).toEqual(['invalid-param-value']);
    expect(result.diagnostics[0]!.message).toContain('expected an e-mail address');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('of white space, quoted in a message, keep it one line in linear time', async () => {
    const { diagnostics } = await loadPolyaxonfile('p.yaml', operation('type: int', `a${' '.repeat(LONG - 2)}b`));
    const [text, ms] = await timed(() => Promise.resolve(formatText(diagnostics)));
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toContain(`"a${' '.repeat(LONG - 2)}b"`);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('with line breaks in a message become one line, a space for each run that holds a break', () => {
    const diagnostic = {
      severity: 'error' as const,
      code: 'invalid-value' as const,
      message: 'first \n\t second\nthird  fourth',
      location: { file: 'p.yaml', line: 1, column: 1 },
    };
    expect(formatText([diagnostic])).toBe('p.yaml:1:1: error: first second third  fourth [invalid-value]');
    expect(JSON.parse(formatJson([diagnostic]))).toEqual([diagnostic]);
  });
});
