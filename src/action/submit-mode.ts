import * as core from '@actions/core';
import * as github from '@actions/github';
import type { Manifest } from '../argo/types.js';
import { ArgoApi, ClusterError } from '../cluster/argo-api.js';
import { ArgoServer } from '../cluster/argo-server.js';
import { followWorkflow, isFinished } from '../cluster/follow-workflow.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { WorkflowNodes } from '../cluster/workflow-nodes.js';
import { readFailureLogs, type LogTail } from '../cluster/pod-log.js';
import { CheckRunReporter } from '../github/check-runs.js';
import { statusOf, type GitHubClient, type Repository } from '../github/octokit.js';
import type { WorkflowEnd } from '../watch/check-status.js';
import { earlyStoppingReason } from '../watch/early-stopping.js';
import { failureReason } from '../watch/failure-reason.js';
import { operationStates } from '../watch/operation-states.js';
import type { WorkflowObject } from '../watch/workflow-status.js';
import type { CheckedFile } from './check-files.js';
import type { Config } from './inputs.js';
import type { Timing } from './timing.js';
import { renderFailureLogs } from './report/markdown.js';
import { addSecrets, describeError, redact } from './secrets.js';

export interface SubmitContext {
  timing: Timing;
  client: GitHubClient | undefined;
  repository: Repository;
  headSha: string;
  pullNumber: number | undefined;
}

/** Saved for the post step, which stops the workflow if the job was cancelled mid-watch. */
export const STATE = { workflow: 'workflow', namespace: 'namespace', checks: 'checks', finished: 'finished' } as const;

/** The label that finds the workflows submitted for a commit. */
export const COMMIT_LABEL = 'polyaxon-argo.io/commit';

/**
 * submit mode: create the Workflow, then (with `wait`) follow it to the end, reporting each
 * operation as a check run on the pull request's head commit. A cancelled job or the `timeout`
 * stops the workflow and concludes the checks accordingly.
 */
export async function submit(file: CheckedFile, config: Config, context: SubmitContext): Promise<void> {
  const manifest = file.result.manifest as Manifest;
  // Its secrets were masked when the Action started (main.ts).
  const kubeConfig = loadKubeConfig(config.kubeconfig, { onSecret: (value) => addSecrets([value]) });
  if (manifest.kind !== 'Workflow') {
    core.setFailed(`submit mode creates Workflows; ${file.file} transpiles to a ${manifest.kind}`);
    return;
  }
  const workflow: Manifest = {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      ...(config.generateName
        ? { generateName: config.generateName.endsWith('-') ? config.generateName : `${config.generateName}-` }
        : {}),
      namespace: config.namespace,
      labels: {
        ...manifest.metadata.labels,
        [COMMIT_LABEL]: context.headSha.slice(0, 40),
        ...(context.pullNumber ? { 'polyaxon-argo.io/pull-request': String(context.pullNumber) } : {}),
      },
    },
  };
  const api = new ArgoApi(kubeConfig, config.namespace, {
    log: (message) => core.info(redact(message)),
    policy: context.timing.retry,
  });
  const created = await api.create(workflow).catch((error: unknown) => {
    // Submitting again could make a second workflow: say how to find out whether there is one.
    if (error instanceof ClusterError && error.outcomeUnknown) {
      throw new Error(
        `${error.message}; the workflow may or may not have been created: check with \`kubectl get workflows -n ${config.namespace} -l ${COMMIT_LABEL}=${context.headSha.slice(0, 40)}\` before submitting again`,
      );
    }
    throw error;
  });
  const name = created.metadata.name!;
  core.setOutput('workflow-name', name);
  core.setOutput('workflow-uid', created.metadata.uid ?? '');
  core.setOutput('namespace', config.namespace);
  core.saveState(STATE.workflow, name);
  core.saveState(STATE.namespace, config.namespace);
  core.info(
    `Submitted workflow ${config.namespace}/${name}${config.argoUrl ? `: ${config.argoUrl.replace(/\/$/, '')}/workflows/${config.namespace}/${name}` : ''}`,
  );
  if (!config.wait) {
    core.saveState(STATE.finished, 'true');
    return;
  }

  const reporter = context.client
    ? new CheckRunReporter(context.client, context.repository, {
        prefix: config.checkPrefix,
        headSha: context.headSha,
        maxCheckRuns: config.maxCheckRuns,
        redact,
        ...(config.argoUrl ? { argoUrl: config.argoUrl } : {}),
      })
    : undefined;
  const report = checkReporting(reporter);
  await report((r) => r.start(created, operationStates(created)));
  // Each failed operation's log tail is read once, as it fails, for its check and the summary.
  const tails: LogTail[] = [];
  const read = new Set<string>();
  const newFailureLogs = async (version: WorkflowObject, states: ReturnType<typeof operationStates>) => {
    const failed = new Set(
      states.filter((s) => (s.phase === 'Failed' || s.phase === 'Error') && !read.has(s.name)).map((s) => s.name),
    );
    if (!failed.size) return [];
    for (const name of failed) read.add(name);
    const found = await readFailureLogs(kubeConfig, version, { operations: failed, redact });
    tails.push(...found);
    return found;
  };

  // Cancellation (SIGINT, then SIGTERM from the runner) and the timeout both end the watch.
  const controller = new AbortController();
  const cancel = (reason: 'cancelled' | 'timeout') => () => controller.abort(reason);
  const onSignal = cancel('cancelled');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = setTimeout(cancel('timeout'), config.timeout * 1000);

  // Big workflows keep their node statuses compressed, or offloaded to Argo's database.
  const nodes = new WorkflowNodes(
    config.argoUrl && config.argoToken ? new ArgoServer(config.argoUrl, config.argoToken) : undefined,
  );
  let unavailable: string | undefined;
  const hydrate = async (version: WorkflowObject): Promise<WorkflowObject> => {
    const reading = await nodes.read(version);
    if (reading.unavailable && reading.unavailable !== unavailable)
      core.notice(
        redact(
          `Per-operation checks stopped at their last known state: ${reading.unavailable}. The workflow itself is still followed.`,
        ),
      );
    unavailable = reading.unavailable;
    return reading.workflow;
  };

  let latest: WorkflowObject = created;
  let stoppedEarly: string | undefined;
  try {
    for await (const raw of followWorkflow(api.source(name), { ...context.timing.follow, signal: controller.signal })) {
      const version = await hydrate(raw);
      latest = version;
      const states = operationStates(version);
      const logTails = await newFailureLogs(version, states);
      await report((r) => r.update(version, states, undefined, logTails));
      const reason = stoppedEarly ? undefined : earlyStoppingReason(version, states);
      if (reason && !isFinished(version)) {
        stoppedEarly = reason;
        core.notice(reason);
        await api.shutdown(name, 'Stop');
      }
    }
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const aborted = controller.signal.aborted ? (controller.signal.reason as 'cancelled' | 'timeout') : undefined;
  if (aborted) {
    core.warning(
      aborted === 'timeout'
        ? `the workflow ran longer than the ${config.timeout}s timeout: stopping it`
        : 'the job was cancelled: stopping the workflow',
    );
    await api.shutdown(name, 'Stop').catch((error: unknown) => core.warning(describeError(error)));
    latest = await api.get(name).then(hydrate, () => latest);
  }
  const end: WorkflowEnd = {
    stopped: aborted === 'cancelled' || stoppedEarly !== undefined,
    timedOut: aborted === 'timeout',
    ...(unavailable ? { nodesUnavailable: true } : {}),
  };
  const finalStates = operationStates(latest);
  const finalTails = await newFailureLogs(latest, finalStates);
  await report((r) => r.update(latest, finalStates, end, finalTails), 'final');
  core.saveState(STATE.finished, 'true');

  const phase = latest.status?.phase ?? 'Unknown';
  core.setOutput('phase', phase);
  await core.summary
    .addRaw(
      redact(
        `\n### Workflow ${config.namespace}/${name}: ${aborted === 'timeout' ? 'timed out' : aborted ? 'cancelled' : phase}\n${stoppedEarly ? `\nStopped by ${stoppedEarly}.\n` : ''}` +
          renderFailureLogs(tails, (operation) => reporter?.urlOf(operation, github.context.serverUrl)),
      ),
    )
    .write();
  if (unavailable) await core.summary.addRaw(redact(`\nPer-operation checks stopped: ${unavailable}.\n`)).write();
  if (aborted) core.setFailed(`workflow ${name} ${aborted === 'timeout' ? 'timed out' : 'was cancelled'}`);
  else if (phase !== 'Succeeded' && !stoppedEarly) {
    const reason = failureReason(latest);
    core.setFailed(redact(`workflow ${name} ended ${phase}${reason ? `: ${reason}` : ''}`));
  }
}

/**
 * Check runs report on the workflow; they never decide its fate. GitHub failing past the
 * client's retries is told once, and the updates stop there; the final one is still tried, so
 * the checks conclude if GitHub is back. The ids of the checks are saved whenever they change,
 * for the post step.
 */
function checkReporting(reporter: CheckRunReporter | undefined) {
  let failed = false;
  let saved = -1;
  return async (call: (reporter: CheckRunReporter) => Promise<void>, final?: 'final'): Promise<void> => {
    if (!reporter || (failed && !final)) return;
    try {
      await call(reporter);
    } catch (error) {
      if (!failed) {
        if (statusOf(error) === 403)
          core.notice(
            'The token cannot create check runs (it needs `checks: write`); the workflow is followed without them.',
          );
        else
          core.warning(
            `could not update the check runs (${describeError(error)}); the workflow is followed without them.`,
          );
      }
      failed = true;
    }
    // Only a new check adds an id: the watch loop does not serialise them on every event.
    if (reporter.created !== saved) core.saveState(STATE.checks, JSON.stringify(reporter.ids()));
    saved = reporter.created;
  };
}
