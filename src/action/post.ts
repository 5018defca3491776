import * as core from '@actions/core';
import { context } from '@actions/github';
import { ArgoApi } from '../cluster/argo-api.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { createGitHubClient } from '../github/octokit.js';
import { addSecrets, describeError, maskInputSecrets, redact } from './secrets.js';
import { STATE } from './submit-mode.js';
import { actionTiming } from './timing.js';

/**
 * The post step. When the main step was killed while following a workflow (a cancelled job
 * that did not stop in time), stop the workflow and conclude the checks it left open as
 * cancelled. It only warns: a post step must not fail a job for cleanup.
 */
export async function post(): Promise<void> {
  const name = core.getState(STATE.workflow);
  if (!name || core.getState(STATE.finished) === 'true') return;
  maskInputSecrets();
  const timing = actionTiming();
  try {
    await new ArgoApi(
      loadKubeConfig(core.getInput('kubeconfig'), { onSecret: (value) => addSecrets([value]) }),
      core.getState(STATE.namespace) || 'default',
      { log: (message) => core.info(redact(message)), policy: timing.retry },
    ).shutdown(name, 'Stop');
    core.info(`Stopped workflow ${name}.`);
  } catch (error) {
    core.warning(`could not stop workflow ${name}: ${describeError(error)}`);
  }
  const token = core.getInput('token');
  const checks = JSON.parse(core.getState(STATE.checks) || '{}') as Record<string, number>;
  if (!token || !Object.keys(checks).length) return;
  const client = createGitHubClient(token, (m) => core.info(redact(m)), {
    retryAfterBaseMs: timing.githubRetryAfterBaseMs,
  });
  for (const [checkName, id] of Object.entries(checks)) {
    await client.rest.checks
      .update({
        ...context.repo,
        check_run_id: id,
        status: 'completed',
        conclusion: 'cancelled',
        completed_at: new Date().toISOString(),
        output: {
          title: `${checkName}: cancelled`,
          summary: `The job was cancelled; workflow \`${name}\` was stopped.`,
        },
      })
      .catch((error: unknown) => core.warning(`could not conclude check ${checkName}: ${describeError(error)}`));
  }
}
