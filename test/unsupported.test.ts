import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { transpile } from '../src/transpile.js';
import { REPO_ROOT } from './support/paths.js';

const HUB = path.join(REPO_ROOT, 'fixtures', 'pipelines', 'hub');

/**
 * Every Polyaxon feature Argo cannot express is refused with a located error that says why:
 * nothing is dropped silently. Each case is a minimal pipeline around one feature.
 */

const job = '{run: {kind: job, container: {image: alpine}}}';
const dag = (operations: string, extra = '') =>
  `version: 1.1\nkind: component\nrun:\n  kind: dag\n${extra}  operations:\n${operations}`;

async function errors(text: string) {
  const result = await transpile('pipeline.yaml', text, { kind: 'workflow', offline: true, hubDir: HUB });
  expect(result.output).toBeUndefined();
  return result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ at: `${d.location.line}:${d.location.column}`, code: d.code, message: d.message }));
}

const cases: [string, string, string, string, string][] = [
  // name, pipeline, expected position, code, key words of the message
  [
    'hyperband search',
    `version: 1.1\nkind: operation\nmatrix:\n  kind: hyperband\n  maxIterations: 9\n  eta: 3\n  resource: {name: steps, type: int}\n  metric: {name: loss, optimization: minimize}\n  params: {lr: {kind: choice, value: [0.1, 0.01]}}\ncomponent:\n  inputs: [{name: lr, type: float}, {name: steps, type: int}]\n  run: {kind: job, container: {image: alpine}}\n`,
    '4:9',
    'not-supported-by-argo',
    'needs a tuner',
  ],
  [
    'bayes search',
    `version: 1.1\nkind: operation\nmatrix:\n  kind: bayes\n  numInitialRuns: 2\n  maxIterations: 4\n  metric: {name: loss, optimization: minimize}\n  params: {lr: {kind: uniform, value: [0, 1]}}\ncomponent:\n  inputs: [{name: lr, type: float}]\n  run: {kind: job, container: {image: alpine}}\n`,
    '4:9',
    'not-supported-by-argo',
    'bayes',
  ],
  [
    'tpe search',
    `version: 1.1\nkind: operation\nmatrix:\n  kind: tpe\n  metric: {name: loss, optimization: minimize}\n  params: {lr: {kind: uniform, value: [0, 1]}}\ncomponent:\n  inputs: [{name: lr, type: float}]\n  run: {kind: job, container: {image: alpine}}\n`,
    '4:9',
    'not-supported-by-argo',
    'tpe',
  ],
  [
    'iterative search',
    `version: 1.1\nkind: operation\nmatrix:\n  kind: iterative\n  maxIterations: 3\n  params: {lr: {kind: choice, value: [1, 2]}}\ncomponent:\n  inputs: [{name: lr, type: int}]\n  run: {kind: job, container: {image: alpine}}\n`,
    '4:9',
    'not-supported-by-argo',
    'iterative',
  ],
  [
    'joins',
    `version: 1.1\nkind: operation\njoins:\n- {query: "metrics.loss:<0.1", params: {losses: {value: outputs.loss}}}\ncomponent:\n  inputs: [{name: losses, type: float, isList: true}]\n  run: {kind: job, container: {image: alpine}}\n`,
    '3:1',
    'not-supported-by-argo',
    'joins',
  ],
  [
    'build',
    `version: 1.1\nkind: component\nbuild: {hubRef: kaniko}\nrun: {kind: job, container: {image: alpine}}\n`,
    '3:1',
    'not-supported-by-argo',
    'build',
  ],
  [
    'a hook on skipped runs',
    `version: 1.1\nkind: component\nhooks: [{hubRef: notifier, trigger: skipped, params: {message: {value: x}}}]\nrun: {kind: job, container: {image: alpine}}\n`,
    '3:28',
    'not-supported-by-argo',
    'skipped',
  ],
  [
    'manual approval of the whole pipeline',
    `version: 1.1\nkind: component\nisApproved: false\nrun: {kind: job, container: {image: alpine}}\n`,
    '3:1',
    'not-supported-by-argo',
    'the top operation cannot wait for an approval',
  ],
  [
    'platform plugin',
    `version: 1.1\nkind: component\nplugins: {auth: true}\nrun: {kind: job, container: {image: alpine}}\n`,
    '3:11',
    'not-supported-by-argo',
    'auth',
  ],
  [
    'raycluster runtime',
    `version: 1.1\nkind: component\nrun:\n  kind: raycluster\n  head: {container: {image: rayproject/ray}}\n`,
    '4:3',
    'not-supported-by-argo',
    'raycluster',
  ],
  [
    'daskcluster runtime',
    `version: 1.1\nkind: component\nrun:\n  kind: daskcluster\n  worker: {container: {image: dask}}\n`,
    '4:3',
    'not-supported-by-argo',
    'daskcluster',
  ],
  [
    'start on run_status_running of a job',
    dag(
      `  - {name: a, component: ${job}}\n  - name: b\n    events: [{ref: ops.a, kinds: [run_status_running]}]\n    component: ${job}\n`,
    ),
    '8:35',
    'not-supported-by-argo',
    'run_status_running',
  ],
  [
    'runs reference',
    `version: 1.1\nkind: operation\nparams:\n  model: {ref: runs.8aac02e3a62a4f0aaa257c59da5eab80, value: outputs.model}\ncomponent:\n  inputs: [{name: model, type: path}]\n  run: {kind: job, container: {image: alpine}}\n`,
    '4:11',
    'not-supported-by-argo',
    'outside this workflow',
  ],
  [
    'schedule inside a dag',
    dag(`  - name: a\n    schedule: {kind: cron, cron: "0 * * * *"}\n    component: ${job}\n`),
    '7:5',
    'not-supported-by-argo',
    'schedule',
  ],
  [
    'templated concurrency',
    dag(`  - {name: a, component: ${job}}\n`, '  concurrency: "{{ workers }}"\n'),
    '5:3',
    'not-supported-by-argo',
    'concurrency',
  ],
  [
    'two different operation ttls',
    dag(
      `  - {name: a, termination: {ttl: 60}, component: ${job}}\n  - {name: b, termination: {ttl: 120}, component: ${job}}\n`,
    ),
    '7:29',
    'not-supported-by-argo',
    'ttl: 120',
  ],
  [
    'restartPolicy',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  environment: {restartPolicy: OnFailure}\n  container: {image: alpine}\n`,
    '5:17',
    'not-supported-by-argo',
    'restartPolicy',
  ],
  [
    'reading the outputs of a matrix',
    dag(
      `  - name: sweep\n    matrix: {kind: mapping, values: [{lr: 0.1}, {lr: 0.2}]}\n    component: {inputs: [{name: lr, type: float}], outputs: [{name: loss, type: float}], run: {kind: job, container: {image: alpine}}}\n  - name: report\n    params: {loss: {ref: ops.sweep, value: outputs.loss}}\n    component: {inputs: [{name: loss, type: float}], run: {kind: job, container: {image: alpine}}}\n`,
    ),
    '10:37',
    'not-supported-by-argo',
    'fans out',
  ],
  [
    'Jinja filter in args',
    `version: 1.1\nkind: component\ninputs: [{name: lr, type: float, value: 0.1}]\nrun:\n  kind: job\n  container: {image: alpine, args: ["{{ lr | round }}"]}\n`,
    '6:37',
    'untranslatable-template',
    'cannot be translated',
  ],
  [
    'Jinja statement in command',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  container: {image: alpine, command: ["{% if x %}a{% endif %}"]}\n`,
    '5:40',
    'untranslatable-template',
    'statements',
  ],
  [
    '{{ inputs.x }}, which Polyaxon does not have',
    `version: 1.1\nkind: component\ninputs: [{name: lr, type: float, value: 0.1}]\nrun:\n  kind: job\n  container: {image: alpine, args: ["{{ inputs.lr }}"]}\n`,
    '6:37',
    'untranslatable-template',
    'Polyaxon has no `{{ inputs.lr }}`',
  ],
  [
    'unknown name in a template',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  container: {image: alpine, args: ["{{ epochs }}"]}\n`,
    '5:37',
    'untranslatable-template',
    'epochs',
  ],
  [
    'global without an Argo equivalent',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  container: {image: alpine, args: ["{{ globals.project_name }}"]}\n`,
    '5:37',
    'untranslatable-template',
    'project_name',
  ],
  [
    'unknown connection',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  connections: [s3-data]\n  container: {image: alpine}\n`,
    '5:17',
    'unknown-connection',
    's3-data',
  ],
  [
    'a job without a container',
    `version: 1.1\nkind: component\nrun: {kind: job}\n`,
    '3:1',
    'not-supported-by-argo',
    'without a `container`',
  ],
  [
    'an interval that is not whole minutes',
    `version: 1.1\nkind: operation\nschedule: {kind: interval, frequency: 90}\ncomponent: {run: {kind: job, container: {image: alpine}}}\n`,
    '3:28',
    'not-supported-by-argo',
    'by the minute',
  ],
  [
    'service replicas',
    `version: 1.1\nkind: component\nrun:\n  kind: service\n  replicas: 2\n  container: {image: nginx}\n`,
    '5:3',
    'not-supported-by-argo',
    'replicas',
  ],
  [
    'a namespace on one operation of a dag',
    dag(`  - {name: a, namespace: team-b, component: ${job}}\n`),
    '6:15',
    'not-supported-by-argo',
    'namespace',
  ],
  [
    'conditions on the whole pipeline',
    `version: 1.1\nkind: operation\nconditions: "{{ go }}"\nparams: {go: {value: true, contextOnly: true}}\ncomponent: {run: {kind: job, container: {image: alpine}}}\n`,
    '3:1',
    'not-supported-by-argo',
    'conditions',
  ],
  [
    'templated dependencies',
    dag(`  - {name: a, component: ${job}}\n  - {name: b, dependencies: "{{ upstream }}", component: ${job}}\n`),
    '7:15',
    'not-supported-by-argo',
    'dependencies',
  ],
  [
    'literal braces where Kubernetes does not decode them',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  container: {image: "alpine{% raw %}{{workflow.name}}{% endraw %}"}\n`,
    '5:22',
    'untranslatable-template',
    'which Argo would read as a tag',
  ],
  [
    'literal braces inside an unclosed `$(`',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  container: {image: alpine, args: ["$(X{% raw %}{{y}}{% endraw %})"]}\n`,
    '5:37',
    'untranslatable-template',
    'Kubernetes would read them as one',
  ],
  [
    'templates in matrix values',
    `version: 1.1\nkind: operation\nmatrix: {kind: mapping, values: [{x: "{{ y }}"}]}\ncomponent: {inputs: [{name: x, type: str}], run: {kind: job, container: {image: alpine}}}\n`,
    '3:38',
    'untranslatable-template',
    'not rendered',
  ],
  [
    'templates in the environment',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  environment: {labels: {owner: "{{workflow.name}}"}}\n  container: {image: alpine}\n`,
    '5:33',
    'untranslatable-template',
    'Argo would read them as its own tags',
  ],
  [
    'init from the artifacts store',
    `version: 1.1\nkind: component\nrun:\n  kind: job\n  init: [{artifacts: {files: [data.csv]}}]\n  container: {image: alpine}\n`,
    '5:11',
    'not-supported-by-argo',
    'artifacts store',
  ],
];

describe('features Argo cannot express are refused where they are written', () => {
  it.each(cases)('%s', async (_name, text, at, code, words) => {
    const found = await errors(text);
    expect(found).toContainEqual(expect.objectContaining({ at, code, message: expect.stringContaining(words) }));
  });

  it('never writes output when any error is found (no partial manifests)', async () => {
    const result = await transpile('pipeline.yaml', cases[0]![1], { kind: 'workflow' });
    expect(result.output).toBeUndefined();
  });
});
