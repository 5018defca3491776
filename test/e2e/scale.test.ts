import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forecastRun } from '../../src/forecast/run-forecast.js';
import { transpile } from '../../src/transpile.js';
import { decodeCompressedNodes } from '../../src/watch/node-status.js';
import { SIMULATED_SCHEDULER } from './support/pod-simulator.js';
import { HEAD_SHA, restartWorkflowController, Scenario } from './support/scenario.js';

/**
 * A workflow too big for its node statuses to stay plain: a 3,000-item matrix, on Argo's real
 * controller started with a lower MAX_WORKFLOW_SIZE, so it keeps them gzipped in
 * `status.compressedNodes` from early on. Its pods are played by the simulator (a 2-core node
 * cannot start 3,000 containers in test time); everything else is real. The Action follows it
 * to the end, and every check run must conclude as the workflow did.
 */

/** E2E_SCALE_ITEMS (a multiple of 50) runs a smaller sweep when investigating. */
const ITEMS = Number(process.env.E2E_SCALE_ITEMS ?? 3000);
/** Half of Argo's 1 MiB default: compression starts after a few hundred nodes. */
const MAX_WORKFLOW_SIZE = 512 * 1024;
/** The matrix item that fails (Argo names items `INDEX:params`). */
const FAILING_ITEM = Math.floor(ITEMS * 0.4);

const pipeline = `version: 1.1
kind: component
name: sweep
run:
  kind: dag
  environment: {schedulerName: ${SIMULATED_SCHEDULER}}
  operations:
  - name: prepare
    component:
      name: prepare
      outputs: [{name: data, type: str}]
      run: {kind: job, container: {image: "alpine:3.20", command: [prepare]}}
  - name: sweep
    params: {data: {ref: ops.prepare, value: outputs.data}}
    matrix:
      kind: grid
      concurrency: 300
      params:
        lr: {kind: linspace, value: "0.001:0.1:${ITEMS / 50}"}
        batch: {kind: range, value: [1, 51, 1]}
    component:
      name: train
      inputs: [{name: lr, type: float}, {name: batch, type: int}, {name: data, type: str}]
      run: {kind: job, container: {image: "alpine:3.20", command: [train, "--lr={{ lr }}", "--batch={{ batch }}", "{{ data }}"]}}
  - name: report
    dependencies: [sweep]
    component: {name: report, run: {kind: job, container: {image: "alpine:3.20", command: [report]}}}
`;

beforeAll(async () => {
  // Also a higher client rate than the controller's default 20 requests/s (its flags, as ARGO_* variables).
  await restartWorkflowController({ MAX_WORKFLOW_SIZE: String(MAX_WORKFLOW_SIZE), ARGO_QPS: '200', ARGO_BURST: '400' });
}, 120_000);

afterAll(async () => {
  await restartWorkflowController();
}, 120_000);

describe('a workflow whose node statuses Argo compresses', () => {
  it(`is followed to the end through a ${ITEMS}-item matrix, every check concluding as the workflow did`, async (test) => {
    const scenario = await Scenario.simulate(test, 'scale', pipeline, (step) => {
      if (step.task === 'prepare') return { outputs: { data: 's3://ml-data/clean.parquet' } };
      if (step.item?.startsWith(`${FAILING_ITEM}:`)) return { runMs: 50, exitCode: 1 };
      return { runMs: 50 };
    });
    const started = Date.now();
    // Progress, every 30 s: what a slow run was doing if it times out.
    const progress = setInterval(() => {
      const checks = Object.entries(scenario.checks()).map(([name, history]) => `${name}=${history.at(-1)}`);
      console.log(
        `scale: ${Math.round((Date.now() - started) / 1000)}s, ${scenario.simulator!.steps.length} pods started; ${checks.join(' ')}`,
      );
    }, 30_000);
    const result = await scenario
      .submit({}, { POLYAXON_ARGO_TIME_SCALE: '0.1' })
      .done.finally(() => clearInterval(progress));
    const seconds = (Date.now() - started) / 1000;
    console.log(`scale scenario: ${ITEMS} items followed to the end in ${seconds.toFixed(1)}s`);

    expect(result.code, result.stdout.slice(-3000)).toBe(1);
    expect(result.stdout).toMatch(/::error::workflow sweep-\w+ ended Failed/);

    // Argo kept the node statuses compressed: the Action could only have read them there.
    const workflow = (await scenario.workflow())!;
    expect(workflow.status?.phase).toBe('Failed');
    expect(Object.keys(workflow.status?.nodes ?? {})).toEqual([]);
    expect(workflow.status?.compressedNodes).toBeTruthy();
    const decoded = decodeCompressedNodes(workflow.status!.compressedNodes!);
    const nodes = Object.values(decoded);
    console.log(
      `scale scenario: ${nodes.length} node statuses, ${JSON.stringify(decoded).length} bytes of JSON, ${workflow.status!.compressedNodes!.length} compressed (base64); the whole Workflow ${JSON.stringify(workflow).length} bytes`,
    );
    const pods = nodes.filter((n) => n.type === 'Pod');
    expect(pods).toHaveLength(ITEMS + 1);
    expect(pods.filter((n) => n.phase === 'Failed')).toHaveLength(1);
    expect(scenario.simulator!.steps.filter((s) => s.task === 'sweep')).toHaveLength(ITEMS);

    // What `transpile` forecast for this run, from the manifest alone, is what Argo wrote.
    const { manifest } = await transpile('sweep.yaml', pipeline, { kind: 'workflow', offline: true });
    const [forecast] = forecastRun(manifest!, { maxWorkflowSize: MAX_WORKFLOW_SIZE });
    const told = /about ([\d,]+) node statuses.*\(about (\d+) KiB in all\)/.exec(forecast!.message);
    expect(told, forecast!.message).not.toBeNull();
    expect(Number(told![1]!.replace(/,/g, ''))).toBe(nodes.length);
    const storedKiB = JSON.stringify(workflow).length / 1024;
    expect(
      Math.abs(Number(told![2]) / storedKiB - 1),
      `${told![2]} KiB forecast, ${Math.round(storedKiB)} KiB stored`,
    ).toBeLessThan(0.25);

    const last = Object.fromEntries(Object.entries(scenario.checks()).map(([name, history]) => [name, history.at(-1)]));
    expect(last).toEqual({
      argo: 'failure',
      'argo/prepare': 'success',
      'argo/sweep': 'failure',
      'argo/report': 'skipped',
    });
    for (const run of scenario.github.state.checkRuns) {
      expect(run.head_sha).toBe(HEAD_SHA);
      expect(
        run.history.filter((h) => h.status === 'completed'),
        run.name,
      ).toHaveLength(1);
    }
    const sweep = scenario.github.state.checkRuns.find((r) => r.name === 'argo/sweep')!;
    expect(sweep.output.summary).toMatch(
      new RegExp(`\\| items \\| (${ITEMS - 1} Succeeded, 1 Failed|1 Failed, ${ITEMS - 1} Succeeded) \\|`),
    );
    // The sweep was seen running from the compressed statuses, not only at its end.
    expect(scenario.checks()['argo/sweep']).toContain('in_progress');
    expect(scenario.github.violations).toEqual([]);
  }, 900_000);
});
