import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run.js';
import type { Console } from '../src/cli/io.js';
import { renderGraph } from '../src/emit/graph.js';
import { loadPolyaxonfile } from '../src/load.js';
import { readConnectionCatalog } from '../src/resolve/connection-catalog.js';
import { parseExpression, parseTemplate } from '../src/check/bind/jinja.js';
import { expandMatrix } from '../src/check/bind/matrix/expand.js';
import { NameTable, toArgoName } from '../src/argo/names.js';
import { patch } from '../src/check/bind/patch.js';
import { parseDateTime, toSeconds } from '../src/check/bind/schedule.js';
import { transpile } from '../src/transpile.js';
import { parseSource } from '../src/parse/parse-source.js';
import { locate } from '../src/parse/source.js';
import { REPO_ROOT } from './support/paths.js';

describe('names', () => {
  it('makes DNS-1123 names that never start with a digit', () => {
    expect(toArgoName('Train_Model')).toBe('train-model');
    expect(toArgoName('1st_step')).toBe('x-1st-step');
    expect(toArgoName('__')).toBe('x');
  });

  it('keeps long names under 63 characters and distinct through a hash', () => {
    const a = toArgoName(`${'a'.repeat(70)}-one`);
    const b = toArgoName(`${'a'.repeat(70)}-two`);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });

  it('suffixes collisions in order, stably', () => {
    const table = new NameTable();
    expect(['Train', 'train', 'TRAIN'].map((n) => table.claim(n))).toEqual(['train', 'train-2', 'train-3']);
    expect(table.origins.get('train-2')).toBe('train');
  });
});

describe('matrix expansion', () => {
  it('walks a grid with the last param fastest and stops at numRuns (spec §7 example)', () => {
    const suggestions = expandMatrix({
      kind: 'grid',
      numRuns: 3,
      params: { a: { kind: 'choice', value: [1, 2] }, b: { kind: 'choice', value: ['x', 'y'] } },
    });
    expect(suggestions).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
    ]);
  });

  it('uses numpy semantics: range excludes stop, linspace/logspace include it', () => {
    const values = (value: unknown, kind: string) =>
      (expandMatrix({ kind: 'grid', params: { v: { kind, value } } } as never) as { v: number }[]).map((s) => s.v);
    expect(values('0:3:1', 'range')).toEqual([0, 1, 2]);
    expect(values([0.1, 0.4, 0.1], 'range')).toEqual([0.1, 0.2, 0.3]);
    expect(values('0.01:0.1:5', 'linspace')).toEqual([0.01, 0.0325, 0.055, 0.0775, 0.1]);
    expect(values({ start: 0, stop: 2, num: 3 }, 'logspace')).toEqual([1, 10, 100]);
  });

  it('draws distinct random suggestions, the same for the same seed and different for another', () => {
    const matrix = (seed: number) => ({
      kind: 'random' as const,
      numRuns: 5,
      seed,
      params: {
        lr: { kind: 'uniform' as const, value: [0, 1] as [number, number] },
        layers: { kind: 'choice' as const, value: [1, 2, 3] },
      },
    });
    const first = expandMatrix(matrix(7));
    expect(first).toEqual(expandMatrix(matrix(7)));
    expect(first).not.toEqual(expandMatrix(matrix(8)));
    expect(new Set((first as object[]).map((s) => JSON.stringify(s))).size).toBe(5);
  });

  it('caps random search over a discrete space at the size of the space', () => {
    const suggestions = expandMatrix({
      kind: 'random',
      numRuns: 50,
      params: { a: { kind: 'choice', value: [1, 2] }, b: { kind: 'choice', value: [3, 4, 5] } },
    });
    expect(suggestions).toHaveLength(6);
  });
});

describe('patch strategies (spec §6.5)', () => {
  const component = { nodeSelector: { pool: 'cpu' }, tolerations: [{ key: 'a' }] };
  const operation = { nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'b' }] };
  it.each([
    ['post_merge', { nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'a' }, { key: 'b' }] }],
    ['pre_merge', { nodeSelector: { pool: 'cpu' }, tolerations: [{ key: 'b' }, { key: 'a' }] }],
    ['replace', operation],
    ['isnull', component],
  ] as const)('%s', (strategy, expected) => {
    expect(patch(component, operation, strategy)).toEqual(expected);
  });
});

describe('Jinja', () => {
  it('splits text and blocks, and refuses statements and expressions Argo cannot take', () => {
    expect(parseTemplate('--lr={{ lr }} {{ params.x.as_arg }}')).toEqual([
      { kind: 'text', text: '--lr=' },
      { kind: 'block', expression: { kind: 'reference', path: ['lr'], source: 'lr' }, source: 'lr', offset: 5 },
      { kind: 'text', text: ' ' },
      {
        kind: 'block',
        expression: { kind: 'reference', path: ['params', 'x', 'as_arg'], source: 'params.x.as_arg' },
        source: 'params.x.as_arg',
        offset: 14,
      },
    ]);
    expect(parseExpression("connections['s3']['bucket']")).toMatchObject({ path: ['connections', 's3', 'bucket'] });
    expect(parseTemplate('{% for x in y %}')).toMatchObject({ error: expect.stringContaining('statements') });
    expect(parseTemplate('{{ lr * 2 }}')).toMatchObject({ error: expect.stringContaining('cannot be translated') });
    expect(parseTemplate('{{ x | upper }}')).toMatchObject({ error: expect.stringContaining('filters') });
    expect(parseTemplate('{{ a < b < c }}')).toMatchObject({ error: expect.stringContaining('chained') });
  });

  it('says how a name with a dash is written, since Jinja reads it as a subtraction', () => {
    expect(parseTemplate('{{ connections.training-data.bucket }}')).toMatchObject({
      error: expect.stringContaining("connections['training-data']"),
    });
    expect(parseTemplate('{{ tls-verify }}')).toMatchObject({
      error: expect.stringContaining("params['tls-verify'].value"),
    });
  });

  it('reads Jinja literals, raw blocks and comments as text', () => {
    expect(parseTemplate("a {{ 'b }} c' }} {# skip #}{% raw %}{{ d }}{% endraw %} {{ e }}")).toEqual([
      { kind: 'text', text: 'a b }} c {{ d }} ' },
      { kind: 'block', expression: { kind: 'reference', path: ['e'], source: 'e' }, source: 'e', offset: 56 },
    ]);
  });

  it('parses the expressions conditions use, with Python precedence', () => {
    expect(parseExpression(" loss < 0.5 and not (env == 'dev') or x in [1, 2]")).toEqual({
      kind: 'or',
      left: {
        kind: 'and',
        left: {
          kind: 'compare',
          operator: '<',
          left: { kind: 'reference', path: ['loss'], source: 'loss' },
          right: { kind: 'number', value: 0.5 },
        },
        right: {
          kind: 'not',
          operand: {
            kind: 'compare',
            operator: '==',
            left: { kind: 'reference', path: ['env'], source: 'env' },
            right: { kind: 'string', value: 'dev' },
          },
        },
      },
      right: {
        kind: 'in',
        negated: false,
        item: { kind: 'reference', path: ['x'], source: 'x' },
        container: {
          kind: 'list',
          items: [
            { kind: 'number', value: 1 },
            { kind: 'number', value: 2 },
          ],
        },
      },
    });
  });
});

describe('schedules', () => {
  it('reads Polyaxon timedeltas', () => {
    expect([toSeconds(120), toSeconds('120'), toSeconds('01:02:03'), toSeconds('PT2M'), toSeconds('P1DT1H')]).toEqual([
      120, 120, 3723, 120, 90000,
    ]);
    expect(toSeconds('soon')).toBeUndefined();
  });

  it('refuses dates that do not exist instead of rolling them over', () => {
    expect(parseDateTime('2024-02-29T10:00:00Z')?.toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(parseDateTime('2023-02-29T10:00:00Z')).toBeUndefined();
    expect(parseDateTime('2024-04-31')).toBeUndefined();
    expect(parseDateTime('2024-01-01T24:00:00Z')).toBeUndefined();
    expect(parseDateTime('2024-06-01T10:00:00+02:00')?.toISOString()).toBe('2024-06-01T08:00:00.000Z');
  });
});

describe('YAML 1.1 as PyYAML reads it', () => {
  it('warns, at its place, about a directive it does not know, and reads on', () => {
    const { source, diagnostics } = parseSource('x.yaml', '%FOO bar\n---\na: 1\n');
    expect(source?.value).toEqual({ a: 1 });
    expect(diagnostics).toMatchObject([
      { severity: 'warning', code: 'yaml-warning', location: { line: 1, column: 1 } },
    ]);
  });

  it('keeps y/n as strings but reads yes/on as booleans and 0755 as octal', () => {
    const { source } = parseSource('x.yaml', 'a: y\nb: n\nc: yes\nd: on\ne: 0755\n');
    expect(source!.value).toEqual({ a: 'y', b: 'n', c: true, d: true, e: 493 });
  });
});

describe('graph', () => {
  it('labels operations with their component and trigger, with generated ids', async () => {
    const text =
      'version: 1.1\nkind: component\nrun:\n  kind: dag\n  operations:\n  - {name: a, component: {name: trainer, run: {kind: job, container: {image: x}}}}\n  - {name: b, dependencies: [a], trigger: all_done, component: {run: {kind: job, container: {image: x}}}}\n';
    const { root } = await loadPolyaxonfile('g.yaml', text);
    expect(renderGraph(root!, 'mermaid')).toBe(
      'flowchart LR\n  n0["a · (trainer)"]\n  n1["b · all_done"]\n  n0 --> n1\n',
    );
    expect(renderGraph(root!, 'dot')).toBe(
      'digraph "g" {\n  rankdir=LR;\n  node [shape=box];\n  n0 [label="a · (trainer)"];\n  n1 [label="b · all_done"];\n  n0 -> n1;\n}\n',
    );
  });
});

/** An in-memory console for runCli. */
function memoryConsole(cwd = REPO_ROOT) {
  const out = { stdout: '', stderr: '' };
  const io: Console = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    readStdin: () => Promise.resolve(Buffer.alloc(0)),
    cwd,
  };
  return { io, out };
}

describe('transpile verb', () => {
  const file = 'fixtures/pipelines/operation-with-params.yaml';

  it('writes the manifest to -o atomically, and nothing when the input is invalid', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'transpile-'));
    const good = memoryConsole();
    expect(await runCli(['transpile', file, '-o', path.join(dir, 'out.yaml')], good.io)).toBe(0);
    expect(parse(readFileSync(path.join(dir, 'out.yaml'), 'utf8')).kind).toBe('Workflow');
    const bad = memoryConsole();
    expect(
      await runCli(['transpile', 'fixtures/invalid/cycle-two.yaml', '-o', path.join(dir, 'bad.yaml')], bad.io),
    ).toBe(1);
    expect(existsSync(path.join(dir, 'bad.yaml'))).toBe(false);
    expect(bad.out.stderr).toContain('[cycle]');
  });

  it('puts --param values in spec.arguments and names the workflow as asked', async () => {
    const { io, out } = memoryConsole();
    expect(
      await runCli(
        ['transpile', file, '--param', 'epochs=40', '--name', 'retrain-7', '--namespace', 'ml', '--format', 'json'],
        io,
      ),
    ).toBe(0);
    const manifest = JSON.parse(out.stdout);
    expect(manifest.metadata).toMatchObject({ name: 'retrain-7', namespace: 'ml' });
    expect(manifest.spec.arguments.parameters).toEqual([
      { name: 'customer', value: 'acme-corp' },
      { name: 'epochs', value: '40' },
      { name: 'learning_rate', value: '0.003' },
    ]);
  });

  it('emits a WorkflowTemplate whose open inputs the submitter fills', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'template-'));
    writeFileSync(
      path.join(dir, 'p.yaml'),
      'version: 1.1\nkind: component\nname: open\ninputs: [{name: dataset, type: str}]\nrun: {kind: job, container: {image: alpine, args: ["{{ dataset }}"]}}\n',
    );
    const asWorkflow = memoryConsole(dir);
    expect(await runCli(['transpile', 'p.yaml'], asWorkflow.io)).toBe(1);
    expect(asWorkflow.out.stderr).toContain('--param dataset=VALUE');
    const asTemplate = memoryConsole(dir);
    expect(await runCli(['transpile', 'p.yaml', '--kind', 'workflow-template'], asTemplate.io)).toBe(0);
    const manifest = parse(asTemplate.out.stdout);
    expect(manifest).toMatchObject({
      kind: 'WorkflowTemplate',
      metadata: { name: 'open' },
      spec: { arguments: { parameters: [{ name: 'dataset' }] } },
    });
  });

  it('quotes strings Kubernetes would read as YAML 1.1 booleans or numbers', async () => {
    const result = await transpile(
      'q.yaml',
      'version: 1.1\nkind: component\nrun: {kind: job, container: {image: alpine, args: ["on", "yes", "0755", "y"]}}\n',
      { kind: 'workflow' },
    );
    expect(result.output).toContain('- "on"\n');
    expect(result.output).toContain('- "yes"\n');
    expect(result.output).toContain('- "0755"\n');
    expect(parse(result.output!, { version: '1.1' }).spec.templates[0].container.args).toEqual([
      'on',
      'yes',
      '0755',
      'y',
    ]);
  });
});

describe('manifest size', () => {
  const pipeline = (operations: number) =>
    `version: 1.1\nkind: component\nname: wide\nrun:\n  kind: dag\n  operations:\n${Array.from({ length: operations }, (_, i) => `  - {name: op-${i}, component: {name: step-${i}, run: {kind: job, container: {image: "ghcr.io/acme/step:${i}", args: [--index, "${i}"]}}}}\n`).join('')}`;

  it("warns, where the operations are listed, before Argo's etcd limit is reached", async () => {
    const big = await transpile('wide.yaml', pipeline(8000), { kind: 'workflow' });
    expect(big.output).toBeDefined();
    expect(big.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'manifest-size',
        location: expect.objectContaining({ line: 6, column: 3 }),
        message: expect.stringContaining('MiB; Argo keeps it in one etcd object'),
      }),
      // 8,000 node statuses will not fit the Workflow either, even compressed.
      expect.objectContaining({ severity: 'warning', code: 'run-status-size' }),
    ]);
    const small = await transpile('wide.yaml', pipeline(100), { kind: 'workflow' });
    expect(small.diagnostics).toEqual([]);
  });

  it('weighs the manifest as etcd keeps it (compact JSON), whatever format it is written in', async () => {
    const yaml = await transpile('wide.yaml', pipeline(8000), { kind: 'workflow' });
    const json = await transpile('wide.yaml', pipeline(8000), { kind: 'workflow', format: 'json' });
    const stored = (Buffer.byteLength(JSON.stringify(yaml.manifest)) / 1024 / 1024).toFixed(1);
    for (const result of [yaml, json])
      expect(result.diagnostics[0]!.message).toContain(`the Workflow is ${stored} MiB;`);
  });
});

describe('literal braces (what Argo must not expand)', () => {
  const lower = async (text: string, connections?: string) => {
    const catalog = connections ? readConnectionCatalog('connections.yaml', connections).catalog : undefined;
    const result = await transpile('braces.yaml', text, {
      kind: 'workflow',
      ...(catalog ? { connections: catalog } : {}),
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return parse(result.output!) as {
      metadata: { annotations: Record<string, string> };
      spec: { templates: Record<string, any>[]; arguments?: { parameters: { name: string; value: string }[] } };
    };
  };
  const variable = { name: 'POLYAXON_ARGO_LBRACE', value: '{' };

  it('encodes them in args and param values, and defines the variable first in every container', async () => {
    const manifest = await lower(`version: 1.1
kind: component
name: braces
tags: ["a"]
inputs: [{name: msg, type: str, value: "x"}]
run:
  kind: job
  init: [{file: {content: "echo $$ {% raw %}{{c}}{% endraw %}", filename: run.sh}}]
  container:
    image: alpine
    args: ["{% raw %}{{=sprig.env('HOME')}}{% endraw %}", "{{ msg }}"]
    env: [{name: A, value: "1"}]
`);
    const [template] = manifest.spec.templates;
    expect(template!.container.args).toEqual([
      "{$(POLYAXON_ARGO_LBRACE)=sprig.env('HOME')}}",
      '{{inputs.parameters.msg}}',
    ]);
    expect(template!.container.env).toEqual([variable, { name: 'A', value: '1' }]);
    // A file's content must reach the file as written: `$` escaped for the kubelet as `$$`.
    // The file's content travels as an environment variable its script writes out.
    expect(template!.initContainers[0].env).toEqual([
      variable,
      { name: 'TARGET', value: '/plx-context/artifacts' },
      { name: 'FILENAME', value: 'run.sh' },
      { name: 'CONTENT', value: 'echo $$$$ {$(POLYAXON_ARGO_LBRACE)c}}' },
    ]);
  });

  it('leaves a workflow without literal braces untouched', async () => {
    const manifest = await lower(
      'version: 1.1\nkind: component\nrun: {kind: job, container: {image: alpine, args: ["{a}", "$(HOME)"]}}\n',
    );
    expect(manifest.spec.templates[0]!.container).toEqual({ image: 'alpine', args: ['{a}', '$(HOME)'] });
  });

  it('encodes mapping params and connection values, which Polyaxon does not render', async () => {
    const manifest = await lower(
      `version: 1.1
kind: operation
name: m
matrix: {kind: mapping, values: [{opt: a}]}
params: {cfg: {value: {k: "{{y}}"}}}
component:
  inputs: [{name: opt, type: str}, {name: cfg, type: dict}]
  run:
    kind: job
    connections: [db]
    container: {image: alpine, args: ["{{ opt }}", "{{ cfg }}", "{{ connections.db.url }}"]}
`,
      'connections:\n  - {name: db, kind: postgres, schema: {url: "pg://{{host}}"}}\n',
    );
    const [job] = manifest.spec.templates;
    expect(manifest.spec.arguments!.parameters).toContainEqual({
      name: 'cfg',
      value: '{"k":"{$(POLYAXON_ARGO_LBRACE)y}}"}',
    });
    expect(job!.container.args[2]).toBe('pg://{$(POLYAXON_ARGO_LBRACE)host}}');
    expect(job!.container.env[0]).toEqual(variable);
  });

  it('defines the variable in the containers of a resource template', async () => {
    const manifest = await lower(`version: 1.1
kind: component
name: tf
run:
  kind: tfjob
  chief: {replicas: 1, container: {image: tf, args: ["{% raw %}{{x}}{% endraw %}"], env: [{name: N, value: "{% raw %}{{n}}{% endraw %}"}]}}
`);
    const job = parse(manifest.spec.templates[0]!.resource.manifest) as {
      spec: { tfReplicaSpecs: { Chief: { template: { spec: { containers: Record<string, unknown>[] } } } } };
    };
    expect(job.spec.tfReplicaSpecs.Chief.template.spec.containers[0]).toMatchObject({
      args: ['{$(POLYAXON_ARGO_LBRACE)x}}'],
      env: [variable, { name: 'N', value: '{$(POLYAXON_ARGO_LBRACE)n}}' }],
    });
  });
});

describe('a parsed source', () => {
  it('lets the garbage collector take its YAML document, and still places a later diagnostic', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const text = 'version: 1.1\nkind: component\nrun:\n  kind: job\n  container: {image: alpine}\n';
    const { source } = parseSource('weak.yaml', text);
    const probe = new WeakRef(source!.document);
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef keeps its target until the job ends
    gc();
    expect(probe.deref()).toBeUndefined();
    expect(locate(source!, ['run', 'container', 'image'], 'value')).toEqual({
      file: 'weak.yaml',
      line: 5,
      column: 22,
      endLine: 5,
      endColumn: 28,
    });
  });
});

describe("the project's names (globals.project_name, owner_name, project_unique_name)", () => {
  const tagged = `version: 1.1
kind: component
name: tagger
run:
  kind: job
  container:
    image: alpine
    args: ["--image={{ globals.project_unique_name }}:latest", "--project={{ globals.project_name }}"]
`;

  it('reads workflow parameters that --project sets once', async () => {
    const result = await transpile('tag.yaml', tagged, {
      kind: 'workflow',
      project: { owner: 'acme', name: 'vision' },
    });
    expect(result.diagnostics).toEqual([]);
    const manifest = parse(result.output!);
    expect(manifest.spec.arguments.parameters).toEqual([
      { name: 'polyaxon-owner', value: 'acme' },
      { name: 'polyaxon-project', value: 'vision' },
    ]);
    expect(manifest.spec.templates[0].container.args).toEqual([
      '--image={{workflow.parameters.polyaxon-owner}}.{{workflow.parameters.polyaxon-project}}:latest',
      '--project={{workflow.parameters.polyaxon-project}}',
    ]);
  });

  it('refuses a Workflow without the names, where they are read, and says how to give them', async () => {
    const result = await transpile('tag.yaml', tagged, { kind: 'workflow', project: { name: 'vision' } });
    expect(result.output).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'untranslatable-template',
        location: expect.objectContaining({ line: 8, column: 12 }),
        message: '`{{ globals.project_unique_name }}` names the Polyaxon project, which Argo does not know',
        hint: 'name it once with `--project OWNER/NAME`, or write a WorkflowTemplate (`--kind workflow-template`) that takes it when submitted',
      }),
    ]);
  });

  it('leaves them to whoever submits a WorkflowTemplate', async () => {
    const result = await transpile('tag.yaml', tagged, { kind: 'workflow-template' });
    expect(result.diagnostics).toEqual([]);
    expect(parse(result.output!).spec.arguments.parameters).toEqual([
      { name: 'polyaxon-owner' },
      { name: 'polyaxon-project' },
    ]);
  });
});
