import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { transpile } from '../src/transpile.js';
import { startArgoEval, type ArgoEval } from './support/argo-eval.js';
import { REPO_ROOT } from './support/paths.js';

/**
 * `conditions` run as Polyaxon would run them: each case is transpiled, its `when` evaluated by
 * Argo's own controller code (argo-eval) with the values a run would produce, and the answer
 * compared with the published polyaxon package's own reading of the same expression with the
 * same values (its parser's Jinja rendering and the scheduler's boolean reading).
 */

type Source = 'upstream' | 'literal' | 'dag';
interface Value {
  /** Where the operation gets it: an upstream output, a literal param, the dag's input. */
  from: Source;
  /** The Polyaxon IO type (upstream outputs and dag inputs). */
  type?: string;
  value: unknown;
}
interface Case {
  condition: string;
  values: Record<string, Value>;
}

const CASES: Record<string, Case> = {
  'numbers compared as numbers (true)': {
    condition: '{{ auc >= min_auc }}',
    values: { auc: up('float', 0.9), min_auc: lit(0.85) },
  },
  'numbers compared as numbers (false)': {
    condition: '{{ auc >= min_auc }}',
    values: { auc: up('float', 0.5), min_auc: lit(0.85) },
  },
  'a number against a dag input': {
    condition: '{{ score > threshold }}',
    values: { score: up('float', 0.6), threshold: dag('float', 0.7) },
  },
  'ints and floats': {
    condition: '{{ epochs > 10 and lr < 0.1 }}',
    values: { epochs: up('int', 12), lr: up('float', 0.01) },
  },
  'a negative literal': { condition: '{{ -1 < delta }}', values: { delta: up('float', -0.5) } },
  'scientific notation': { condition: '{{ loss <= 1e-3 }}', values: { loss: up('float', 0.0005) } },
  'a boolean output (true)': { condition: '{{ flag }}', values: { flag: up('bool', true) } },
  'a boolean output (false)': { condition: '{{ flag }}', values: { flag: up('bool', false) } },
  'not a boolean': { condition: '{{ not flag }}', values: { flag: up('bool', false) } },
  'a literal boolean': { condition: '{{ deploy }}', values: { deploy: lit(true) } },
  'a boolean against 1': { condition: '{{ flag == 1 }}', values: { flag: up('bool', true) } },
  'strings compared as strings': { condition: "{{ mode == 'fast' }}", values: { mode: up('str', 'fast') } },
  'strings compared as strings (false)': { condition: "{{ mode == 'fast' }}", values: { mode: up('str', 'slow') } },
  'a string ordered by code point': { condition: "{{ version > '10' }}", values: { version: up('str', '9') } },
  'a quote in a literal': { condition: '{{ name == "it\'s" }}', values: { name: up('str', "it's") } },
  'a value that tries to close its quotes': {
    condition: "{{ name == 'a' }}",
    values: { name: up('str', "a' || '1' == '1") },
  },
  'braces in a value': { condition: "{{ note == '{{x}}' }}", values: { note: up('str', '{{x}}') } },
  'a raw literal param': { condition: "{{ x == 'y' }}", values: { x: lit('{% raw %}{{y}}{% endraw %}') } },
  'a number never equals a string': { condition: "{{ count == '3' }}", values: { count: up('int', 3) } },
  'in a list literal': { condition: "{{ tag in ['a', 'b'] }}", values: { tag: up('str', 'b') } },
  'not in a list literal': { condition: "{{ tag not in ['a', 'b'] }}", values: { tag: up('str', 'b') } },
  'in a list output': { condition: "{{ 'x' in labels }}", values: { labels: up('list', ['x', 'y']) } },
  'in a string': { condition: "{{ 'ell' in word }}", values: { word: up('str', 'hello') } },
  'and of strings returns an operand': {
    condition: '{{ a and b }}',
    values: { a: up('str', 'yes'), b: up('str', 'no') },
  },
  'or of strings returns an operand': { condition: '{{ a or b }}', values: { a: up('str', ''), b: up('str', 'on') } },
  'and of booleans': { condition: '{{ flag and count > 2 }}', values: { flag: up('bool', true), count: up('int', 3) } },
  'parentheses and not': {
    condition: '{{ (a > 1 or b > 1) and not c }}',
    values: { a: up('int', 0), b: up('int', 2), c: up('bool', false) },
  },
  'a string that reads as true': { condition: '{{ answer }}', values: { answer: up('str', 'Yes') } },
  'a string that is not a boolean word': { condition: '{{ answer }}', values: { answer: up('str', 'maybe') } },
  'a constant': { condition: '{{ True }}', values: {} },
  'params.NAME.value': { condition: '{{ params.n.value < 5 }}', values: { n: up('int', 4) } },
};

function up(type: string, value: unknown): Value {
  return { from: 'upstream', type, value };
}
function lit(value: unknown): Value {
  return { from: 'literal', value };
}
function dag(type: string, value: unknown): Value {
  return { from: 'dag', type, value };
}

/** A dag: `up` produces the upstream values, `check` runs under the condition. */
function pipeline({ condition, values }: Case): string {
  const entries = Object.entries(values);
  const outputs = entries.filter(([, v]) => v.from === 'upstream').map(([name, v]) => ({ name, type: v.type }));
  const inputs = entries
    .filter(([, v]) => v.from === 'dag')
    .map(([name, v]) => ({ name, type: v.type, value: v.value }));
  const params = Object.fromEntries(
    entries.map(([name, v]) => [
      name,
      v.from === 'upstream'
        ? { ref: 'ops.up', value: `outputs.${name}`, contextOnly: true }
        : v.from === 'dag'
          ? { ref: 'dag', value: `inputs.${name}`, contextOnly: true }
          : { value: v.value, contextOnly: true },
    ]),
  );
  const job = { run: { kind: 'job', container: { image: 'alpine' } } };
  return stringify({
    version: 1.1,
    kind: 'component',
    name: 'conditions',
    ...(inputs.length ? { inputs } : {}),
    run: {
      kind: 'dag',
      operations: [
        { name: 'up', component: { ...(outputs.length ? { outputs } : {}), ...job } },
        {
          name: 'check',
          dependencies: ['up'],
          ...(entries.length ? { params } : {}),
          conditions: condition,
          component: job,
        },
      ],
    },
  });
}

/** What a run would hold as text: a job writes its output file, a dag input is parameter text. */
const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The values Polyaxon renders the expression with; a literal param's raw block is its text. */
const polyaxonValue = (v: Value): unknown =>
  typeof v.value === 'string' ? v.value.replace(/\{% raw %\}([\s\S]*?)\{% endraw %\}/g, '$1') : v.value;

let argo: ArgoEval;
let polyaxon: (expression: string, params: Record<string, unknown>) => Promise<{ value?: boolean; error?: string }>;
let stopPolyaxon: () => void;

beforeAll(async () => {
  argo = await startArgoEval();
  const child = spawn(path.join(REPO_ROOT, '.tools', 'polyaxon', 'bin', 'python'), [
    path.join(REPO_ROOT, 'test', 'support', 'polyaxon-conditions.py'),
  ]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  polyaxon = (expression, params) => {
    const answer = queue.then(async () => {
      child.stdin.write(`${JSON.stringify({ expression, params })}\n`);
      const line = await lines.next();
      return JSON.parse(String(line.value)) as { value?: boolean; error?: string };
    });
    queue = answer.then(() => undefined);
    return answer;
  };
  stopPolyaxon = () => child.kill();
});
afterAll(async () => {
  await argo.close();
  stopPolyaxon();
});

describe('conditions, evaluated by Argo as Polyaxon evaluates them', () => {
  for (const [name, testCase] of Object.entries(CASES)) {
    it(name, async () => {
      const result = await transpile('conditions.yaml', pipeline(testCase), { kind: 'workflow', offline: true });
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const workflow = parse(result.output ?? '') as {
        spec: { templates: { dag?: { tasks: { name: string; when?: string }[] } }[] };
      };
      const when = workflow.spec.templates.flatMap((t) => t.dag?.tasks ?? []).find((t) => t.name === 'check')?.when;
      expect(when, 'the task has a `when`').toBeDefined();
      // The expression is one tag: values are read as data, never pasted into it.
      expect(when).toMatch(/^\{\{=[\s\S]*\}\}$/);

      const vars: Record<string, string> = {};
      for (const [key, v] of Object.entries(testCase.values)) {
        if (v.from === 'upstream') vars[`tasks.up.outputs.parameters.${key}`] = asText(v.value);
        if (v.from === 'dag') vars[`inputs.parameters.${key}`] = asText(v.value);
      }
      const params = Object.fromEntries(Object.entries(testCase.values).map(([key, v]) => [key, polyaxonValue(v)]));
      const [argoAnswer, polyaxonAnswer] = await Promise.all([
        argo.when(when ?? '', vars),
        polyaxon(testCase.condition, params),
      ]);
      expect(argoAnswer.ok ? 'missing' in argoAnswer : argoAnswer.missing, 'Argo has every value').toBeFalsy();
      const argoSays = argoAnswer.ok ? argoAnswer.value : 'error';
      const polyaxonSays = polyaxonAnswer.error !== undefined ? 'error' : polyaxonAnswer.value;
      expect(argoSays, `Argo: ${argoAnswer.ok ? '' : argoAnswer.error}; Polyaxon: ${polyaxonAnswer.error ?? ''}`).toBe(
        polyaxonSays,
      );
    });
  }

  it('covers both outcomes and the error, so the comparison means something', async () => {
    const answers = await Promise.all(
      Object.values(CASES).map((c) =>
        polyaxon(c.condition, Object.fromEntries(Object.entries(c.values).map(([k, v]) => [k, polyaxonValue(v)]))),
      ),
    );
    expect(answers.filter((a) => a.value === true).length).toBeGreaterThan(5);
    expect(answers.filter((a) => a.value === false).length).toBeGreaterThan(5);
    expect(answers.filter((a) => a.error !== undefined).length).toBeGreaterThan(0);
  });
});
