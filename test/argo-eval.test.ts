import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArgoEval, type ArgoEval } from './support/argo-eval.js';
import { REPO_ROOT } from './support/paths.js';

/**
 * argo-eval answers with Argo's workflow-controller code and the kubelet's expansion code. These
 * tests pin what that code does with the strings we emit: the facts the transpiler relies on.
 */

let ev: ArgoEval;
beforeAll(async () => {
  ev = await startArgoEval();
});
afterAll(async () => {
  await ev.close();
});

const task = (outputs: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(outputs).map(([name, value]) => [`tasks.a.outputs.parameters.${name}`, value]));

describe('argo-eval itself', () => {
  it('links the Argo module version the argo CLI is built from, and Kubernetes v1.33.13', async () => {
    const versions = await ev.version();
    const cli = readlinkSync(path.join(REPO_ROOT, '.tools', 'bin', 'argo'));
    expect(cli).toMatch(/\/argo-v[^/]+\/argo$/);
    expect(`/argo-${versions['github.com/argoproj/argo-workflows/v4']}/argo`).toBe(
      cli.slice(cli.lastIndexOf('/argo-')),
    );
    expect(versions['k8s.io/kubernetes']).toBe('v1.33.13');
  });

  it('answers a request it cannot serve with an error, and goes on answering', async () => {
    expect(await ev.substitute({ name: 't', inputs: { parameters: [{ name: 'b' }] }, container: {} })).toEqual({
      ok: false,
      error: 'inputs.parameters.b was not supplied',
    });
    expect(await ev.when('yes == yes')).toMatchObject({ ok: true, value: true });
  });
});

describe("when: the controller's substitution, then its evaluator (govaluate)", () => {
  it('substitutes a task output and compares strings', async () => {
    const expression = "'{{tasks.a.outputs.parameters.x}}' == 'yes'";
    expect(await ev.when(expression, task({ x: 'yes' }))).toEqual({
      ok: true,
      value: true,
      resolved: "'yes' == 'yes'",
    });
    expect(await ev.when(expression, task({ x: 'no' }))).toEqual({ ok: true, value: false, resolved: "'no' == 'yes'" });
  });

  it('compares a bare number numerically, an input parameter included', async () => {
    const expression = '{{inputs.parameters.auc}} >= 0.85';
    expect(await ev.when(expression, { 'inputs.parameters.auc': '0.9' })).toMatchObject({ ok: true, value: true });
    expect(await ev.when(expression, { 'inputs.parameters.auc': '0.8' })).toMatchObject({ ok: true, value: false });
    expect(await ev.when('10 > 9')).toMatchObject({ value: true });
    expect(await ev.when('1 == 1.0')).toMatchObject({ value: true });
  });

  it('refuses to order a quoted string against a number, and finds them unequal', async () => {
    expect(await ev.when("'0.9' >= 0.85")).toEqual({
      ok: false,
      error:
        "Failed to evaluate 'when' expresion ''0.9' >= 0.85': Value '0.9' cannot be used with the comparator '>=', it is not a number",
      resolved: "'0.9' >= 0.85",
    });
    expect(await ev.when("'0.9' == 0.9")).toMatchObject({ ok: true, value: false });
    // Quoted numbers order as text: '10' sorts before '9'.
    expect(await ev.when("'10' > '9'")).toMatchObject({ ok: true, value: false });
  });

  it('reads only lower-case true and false as booleans', async () => {
    expect(await ev.when('{{tasks.a.outputs.parameters.t}}', task({ t: 'true' }))).toMatchObject({ value: true });
    expect(await ev.when('false')).toMatchObject({ ok: true, value: false });
    expect(await ev.when("'true' == true")).toMatchObject({ ok: true, value: false });
    expect(await ev.when('True')).toEqual({
      ok: false,
      error: "Expected boolean evaluation for 'True'. Got True",
      resolved: 'True',
    });
  });

  it('has !, &&, || (&& binds tighter) and parentheses', async () => {
    expect(await ev.when('!(1 > 2) && (yes == yes || 1 > 2)')).toMatchObject({ value: true });
    expect(await ev.when('1 > 2 || 2 < 3 && 3 > 4')).toMatchObject({ value: false });
    expect(await ev.when('(1 > 2 || 2 < 3) && 3 < 4')).toMatchObject({ value: true });
    expect(await ev.when('!yes')).toMatchObject({ ok: false });
  });

  it('has `in` over a parenthesised list of two or more, and the regex operators =~ and !~', async () => {
    expect(await ev.when("'b' in ('a', 'b')")).toMatchObject({ ok: true, value: true });
    expect(await ev.when("'c' in ('a', 'b')")).toMatchObject({ ok: true, value: false });
    expect(await ev.when("'a' in ('a')")).toMatchObject({ ok: false });
    expect(await ev.when("'abc' =~ '^a.c$'")).toMatchObject({ value: true });
    expect(await ev.when("'abc' =~ 'b'")).toMatchObject({ value: true });
    expect(await ev.when("'abc' !~ '^b'")).toMatchObject({ value: true });
  });

  it('unquoted words are strings, and break on a space or an operator character', async () => {
    expect(await ev.when('{{workflow.name}} == wf', { 'workflow.name': 'wf' })).toMatchObject({ value: true });
    const spaced = await ev.when('{{tasks.a.outputs.parameters.s}} == x', task({ s: 'hello world' }));
    expect(spaced).toMatchObject({
      ok: false,
      error: expect.stringContaining('Cannot transition token types') as string,
    });
    const dashed = await ev.when('{{tasks.a.outputs.parameters.s}} == x', task({ s: 'a-b' }));
    expect(dashed).toMatchObject({
      ok: false,
      error: expect.stringContaining("cannot be used with the modifier '-'") as string,
    });
  });

  it('ends a string at either quote; a backslash makes the next character literal', async () => {
    expect(await ev.when(`'it\\'s' == "it\\'s"`)).toMatchObject({ ok: true, value: true });
    expect(await ev.when(`'say \\"hi\\"' == "say \\"hi\\""`)).toMatchObject({ ok: true, value: true });
    // One backslash, then b: an escaped backslash is one character.
    expect(await ev.when(`'a\\\\b' =~ '^a.b$'`)).toMatchObject({ ok: true, value: true });
    expect(await ev.when(`'a\\nb' == 'anb'`)).toMatchObject({ ok: true, value: true });
    expect(await ev.when(`"it's" == x`)).toMatchObject({ ok: false });
    expect(await ev.when("'{{tasks.a.outputs.parameters.q}}' == x", task({ q: "it's" }))).toMatchObject({
      ok: false,
      error: "Invalid 'when' expression ''it's' == x': Unclosed string literal",
    });
  });

  it('reads a quoted date as a time', async () => {
    expect(await ev.when("'2024-01-01' == '2024-01-01T00:00:00Z'")).toMatchObject({ ok: true, value: true });
  });

  it('evaluates an expression tag with sprig, on a task output holding {{', async () => {
    const expression = "{{=sprig.replace('{' + '{', 'X', tasks['a'].outputs.parameters['x'])}} == 'aXb'";
    expect(await ev.when(expression, task({ x: 'a{{b' }))).toEqual({ ok: true, value: true, resolved: "aXb == 'aXb'" });
    const typed = '{{=asFloat(tasks.a.outputs.parameters.auc) >= asFloat(inputs.parameters.min)}}';
    expect(await ev.when(typed, { ...task({ auc: '0.9' }), 'inputs.parameters.min': '0.85' })).toEqual({
      ok: true,
      value: true,
      resolved: 'true',
    });
  });

  it('evaluates an expression tag on an input parameter of the DAG holding {{', async () => {
    // The DAG template's substitution, where the value's {{ would open a tag, leaves the expression
    // alone; the task's own pass substitutes its when by itself, with the DAG's inputs in scope.
    const expression = "{{=sprig.replace('{' + '{', 'X', inputs.parameters['a'])}} == 'aXb'";
    expect(await ev.when(expression, { 'inputs.parameters.a': 'a{{b' })).toEqual({
      ok: true,
      value: true,
      resolved: "aXb == 'aXb'",
    });
    expect(await ev.when(expression, { 'inputs.parameters.a': 'ab' })).toMatchObject({ ok: true, value: false });
  });

  it('waits (does not fail) when a task output has no value', async () => {
    expect(await ev.when('{{tasks.b.outputs.parameters.x}} == x')).toEqual({
      ok: false,
      error: 'failed to resolve {{tasks.b.outputs.parameters.x}}',
      missing: true,
    });
  });
});

describe('substitute: a template on its way to the pod', () => {
  const template = {
    name: 'job',
    inputs: { parameters: [{ name: 'a' }] },
    container: {
      image: 'alpine',
      args: [
        '{{inputs.parameters.a}}',
        '{{=sprig.upper(inputs.parameters.a)}}',
        '{$(POLYAXON_ARGO_LBRACE)workflow.name}}',
        '$$(HOME)',
      ],
      env: [
        { name: 'POLYAXON_ARGO_LBRACE', value: '{' },
        { name: 'POD', value: '{{pod.name}}' },
      ],
    },
  };
  const vars = { 'inputs.parameters.a': 'x', 'workflow.name': 'wf', 'pod.name': 'wf-1' };

  it('substitutes inputs, globals, pod.name and expressions, and leaves our encoded braces alone', async () => {
    const answer = await ev.substitute(template, vars);
    expect(answer).toMatchObject({
      ok: true,
      value: {
        containers: [
          {
            name: 'main',
            args: ['x', 'X', '{$(POLYAXON_ARGO_LBRACE)workflow.name}}', '$$(HOME)'],
            env: [
              { name: 'POLYAXON_ARGO_LBRACE', value: '{' },
              { name: 'POD', value: 'wf-1' },
            ],
          },
        ],
      },
    });
  });

  it('expands again inside a value it has substituted', async () => {
    const answer = await ev.substitute(template, { ...vars, 'inputs.parameters.a': '{{workflow.name}}' });
    if (!answer.ok) throw new Error(answer.error);
    expect(answer.value.containers[0]?.args?.slice(0, 2)).toEqual(['wf', 'WF']);
  });

  it("hands the kubelet what then becomes the process's {{ and $(", async () => {
    const answer = await ev.substitute(template, vars);
    if (!answer.ok) throw new Error(answer.error);
    const [main] = answer.value.containers;
    expect(await ev.expand(main ?? {})).toMatchObject({
      ok: true,
      value: { args: ['x', 'X', '{{workflow.name}}', '$(HOME)'], env: { POD: 'wf-1' } },
    });
  });
});

describe("expand: the kubelet's $(VAR) expansion", () => {
  it('turns {$(POLYAXON_ARGO_LBRACE)x}} into {{x}} and $$(X) into $(X), leaving unknown names', async () => {
    const container = {
      command: ['sh', '-c', 'echo {$(POLYAXON_ARGO_LBRACE)x}}'],
      args: ['$$(X)', '$(NOPE)', '$$$(POLYAXON_ARGO_LBRACE)'],
      env: [{ name: 'POLYAXON_ARGO_LBRACE', value: '{' }],
    };
    expect(await ev.expand(container)).toEqual({
      ok: true,
      value: {
        command: ['sh', '-c', 'echo {{x}}'],
        args: ['$(X)', '$(NOPE)', '${'],
        env: { POLYAXON_ARGO_LBRACE: '{' },
      },
    });
  });

  it('expands an env value against the variables declared before it only', async () => {
    const container = {
      env: [
        { name: 'A', value: '$(B)-a' },
        { name: 'B', value: 'b' },
        { name: 'C', value: '$(B)-c' },
        { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
        { name: 'T', value: '$(S)' },
      ],
    };
    expect(await ev.expand(container, { S: 'secret' })).toMatchObject({
      ok: true,
      value: { env: { A: '$(B)-a', B: 'b', C: 'b-c', S: 'secret', T: 'secret' } },
    });
  });
});
