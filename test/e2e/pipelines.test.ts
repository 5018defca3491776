import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CustomObjectsApi, SchedulingV1Api } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { describe, expect, it, type TestContext } from 'vitest';
import type { WorkflowObject } from '../../src/watch/workflow-status.js';
import { REPO_ROOT } from '../support/paths.js';
import { runBundledCli } from '../support/run-cli.js';
import { NODE_NAME } from './support/node.js';
import { Scenario, until, type Behaviour } from './support/scenario.js';
import { bindVolume, setNodeExtendedResource, setNodeLabels } from './support/cluster-objects.js';

/**
 * Every example pipeline of fixtures/pipelines that needs no outside service, run to completion
 * on the real node through the Action, with assertions on what ran, what was skipped and what
 * each process received. The manifests' shape is the transpiler's business; these tests only
 * look at behaviour: the processes (support/standin-server.ts), the workflow's node phases and
 * the files the pods wrote.
 */

const FIXTURES = path.join(REPO_ROOT, 'fixtures', 'pipelines');
const ARGO = path.join(REPO_ROOT, '.tools', 'bin', 'argo');
const run = promisify(execFile);

/** Pipelines run by test/e2e/scenarios.test.ts, with Action-level assertions. */
const RUN_ELSEWHERE: Record<string, string> = {
  'diamond.yaml': 'scenarios.test.ts: parameters through the controller',
  'triggers.yaml': 'scenarios.test.ts: every trigger policy after a failure',
  'matrix-grid.yaml': 'scenarios.test.ts: a matrix under its concurrency',
  'nested-dag.yaml': 'scenarios.test.ts: a nested dag',
};

/** Pipelines that need what this cluster has not, and why (besides the distributed ones below). */
const NOT_RUN: Record<string, string> = {
  'download-and-merge.yaml':
    'downloads from https://example.com, and its merge reads files only the download pods had (/tmp/data)',
  'plugins.yaml': 'its docker plugin mounts the node\u2019s /var/run/docker.sock: it needs a Docker engine on the node',
};

/** The pipelines this file runs (filled by `pipeline(…)` below). */
const RUN_HERE = new Set<string>();

function pipeline(
  file: string,
  title: string,
  body: (test: TestContext) => Promise<void>,
  options: { sequential?: boolean } = {},
) {
  RUN_HERE.add(file);
  const test = options.sequential ? it : it.concurrent;
  test(`${file}: ${title}`, body);
}

/** Submits an example pipeline through the Action and waits for the end; returns the scenario and the workflow. */
async function runFixture(
  test: TestContext,
  namespace: string,
  file: string,
  behave: Behaviour = () => undefined,
  expectedCode = 0,
): Promise<{ scenario: Scenario; workflow: WorkflowObject; stdout: string }> {
  const scenario = await Scenario.openFixture(test, namespace, file, behave);
  const result = await scenario.submit().done;
  expect(result.code, result.stdout).toBe(expectedCode);
  return { scenario, workflow: (await scenario.workflow())!, stdout: result.stdout };
}

/** The display names of the workflow's pods that ran, and of the tasks it skipped. */
function outcome(workflow: WorkflowObject): { ran: string[]; skipped: string[]; failed: string[] } {
  const nodes = Object.values(workflow.status?.nodes ?? {});
  const names = (keep: (n: (typeof nodes)[number]) => boolean) =>
    nodes
      .filter(keep)
      .map((n) => n.displayName ?? n.name)
      .sort();
  return {
    ran: names((n) => n.type === 'Pod' && n.phase === 'Succeeded'),
    skipped: names((n) => n.phase === 'Skipped' || n.phase === 'Omitted'),
    failed: names((n) => n.type === 'Pod' && (n.phase === 'Failed' || n.phase === 'Error')),
  };
}

const argvOf = (scenario: Scenario) => Object.fromEntries(scenario.runs.map((s) => [s.task, s.argv]));

describe('the example pipelines', () => {
  it('are each run here, in scenarios.test.ts, or said why not', () => {
    const all = readdirSync(FIXTURES)
      .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.argo.yaml') && f !== 'connections.yaml')
      .sort();
    // Distributed runs are resources for an operator this cluster does not run.
    const distributed = all.filter((f) =>
      /\bkind:\s*"?(tfjob|pytorchjob|mpijob|daskcluster|raycluster)\b/.test(
        readFileSync(path.join(FIXTURES, f), 'utf8'),
      ),
    );
    expect(distributed).toContain('distributed-in-dag.yaml');
    for (const file of distributed) expect(RUN_HERE.has(file), file).toBe(false);
    const accounted = [...RUN_HERE, ...Object.keys(RUN_ELSEWHERE), ...Object.keys(NOT_RUN), ...distributed].sort();
    expect(accounted).toEqual(all);
  });
});

describe.concurrent('example pipelines on real pods', () => {
  pipeline('json-pipeline.json', 'runs hello, then world, each echoing for real', async (test) => {
    const { scenario, workflow } = await runFixture(test, 'json-pipeline', 'json-pipeline.json');
    expect(outcome(workflow).ran).toEqual(['hello', 'world']);
    expect(argvOf(scenario)).toEqual({ hello: ['echo', 'hello from JSON'], world: ['echo', 'world'] });
    expect(scenario.run('world').startedMs).toBeGreaterThan(scenario.run('hello').startedMs);
  });

  pipeline('names.yaml', 'runs the renamed operations in their order', async (test) => {
    const { scenario, workflow } = await runFixture(test, 'names', 'names.yaml');
    expect(workflow.status?.phase).toBe('Succeeded');
    const order = scenario.runs.map((s) => s.task);
    expect(order).toHaveLength(3);
    // alpine's CMD (/bin/sh, from the entrypoint index) ran: no command was given.
    expect(scenario.runs.map((s) => s.argv)).toEqual([['/bin/sh'], ['/bin/sh'], ['/bin/sh']]);
  });

  pipeline(
    'yaml11-scalars.yaml',
    'passes YAML 1.1 scalars as Polyaxon reads and renders them (`yes` is the boolean True)',
    async (test) => {
      const { scenario } = await runFixture(test, 'yaml11', 'yaml11-scalars.yaml');
      // As Polyaxon renders them: the boolean `yes` is `True`, the string "on" stays, 0755 is octal 493.
      expect(scenario.run('job').argv).toEqual(['echo', 'True', 'on', '493']);
    },
  );

  pipeline('operation-with-params.yaml', "passes the operation's params down as workflow arguments", async (test) => {
    const { scenario } = await runFixture(test, 'operation-params', 'operation-with-params.yaml');
    expect(scenario.run('train').argv).toEqual(['python', 'train.py', 'acme-corp', '20', '0.003']);
  });

  pipeline('io-rendering.yaml', 'renders isFlag, argFormat, as_arg, as_args and toEnv', async (test) => {
    const { scenario } = await runFixture(test, 'io-rendering', 'io-rendering.yaml');
    const train = scenario.run('train');
    expect(train.argv).toEqual(['python', 'train.py', '--loss=MeanSquaredError', '--verbose', '--random-seed=7']);
    expect(train.env).toMatchObject({ NUM_WORKERS: '4', API_TOKEN: 'none' });
    // `sh -c "python train.py {{ params.as_args }}"`: the real shell started the program.
    expect(scenario.run('all-args').argv.slice(0, 2)).toEqual(['sh', '-c']);
    const python = scenario.steps.find((s) => s.task === 'all-args' && s.nested && s.argv[0] === 'python');
    expect(python?.argv).toEqual(['python', 'train.py', '--epochs=3', '--batch=64']);
  });

  pipeline('path-ref.yaml', "passes train's output to evaluate across files", async (test) => {
    const { scenario } = await runFixture(test, 'path-ref', 'path-ref.yaml', (step) =>
      step.task === 'train' ? { outputs: { model: 's3://models/run-1' } } : undefined,
    );
    expect(scenario.run('train').argv).toEqual([
      'python',
      '-m',
      'train',
      '--lr=0.05',
      '--model=/plx-context/artifacts/run/outputs/model',
    ]);
    expect(scenario.run('evaluate').argv).toEqual(['evaluate', 's3://models/run-1']);
  });

  pipeline('conditions.yaml', 'deploys when the accuracy output passes the condition', async (test) => {
    const { scenario, workflow } = await runFixture(test, 'conditions-pass', 'conditions.yaml', (step) =>
      step.task === 'train' ? { outputs: { accuracy: '0.95' } } : undefined,
    );
    expect(outcome(workflow)).toMatchObject({ ran: ['deploy', 'report', 'train'], skipped: [] });
    expect(scenario.run('deploy').argv).toEqual(['deploy', '--target=production']);
  });

  it.concurrent(
    'conditions.yaml: skips deploy, and report with it (skipOnUpstreamSkip), when the accuracy is low',
    async (test) => {
      const { scenario, workflow } = await runFixture(test, 'conditions-fail', 'conditions.yaml', (step) =>
        step.task === 'train' ? { outputs: { accuracy: '0.5' } } : undefined,
      );
      expect(outcome(workflow)).toMatchObject({ ran: ['train'], skipped: ['deploy', 'report'] });
      expect(scenario.runs.map((s) => s.task)).toEqual(['train']);
    },
  );

  pipeline('events.yaml', 'starts the operations the success event names, and skips the failure ones', async (test) => {
    const { workflow } = await runFixture(test, 'events', 'events.yaml');
    expect(outcome(workflow)).toMatchObject({
      ran: ['archive', 'notify-success', 'train'],
      skipped: ['notify-failure'],
    });
  });

  it.concurrent('events.yaml: after a failure, starts notify-failure and archive, not notify-success', async (test) => {
    const { workflow } = await runFixture(
      test,
      'events-failure',
      'events.yaml',
      (step) => (step.task === 'train' ? { exitCode: 2 } : undefined),
      1,
    );
    expect(outcome(workflow)).toMatchObject({
      ran: ['archive', 'notify-failure'],
      skipped: ['notify-success'],
      failed: ['train'],
    });
  });

  pipeline('dag-early-stopping.yaml', 'fails the workflow when one operation fails (failFast)', async (test) => {
    const { workflow } = await runFixture(
      test,
      'dag-early-stopping',
      'dag-early-stopping.yaml',
      (step) => (step.task === 'a' ? { exitCode: 1 } : undefined),
      1,
    );
    expect(workflow.status?.phase).toBe('Failed');
    expect(outcome(workflow).failed).toEqual(['a']);
  });

  pipeline('matrix-mapping.yaml', 'runs each mapping item with its values, two at a time', async (test) => {
    const { scenario } = await runFixture(test, 'matrix-mapping', 'matrix-mapping.yaml', () => ({ runMs: 1500 }));
    expect(scenario.runs.map((s) => s.argv.join(' ')).sort()).toEqual([
      'python train.py --lr=0.001 --optimizer=adam',
      'python train.py --lr=0.01 --optimizer=adam',
      'python train.py --lr=0.1 --optimizer=sgd',
    ]);
    expect(scenario.maxConcurrent()).toBeLessThanOrEqual(2);
  });

  pipeline('matrix-random.yaml', 'runs the four seeded suggestions', async (test) => {
    const { scenario } = await runFixture(test, 'matrix-random', 'matrix-random.yaml');
    const argv = scenario.runs.map((s) => s.argv.join(' '));
    expect(argv).toHaveLength(4);
    expect(new Set(argv).size).toBe(4);
    for (const line of argv) expect(line).toMatch(/^python train\.py [\d.e-]+ 0\.\d+ [234]$/);
  });

  pipeline('shared-templates.yaml', 'runs ten shards four at a time, then reduces', async (test) => {
    const { scenario } = await runFixture(test, 'shared-templates', 'shared-templates.yaml', () => ({ runMs: 1000 }));
    const shards = scenario.runs.filter((s) => s.task.startsWith('shard-'));
    expect(shards.map((s) => s.argv.at(-1)).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `--index=${i}`).sort(),
    );
    expect(scenario.maxConcurrent()).toBeLessThanOrEqual(4);
    const reduce = scenario.run('reduce');
    expect(reduce.argv).toEqual(['shard', 'reduce']);
    expect(reduce.startedMs).toBeGreaterThanOrEqual(Math.max(...shards.map((s) => s.endedMs ?? Infinity)));
  });

  pipeline('termination.yaml', 'retries the download with real exit codes until it succeeds', async (test) => {
    const { scenario, workflow } = await runFixture(test, 'termination', 'termination.yaml', (step) =>
      step.task === 'flaky-download' && step.attempt < 2 ? { exitCode: 22, stderr: 'curl: (22) 503\n' } : undefined,
    );
    expect(scenario.runs.map((s) => `${s.task}#${s.attempt}`)).toEqual([
      'flaky-download#0',
      'flaky-download#1',
      'flaky-download#2',
      'train#0',
    ]);
    expect(scenario.run('flaky-download').argv).toEqual(['/entrypoint.sh', '-fsSL', 'https://example.com/data']);
    const exitCodes = Object.values(workflow.status!.nodes!)
      .filter((n) => n.type === 'Pod' && n.displayName?.startsWith('flaky-download'))
      .map((n) => n.message ?? '')
      .sort();
    expect(exitCodes.filter((m) => /exit code 22/.test(m))).toHaveLength(2);
  });

  pipeline('globals.yaml', 'gives each operation its run uuid, namespace and artifacts path', async (test) => {
    const { scenario, workflow } = await runFixture(test, 'globals', 'globals.yaml');
    const train = scenario.run('train');
    // The run's uuid is its node's id, inside the pod and as `ref: ops.train, value: globals.uuid`.
    const trainId = Object.values(workflow.status?.nodes ?? {}).find((n) => n.displayName === 'train')?.id;
    expect(trainId).toBeDefined();
    expect(train.argv).toEqual([
      'python',
      'train.py',
      `--run=${trainId}`,
      '--namespace=globals',
      '--artifacts=/plx-context/artifacts/run',
    ]);
    const register = scenario.run('register');
    expect(register.argv[0]).toBe('registry');
    expect(register.argv[3]).toBe('Succeeded');
  });

  it('globals.yaml: gives register the same uuid train got for itself', async (test) => {
    const { scenario } = await runFixture(test, 'globals-uuid', 'globals.yaml');
    expect(scenario.run('register').argv[2]).toBe(scenario.run('train').argv[2]?.replace('--run=', ''));
  });

  pipeline(
    'hooks.yaml',
    'runs the failure hook and the exit handler, not the success hook, when train fails',
    async (test) => {
      const { scenario, workflow } = await runFixture(
        test,
        'hooks',
        'hooks.yaml',
        (step) => (step.task === 'train' ? { exitCode: 1 } : undefined),
        1,
      );
      expect(outcome(workflow).failed).toEqual(['train']);
      const messages = scenario.runs.filter((s) => s.argv[0] === '/entrypoint.sh').map((s) => s.argv[2]);
      expect(messages.sort()).toEqual(['pipeline finished', 'training failed']);
    },
  );

  it.concurrent('hooks.yaml: runs both exit hooks, and not the failure hook, when train succeeds', async (test) => {
    const { scenario } = await runFixture(test, 'hooks-success', 'hooks.yaml');
    const messages = scenario.runs.filter((s) => s.argv[0] === '/entrypoint.sh').map((s) => s.argv[2]);
    expect(messages.sort()).toEqual(['pipeline finished', 'pipeline succeeded']);
  });

  pipeline(
    'hub-ref.yaml',
    'runs the hub components: a tensorboard service, kaniko, then the notifier',
    async (test) => {
      const { scenario, workflow } = await runFixture(test, 'hub-ref', 'hub-ref.yaml');
      expect(workflow.status?.phase).toBe('Succeeded');
      expect(scenario.run('board').argv).toEqual(['tensorboard', '--logdir=/plx-context/artifacts', '--bind_all']);
      expect(scenario.run('kaniko').argv).toEqual(['/kaniko/executor', '--no-push']);
      expect(scenario.run('notify').argv).toEqual([
        '/entrypoint.sh',
        '-d',
        'image built',
        'https://hooks.example.com/ml',
      ]);
      // The service ran as a daemon: the workflow ended it, it never exited on its own.
      expect(scenario.run('board').endedMs).toBeUndefined();
    },
  );

  pipeline('service.yaml', 'keeps redis running as a daemon while the load test runs, then stops it', async (test) => {
    const { scenario, workflow } = await runFixture(test, 'service', 'service.yaml');
    expect(workflow.status?.phase).toBe('Succeeded');
    const redis = scenario.run('redis');
    const load = scenario.run('load-test');
    expect(redis.argv).toEqual(['docker-entrypoint.sh', 'redis-server']);
    expect(load.argv).toEqual(['redis-benchmark', '-h', 'redis', '-n', '1000']);
    expect(load.startedMs).toBeGreaterThan(redis.startedMs);
    expect(redis.endedMs).toBeUndefined();
    // The controller stops the daemon once the workflow is done: its process is killed.
    const stopped = await until('the redis pod to stop', async () => {
      const pod = (await scenario.pods()).find((p) => p.metadata?.name === redis.pod);
      return pod?.status?.phase === 'Running' ? undefined : pod;
    });
    const main = stopped.status?.containerStatuses?.find((c) => c.name === 'main');
    expect([143, 137]).toContain(main?.state?.terminated?.exitCode);
  });

  pipeline('sidecars.yaml', 'runs the sidecar beside main and stops it when main ends', async (test) => {
    const { scenario, workflow } = await runFixture(test, 'sidecars', 'sidecars.yaml', (step) =>
      step.container === 'main' ? { runMs: 1500 } : undefined,
    );
    expect(workflow.status?.phase).toBe('Succeeded');
    const sidecar = scenario.steps.find((s) => s.container === 'metrics-proxy');
    expect(sidecar?.argv).toEqual(['/bin/pushgateway']);
    expect(sidecar?.endedMs).toBeUndefined();
    expect(scenario.run('train').argv).toEqual(['python', 'train.py']);
  });

  pipeline(
    'init.yaml',
    'clones from the git daemon, writes the file and Dockerfile, runs the custom init',
    async (test) => {
      const { scenario } = await runFixture(test, 'init', 'init.yaml');
      const train = scenario.run('train');
      expect(train.argv).toEqual(['python', '/plx-context/artifacts/models/train.py']);
      expect(train.files).toMatchObject({
        '/plx-context/artifacts/models/train.py': 'print("models v1.2.0")\n',
        '/plx-context/artifacts/repo/train.py': 'print("models main")\n',
        '/plx-context/artifacts/config/config.yaml': 'lr: 0.1',
        '/plx-context/artifacts/dockerfile/Dockerfile': 'FROM python:3.12\nWORKDIR /code\nRUN pip install torch\n',
      });
      const inits = scenario.steps.filter((s) => !s.nested && s.container.startsWith('init-')).map((s) => s.container);
      expect(inits).toEqual(['init-0-git', 'init-1-git', 'init-2-file', 'init-3-dockerfile', 'init-4']);
      const clones = scenario.steps.filter((s) => s.nested && s.argv[0] === 'git' && s.argv[1] === 'clone');
      // `git clone [flags] -- URL TARGET`: the URL comes after `--`, so it cannot be read as an option.
      expect(clones.map((s) => s.argv[s.argv.indexOf('--') + 1])).toEqual([
        'https://github.com/acme/models.git',
        'https://github.com/acme/models.git',
      ]);
    },
  );

  // The file init's content reaches its script as an environment variable: a value holding a
  // quote stays data (it once was pasted into the shell command between single quotes).
  it('a file init writes content holding a quote as given', async (test) => {
    const pipeline = `version: 1.1
kind: component
name: init-quote
inputs: [{name: config, type: str, value: "lr: 0.1"}]
run:
  kind: job
  init:
  - {file: {content: "{{ config }}", filename: config.yaml}, path: /plx-context/artifacts/config}
  container: {image: "alpine:3.20", command: [python, train.py]}
`;
    const scenario = await Scenario.open(test, 'init-quote', pipeline);
    const result = await scenario.submit({ params: "config=it's ok" }).done;
    expect(result.code, result.stdout).toBe(0);
    expect(scenario.runs[0]!.files['/plx-context/artifacts/config/config.yaml']).toBe("it's ok");
  });

  pipeline(
    'cache-and-queue.yaml',
    'serves featurize from the cache the second time, through the queues',
    async (test) => {
      const scenario = await Scenario.openFixture(test, 'cache-and-queue', 'cache-and-queue.yaml');
      await scenario.core.createNamespacedConfigMap({
        namespace: scenario.namespace,
        body: { metadata: { name: 'polyaxon-argo-queues' }, data: { 'agent.gpu-queue': '1', 'cpu-queue': '1' } },
      });
      for (const attempt of [1, 2]) {
        const result = await scenario.submit().done;
        expect(result.code, `${attempt}: ${result.stdout}`).toBe(0);
      }
      // train's cache is disabled: it ran twice; featurize ran once, then was memoized.
      expect(scenario.runs.map((s) => s.task).sort()).toEqual(['featurize', 'train', 'train']);
      expect(scenario.run('featurize').argv).toEqual(['features', 'users', '1']);
      // The second run's featurize node is a cache hit, in the cache the pipeline names.
      const workflows = (await scenario.config.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: scenario.namespace,
        plural: 'workflows',
      })) as { items: WorkflowObject[] };
      const memoized = workflows.items
        .flatMap((wf) => Object.values(wf.status?.nodes ?? {}))
        .filter((n) => n.displayName === 'featurize')
        .map((n) => (n as { memoizationStatus?: { hit: boolean; cacheName: string } }).memoizationStatus);
      expect(memoized).toContainEqual(expect.objectContaining({ hit: true, cacheName: 'polyaxon-argo-cache' }));
    },
  );

  pipeline('volumes.yaml', 'writes to the shared claim from a real shell', async (test) => {
    const scenario = await Scenario.openFixture(test, 'volumes', 'volumes.yaml');
    const folder = await bindVolume(scenario, 'shared-pvc');
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    expect(readFileSync(path.join(folder, 'stamp'), 'utf8')).toMatch(/\d{2}:\d{2}:\d{2}/);
    expect(scenario.run('write').argv).toEqual(['sh', '-c', 'date > /shared/stamp']);
  });

  pipeline(
    'with-connections.yaml',
    "gives train the connection's secret as env and its claim at /models",
    async (test) => {
      const scenario = await Scenario.openFixture(test, 'with-connections', 'with-connections.yaml');
      await scenario.core.createNamespacedSecret({
        namespace: scenario.namespace,
        body: { metadata: { name: 'aws-credentials' }, stringData: { AWS_ACCESS_KEY_ID: 'AKIAE2E' } },
      });
      const folder = await bindVolume(scenario, 'models-pvc');
      writeFileSync(path.join(folder, 'model.txt'), 'weights v1\n');
      const result = await scenario.submit().done;
      expect(result.code, result.stdout).toBe(0);
      const train = scenario.run('train');
      expect(train.argv).toEqual(['python', 'train.py', '--data=s3://acme-training-data/v3', '--out=/models']);
      expect(train.env).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIAE2E' });
      expect(train.files['/models/model.txt']).toBe('weights v1\n');
    },
  );

  pipeline('approval.yaml', 'waits for the approval, then deploys once `argo resume` approves', async (test) => {
    const scenario = await Scenario.openFixture(test, 'approval', 'approval.yaml');
    const action = scenario.submit();
    const suspended = await scenario.waitForWorkflow((wf) =>
      Object.values(wf.status?.nodes ?? {}).some((n) => n.type === 'Suspend' && n.phase === 'Running'),
    );
    await sleepMs(2000);
    expect(scenario.runs.map((s) => s.task)).toEqual(['train']);
    const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'argo-cli-')), 'kubeconfig');
    writeFileSync(kubeconfig, scenario.kubeconfig, { mode: 0o600 });
    await run(ARGO, ['resume', suspended.metadata.name!, '-n', scenario.namespace, '--kubeconfig', kubeconfig]);
    const result = await action.done;
    expect(result.code, result.stdout).toBe(0);
    expect(scenario.runs.map((s) => s.task)).toEqual(['train', 'deploy']);
  });

  for (const file of ['schedule-cron.yaml', 'schedule-datetime.yaml', 'schedule-interval.yaml'])
    pipeline(file, 'is accepted by the cron controller, and a run from it completes', async (test) => {
      const namespace = path.parse(file).name;
      const scenario = await Scenario.openFixture(test, namespace, file);
      const { code, stdout, stderr } = await runBundledCli(
        [
          'transpile',
          path.join('fixtures', 'pipelines', file),
          '--namespace',
          namespace,
          '--hub',
          'fixtures/pipelines/hub',
        ],
        { cwd: REPO_ROOT },
      );
      expect(code, stderr).toBe(0);
      const cron = parse(stdout) as { kind: string; metadata: { name?: string; generateName?: string } };
      expect(cron.kind).toBe('CronWorkflow');
      const custom = scenario.config.makeApiClient(CustomObjectsApi);
      const created = (await custom.createNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace,
        plural: 'cronworkflows',
        body: cron,
      })) as { metadata: { name: string } };
      // The cron controller reads it: no spec error condition appears.
      await sleepMs(2000);
      const read = (await custom.getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace,
        plural: 'cronworkflows',
        name: created.metadata.name,
      })) as { status?: { conditions?: { type: string; message?: string }[] } };
      expect(read.status?.conditions ?? []).not.toContainEqual(expect.objectContaining({ type: 'SpecError' }));
      const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'argo-cli-')), 'kubeconfig');
      writeFileSync(kubeconfig, scenario.kubeconfig, { mode: 0o600 });
      const { stdout: submitted } = await run(ARGO, [
        'submit',
        '--from',
        `cronwf/${created.metadata.name}`,
        '-n',
        namespace,
        '--kubeconfig',
        kubeconfig,
        '-o',
        'name',
      ]);
      // Its schedule is every 30 minutes: on the hour and half hour the controller starts a run of its own.
      const name = submitted.trim();
      const workflow = await scenario.waitForWorkflow(
        (wf) => ['Succeeded', 'Failed', 'Error'].includes(wf.status?.phase ?? ''),
        90_000,
        name,
      );
      expect(workflow.status?.phase).toBe('Succeeded');
      expect(scenario.runs.filter((step) => step.nodeName.startsWith(`${name}.`))).toHaveLength(1);
    });
});

/** These change the node's labels and resources: one at a time, after the others. */
describe('example pipelines that need the node set up for them', () => {
  pipeline(
    'run-patch.yaml',
    'schedules each operation only on a node its patched nodeSelector matches',
    async (test) => {
      const scenario = await Scenario.openFixture(test, 'run-patch', 'run-patch.yaml');
      await setNodeLabels({ pool: 'cpu' });
      try {
        const action = scenario.submit();
        await until('merged to run', () => (scenario.runs.some((s) => s.task === 'merged') ? true : undefined));
        // replaced asks for pool=gpu: kube-scheduler leaves it pending on this pool=cpu node.
        const pending = await until(
          'replaced to be unschedulable',
          async () => {
            const pods = await scenario.pods();
            const pod = pods.find((p) =>
              p.metadata?.annotations?.['workflows.argoproj.io/node-name']?.endsWith('.replaced'),
            );
            const unschedulable = pod?.status?.conditions?.find(
              (c) => c.type === 'PodScheduled' && c.status === 'False',
            );
            return unschedulable ? pod : undefined;
          },
          60_000,
        );
        expect(pending.spec?.nodeSelector).toEqual({ pool: 'gpu' });
        await setNodeLabels({ pool: 'gpu' });
        const result = await action.done;
        expect(result.code, result.stdout).toBe(0);
        expect(argvOf(scenario)).toEqual({
          merged: ['python', 'train.py', '--small'],
          replaced: ['python', 'train.py', '--large'],
        });
      } finally {
        await setNodeLabels({ pool: null });
      }
    },
    { sequential: true },
  );

  pipeline(
    'environment.yaml',
    'runs train on node-7 as user 1000, with its labels, priority class and GPU',
    async (test) => {
      const scenario = await Scenario.openFixture(test, 'environment', 'environment.yaml');
      await scenario.createServiceAccount('trainer');
      await scenario.config
        .makeApiClient(SchedulingV1Api)
        .createPriorityClass({ body: { metadata: { name: 'high' }, value: 100 } })
        .catch(() => undefined);
      await setNodeLabels({ pool: 'a100', zone: 'eu-west-1a' });
      await setNodeExtendedResource('nvidia.com/gpu', '1');
      try {
        const result = await scenario.submit().done;
        expect(result.code, result.stdout).toBe(0);
        const train = scenario.run('train');
        expect(train.uid).toBe(1000);
        const pod = (await scenario.pods()).find((p) => p.metadata?.name === train.pod)!;
        expect(pod.spec?.nodeName).toBe(NODE_NAME);
        expect(pod.spec?.serviceAccountName).toBe('trainer');
        expect(pod.spec?.priority).toBe(100);
        expect(pod.metadata?.labels).toMatchObject({ team: 'vision', app: 'train' });
      } finally {
        await setNodeLabels({ pool: null, zone: null });
        await setNodeExtendedResource('nvidia.com/gpu', null);
      }
    },
    { sequential: true },
  );
});

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
