import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it, type TestContext } from 'vitest';
import type { WorkflowObject } from '../../src/watch/workflow-status.js';
import { REPO_ROOT } from '../support/paths.js';
import { eventually, savedState } from '../support/run-action.js';
import { SIMULATED_SCHEDULER } from './support/pod-simulator.js';
import { HEAD_SHA, maxOverlap, restartApiServer, Scenario, until, type Outcome } from './support/scenario.js';

/**
 * The Action's submit/watch/report path against a real cluster: kube-apiserver, Argo's own
 * workflow-controller, kube-scheduler, and a kubelet running the pods with containerd and runc.
 * Each container's program is the stand-in (support/standin-server.ts), which records what the
 * process received and does what the scenario says: exit codes, outputs written as files,
 * durations. Everything between the Polyaxonfile and the process — admission, CRD schemas, the
 * controller's scheduling and substitution, the emissary executor, the kubelet's `$(VAR)`
 * expansion, retries, deadlines, shutdown — is the real thing.
 */

const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'fixtures', 'pipelines', name), 'utf8');

/** A dag of operations sharing one job component: independent, or each after the previous. */
function fanOut(
  name: string,
  operations: string[],
  options: { dag?: string; top?: string; chained?: boolean } = {},
): string {
  const op = (name: string, i: number) =>
    `  - {name: ${name}, dagRef: work${options.chained && i > 0 ? `, dependencies: [${operations[i - 1]}]` : ''}}`;
  return `version: 1.1
kind: component
name: ${name}
${options.top ?? ''}run:
  kind: dag
${options.dag ?? ''}  components:
  - name: work
    run: {kind: job, container: {image: "alpine:3.20", command: [sh, -c, "echo work"]}}
  operations:
${operations.map(op).join('\n')}
`;
}

/** Pod nodes' [startedAt, finishedAt) from the workflow status (second resolution). */
const statusIntervals = (workflow: WorkflowObject): [number, number][] =>
  Object.values(Scenario.pods(workflow)).map((n) => [Date.parse(n.startedAt!), Date.parse(n.finishedAt!)]);

/**
 * Every check run was created once, and concluded once, as its last update: a resumed watch
 * or a retried request must never report an operation twice.
 */
function expectReportedOnce(scenario: Scenario): void {
  const names = scenario.github.state.checkRuns.map((run) => run.name);
  expect(new Set(names).size).toBe(names.length);
  for (const run of scenario.github.state.checkRuns) {
    expect(run.head_sha).toBe(HEAD_SHA);
    expect(
      run.history.filter((h) => h.status === 'completed'),
      run.name,
    ).toHaveLength(1);
    expect(run.history.at(-1)!.status, run.name).toBe('completed');
  }
  expect(scenario.github.violations).toEqual([]);
}

/** `expect.arrayContaining`, typed. */
const including = (...values: string[]): string[] => expect.arrayContaining(values) as string[];

/** Submits a pipeline whose one operation runs for a minute; returns once its process runs. */
async function submitLongRunning(test: TestContext, name: string) {
  const scenario = await Scenario.open(test, name, fanOut(name, ['slow']), () => ({ runMs: 60_000 }));
  const action = scenario.submit();
  await eventually(() => (scenario.runs.some((s) => s.task === 'slow') ? true : undefined), 60_000);
  return { scenario, action };
}

/**
 * The workflow was stopped (Argo fails it), both checks concluded `conclusion`, and the real
 * process was ended by a signal rather than running its minute out.
 */
async function expectStopped(scenario: Scenario, conclusion: 'cancelled' | 'timed_out'): Promise<void> {
  const workflow = await scenario.waitForWorkflow((wf) => wf.status?.phase === 'Failed');
  expect(workflow.spec?.shutdown).toBe('Stop');
  expect(Object.values(scenario.checks()).map((history) => history.at(-1))).toEqual([conclusion, conclusion]);
  expectReportedOnce(scenario);
  const slow = scenario.run('slow');
  expect(slow.endedMs).toBeUndefined();
  const exitCode = await until('the slow process to be killed', async () => {
    const pod = (await scenario.pods()).find((p) => p.metadata?.name === slow.pod);
    return pod?.status?.containerStatuses?.find((c) => c.name === 'main')?.state?.terminated?.exitCode;
  });
  // SIGTERM from the executor (143), or SIGKILL after the grace period (137).
  expect([143, 137]).toContain(exitCode);
}

describe.concurrent('submit on a real cluster', () => {
  it('runs a diamond, passing parameters through the controller, and reports every operation', async (test) => {
    const scenario = await Scenario.open(test, 'diamond', fixture('diamond.yaml'), (step): Outcome => {
      if (step.task === 'prepare') return { outputs: { clean: 's3://ml-data/clean.parquet' } };
      if (step.task.startsWith('train')) return { outputs: { model: `s3://models/${step.task}`, loss: '0.12' } };
      return {};
    });
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    const workflow = (await scenario.workflow())!;
    expect(workflow.status?.phase).toBe('Succeeded');
    expect(result.outputs['workflow-name']).toBe(workflow.metadata.name);

    // Each value reached the container through the controller's own substitution.
    const argv = Object.fromEntries(scenario.runs.map((s) => [s.task, s.argv]));
    expect(argv.prepare).toEqual(['python', 'prep.py', 's3://ml-data/iris.csv']);
    expect(argv['train-small']).toEqual([
      'python',
      'train.py',
      '--data=s3://ml-data/clean.parquet',
      '--lr=0.01',
      '--epochs=10',
      expect.stringMatching(/^--out=/),
    ]);
    expect(argv['train-large']).toContain('--lr=0.001');
    expect(argv.evaluate).toEqual(['python', 'evaluate.py', 's3://models/train-small', 's3://models/train-large']);

    expect(scenario.checks()).toEqual({
      argo: including('queued', 'success'),
      'argo/prepare': including('queued', 'success'),
      'argo/train-small': including('queued', 'success'),
      'argo/train-large': including('queued', 'success'),
      'argo/evaluate': including('queued', 'success'),
    });
    expectReportedOnce(scenario);
    const prepare = scenario.github.state.checkRuns.find((r) => r.name === 'argo/prepare')!;
    expect(prepare.output.summary).toContain('s3://ml-data/clean.parquet');
  });

  it('never runs more operations at once than the dag concurrency', async (test) => {
    const ops = ['a', 'b', 'c', 'd', 'e', 'f'];
    // Long enough for the next pod to start while one runs, even on a loaded machine.
    const scenario = await Scenario.open(
      test,
      'concurrency',
      fanOut('fan-out', ops, { dag: '  concurrency: 2\n' }),
      () => ({
        runMs: 6000,
      }),
    );
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    const workflow = (await scenario.workflow())!;
    expect(Object.keys(Scenario.pods(workflow)).sort()).toEqual(ops);
    // From the status (whole seconds, which can only hide overlaps) and from the processes (ms).
    expect(maxOverlap(statusIntervals(workflow))).toBeLessThanOrEqual(2);
    const intervals = scenario.runs.map((s) => `${s.task} ${s.startedMs}-${s.endedMs}`).join(', ');
    expect(scenario.maxConcurrent(), intervals).toBe(2);
    expectReportedOnce(scenario);
  });

  it('runs all_done and one_failed operations after a failure, and skips the ones that needed success', async (test) => {
    const scenario = await Scenario.open(test, 'triggers', fixture('triggers.yaml'), (step) =>
      step.task === 'train-a' ? { exitCode: 1 } : {},
    );
    const result = await scenario.submit().done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::workflow triggers-\w+ ended Failed/);
    const workflow = (await scenario.workflow())!;
    expect(workflow.status?.phase).toBe('Failed');
    const phases = Object.fromEntries(
      Object.values(workflow.status!.nodes!)
        .filter((n) => n.type !== 'DAG')
        .map((n) => [n.displayName ?? n.name, n.phase]),
    );
    expect(phases).toEqual({
      'train-a': 'Failed',
      'train-b': 'Succeeded',
      'all-succeeded': 'Omitted',
      'all-failed': 'Omitted',
      'all-done': 'Succeeded',
      'one-succeeded': 'Succeeded',
      'one-failed': 'Succeeded',
      'one-done': 'Succeeded',
    });
    const last = Object.fromEntries(Object.entries(scenario.checks()).map(([name, history]) => [name, history.at(-1)]));
    expect(last).toEqual({
      argo: 'failure',
      'argo/train-a': 'failure',
      'argo/train-b': 'success',
      'argo/all-succeeded': 'skipped',
      'argo/all-failed': 'skipped',
      'argo/all-done': 'success',
      'argo/one-succeeded': 'success',
      'argo/one-failed': 'success',
      'argo/one-done': 'success',
    });
    expectReportedOnce(scenario);
  });

  it("shows a failed operation's log tail in its check run, redacted, and links it from the job summary", async (test) => {
    const token = 'ghs_testtoken0123456789'; // the Action's token input: a secret it knows
    const lines = Array.from({ length: 80 }, (_, i) => `step ${i + 1} of 80`);
    const scenario = await Scenario.open(test, 'log-tail', fanOut('log-tail', ['ok', 'broken']), (step) =>
      step.task === 'broken'
        ? // One stream: stdout and stderr lines may reach the log file in either order.
          { stdout: `${lines.join('\n')}\nTraceback: auth failed with ${token}\n`, exitCode: 3 }
        : {},
    );
    const result = await scenario.submit().done;
    expect(result.code).toBe(1);
    const broken = scenario.github.state.checkRuns.find((r) => r.name === 'argo/broken')!;
    expect(broken.conclusion).toBe('failure');
    const summary = broken.output.summary;
    expect(summary).toContain('**Log of `broken`** (container `main`, exit code 3, last lines):');
    expect(summary).toContain('step 80 of 80');
    expect(summary).toContain('Traceback: auth failed with ***');
    expect(summary).not.toContain(token);
    // The last 50 lines of the container's log, in order: the emissary's own lines come last.
    expect(summary).toMatch(
      /step 79 of 80\nstep 80 of 80\nTraceback: auth failed with \*\*\*\n[^]*Error: exit status 3\n```/,
    );
    expect(summary).toContain('step 50 of 80');
    expect(summary).not.toContain('step 30 of 80');
    const ok = scenario.github.state.checkRuns.find((r) => r.name === 'argo/ok')!;
    expect(ok.output.summary).not.toContain('Log of');
    expect(result.summary).toContain(
      `- \`broken\`: \`broken\` failed, exit code 3: [last lines of its log](https://github.com/acme/ml/runs/${broken.id})`,
    );
  });

  it('retries a failing operation up to maxRetries and goes on once it succeeds', async (test) => {
    const pipeline = `version: 1.1
kind: component
name: retries
run:
  kind: dag
  operations:
  - name: flaky
    termination: {maxRetries: 3}
    component: {name: flaky, run: {kind: job, container: {image: "alpine:3.20"}}}
  - name: after
    dependencies: [flaky]
    component: {name: after, run: {kind: job, container: {image: "alpine:3.20"}}}
`;
    const scenario = await Scenario.open(test, 'retries', pipeline, (step) =>
      step.task === 'flaky' && step.attempt < 2 ? { exitCode: 1 } : {},
    );
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    const workflow = (await scenario.workflow())!;
    expect(workflow.status?.phase).toBe('Succeeded');
    expect(scenario.runs.map((s) => `${s.task}#${s.attempt}`)).toEqual(['flaky#0', 'flaky#1', 'flaky#2', 'after#0']);
    const pods = Object.values(workflow.status!.nodes!)
      .filter((n) => n.type === 'Pod')
      .map((n) => [n.displayName, n.phase]);
    expect(pods).toEqual(
      expect.arrayContaining([
        ['flaky(0)', 'Failed'],
        ['flaky(1)', 'Failed'],
        ['flaky(2)', 'Succeeded'],
      ]),
    );
    const flaky = scenario.github.state.checkRuns.find((r) => r.name === 'argo/flaky')!;
    expect(flaky.conclusion).toBe('success');
    expect(flaky.output.summary).toContain('| retries | 2 |');
    expectReportedOnce(scenario);
  });

  it('fans a matrix out under its own concurrency, each item getting its params', async (test) => {
    const scenario = await Scenario.open(test, 'matrix', fixture('matrix-grid.yaml'), () => ({ runMs: 1200 }));
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    const workflow = (await scenario.workflow())!;
    expect(workflow.status?.phase).toBe('Succeeded');
    const argv = scenario.runs.map((s) => s.argv.join(' ')).sort();
    expect(argv).toHaveLength(5);
    for (const line of argv)
      expect(line).toMatch(/^python train\.py --batch=(32|64) --lr=0\.\d+ --epochs=5 --dropout=0\.\d+$/);
    expect(new Set(argv).size).toBe(5);
    expect(scenario.maxConcurrent()).toBeLessThanOrEqual(3);
    expect(maxOverlap(statusIntervals(workflow))).toBeLessThanOrEqual(3);
    expect(scenario.checks()).toEqual({
      argo: including('success'),
      'argo/grid': including('success'),
    });
    expect(scenario.github.state.checkRuns.find((r) => r.name === 'argo/grid')!.output.summary).toContain(
      '| items | 5 Succeeded |',
    );
    expectReportedOnce(scenario);
  });

  it('runs a nested dag, passing a dag input down and an output across', async (test) => {
    const scenario = await Scenario.open(test, 'nested', fixture('nested-dag.yaml'), (step) =>
      step.task === 'extract' ? { outputs: { table: 'warehouse.features_eu' } } : {},
    );
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    expect((await scenario.workflow())!.status?.phase).toBe('Succeeded');
    const argv = Object.fromEntries(scenario.runs.map((s) => [s.task, s.argv]));
    expect(argv).toEqual({
      extract: ['etl', 'extract', '--region=eu-west-1'],
      clean: ['etl', 'clean', 'warehouse.features_eu'],
      train: ['python', 'train.py'],
    });
    expect(Object.keys(scenario.checks()).sort()).toEqual(['argo', 'argo/features', 'argo/train']);
    expectReportedOnce(scenario);
  });

  it('drops the argv items that come out empty, as Polyaxon does, in main containers and sidecars', async (test) => {
    // `verbose` and `suffix` come from a step while the run goes; `dry` and `note` are known before it.
    const pipeline = `version: 1.1
kind: component
name: flags
run:
  kind: dag
  operations:
    - name: decide
      component:
        outputs: [{name: verbose, type: bool}, {name: suffix, type: str}]
        run: {kind: job, container: {image: "alpine:3.20", command: [decide]}}
    - name: quiet
      dagRef: train
      params: {verbose: {ref: ops.decide, value: outputs.verbose}, suffix: {ref: ops.decide, value: outputs.suffix}}
    - name: loud
      dagRef: train
      params: {verbose: {value: true}, suffix: {value: v2}, dry: {value: true}, note: {value: first run}}
  components:
    - name: train
      inputs:
        - {name: verbose, type: bool, isFlag: true}
        - {name: suffix, type: str}
        - {name: dry, type: bool, isFlag: true, value: false}
        - {name: note, type: str, isOptional: true}
      run:
        kind: job
        container:
          image: "alpine:3.20"
          command: [python, train.py, "{{ params.verbose.as_arg }}", "{{ suffix }}", "{{ dry }}", "", "--end"]
          args: ["{{ params.note.as_arg }}"]
        sidecars:
          - {name: watcher, image: "alpine:3.20", command: [tracker, "{{ params.dry.as_arg }}", "--every=5"]}
`;
    const scenario = await Scenario.open(test, 'empty-items', pipeline, (step) =>
      step.task === 'decide' ? { outputs: { verbose: 'false', suffix: '' } } : {},
    );
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    expect((await scenario.workflow())!.status?.phase).toBe('Succeeded');
    const argv = Object.fromEntries(
      scenario.steps.filter((s) => !s.nested).map((s) => [`${s.task}/${s.container}`, s.argv]),
    );
    expect(argv).toEqual({
      'decide/main': ['decide'],
      'quiet/main': ['python', 'train.py', '--end'],
      'quiet/watcher': ['tracker', '--every=5'],
      'loud/main': ['python', 'train.py', '--verbose', 'v2', '--dry', '--end', '--note=first run'],
      'loud/watcher': ['tracker', '--dry', '--every=5'],
    });
  });

  it('stops the workflow at the dag timeout, killing the real process, and concludes the checks timed out', async (test) => {
    // Long enough for the pod to start on a loaded machine, so that the deadline meets a running process.
    const pipeline = fanOut('deadline', ['slow'], { top: 'termination: {timeout: 12}\n' });
    const scenario = await Scenario.open(test, 'deadline', pipeline, () => ({ runMs: 60_000 }));
    const started = Date.now();
    const result = await scenario.submit().done;
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.code).toBe(1);
    const workflow = (await scenario.workflow())!;
    expect((workflow.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds).toBe(12);
    expect(workflow.status?.phase).toBe('Failed');
    expect(Scenario.pods(workflow).slow!.message).toMatch(/deadline/);
    expect(Object.values(scenario.checks()).map((history) => history.at(-1))).toEqual(['timed_out', 'timed_out']);
    expectReportedOnce(scenario);
    // The process never finished its minute: the deadline ended it.
    expect(scenario.run('slow').endedMs).toBeUndefined();
  });

  it('stops the workflow when the Action times out', async (test) => {
    const scenario = await Scenario.open(test, 'action-timeout', fanOut('long', ['slow']), () => ({ runMs: 60_000 }));
    const result = await scenario.submit({ timeout: '20' }).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('timed out');
    await expectStopped(scenario, 'timed_out');
  });

  it('stops the workflow when the job is cancelled', async (test) => {
    const { scenario, action } = await submitLongRunning(test, 'cancel');
    action.child.kill('SIGTERM');
    const result = await action.done;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('the job was cancelled');
    await expectStopped(scenario, 'cancelled');
  });

  it('has the post step stop the workflow when the main step was killed', async (test) => {
    const { scenario, action } = await submitLongRunning(test, 'killed');
    action.child.kill('SIGKILL');
    const killed = await action.done;
    const post = await scenario.submit({}, savedState(killed.stdout)).done;
    expect(post.code).toBe(0);
    await expectStopped(scenario, 'cancelled');
  });
});

describe.concurrent('the pod simulator beside the real node', () => {
  it('plays only the pods of workflows that name its scheduler, which the node never runs', async (test) => {
    const pipeline = fanOut('simulated', ['first', 'second'], {
      chained: true,
      dag: `  environment: {schedulerName: ${SIMULATED_SCHEDULER}}\n`,
    });
    const scenario = await Scenario.simulate(test, 'simulated', pipeline, () => ({}));
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    expect(scenario.simulator!.steps.map((s) => s.task)).toEqual(['first', 'second']);
    // No container ran: kube-scheduler and the kubelet left these pods alone.
    expect(scenario.steps).toEqual([]);
    const pods = await scenario.pods();
    expect(pods.map((p) => p.spec?.nodeName)).toEqual(['sim-node', 'sim-node']);
  });
});

/** Alone: the other scenarios' executors would lose the apiserver too. */
describe('an apiserver restart', () => {
  it('is survived by the watch, which reports nothing twice', async (test) => {
    const scenario = await Scenario.open(
      test,
      'restart',
      fanOut('restart', ['first', 'second', 'third'], { chained: true }),
      // first outlasts the restart: its executor reports only once the apiserver has caught up
      // (right after a start, its authorizer may refuse the service account for a moment).
      (step) => ({ runMs: step.task === 'first' ? 20_000 : 2000 }),
    );
    const action = scenario.submit();
    await until('first to run', () => (scenario.runs.some((s) => s.task === 'first') ? true : undefined));
    await restartApiServer();
    const result = await action.done;
    expect(result.code, result.stdout).toBe(0);
    expect((await scenario.workflow())!.status?.phase).toBe('Succeeded');
    expect(scenario.runs.map((s) => s.task)).toEqual(['first', 'second', 'third']);
    expect(Object.values(scenario.checks()).map((history) => history.at(-1))).toEqual([
      'success',
      'success',
      'success',
      'success',
    ]);
    expectReportedOnce(scenario);
  });
});

describe.concurrent('Argo tags in values', () => {
  const pipeline = `version: 1.1
kind: component
name: echo
inputs:
  - {name: message, type: str, value: hello}
  - {name: config, type: dict, value: {greeting: "{{=sprig.env('HOME')}}"}}
run:
  kind: job
  container:
    image: "alpine:3.20"
    command: [echo, "{{ message }}", "{% raw %}{{workflow.name}} {{=sprig.env('HOME')}}{% endraw %}", "{{ config }}"]
    env: [{name: MESSAGE, value: "{{ message }}"}]
`;

  it('reach the container as literal text, never evaluated by Argo', async (test) => {
    const scenario = await Scenario.open(test, 'tags', pipeline);
    const message = "{{workflow.name}}{{=sprig.upper('x')}}{{tasks.x.outputs.result}}";
    const result = await scenario.submit({ params: `message={% raw %}${message}{% endraw %}` }).done;
    expect(result.code, result.stdout).toBe(0);
    expect((await scenario.workflow())?.status?.phase).toBe('Succeeded');
    const [step] = scenario.runs;
    expect(step!.argv).toEqual([
      'echo',
      message,
      "{{workflow.name}} {{=sprig.env('HOME')}}",
      `{"greeting":"{{=sprig.env('HOME')}}"}`,
    ]);
    expect(step!.env.MESSAGE).toBe(message);
  });

  it('reach the next step as literal text when a step writes them as an output', async (test) => {
    const written = "{{workflow.name}}{{=sprig.upper('x')}}{{{";
    const relay = `version: 1.1
kind: component
name: relay
run:
  kind: dag
  operations:
    - name: produce
      component: {outputs: [{name: text, type: str}], run: {kind: job, container: {image: "alpine:3.20", command: [produce]}}}
    - name: consume
      params: {text: {ref: ops.produce, value: outputs.text}}
      component: {inputs: [{name: text, type: str}], run: {kind: job, container: {image: "alpine:3.20", command: [echo, "{{ text }}"]}}}
`;
    const scenario = await Scenario.open(test, 'tags-output', relay, (step) =>
      step.task === 'produce' ? { outputs: { text: written } } : {},
    );
    const result = await scenario.submit().done;
    expect(result.code, result.stdout).toBe(0);
    const consume = scenario.runs.find((s) => s.task === 'consume');
    expect(consume!.argv).toEqual(['echo', written]);
  });

  it('refuses what Polyaxon itself could not render, before submitting', async (test) => {
    const scenario = await Scenario.open(test, 'tags-refused', pipeline);
    const result = await scenario.submit({ params: "message={{=sprig.env('HOME')}}" }).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error title=untranslatable-template[^:]*::/);
    expect(await scenario.workflow()).toBeUndefined();
  });
});

describe.concurrent('submit refused by the cluster', () => {
  it('names a missing namespace, exits 1 and creates nothing', async (test) => {
    const scenario = await Scenario.open(test, 'refused', fanOut('refused', ['only']));
    const result = await scenario.submit({ namespace: 'no-such-namespace' }).done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::.*namespace.*no-such-namespace/i);
    expect(result.stdout).not.toMatch(/\n\s+at /); // no stack trace
    expect(scenario.github.state.checkRuns).toEqual([]);
  });

  it('says when the credentials are refused (401) or not allowed (403), never printing them', async (test) => {
    const scenario = await Scenario.open(test, 'credentials', fanOut('credentials', ['only']));
    const guest = inject('guestKubeconfig');
    const wrong = scenario.kubeconfig.replace(/token: (\w+)/, 'token: 0000wrong0000token0000');
    const cases = [
      {
        kubeconfig: wrong,
        token: '0000wrong0000token0000',
        error:
          /::error::polyaxon-argo: cannot create the Workflow: Unauthorized \(HTTP 401\): check the kubeconfig credentials/,
      },
      {
        kubeconfig: guest,
        token: /token: (\w+)/.exec(guest)![1]!,
        error:
          /::error::polyaxon-argo: cannot create the Workflow: workflows\.argoproj\.io is forbidden: User "e2e-guest" cannot create resource "workflows" .* in the namespace "credentials" \(the credentials may not do this in namespace credentials\)/,
      },
    ];
    for (const { kubeconfig, token, error } of cases) {
      const result = await scenario.submit({ kubeconfig }).done;
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(error);
      // The token appears only in the command that masks it, never in a message.
      expect(
        result.stdout.split('\n').filter((line) => line.includes(token) && !line.startsWith('::add-mask::')),
      ).toEqual([]);
      expect(result.summary).not.toContain(token);
    }
    expect(await scenario.workflow()).toBeUndefined();
    expect(scenario.github.state.checkRuns).toEqual([]);
  });

  it('reports the CRD schema rejecting the Workflow with the field it named, and exits 1', async (test) => {
    // Security contexts are passed through for the cluster to check (see src/schema/k8s.ts).
    const pipeline = fanOut('schema', ['only']).replace(
      'command: [sh, -c, "echo work"]',
      'command: [sh], securityContext: {runAsUser: root}',
    );
    const scenario = await Scenario.open(test, 'schema', pipeline);
    const result = await scenario.submit().done;
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /::error::.*is invalid: \[?spec\.templates\[\d\]\.container\.securityContext\.runAsUser: Invalid value: "string": .* must be of type integer/,
    );
    expect(result.stdout).not.toMatch(/\n\s+at /);
    expect(await scenario.workflow()).toBeUndefined();
    expect(scenario.github.state.checkRuns).toEqual([]);
  });
});
